//! Approving a finished entry, and taking the approval back. Each is a conditional
//! update, so an entry is approved once however many approvers press at once; asking
//! again changes nothing and announces nothing.

use sqlx::AssertSqlSafe;

use super::read::for_action;
use super::row::{COLUMNS, EntryRow, TimeEntry};
use super::tail::{self, Change, finish};
use crate::db::{Db, now};
use crate::error::{Error, Result, code};
use crate::locks::{self, Owner};
use crate::payroll::guard;
use crate::policy::{Action, Actor};

/// Approves a finished entry. Refused with `time_entry_running` while it runs.
pub async fn approve(db: &Db, actor: &Actor, id: i64) -> Result<TimeEntry> {
    decide(db, actor, id, true).await
}

/// Takes an entry's approval back.
pub async fn unapprove(db: &Db, actor: &Actor, id: i64) -> Result<TimeEntry> {
    decide(db, actor, id, false).await
}

async fn decide(db: &Db, actor: &Actor, id: i64, approve: bool) -> Result<TimeEntry> {
    let (row, _) = for_action(db, actor, id, Action::ApproveTime).await?;
    let mut tx = db.begin_write().await?;
    locks::lock(
        &mut tx,
        actor.company_id,
        [Owner::PayrollPeriods, Owner::User(row.user_id)],
    )
    .await?;
    let start_at = super::row::load(&mut tx, actor.company_id, id)
        .await?
        .ok_or(Error::not_found("time entry"))?
        .start_at;
    guard::ensure_open(&mut tx, actor.company_id, &[start_at]).await?;
    let sql = if approve {
        format!(
            "UPDATE time_entries SET approved_by = $1, approved_at = $2, updated_by = $1, updated_at = $2 \
             WHERE company_id = $3 AND id = $4 AND approved_at IS NULL AND end_at IS NOT NULL RETURNING {COLUMNS}"
        )
    } else {
        format!(
            "UPDATE time_entries SET approved_by = NULL, approved_at = NULL, updated_by = $1, updated_at = $2 \
             WHERE company_id = $3 AND id = $4 AND approved_at IS NOT NULL RETURNING {COLUMNS}"
        )
    };
    let changed: Option<EntryRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(actor.user_id)
        .bind(now())
        .bind(actor.company_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(changed) = changed {
        let change = if approve {
            Change::Approved
        } else {
            Change::Unapproved
        };
        return finish(tx, actor, &changed, change).await;
    }
    // Nothing changed: already as asked, running, or deleted meanwhile.
    let current = super::row::load(&mut tx, actor.company_id, id)
        .await?
        .ok_or(Error::not_found("time entry"))?;
    if approve && current.end_at.is_none() {
        return Err(Error::conflict(
            code::TIME_ENTRY_RUNNING,
            None,
            "a running time entry cannot be approved: clock it out first",
        ));
    }
    let shown = tail::show(&mut tx, &current).await?;
    tx.commit().await?;
    Ok(shown)
}
