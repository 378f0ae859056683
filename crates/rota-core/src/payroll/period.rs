//! Payroll periods: cut from the company's rule ahead of time (the current period and the
//! next exist whenever periods are listed), listed, and read with everyone's hours and pay
//! in them (frozen once closed: see [`super::close`]). Only super users see payroll
//! ([`Action::ViewPayroll`]).
//!
//! Cutting is idempotent and safe under races: a period is inserted only where no stored
//! period shares a day with it, and the unique `(company_id, start_date)` index leaves one
//! row when two requests cut the same period at once. A rule changed mid-way therefore
//! takes over from the first day after the stored periods it would overlap.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AssertSqlSafe, FromRow};
use utoipa::ToSchema;

use super::hours::{self, HoursType, PayrollHours};
use super::settings;
use crate::company;
use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::locks::{self, Owner};
use crate::paging::Page;
use crate::people::types::text_enum;
use crate::policy::{Action, Actor, Target, may};
use crate::stored;
use crate::time::{rfc3339, today};

text_enum! {
    /// Where a period stands: `open` (its hours are worked out when read, and its days take
    /// time entries), `closed` (its hours frozen as they were at the close, its days
    /// refusing time entries; a super user may reopen it) or `finalised` (closed for good).
    PeriodStatus { Open = "open", Closed = "closed", Finalised = "finalised" }
}

/// A stored period.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct PeriodRow {
    pub id: i64,
    #[sqlx(try_from = "stored::Day")]
    pub start_date: Date,
    #[sqlx(try_from = "stored::Day")]
    pub end_date: Date,
    #[sqlx(try_from = "String")]
    pub status: PeriodStatus,
    pub closed_at: Option<i64>,
    pub closed_by: Option<i64>,
    pub finalised_at: Option<i64>,
    pub created_at: i64,
}

/// The columns of `payroll_periods`, in [`PeriodRow`]'s order.
pub(crate) const PERIOD_COLUMNS: &str =
    "id, start_date, end_date, status, closed_at, closed_by, finalised_at, created_at";

/// A payroll period, both days included.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PayrollPeriod {
    pub id: i64,
    #[schema(value_type = String, format = Date, example = "2026-06-01")]
    pub start_date: Date,
    #[schema(value_type = String, format = Date, example = "2026-06-07")]
    pub end_date: Date,
    pub status: PeriodStatus,
    /// When it was closed; absent while open.
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub closed_at: Option<String>,
    /// Who closed it; absent while open.
    pub closed_by: Option<i64>,
    /// When it was finalised; absent until then.
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub finalised_at: Option<String>,
}

impl From<&PeriodRow> for PayrollPeriod {
    fn from(row: &PeriodRow) -> Self {
        Self {
            id: row.id,
            start_date: row.start_date,
            end_date: row.end_date,
            status: row.status,
            closed_at: row.closed_at.map(rfc3339),
            closed_by: row.closed_by,
            finalised_at: row.finalised_at.map(rfc3339),
        }
    }
}

/// A payroll period with the hours paid in it, per person and type, and its stats (When
/// I Work's payroll stats): the totals, everyone's, and how many people are paid.
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
    /// One row per person and type with minutes in the period, by person, then type: as
    /// worked out now while the period is open, as frozen at the close once closed.
    pub hours: Vec<PayrollHours>,
}

impl PayrollPeriodHours {
    pub(crate) fn new(row: &PeriodRow, hours: Vec<PayrollHours>) -> Self {
        Self {
            period: PayrollPeriod::from(row),
            created_at: rfc3339(row.created_at),
            total_minutes: hours.iter().map(|h| h.minutes).sum(),
            total_cost_cents: hours.iter().map(|h| h.cost_cents).sum(),
            people: hours
                .iter()
                .map(|h| h.user_id)
                .collect::<std::collections::BTreeSet<_>>()
                .len() as i64,
            totals_by_type: totals_by_type(&hours),
            hours,
        }
    }
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

pub(crate) fn may_view(actor: &Actor) -> Result<()> {
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

pub(crate) fn zone_of(company: &company::Company) -> Result<TimeZone> {
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
    let rows: Vec<PeriodRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PERIOD_COLUMNS} FROM payroll_periods \
         WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    )))
    .bind(actor.company_id)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(db.pool())
    .await?;
    let periods = rows.iter().map(PayrollPeriod::from).collect();
    Ok(page.finish(periods, |p| p.id))
}

/// Period `id` of `company_id`, read in `conn`.
pub(crate) async fn load(conn: &mut AnyConnection, company_id: i64, id: i64) -> Result<PeriodRow> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PERIOD_COLUMNS} FROM payroll_periods WHERE company_id = $1 AND id = $2"
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| Error::not_found("payroll period"))
}

/// The hours of `period`: worked out now while it is open, as frozen once it closed.
pub(crate) async fn hours_of(
    conn: &mut AnyConnection,
    company: &company::Company,
    period: &PeriodRow,
) -> Result<Vec<PayrollHours>> {
    if period.status == PeriodStatus::Open {
        return hours::worked(conn, company, period.start_date, period.end_date).await;
    }
    let rows: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT user_id, type, minutes, rate_cents, cost_cents FROM payroll_period_hours \
         WHERE company_id = $1 AND period_id = $2 ORDER BY user_id",
    )
    .bind(company.id)
    .bind(period.id)
    .fetch_all(&mut *conn)
    .await?;
    let mut hours = rows
        .into_iter()
        .map(|(user_id, kind, minutes, rate_cents, cost_cents)| {
            Ok(PayrollHours {
                user_id,
                kind: HoursType::from_stored(&kind)?,
                minutes,
                rate_cents,
                cost_cents,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    hours.sort_by_key(|h| (h.user_id, HoursType::ALL.iter().position(|k| *k == h.kind)));
    Ok(hours)
}

/// One period with everyone's hours in it.
pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<PayrollPeriodHours> {
    may_view(actor)?;
    let mut conn = db.pool().acquire().await?;
    let period = load(&mut conn, actor.company_id, id).await?;
    let company = company::load(&mut *conn, actor.company_id).await?;
    let hours = hours_of(&mut conn, &company, &period).await?;
    Ok(PayrollPeriodHours::new(&period, hours))
}
