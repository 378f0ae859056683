//! One tail after every change to a time entry: a [`Change`] names what happened, and
//! [`finish`] turns it into the audit event and the webhook event, inside the transaction
//! that made the change, commits, and shows the entry as written. Nothing is mailed: no
//! message template describes a time entry.

use super::row::{self, EntryRow, TimeEntry, View};
use crate::access::audit::{self, AuditAction};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::policy::Actor;
use crate::webhooks::events::Event;

/// What happened to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Clocked in, or made by a manager.
    Created,
    /// Clocked out, a break started or ended, or edited by a manager.
    Updated,
    Deleted,
    Approved,
    Unapproved,
}

impl Change {
    pub fn audit(self) -> AuditAction {
        match self {
            Self::Created => AuditAction::TimeEntryCreated,
            Self::Updated => AuditAction::TimeEntryUpdated,
            Self::Deleted => AuditAction::TimeEntryDeleted,
            Self::Approved => AuditAction::TimeEntryApproved,
            Self::Unapproved => AuditAction::TimeEntryUnapproved,
        }
    }

    /// The webhook event owed. Taking an approval back is an update: receivers see the
    /// entry unapproved.
    pub fn webhook(self) -> Event {
        match self {
            Self::Created => Event::TimeEntryCreated,
            Self::Updated | Self::Unapproved => Event::TimeEntryUpdated,
            Self::Deleted => Event::TimeEntryDeleted,
            Self::Approved => Event::TimeEntryApproved,
        }
    }
}

/// The entry `row` (as written in `tx`) as the API shows it, with its breaks.
pub(crate) async fn show(tx: &mut Tx, row: &EntryRow) -> Result<TimeEntry> {
    let view = View::load(tx, row.company_id).await?;
    let breaks = row::breaks_of_one(tx, row.company_id, row.id).await?;
    view.render(row, &breaks)
}

/// Records and announces `change` to `entry` in `tx`, then commits.
pub(crate) async fn announce(
    mut tx: Tx,
    actor: &Actor,
    entry: &TimeEntry,
    change: Change,
) -> Result<()> {
    audit::record_by(
        &mut tx,
        actor,
        change.audit(),
        Some(("time_entry", entry.id)),
        serde_json::json!({"user_id": entry.user_id}),
    )
    .await?;
    let data = serde_json::to_value(entry).map_err(|e| Error::Internal(e.to_string().into()))?;
    crate::webhooks::emit(&mut tx, entry.company_id, change.webhook(), data).await?;
    tx.commit().await?;
    Ok(())
}

/// Shows `row`, records and announces `change` to it, commits, and returns it as shown.
pub(crate) async fn finish(
    mut tx: Tx,
    actor: &Actor,
    row: &EntryRow,
    change: Change,
) -> Result<TimeEntry> {
    let entry = show(&mut tx, row).await?;
    announce(tx, actor, &entry, change).await?;
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_action_and_the_webhook_share_a_name_except_for_unapproving() {
        for change in [
            Change::Created,
            Change::Updated,
            Change::Deleted,
            Change::Approved,
        ] {
            assert_eq!(change.audit().as_str(), change.webhook().as_str());
        }
        assert_eq!(Change::Unapproved.audit().as_str(), "time_entry.unapproved");
        assert_eq!(Change::Unapproved.webhook().as_str(), "time_entry.updated");
    }
}
