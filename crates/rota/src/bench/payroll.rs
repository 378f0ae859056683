//! The payroll part of the benchmark: a month of time for some of the seeded staff (one
//! finished, approved entry a day each, about 300,000 at 10,000 people, a third with a
//! lunch break), written straight to the database, in last month's payroll period under a
//! monthly rule with daily and weekly overtime; then the period read while open (its hours
//! worked out), closed (the same, plus the snapshot written) and exported as CSV, each
//! timed once through the API.

use std::time::{Duration, Instant};

use anyhow::Context;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rota_core::Db;
use rota_core::db::now;
use serde::Serialize;
use serde_json::json;

/// Rows per INSERT statement (8 values each).
const ROWS_PER_INSERT: usize = 500;

/// What was seeded and how long each step took.
#[derive(Debug, Serialize)]
pub struct PayrollRun {
    pub people: usize,
    pub time_entries: usize,
    pub period: String,
    pub seeding_seconds: f64,
    /// Reading the open period: every entry's hours worked out.
    pub read_open_seconds: f64,
    /// Closing it: the same, and the snapshot written.
    pub close_seconds: f64,
    /// The closed period's CSV, read from the snapshot.
    pub export_seconds: f64,
    /// Rows of the CSV, the header aside: one per person and type.
    pub csv_rows: usize,
}

/// Last month's period for `people` (user ids), seeded: its id, the month's first day and
/// the entries written.
async fn seed(
    db: &Db,
    (company_id, owner_id): (i64, i64),
    people: &[i64],
) -> anyhow::Result<(i64, Date, usize)> {
    let zone = TimeZone::get("Europe/London")?;
    let this_month = jiff::Zoned::now()
        .with_time_zone(zone.clone())
        .date()
        .first_of_month();
    let first = this_month.checked_sub(jiff::Span::new().months(1))?;
    let last = this_month.yesterday()?;
    let stamp = now();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO payroll_settings (company_id, frequency, first_day, daily_overtime_minutes, \
         weekly_overtime_minutes, week_starts_on, overtime_multiplier, updated_at) \
         VALUES ($1, 'monthly', $2, 480, 2400, 'monday', 150, $3)",
    )
    .bind(company_id)
    .bind(first.to_string())
    .bind(stamp)
    .execute(&mut *tx)
    .await?;
    let period_id: i64 = sqlx::query_scalar(
        "INSERT INTO payroll_periods (company_id, start_date, end_date, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(company_id)
    .bind(first.to_string())
    .bind(last.to_string())
    .bind(stamp)
    .fetch_one(&mut *tx)
    .await?;
    // One entry a day each, from about 09:00 to about 17:00 (a person's days vary by up to
    // an hour and a half, so some cross the daily threshold), approved.
    let mut rows: Vec<(i64, i64, i64)> = Vec::new();
    for (n, user_id) in people.iter().enumerate() {
        let mut day = first;
        while day <= last {
            let start = day
                .at(9, 0, 0, 0)
                .to_zoned(zone.clone())?
                .timestamp()
                .as_second()
                + 60 * ((n as i64 * 7 + i64::from(day.day())) % 31);
            let length = 7 * 3600 + 60 * 15 * ((n as i64 + i64::from(day.day())) % 7);
            rows.push((*user_id, start, start + length));
            day = day.tomorrow()?;
        }
    }
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let tuples: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 3;
                format!(
                    "($1, ${}, ${}, ${}, 0, $2, $3, $2, $2, $3, $3)",
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO time_entries (company_id, user_id, start_at, end_at, cash_tips, approved_by, \
             approved_at, created_by, updated_by, created_at, updated_at) VALUES {}",
            tuples.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(company_id)
            .bind(owner_id)
            .bind(stamp);
        for (user_id, start, end) in chunk {
            query = query.bind(*user_id).bind(*start).bind(*end);
        }
        query.execute(&mut *tx).await?;
    }
    // A lunch break of half an hour, three and a half hours in, on a third of them.
    sqlx::query(
        "INSERT INTO time_entry_breaks (company_id, time_entry_id, start_at, end_at) \
         SELECT company_id, id, start_at + 12600, start_at + 14400 FROM time_entries \
         WHERE company_id = $1 AND id % 3 = 0",
    )
    .bind(company_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((period_id, first, rows.len()))
}

/// Seeds a month of time for `people` and times the period's read, close and export as
/// `token` (a super user) at `base`.
pub async fn run(
    db: &Db,
    client: &reqwest::Client,
    base: &str,
    token: &str,
    people: &[i64],
) -> anyhow::Result<PayrollRun> {
    let company: (i64, i64) =
        sqlx::query_as("SELECT id, owner_id FROM companies ORDER BY id LIMIT 1")
            .fetch_one(db.pool())
            .await?;
    let started = Instant::now();
    let (period_id, first, entries) = seed(db, company, people).await?;
    let seeding = started.elapsed();
    let path = format!("{base}/api/v1/payroll-periods/{period_id}");
    let (read_open, open) = timed(client.get(&path).bearer_auth(token)).await?;
    let (close, closed) = timed(
        client
            .post(format!("{path}/close"))
            .bearer_auth(token)
            .json(&json!({})),
    )
    .await?;
    let open: serde_json::Value = serde_json::from_str(&open).context("the open period")?;
    let closed: serde_json::Value = serde_json::from_str(&closed).context("the closed period")?;
    anyhow::ensure!(
        open["total_cost_cents"] == closed["total_cost_cents"] && closed["status"] == "closed",
        "the closed period's snapshot differs from its hours while open"
    );
    let (export, csv) = timed(client.get(format!("{path}/export.csv")).bearer_auth(token)).await?;
    Ok(PayrollRun {
        people: people.len(),
        time_entries: entries,
        period: format!("{first} to {}", open["end_date"].as_str().unwrap_or("?")),
        seeding_seconds: seeding.as_secs_f64(),
        read_open_seconds: read_open.as_secs_f64(),
        close_seconds: close.as_secs_f64(),
        export_seconds: export.as_secs_f64(),
        csv_rows: csv.lines().count().saturating_sub(1),
    })
}

/// Sends `request` once: how long the answer took, in full, and its body; not 2xx fails.
async fn timed(request: reqwest::RequestBuilder) -> anyhow::Result<(Duration, String)> {
    let started = Instant::now();
    let response = request.send().await?;
    let status = response.status();
    let body = response.text().await?;
    let took = started.elapsed();
    anyhow::ensure!(status.is_success(), "{status}: {body}");
    Ok((took, body))
}
