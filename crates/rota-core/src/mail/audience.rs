//! Who hears of a change to a leave request, and why: pure functions over the request's
//! type, the requester and the people in their approver and notifier slots.
//!
//! - A new request waiting for a decision: approvers whose scope covers its kind (leave or
//!   overtime) are asked to decide, notifiers in scope are informed; with no approver in
//!   scope the company's super users are asked instead. Needs `email_on_request`.
//! - A request approved at once (its type needs no approval): the requester is told
//!   (`email_on_decision`), and everyone in scope is informed (`email_on_request`).
//! - A decision or a cancellation: the requester is told and notifiers in scope are
//!   informed. Needs `email_on_decision` or `email_on_cancel`.
//!
//! Archived users and users whose e-mail type is `none` get nothing; anyone reached twice
//! is reached once, for the weightier reason.

use crate::leave::request::Change;
use crate::leave::types::{LeaveType, TypeKind};
use crate::people::record::UserRecord;
use crate::people::types::{ApproverRole, EmailType, UserStatus};

/// Why someone gets a message. Ordered: a person reached for two reasons gets the greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// Told of something they need not act on.
    Inform,
    /// Asked to approve or decline.
    Decide,
    /// The person whose request it is.
    Own,
}

/// One of the requester's approver and notifier slots, with the user who fills it.
#[derive(Debug, Clone, Copy)]
pub struct Slot<'a> {
    pub role: ApproverRole,
    pub user: &'a UserRecord,
}

/// What a slot's role does for a request of `kind`: decide, inform, or nothing.
fn duty(role: ApproverRole, kind: TypeKind) -> Option<Reason> {
    let (decides, leave, overtime) = match role {
        ApproverRole::None => return None,
        ApproverRole::ApproverBoth => (true, true, true),
        ApproverRole::ApproverLeave => (true, true, false),
        ApproverRole::ApproverOvertime => (true, false, true),
        ApproverRole::NotifierBoth => (false, true, true),
        ApproverRole::NotifierLeave => (false, true, false),
        ApproverRole::NotifierOvertime => (false, false, true),
    };
    let in_scope = match kind {
        TypeKind::Leave => leave,
        TypeKind::Overtime => overtime,
    };
    in_scope.then_some(if decides {
        Reason::Decide
    } else {
        Reason::Inform
    })
}

fn reachable(user: &UserRecord) -> bool {
    UserStatus::from_stored(&user.status).is_ok_and(|s| s != UserStatus::Archived)
        && EmailType::from_stored(&user.email_type).is_ok_and(|t| t != EmailType::None)
}

