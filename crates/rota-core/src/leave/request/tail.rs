//! One tail after every change to a request: a [`Change`] names what happened, and
//! [`finish`] turns it into the e-mails, the audit event and the webhook events, inside
//! the transaction that made the change, commits, and shows the request as it was
//! written, without reading it again.

use super::plan::Context;
use super::row::{LeaveRequest, RequestRow};
use crate::access::audit::{self, AuditAction};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::mail::leave::Subject;
use crate::policy::Actor;
use crate::webhooks::events::Event;

/// What happened to a request: the one name its mail, audit and webhooks derive from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Made, and waiting for a decision.
    Requested,
    /// Made and approved at once: its type needs no approval.
    Booked,
    Approved,
    Declined,
    /// Dates, type or note changed while pending.
    Edited,
    Cancelled,
}

impl Change {
    /// Whether it causes e-mails. An edit sends none: the request is still pending, its
    /// approver is asked again by nothing, and no message template describes an edit.
    pub fn mailed(self) -> bool {
        self != Self::Edited
    }

    /// The past participle a message uses: `approved`, `booked` …
    pub fn outcome(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Booked => "booked",
            Self::Approved => "approved",
            Self::Declined => "declined",
            Self::Edited => "edited",
            Self::Cancelled => "cancelled",
        }
    }

    /// The audit log's name for it. A booking is recorded as a request, as it was made.
    pub fn audit(self) -> AuditAction {
        match self {
            Self::Requested | Self::Booked => AuditAction::LeaveRequested,
            Self::Approved => AuditAction::LeaveApproved,
            Self::Declined => AuditAction::LeaveDeclined,
            Self::Edited => AuditAction::LeaveEdited,
            Self::Cancelled => AuditAction::LeaveCancelled,
        }
    }

    /// The webhook events owed, in order. A booking is requested and approved at once, so
    /// a receiver that follows approvals only hears of it too. An edit owes none: the
    /// webhook catalogue has no event for it, and receivers see the request when it is
    /// decided.
    pub fn webhooks(self) -> &'static [Event] {
        match self {
            Self::Requested => &[Event::LeaveRequested],
            Self::Booked => &[Event::LeaveRequested, Event::LeaveApproved],
            Self::Approved => &[Event::LeaveApproved],
            Self::Declined => &[Event::LeaveDeclined],
            Self::Cancelled => &[Event::LeaveCancelled],
            Self::Edited => &[],
        }
    }
}

/// Queues what `change` to `row` (as written in `tx`) causes, commits, and returns the
/// request as `actor` sees it.
pub(crate) async fn finish(
    mut tx: Tx,
    actor: &Actor,
    ctx: &Context,
    row: RequestRow,
    change: Change,
) -> Result<LeaveRequest> {
    if change.mailed() {
        let subject = Subject {
            id: row.id,
            span: row.span(),
            amount: row.amount,
            unit: row.unit,
            note: row.note.as_deref(),
            reason: row.decision_reason.as_deref(),
        };
        crate::mail::leave::queue(
            &mut tx,
            &ctx.company,
            &ctx.leave_type,
            &ctx.user,
            subject,
            change,
        )
        .await?;
    }
    audit::record_by(
        &mut tx,
        actor,
        change.audit(),
        Some(("leave_request", row.id)),
        serde_json::json!({}),
    )
    .await?;
    if !change.webhooks().is_empty() {
        // Receivers see the request as someone who may not read its note.
        let shown = row.clone().render(ctx.leave_type.kind, false);
        let data =
            serde_json::to_value(shown).map_err(|e| Error::Internal(e.to_string().into()))?;
        for event in change.webhooks() {
            crate::webhooks::emit(&mut tx, ctx.company.id, *event, data.clone()).await?;
        }
    }
    tx.commit().await?;
    let show_note = ctx.shows_note(actor, &row);
    Ok(row.render(ctx.leave_type.kind, show_note))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Change; 6] = [
        Change::Requested,
        Change::Booked,
        Change::Approved,
        Change::Declined,
        Change::Edited,
        Change::Cancelled,
    ];

    #[test]
    fn every_change_but_an_edit_is_mailed_and_announced() {
        for change in ALL {
            let silent = change == Change::Edited;
            assert_eq!(!change.mailed(), silent, "{change:?}");
            assert_eq!(change.webhooks().is_empty(), silent, "{change:?}");
        }
    }

    #[test]
    fn the_audit_action_and_the_first_webhook_share_a_name() {
        for change in ALL {
            if let Some(event) = change.webhooks().first() {
                assert_eq!(change.audit().as_str(), event.as_str(), "{change:?}");
            }
        }
        assert_eq!(Change::Edited.audit().as_str(), "leave.edited");
    }
}
