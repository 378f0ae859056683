//! A colleague answers a swap: accepts it (the shifts change hands at once, or it waits
//! for a manager where the swap requires approval) or declines it (a swap every named
//! colleague declined is declined). The people the shifts go to and the shifts are
//! locked before the swap is read again, so of many accepting at once exactly one wins;
//! the others find it taken (`swap_not_pending`).

use super::hand::{self, current, expire};
use super::row::{RecipientStatus, Swap, SwapRow, SwapStatus, add_recipient, load_visible, settle};
use super::rules::{self, Stage};
use super::tail::{self, Step};
use crate::db::{Db, Tx};
use crate::error::{Error, Result, code};
use crate::locks::{self, Owner};
use crate::policy::{Action, Actor};
use crate::schedule::holders::Holders;
use crate::schedule::row::Zones;

/// Refused when the swap waits for no answer from `actor`.
fn not_pending() -> Error {
    Error::conflict(
        code::SWAP_NOT_PENDING,
        None,
        "this swap is no longer waiting for your answer",
    )
}

/// The swap `id` read again in `tx` once its shift, that of `actor`'s in exchange, and
/// `people` are locked; it must still wait for `actor`'s answer.
async fn for_answer(tx: &mut Tx, actor: &Actor, id: i64) -> Result<(SwapRow, Holders)> {
    let company_id = actor.company_id;
    // Read once to learn what to lock, then again under the locks.
    let (first, _) = load_visible(tx, actor, id).await?;
    let exchange = first.recipient(actor.user_id).and_then(|r| r.shift_id);
    let mut owners = vec![
        Owner::User(actor.user_id),
        Owner::User(first.user_id),
        Owner::Shift(first.shift_id),
    ];
    owners.extend(exchange.map(Owner::Shift));
    locks::lock(tx, company_id, owners).await?;
    let (swap, people) = load_visible(tx, actor, id).await?;
    if !swap.may(&people, actor, Action::AnswerSwap) {
        return Err(Error::forbidden("this swap is not offered to you"));
    }
    let waiting = swap
        .recipient(actor.user_id)
        .is_none_or(|r| r.status == RecipientStatus::PendingAcceptance);
    if rules::stage(swap.status, swap.accepted_user_id) != Stage::Acceptance || !waiting {
        return Err(not_pending());
    }
    Ok((swap, people))
}

/// The actor accepts swap `id`: the shift must fit them and their calendar (and theirs
/// in exchange the holder's); a swap whose shifts changed meanwhile expires.
pub async fn accept(db: &Db, actor: &Actor, id: i64) -> Result<Swap> {
    let mut tx = db.begin_write().await?;
    let (mut swap, _) = for_answer(&mut tx, actor, id).await?;
    let zones = Zones::load(&mut tx, actor.company_id).await?;
    let exchange = swap.recipient(actor.user_id).and_then(|r| r.shift_id);
    let Some(shifts) = current(&mut tx, &swap, actor.user_id, exchange).await? else {
        return Err(expire(tx, actor, &mut swap, &zones).await?);
    };
    let (status, answer) = rules::accepted(swap.requires_approval);
    if status == SwapStatus::Completed {
        hand::hand_over(&mut tx, actor, &swap, &shifts, actor.user_id, &zones).await?;
    } else {
        hand::check(&mut tx, &swap, &shifts, actor.user_id, &zones).await?;
    }
    if swap.recipient(actor.user_id).is_none() {
        add_recipient(&mut tx, &mut swap, actor.user_id, None, answer).await?;
    }
    swap.accepted_user_id = Some(actor.user_id);
    settle(
        &mut tx,
        &mut swap,
        status,
        None,
        Some((actor.user_id, answer)),
    )
    .await?;
    let step = match status {
        SwapStatus::Completed => Step::Completed,
        _ => Step::Accepted,
    };
    let shown = tail::record(&mut tx, actor, step, &swap, &zones).await?;
    tx.commit().await?;
    Ok(shown)
}

/// The actor, a colleague the swap names, declines it; once every one has, the swap is
/// declined. Nobody declines a drop open to anyone: they leave it.
pub async fn decline(db: &Db, actor: &Actor, id: i64) -> Result<Swap> {
    let mut tx = db.begin_write().await?;
    let (mut swap, _) = for_answer(&mut tx, actor, id).await?;
    if swap.recipient(actor.user_id).is_none() {
        return Err(Error::conflict(
            code::SWAP_NOT_PENDING,
            None,
            "a drop open to anyone is left, not declined",
        ));
    }
    let others_waiting = swap
        .recipients
        .iter()
        .any(|r| r.user_id != actor.user_id && rules::waiting(r.status));
    let status = if others_waiting {
        SwapStatus::Pending
    } else {
        SwapStatus::Declined
    };
    let answer = Some((actor.user_id, RecipientStatus::Declined));
    settle(&mut tx, &mut swap, status, None, answer).await?;
    let zones = Zones::load(&mut tx, actor.company_id).await?;
    let shown = tail::record(&mut tx, actor, Step::Declined, &swap, &zones).await?;
    tx.commit().await?;
    Ok(shown)
}
