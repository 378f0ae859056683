//! The shifts of a swap read again under their locks, whether they are still as offered
//! (else the swap expires), whether they fit the people they go to, and their changing
//! hands, each with its history (`swap` or `drop`).

use super::row::{SwapKind, SwapRow, SwapStatus, settle};
use super::rules::{self, ShiftState};
use super::tail::{self, Step};
use crate::db::{Tx, now};
use crate::error::{Error, Result, code};
use crate::people::view::memberships;
use crate::policy::Actor;
use crate::schedule::conflicts;
use crate::schedule::draft::Draft;
use crate::schedule::history::Reason;
use crate::schedule::row::{self as shift_row, ShiftRow, Zones};
use crate::schedule::rules::{self as shift_rules, WorksAt};
use crate::schedule::settings::ScheduleSettings;
use crate::schedule::tail::{self as shift_tail, Change};

/// A swap's shifts as they are now: the one offered, and the one its receiver gives in
/// exchange (a swap).
pub(crate) struct Shifts {
    pub offered: ShiftRow,
    pub exchange: Option<ShiftRow>,
}

fn state(row: &ShiftRow) -> ShiftState {
    ShiftState {
        user_id: row.user_id,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        published: row.published,
        deleted: row.deleted_at.is_some(),
    }
}

/// The swap's shift and `exchange` (of `receiver`'s), read in `tx` after their locks;
/// `None` when either is no longer as offered: changed hands or times, unpublished,
/// deleted or started.
pub(crate) async fn current(
    tx: &mut Tx,
    swap: &SwapRow,
    receiver: i64,
    exchange: Option<i64>,
) -> Result<Option<Shifts>> {
    let at = now();
    let offered = shift_row::load(tx, swap.company_id, swap.shift_id).await?;
    let Some(offered) =
        offered.filter(|r| rules::still_offered(&swap.offered(), Some(&state(r)), at))
    else {
        return Ok(None);
    };
    let exchange = match exchange {
        None => None,
        Some(id) => {
            let row = shift_row::load(tx, swap.company_id, id).await?;
            let Some(row) = row.filter(|r| {
                let theirs = ShiftState {
                    user_id: Some(receiver),
                    published: true,
                    deleted: false,
                    ..state(r)
                };
                rules::still_offered(&theirs, Some(&state(r)), at)
            }) else {
                return Ok(None);
            };
            Some(row)
        }
    };
    Ok(Some(Shifts { offered, exchange }))
}

/// Expires `swap` (its shifts are no longer as offered), commits, and returns the refusal
/// to answer with.
pub(crate) async fn expire(
    mut tx: Tx,
    actor: &Actor,
    swap: &mut SwapRow,
    zones: &Zones,
) -> Result<Error> {
    settle(&mut tx, swap, SwapStatus::Expired, None, None).await?;
    tail::record(&mut tx, actor, Step::Expired, swap, zones).await?;
    tx.commit().await?;
    Ok(Error::conflict(
        code::SWAP_EXPIRED,
        Some("shift_id"),
        "the shift changed hands, moved, was unpublished or deleted, or started since it was offered",
    ))
}

/// Whether `shift` fits `user_id` (its position one of theirs; its location among theirs,
/// when they have any).
pub(crate) async fn fit(tx: &mut Tx, shift: &ShiftRow, user_id: i64) -> Result<()> {
    let works_at = memberships(tx, shift.company_id, &[user_id])
        .await?
        .remove(&user_id)
        .map(WorksAt::from)
        .unwrap_or_default();
    shift_rules::eligible(shift.location_id, shift.position_id, &works_at)
}

/// Refuses what giving `shifts` to `receiver` (and the exchange to the swap's holder)
/// would break: the fit, and each one's calendar, checked as an assignment's is (after
/// their locks). Shifts swapped for each other must not overlap.
pub(crate) async fn check(
    tx: &mut Tx,
    swap: &SwapRow,
    shifts: &Shifts,
    receiver: i64,
    zones: &Zones,
) -> Result<()> {
    for (shift, to) in moves(swap, shifts, receiver) {
        fit(tx, shift, to).await?;
        let draft = Draft {
            user_id: Some(to),
            ..Draft::of(shift)
        };
        // A swap is between colleagues, with no manager to weigh a warning: every
        // conflict refuses it, whatever the company lets through as a warning.
        let strict = ScheduleSettings::default();
        conflicts::check(
            tx,
            swap.company_id,
            &draft,
            Some(shift.id),
            (zones, &strict),
        )
        .await?;
    }
    Ok(())
}

/// Each shift and whom it goes to.
fn moves<'a>(swap: &SwapRow, shifts: &'a Shifts, receiver: i64) -> Vec<(&'a ShiftRow, i64)> {
    let mut moves = vec![(&shifts.offered, receiver)];
    if let Some(exchange) = &shifts.exchange {
        moves.push((exchange, swap.user_id));
    }
    moves
}

/// Gives `shifts` to `receiver` (and the exchange to the swap's holder) once
/// [`check`]ed, each change recorded with its reason.
pub(crate) async fn hand_over(
    tx: &mut Tx,
    actor: &Actor,
    swap: &SwapRow,
    shifts: &Shifts,
    receiver: i64,
    zones: &Zones,
) -> Result<()> {
    check(tx, swap, shifts, receiver, zones).await?;
    let reason = match swap.kind {
        SwapKind::Swap => Reason::Swap,
        SwapKind::Drop => Reason::Drop,
    };
    for (shift, to) in moves(swap, shifts, receiver) {
        let draft = Draft {
            user_id: Some(to),
            ..Draft::of(shift)
        };
        let after = draft.update(tx, shift).await?;
        shift_tail::record(
            tx,
            actor,
            Change::Edited(reason),
            Some(shift),
            &after,
            zones,
        )
        .await?;
    }
    Ok(())
}
