//! The hours worked in a payroll period, per person and type, with their cost: gathered
//! from the company's finished time entries and split by [`super::split`].
//!
//! An entry counts on the day it starts in the company's time zone, with its rounded
//! worked minutes (the company's rounding rules, breaks taken off), at the rate
//! [`super::rates`] picks for its user and position. Running entries do not count until
//! they end. Paid leave is the working minutes of the approved requests of a paid leave
//! type that start in the period (a request is counted whole in the period it starts in),
//! at the user's own rate.

use std::collections::{BTreeMap, HashMap};

use jiff::Span;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use sqlx::AssertSqlSafe;
use utoipa::ToSchema;

use super::period::PayrollPeriod;
use super::rates::Rates;
use super::settings;
use super::split::{Work, cost, split, week_of};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::people::types::text_enum;
use crate::time::{day_at, day_start};
use crate::time_clock::row::{self, COLUMNS, EntryRow, View};

text_enum! {
    /// A kind of paid time: regular, overtime (past the company's daily or weekly
    /// threshold, paid at its multiplier) or paid leave.
    HoursType { Regular = "regular", Overtime = "overtime", PaidLeave = "paid_leave" }
}

impl HoursType {
    pub const ALL: [HoursType; 3] = [Self::Regular, Self::Overtime, Self::PaidLeave];
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

    let mut by_user: BTreeMap<i64, Vec<Work>> = BTreeMap::new();
    for (row, entry) in rows.iter().zip(&entries) {
        let day = day_at(row.start_at, zone)?;
        by_user.entry(row.user_id).or_default().push(Work {
            day,
            minutes: entry.rounded_worked_minutes.unwrap_or(0),
            rate_cents: rates.for_entry(row).hourly_cents(),
            in_period: day >= period.start_date,
        });
    }
    let leave: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT r.user_id, CAST(SUM(r.minutes) AS BIGINT) FROM leave_requests r JOIN leave_types t \
         ON t.company_id = r.company_id AND t.id = r.leave_type_id \
         WHERE r.company_id = $1 AND r.status = 'approved' AND t.is_paid = 1 \
         AND r.start_date >= $2 AND r.start_date <= $3 GROUP BY r.user_id",
    )
    .bind(company_id)
    .bind(period.start_date.to_string())
    .bind(period.end_date.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let leave: HashMap<i64, i64> = leave.into_iter().collect();
    let mut users: Vec<i64> = by_user.keys().chain(leave.keys()).copied().collect();
    users.sort_unstable();
    users.dedup();
    let mut hours = Vec::new();
    for user_id in users {
        let split = split(
            by_user.get(&user_id).map_or(&[][..], Vec::as_slice),
            thresholds,
        );
        let leave_minutes = leave.get(&user_id).copied().unwrap_or(0);
        let leave_rate = Rates {
            user: rates.users.get(&user_id).copied(),
            ..Rates::default()
        };
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
            (
                HoursType::PaidLeave,
                leave_minutes,
                cost(leave_minutes, leave_rate.hourly_cents()),
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
