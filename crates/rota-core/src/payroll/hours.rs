//! The hours paid in a payroll period, per person and type, with their rate and cost:
//! gathered from the company's finished time entries, approved paid leave and public
//! holidays, split by [`super::split`] and put together by [`person_hours`].
//!
//! An entry counts on the day it starts in the company's time zone, with its rounded
//! worked minutes (the company's rounding rules, breaks taken off), at the rate
//! [`super::rates`] picks for its user and position. Running entries do not count until
//! they end. Paid leave is the working minutes of the approved requests of a paid leave
//! type that start in the period (a request is counted whole in the period it starts in),
//! at the user's own rate. Holidays: see [`holiday_minutes`].

use std::collections::{BTreeMap, HashMap};

use jiff::Span;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

use super::rates::Rates;
use super::settings;
use super::split::{Split, Work, cost, split, week_of};
use crate::company::Company;
use crate::error::{Error, Result};
use crate::leave::days_off;
use crate::leave::duration::WeekMinutes;
use crate::leave::patterns;
use crate::people::types::text_enum;
use crate::time::{day_at, day_start};
use crate::time_clock::row::{self, View};
use crate::time_clock::rules::Stretch;

text_enum! {
    /// A kind of paid time: regular, overtime (past the company's daily or weekly
    /// threshold, paid at its multiplier), paid leave, or a public holiday.
    HoursType { Regular = "regular", Overtime = "overtime", PaidLeave = "paid_leave", Holiday = "holiday" }
}

impl HoursType {
    pub const ALL: [HoursType; 4] = [
        Self::Regular,
        Self::Overtime,
        Self::PaidLeave,
        Self::Holiday,
    ];
}

/// One person's minutes of one type in a period, and what they cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PayrollHours {
    pub user_id: i64,
    #[serde(rename = "type")]
    pub kind: HoursType,
    pub minutes: i64,
    /// Cents per hour: the rate that paid these minutes (overtime with its multiplier),
    /// the minute-weighted average where several rates did, to the nearest cent.
    pub rate_cents: i64,
    /// Cents, rounded once per person and type to the nearest cent, half up.
    pub cost_cents: i64,
}

/// What a person is paid for besides the time they worked, at their own rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paid {
    pub leave_minutes: i64,
    pub holiday_minutes: i64,
    /// The user's own hourly rate, in cents (0 without one).
    pub own_rate_cents: i64,
}

/// One person's rows, in [`HoursType::ALL`]'s order, for the types with minutes: their
/// worked time as `split`, then `paid` leave and holidays at their own rate.
pub fn person_hours(user_id: i64, split: &Split, paid: Paid) -> Vec<PayrollHours> {
    let own = |minutes: i64| {
        (
            minutes,
            paid.own_rate_cents,
            cost(minutes, paid.own_rate_cents),
        )
    };
    [
        (
            HoursType::Regular,
            (
                split.regular_minutes,
                split.regular_rate_cents,
                split.regular_cost_cents,
            ),
        ),
        (
            HoursType::Overtime,
            (
                split.overtime_minutes,
                split.overtime_rate_cents,
                split.overtime_cost_cents,
            ),
        ),
        (HoursType::PaidLeave, own(paid.leave_minutes)),
        (HoursType::Holiday, own(paid.holiday_minutes)),
    ]
    .into_iter()
    .filter(|(_, (minutes, _, _))| *minutes > 0)
    .map(|(kind, (minutes, rate_cents, cost_cents))| PayrollHours {
        user_id,
        kind,
        minutes,
        rate_cents,
        cost_cents,
    })
    .collect()
}

/// The holiday minutes of a person over `holidays` (the public holidays of the company's
/// country and its own days, in the period): on each, the minutes their working pattern
/// in force that day gives its weekday, so a holiday on a day they do not work pays
/// nothing. It is paid whether or not they worked that day (time worked on it is paid as
/// worked time besides); leave never covers a public holiday, which counts no leave.
pub fn holiday_minutes(holidays: &[Date], week_on: impl Fn(Date) -> WeekMinutes) -> i64 {
    holidays.iter().map(|day| week_on(*day).on(*day)).sum()
}