/// True when an active user in the slots approves requests of `kind`; when false, a new
/// request goes to the company's super users.
pub fn has_approver(kind: TypeKind, slots: &[Slot<'_>]) -> bool {
    slots.iter().any(|slot| {
        duty(slot.role, kind) == Some(Reason::Decide)
            && UserStatus::from_stored(&slot.user.status).is_ok_and(|s| s == UserStatus::Active)
    })
}

/// Who gets a message about `change`, and why. `super_users` are asked to decide a new
/// request when [`has_approver`] finds nobody in the slots.
pub fn audience<'a>(
    change: Change,
    leave_type: &LeaveType,
    requester: &'a UserRecord,
    slots: &[Slot<'a>],
    super_users: &'a [UserRecord],
) -> Vec<(Reason, &'a UserRecord)> {
    let kind = leave_type.kind;
    let mut wanted: Vec<(Reason, &'a UserRecord)> = Vec::new();
    let in_scope = slots
        .iter()
        .filter_map(|slot| duty(slot.role, kind).map(|reason| (reason, slot.user)));
    match change {
        Change::Requested => {
            if leave_type.email_on_request {
                wanted.extend(in_scope);
                if !has_approver(kind, slots) {
                    wanted.extend(super_users.iter().map(|user| (Reason::Decide, user)));
                }
            }
        }
        Change::Booked => {
            if leave_type.email_on_decision {
                wanted.push((Reason::Own, requester));
            }
            if leave_type.email_on_request {
                wanted.extend(in_scope.map(|(_, user)| (Reason::Inform, user)));
            }
        }
        Change::Approved | Change::Declined | Change::Cancelled => {
            let wanted_here = if change == Change::Cancelled {
                leave_type.email_on_cancel
            } else {
                leave_type.email_on_decision
            };
            if wanted_here {
                wanted.push((Reason::Own, requester));
                wanted.extend(in_scope.filter(|(reason, _)| *reason == Reason::Inform));
            }
        }
        // No message describes an edit (`Change::mailed`).
        Change::Edited => {}
    }
    let mut chosen: Vec<(Reason, &'a UserRecord)> = Vec::new();
    for (reason, user) in wanted {
        if (reason != Reason::Own && user.id == requester.id) || !reachable(user) {
            continue;
        }
        match chosen.iter_mut().find(|(_, u)| u.id == user.id) {
            Some(entry) => entry.0 = entry.0.max(reason),
            None => chosen.push((reason, user)),
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::fixtures::{holiday, user};

    fn ids(audience: &[(Reason, &UserRecord)]) -> Vec<(Reason, i64)> {
        audience.iter().map(|(r, u)| (*r, u.id)).collect()
    }

    #[test]
    fn a_new_request_asks_approvers_in_scope_and_informs_notifiers_in_scope() {
        let sam = user(1, "Sam", EmailType::Html);
        let (alice, nora, otto) = (
            user(2, "Alice", EmailType::Html),
            user(3, "Nora", EmailType::Text),
            user(4, "Otto", EmailType::Html),
        );
        let slots = [
            Slot {
                role: ApproverRole::ApproverLeave,
                user: &alice,
            },
            Slot {
                role: ApproverRole::NotifierBoth,
                user: &nora,
            },
            Slot {
                role: ApproverRole::NotifierOvertime,
                user: &otto,
            },
        ];
        let leave = holiday();
        let got = audience(Change::Requested, &leave, &sam, &slots, &[]);
        assert_eq!(ids(&got), [(Reason::Decide, 2), (Reason::Inform, 3)]);

        let mut overtime = holiday();
        overtime.kind = TypeKind::Overtime;
        let owner = user(9, "Owen", EmailType::Text);
        let supers = [owner];
        let got = audience(Change::Requested, &overtime, &sam, &slots, &supers);
        assert_eq!(
            ids(&got),
            [
                (Reason::Inform, 3),
                (Reason::Inform, 4),
                (Reason::Decide, 9)
            ],
            "nobody approves overtime, so the super users are asked"
        );
    }

    #[test]
    fn decisions_tell_the_requester_and_notifiers_but_not_the_approvers() {
        let sam = user(1, "Sam", EmailType::Html);
        let (alice, nora) = (
            user(2, "Alice", EmailType::Html),
            user(3, "Nora", EmailType::Html),
        );
        let slots = [
            Slot {
                role: ApproverRole::ApproverBoth,
                user: &alice,
            },
            Slot {
                role: ApproverRole::NotifierLeave,
                user: &nora,
            },
        ];
        let leave = holiday();
        for change in [Change::Approved, Change::Declined, Change::Cancelled] {
            let got = audience(change, &leave, &sam, &slots, &[]);
            assert_eq!(
                ids(&got),
                [(Reason::Own, 1), (Reason::Inform, 3)],
                "{change:?}"
            );
        }
        let got = audience(Change::Booked, &leave, &sam, &slots, &[]);
        assert_eq!(
            ids(&got),
            [(Reason::Own, 1), (Reason::Inform, 2), (Reason::Inform, 3)],
            "leave booked without approval informs the approver too"
        );
    }

    #[test]
    fn the_type_flags_silence_each_kind_of_mail() {
        let sam = user(1, "Sam", EmailType::Html);
        let alice = user(2, "Alice", EmailType::Html);
        let nora = user(3, "Nora", EmailType::Html);
        let slots = [
            Slot {
                role: ApproverRole::ApproverBoth,
                user: &alice,
            },
            Slot {
                role: ApproverRole::NotifierBoth,
                user: &nora,
            },
        ];
        let mut quiet = holiday();
        quiet.email_on_request = false;
        assert!(audience(Change::Requested, &quiet, &sam, &slots, &[]).is_empty());
        assert_eq!(
            ids(&audience(Change::Booked, &quiet, &sam, &slots, &[])),
            [(Reason::Own, 1)]
        );
        quiet.email_on_decision = false;
        assert!(audience(Change::Approved, &quiet, &sam, &slots, &[]).is_empty());
        assert!(audience(Change::Booked, &quiet, &sam, &slots, &[]).is_empty());
        assert_eq!(
            audience(Change::Cancelled, &quiet, &sam, &slots, &[]).len(),
            2
        );
        quiet.email_on_cancel = false;
        assert!(audience(Change::Cancelled, &quiet, &sam, &slots, &[]).is_empty());
    }

    #[test]
    fn nobody_unreachable_is_mailed_and_nobody_twice() {
        let sam = user(1, "Sam", EmailType::None);
        let alice = user(2, "Alice", EmailType::Html);
        let mut gone = user(3, "Gone", EmailType::Html);
        gone.status = UserStatus::Archived.as_str().into();
        let slots = [
            Slot {
                role: ApproverRole::NotifierBoth,
                user: &alice,
            },
            Slot {
                role: ApproverRole::ApproverLeave,
                user: &alice,
            },
            Slot {
                role: ApproverRole::ApproverLeave,
                user: &gone,
            },
        ];
        let leave = holiday();
        let got = audience(Change::Requested, &leave, &sam, &slots, &[]);
        assert_eq!(
            ids(&got),
            [(Reason::Decide, 2)],
            "Alice, in two slots, is asked once"
        );
        assert!(
            audience(Change::Approved, &leave, &sam, &[], &[]).is_empty(),
            "e-mail type none gets nothing"
        );
        let supers = [
            user(1, "Sam", EmailType::Html),
            user(9, "Owen", EmailType::Html),
        ];
        let got = audience(Change::Requested, &leave, &supers[0], &[], &supers);
        assert_eq!(
            ids(&got),
            [(Reason::Decide, 9)],
            "a super user's own request goes to the other super users"
        );
    }
}
