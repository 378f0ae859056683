//! Copying a location's week to another week, in one transaction: each shift starting in
//! the seven days from `from` (in the location's zone) is made again the same number of
//! days later at the same local times (DST-safe: [`wall_clock::moved`]), as a draft unless
//! asked to publish. A copy that would conflict, or that the caller may not make, is
//! skipped and reported with its code rather than failing the others. Every user given a
//! copy is locked before their calendar is checked (docs/architecture.md, "the one way").
//! Repeating shifts are not copied: their occurrences already repeat.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::conflicts;
use super::create::scheduling;
use super::draft::Draft;
use super::holders::Holders;
use super::row::{SELECT, Shift, ShiftRow, Zones, with_breaks};
use super::rules::{self, Break};
use super::settings;
use super::tail::{self, Change};
use super::wall_clock;
use crate::access::audit::{self, AuditAction};
use crate::db::Db;
use crate::error::{Error, Result, code};
use crate::locks::{self, Owner};
use crate::org::{Kind, ensure_exists};
use crate::policy::{Action, Actor};
use crate::validate;

/// Which week to copy, and where to.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CopyWeekInput {
    pub location_id: i64,
    /// `YYYY-MM-DD`: the first of the seven days copied, in the location's zone.
    #[schema(value_type = crate::openapi::Date)]
    pub from: String,
    /// `YYYY-MM-DD`: the first of the seven days the copies fall on; not `from`.
    #[schema(value_type = crate::openapi::Date)]
    pub to: String,
    /// Copy the open shifts too (true when absent).
    pub include_open: Option<bool>,
    /// Publish the copies at once; drafts when absent.
    #[serde(default)]
    pub published: bool,
}

/// What a copy made, and what it left out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CopySummary {
    /// The shifts made, each with any warnings its assignment met.
    pub copied: Vec<Shift>,
    pub skipped: Vec<SkippedShift>,
}

/// A shift of the week copied that was not made again.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkippedShift {
    /// The shift of the week copied.
    pub shift_id: i64,
    /// Why: a conflict's code (`shift_overlap`, `shift_over_leave`, `business_closed`,
    /// `outside_availability`), `forbidden` (a shift the caller may not make) or
    /// `validation_failed`.
    pub code: String,
    pub message: String,
}

/// A skip for `error` about the copy of shift `shift_id`, or the error itself when it is
/// not about the copy (the database failing, say).
fn skipped(shift_id: i64, error: Error) -> Result<SkippedShift> {
    match error {
        Error::Conflict { code, message, .. } | Error::Invalid { code, message, .. } => {
            Ok(SkippedShift {
                shift_id,
                code: code.to_owned(),
                message: message.into_owned(),
            })
        }
        other => Err(other),
    }
}

pub async fn copy_week(db: &Db, actor: &Actor, input: CopyWeekInput) -> Result<CopySummary> {
    scheduling(actor)?;
    let from = validate::date("from", &input.from)?;
    let to = validate::date("to", &input.to)?;
    if from == to {
        return Err(Error::invalid("to", "to must be another week than from"));
    }
    let days = i64::from((to - from).get_days());
    let company_id = actor.company_id;
    let mut tx = db.begin_write().await?;
    ensure_exists(
        &mut tx,
        Kind::Location,
        company_id,
        Some(input.location_id),
        "location_id",
    )
    .await?;
    let zones = Zones::load(&mut tx, company_id).await?;
    let (_, zone) = zones.of(input.location_id);
    let week_end = from
        .checked_add(jiff::Span::new().days(7))
        .map_err(|_| Error::invalid("from", "the week is out of range"))?;
    let start = wall_clock::at(from, jiff::civil::Time::midnight(), zone)?;
    let end = wall_clock::at(week_end, jiff::civil::Time::midnight(), zone)?;
    let rows: Vec<ShiftRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND location_id = $2 AND deleted_at IS NULL \
         AND starts_at >= $3 AND starts_at < $4 ORDER BY starts_at, id"
    )))
    .bind(company_id)
    .bind(input.location_id)
    .bind(start)
    .bind(end)
    .fetch_all(&mut *tx)
    .await?;
    let include_open = input.include_open.unwrap_or(true);
    let rows: Vec<ShiftRow> = rows
        .into_iter()
        .filter(|row| include_open || row.user_id.is_some())
        .collect();
    let rows = with_breaks(&mut tx, company_id, rows).await?;
    let users: Vec<i64> = rows.iter().filter_map(|r| r.user_id).collect();
    locks::lock(&mut tx, company_id, users.iter().map(|&id| Owner::User(id))).await?;
    let holders = Holders::load(&mut tx, company_id, users).await?;
    let settings = settings::load(&mut *tx, company_id).await?;
    let mut summary = CopySummary {
        copied: Vec::new(),
        skipped: Vec::new(),
    };
    for row in &rows {
        let draft = match moved(row, days, input.published, zone) {
            Ok(draft) => draft,
            Err(e) => {
                summary.skipped.push(skipped(row.id, e)?);
                continue;
            }
        };
        if !holders.may(actor, Action::ManageShift, draft.user_id, draft.published) {
            summary.skipped.push(SkippedShift {
                shift_id: row.id,
                code: code::FORBIDDEN.to_owned(),
                message: "you may not schedule shifts for this user".to_owned(),
            });
            continue;
        }
        let warnings =
            match conflicts::check(&mut tx, company_id, &draft, None, (&zones, &settings)).await {
                Ok(warnings) => warnings,
                Err(e) => {
                    summary.skipped.push(skipped(row.id, e)?);
                    continue;
                }
            };
        let made = draft.insert(&mut tx, actor).await?;
        let shown = tail::record(&mut tx, actor, Change::Created, None, &made, &zones).await?;
        summary.copied.push(Shift { warnings, ..shown });
    }
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::ShiftsCopied,
        Some(("location", input.location_id)),
        json!({"from": from, "to": to, "copied": summary.copied.len(), "skipped": summary.skipped.len()}),
    )
    .await?;
    tx.commit().await?;
    Ok(summary)
}

/// Shift `row` made again `days` days later at the same local times in `zone`, published
/// or not, every rule checked again.
fn moved(row: &ShiftRow, days: i64, published: bool, zone: &jiff::tz::TimeZone) -> Result<Draft> {
    let at = |seconds: i64| wall_clock::moved(seconds, days, zone);
    let breaks = row
        .breaks
        .iter()
        .map(|b| {
            Ok(Break {
                starts_at: b.starts_at.map(at).transpose()?,
                ..b.rule()
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let draft = Draft {
        starts_at: at(row.starts_at)?,
        ends_at: at(row.ends_at)?,
        breaks,
        published,
        ..Draft::of(row)
    };
    rules::times(draft.starts_at, draft.ends_at)?;
    rules::breaks(draft.starts_at, draft.ends_at, &draft.breaks)?;
    Ok(draft)
}
