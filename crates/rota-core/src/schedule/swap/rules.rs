//! The pure rules of swaps: the shape of an offer, the step a swap waits for, whether its
//! shift is still as it was offered, and what each outcome leaves its recipients.

use super::row::{RecipientStatus, SwapKind, SwapStatus};
use crate::error::{Error, Result};

/// The most colleagues one offer names.
pub const MAX_RECIPIENTS: usize = 20;

/// Checks an offer's shape: a swap names the colleagues' shifts it would take in
/// exchange (at least one) and no people; a drop takes nothing in exchange and names at
/// most [`MAX_RECIPIENTS`] people (none: anyone it fits). No id twice.
pub fn offer(kind: SwapKind, shift_ids: &[i64], user_ids: &[i64]) -> Result<()> {
    let (field, ids, other, other_ids) = match kind {
        SwapKind::Swap => ("shift_ids", shift_ids, "user_ids", user_ids),
        SwapKind::Drop => ("user_ids", user_ids, "shift_ids", shift_ids),
    };
    if !other_ids.is_empty() {
        let why = match kind {
            SwapKind::Swap => "a swap names colleagues by the shifts they would give in exchange",
            SwapKind::Drop => "a drop takes no shift in exchange",
        };
        return Err(Error::invalid(other, why));
    }
    if kind == SwapKind::Swap && ids.is_empty() {
        return Err(Error::invalid(
            field,
            "a swap offers at least one colleague's shift in exchange",
        ));
    }
    if ids.len() > MAX_RECIPIENTS {
        return Err(Error::invalid(
            field,
            format!("{field} holds at most {MAX_RECIPIENTS} ids"),
        ));
    }
    let mut seen = ids.to_vec();
    seen.sort_unstable();
    seen.dedup();
    if seen.len() != ids.len() {
        return Err(Error::invalid(field, format!("{field} names an id twice")));
    }
    Ok(())
}

/// What a swap waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// A colleague to accept it.
    Acceptance,
    /// A manager to approve or deny the colleague who accepted.
    Approval,
    /// Nothing: it is over.
    Closed,
}

pub fn stage(status: SwapStatus, accepted_user_id: Option<i64>) -> Stage {
    match (status, accepted_user_id) {
        (SwapStatus::Pending, None) => Stage::Acceptance,
        (SwapStatus::Pending, Some(_)) => Stage::Approval,
        _ => Stage::Closed,
    }
}

/// A shift as a swap sees it: its holder and times, and whether staff see it still.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShiftState {
    pub user_id: Option<i64>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub published: bool,
    pub deleted: bool,
}

/// Whether `now` (the shift read under its lock, none if gone) is still the shift
/// `offered` was, at `at` (Unix seconds): the same holder and times, published, not
/// deleted, not started.
pub fn still_offered(offered: &ShiftState, now: Option<&ShiftState>, at: i64) -> bool {
    now.is_some_and(|now| {
        now.user_id == offered.user_id
            && now.starts_at == offered.starts_at
            && now.ends_at == offered.ends_at
            && now.published
            && !now.deleted
            && now.starts_at > at
    })
}

/// The swap's status and its accepting colleague's once they accept: waiting for a
/// manager where the swap requires approval, done otherwise.
pub fn accepted(requires_approval: bool) -> (SwapStatus, RecipientStatus) {
    if requires_approval {
        (SwapStatus::Pending, RecipientStatus::PendingApproval)
    } else {
        (SwapStatus::Completed, RecipientStatus::Accepted)
    }
}

/// What a recipient still waiting becomes when the swap ends as `status`: cancelled with
/// it, denied with it, expired with it, or (another colleague won) expired.
pub fn left_waiting(status: SwapStatus) -> RecipientStatus {
    match status {
        SwapStatus::Canceled => RecipientStatus::Canceled,
        SwapStatus::Declined => RecipientStatus::Denied,
        SwapStatus::Pending
        | SwapStatus::Approved
        | SwapStatus::Completed
        | SwapStatus::Expired => RecipientStatus::Expired,
    }
}

