//! Closing a payroll period, reopening it and finalising it: open → closed → finalised,
//! with closed → open again by a super user, audited with a reason. Closing freezes the
//! period's hours as a snapshot (`payroll_period_hours`) that later edits do not change;
//! from then on time entries on its days are refused ([`super::guard`]).
//!
//! Each runs in one transaction with the company locked ([`Owner::Company`]), which every
//! time-entry write holds shared ([`Owner::PayrollPeriods`]): a close waits for the writes
//! under way and then reads everything they wrote, and a write waits for a close and then
//! finds its day closed. Each ends in one tail: the audit event and the webhook.
//!
//! A period with a running entry (someone still clocked in on one of its days) does not
//! close: `payroll_period_unsettled`, naming the entries. Nor does one with entries not
//! yet approved, unless the close says `include_unapproved`.

use serde::Deserialize;
use sqlx::AssertSqlSafe;
use utoipa::ToSchema;

use super::hours::PayrollHours;
use super::period::{self, PERIOD_COLUMNS, PayrollPeriodHours, PeriodRow, PeriodStatus};
use crate::access::audit::{self, AuditAction};
use crate::company;
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};
use crate::locks::{self, Owner};
use crate::policy::{Action, Actor, Target, may};
use crate::time::day_start;
use crate::validate;
use crate::webhooks::events::Event;

/// How many unsettled entries a refusal names.
const NAMED_ENTRIES: usize = 20;
/// Snapshot rows per insert statement: 7 values each, well under either engine's limit.
const ROWS_PER_INSERT: usize = 500;

/// Closing a period.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosePayrollPeriodInput {
    /// Close although some finished entries in the period are not approved (they are
    /// paid as they stand). Running entries always refuse the close.
    #[serde(default)]
    pub include_unapproved: bool,
    /// A note kept with the close in the audit log; up to 500 characters.
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

/// Reopening a closed period: why, for the audit log.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenPayrollPeriodInput {
    /// 1 to 500 characters.
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// What happened to a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Closed,
    Reopened,
    Finalised,
}

impl Change {
    fn audit(self) -> AuditAction {
        match self {
            Self::Closed => AuditAction::PayrollPeriodClosed,
            Self::Reopened => AuditAction::PayrollPeriodReopened,
            Self::Finalised => AuditAction::PayrollPeriodFinalised,
        }
    }

    fn webhook(self) -> Event {
        match self {
            Self::Closed => Event::PayrollPeriodClosed,
            Self::Reopened => Event::PayrollPeriodReopened,
            Self::Finalised => Event::PayrollPeriodFinalised,
        }
    }
}

fn allow(actor: &Actor, action: Action) -> Result<()> {
    if may(actor, action, Target::Company(actor.company_id)) {
        Ok(())
    } else {
        Err(Error::forbidden(match action {
            Action::ReopenPayroll => "only a super user may reopen a payroll period",
            _ => "only a super user may close or finalise a payroll period",
        }))
    }
}

/// A write transaction with the company locked and period `id` read in it.
async fn locked(db: &Db, actor: &Actor, id: i64) -> Result<(Tx, PeriodRow)> {
    let mut tx = db.begin_write().await?;
    locks::lock(&mut tx, actor.company_id, [Owner::Company]).await?;
    let period = period::load(&mut tx, actor.company_id, id).await?;
    Ok((tx, period))
}

fn finalised() -> Error {
    Error::conflict(
        code::PAYROLL_PERIOD_FINALISED,
        None,
        "this payroll period is finalised: it cannot change any more",
    )
}

