//! Changing shifts: edit (the shift and the user it goes to are locked before their
//! calendar is checked), delete one or many by filter (kept, marked deleted, so their history
//! survives), and acknowledge one's own.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::conflicts;
use super::create::scheduling;
use super::draft::{Draft, ShiftPatch};
use super::history::Reason;
use super::holders::Holders;
use super::read::visible;
use super::row::{RETURNING, SELECT, Shift, ShiftRow, Zones, with_breaks};
use super::rules;
use super::settings;
use super::tail::{self, Change};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};
use crate::locks::{self, Owner};
use crate::policy::{Action, Actor};
use crate::sql::Binds;
use crate::validate;

/// The reason an edit from `before` to `after` is recorded with: a change of hands first,
/// then of publication, else an edit.
pub fn reason(before: &Draft, after: &Draft) -> Reason {
    match (before.user_id, after.user_id) {
        (Some(_), None) => Reason::Unassign,
        (old, Some(new)) if old != Some(new) => Reason::Assign,
        _ if before.published != after.published => {
            if after.published {
                Reason::Publish
            } else {
                Reason::Unpublish
            }
        }
        _ => Reason::Edit,
    }
}

/// A shift the actor may manage, read in `tx`: absent if they may not see it, 403 if they
/// see it but may not change it.
async fn managed(tx: &mut Tx, actor: &Actor, id: i64) -> Result<(ShiftRow, Holders)> {
    let (row, holders) = visible(tx, actor, id, false).await?;
    if !holders.may_on(actor, Action::ManageShift, &row) {
        return Err(Error::forbidden("you may not change this shift"));
    }
    Ok((row, holders))
}

pub async fn edit(db: &Db, actor: &Actor, id: i64, patch: ShiftPatch) -> Result<Shift> {
    let company_id = actor.company_id;
    let mut tx = db.begin_write().await?;
    // The shift is read first to learn whom it goes to; that user owns the rule against
    // overlaps (the one it leaves loses nothing), and the shift itself its one holder (a
    // swap approved meanwhile hands it over): both are locked, then the shift read again.
    let (first, _) = managed(&mut tx, actor, id).await?;
    let going_to = Draft::of(&first).patched(&patch)?.user_id;
    let owners = going_to
        .map(Owner::User)
        .into_iter()
        .chain([Owner::Shift(id)]);
    locks::lock(&mut tx, company_id, owners).await?;
    let (before, _) = managed(&mut tx, actor, id).await?;
    let was = Draft::of(&before);
    let draft = was.clone().patched(&patch)?;
    if draft.user_id != going_to {
        return Err(Error::conflict(
            code::CONFLICT,
            Some("user_id"),
            "the shift changed hands while it was edited; read it again",
        ));
    }
    draft.check_references(&mut tx, company_id).await?;
    let holders = Holders::load(&mut tx, company_id, draft.user_id).await?;
    if !holders.may(actor, Action::ManageShift, draft.user_id, draft.published) {
        return Err(Error::forbidden(
            "you may not schedule shifts for this user",
        ));
    }
    let zones = Zones::load(&mut tx, company_id).await?;
    let settings = settings::load(&mut *tx, company_id).await?;
    let warnings = if draft.moves(&was) && !patch.override_conflicts {
        conflicts::check(&mut tx, company_id, &draft, Some(id), (&zones, &settings)).await?
    } else {
        Vec::new()
    };
    let after = draft.update(&mut tx, &before).await?;
    let change = Change::Edited(reason(&was, &draft));
    let shown = tail::record(&mut tx, actor, change, Some(&before), &after, &zones).await?;
    tx.commit().await?;
    Ok(Shift { warnings, ..shown })
}

/// Marks `row` deleted in `tx`; its row as written.
async fn mark_deleted(tx: &mut Tx, row: &ShiftRow) -> Result<ShiftRow> {
    let stamp = now();
    let deleted: ShiftRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE shifts SET deleted_at = $3, updated_at = $3 WHERE company_id = $1 AND id = $2{RETURNING}"
    )))
    .bind(row.company_id)
    .bind(row.id)
    .bind(stamp)
    .fetch_one(&mut **tx)
    .await?;
    Ok(ShiftRow {
        breaks: row.breaks.clone(),
        ..deleted
    })
}

pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let (row, _) = managed(&mut tx, actor, id).await?;
    let zones = Zones::load(&mut tx, actor.company_id).await?;
    let deleted = mark_deleted(&mut tx, &row).await?;
    let change = Change::Deleted(Reason::Delete);
    tail::record(&mut tx, actor, change, Some(&row), &deleted, &zones).await?;
    tx.commit().await?;
    Ok(())
}

/// Which shifts to delete: those starting in a range (at most a year), at a location
/// and/or of a user.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteShiftsInput {
    /// Shifts starting at or after this instant (RFC 3339).
    #[schema(value_type = crate::openapi::Instant)]
    pub from: String,
    /// … and before this one, at most 366 days later.
    #[schema(value_type = crate::openapi::Instant)]
    pub to: String,
    pub location_id: Option<i64>,
    pub user_id: Option<i64>,
}