/// Whether a recipient in `status` is still waiting for the swap to go their way.
pub fn waiting(status: RecipientStatus) -> bool {
    matches!(
        status,
        RecipientStatus::PendingAcceptance | RecipientStatus::PendingApproval
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::code;

    fn field(result: Result<()>) -> Option<String> {
        match result {
            Err(Error::Invalid { field, code: c, .. }) if c == code::VALIDATION => {
                field.map(|f| f.into_owned())
            }
            _ => None,
        }
    }

    #[test]
    fn a_swap_names_shifts_in_exchange_and_a_drop_names_people_or_nobody() {
        assert!(offer(SwapKind::Swap, &[4, 5], &[]).is_ok());
        assert!(offer(SwapKind::Drop, &[], &[]).is_ok());
        assert!(offer(SwapKind::Drop, &[], &[7]).is_ok());
        assert_eq!(
            field(offer(SwapKind::Swap, &[], &[])).as_deref(),
            Some("shift_ids")
        );
        assert_eq!(
            field(offer(SwapKind::Swap, &[4], &[7])).as_deref(),
            Some("user_ids")
        );
        assert_eq!(
            field(offer(SwapKind::Drop, &[4], &[])).as_deref(),
            Some("shift_ids")
        );
        assert_eq!(
            field(offer(SwapKind::Drop, &[], &[7, 7])).as_deref(),
            Some("user_ids")
        );
        let many: Vec<i64> = (1..=21).collect();
        assert_eq!(
            field(offer(SwapKind::Swap, &many, &[])).as_deref(),
            Some("shift_ids")
        );
        assert!(offer(SwapKind::Swap, &many[..20], &[]).is_ok());
    }

    #[test]
    fn a_pending_swap_waits_for_acceptance_then_approval() {
        assert_eq!(stage(SwapStatus::Pending, None), Stage::Acceptance);
        assert_eq!(stage(SwapStatus::Pending, Some(3)), Stage::Approval);
        for status in [
            SwapStatus::Approved,
            SwapStatus::Declined,
            SwapStatus::Completed,
            SwapStatus::Canceled,
            SwapStatus::Expired,
        ] {
            assert_eq!(stage(status, Some(3)), Stage::Closed, "{status:?}");
        }
    }

    #[test]
    fn a_shift_changed_gone_or_started_is_no_longer_the_one_offered() {
        let offered = ShiftState {
            user_id: Some(3),
            starts_at: 1_000,
            ends_at: 2_000,
            published: true,
            deleted: false,
        };
        assert!(still_offered(&offered, Some(&offered), 999));
        assert!(!still_offered(&offered, Some(&offered), 1_000), "started");
        assert!(!still_offered(&offered, None, 0), "gone");
        let changes = [
            ShiftState {
                user_id: Some(4),
                ..offered
            },
            ShiftState {
                user_id: None,
                ..offered
            },
            ShiftState {
                starts_at: 1_100,
                ..offered
            },
            ShiftState {
                ends_at: 2_100,
                ..offered
            },
            ShiftState {
                published: false,
                ..offered
            },
            ShiftState {
                deleted: true,
                ..offered
            },
        ];
        for now in changes {
            assert!(!still_offered(&offered, Some(&now), 0), "{now:?}");
        }
    }

    #[test]
    fn accepting_completes_at_once_unless_a_manager_must_approve() {
        assert_eq!(
            accepted(true),
            (SwapStatus::Pending, RecipientStatus::PendingApproval)
        );
        assert_eq!(
            accepted(false),
            (SwapStatus::Completed, RecipientStatus::Accepted)
        );
        assert_eq!(stage(accepted(true).0, Some(3)), Stage::Approval);
    }

    #[test]
    fn those_still_waiting_end_with_the_swap() {
        assert_eq!(
            left_waiting(SwapStatus::Canceled),
            RecipientStatus::Canceled
        );
        assert_eq!(left_waiting(SwapStatus::Declined), RecipientStatus::Denied);
        assert_eq!(left_waiting(SwapStatus::Approved), RecipientStatus::Expired);
        assert_eq!(left_waiting(SwapStatus::Expired), RecipientStatus::Expired);
        assert!(waiting(RecipientStatus::PendingAcceptance));
        assert!(waiting(RecipientStatus::PendingApproval));
        assert!(!waiting(RecipientStatus::Declined));
    }
}
