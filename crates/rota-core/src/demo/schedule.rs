//! The demo's month of shifts and time: day shifts for everyone placed at a location over
//! the three weeks before this one and this week, published; open shifts next week, for
//! anyone to take; and the time entries of the first department's days already worked,
//! approved up to last week. Made through the services the API uses, in batches.

use std::collections::HashSet;

use jiff::ToSpan;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

use crate::db::Db;
use crate::error::{Error, Result};
use crate::holidays;
use crate::policy::Actor;
use crate::schedule::{self, BreakInput, ShiftInput};
use crate::time_clock::{self, TimeEntryInput};

/// Weeks of published shifts before this one.
const PAST_WEEKS: i64 = 3;
/// Open shifts next week, per location.
const OPEN_SHIFTS: usize = 3;

/// Someone placed at a location, with the position they work in.
#[derive(sqlx::FromRow)]
struct Placed {
    user_id: i64,
    department_id: Option<i64>,
    location_id: i64,
    position_id: Option<i64>,
    time_zone: Option<String>,
}

/// Someone's approved leave, from its first to its last day.
#[derive(sqlx::FromRow)]
struct Away {
    user_id: i64,
    #[sqlx(try_from = "crate::stored::Day")]
    start_date: Date,
    #[sqlx(try_from = "crate::stored::Day")]
    end_date: Date,
}

/// Seeds the month as `owner`; `today` decides which weeks are past.
pub(super) async fn seed(db: &Db, owner: &Actor, today: Date) -> Result<()> {
    let this_monday = monday_of(today)?;
    let first = this_monday
        .checked_sub((7 * PAST_WEEKS).days())
        .map_err(internal)?;
    let people: Vec<Placed> = sqlx::query_as(
        "SELECT u.id AS user_id, u.department_id, l.id AS location_id, \
         (SELECT MIN(p.position_id) FROM user_positions p WHERE p.company_id = u.company_id AND p.user_id = u.id) AS position_id, \
         l.time_zone FROM users u \
         JOIN user_locations ul ON ul.company_id = u.company_id AND ul.user_id = u.id \
         JOIN locations l ON l.company_id = ul.company_id AND l.id = ul.location_id \
         WHERE u.company_id = $1 ORDER BY l.id, u.id",
    )
    .bind(owner.company_id)
    .fetch_all(db.pool())
    .await?;
    let away = days_away(db, owner.company_id, first, this_monday).await?;
    let mut shifts = Vec::new();
    for week in 0..=PAST_WEEKS {
        let monday = first.checked_add((7 * week).days()).map_err(internal)?;
        for location_id in locations(&people) {
            let mut batch = Vec::new();
            for day in workdays(monday)? {
                for person in people.iter().filter(|p| p.location_id == location_id) {
                    if !away.contains(&(person.user_id, day)) {
                        batch.push(day_shift(person, day, Some(person.user_id))?);
                    }
                }
            }
            shifts.extend(schedule::create_many(db, owner, batch).await?);
        }
    }
    let next_monday = this_monday.checked_add(7.days()).map_err(internal)?;
    for location_id in locations(&people) {
        let Some(person) = people.iter().find(|p| p.location_id == location_id) else {
            continue;
        };
        let open = workdays(next_monday)?
            .into_iter()
            .take(OPEN_SHIFTS)
            .map(|day| day_shift(person, day, None))
            .collect::<Result<Vec<_>>>()?;
        schedule::create_many(db, owner, open).await?;
    }
    // The first department's worked days, clocked a few minutes either side.
    let first_department = people.iter().filter_map(|p| p.department_id).min();
    let (today_start, week_start) = (seconds_at(today)?, seconds_at(this_monday)?);
    for (n, shift) in shifts.iter().enumerate() {
        let Some(user_id) = shift.user_id else {
            continue;
        };
        let start = seconds_of(&shift.starts_at)?;
        let department = people
            .iter()
            .find(|p| p.user_id == user_id)
            .and_then(|p| p.department_id);
        if department != first_department || start >= today_start {
            continue;
        }
        let n = n as i64;
        let lunch = start + 3 * 3600 + 30 * 60;
        let entry = time_clock::create(
            db,
            owner,
            TimeEntryInput {
                user_id,
                start_time: stamp(start - 60 * (n % 6))?,
                end_time: Some(stamp(seconds_of(&shift.ends_at)? + 60 * (n % 9))?),
                location_id: Some(shift.location_id),
                position_id: shift.position_id,
                site_id: None,
                shift_id: Some(shift.id),
                notes: None,
                cash_tips: None,
                breaks: Some(vec![time_clock::BreakInput {
                    start_time: stamp(lunch)?,
                    end_time: Some(stamp(lunch + 30 * 60)?),
                }]),
            },
        )
        .await?;
        if start < week_start {
            time_clock::approve(db, owner, entry.id).await?;
        }
    }
    Ok(())
}