/// What a delete by filter did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeleteSummary {
    /// The shifts deleted: those of the filter the caller manages.
    pub deleted: Vec<i64>,
    pub count: usize,
}

/// The range of `from` and `to`, checked.
pub(crate) fn range(from: &str, to: &str) -> Result<(i64, i64)> {
    let from = validate::instant("from", from)?;
    let to = validate::instant("to", to)?;
    rules::range(from, to)?;
    Ok((from, to))
}

/// The shifts (not deleted) of `location_id` and `user_id` (each when given) starting in
/// `range`, with their breaks, in `tx`; `published` narrows to those (not) published.
pub(crate) async fn in_range(
    tx: &mut Tx,
    company_id: i64,
    (from, to): (i64, i64),
    location_id: Option<i64>,
    user_id: Option<i64>,
    published: Option<bool>,
) -> Result<Vec<ShiftRow>> {
    let mut sql = format!(
        "{SELECT} WHERE company_id = $1 AND starts_at >= $2 AND starts_at < $3 AND deleted_at IS NULL"
    );
    let mut binds = Binds::after(3);
    for (column, value) in [
        ("location_id", location_id),
        ("user_id", user_id),
        ("published", published.map(i64::from)),
    ] {
        if let Some(value) = value {
            sql.push_str(&format!(" AND {column} = {}", binds.int(value)));
        }
    }
    sql.push_str(&format!(" ORDER BY id{}", crate::locks::for_update(tx)));
    let query = sqlx::query_as::<_, ShiftRow>(sqlx::AssertSqlSafe(sql))
        .bind(company_id)
        .bind(from)
        .bind(to);
    let rows = binds.bind_all(query).fetch_all(&mut **tx).await?;
    with_breaks(tx, company_id, rows).await
}

pub async fn delete_many(
    db: &Db,
    actor: &Actor,
    input: DeleteShiftsInput,
) -> Result<DeleteSummary> {
    scheduling(actor)?;
    let range = range(&input.from, &input.to)?;
    let company_id = actor.company_id;
    let mut tx = db.begin_write().await?;
    let rows = in_range(
        &mut tx,
        company_id,
        range,
        input.location_id,
        input.user_id,
        None,
    )
    .await?;
    let holders = Holders::load(&mut tx, company_id, rows.iter().filter_map(|r| r.user_id)).await?;
    let zones = Zones::load(&mut tx, company_id).await?;
    let mut deleted = Vec::new();
    for row in rows
        .iter()
        .filter(|row| holders.may_on(actor, Action::ManageShift, row))
    {
        let gone = mark_deleted(&mut tx, row).await?;
        let change = Change::Deleted(Reason::DeleteBulk);
        tail::record(&mut tx, actor, change, Some(row), &gone, &zones).await?;
        deleted.push(row.id);
    }
    tx.commit().await?;
    Ok(DeleteSummary {
        count: deleted.len(),
        deleted,
    })
}

/// The shift's user says they have seen it; again changes nothing.
pub async fn acknowledge(db: &Db, actor: &Actor, id: i64) -> Result<Shift> {
    let mut tx = db.begin_write().await?;
    let (row, holders) = visible(&mut tx, actor, id, false).await?;
    if !holders.may_on(actor, Action::AcknowledgeShift, &row) {
        return Err(Error::forbidden("only its user acknowledges a shift"));
    }
    let zones = Zones::load(&mut tx, actor.company_id).await?;
    if row.acknowledged_at.is_some() {
        return Ok(row.render(&zones));
    }
    let acknowledged: ShiftRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE shifts SET acknowledged_at = $3, updated_at = $3 WHERE company_id = $1 AND id = $2{RETURNING}"
    )))
    .bind(row.company_id)
    .bind(row.id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    let after = ShiftRow {
        breaks: row.breaks.clone(),
        ..acknowledged
    };
    let shown = tail::record(
        &mut tx,
        actor,
        Change::Acknowledged,
        Some(&row),
        &after,
        &zones,
    )
    .await?;
    tx.commit().await?;
    Ok(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(user_id: Option<i64>, published: bool) -> Draft {
        Draft {
            user_id,
            location_id: 1,
            position_id: None,
            site_id: None,
            starts_at: 0,
            ends_at: 3600,
            breaks: Vec::new(),
            colour: "cccccc".into(),
            notes: None,
            published,
            requires_approval: false,
        }
    }

    #[test]
    fn an_edit_is_recorded_by_what_it_changes_most() {
        let cases = [
            (draft(None, false), draft(Some(1), true), Reason::Assign),
            (draft(Some(1), false), draft(Some(2), false), Reason::Assign),
            (draft(Some(1), true), draft(None, true), Reason::Unassign),
            (draft(Some(1), false), draft(Some(1), true), Reason::Publish),
            (draft(None, true), draft(None, false), Reason::Unpublish),
            (draft(Some(1), true), draft(Some(1), true), Reason::Edit),
        ];
        for (before, after, expected) in cases {
            assert_eq!(reason(&before, &after), expected, "{before:?} -> {after:?}");
        }
    }
}
