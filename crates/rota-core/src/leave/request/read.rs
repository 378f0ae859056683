//! Reading requests: one by id (with its context, as every change starts), the paged
//! list of those the actor may see, and the leave waiting for the actor's decision.

use jiff::civil::Date;

use super::plan::{self, Context};
use super::row::{self, LeaveRequest, RequestRow, RequestStatus, SELECT};
use crate::company;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::leave::types::{LeaveType, TypeKind};
use crate::paging::Page;
use crate::policy::{Action, Actor, Reach, Target, may, reach};
use crate::sql::Binds;

/// Loads a request with its context for a decision, locking nothing yet. With `kind`, a
/// request whose type is of the other kind is absent.
pub(crate) async fn for_change(
    db: &Db,
    actor: &Actor,
    id: i64,
    kind: Option<TypeKind>,
) -> Result<(RequestRow, Context)> {
    let mut conn = db.pool().acquire().await?;
    let row = row::load(&mut conn, actor.company_id, id)
        .await?
        .ok_or(Error::not_found("leave request"))?;
    drop(conn);
    let ctx = plan::context(db, actor, row.user_id, row.leave_type_id)
        .await
        .map_err(|_| Error::not_found("leave request"))?;
    if !ctx.may(actor, Action::ViewLeave) || kind.is_some_and(|kind| kind != ctx.leave_type.kind) {
        return Err(Error::not_found("leave request"));
    }
    Ok((row, ctx))
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<LeaveRequest> {
    get_of_kind(db, actor, id, None).await
}

/// Request `id` if its type is of `kind` (either, when `None`), for a face that keeps
/// leave and overtime apart; one of the other kind is absent.
pub async fn get_of_kind(
    db: &Db,
    actor: &Actor,
    id: i64,
    kind: Option<TypeKind>,
) -> Result<LeaveRequest> {
    let (row, ctx) = for_change(db, actor, id, kind).await?;
    let show_note = ctx.shows_note(actor, &row);
    Ok(row.render(ctx.leave_type.kind, show_note))
}

/// Filters for listing requests. Empty lists filter nothing.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub user_id: Option<i64>,
    pub status: Option<RequestStatus>,
    /// Any of these statuses.
    pub statuses: Vec<RequestStatus>,
    pub leave_type_id: Option<i64>,
    /// Any of these types.
    pub leave_type_ids: Vec<i64>,
    /// Only requests whose type is of this kind.
    pub kind: Option<TypeKind>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Whose requests: a group of people.
    pub holders: Option<Holders>,
    /// Whether the holders are archived: `Some(false)` for current people only,
    /// `Some(true)` for archived ones only.
    pub archived_holders: Option<bool>,
}

/// A group of people whose requests (or absences) are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holders {
    Department(i64),
    Tag(i64),
    Location(i64),
    Region(i64),
    /// The people a user approves for (or is a notifier of).
    StaffOf(i64),
}

impl Holders {
    /// The condition on `users` (aliased `alias`, e.g. `u.`) that picks the group; `$1`
    /// is the company.
    pub(crate) fn condition(self, alias: &str, binds: &mut Binds) -> String {
        match self {
            Holders::Department(id) => format!("{alias}department_id = {}", binds.int(id)),
            Holders::Region(id) => format!("{alias}region_id = {}", binds.int(id)),
            Holders::Tag(id) => format!(
                "{alias}id IN (SELECT user_id FROM user_tags WHERE company_id = $1 AND tag_id = {})",
                binds.int(id)
            ),
            Holders::Location(id) => format!(
                "{alias}id IN (SELECT user_id FROM user_locations WHERE company_id = $1 AND location_id = {})",
                binds.int(id)
            ),
            Holders::StaffOf(id) => {
                let id = binds.int(id);
                format!(
                    "{alias}approver_id = {id} OR {alias}notifier_2_id = {id} OR {alias}notifier_3_id = {id}"
                )
            }
        }
    }
}

