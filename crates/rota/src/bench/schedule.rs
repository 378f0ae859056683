//! The schedule and the time clock under load. One location's next week is built through
//! the API: up to 500 of its people with a shift a day each, a fifth of them from a
//! repeating shift (published) and the rest drafts with a lunch break: 3,500 shifts at
//! 2,500 people or more. Then the week is read in one call (`GET /api/v1/schedule`), the
//! week is published and taken back (each timed once: it writes every shift, its history
//! and a mail per person, and the first read after each is timed too), and staff clock in
//! and out.

use std::time::{Duration, Instant};

use anyhow::Context;
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use serde_json::{Value, json};

use super::load::Scenario;
use super::seed::{self, Seeded};
use super::{MAX_LOGIN_CONCURRENCY, fetch_json, scenario, scenario_by_turn, sign_in};

/// The most people of the location given a week of shifts.
const PEOPLE: usize = 500;
/// One person in this many works from a repeating shift.
const REPEATING_ONE_IN: usize = 5;
/// Shifts per bulk call (the API's most).
const BULK: usize = 500;

/// The week built.
pub struct ScheduleSeeded {
    location_id: i64,
    /// The week as RFC 3339 instants, Monday 00:00 UTC to the next.
    from: String,
    to: String,
    pub people: usize,
    /// Stored shifts and occurrences of repeating shifts in the week.
    pub shifts: usize,
    pub occurrences: usize,
}

/// Builds next week at the first location, as the owner (`token`).
pub async fn seed(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    seeded: &Seeded,
) -> anyhow::Result<ScheduleSeeded> {
    let location_id = *seeded.location_ids.first().context("a location")?;
    let people: Vec<i64> = (0..seeded.user_ids.len() - 1)
        .filter(|n| seed::location_of(*n) == 0)
        .map(|n| seeded.user_ids[n + 1])
        .take(PEOPLE)
        .collect();
    let monday = next_monday(jiff::Zoned::now().date())?;
    let instant = |day: Date, hour: i8| -> anyhow::Result<String> {
        Ok(day
            .at(hour, 0, 0, 0)
            .to_zoned(TimeZone::UTC)?
            .timestamp()
            .to_string())
    };
    let mut singles = Vec::new();
    let mut chains = 0;
    for (k, user_id) in people.iter().enumerate() {
        let hour = 6 + (k % 8) as i8;
        if k % REPEATING_ONE_IN == 0 {
            let until = monday.checked_add(27.days())?;
            fetch_json(
                client
                    .post(format!("{base}/api/v1/shift-chains"))
                    .bearer_auth(token)
                    .json(&json!({"user_id": user_id, "location_id": location_id,
                        "starts_at": instant(monday, hour)?, "ends_at": instant(monday, hour + 8)?,
                        "time_zone": "UTC", "weekdays": 127, "until": until.to_string(),
                        "published": true, "override": true})),
            )
            .await
            .context("making a repeating shift")?;
            chains += 1;
            continue;
        }
        for d in 0..7 {
            let day = monday.checked_add(d.days())?;
            singles.push(json!({"user_id": user_id, "location_id": location_id,
                "starts_at": instant(day, hour)?, "ends_at": instant(day, hour + 8)?,
                "breaks": [{"length_minutes": 30, "starts_at": instant(day, hour + 4)?}],
                "override": true}));
        }
    }
    for batch in singles.chunks(BULK) {
        fetch_json(
            client
                .post(format!("{base}/api/v1/shifts/bulk"))
                .bearer_auth(token)
                .json(&Value::Array(batch.to_vec())),
        )
        .await
        .context("making a batch of shifts")?;
    }
    Ok(ScheduleSeeded {
        location_id,
        from: instant(monday, 0)?,
        to: instant(monday.checked_add(7.days())?, 0)?,
        people: people.len(),
        shifts: singles.len(),
        occurrences: chains * 7,
    })
}

/// The first Monday after `day`.
fn next_monday(day: Date) -> anyhow::Result<Date> {
    Ok(day.nth_weekday(1, Weekday::Monday)?)
}

