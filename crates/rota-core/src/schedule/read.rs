//! Reading shifts: one by id, the list of a range with its filters (staff see the
//! published ones; drafts only who manages them), and a shift's history, deleted shifts
//! included.

use super::history::{self, HistoryEntry};
use super::holders::Holders;
use super::row::{self, SELECT, Shift, ShiftRow, Zones, with_breaks};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::paging::Page;
use crate::policy::{Action, Actor, Reach, reach};
use crate::sql::{Binds, placeholders};
use crate::validate;

/// A shift (deleted ones only when `deleted` allows them) with the facts of its holder,
/// if the actor may see it; absent otherwise, as another company's is.
pub(crate) async fn visible(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    id: i64,
    deleted: bool,
) -> Result<(ShiftRow, Holders)> {
    let row = row::load(conn, actor.company_id, id)
        .await?
        .filter(|row| deleted || row.deleted_at.is_none())
        .ok_or(Error::not_found("shift"))?;
    let holders = Holders::load(conn, actor.company_id, row.user_id).await?;
    if !holders.may_on(actor, Action::ViewShift, &row) {
        return Err(Error::not_found("shift"));
    }
    Ok((row, holders))
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<Shift> {
    let mut conn = db.pool().acquire().await?;
    let (row, _) = visible(&mut conn, actor, id, false).await?;
    let zones = Zones::load(&mut conn, actor.company_id).await?;
    Ok(row.render(&zones))
}

/// Of the shifts `ids`, those the actor may see (deleted ones never), by id: one read
/// where a list (of swaps, say) names many shifts, rather than [`get`] for each.
pub async fn get_many(db: &Db, actor: &Actor, ids: &[i64]) -> Result<Vec<Shift>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} WHERE company_id = $1 AND deleted_at IS NULL AND id IN ({}) ORDER BY id",
        placeholders(2, ids.len())
    );
    let mut query = sqlx::query_as::<_, ShiftRow>(sqlx::AssertSqlSafe(sql)).bind(actor.company_id);
    for id in ids {
        query = query.bind(*id);
    }
    let mut conn = db.pool().acquire().await?;
    let rows = query.fetch_all(&mut *conn).await?;
    shown(&mut conn, actor, rows).await
}

/// Which shifts to list. Instants are RFC 3339; empty filters filter nothing.
#[derive(Debug, Clone, Default)]
pub struct ShiftFilter {
    /// Shifts that end after this instant.
    pub from: Option<String>,
    /// Shifts that start before this instant.
    pub to: Option<String>,
    pub location_id: Option<i64>,
    pub user_id: Option<i64>,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    pub published: Option<bool>,
    /// Only shifts nobody holds.
    pub open_only: bool,
}

/// The shifts the actor may see, by id, filtered.
pub async fn list(
    db: &Db,
    actor: &Actor,
    filter: &ShiftFilter,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<Shift>> {
    let page = db.page("shifts", limit, cursor).await?;
    let mut binds = Binds::default();
    let narrowed = narrowed(actor, filter, &mut binds)?;
    let sql = format!(
        "{SELECT} WHERE company_id = $1 AND id > $2 AND deleted_at IS NULL{narrowed} ORDER BY id LIMIT {}",
        binds.int(page.limit + 1)
    );
    let query = sqlx::query_as::<_, ShiftRow>(sqlx::AssertSqlSafe(sql))
        .bind(actor.company_id)
        .bind(page.after_id);
    let mut conn = db.pool().acquire().await?;
    let rows = binds.bind_all(query).fetch_all(&mut *conn).await?;
    let rows = page.finish(rows, |r| r.id);
    let data = shown(&mut conn, actor, rows.data).await?;
    Ok(Page {
        data,
        next_cursor: rows.next_cursor,
    })
}

/// The shifts the actor may see that `filter` matches, by start then id, unpaged: the
/// caller bounds the range.
pub(crate) async fn in_view(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    filter: &ShiftFilter,
) -> Result<Vec<Shift>> {
    let mut binds = Binds::after(1);
    let narrowed = narrowed(actor, filter, &mut binds)?;
    let sql = format!(
        "{SELECT} WHERE company_id = $1 AND deleted_at IS NULL{narrowed} ORDER BY starts_at, id"
    );
    let query = sqlx::query_as::<_, ShiftRow>(sqlx::AssertSqlSafe(sql)).bind(actor.company_id);
    let rows = binds.bind_all(query).fetch_all(&mut *conn).await?;
    shown(conn, actor, rows).await
}

/// The conditions (each starting with ` AND `) that narrow the shifts of the actor's
/// company to `filter` and, for whom sees only related drafts, to what they may see;
/// [`shown`] decides each row after.
fn narrowed(actor: &Actor, filter: &ShiftFilter, binds: &mut Binds) -> Result<String> {
    let from = filter
        .from
        .as_deref()
        .map(|t| validate::instant("from", t))
        .transpose()?;
    let to = filter
        .to
        .as_deref()
        .map(|t| validate::instant("to", t))
        .transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && to <= from
    {
        return Err(Error::invalid("to", "to must be after from"));
    }
    let mut sql = String::new();
    if let Reach::Related(me) = reach(actor) {
        let me = binds.int(me);
        sql.push_str(&format!(
            " AND (published = 1 OR user_id IS NULL OR user_id IN \
             (SELECT id FROM users WHERE company_id = $1 AND \
             (approver_id = {me} OR notifier_2_id = {me} OR notifier_3_id = {me})))"
        ));
    }
    for (clause, value) in [
        ("location_id =", filter.location_id),
        ("user_id =", filter.user_id),
        ("position_id =", filter.position_id),
        ("site_id =", filter.site_id),
        ("published =", filter.published.map(i64::from)),
        ("ends_at >", from),
        ("starts_at <", to),
    ] {
        if let Some(value) = value {
            sql.push_str(&format!(" AND {clause} {}", binds.int(value)));
        }
    }
    if filter.open_only {
        sql.push_str(" AND user_id IS NULL");
    }
    Ok(sql)
}

/// Of `rows`, those the actor may see, with their breaks, as the API shows them.
async fn shown(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    rows: Vec<ShiftRow>,
) -> Result<Vec<Shift>> {
    let holders = Holders::load(
        conn,
        actor.company_id,
        rows.iter().filter_map(|r| r.user_id),
    )
    .await?;
    let shown: Vec<ShiftRow> = rows
        .into_iter()
        .filter(|row| holders.may_on(actor, Action::ViewShift, row))
        .collect();
    let shown = with_breaks(conn, actor.company_id, shown).await?;
    let zones = Zones::load(conn, actor.company_id).await?;
    Ok(shown.iter().map(|row| row.render(&zones)).collect())
}

/// A shift's history, oldest first; a deleted shift's too.
pub async fn history(
    db: &Db,
    actor: &Actor,
    id: i64,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<HistoryEntry>> {
    let page = db.page("shift-history", limit, cursor).await?;
    let mut conn = db.pool().acquire().await?;
    visible(&mut conn, actor, id, true).await?;
    let rows: Vec<history::HistoryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{} WHERE company_id = $1 AND shift_id = $2 AND id > $3 ORDER BY id LIMIT $4",
        history::SELECT
    )))
    .bind(actor.company_id)
    .bind(id)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(&mut *conn)
    .await?;
    page.finish(rows, history::HistoryRow::id)
        .try_map(history::HistoryRow::render)
}