/// Everyone's hours from `start` to `end` (both included), by person, then type; read in
/// `conn` (the closing transaction, or any connection for an open period's live hours).
///
/// The people paid are those with worked time or paid leave in the period; each of them
/// is also paid the period's holidays ([`holiday_minutes`]). Someone who neither clocked
/// nor took paid leave in the period is not on its payroll and gets no holiday hours.
pub(crate) async fn worked(
    conn: &mut AnyConnection,
    company: &Company,
    start: Date,
    end: Date,
) -> Result<Vec<PayrollHours>> {
    let zone = jiff::tz::TimeZone::get(&company.time_zone)
        .map_err(|e| Error::Internal(format!("stored time zone unreadable: {e}").into()))?;
    let settings = settings::load(&mut *conn, company.id).await?;
    let thresholds = settings.thresholds();
    // The week the period starts in counts towards the weekly threshold from its start.
    let from = week_of(start, thresholds.week_starts_on).min(start);
    let until = end.saturating_add(Span::new().days(1));
    let (from, until) = (day_start(from, &zone)?, day_start(until, &zone)?);
    let rows: Vec<WorkedRow> = sqlx::query_as(
        "SELECT id, user_id, start_at, end_at, location_id, position_id FROM time_entries \
         WHERE company_id = $1 AND end_at IS NOT NULL AND start_at >= $2 AND start_at < $3 \
         ORDER BY user_id, start_at, id",
    )
    .bind(company.id)
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    let breaks = row::breaks_of_finished_between(&mut *conn, company.id, from, until).await?;
    let view = View::load(&mut *conn, company.id).await?;
    let rates = RateBook::load(&mut *conn, company.id).await?;

    let mut by_user: BTreeMap<i64, Vec<Work>> = BTreeMap::new();
    for row in &rows {
        let day = day_at(row.start_at, &zone)?;
        let own_breaks = breaks.get(&row.id).map_or(&[][..], Vec::as_slice);
        let entry = Stretch {
            start: row.start_at,
            end: row.end_at,
        };
        by_user.entry(row.user_id).or_default().push(Work {
            day,
            minutes: view
                .rounded_worked_minutes(row.location_id, entry, own_breaks)?
                .unwrap_or(0),
            rate_cents: rates.for_entry(row.user_id, row.position_id).hourly_cents(),
            in_period: day >= start,
        });
    }
    let leave: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT r.user_id, CAST(SUM(r.minutes) AS BIGINT) FROM leave_requests r JOIN leave_types t \
         ON t.company_id = r.company_id AND t.id = r.leave_type_id \
         WHERE r.company_id = $1 AND r.status = 'approved' AND t.is_paid = 1 \
         AND r.start_date >= $2 AND r.start_date <= $3 GROUP BY r.user_id",
    )
    .bind(company.id)
    .bind(start.to_string())
    .bind(end.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let leave: HashMap<i64, i64> = leave.into_iter().collect();
    let mut users: Vec<i64> = by_user
        .iter()
        .filter(|(_, work)| work.iter().any(|w| w.in_period))
        .map(|(user, _)| *user)
        .chain(leave.keys().copied())
        .collect();
    users.sort_unstable();
    users.dedup();
    let holidays: Vec<Date> = days_off::holidays(
        &mut *conn,
        company.id,
        company.holiday_country.as_deref(),
        None,
        start,
        end,
    )
    .await?
    .into_iter()
    .map(|(day, _)| day)
    .collect();
    let books = if holidays.is_empty() {
        HashMap::new()
    } else {
        patterns::books_of_many(&mut *conn, company.id, &users).await?
    };
    let mut hours = Vec::new();
    for user_id in users {
        let split = split(
            by_user.get(&user_id).map_or(&[][..], Vec::as_slice),
            thresholds,
        );
        let holiday_minutes = books
            .get(&user_id)
            .map_or(0, |book| holiday_minutes(&holidays, |day| book.on(day)));
        let paid = Paid {
            leave_minutes: leave.get(&user_id).copied().unwrap_or(0),
            holiday_minutes,
            own_rate_cents: Rates {
                user: rates.users.get(&user_id).copied(),
                ..Rates::default()
            }
            .hourly_cents(),
        };
        hours.extend(person_hours(user_id, &split, paid));
    }
    Ok(hours)
}

/// What payroll reads of a finished time entry.
#[derive(sqlx::FromRow)]
struct WorkedRow {
    id: i64,
    user_id: i64,
    start_at: i64,
    end_at: Option<i64>,
    location_id: Option<i64>,
    position_id: Option<i64>,
}

/// The company's hourly rates: its people's, their rates per position, and its positions'.
struct RateBook {
    users: HashMap<i64, i64>,
    user_positions: HashMap<(i64, i64), i64>,
    positions: HashMap<i64, i64>,
}