/// The location's week in one read, as the owner.
pub fn read_scenario(
    base: &str,
    token: &str,
    week: &ScheduleSeeded,
    concurrency: usize,
) -> Scenario {
    let url = format!(
        "{base}/api/v1/schedule?location_id={}&from={}&to={}",
        week.location_id, week.from, week.to
    );
    let token = token.to_owned();
    scenario(
        "GET /api/v1/schedule (a location's week)".into(),
        concurrency,
        move |client| client.get(&url).bearer_auth(&token),
    )
}

/// Publishes the week and takes it back, once each, and says how long each took, and how
/// long the first read of the week after each took: what a read costs when the schedule
/// has just changed, as nothing rendered before the change is served after it.
pub async fn publish_once(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    week: &ScheduleSeeded,
) -> anyhow::Result<Vec<(String, Duration)>> {
    let read = format!(
        "{base}/api/v1/schedule?location_id={}&from={}&to={}",
        week.location_id, week.from, week.to
    );
    let mut timed = Vec::new();
    for action in ["publish", "unpublish"] {
        let started = Instant::now();
        let summary = fetch_json(
            client
                .post(format!("{base}/api/v1/shifts/{action}"))
                .bearer_auth(token)
                .json(&json!({"location_id": week.location_id, "from": week.from, "to": week.to})),
        )
        .await
        .with_context(|| format!("the {action} of the week"))?;
        let took = started.elapsed();
        let count = |key: &str| summary[key].as_array().map_or(0, Vec::len);
        timed.push((
            format!(
                "POST /api/v1/shifts/{action} (the week: {} shifts, {} people told)",
                count("shift_ids"),
                count("notified_user_ids")
            ),
            took,
        ));
        let started = Instant::now();
        client
            .get(&read)
            .bearer_auth(token)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .with_context(|| format!("the week read after the {action}"))?
            .bytes()
            .await?;
        timed.push((
            format!("GET /api/v1/schedule (the week, first read after the {action})"),
            started.elapsed(),
        ));
    }
    Ok(timed)
}

/// Staff clocking in and out, a person per worker, each with their own session: a
/// worker's requests never overlap, so each clock-out follows its clock-in. `staff` are
/// the seeded indexes of people who are not approvers.
pub async fn clock_scenario(
    client: &reqwest::Client,
    base: &str,
    staff: std::ops::Range<usize>,
    concurrency: usize,
) -> anyhow::Result<Scenario> {
    let people: Vec<usize> = staff.take(concurrency).collect();
    let mut tokens = Vec::with_capacity(people.len());
    for group in people.chunks(MAX_LOGIN_CONCURRENCY) {
        tokens.extend(sign_in_all(client, base, group).await?);
    }
    let (clock_in, clock_out) = (
        format!("{base}/api/v1/times/clock-in"),
        format!("{base}/api/v1/times/clock-out"),
    );
    Ok(scenario_by_turn(
        "POST /api/v1/times/clock-in, then clock-out (a person per worker)".into(),
        tokens.len(),
        move |client, turn| {
            let url = if turn.sent.is_multiple_of(2) {
                &clock_in
            } else {
                &clock_out
            };
            client
                .post(url)
                .bearer_auth(&tokens[turn.worker])
                .json(&json!({}))
        },
    ))
}

/// Signs in the seeded people `group` at once.
async fn sign_in_all(
    client: &reqwest::Client,
    base: &str,
    group: &[usize],
) -> anyhow::Result<Vec<String>> {
    let mut tasks = tokio::task::JoinSet::new();
    for (slot, n) in group.iter().enumerate() {
        let (client, base, email) = (client.clone(), base.to_owned(), seed::email(*n));
        tasks.spawn(async move { (slot, sign_in(&client, &base, &email).await) });
    }
    let mut tokens = vec![String::new(); group.len()];
    while let Some(joined) = tasks.join_next().await {
        let (slot, token) = joined?;
        tokens[slot] = token?;
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn next_week_starts_on_the_first_monday_after_today() {
        assert_eq!(next_monday(date(2026, 11, 30)).unwrap(), date(2026, 12, 7));
        assert_eq!(next_monday(date(2026, 12, 6)).unwrap(), date(2026, 12, 7));
    }
}
