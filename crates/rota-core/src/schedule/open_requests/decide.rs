//! A manager decides an open-shift request: approving one standing bidder gives them the
//! shift (checked as any assignment is: they fit it and their calendar is free, or the
//! company lets the conflict through as a warning) and closes the other bids; denying
//! closes them all. The shift is locked first, with the bidder approved, so of two
//! managers deciding at once the second finds the request decided (`already_decided`).

use serde::Deserialize;
use utoipa::ToSchema;

use super::bid::{finish, reload};
use super::model::{OpenShiftRequest, OpenShiftRequestStatus, RequestRow};
use super::read::{self, shift_of};
use super::tail::RequestChange;
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result};
use crate::locks::{self, Owner};
use crate::people::view::memberships;
use crate::policy::{Action, Actor};
use crate::schedule::conflicts;
use crate::schedule::create::scheduling;
use crate::schedule::draft::Draft;
use crate::schedule::history::Reason;
use crate::schedule::holders::Holders;
use crate::schedule::row::Zones;
use crate::schedule::rules::{self, WorksAt};
use crate::schedule::settings;
use crate::schedule::tail::{self as shift_tail, Change};

/// The bidder to give the shift to.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveInput {
    /// One of the request's standing bidders.
    pub user_id: i64,
}

/// Gives the shift of request `id` to the bidder `input.user_id`: its history records
/// `assign_approve`; the request is approved.
pub async fn approve(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: ApproveInput,
) -> Result<OpenShiftRequest> {
    scheduling(actor)?;
    let company_id = actor.company_id;
    let user_id = input.user_id;
    let mut tx = db.begin_write().await?;
    let row = decidable(&mut tx, actor, id, Some(user_id)).await?;
    let standing = read::bids(&mut tx, company_id, id)
        .await?
        .iter()
        .any(|b| b.user_id == user_id && b.stands());
    if !standing {
        return Err(Error::invalid(
            "user_id",
            "user_id must be one of the request's standing bidders",
        ));
    }
    let (shift, _) = shift_of(&mut tx, company_id, &row).await?;
    let bidder = Holders::load(&mut tx, company_id, [user_id]).await?;
    if !bidder.may(
        actor,
        Action::DecideOpenShift,
        Some(user_id),
        shift.published,
    ) {
        return Err(Error::forbidden(
            "you may not schedule shifts for this user",
        ));
    }
    let works_at = memberships(&mut tx, company_id, &[user_id])
        .await?
        .remove(&user_id)
        .map(WorksAt::from)
        .unwrap_or_default();
    rules::eligible(shift.location_id, shift.position_id, &works_at)?;
    let draft = Draft {
        user_id: Some(user_id),
        ..Draft::of(&shift)
    };
    let zones = Zones::load(&mut tx, company_id).await?;
    let settings = settings::load(&mut *tx, company_id).await?;
    conflicts::check(
        &mut tx,
        company_id,
        &draft,
        Some(shift.id),
        (&zones, &settings),
    )
    .await?;
    let after = draft.update(&mut tx, &shift).await?;
    let change = Change::Edited(Reason::AssignApprove);
    shift_tail::record(&mut tx, actor, change, Some(&shift), &after, &zones).await?;
    settle(
        &mut tx,
        actor,
        id,
        OpenShiftRequestStatus::Approved,
        Some(user_id),
    )
    .await?;
    let row = reload(&mut tx, company_id, id).await?;
    let shown = finish(&mut tx, actor, RequestChange::Approved, row).await?;
    tx.commit().await?;
    Ok(shown)
}

/// Declines every bid of request `id`: the shift stays open.
pub async fn deny(db: &Db, actor: &Actor, id: i64) -> Result<OpenShiftRequest> {
    scheduling(actor)?;
    let mut tx = db.begin_write().await?;
    decidable(&mut tx, actor, id, None).await?;
    settle(&mut tx, actor, id, OpenShiftRequestStatus::Denied, None).await?;
    let row = reload(&mut tx, actor.company_id, id).await?;
    let shown = finish(&mut tx, actor, RequestChange::Denied, row).await?;
    tx.commit().await?;
    Ok(shown)
}

/// Request `id`, read again after locking its shift (and `bidder`, whose calendar an
/// approval checks): 404 unless the actor sees it, 403 unless they may decide it, 409
/// `already_decided` unless it is pending.
async fn decidable(tx: &mut Tx, actor: &Actor, id: i64, bidder: Option<i64>) -> Result<RequestRow> {
    let company_id = actor.company_id;
    let row = reload(tx, company_id, id).await?;
    let owners = bidder
        .map(Owner::User)
        .into_iter()
        .chain([Owner::Shift(row.shift_id)]);
    locks::lock(tx, company_id, owners).await?;
    let row = reload(tx, company_id, id).await?;
    let (shift, holders) = shift_of(tx, company_id, &row).await?;
    if !holders.may_on(actor, Action::DecideOpenShift, &shift) {
        return Err(Error::forbidden("you may not decide this open shift"));
    }
    row.pending()?;
    Ok(row)
}

/// Writes the decision: the request's status and the bidder approved, if any.
async fn settle(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    status: OpenShiftRequestStatus,
    approved_user_id: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "UPDATE open_shift_requests SET status = $3, approved_user_id = $4, updated_by = $5, updated_at = $6 \
         WHERE company_id = $1 AND id = $2",
    )
    .bind(actor.company_id)
    .bind(id)
    .bind(status.as_str())
    .bind(approved_user_id)
    .bind(actor.user_id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
