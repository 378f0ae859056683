//! A company's time-clock rules: how clock-ins and clock-outs are rounded. Kept in their
//! own table, one row per company that changed them; a company without one rounds
//! nothing (1 minute, nearest). Everyone reads them; super users set them.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use super::rounding::{Increment, Rounding, Rule};
use crate::access::audit::{self, AuditAction};
use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::policy::{Action, Actor, Target, may};

/// How a company rounds clock times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct TimeClockSettings {
    /// Clock-ins are rounded to this many minutes.
    #[schema(value_type = crate::openapi::RoundingIncrement)]
    pub clock_in_increment: Increment,
    pub clock_in_rounding: Rounding,
    /// Clock-outs are rounded to this many minutes.
    #[schema(value_type = crate::openapi::RoundingIncrement)]
    pub clock_out_increment: Increment,
    pub clock_out_rounding: Rounding,
}

impl Default for TimeClockSettings {
    fn default() -> Self {
        Self {
            clock_in_increment: Increment::ONE_MINUTE,
            clock_in_rounding: Rounding::Nearest,
            clock_out_increment: Increment::ONE_MINUTE,
            clock_out_rounding: Rounding::Nearest,
        }
    }
}

impl TimeClockSettings {
    pub fn clock_in(&self) -> Rule {
        Rule {
            increment: self.clock_in_increment,
            rounding: self.clock_in_rounding,
        }
    }

    pub fn clock_out(&self) -> Rule {
        Rule {
            increment: self.clock_out_increment,
            rounding: self.clock_out_rounding,
        }
    }
}

/// The rules to set, all four at once.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeClockSettingsInput {
    #[schema(value_type = crate::openapi::RoundingIncrement)]
    pub clock_in_increment: i64,
    pub clock_in_rounding: Rounding,
    #[schema(value_type = crate::openapi::RoundingIncrement)]
    pub clock_out_increment: i64,
    pub clock_out_rounding: Rounding,
}

impl TimeClockSettingsInput {
    fn parse(self) -> Result<TimeClockSettings> {
        Ok(TimeClockSettings {
            clock_in_increment: Increment::parse("clock_in_increment", self.clock_in_increment)?,
            clock_in_rounding: self.clock_in_rounding,
            clock_out_increment: Increment::parse("clock_out_increment", self.clock_out_increment)?,
            clock_out_rounding: self.clock_out_rounding,
        })
    }
}

#[derive(FromRow)]
struct SettingsRow {
    #[sqlx(try_from = "i64")]
    clock_in_increment: Increment,
    #[sqlx(try_from = "String")]
    clock_in_rounding: Rounding,
    #[sqlx(try_from = "i64")]
    clock_out_increment: Increment,
    #[sqlx(try_from = "String")]
    clock_out_rounding: Rounding,
}

/// The company's rules, or the defaults where it set none.
pub(crate) async fn load(
    executor: impl sqlx::AnyExecutor<'_>,
    company_id: i64,
) -> Result<TimeClockSettings> {
    let row: Option<SettingsRow> = sqlx::query_as(
        "SELECT clock_in_increment, clock_in_rounding, clock_out_increment, clock_out_rounding \
         FROM time_clock_settings WHERE company_id = $1",
    )
    .bind(company_id)
    .fetch_optional(executor)
    .await?;
    Ok(
        row.map_or_else(TimeClockSettings::default, |row| TimeClockSettings {
            clock_in_increment: row.clock_in_increment,
            clock_in_rounding: row.clock_in_rounding,
            clock_out_increment: row.clock_out_increment,
            clock_out_rounding: row.clock_out_rounding,
        }),
    )
}

pub async fn get(db: &Db, actor: &Actor) -> Result<TimeClockSettings> {
    if !may(
        actor,
        Action::ViewCompany,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden("you may not view this company"));
    }
    load(db.pool(), actor.company_id).await
}

/// Sets the company's rules; they apply to every entry read from now on.
pub async fn set(
    db: &Db,
    actor: &Actor,
    input: TimeClockSettingsInput,
) -> Result<TimeClockSettings> {
    if !may(
        actor,
        Action::UpdateCompany,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden(
            "only a super user may change the time clock",
        ));
    }
    let settings = input.parse()?;
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO time_clock_settings (company_id, clock_in_increment, clock_in_rounding, clock_out_increment, \
         clock_out_rounding, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (company_id) DO UPDATE SET clock_in_increment = excluded.clock_in_increment, \
         clock_in_rounding = excluded.clock_in_rounding, clock_out_increment = excluded.clock_out_increment, \
         clock_out_rounding = excluded.clock_out_rounding, updated_at = excluded.updated_at",
    )
    .bind(actor.company_id)
    .bind(settings.clock_in_increment.minutes())
    .bind(settings.clock_in_rounding.as_str())
    .bind(settings.clock_out_increment.minutes())
    .bind(settings.clock_out_rounding.as_str())
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::TimeClockSettingsChanged,
        Some(("company", actor.company_id)),
        serde_json::to_value(settings).map_err(|e| Error::Internal(e.to_string().into()))?,
    )
    .await?;
    tx.commit().await?;
    Ok(settings)
}
