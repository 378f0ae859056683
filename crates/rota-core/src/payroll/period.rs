//! Payroll periods: cut from the company's rule ahead of time (the current period and the
//! next exist whenever periods are listed), listed, and read with everyone's hours and pay
//! in them. Only super users see payroll ([`Action::ViewPayroll`]).
//!
//! Cutting is idempotent and safe under races: a period is inserted only where no stored
//! period shares a day with it, and the unique `(company_id, start_date)` index leaves one
//! row when two requests cut the same period at once. A rule changed mid-way therefore
//! takes over from the first day after the stored periods it would overlap.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;
use sqlx::FromRow;
use utoipa::ToSchema;

use super::hours::{self, HoursType, PayrollHours};
use super::settings;
use crate::company;
use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::locks::{self, Owner};
use crate::paging::Page;
use crate::policy::{Action, Actor, Target, may};
use crate::stored;
use crate::time::{rfc3339, today};

/// A payroll period, both days included.
#[derive(Debug, Clone, Serialize, ToSchema, FromRow)]
pub struct PayrollPeriod {
    pub id: i64,
    #[sqlx(try_from = "stored::Day")]
    #[schema(value_type = String, format = Date, example = "2026-06-01")]
    pub start_date: Date,
    #[sqlx(try_from = "stored::Day")]
    #[schema(value_type = String, format = Date, example = "2026-06-07")]
    pub end_date: Date,
    #[serde(skip)]
    #[schema(ignore)]
    pub created_at: i64,
}

/// A payroll period with the hours worked in it, per person and type, and their totals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PayrollPeriodHours {
    #[serde(flatten)]
    pub period: PayrollPeriod,
    /// When the period was cut.
    #[schema(value_type = crate::openapi::Instant)]
    pub created_at: String,
    /// Minutes of every type, everyone's.
    pub total_minutes: i64,
    /// Cents, everyone's.
    pub total_cost_cents: i64,
    /// How many people have hours in the period.
    pub people: i64,
    /// Everyone's minutes and cost per type, for the types with minutes.
    pub totals_by_type: Vec<TypeTotal>,
    /// One row per person and type with minutes in the period, by person, then type.
    pub hours: Vec<PayrollHours>,
}

/// Everyone's minutes and cost of one type in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TypeTotal {
    #[serde(rename = "type")]
    pub kind: HoursType,
    pub minutes: i64,
    pub cost_cents: i64,
}

/// The period's totals per type, in the types' order.
fn totals_by_type(hours: &[PayrollHours]) -> Vec<TypeTotal> {
    HoursType::ALL
        .into_iter()
        .map(|kind| {
            let of_kind = hours.iter().filter(|h| h.kind == kind);
            TypeTotal {
                kind,
                minutes: of_kind.clone().map(|h| h.minutes).sum(),
                cost_cents: of_kind.map(|h| h.cost_cents).sum(),
            }
        })
        .filter(|total| total.minutes > 0)
        .collect()
}

fn may_view(actor: &Actor) -> Result<()> {
    if may(
        actor,
        Action::ViewPayroll,
        Target::Company(actor.company_id),
    ) {
        Ok(())
    } else {
        Err(Error::forbidden("only a super user may see payroll"))
    }
}

fn zone_of(company: &company::Company) -> Result<TimeZone> {
    TimeZone::get(&company.time_zone)
        .map_err(|e| Error::Internal(format!("stored time zone unreadable: {e}").into()))
}

/// Cuts the period of today (in the company's time zone) and the next, where missing.
/// Both are there on almost every call, which then reads and writes nothing: only a
/// missing one takes the write lock. Periods never overlap, a rule that checks, then
/// writes: the company owns it (a rule changed meanwhile cuts from different days).
async fn cut_ahead(db: &Db, company_id: i64) -> Result<()> {
    let company = company::load(db.pool(), company_id).await?;
    let rule = settings::load(db.pool(), company_id).await?.periods()?;
    let current = rule.containing(today(&zone_of(&company)?));
    let wanted = [current, rule.after(current)];
    // How many of the two wanted spans some period already covers a day of.
    let covered: i64 = sqlx::query_scalar(
        "SELECT CAST(CASE WHEN EXISTS (SELECT 1 FROM payroll_periods WHERE company_id = $1 \
         AND start_date <= $3 AND end_date >= $2) THEN 1 ELSE 0 END \
         + CASE WHEN EXISTS (SELECT 1 FROM payroll_periods WHERE company_id = $1 \
         AND start_date <= $5 AND end_date >= $4) THEN 1 ELSE 0 END AS BIGINT)",
    )
    .bind(company_id)
    .bind(wanted[0].start.to_string())
    .bind(wanted[0].end.to_string())
    .bind(wanted[1].start.to_string())
    .bind(wanted[1].end.to_string())
    .fetch_one(db.pool())
    .await?;
    if covered == 2 {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    locks::lock(&mut tx, company_id, [Owner::Company]).await?;
    for period in wanted {
        sqlx::query(
            "INSERT INTO payroll_periods (company_id, start_date, end_date, created_at) \
             SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM payroll_periods \
             WHERE company_id = $1 AND start_date <= $3 AND end_date >= $2) \
             ON CONFLICT (company_id, start_date) DO NOTHING",
        )
        .bind(company_id)
        .bind(period.start.to_string())
        .bind(period.end.to_string())
        .bind(now())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The company's periods by id (the order they were cut in), after cutting today's and
/// the next.
pub async fn list(
    db: &Db,
    actor: &Actor,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<PayrollPeriod>> {
    may_view(actor)?;
    let page = db.page("payroll-periods", limit, cursor).await?;
    cut_ahead(db, actor.company_id).await?;
    let rows: Vec<PayrollPeriod> = sqlx::query_as(
        "SELECT id, start_date, end_date, created_at FROM payroll_periods \
         WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(actor.company_id)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(db.pool())
    .await?;
    Ok(page.finish(rows, |p| p.id))
}

/// One period with everyone's hours in it.
pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<PayrollPeriodHours> {
    may_view(actor)?;
    let period: PayrollPeriod = sqlx::query_as(
        "SELECT id, start_date, end_date, created_at FROM payroll_periods \
         WHERE company_id = $1 AND id = $2",
    )
    .bind(actor.company_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| Error::not_found("payroll period"))?;
    let company = company::load(db.pool(), actor.company_id).await?;
    let hours = hours::worked(db, actor.company_id, &zone_of(&company)?, &period).await?;
    Ok(PayrollPeriodHours {
        created_at: rfc3339(period.created_at),
        total_minutes: hours.iter().map(|h| h.minutes).sum(),
        total_cost_cents: hours.iter().map(|h| h.cost_cents).sum(),
        people: hours
            .iter()
            .map(|h| h.user_id)
            .collect::<std::collections::BTreeSet<_>>()
            .len() as i64,
        totals_by_type: totals_by_type(&hours),
        hours,
        period,
    })
}
