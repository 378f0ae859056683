//! A company's payroll rule: how often it pays and from which day ([`PeriodRule`]), when
//! worked time becomes overtime (past a number of minutes on a day and/or in a week, each
//! off at 0) and what overtime is paid at. Kept in its own table, one row per company that
//! set it; a company without one pays weekly from Monday 1 January 2024, with no overtime.
//! Everyone reads it; super users set it.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use super::periods::{Frequency, PeriodRule};
use super::split::Thresholds;
use crate::access::audit::{self, AuditAction};
use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::people::types::Weekday;
use crate::policy::{Action, Actor, Target, may};
use crate::stored;
use crate::validate;

/// The most a daily threshold may be: a whole day.
pub const MAX_DAILY_MINUTES: i64 = 24 * 60;
/// The most a weekly threshold may be: a whole week.
pub const MAX_WEEKLY_MINUTES: i64 = 7 * 24 * 60;
/// Overtime is paid at least at the regular rate (100) and at most at ten times it.
pub const MULTIPLIER_RANGE: (i64, i64) = (100, 1000);

/// How a company pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct PayrollSettings {
    pub frequency: Frequency,
    /// The day the first period starts; periods repeat from it (and before it).
    /// Semi-monthly periods start on the 1st or the 16th.
    #[schema(value_type = String, format = Date, example = "2026-01-05")]
    pub first_day: Date,
    /// Minutes worked on one day past which the rest is overtime; 0: no daily overtime.
    #[schema(minimum = 0, maximum = 1440)]
    pub daily_overtime_minutes: i64,
    /// Minutes worked in one week past which the rest is overtime; 0: no weekly overtime.
    #[schema(minimum = 0, maximum = 10080)]
    pub weekly_overtime_minutes: i64,
    /// The day the weeks of the weekly threshold start on.
    pub week_starts_on: Weekday,
    /// Overtime is paid at this percentage of the hourly rate (150: time and a half).
    #[schema(minimum = 100, maximum = 1000)]
    pub overtime_multiplier: i64,
}

impl Default for PayrollSettings {
    fn default() -> Self {
        Self {
            frequency: Frequency::Weekly,
            first_day: jiff::civil::date(2024, 1, 1),
            daily_overtime_minutes: 0,
            weekly_overtime_minutes: 0,
            week_starts_on: Weekday::Monday,
            overtime_multiplier: 150,
        }
    }
}

impl PayrollSettings {
    /// The pay-period rule (a stored one was checked when it was set).
    pub fn periods(&self) -> Result<PeriodRule> {
        PeriodRule::parse(self.frequency, self.first_day)
    }

    /// When time becomes overtime, and what it is paid at.
    pub fn thresholds(&self) -> Thresholds {
        Thresholds {
            daily_minutes: self.daily_overtime_minutes,
            weekly_minutes: self.weekly_overtime_minutes,
            week_starts_on: self.week_starts_on,
            multiplier: self.overtime_multiplier,
        }
    }
}

/// The rule to set, every field at once.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayrollSettingsInput {
    pub frequency: Frequency,
    /// `YYYY-MM-DD`; for a semi-monthly rule the 1st or the 16th.
    #[schema(format = Date, example = "2026-01-05")]
    pub first_day: String,
    #[schema(minimum = 0, maximum = 1440)]
    pub daily_overtime_minutes: i64,
    #[schema(minimum = 0, maximum = 10080)]
    pub weekly_overtime_minutes: i64,
    pub week_starts_on: Weekday,
    #[schema(minimum = 100, maximum = 1000)]
    pub overtime_multiplier: i64,
}

impl PayrollSettingsInput {
    fn parse(self) -> Result<PayrollSettings> {
        let first_day = validate::date("first_day", &self.first_day)?;
        let rule = PeriodRule::parse(self.frequency, first_day)?;
        let (lowest, highest) = MULTIPLIER_RANGE;
        Ok(PayrollSettings {
            frequency: rule.frequency(),
            first_day: rule.first_day(),
            daily_overtime_minutes: validate::within(
                "daily_overtime_minutes",
                self.daily_overtime_minutes,
                0,
                MAX_DAILY_MINUTES,
            )?,
            weekly_overtime_minutes: validate::within(
                "weekly_overtime_minutes",
                self.weekly_overtime_minutes,
                0,
                MAX_WEEKLY_MINUTES,
            )?,
            week_starts_on: self.week_starts_on,
            overtime_multiplier: validate::within(
                "overtime_multiplier",
                self.overtime_multiplier,
                lowest,
                highest,
            )?,
        })
    }
}

#[derive(FromRow)]
struct SettingsRow {
    #[sqlx(try_from = "String")]
    frequency: Frequency,
    #[sqlx(try_from = "stored::Day")]
    first_day: Date,
    daily_overtime_minutes: i64,
    weekly_overtime_minutes: i64,
    #[sqlx(try_from = "String")]
    week_starts_on: Weekday,
    overtime_multiplier: i64,
}

/// The company's rule, or the defaults where it set none.
pub(crate) async fn load(
    executor: impl sqlx::AnyExecutor<'_>,
    company_id: i64,
) -> Result<PayrollSettings> {
    let row: Option<SettingsRow> = sqlx::query_as(
        "SELECT frequency, first_day, daily_overtime_minutes, weekly_overtime_minutes, week_starts_on, \
         overtime_multiplier FROM payroll_settings WHERE company_id = $1",
    )
    .bind(company_id)
    .fetch_optional(executor)
    .await?;
    Ok(
        row.map_or_else(PayrollSettings::default, |row| PayrollSettings {
            frequency: row.frequency,
            first_day: row.first_day,
            daily_overtime_minutes: row.daily_overtime_minutes,
            weekly_overtime_minutes: row.weekly_overtime_minutes,
            week_starts_on: row.week_starts_on,
            overtime_multiplier: row.overtime_multiplier,
        }),
    )
}

pub async fn get(db: &Db, actor: &Actor) -> Result<PayrollSettings> {
    if !may(
        actor,
        Action::ViewCompany,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden("you may not view this company"));
    }
    load(db.pool(), actor.company_id).await
}

/// Sets the company's rule; periods cut from now on follow it.
pub async fn set(db: &Db, actor: &Actor, input: PayrollSettingsInput) -> Result<PayrollSettings> {
    if !may(
        actor,
        Action::UpdateCompany,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden(
            "only a super user may change the payroll rule",
        ));
    }
    let settings = input.parse()?;
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO payroll_settings (company_id, frequency, first_day, daily_overtime_minutes, \
         weekly_overtime_minutes, week_starts_on, overtime_multiplier, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (company_id) DO UPDATE SET frequency = excluded.frequency, \
         first_day = excluded.first_day, daily_overtime_minutes = excluded.daily_overtime_minutes, \
         weekly_overtime_minutes = excluded.weekly_overtime_minutes, \
         week_starts_on = excluded.week_starts_on, overtime_multiplier = excluded.overtime_multiplier, \
         updated_at = excluded.updated_at",
    )
    .bind(actor.company_id)
    .bind(settings.frequency.as_str())
    .bind(settings.first_day.to_string())
    .bind(settings.daily_overtime_minutes)
    .bind(settings.weekly_overtime_minutes)
    .bind(settings.week_starts_on.as_str())
    .bind(settings.overtime_multiplier)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::PayrollSettingsChanged,
        Some(("company", actor.company_id)),
        serde_json::to_value(settings).map_err(|e| Error::Internal(e.to_string().into()))?,
    )
    .await?;
    tx.commit().await?;
    Ok(settings)
}
