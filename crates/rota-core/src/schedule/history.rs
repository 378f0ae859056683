//! A shift's history: one row per change, with its reason and what changed (the fields
//! before and after), kept when the shift is deleted. The reasons are When I Work's list
//! (`assign`, `take`, `delete`, `split`, `swap`, `drop`, `edit`, `publish`, …, written
//! with `_` where When I Work writes `-`), and Rota's own `create`, `unassign` and
//! `acknowledge`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::db::{Tx, now};
use crate::error::{Error, Result};
use crate::people::types::text_enum;
use crate::policy::Actor;

text_enum! {
    /// Why a shift changed.
    Reason {
        Create = "create",
        Assign = "assign",
        Unassign = "unassign",
        Take = "take",
        Delete = "delete",
        Split = "split",
        Swap = "swap",
        Drop = "drop",
        Edit = "edit",
        AssignApprove = "assign_approve",
        RepeatingDelete = "repeating_delete",
        OverwriteConflictsDelete = "overwrite_conflicts_delete",
        DeletedAssignedUser = "deleted_assigned_user",
        UserRemovedFromSchedule = "user_removed_from_schedule",
        CreatedFromRepeatingSeries = "created_from_repeating_series",
        UpdatedFromRepeatingSeries = "updated_from_repeating_series",
        Publish = "publish",
        Unpublish = "unpublish",
        DeleteBulk = "delete_bulk",
        DeleteClear = "delete_clear",
        Acknowledge = "acknowledge",
    }
}

/// One change to a shift.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub id: i64,
    pub shift_id: i64,
    /// When, RFC 3339 in UTC.
    pub at: String,
    /// Who made it; absent when nobody did (the system).
    pub actor_user_id: Option<i64>,
    pub reason: Reason,
    /// The fields that changed: `{"before": {…}, "after": {…}}`, each holding only those
    /// fields (instants in UTC); a created shift has no `before`, a deleted one no `after`.
    #[schema(value_type = Object)]
    pub changes: Value,
}

#[derive(FromRow)]
pub(crate) struct HistoryRow {
    id: i64,
    shift_id: i64,
    at: i64,
    actor_user_id: Option<i64>,
    #[sqlx(try_from = "String")]
    reason: Reason,
    changes: String,
}

impl HistoryRow {
    pub fn id(&self) -> i64 {
        self.id
    }

    pub fn render(self) -> Result<HistoryEntry> {
        Ok(HistoryEntry {
            id: self.id,
            shift_id: self.shift_id,
            at: crate::time::rfc3339(self.at),
            actor_user_id: self.actor_user_id,
            reason: self.reason,
            changes: serde_json::from_str(&self.changes)
                .map_err(|e| Error::Internal(format!("stored shift changes: {e}").into()))?,
        })
    }
}

pub(crate) const SELECT: &str =
    "SELECT id, shift_id, at, actor_user_id, reason, changes FROM shift_history";

/// What changed between two snapshots of a shift (JSON objects of its fields): each side
/// with only the fields that differ. `None` on a side means the shift did not exist.
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Value {
    let empty = Map::new();
    let old = before.and_then(Value::as_object).unwrap_or(&empty);
    let new = after.and_then(Value::as_object).unwrap_or(&empty);
    let keys = old
        .keys()
        .chain(new.keys().filter(|k| !old.contains_key(*k)));
    let mut was = Map::new();
    let mut now = Map::new();
    for key in keys {
        let (a, b) = (old.get(key), new.get(key));
        if a != b {
            if before.is_some() {
                was.insert(key.clone(), a.cloned().unwrap_or(Value::Null));
            }
            if after.is_some() {
                now.insert(key.clone(), b.cloned().unwrap_or(Value::Null));
            }
        }
    }
    let mut out = Map::new();
    if before.is_some() {
        out.insert("before".into(), Value::Object(was));
    }
    if after.is_some() {
        out.insert("after".into(), Value::Object(now));
    }
    Value::Object(out)
}

/// Appends one change of shift `shift_id` by `actor` inside `tx`.
pub(crate) async fn record(
    tx: &mut Tx,
    actor: &Actor,
    shift_id: i64,
    reason: Reason,
    changes: &Value,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO shift_history (company_id, shift_id, at, actor_user_id, reason, changes) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(actor.company_id)
    .bind(shift_id)
    .bind(now())
    .bind(actor.user_id)
    .bind(reason.as_str())
    .bind(changes.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_the_fields_that_differ_are_kept_on_each_side() {
        let before = json!({"user_id": 1, "notes": "a", "colour": "cccccc"});
        let after = json!({"user_id": 2, "notes": "a", "colour": "cccccc"});
        assert_eq!(
            changes(Some(&before), Some(&after)),
            json!({"before": {"user_id": 1}, "after": {"user_id": 2}})
        );
        assert_eq!(
            changes(Some(&before), Some(&before)),
            json!({"before": {}, "after": {}})
        );
    }

    #[test]
    fn a_created_shift_has_no_before_and_a_deleted_one_no_after() {
        let shift = json!({"user_id": null, "notes": "a"});
        assert_eq!(
            changes(None, Some(&shift)),
            json!({"after": {"user_id": null, "notes": "a"}})
        );
        assert_eq!(
            changes(Some(&shift), None),
            json!({"before": {"user_id": null, "notes": "a"}})
        );
    }

    #[test]
    fn reasons_are_stored_as_when_i_work_names_them_with_underscores() {
        assert_eq!(Reason::AssignApprove.as_str(), "assign_approve");
        assert_eq!(
            Reason::from_stored("delete_bulk").unwrap(),
            Reason::DeleteBulk
        );
        assert!(Reason::from_stored("assign-approve").is_err());
    }
}