/// The requests the actor may see: their own, their staff's (approvers) or everyone's
/// (super users), filtered and paged.
pub async fn list(
    db: &Db,
    actor: &Actor,
    filter: RequestFilter,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<LeaveRequest>> {
    let page = db.page("leave-requests", limit, cursor).await?;
    let company = company::load(db.pool(), actor.company_id).await?;
    let mut sql = format!("{SELECT} WHERE company_id = $1 AND id > $2");
    let mut binds = Binds::default();
    if let Reach::Related(me) = reach(actor) {
        let me = binds.int(me);
        sql.push_str(&format!(
            " AND (user_id = {me} OR user_id IN (SELECT id FROM users WHERE company_id = $1 AND \
             (approver_id = {me} OR notifier_2_id = {me} OR notifier_3_id = {me})))"
        ));
    }
    if let Some(user_id) = filter.user_id {
        sql.push_str(&format!(" AND user_id = {}", binds.int(user_id)));
    }
    if let Some(status) = filter.status {
        sql.push_str(&format!(
            " AND status = {}",
            binds.text(status.as_str().into())
        ));
    }
    if !filter.statuses.is_empty() {
        let statuses: Vec<String> = filter
            .statuses
            .iter()
            .map(|s| binds.text(s.as_str().into()))
            .collect();
        sql.push_str(&format!(" AND status IN ({})", statuses.join(", ")));
    }
    if let Some(id) = filter.leave_type_id {
        sql.push_str(&format!(" AND leave_type_id = {}", binds.int(id)));
    }
    if !filter.leave_type_ids.is_empty() {
        let ids: Vec<String> = filter
            .leave_type_ids
            .iter()
            .map(|id| binds.int(*id))
            .collect();
        sql.push_str(&format!(" AND leave_type_id IN ({})", ids.join(", ")));
    }
    if let Some(kind) = filter.kind {
        sql.push_str(&format!(
            " AND leave_type_id IN (SELECT id FROM leave_types WHERE company_id = $1 AND kind = {})",
            binds.text(kind.as_str().into())
        ));
    }
    if let Some(holders) = filter.holders {
        let people = holders.condition("", &mut binds);
        sql.push_str(&format!(
            " AND user_id IN (SELECT id FROM users WHERE company_id = $1 AND ({people}))"
        ));
    }
    if let Some(archived) = filter.archived_holders {
        let op = if archived { "=" } else { "<>" };
        sql.push_str(&format!(
            " AND user_id IN (SELECT id FROM users WHERE company_id = $1 AND status {op} 'archived')"
        ));
    }
    if let Some(from) = filter.from {
        sql.push_str(&format!(
            " AND end_date >= {}",
            binds.text(from.to_string())
        ));
    }
    if let Some(to) = filter.to {
        sql.push_str(&format!(
            " AND start_date <= {}",
            binds.text(to.to_string())
        ));
    }
    sql.push_str(&format!(" ORDER BY id LIMIT {}", binds.int(page.limit + 1)));
    let query = sqlx::query_as::<_, RequestRow>(sqlx::AssertSqlSafe(sql))
        .bind(actor.company_id)
        .bind(page.after_id);
    let query = binds.bind_all(query);
    let rows = query.fetch_all(db.pool()).await?;
    let rows = page.finish(rows, |r| r.id);
    let types: Vec<LeaveType> = sqlx::query_as("SELECT * FROM leave_types WHERE company_id = $1")
        .bind(company.id)
        .fetch_all(db.pool())
        .await?;
    let mut data = Vec::with_capacity(rows.data.len());
    for row in rows.data {
        let leave_type = types
            .iter()
            .find(|t| t.id == row.leave_type_id)
            .ok_or_else(|| Error::Internal("request of an unknown type".into()))?;
        let show_note = may(
            actor,
            Action::ReadLeaveNote,
            Target::Leave(&leave_type.leave_of(row.user_id)),
        );
        data.push(row.render(leave_type.kind, show_note));
    }
    Ok(Page {
        data,
        next_cursor: rows.next_cursor,
    })
}

/// The pending requests of `kind` (leave or overtime) the actor may decide: what waits
/// for them, up to a page of the most the list gives at once.
pub async fn awaiting_decision(
    db: &Db,
    actor: &Actor,
    kind: TypeKind,
) -> Result<Vec<LeaveRequest>> {
    let filter = RequestFilter {
        status: Some(RequestStatus::Pending),
        kind: Some(kind),
        ..RequestFilter::default()
    };
    let pending = list(db, actor, filter, Some(crate::paging::MAX_LIMIT), None)
        .await?
        .data;
    let mut holders: Vec<i64> = pending.iter().map(|r| r.user_id).collect();
    holders.sort_unstable();
    holders.dedup();
    let capabilities = crate::people::service::capabilities(db, actor, &holders).await?;
    let decide = Action::DecideLeave {
        overtime: kind == TypeKind::Overtime,
    };
    Ok(pending
        .into_iter()
        .filter(|r| {
            capabilities
                .get(&r.user_id)
                .is_some_and(|c| c.allows(decide))
        })
        .collect())
}
