//! One tail after every step of a swap, inside its transaction: the audit event, the
//! webhook event (`swap.created`, `swap.updated`) and an e-mail to each person concerned
//! other than who acted, pointing at the swap.

use serde_json::json;

use super::row::{Swap, SwapRow};
use crate::access::audit::{self, AuditAction};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::mail::{self, Message};
use crate::people::types::EmailType;
use crate::policy::Actor;
use crate::schedule::holders::Holders;
use crate::schedule::row::Zones;
use crate::webhooks::events::Event;

/// What happened to a swap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Offered,
    /// Accepted by a colleague, waiting for a manager.
    Accepted,
    /// Declined by a colleague it named.
    Declined,
    /// Accepted where no approval is needed: the shifts changed hands.
    Completed,
    /// Approved by a manager: the shifts changed hands.
    Approved,
    Denied,
    Canceled,
    Expired,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Offered => "offered",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Completed => "completed",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::Canceled => "canceled",
            Self::Expired => "expired",
        }
    }

    /// What the mail of this step asks of its readers, and the web page where they do it:
    /// an offer is answered, and an accepted swap decided, on the open shifts and swaps
    /// page; the rest is seen among one's shifts.
    pub fn call_to_action(self) -> (&'static str, &'static str) {
        match self {
            Self::Offered => ("Accept or decline it in Rota", "/schedule/open"),
            Self::Accepted => ("Approve or deny it in Rota", "/schedule/open"),
            _ => ("See your shifts in Rota", "/schedule"),
        }
    }

    fn audit(self) -> AuditAction {
        match self {
            Self::Offered => AuditAction::SwapCreated,
            _ => AuditAction::SwapUpdated,
        }
    }

    fn webhook(self) -> Event {
        match self {
            Self::Offered => Event::SwapCreated,
            _ => Event::SwapUpdated,
        }
    }
}

/// Who hears of `step` on `swap` by e-mail, `actor` aside: the colleagues offered it when
/// it is offered or cancelled; its holder's `approvers` when it waits for them; its holder
/// and the colleague who accepted it when it is decided or done; its holder otherwise.
pub fn concerned(step: Step, swap: &SwapRow, approvers: &[i64], actor: i64) -> Vec<i64> {
    let recipients = swap.recipient_ids();
    let mut ids: Vec<i64> = match step {
        Step::Offered | Step::Canceled => recipients,
        Step::Accepted => std::iter::once(swap.user_id)
            .chain(approvers.iter().copied())
            .collect(),
        Step::Completed | Step::Approved | Step::Denied => std::iter::once(swap.user_id)
            .chain(swap.accepted_user_id)
            .collect(),
        Step::Declined => vec![swap.user_id],
        Step::Expired => std::iter::once(swap.user_id).chain(recipients).collect(),
    };
    ids.retain(|&id| id != actor);
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Records `step` on `swap` (as written in `tx`) and returns it as the API shows it.
pub(crate) async fn record(
    tx: &mut Tx,
    actor: &Actor,
    step: Step,
    swap: &SwapRow,
    zones: &Zones,
) -> Result<Swap> {
    let shown = swap.render(zones);
    audit::record_by(
        tx,
        actor,
        step.audit(),
        Some(("swap", swap.id)),
        json!({"step": step.as_str(), "shift_id": swap.shift_id}),
    )
    .await?;
    let data = serde_json::to_value(&shown).map_err(|e| Error::Internal(e.to_string().into()))?;
    crate::webhooks::emit(tx, actor.company_id, step.webhook(), data).await?;
    let holder = Holders::load(tx, actor.company_id, [swap.user_id]).await?;
    let approvers: Vec<i64> = holder
        .records
        .get(&swap.user_id)
        .and_then(|h| h.approver_id)
        .into_iter()
        .collect();
    let ids = concerned(step, swap, &approvers, actor.user_id);
    let people = Holders::load(tx, actor.company_id, ids.iter().copied()).await?;
    let messages: Vec<Message> = ids
        .iter()
        .filter_map(|id| people.records.get(id))
        .filter(|user| EmailType::from_stored(&user.email_type).ok() != Some(EmailType::None))
        .map(|user| {
            let (action, page) = step.call_to_action();
            Message {
                recipient_user_id: Some(user.id),
                recipient_address: user.email.clone(),
                subject: subject(step, swap),
                text_body: format!(
                    "Hello {},\n\nThe {} of shift {} ({} to {}) was {}.\n\n{action}: {}\n",
                    user.first_name,
                    swap.kind.as_str(),
                    swap.shift_id,
                    shown.starts_at,
                    shown.ends_at,
                    step.as_str(),
                    mail::link(page),
                ),
                html_body: None,
            }
        })
        .collect();
    mail::enqueue(tx, actor.company_id, &messages).await?;
    Ok(shown)
}

fn subject(step: Step, swap: &SwapRow) -> String {
    format!(
        "Shift {} {}: {}",
        swap.kind.as_str(),
        swap.id,
        step.as_str()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::swap::row::{RecipientRow, RecipientStatus, SwapKind, SwapStatus};

    fn swap() -> SwapRow {
        let recipient = |user_id| RecipientRow {
            swap_id: 9,
            user_id,
            shift_id: None,
            status: RecipientStatus::PendingAcceptance,
        };
        SwapRow {
            id: 9,
            company_id: 1,
            kind: SwapKind::Drop,
            shift_id: 5,
            user_id: 2,
            location_id: 1,
            starts_at: 0,
            ends_at: 0,
            status: SwapStatus::Pending,
            requires_approval: true,
            open_to_all: false,
            accepted_user_id: Some(3),
            decided_by: None,
            created_by: 2,
            created_at: 0,
            updated_at: 0,
            completed_at: None,
            recipients: vec![recipient(3), recipient(4)],
        }
    }

    #[test]
    fn each_step_tells_those_it_concerns_but_not_who_acted() {
        let swap = swap();
        assert_eq!(concerned(Step::Offered, &swap, &[7], 2), [3, 4]);
        assert_eq!(concerned(Step::Accepted, &swap, &[7], 3), [2, 7]);
        assert_eq!(concerned(Step::Approved, &swap, &[7], 7), [2, 3]);
        assert_eq!(concerned(Step::Completed, &swap, &[7], 3), [2]);
        assert_eq!(concerned(Step::Declined, &swap, &[7], 4), [2]);
        assert_eq!(concerned(Step::Canceled, &swap, &[7], 2), [3, 4]);
        assert_eq!(concerned(Step::Expired, &swap, &[7], 3), [2, 4]);
    }

    #[test]
    fn who_must_act_is_sent_to_the_page_where_they_do() {
        assert_eq!(Step::Offered.call_to_action().1, "/schedule/open");
        assert_eq!(Step::Accepted.call_to_action().1, "/schedule/open");
        for step in [Step::Approved, Step::Denied, Step::Declined, Step::Expired] {
            assert_eq!(step.call_to_action().1, "/schedule");
        }
    }

    #[test]
    fn only_an_offer_is_a_new_swap() {
        assert_eq!(Step::Offered.audit().as_str(), "swap.created");
        assert_eq!(Step::Offered.webhook().as_str(), "swap.created");
        for step in [Step::Accepted, Step::Approved, Step::Expired] {
            assert_eq!(step.audit().as_str(), step.webhook().as_str());
            assert_eq!(step.webhook().as_str(), "swap.updated");
        }
    }
}