/// Closes an open period: its hours as they are now become its snapshot.
pub async fn close(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: ClosePayrollPeriodInput,
) -> Result<PayrollPeriodHours> {
    allow(actor, Action::ClosePayroll)?;
    let note = validate::optional_text("note", input.note.as_deref(), 500)?;
    let (mut tx, period) = locked(db, actor, id).await?;
    match period.status {
        PeriodStatus::Open => {}
        PeriodStatus::Closed => {
            return Err(Error::conflict(
                code::PAYROLL_PERIOD_CLOSED,
                None,
                "this payroll period is closed already",
            ));
        }
        PeriodStatus::Finalised => return Err(finalised()),
    }
    let company = company::load(&mut *tx, actor.company_id).await?;
    refuse_unsettled(&mut tx, &company, &period, input.include_unapproved).await?;
    let hours = period::hours_of(&mut tx, &company, &period).await?;
    store_snapshot(&mut tx, actor.company_id, period.id, &hours).await?;
    let closed = set_status(
        &mut tx,
        &period,
        Stamps {
            status: PeriodStatus::Closed,
            closed_at: Some(now()),
            closed_by: Some(actor.user_id),
            finalised_at: None,
        },
    )
    .await?;
    let shown = PayrollPeriodHours::new(&closed, hours);
    announce(tx, actor, &shown, Change::Closed, note.map(|n| ("note", n))).await?;
    Ok(shown)
}

/// Reopens a closed period: its snapshot is dropped and its days take time entries again.
pub async fn reopen(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: ReopenPayrollPeriodInput,
) -> Result<PayrollPeriodHours> {
    allow(actor, Action::ReopenPayroll)?;
    let reason = validate::required_text("reason", &input.reason, 500)?;
    let (mut tx, period) = locked(db, actor, id).await?;
    match period.status {
        PeriodStatus::Closed => {}
        PeriodStatus::Open => return Err(not_closed("reopened")),
        PeriodStatus::Finalised => return Err(finalised()),
    }
    sqlx::query("DELETE FROM payroll_period_hours WHERE company_id = $1 AND period_id = $2")
        .bind(actor.company_id)
        .bind(period.id)
        .execute(&mut *tx)
        .await?;
    let reopened = set_status(&mut tx, &period, Stamps::default()).await?;
    let company = company::load(&mut *tx, actor.company_id).await?;
    let hours = period::hours_of(&mut tx, &company, &reopened).await?;
    let shown = PayrollPeriodHours::new(&reopened, hours);
    announce(
        tx,
        actor,
        &shown,
        Change::Reopened,
        Some(("reason", reason)),
    )
    .await?;
    Ok(shown)
}

/// Finalises a closed period, for good: it can never be reopened.
pub async fn finalise(db: &Db, actor: &Actor, id: i64) -> Result<PayrollPeriodHours> {
    allow(actor, Action::ClosePayroll)?;
    let (mut tx, period) = locked(db, actor, id).await?;
    match period.status {
        PeriodStatus::Closed => {}
        PeriodStatus::Open => return Err(not_closed("finalised")),
        PeriodStatus::Finalised => return Err(finalised()),
    }
    let done = set_status(
        &mut tx,
        &period,
        Stamps {
            status: PeriodStatus::Finalised,
            finalised_at: Some(now()),
            ..Stamps::of(&period)
        },
    )
    .await?;
    let company = company::load(&mut *tx, actor.company_id).await?;
    let hours = period::hours_of(&mut tx, &company, &done).await?;
    let shown = PayrollPeriodHours::new(&done, hours);
    announce(tx, actor, &shown, Change::Finalised, None).await?;
    Ok(shown)
}

fn not_closed(what: &str) -> Error {
    Error::conflict(
        code::PAYROLL_PERIOD_NOT_CLOSED,
        None,
        format!("only a closed payroll period can be {what}: close it first"),
    )
}

/// A period's status and when and by whom it reached it.
#[derive(Debug, Clone, Copy)]
struct Stamps {
    status: PeriodStatus,
    closed_at: Option<i64>,
    closed_by: Option<i64>,
    finalised_at: Option<i64>,
}

impl Default for Stamps {
    /// Open, as a period is cut.
    fn default() -> Self {
        Self {
            status: PeriodStatus::Open,
            closed_at: None,
            closed_by: None,
            finalised_at: None,
        }
    }
}

impl Stamps {
    fn of(period: &PeriodRow) -> Self {
        Self {
            status: period.status,
            closed_at: period.closed_at,
            closed_by: period.closed_by,
            finalised_at: period.finalised_at,
        }
    }
}

