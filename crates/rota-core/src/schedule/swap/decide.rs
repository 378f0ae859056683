//! A manager decides an accepted swap (the holder's approver, or a super user; never the
//! holder): approving hands the shifts over, denying ends it. Its holder, or who manages
//! them, cancels it while it is pending. Each locks the swap's shifts (and, to approve,
//! the people they go to) before reading it again, so a swap is decided once, and an edit
//! of its shift made meanwhile is seen: the swap then expires.

use super::hand::{self, current, expire};
use super::row::{RecipientStatus, Swap, SwapRow, SwapStatus, load_visible, settle};
use super::rules::{self, Stage};
use super::tail::{self, Step};
use crate::db::{Db, Tx};
use crate::error::{Error, Result, code};
use crate::locks::{self, Owner};
use crate::policy::{Action, Actor};
use crate::schedule::row::Zones;

/// The swap `id` read again in `tx` once its shifts and the people they go to are
/// locked; `actor` must be allowed `action`, and it must wait for `stages`.
async fn for_decision(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    action: Action,
    stages: &[Stage],
) -> Result<SwapRow> {
    let (first, _) = load_visible(tx, actor, id).await?;
    let mut owners = vec![Owner::User(first.user_id), Owner::Shift(first.shift_id)];
    for recipient in &first.recipients {
        owners.push(Owner::User(recipient.user_id));
        owners.extend(recipient.shift_id.map(Owner::Shift));
    }
    locks::lock(tx, actor.company_id, owners).await?;
    let (swap, people) = load_visible(tx, actor, id).await?;
    if !swap.may(&people, actor, action) {
        return Err(Error::forbidden(match action {
            Action::CancelSwap => "only its holder, or who manages them, cancels a swap",
            _ => "only who manages its holder decides a swap, never the holder",
        }));
    }
    if !stages.contains(&rules::stage(swap.status, swap.accepted_user_id)) {
        return Err(Error::conflict(
            code::SWAP_NOT_PENDING,
            None,
            match stages {
                [Stage::Approval] => "this swap is not waiting for approval",
                _ => "this swap is no longer pending",
            },
        ));
    }
    Ok(swap)
}

/// Approves swap `id`, accepted and waiting: its shifts change hands, unless they changed
/// meanwhile (it expires) or no longer fit (it stays waiting).
pub async fn approve(db: &Db, actor: &Actor, id: i64) -> Result<Swap> {
    let mut tx = db.begin_write().await?;
    let mut swap = for_decision(&mut tx, actor, id, Action::DecideSwap, &[Stage::Approval]).await?;
    let zones = Zones::load(&mut tx, actor.company_id).await?;
    let receiver = swap
        .accepted_user_id
        .ok_or(Error::Internal("an accepted swap names nobody".into()))?;
    let exchange = swap.recipient(receiver).and_then(|r| r.shift_id);
    let Some(shifts) = current(&mut tx, &swap, receiver, exchange).await? else {
        return Err(expire(tx, actor, &mut swap, &zones).await?);
    };
    hand::hand_over(&mut tx, actor, &swap, &shifts, receiver, &zones).await?;
    let answer = Some((receiver, RecipientStatus::Accepted));
    settle(
        &mut tx,
        &mut swap,
        SwapStatus::Approved,
        Some(actor.user_id),
        answer,
    )
    .await?;
    let shown = tail::record(&mut tx, actor, Step::Approved, &swap, &zones).await?;
    tx.commit().await?;
    Ok(shown)
}

/// Denies swap `id`, pending: nobody takes the shift over; the swap is declined.
pub async fn deny(db: &Db, actor: &Actor, id: i64) -> Result<Swap> {
    let mut tx = db.begin_write().await?;
    let stages = [Stage::Acceptance, Stage::Approval];
    let mut swap = for_decision(&mut tx, actor, id, Action::DecideSwap, &stages).await?;
    settle(
        &mut tx,
        &mut swap,
        SwapStatus::Declined,
        Some(actor.user_id),
        None,
    )
    .await?;
    let zones = Zones::load(&mut tx, actor.company_id).await?;
    let shown = tail::record(&mut tx, actor, Step::Denied, &swap, &zones).await?;
    tx.commit().await?;
    Ok(shown)
}

/// Cancels swap `id`, pending.
pub async fn cancel(db: &Db, actor: &Actor, id: i64) -> Result<Swap> {
    let mut tx = db.begin_write().await?;
    let stages = [Stage::Acceptance, Stage::Approval];
    let mut swap = for_decision(&mut tx, actor, id, Action::CancelSwap, &stages).await?;
    settle(
        &mut tx,
        &mut swap,
        SwapStatus::Canceled,
        Some(actor.user_id),
        None,
    )
    .await?;
    let zones = Zones::load(&mut tx, actor.company_id).await?;
    let shown = tail::record(&mut tx, actor, Step::Canceled, &swap, &zones).await?;
    tx.commit().await?;
    Ok(shown)
}
