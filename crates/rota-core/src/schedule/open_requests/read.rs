//! Reading open-shift requests: who manages a shift sees its request with every bid; a
//! bidder sees the requests they bid for, with their own bid only; nobody else sees one.

use std::collections::HashMap;

use super::model::{self, BIDS, BidRow, OpenShiftRequest, OpenShiftRequestStatus, RequestRow};
use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::paging::Page;
use crate::policy::{Action, Actor, Target, may};
use crate::schedule::holders::Holders;
use crate::schedule::row::{self, SELECT as SHIFTS, ShiftRow, Zones, with_breaks};
use crate::sql::{Binds, children};
use crate::validate;

/// The request `id` of the company, its status as of now.
pub(crate) async fn load(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    id: i64,
) -> Result<Option<RequestRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{} AND r.id = $3",
        model::select("$2")
    )))
    .bind(company_id)
    .bind(now())
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The request of shift `shift_id`, if it has one.
pub(crate) async fn of_shift(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    shift_id: i64,
) -> Result<Option<RequestRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{} AND r.shift_id = $3",
        model::select("$2")
    )))
    .bind(company_id)
    .bind(now())
    .bind(shift_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The bids of request `id`, oldest first.
pub(crate) async fn bids(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    id: i64,
) -> Result<Vec<BidRow>> {
    let mut by_request = children(conn, company_id, BIDS, &[id], |b: &BidRow| b.request_id).await?;
    Ok(by_request.remove(&id).unwrap_or_default())
}

/// `rows` as `actor` may see them, each with its shift (`shifts`, by id) and bids (`bids`,
/// by request): whole to who may decide it, with only their own bid to a bidder, and left
/// out otherwise.
pub(crate) fn shown(
    actor: &Actor,
    rows: Vec<RequestRow>,
    (shifts, holders, zones): (&HashMap<i64, ShiftRow>, &Holders, &Zones),
    mut bids: HashMap<i64, Vec<BidRow>>,
) -> Vec<OpenShiftRequest> {
    rows.into_iter()
        .filter_map(|row| {
            let shift = shifts.get(&row.shift_id)?;
            let all = bids.remove(&row.id).unwrap_or_default();
            let seen: Vec<_> = if holders.may_on(actor, Action::DecideOpenShift, shift) {
                all.iter().map(BidRow::render).collect()
            } else {
                all.iter()
                    .filter(|b| b.user_id == actor.user_id)
                    .map(BidRow::render)
                    .collect()
            };
            (!seen.is_empty() || holders.may_on(actor, Action::DecideOpenShift, shift))
                .then(|| row.render(shift.render(zones), seen))
        })
        .collect()
}

/// What showing requests takes: their shifts (by id) with the shifts' holders and the
/// company's zones, and every bid (by request), withdrawn ones too.
struct Parts {
    shifts: HashMap<i64, ShiftRow>,
    holders: Holders,
    zones: Zones,
    bids: HashMap<i64, Vec<BidRow>>,
}

impl Parts {
    async fn load(
        conn: &mut sqlx::AnyConnection,
        company_id: i64,
        rows: &[RequestRow],
    ) -> Result<Self> {
        let shift_ids: Vec<i64> = rows.iter().map(|r| r.shift_id).collect();
        let request_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let found: HashMap<i64, Vec<ShiftRow>> = children(
            conn,
            company_id,
            (&format!("{SHIFTS} WHERE company_id = $1 AND id IN"), "id"),
            &shift_ids,
            |s: &ShiftRow| s.id,
        )
        .await?;
        let shifts = with_breaks(conn, company_id, found.into_values().flatten().collect()).await?;
        let holders =
            Holders::load(conn, company_id, shifts.iter().filter_map(|s| s.user_id)).await?;
        let bids = children(conn, company_id, BIDS, &request_ids, |b: &BidRow| {
            b.request_id
        })
        .await?;
        Ok(Self {
            shifts: shifts.into_iter().map(|s| (s.id, s)).collect(),
            holders,
            zones: Zones::load(conn, company_id).await?,
            bids,
        })
    }

    /// `rows` as `actor` may see them ([`shown`]).
    fn shown(self, actor: &Actor, rows: Vec<RequestRow>) -> Vec<OpenShiftRequest> {
        shown(
            actor,
            rows,
            (&self.shifts, &self.holders, &self.zones),
            self.bids,
        )
    }
}

/// The rows with their shifts and bids, as `actor` may see them.
pub(crate) async fn render(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    rows: Vec<RequestRow>,
) -> Result<Vec<OpenShiftRequest>> {
    Ok(Parts::load(conn, actor.company_id, &rows)
        .await?
        .shown(actor, rows))
}

/// The request `row` as `actor` may see it; 404 if they may not.
pub(crate) async fn render_one(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    row: RequestRow,
) -> Result<OpenShiftRequest> {
    render(conn, actor, vec![row])
        .await?
        .pop()
        .ok_or(Error::not_found("open shift request"))
}

/// The people of request `id`, if `actor` may see it (404 otherwise): whoever made its
/// shift, and every bidder, withdrawn ones too. Its message thread tells them.
pub(crate) async fn people(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    id: i64,
) -> Result<Vec<i64>> {
    let row = load(conn, actor.company_id, id)
        .await?
        .ok_or(Error::not_found("open shift request"))?;
    let parts = Parts::load(conn, actor.company_id, std::slice::from_ref(&row)).await?;
    let bidders: Vec<i64> = (parts.bids.get(&id).into_iter().flatten())
        .map(|b| b.user_id)
        .collect();
    let shown =
        (parts.shown(actor, vec![row]).pop()).ok_or(Error::not_found("open shift request"))?;
    let mut people = vec![shown.shift.created_by];
    people.extend(bidders);
    people.sort_unstable();
    people.dedup();
    Ok(people)
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<OpenShiftRequest> {
    let mut conn = db.pool().acquire().await?;
    let row = load(&mut conn, actor.company_id, id)
        .await?
        .ok_or(Error::not_found("open shift request"))?;
    render_one(&mut conn, actor, row).await
}

/// Which requests to list; empty filters filter nothing.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub status: Option<OpenShiftRequestStatus>,
    pub shift_id: Option<i64>,
    pub location_id: Option<i64>,
    /// Requests this user bid for (withdrawn bids too).
    pub user_id: Option<i64>,
    /// Requests for shifts that end after this instant (RFC 3339).
    pub from: Option<String>,
    /// Requests for shifts that start before this instant (RFC 3339), after `from`.
    pub to: Option<String>,
}

/// The requests the actor may see, by id, filtered.
pub async fn list(
    db: &Db,
    actor: &Actor,
    filter: &RequestFilter,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<OpenShiftRequest>> {
    let instant = |field, text: &Option<String>| {
        text.as_deref()
            .map(|t| validate::instant(field, t))
            .transpose()
    };
    let (from, to) = (instant("from", &filter.from)?, instant("to", &filter.to)?);
    if let (Some(from), Some(to)) = (from, to)
        && to <= from
    {
        return Err(Error::invalid("to", "to must be after from"));
    }
    let page = db.page("open-shift-requests", limit, cursor).await?;
    let mut binds = Binds::after(3);
    let mut sql = format!("{} AND r.id > $2", model::select("$3"));
    if !may(
        actor,
        Action::ScheduleShifts,
        Target::Company(actor.company_id),
    ) {
        // Who builds no schedule sees only what they bid for; decided below for each.
        let me = binds.int(actor.user_id);
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM open_shift_bids b WHERE b.company_id = r.company_id \
             AND b.request_id = r.id AND b.user_id = {me})"
        ));
    }
    if let Some(status) = filter.status {
        let status = binds.text(status.as_str().to_owned());
        sql.push_str(&format!(" AND {} = {status}", model::status_sql("$3")));
    }
    let mut compare = |clause: &str, value: Option<i64>, sql: &mut String| {
        if let Some(value) = value {
            sql.push_str(&format!(" AND {clause} {}", binds.int(value)));
        }
    };
    compare("r.shift_id =", filter.shift_id, &mut sql);
    compare("s.location_id =", filter.location_id, &mut sql);
    compare("s.ends_at >", from, &mut sql);
    compare("s.starts_at <", to, &mut sql);
    if let Some(user_id) = filter.user_id {
        let user_id = binds.int(user_id);
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM open_shift_bids b WHERE b.company_id = r.company_id \
             AND b.request_id = r.id AND b.user_id = {user_id})"
        ));
    }
    sql.push_str(&format!(
        " ORDER BY r.id LIMIT {}",
        binds.int(page.limit + 1)
    ));
    let query = sqlx::query_as::<_, RequestRow>(sqlx::AssertSqlSafe(sql))
        .bind(actor.company_id)
        .bind(page.after_id)
        .bind(now());
    let mut conn = db.pool().acquire().await?;
    let rows = binds.bind_all(query).fetch_all(&mut *conn).await?;
    let rows = page.finish(rows, |r| r.id);
    Ok(Page {
        data: render(&mut conn, actor, rows.data).await?,
        next_cursor: rows.next_cursor,
    })
}

/// The shift of a request, deleted or not, with its holder's facts.
pub(crate) async fn shift_of(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    row: &RequestRow,
) -> Result<(ShiftRow, Holders)> {
    let shift = row::load(conn, company_id, row.shift_id)
        .await?
        .ok_or_else(|| Error::Internal("an open shift request without its shift".into()))?;
    let holders = Holders::load(conn, company_id, shift.user_id).await?;
    Ok((shift, holders))
}