/// Writes `stamps` on `period`.
async fn set_status(tx: &mut Tx, period: &PeriodRow, stamps: Stamps) -> Result<PeriodRow> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "UPDATE payroll_periods SET status = $1, closed_at = $2, closed_by = $3, finalised_at = $4 \
         WHERE id = $5 RETURNING {PERIOD_COLUMNS}"
    )))
    .bind(stamps.status.as_str())
    .bind(stamps.closed_at)
    .bind(stamps.closed_by)
    .bind(stamps.finalised_at)
    .bind(period.id)
    .fetch_one(&mut **tx)
    .await?)
}

/// Refuses the close while entries on the period's days run, or, unless
/// `include_unapproved`, are not approved; the refusal names them (the first few). A
/// running entry is never approved, so both are read through the index of unapproved
/// entries (`time_entries_unapproved`).
async fn refuse_unsettled(
    tx: &mut Tx,
    company: &company::Company,
    period: &PeriodRow,
    include_unapproved: bool,
) -> Result<()> {
    let zone = period::zone_of(company)?;
    let unsettled: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, end_at FROM time_entries WHERE company_id = $1 AND start_at >= $2 AND start_at < $3 \
         AND approved_at IS NULL AND ($4 = 0 OR end_at IS NULL) ORDER BY id LIMIT $5",
    )
    .bind(company.id)
    .bind(day_start(period.start_date, &zone)?)
    .bind(day_start(period.end_date.saturating_add(jiff::Span::new().days(1)), &zone)?)
    .bind(i64::from(include_unapproved))
    .bind(NAMED_ENTRIES as i64 + 1)
    .fetch_all(&mut **tx)
    .await?;
    if unsettled.is_empty() {
        return Ok(());
    }
    let name = |running: bool| {
        let ids: Vec<String> = unsettled
            .iter()
            .take(NAMED_ENTRIES)
            .filter(|(_, end)| end.is_none() == running)
            .map(|(id, _)| id.to_string())
            .collect();
        ids.join(", ")
    };
    let (running, unapproved) = (name(true), name(false));
    let mut message = String::from("this payroll period cannot close yet:");
    if !running.is_empty() {
        message.push_str(&format!(
            " time entries still running (clock them out): {running};"
        ));
    }
    if !unapproved.is_empty() {
        message.push_str(&format!(
            " time entries not approved (approve them, or close with include_unapproved): {unapproved};"
        ));
    }
    if unsettled.len() > NAMED_ENTRIES {
        message.push_str(" and more");
    }
    Err(Error::conflict(
        code::PAYROLL_PERIOD_UNSETTLED,
        None,
        message,
    ))
}

/// Writes `hours` as the snapshot of period `period_id`, in chunks.
async fn store_snapshot(
    tx: &mut Tx,
    company_id: i64,
    period_id: i64,
    hours: &[PayrollHours],
) -> Result<()> {
    for chunk in hours.chunks(ROWS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", crate::sql::placeholders(i * 7 + 1, 7)))
            .collect();
        let sql = format!(
            "INSERT INTO payroll_period_hours (company_id, period_id, user_id, type, minutes, \
             rate_cents, cost_cents) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in chunk {
            query = query
                .bind(company_id)
                .bind(period_id)
                .bind(row.user_id)
                .bind(row.kind.as_str())
                .bind(row.minutes)
                .bind(row.rate_cents)
                .bind(row.cost_cents);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Records and announces `change` to `period` (its stats, not every row: those are read
/// from the API), with the words given with it (the close's note, the reopening's
/// reason) in the audit entry, then commits.
async fn announce(
    mut tx: Tx,
    actor: &Actor,
    period: &PayrollPeriodHours,
    change: Change,
    words: Option<(&str, String)>,
) -> Result<()> {
    let mut details = serde_json::json!({
        "start_date": period.period.start_date,
        "end_date": period.period.end_date,
    });
    if let Some((key, text)) = words {
        details[key] = serde_json::Value::String(text);
    }
    audit::record_by(
        &mut tx,
        actor,
        change.audit(),
        Some(("payroll_period", period.period.id)),
        details,
    )
    .await?;
    let data = serde_json::json!({
        "period": period.period,
        "total_minutes": period.total_minutes,
        "total_cost_cents": period.total_cost_cents,
        "people": period.people,
        "totals_by_type": period.totals_by_type,
    });
    crate::webhooks::emit(&mut tx, actor.company_id, change.webhook(), data).await?;
    tx.commit().await?;
    Ok(())
}
