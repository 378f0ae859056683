//! Who could take a shift over (When I Work's swap users): the company's active people,
//! its holder aside, whom the shift fits (position, location: [`rules::eligible`]) and whose
//! calendar it does not clash with (the check an assignment makes), among those the caller
//! sees. A read: nothing is locked, and the offer itself checks again when it is made.

use serde::Serialize;
use utoipa::ToSchema;

use super::conflicts;
use super::draft::Draft;
use super::holders::Holders;
use super::read::visible;
use super::row::Zones;
use super::rules::{self, WorksAt};
use super::settings;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::people::view::memberships;
use crate::policy::{Action, Actor};

/// The people a shift could go to instead of its holder.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SwapCandidates {
    pub shift_id: i64,
    /// By ascending id.
    pub user_ids: Vec<i64>,
}

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
    Ok(SwapCandidates {
        shift_id: id,
        user_ids,
    })
}