impl RateBook {
    async fn load(conn: &mut AnyConnection, company_id: i64) -> Result<Self> {
        let users: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, hourly_rate_cents FROM users \
             WHERE company_id = $1 AND hourly_rate_cents IS NOT NULL",
        )
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
        let user_positions: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT user_id, position_id, hourly_rate_cents FROM user_positions \
             WHERE company_id = $1 AND hourly_rate_cents IS NOT NULL",
        )
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
        let positions: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, hourly_rate_cents FROM positions \
             WHERE company_id = $1 AND hourly_rate_cents IS NOT NULL",
        )
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
        Ok(Self {
            users: users.into_iter().collect(),
            user_positions: user_positions
                .into_iter()
                .map(|(user, position, rate)| ((user, position), rate))
                .collect(),
            positions: positions.into_iter().collect(),
        })
    }

    /// The rates that could pay time `user_id` worked in `position_id`.
    fn for_entry(&self, user_id: i64, position_id: Option<i64>) -> Rates {
        Rates {
            user_in_position: position_id
                .and_then(|p| self.user_positions.get(&(user_id, p)).copied()),
            user: self.users.get(&user_id).copied(),
            position: position_id.and_then(|p| self.positions.get(&p).copied()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payroll::split::Thresholds;
    use crate::people::types::Weekday;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn a_holiday_pays_the_minutes_of_its_weekday_in_the_pattern_in_force() {
        let monday = date(2026, 5, 4);
        let saturday = date(2026, 5, 9);
        let office = |_| WeekMinutes::OFFICE;
        assert_eq!(holiday_minutes(&[monday], office), 450);
        assert_eq!(holiday_minutes(&[saturday], office), 0, "not a working day");
        let part_time = WeekMinutes([240, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            holiday_minutes(&[monday, saturday], |day| if day >= monday {
                part_time
            } else {
                WeekMinutes::OFFICE
            }),
            240
        );
    }

    #[test]
    fn leave_and_holidays_are_paid_at_the_users_own_rate_and_empty_types_are_left_out() {
        let split = Split {
            regular_minutes: 120,
            regular_cost_cents: 2_400,
            regular_rate_cents: 1_200,
            ..Split::default()
        };
        let paid = Paid {
            leave_minutes: 0,
            holiday_minutes: 450,
            own_rate_cents: 2_000,
        };
        assert_eq!(
            person_hours(7, &split, paid),
            vec![
                PayrollHours {
                    user_id: 7,
                    kind: HoursType::Regular,
                    minutes: 120,
                    rate_cents: 1_200,
                    cost_cents: 2_400
                },
                PayrollHours {
                    user_id: 7,
                    kind: HoursType::Holiday,
                    minutes: 450,
                    rate_cents: 2_000,
                    cost_cents: 15_000
                },
            ]
        );
    }

    proptest! {
        /// However the time falls, regular and overtime add up to the time worked in the
        /// period, and the person's rows add up to worked time, leave and holidays, in
        /// minutes and in cost.
        #[test]
        fn hours_by_type_add_up(
            items in prop::collection::vec((0..14i64, 0..900i64, 0..5_000i64), 0..20),
            daily in prop::sample::select(vec![0i64, 480]),
            weekly in prop::sample::select(vec![0i64, 2_400]),
            leave in 0..5_000i64,
            holidays in prop::collection::vec(0..14i64, 0..4),
            own_rate in 0..5_000i64,
        ) {
            let first = date(2026, 6, 1);
            let day = |n: i64| first.saturating_add(Span::new().days(n));
            let work: Vec<Work> = items
                .iter()
                .map(|&(d, minutes, rate_cents)| Work { day: day(d), minutes, rate_cents, in_period: true })
                .collect();
            let thresholds = Thresholds {
                daily_minutes: daily,
                weekly_minutes: weekly,
                week_starts_on: Weekday::Monday,
                multiplier: 150,
            };
            let worked: i64 = work.iter().map(|w| w.minutes).sum();
            let split = split(&work, thresholds);
            prop_assert_eq!(split.regular_minutes + split.overtime_minutes, worked);
            let holidays: Vec<Date> = holidays.into_iter().map(day).collect();
            let holiday = holiday_minutes(&holidays, |_| WeekMinutes::OFFICE);
            let paid = Paid { leave_minutes: leave, holiday_minutes: holiday, own_rate_cents: own_rate };
            let rows = person_hours(1, &split, paid);
            let of = |kind: HoursType| rows.iter().filter(|r| r.kind == kind).map(|r| r.minutes).sum::<i64>();
            prop_assert_eq!(of(HoursType::Regular) + of(HoursType::Overtime), worked);
            prop_assert_eq!(rows.iter().map(|r| r.minutes).sum::<i64>(), worked + leave + holiday);
            prop_assert_eq!(
                rows.iter().map(|r| r.cost_cents).sum::<i64>(),
                split.regular_cost_cents + split.overtime_cost_cents
                    + cost(leave, own_rate) + cost(holiday, own_rate)
            );
            prop_assert!(rows.iter().all(|r| r.minutes > 0 && r.rate_cents >= 0));
        }
    }
}
