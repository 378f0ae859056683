//! The tail of every change to a repeating shift, inside its transaction: the audit
//! event and the webhook event (its data the chain as the API shows it). Shifts detached
//! from a chain go through the shifts' own tail as well, with their history.

use serde_json::json;

use super::row::{ChainRow, ShiftChain};
use crate::access::audit::{self, AuditAction};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::policy::Actor;
use crate::webhooks::events::Event;

/// What happened to one chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainChange {
    Created,
    /// Changed, ended early, or one of its days taken out.
    Updated,
    Deleted,
}

impl ChainChange {
    fn audit(self) -> AuditAction {
        match self {
            Self::Created => AuditAction::ShiftChainCreated,
            Self::Updated => AuditAction::ShiftChainUpdated,
            Self::Deleted => AuditAction::ShiftChainDeleted,
        }
    }

    fn webhook(self) -> Event {
        match self {
            Self::Created => Event::ShiftChainCreated,
            Self::Updated => Event::ShiftChainUpdated,
            Self::Deleted => Event::ShiftChainDeleted,
        }
    }
}

/// Records `change` to `row` (as written in `tx`) and returns it as the API shows it.
pub(crate) async fn record(
    tx: &mut Tx,
    actor: &Actor,
    change: ChainChange,
    row: &ChainRow,
) -> Result<ShiftChain> {
    let shown = row.render()?;
    audit::record_by(
        tx,
        actor,
        change.audit(),
        Some(("shift_chain", row.id)),
        json!({"until": shown.until, "exceptions": shown.exceptions.len()}),
    )
    .await?;
    let data = serde_json::to_value(&shown).map_err(|e| Error::Internal(e.to_string().into()))?;
    crate::webhooks::emit(tx, actor.company_id, change.webhook(), data).await?;
    Ok(shown)
}
