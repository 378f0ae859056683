//! One tail after every change to shifts, inside the transaction that made it: the
//! history row, the audit event and the webhook event of one [`Change`] to one shift; and,
//! for a location's shifts published or unpublished at once ([`Release`]), a history row
//! each, one audit and webhook event for them all, and one e-mail to each person concerned,
//! through the outbox.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::history::{self, Reason};
use super::holders::Holders;
use super::row::{Shift, ShiftRow, Zones};
use crate::access::audit::{self, AuditAction};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::mail::{self, Message};
use crate::people::record::UserRecord;
use crate::people::types::EmailType;
use crate::policy::Actor;
use crate::webhooks::events::Event;

/// What happened to one shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    /// Made from an occurrence of a repeating shift edited on its own.
    Detached,
    /// Changed, for this reason (`edit`, `assign`, `unassign`, `take`, `publish`, `unpublish`).
    Edited(Reason),
    /// Deleted, one (`delete`) or by a filter (`delete_bulk`).
    Deleted(Reason),
    Acknowledged,
}

impl Change {
    pub fn reason(self) -> Reason {
        match self {
            Self::Created => Reason::Create,
            Self::Detached => Reason::CreatedFromRepeatingSeries,
            Self::Edited(reason) | Self::Deleted(reason) => reason,
            Self::Acknowledged => Reason::Acknowledge,
        }
    }

    pub fn audit(self) -> AuditAction {
        match self {
            Self::Created | Self::Detached => AuditAction::ShiftCreated,
            Self::Edited(_) => AuditAction::ShiftUpdated,
            Self::Deleted(_) => AuditAction::ShiftDeleted,
            Self::Acknowledged => AuditAction::ShiftAcknowledged,
        }
    }

    pub fn webhook(self) -> Event {
        match self {
            Self::Created | Self::Detached => Event::ShiftCreated,
            Self::Edited(_) | Self::Acknowledged => Event::ShiftUpdated,
            Self::Deleted(_) => Event::ShiftDeleted,
        }
    }
}

/// Records `change` from `before` to `after` (as written in `tx`; a deleted shift has no
/// after) and returns the shift as the API shows it.
pub(crate) async fn record(
    tx: &mut Tx,
    actor: &Actor,
    change: Change,
    before: Option<&ShiftRow>,
    after: &ShiftRow,
    zones: &Zones,
) -> Result<Shift> {
    let before_fields = before.map(ShiftRow::snapshot);
    let after_fields = (!matches!(change, Change::Deleted(_))).then(|| after.snapshot());
    let changes = history::changes(before_fields.as_ref(), after_fields.as_ref());
    history::record(tx, actor, after.id, change.reason(), &changes).await?;
    audit::record_by(
        tx,
        actor,
        change.audit(),
        Some(("shift", after.id)),
        json!({"reason": change.reason().as_str()}),
    )
    .await?;
    let shown = after.render(zones);
    let data = serde_json::to_value(&shown).map_err(|e| Error::Internal(e.to_string().into()))?;
    crate::webhooks::emit(tx, actor.company_id, change.webhook(), data).await?;
    Ok(shown)
}

/// A location's shifts in a range, published or taken back at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    Published,
    Unpublished,
}

impl Release {
    pub fn reason(self) -> Reason {
        match self {
            Self::Published => Reason::Publish,
            Self::Unpublished => Reason::Unpublish,
        }
    }

    fn audit(self) -> AuditAction {
        match self {
            Self::Published => AuditAction::ShiftsPublished,
            Self::Unpublished => AuditAction::ShiftsUnpublished,
        }
    }

    fn webhook(self) -> Event {
        match self {
            Self::Published => Event::ShiftPublished,
            Self::Unpublished => Event::ShiftUnpublished,
        }
    }

    /// Whether the shifts are published afterwards.
    pub fn published(self) -> bool {
        self == Self::Published
    }
}

/// What publishing or unpublishing did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReleaseSummary {
    pub location_id: i64,
    /// The range, RFC 3339 in UTC: shifts starting from `from`, before `to`.
    pub from: String,
    pub to: String,
    /// The shifts published (or unpublished) now; those already so are left alone.
    pub shift_ids: Vec<i64>,
    /// The people told by e-mail (those whose e-mail setting is not `none`).
    pub notified_user_ids: Vec<i64>,
}

/// Where and when a release applies: a location (its id and name) and a range of instants.
pub(crate) struct Scope<'a> {
    pub location_id: i64,
    pub location: &'a str,
    pub from: i64,
    pub to: i64,
}

