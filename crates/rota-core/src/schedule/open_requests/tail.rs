//! One tail after every change to an open-shift request, inside its transaction: the audit
//! event, the webhook event (the request with every bid) and, for a decision, an e-mail to
//! each standing bidder.

use serde_json::json;

use super::model::OpenShiftRequest;
use crate::access::audit::{self, AuditAction};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::mail::{self, Message};
use crate::people::record::UserRecord;
use crate::people::types::EmailType;
use crate::policy::Actor;
use crate::schedule::holders::Holders;
use crate::webhooks::events::Event;

/// What happened to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RequestChange {
    Bid,
    Withdrawn,
    Approved,
    Denied,
}

impl RequestChange {
    fn audit(self) -> AuditAction {
        match self {
            Self::Bid => AuditAction::OpenShiftBid,
            Self::Withdrawn => AuditAction::OpenShiftBidWithdrawn,
            Self::Approved => AuditAction::OpenShiftRequestApproved,
            Self::Denied => AuditAction::OpenShiftRequestDenied,
        }
    }

    fn webhook(self) -> Event {
        match self {
            Self::Bid | Self::Withdrawn => Event::OpenShiftRequestUpdated,
            Self::Approved => Event::OpenShiftRequestApproved,
            Self::Denied => Event::OpenShiftRequestDenied,
        }
    }
}

/// Records `change` to `request` (shown whole, as written in `tx`), and for a decision
/// mails each of its standing bidders among `bidders`.
pub(crate) async fn record(
    tx: &mut Tx,
    actor: &Actor,
    change: RequestChange,
    request: &OpenShiftRequest,
    bidders: &Holders,
) -> Result<()> {
    audit::record_by(
        tx,
        actor,
        change.audit(),
        Some(("open_shift_request", request.id)),
        json!({"shift_id": request.shift_id, "approved_user_id": request.approved_user_id}),
    )
    .await?;
    let data = serde_json::to_value(request).map_err(|e| Error::Internal(e.to_string().into()))?;
    crate::webhooks::emit(tx, actor.company_id, change.webhook(), data).await?;
    let messages: Vec<Message> = request
        .bids
        .iter()
        .filter(|b| b.withdrawn_at.is_none())
        .filter_map(|b| bidders.records.get(&b.user_id))
        .filter_map(|user| message(change, request, user))
        .collect();
    mail::enqueue(tx, actor.company_id, &messages).await
}

/// The e-mail telling a bidder how `request` was decided; none for a bid or a withdrawal,
/// or for someone who gets no e-mail.
fn message(
    change: RequestChange,
    request: &OpenShiftRequest,
    user: &UserRecord,
) -> Option<Message> {
    if EmailType::from_stored(&user.email_type).ok()? == EmailType::None {
        return None;
    }
    let shift = &request.shift;
    let when = format!(
        "{} to {} ({})",
        shift.starts_at, shift.ends_at, shift.time_zone
    );
    let (subject, lead) = match change {
        RequestChange::Bid | RequestChange::Withdrawn => return None,
        RequestChange::Approved if request.approved_user_id == Some(user.id) => (
            "The open shift is yours",
            "Your bid was approved; this shift is now yours:",
        ),
        RequestChange::Approved => (
            "The open shift went to someone else",
            "Another bid was approved for this shift:",
        ),
        RequestChange::Denied => (
            "Your bid for an open shift was declined",
            "The bids for this shift were declined:",
        ),
    };
    Some(Message {
        recipient_user_id: Some(user.id),
        recipient_address: user.email.clone(),
        subject: subject.into(),
        text_body: format!(
            "Hello {},\n\n{lead}\n\n- {when}\n\nSee your shifts in Rota: {}\n",
            user.first_name,
            crate::mail::link("/schedule"),
        ),
        html_body: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::open_requests::model::{Bid, OpenShiftRequestStatus};
    use crate::schedule::row::{ShiftRow, Zones};

    fn request(approved_user_id: Option<i64>) -> OpenShiftRequest {
        let shift = ShiftRow {
            id: 7,
            company_id: 1,
            user_id: approved_user_id,
            location_id: 2,
            position_id: None,
            site_id: None,
            starts_at: 1_796_115_600, // 2026-12-01T09:00:00Z
            ends_at: 1_796_144_400,
            colour: "cccccc".into(),
            notes: None,
            published: true,
            published_at: None,
            requires_approval: true,
            acknowledged_at: None,
            created_by: 1,
            created_at: 0,
            updated_at: 0,
            deleted_at: None,
            breaks: Vec::new(),
        }
        .render(&Zones::fixed("Europe/London"));
        OpenShiftRequest {
            id: 1,
            company_id: 1,
            shift_id: 7,
            status: OpenShiftRequestStatus::Approved,
            approved_user_id,
            created_by: 3,
            updated_by: 1,
            created_at: String::new(),
            updated_at: String::new(),
            shift,
            bids: vec![Bid {
                id: 1,
                user_id: 3,
                created_at: String::new(),
                withdrawn_at: None,
            }],
        }
    }

    fn bidder(id: i64) -> UserRecord {
        let mut user = UserRecord::new(1, "sam@example.test".into(), "Sam".into(), "Lee".into(), 0);
        user.id = id;
        user
    }

    #[test]
    fn each_bidder_learns_whether_the_shift_is_theirs() {
        let won = message(RequestChange::Approved, &request(Some(3)), &bidder(3)).unwrap();
        assert_eq!(won.subject, "The open shift is yours");
        assert!(
            won.text_body.contains("2026-12-01T09:00:00+00:00"),
            "{}",
            won.text_body
        );
        let lost = message(RequestChange::Approved, &request(Some(4)), &bidder(3)).unwrap();
        assert_eq!(lost.subject, "The open shift went to someone else");
        let denied = message(RequestChange::Denied, &request(None), &bidder(3)).unwrap();
        assert_eq!(denied.subject, "Your bid for an open shift was declined");
        assert!(message(RequestChange::Bid, &request(None), &bidder(3)).is_none());
        let mut quiet = bidder(3);
        quiet.email_type = EmailType::None.as_str().into();
        assert!(message(RequestChange::Denied, &request(None), &quiet).is_none());
    }

    #[test]
    fn each_change_has_its_audit_action_and_event() {
        assert_eq!(
            RequestChange::Bid.audit().as_str(),
            "open_shift_request.bid"
        );
        assert_eq!(
            RequestChange::Withdrawn.webhook(),
            Event::OpenShiftRequestUpdated
        );
        for change in [RequestChange::Approved, RequestChange::Denied] {
            assert_eq!(change.audit().as_str(), change.webhook().as_str());
        }
    }
}
