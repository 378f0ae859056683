//! Reading entries: one by id (as every change to one starts), and the paged list of
//! those the actor may see, by date range and filters.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use sqlx::AssertSqlSafe;

use super::plan;
use super::row::{self, COLUMNS, EntryRow, TimeEntry, View};
use crate::company;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::paging::Page;
use crate::people::types::ApproverRole;
use crate::policy::{Action, Actor, Reach, Target, UserFacts, may, reach};
use crate::sql::Binds;
use crate::time::day_start;

/// Entry `id` and its user, when the actor may see the user's time and then `action` it:
/// 404 for an entry they may not see, 403 for one they see but may not `action`.
pub(crate) async fn for_action(
    db: &Db,
    actor: &Actor,
    id: i64,
    action: Action,
) -> Result<(EntryRow, UserFacts)> {
    let absent = || Error::not_found("time entry");
    let mut conn = db.pool().acquire().await?;
    let row = row::load(&mut conn, actor.company_id, id)
        .await?
        .ok_or_else(absent)?;
    let user = plan::person(&mut conn, actor, row.user_id, absent()).await?;
    if !may(actor, Action::ViewTime, Target::User(&user)) {
        return Err(absent());
    }
    plan::allow(actor, action, &user)?;
    Ok((row, user))
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<TimeEntry> {
    let (row, _) = for_action(db, actor, id, Action::ViewTime).await?;
    let mut conn = db.pool().acquire().await?;
    let view = View::load(&mut conn, actor.company_id).await?;
    let breaks = row::breaks_of_one(&mut conn, actor.company_id, row.id).await?;
    view.render(&row, &breaks)
}

/// Filters for listing entries; absent ones filter nothing.
#[derive(Debug, Clone, Default)]
pub struct TimeEntryFilter {
    /// Entries starting on or after this day, in the company's time zone.
    pub from: Option<Date>,
    /// Entries starting on or before this day, in the company's time zone.
    pub to: Option<Date>,
    pub user_id: Option<i64>,
    pub location_id: Option<i64>,
    pub approved: Option<bool>,
    /// Running entries only (`true`), or finished ones only (`false`).
    pub open: Option<bool>,
}

/// The entries the actor may see: their own, those of the people whose approving slot
/// names them (approvers), or everyone's (super users); by id, paged.
pub async fn list(
    db: &Db,
    actor: &Actor,
    filter: TimeEntryFilter,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<TimeEntry>> {
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to < from
    {
        return Err(Error::invalid("to", "to must not be before from"));
    }
    let page = db.page("time-entries", limit, cursor).await?;
    let company = company::load(db.pool(), actor.company_id).await?;
    let zone = TimeZone::get(&company.time_zone)
        .map_err(|e| Error::Internal(format!("stored time zone unreadable: {e}").into()))?;
    let mut sql = format!("SELECT {COLUMNS} FROM time_entries WHERE company_id = $1 AND id > $2");
    let mut binds = Binds::default();
    if let Reach::Related(me) = reach(actor) {
        let me = binds.int(me);
        let approving: Vec<String> = ApproverRole::ALL
            .into_iter()
            .filter(|role| role.approves_anything())
            .map(|role| binds.text(role.as_str().into()))
            .collect();
        let roles = approving.join(", ");
        sql.push_str(&format!(
            " AND (user_id = {me} OR user_id IN (SELECT id FROM users WHERE company_id = $1 AND \
             ((approver_id = {me} AND approver_role IN ({roles})) OR (notifier_2_id = {me} AND notifier_2_role IN ({roles})) \
             OR (notifier_3_id = {me} AND notifier_3_role IN ({roles})))))"
        ));
    }
    if let Some(user_id) = filter.user_id {
        sql.push_str(&format!(" AND user_id = {}", binds.int(user_id)));
    }
    if let Some(location_id) = filter.location_id {
        sql.push_str(&format!(" AND location_id = {}", binds.int(location_id)));
    }
    if let Some(approved) = filter.approved {
        sql.push_str(if approved {
            " AND approved_at IS NOT NULL"
        } else {
            " AND approved_at IS NULL"
        });
    }
    if let Some(open) = filter.open {
        sql.push_str(if open {
            " AND end_at IS NULL"
        } else {
            " AND end_at IS NOT NULL"
        });
    }
    if let Some(from) = filter.from {
        let start = day_start(from, &zone)?;
        sql.push_str(&format!(" AND start_at >= {}", binds.int(start)));
    }
    if let Some(to) = filter.to {
        let after = to
            .tomorrow()
            .map_err(|e| Error::Internal(e.to_string().into()))?;
        let end = day_start(after, &zone)?;
        sql.push_str(&format!(" AND start_at < {}", binds.int(end)));
    }
    sql.push_str(&format!(" ORDER BY id LIMIT {}", binds.int(page.limit + 1)));
    let query = sqlx::query_as::<_, EntryRow>(AssertSqlSafe(sql))
        .bind(actor.company_id)
        .bind(page.after_id);
    let mut conn = db.pool().acquire().await?;
    let rows = binds.bind_all(query).fetch_all(&mut *conn).await?;
    let rows = page.finish(rows, |r| r.id);
    let ids: Vec<i64> = rows.data.iter().map(|r| r.id).collect();
    let breaks = row::breaks_of(&mut conn, actor.company_id, &ids).await?;
    let view = View::load(&mut conn, actor.company_id).await?;
    Ok(Page {
        data: view.render_all(&rows.data, &breaks)?,
        next_cursor: rows.next_cursor,
    })
}
