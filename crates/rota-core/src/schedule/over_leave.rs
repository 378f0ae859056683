//! Shifts under a leave request: the published shifts of its holder that touch one of its
//! days (in each shift's location's zone), shown to whoever may see the request, and
//! opened (given up, for anyone they fit to take) when its approver asks so on approving.

use jiff::civil::Date;

use super::history::Reason;
use super::holders::Holders;
use super::row::{RETURNING, SELECT, Shift, ShiftRow, Zones, with_breaks};
use super::rules;
use super::tail::{self, Change};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result};
use crate::leave::request;
use crate::locks::{self, Owner};
use crate::policy::{Action, Actor};

/// Seconds a zone's day may reach beyond the same UTC day: the widest offset, ±14 hours.
const WIDEST_OFFSET: i64 = 14 * 3600;

/// The published shifts under request `id`, which the actor must be able to see; sorted
/// by start.
pub async fn under_request(db: &Db, actor: &Actor, id: i64) -> Result<Vec<Shift>> {
    let leave = request::get(db, actor, id).await?;
    let mut conn = db.pool().acquire().await?;
    let zones = Zones::load(&mut conn, actor.company_id).await?;
    let rows = under(
        &mut conn,
        actor.company_id,
        leave.user_id,
        (leave.start_date, leave.end_date),
        &zones,
    )
    .await?;
    Ok(rows.iter().map(|row| row.render(&zones)).collect())
}

/// The published shifts of `user_id` touching a day of `days` (both included), with
/// their breaks, by start.
async fn under(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    user_id: i64,
    (first, last): (Date, Date),
    zones: &Zones,
) -> Result<Vec<ShiftRow>> {
    let midnight = |day: Date| -> Result<i64> {
        day.to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .map_err(|e| Error::Internal(e.to_string().into()))
    };
    let after = midnight(first)? - WIDEST_OFFSET;
    let before = midnight(last)? + 86_400 + WIDEST_OFFSET;
    let rows: Vec<ShiftRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND user_id = $2 AND published = 1 AND deleted_at IS NULL \
         AND ends_at > $3 AND starts_at < $4 ORDER BY starts_at, id"
    )))
    .bind(company_id)
    .bind(user_id)
    .bind(after)
    .bind(before)
    .fetch_all(&mut *conn)
    .await?;
    let under: Vec<ShiftRow> = rows
        .into_iter()
        .filter(|row| {
            let (_, zone) = zones.of(row.location_id);
            rules::days(row.starts_at, row.ends_at, zone)
                .iter()
                .any(|day| (first..=last).contains(day))
        })
        .collect();
    with_breaks(conn, company_id, under).await
}

/// Opens, in `tx`, the published shifts of `user_id` under `days`, each locked first: an
/// approver opening the shifts of the leave they approve. The actor must manage each.
pub(crate) async fn open_under(
    tx: &mut Tx,
    actor: &Actor,
    user_id: i64,
    days: (Date, Date),
) -> Result<()> {
    let company_id = actor.company_id;
    let zones = Zones::load(tx, company_id).await?;
    let found = under(tx, company_id, user_id, days, &zones).await?;
    locks::lock(tx, company_id, found.iter().map(|row| Owner::Shift(row.id))).await?;
    // Read again under the locks: only what is still theirs is opened.
    let rows = under(tx, company_id, user_id, days, &zones).await?;
    let holders = Holders::load(tx, company_id, Some(user_id)).await?;
    if rows
        .iter()
        .any(|row| !holders.may_on(actor, Action::ManageShift, row))
    {
        return Err(Error::forbidden("you may not open this person's shifts"));
    }
    for before in rows {
        let written: ShiftRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE shifts SET user_id = NULL, acknowledged_at = NULL, updated_at = $3 \
             WHERE company_id = $1 AND id = $2{RETURNING}"
        )))
        .bind(company_id)
        .bind(before.id)
        .bind(now())
        .fetch_one(&mut **tx)
        .await?;
        let after = ShiftRow {
            breaks: before.breaks.clone(),
            ..written
        };
        let change = Change::Edited(Reason::Unassign);
        tail::record(tx, actor, change, Some(&before), &after, &zones).await?;
    }
    Ok(())
}
