//! Offering a shift: its holder (or who manages them) offers a published shift to come
//! as a swap or a drop. The shift is locked first, so that it is in one pending swap at
//! most; each colleague named must be one the shift fits.

use serde::Deserialize;
use utoipa::ToSchema;

use super::hand::fit;
use super::row::{self, RecipientStatus, Swap, SwapKind, SwapRow, SwapStatus, add_recipient};
use super::rules;
use super::tail::{self, Step};
use crate::company;
use crate::db::{Db, now};
use crate::error::{Error, Result, code};
use crate::locks::{self, Owner};
use crate::people::types::UserStatus;
use crate::policy::{Action, Actor};
use crate::schedule::holders::Holders;
use crate::schedule::read::visible;
use crate::schedule::row::Zones;

/// A shift offered to colleagues.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SwapInput {
    /// The shift offered: published, not started, held by the caller (or by someone they
    /// manage).
    pub shift_id: i64,
    pub kind: SwapKind,
    /// A swap: the colleagues' shifts (published, not started, each of another colleague)
    /// the holder would take in exchange, at least one. Empty for a drop.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub shift_ids: Vec<i64>,
    /// A drop: the colleagues it is offered to; empty: anyone it fits. Empty for a swap.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub user_ids: Vec<i64>,
}

pub async fn create(db: &Db, actor: &Actor, input: SwapInput) -> Result<Swap> {
    let company_id = actor.company_id;
    let mut tx = db.begin_write().await?;
    locks::lock(&mut tx, company_id, [Owner::Shift(input.shift_id)]).await?;
    let (shift, holders) = visible(&mut tx, actor, input.shift_id, false).await?;
    if !holders.may_on(actor, Action::OfferShift, &shift) {
        return Err(Error::forbidden(
            "only its holder, or who manages it, offers a published shift",
        ));
    }
    let Some(holder) = shift.user_id else {
        return Err(Error::forbidden("an open shift is taken, not offered"));
    };
    rules::offer(input.kind, &input.shift_ids, &input.user_ids)?;
    if shift.starts_at <= now() {
        return Err(Error::invalid("shift_id", "the shift has started"));
    }
    let pending: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM swaps WHERE company_id = $1 AND shift_id = $2 AND status = 'pending'",
    )
    .bind(company_id)
    .bind(shift.id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = pending {
        return Err(Error::conflict(
            code::SWAP_PENDING,
            Some("shift_id"),
            format!("the shift is offered in swap {id} already; cancel that one first"),
        ));
    }
    // The colleagues it goes to, and what each gives in exchange.
    let mut offers: Vec<(i64, Option<i64>)> = Vec::new();
    for (i, &id) in input.shift_ids.iter().enumerate() {
        let field = format!("shift_ids[{i}]");
        let (theirs, _) = visible(&mut tx, actor, id, false).await?;
        let owner = theirs.user_id.filter(|&u| u != holder);
        let Some(owner) = owner.filter(|_| theirs.published && theirs.starts_at > now()) else {
            return Err(Error::invalid(
                field,
                "a shift given in exchange is a colleague's, published, not started",
            ));
        };
        if offers.iter().any(|(u, _)| *u == owner) {
            return Err(Error::invalid(field, "one shift in exchange per colleague"));
        }
        fit(&mut tx, &theirs, holder).await?;
        offers.push((owner, Some(id)));
    }
    let people = Holders::load(&mut tx, company_id, input.user_ids.iter().copied()).await?;
    for (i, &user_id) in input.user_ids.iter().enumerate() {
        let active = people
            .records
            .get(&user_id)
            .is_some_and(|u| UserStatus::from_stored(&u.status).ok() == Some(UserStatus::Active));
        if !active || user_id == holder || !people.sees(actor, user_id) {
            return Err(Error::invalid(
                format!("user_ids[{i}]"),
                "a drop is offered to active colleagues the caller sees, its holder aside",
            ));
        }
        offers.push((user_id, None));
    }
    for &(user_id, _) in &offers {
        fit(&mut tx, &shift, user_id).await?;
    }
    let requires_approval = company::load(&mut *tx, company_id)
        .await?
        .settings
        .swaps_require_approval;
    let stamp = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO swaps (company_id, kind, shift_id, user_id, location_id, starts_at, ends_at, status, \
         requires_approval, open_to_all, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(company_id)
    .bind(input.kind.as_str())
    .bind(shift.id)
    .bind(holder)
    .bind(shift.location_id)
    .bind(shift.starts_at)
    .bind(shift.ends_at)
    .bind(SwapStatus::Pending.as_str())
    .bind(i64::from(requires_approval))
    .bind(i64::from(offers.is_empty()))
    .bind(actor.user_id)
    .bind(stamp)
    .fetch_one(&mut *tx)
    .await?;
    let mut swap: SwapRow = row::load(&mut tx, company_id, id)
        .await?
        .ok_or(Error::Internal("a swap just made is gone".into()))?;
    for (user_id, exchange) in offers {
        add_recipient(
            &mut tx,
            &mut swap,
            user_id,
            exchange,
            RecipientStatus::PendingAcceptance,
        )
        .await?;
    }
    let zones = Zones::load(&mut tx, company_id).await?;
    let shown = tail::record(&mut tx, actor, Step::Offered, &swap, &zones).await?;
    tx.commit().await?;
    Ok(shown)
}
