//! Who could take a shift over (When I Work's swap users): the company's active people,
//! its holder aside, whom the shift fits (position, location: [`rules::eligible`]) and whose
//! calendar it does not clash with (the check an assignment makes), among those the caller
//! sees; and which of their shifts its holder could take in exchange, for a swap. A read:
//! nothing is locked, and the offer itself checks again when it is made and accepted.

use serde::Serialize;
use utoipa::ToSchema;

use super::conflicts;
use super::draft::Draft;
use super::holders::Holders;
use super::read::visible;
use super::row::{SELECT, ShiftRow, Zones};
use super::rules::{self, WorksAt};
use super::settings;
use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::people::view::memberships;
use crate::policy::{Action, Actor};
use crate::sql::placeholders;

/// The people a shift could go to instead of its holder.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SwapCandidates {
    pub shift_id: i64,
    /// By ascending id.
    pub user_ids: Vec<i64>,
    /// Their shifts the holder could take in exchange (a swap's `shift_ids`): published,
    /// not started, starting within [`EXCHANGE_DAYS`] days of the shift, fitting the holder
    /// and clear of the holder's calendar once the shift is given up; by start, at most
    /// [`MAX_EXCHANGES`].
    pub shift_ids: Vec<i64>,
}

/// How many days either side of the shift offered a shift in exchange may start.
pub const EXCHANGE_DAYS: i64 = 14;
/// The most shifts in exchange listed.
pub const MAX_EXCHANGES: usize = 50;

pub async fn swap_candidates(db: &Db, actor: &Actor, id: i64) -> Result<SwapCandidates> {
    let company_id = actor.company_id;
    let mut conn = db.pool().acquire().await?;
    let (row, holders) = visible(&mut conn, actor, id, false).await?;
    if !holders.may_on(actor, Action::OfferShift, &row) {
        return Err(Error::forbidden(
            "only its holder, or who manages it, offers a published shift",
        ));
    }
    let active: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE company_id = $1 AND status = 'active' AND id <> $2 ORDER BY id",
    )
    .bind(company_id)
    .bind(row.user_id.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?;
    let people = Holders::load(&mut conn, company_id, active.iter().copied()).await?;
    let seen: Vec<i64> = active
        .into_iter()
        .filter(|&user_id| people.sees(actor, user_id))
        .collect();
    let mut works_at = memberships(&mut conn, company_id, &seen).await?;
    let zones = Zones::load(&mut conn, company_id).await?;
    let settings = settings::load(&mut *conn, company_id).await?;
    let mut user_ids = Vec::new();
    for user_id in seen {
        let fits = works_at
            .remove(&user_id)
            .map(WorksAt::from)
            .unwrap_or_default();
        if rules::eligible(row.location_id, row.position_id, &fits).is_err() {
            continue;
        }
        let draft = Draft {
            user_id: Some(user_id),
            ..Draft::of(&row)
        };
        match conflicts::check(&mut conn, company_id, &draft, Some(id), (&zones, &settings)).await {
            Ok(_) => user_ids.push(user_id),
            Err(Error::Conflict { .. }) => {}
            Err(other) => return Err(other),
        }
    }
    let shift_ids = match row.user_id {
        Some(holder) => exchanges(&mut conn, &row, holder, &user_ids, (&zones, &settings)).await?,
        None => Vec::new(),
    };
    Ok(SwapCandidates {
        shift_id: id,
        user_ids,
        shift_ids,
    })
}

/// Of the shifts of `colleagues`, those `holder` could take in exchange for `offered`.
async fn exchanges(
    conn: &mut sqlx::AnyConnection,
    offered: &ShiftRow,
    holder: i64,
    colleagues: &[i64],
    context: (&Zones, &settings::ScheduleSettings),
) -> Result<Vec<i64>> {
    if colleagues.is_empty() {
        return Ok(Vec::new());
    }
    let company_id = offered.company_id;
    let window = EXCHANGE_DAYS * 86_400;
    let sql = format!(
        "{SELECT} WHERE company_id = $1 AND deleted_at IS NULL AND published = 1 \
         AND starts_at > $2 AND starts_at >= $3 AND starts_at < $4 AND user_id IN ({}) \
         ORDER BY starts_at, id",
        placeholders(5, colleagues.len())
    );
    let mut query = sqlx::query_as::<_, ShiftRow>(sqlx::AssertSqlSafe(sql))
        .bind(company_id)
        .bind(now())
        .bind(offered.starts_at - window)
        .bind(offered.starts_at + window);
    for id in colleagues {
        query = query.bind(*id);
    }
    let theirs = query.fetch_all(&mut *conn).await?;
    let fits = memberships(&mut *conn, company_id, &[holder])
        .await?
        .remove(&holder)
        .map(WorksAt::from)
        .unwrap_or_default();
    let mut shift_ids = Vec::new();
    for shift in theirs {
        if shift_ids.len() == MAX_EXCHANGES {
            break;
        }
        if rules::eligible(shift.location_id, shift.position_id, &fits).is_err() {
            continue;
        }
        let draft = Draft {
            user_id: Some(holder),
            ..Draft::of(&shift)
        };
        // The holder's calendar without the shift they give up.
        match conflicts::check(conn, company_id, &draft, Some(offered.id), context).await {
            Ok(_) => shift_ids.push(shift.id),
            Err(Error::Conflict { .. }) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(shift_ids)
}