/// The locations people are placed at, in order.
fn locations(people: &[Placed]) -> Vec<i64> {
    let mut ids: Vec<i64> = people.iter().map(|p| p.location_id).collect();
    ids.dedup();
    ids
}

/// A published shift from 09:00 to 17:30 at the location, with half an hour's unpaid
/// lunch at 12:30.
fn day_shift(person: &Placed, day: Date, user_id: Option<i64>) -> Result<ShiftInput> {
    let zone =
        TimeZone::get(person.time_zone.as_deref().unwrap_or("Europe/London")).map_err(internal)?;
    let at = |hour: i8, minute: i8| -> Result<String> {
        day.to_datetime(Time::constant(hour, minute, 0, 0))
            .to_zoned(zone.clone())
            .map(|z| z.timestamp().to_string())
            .map_err(internal)
    };
    Ok(ShiftInput {
        user_id,
        location_id: person.location_id,
        position_id: person.position_id,
        site_id: None,
        starts_at: Some(at(9, 0)?),
        ends_at: Some(at(17, 30)?),
        template_id: None,
        date: None,
        breaks: vec![BreakInput {
            length_minutes: 30,
            paid: false,
            starts_at: Some(at(12, 30)?),
        }],
        colour: None,
        notes: None,
        published: true,
        requires_approval: None,
        override_conflicts: false,
    })
}

/// The (person, day) pairs of approved leave from `from` up to `until` (exclusive).
async fn days_away(
    db: &Db,
    company_id: i64,
    from: Date,
    until: Date,
) -> Result<HashSet<(i64, Date)>> {
    let rows: Vec<Away> = sqlx::query_as(
        "SELECT user_id, start_date, end_date FROM leave_requests WHERE company_id = $1 \
         AND status = 'approved' AND end_date >= $2 AND start_date < $3",
    )
    .bind(company_id)
    .bind(from.to_string())
    .bind(until.checked_add(7.days()).map_err(internal)?.to_string())
    .fetch_all(db.pool())
    .await?;
    let mut away = HashSet::new();
    for row in rows {
        let mut day = row.start_date;
        while day <= row.end_date {
            away.insert((row.user_id, day));
            day = day.tomorrow().map_err(internal)?;
        }
    }
    Ok(away)
}

/// Monday to Friday of the week starting `monday`, public holidays (GB) left out.
fn workdays(monday: Date) -> Result<Vec<Date>> {
    (0..5)
        .map(|n| monday.checked_add(n.days()).map_err(internal))
        .filter(|day| {
            day.as_ref()
                .map_or(true, |day| !holidays::is_holiday("GB", None, *day))
        })
        .collect()
}

fn monday_of(day: Date) -> Result<Date> {
    let back = i64::from(day.weekday().since(Weekday::Monday));
    day.checked_sub(back.days()).map_err(internal)
}

fn seconds_of(instant: &str) -> Result<i64> {
    instant
        .parse::<jiff::Timestamp>()
        .map(jiff::Timestamp::as_second)
        .map_err(internal)
}

fn stamp(seconds: i64) -> Result<String> {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .map_err(internal)
}

fn seconds_at(day: Date) -> Result<i64> {
    day.to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .map_err(internal)
}

fn internal(error: impl std::fmt::Display) -> Error {
    Error::Internal(error.to_string().into())
}
