//! Reading swaps: one by id, and the list of those the caller may see (their own, those
//! offered to them, open drops, and their people's), filtered.

use super::row::{SELECT, Swap, SwapRow, SwapStatus, load_visible, with_recipients};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::paging::Page;
use crate::policy::{Action, Actor, Reach, reach};
use crate::schedule::holders::Holders;
use crate::schedule::row::Zones;
use crate::sql::Binds;
use crate::validate;

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<Swap> {
    let mut conn = db.pool().acquire().await?;
    let (row, _) = load_visible(&mut conn, actor, id).await?;
    let zones = Zones::load(&mut conn, actor.company_id).await?;
    Ok(row.render(&zones))
}

/// Which swaps to list; empty filters filter nothing.
#[derive(Debug, Clone, Default)]
pub struct SwapFilter {
    /// Only the caller's own and those that name them.
    pub mine: bool,
    pub status: Option<SwapStatus>,
    pub location_id: Option<i64>,
    /// Swaps of shifts that end after this instant (RFC 3339).
    pub from: Option<String>,
    /// … and start before this one.
    pub to: Option<String>,
}

/// The swaps the actor may see, by id, filtered.
pub async fn list(
    db: &Db,
    actor: &Actor,
    filter: &SwapFilter,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<Swap>> {
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
    let page = db.page("swaps", limit, cursor).await?;
    let mut sql = format!("{SELECT} WHERE company_id = $1 AND id > $2");
    let mut binds = Binds::default();
    let named = |me: &str| {
        format!(
            "user_id = {me} OR EXISTS (SELECT 1 FROM swap_recipients r WHERE r.company_id = $1 \
             AND r.swap_id = swaps.id AND r.user_id = {me})"
        )
    };
    if filter.mine {
        let me = binds.int(actor.user_id);
        sql.push_str(&format!(" AND ({})", named(&me)));
    } else if let Reach::Related(me) = reach(actor) {
        // Narrowed here, decided below by `may` for each swap.
        let me = binds.int(me);
        sql.push_str(&format!(
            " AND ({} OR open_to_all = 1 OR user_id IN (SELECT id FROM users WHERE company_id = $1 \
             AND (approver_id = {me} OR notifier_2_id = {me} OR notifier_3_id = {me})))",
            named(&me)
        ));
    }
    if let Some(status) = filter.status {
        sql.push_str(&format!(
            " AND status = {}",
            binds.text(status.as_str().into())
        ));
    }
    for (clause, value) in [
        ("location_id =", filter.location_id),
        ("ends_at >", from),
        ("starts_at <", to),
    ] {
        if let Some(value) = value {
            sql.push_str(&format!(" AND {clause} {}", binds.int(value)));
        }
    }
    sql.push_str(&format!(" ORDER BY id LIMIT {}", binds.int(page.limit + 1)));
    let query = sqlx::query_as::<_, SwapRow>(sqlx::AssertSqlSafe(sql))
        .bind(actor.company_id)
        .bind(page.after_id);
    let mut conn = db.pool().acquire().await?;
    let rows = binds.bind_all(query).fetch_all(&mut *conn).await?;
    let rows = page.finish(rows, |r| r.id);
    let rows_with = with_recipients(&mut conn, actor.company_id, rows.data).await?;
    let people = Holders::load(
        &mut conn,
        actor.company_id,
        rows_with.iter().map(|r| r.user_id),
    )
    .await?;
    let zones = Zones::load(&mut conn, actor.company_id).await?;
    Ok(Page {
        data: rows_with
            .iter()
            .filter(|row| row.may(&people, actor, Action::ViewSwap))
            .map(|row| row.render(&zones))
            .collect(),
        next_cursor: rows.next_cursor,
    })
}
