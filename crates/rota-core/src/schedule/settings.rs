//! A company's schedule settings: whether its new open shifts require a manager's approval
//! to be taken (when the shift does not say), and which conflicts are only warnings (the
//! shift is saved and the warnings returned beside it) rather than refusals. One row per
//! company that set them; a company without one keeps the defaults, today's behaviour: no
//! approval, every conflict refused. Everyone reads them; super users set them.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use super::rules::{self, Conflict, Warning};
use crate::access::audit::{self, AuditAction};
use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::policy::{Action, Actor, Target, may};

/// How a company schedules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSettings {
    /// Whether an open shift made without saying so requires approval: taking it then
    /// bids for it, and a manager picks among the bids.
    pub open_shifts_require_approval: bool,
    /// The conflicts that do not refuse an assignment but come back as `warnings` beside
    /// the saved shift (a repeat counts once). Empty: every conflict is refused.
    #[schema(max_items = 4)]
    pub conflict_warnings: Vec<Conflict>,
}

impl ScheduleSettings {
    /// Refuses `found` with its first conflict that is not a warning here; else its
    /// warnings.
    pub fn judge(&self, found: &[Conflict]) -> Result<Vec<Warning>> {
        rules::judge(found, &self.conflict_warnings).map_err(Conflict::error)
    }
}

#[derive(FromRow)]
struct SettingsRow {
    #[sqlx(try_from = "crate::stored::Flag")]
    open_shifts_require_approval: bool,
    #[sqlx(try_from = "crate::stored::Flag")]
    warn_shift_overlap: bool,
    #[sqlx(try_from = "crate::stored::Flag")]
    warn_shift_over_leave: bool,
    #[sqlx(try_from = "crate::stored::Flag")]
    warn_business_closed: bool,
    #[sqlx(try_from = "crate::stored::Flag")]
    warn_outside_availability: bool,
}

impl From<SettingsRow> for ScheduleSettings {
    fn from(row: SettingsRow) -> Self {
        let flags = [
            row.warn_shift_overlap,
            row.warn_shift_over_leave,
            row.warn_business_closed,
            row.warn_outside_availability,
        ];
        Self {
            open_shifts_require_approval: row.open_shifts_require_approval,
            conflict_warnings: Conflict::ALL
                .into_iter()
                .zip(flags)
                .filter_map(|(conflict, warned)| warned.then_some(conflict))
                .collect(),
        }
    }
}

/// The company's settings, or the defaults where it set none.
pub(crate) async fn load(
    executor: impl sqlx::AnyExecutor<'_>,
    company_id: i64,
) -> Result<ScheduleSettings> {
    let row: Option<SettingsRow> = sqlx::query_as(
        "SELECT open_shifts_require_approval, warn_shift_overlap, warn_shift_over_leave, \
         warn_business_closed, warn_outside_availability FROM schedule_settings WHERE company_id = $1",
    )
    .bind(company_id)
    .fetch_optional(executor)
    .await?;
    Ok(row.map(ScheduleSettings::from).unwrap_or_default())
}

pub async fn get(db: &Db, actor: &Actor) -> Result<ScheduleSettings> {
    if !may(
        actor,
        Action::ViewCompany,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden("you may not view this company"));
    }
    load(db.pool(), actor.company_id).await
}

/// Sets the company's settings, every field at once; shifts saved from now on follow them.
pub async fn set(db: &Db, actor: &Actor, input: ScheduleSettings) -> Result<ScheduleSettings> {
    if !may(
        actor,
        Action::UpdateCompany,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden(
            "only a super user may change the schedule settings",
        ));
    }
    if input.conflict_warnings.len() > Conflict::ALL.len() {
        return Err(Error::invalid(
            "conflict_warnings",
            "name each of the four conflicts at most once",
        ));
    }
    let warned = |conflict: Conflict| i64::from(input.conflict_warnings.contains(&conflict));
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO schedule_settings (company_id, open_shifts_require_approval, warn_shift_overlap, \
         warn_shift_over_leave, warn_business_closed, warn_outside_availability, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (company_id) DO UPDATE SET \
         open_shifts_require_approval = excluded.open_shifts_require_approval, \
         warn_shift_overlap = excluded.warn_shift_overlap, \
         warn_shift_over_leave = excluded.warn_shift_over_leave, \
         warn_business_closed = excluded.warn_business_closed, \
         warn_outside_availability = excluded.warn_outside_availability, \
         updated_at = excluded.updated_at",
    )
    .bind(actor.company_id)
    .bind(i64::from(input.open_shifts_require_approval))
    .bind(warned(Conflict::Shift))
    .bind(warned(Conflict::Leave))
    .bind(warned(Conflict::Closed))
    .bind(warned(Conflict::Unavailable))
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let settings = load(&mut *tx, actor.company_id).await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::ScheduleSettingsChanged,
        Some(("company", actor.company_id)),
        serde_json::to_value(&settings).map_err(|e| Error::Internal(e.to_string().into()))?,
    )
    .await?;
    tx.commit().await?;
    Ok(settings)
}
