//! The hours worked in a payroll period, per person and type, with their cost: gathered
//! from the company's finished time entries and split by [`super::split`].
//!
//! An entry counts on the day it starts in the company's time zone, with its rounded
//! worked minutes (the company's rounding rules, breaks taken off), at the rate
//! [`super::rates`] picks for its user and position. Running entries do not count until
//! they end.

use std::collections::HashMap;

use jiff::Span;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use sqlx::AssertSqlSafe;
use utoipa::ToSchema;

use super::period::PayrollPeriod;
use super::rates::Rates;
use super::settings;
use super::split::{Work, split, week_of};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::people::types::text_enum;
use crate::time::{day_at, day_start};
use crate::time_clock::row::{self, COLUMNS, EntryRow, View};

text_enum! {
    /// A kind of paid time: regular, or overtime (past the company's daily or weekly
    /// threshold, paid at its multiplier).
    HoursType { Regular = "regular", Overtime = "overtime" }
}

/// One person's minutes of one type in a period, and what they cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PayrollHours {
    pub user_id: i64,
    #[serde(rename = "type")]
    pub kind: HoursType,
    pub minutes: i64,
    /// Cents, rounded once per person and type to the nearest cent, half up.
    pub cost_cents: i64,
}

/// Everyone's hours in `period`, by person, then type.
pub(crate) async fn worked(
    db: &Db,
    company_id: i64,
    zone: &TimeZone,
    period: &PayrollPeriod,
) -> Result<Vec<PayrollHours>> {
    let settings = settings::load(db.pool(), company_id).await?;
    let thresholds = settings.thresholds();
    // The week the period starts in counts towards the weekly threshold from its start.
    let from = week_of(period.start_date, thresholds.week_starts_on).min(period.start_date);
    let until = period.end_date.saturating_add(Span::new().days(1));
    let mut conn = db.pool().acquire().await?;
    let rows: Vec<EntryRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM time_entries WHERE company_id = $1 AND end_at IS NOT NULL \
         AND start_at >= $2 AND start_at < $3 ORDER BY user_id, start_at, id"
    )))
    .bind(company_id)
    .bind(day_start(from, zone)?)
    .bind(day_start(until, zone)?)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let breaks = row::breaks_of(&mut conn, company_id, &ids).await?;
    let entries = View::load(&mut conn, company_id)
        .await?
        .render_all(&rows, &breaks)?;
    let rates = RateBook::load(&mut conn, company_id).await?;

    let mut by_user: Vec<(i64, Vec<Work>)> = Vec::new();
    for (row, entry) in rows.iter().zip(&entries) {
        let day = day_at(row.start_at, zone)?;
        let work = Work {
            day,
            minutes: entry.rounded_worked_minutes.unwrap_or(0),
            rate_cents: rates.for_entry(row).hourly_cents(),
            in_period: day >= period.start_date,
        };
        match by_user.last_mut() {
            Some((user, list)) if *user == row.user_id => list.push(work),
            _ => by_user.push((row.user_id, vec![work])),
        }
    }
    let mut hours = Vec::new();
    for (user_id, work) in by_user {
        let split = split(&work, thresholds);
        for (kind, minutes, cost_cents) in [
            (
                HoursType::Regular,
                split.regular_minutes,
                split.regular_cost_cents,
            ),
            (
                HoursType::Overtime,
                split.overtime_minutes,
                split.overtime_cost_cents,
            ),
        ] {
            if minutes > 0 {
                hours.push(PayrollHours {
                    user_id,
                    kind,
                    minutes,
                    cost_cents,
                });
            }
        }
    }
    Ok(hours)
}

/// The company's hourly rates: its people's, their rates per position, and its positions'.
struct RateBook {
    users: HashMap<i64, i64>,
    user_positions: HashMap<(i64, i64), i64>,
    positions: HashMap<i64, i64>,
}

impl RateBook {
    async fn load(conn: &mut sqlx::AnyConnection, company_id: i64) -> Result<Self> {
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

    fn for_entry(&self, entry: &EntryRow) -> Rates {
        Rates {
            user_in_position: entry
                .position_id
                .and_then(|p| self.user_positions.get(&(entry.user_id, p)).copied()),
            user: self.users.get(&entry.user_id).copied(),
            position: entry
                .position_id
                .and_then(|p| self.positions.get(&p).copied()),
        }
    }
}