/// Records `release` of `rows` (as written in `tx`) in `scope`, mails each person holding
/// one of them, and says what was done; when `rows` is empty, nothing is recorded.
pub(crate) async fn released(
    tx: &mut Tx,
    actor: &Actor,
    release: Release,
    scope: &Scope<'_>,
    rows: &[ShiftRow],
    (holders, zones): (&Holders, &Zones),
) -> Result<ReleaseSummary> {
    let published = release.published();
    let changes = json!({"before": {"published": !published}, "after": {"published": published}});
    for row in rows {
        history::record(tx, actor, row.id, release.reason(), &changes).await?;
    }
    let mut by_user: BTreeMap<i64, Vec<Shift>> = BTreeMap::new();
    for row in rows {
        if let Some(user_id) = row.user_id {
            by_user.entry(user_id).or_default().push(row.render(zones));
        }
    }
    let mut messages = Vec::new();
    for (user_id, shifts) in &by_user {
        if let Some(user) = holders.records.get(user_id)
            && let Some(message) = message(release, scope.location, user, shifts)
        {
            messages.push(message);
        }
    }
    mail::enqueue(tx, actor.company_id, &messages).await?;
    let summary = ReleaseSummary {
        location_id: scope.location_id,
        from: crate::time::rfc3339(scope.from),
        to: crate::time::rfc3339(scope.to),
        shift_ids: rows.iter().map(|r| r.id).collect(),
        notified_user_ids: messages
            .iter()
            .filter_map(|m| m.recipient_user_id)
            .collect(),
    };
    if rows.is_empty() {
        // Nothing changed: nothing to record or announce.
        return Ok(summary);
    }
    let data = serde_json::to_value(&summary).map_err(|e| Error::Internal(e.to_string().into()))?;
    audit::record_by(
        tx,
        actor,
        release.audit(),
        Some(("location", scope.location_id)),
        data.clone(),
    )
    .await?;
    crate::webhooks::emit(tx, actor.company_id, release.webhook(), data).await?;
    Ok(summary)
}

/// The e-mail telling `user` that `shifts` of theirs at `location` were published (or
/// taken back); none for someone who gets no e-mail.
fn message(
    release: Release,
    location: &str,
    user: &UserRecord,
    shifts: &[Shift],
) -> Option<Message> {
    if EmailType::from_stored(&user.email_type).ok()? == EmailType::None {
        return None;
    }
    let (subject, lead) = match release {
        Release::Published => (
            format!("Your shifts at {location} are published"),
            "These shifts of yours are now on the schedule:",
        ),
        Release::Unpublished => (
            format!("Your shifts at {location} were taken back"),
            "These shifts of yours are no longer on the schedule, for now:",
        ),
    };
    let lines: Vec<String> = shifts
        .iter()
        .map(|s| format!("- {} to {} ({})", s.starts_at, s.ends_at, s.time_zone))
        .collect();
    Some(Message {
        recipient_user_id: Some(user.id),
        recipient_address: user.email.clone(),
        subject,
        text_body: format!(
            "Hello {},\n\n{lead}\n\n{}\n\nSee your shifts in Rota: {}\n",
            user.first_name,
            lines.join("\n"),
            crate::mail::link("/schedule"),
        ),
        html_body: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::row::ShiftRow;

    fn shift() -> Shift {
        ShiftRow {
            id: 7,
            company_id: 1,
            user_id: Some(3),
            location_id: 2,
            position_id: None,
            site_id: None,
            starts_at: 1_796_115_600, // 2026-12-01T09:00:00Z
            ends_at: 1_796_144_400,
            colour: "cccccc".into(),
            notes: None,
            published: true,
            published_at: None,
            requires_approval: false,
            acknowledged_at: None,
            created_by: 1,
            created_at: 0,
            updated_at: 0,
            deleted_at: None,
            breaks: Vec::new(),
        }
        .render(&Zones::fixed("Europe/London"))
    }

    #[test]
    fn each_person_is_told_of_their_shifts_unless_they_take_no_email() {
        let mut user = UserRecord::new(1, "sam@example.test".into(), "Sam".into(), "Lee".into(), 0);
        user.id = 3;
        let told = message_for(Release::Published, &user);
        assert_eq!(told.recipient_user_id, Some(3));
        assert_eq!(told.subject, "Your shifts at Broadway are published");
        assert!(
            told.text_body.contains(
                "- 2026-12-01T09:00:00+00:00 to 2026-12-01T17:00:00+00:00 (Europe/London)"
            ),
            "{}",
            told.text_body
        );
        let back = message_for(Release::Unpublished, &user);
        assert_eq!(back.subject, "Your shifts at Broadway were taken back");
        user.email_type = EmailType::None.as_str().into();
        assert!(message(Release::Published, "Broadway", &user, &[shift()]).is_none());
    }

    fn message_for(release: Release, user: &UserRecord) -> Message {
        message(release, "Broadway", user, &[shift()]).expect("a message")
    }

    #[test]
    fn each_change_has_its_reason_audit_action_and_event() {
        assert_eq!(Change::Created.reason(), Reason::Create);
        assert_eq!(Change::Edited(Reason::Assign).reason(), Reason::Assign);
        assert_eq!(Change::Acknowledged.webhook(), Event::ShiftUpdated);
        assert_eq!(
            Change::Deleted(Reason::DeleteBulk).audit().as_str(),
            "shift.deleted"
        );
        for change in [
            Change::Created,
            Change::Edited(Reason::Edit),
            Change::Deleted(Reason::Delete),
        ] {
            assert_eq!(change.audit().as_str(), change.webhook().as_str());
        }
        assert_eq!(
            Release::Published.audit().as_str(),
            Release::Published.webhook().as_str()
        );
    }
}
