//! Bidding for an open shift that requires approval (taking it, [`crate::schedule::take`],
//! ends here once the taker is found to fit), and withdrawing one's bid. Both hold the
//! lock on the shift.

use super::model::{OpenShiftRequest, OpenShiftRequestStatus, RequestRow};
use super::read::{self, render_one, shift_of};
use super::tail::{self, RequestChange};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};
use crate::locks::{self, Owner};
use crate::policy::Actor;
use crate::schedule::holders::Holders;
use crate::schedule::row::ShiftRow;

/// The actor bids for open shift `shift` (locked, found open, theirs to take and fitting
/// them): its request is made on the first bid, and a new round starts on one that was
/// decided before the shift was opened again. Bidding twice is 409 `duplicate`.
pub(crate) async fn bid(tx: &mut Tx, actor: &Actor, shift: &ShiftRow) -> Result<OpenShiftRequest> {
    let company_id = actor.company_id;
    let stamp = now();
    if shift.starts_at <= stamp {
        return Err(Error::conflict(
            code::ALREADY_DECIDED,
            None,
            "the shift has started: its request expired",
        ));
    }
    let request_id = match read::of_shift(tx, company_id, shift.id).await? {
        None => {
            sqlx::query_scalar(
                "INSERT INTO open_shift_requests (company_id, shift_id, status, created_by, updated_by, \
                 created_at, updated_at) VALUES ($1, $2, 'pending', $3, $3, $4, $4) RETURNING id",
            )
            .bind(company_id)
            .bind(shift.id)
            .bind(actor.user_id)
            .bind(stamp)
            .fetch_one(&mut **tx)
            .await?
        }
        Some(row) => {
            if row.status != OpenShiftRequestStatus::Pending {
                // Decided, then the shift was opened again: the old bids are over.
                sqlx::query(
                    "UPDATE open_shift_bids SET withdrawn_at = $3 WHERE company_id = $1 AND request_id = $2 \
                     AND withdrawn_at IS NULL",
                )
                .bind(company_id)
                .bind(row.id)
                .bind(stamp)
                .execute(&mut **tx)
                .await?;
            }
            sqlx::query(
                "UPDATE open_shift_requests SET status = 'pending', approved_user_id = NULL, updated_by = $3, \
                 updated_at = $4 WHERE company_id = $1 AND id = $2",
            )
            .bind(company_id)
            .bind(row.id)
            .bind(actor.user_id)
            .bind(stamp)
            .execute(&mut **tx)
            .await?;
            row.id
        }
    };
    let mine = read::bids(tx, company_id, request_id)
        .await?
        .into_iter()
        .find(|b| b.user_id == actor.user_id);
    match mine {
        Some(b) if b.stands() => {
            return Err(Error::conflict(
                code::DUPLICATE,
                None,
                "you have bid for this shift already",
            ));
        }
        Some(b) => {
            sqlx::query(
                "UPDATE open_shift_bids SET created_at = $3, withdrawn_at = NULL WHERE company_id = $1 AND id = $2",
            )
            .bind(company_id)
            .bind(b.id)
            .bind(stamp)
            .execute(&mut **tx)
            .await?;
        }
        None => {
            sqlx::query(
                "INSERT INTO open_shift_bids (company_id, request_id, user_id, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(company_id)
            .bind(request_id)
            .bind(actor.user_id)
            .bind(stamp)
            .execute(&mut **tx)
            .await?;
        }
    }
    let row = reload(tx, company_id, request_id).await?;
    finish(tx, actor, RequestChange::Bid, row).await
}

/// The actor withdraws their standing bid for request `id`, while it is pending.
pub async fn withdraw(db: &Db, actor: &Actor, id: i64) -> Result<OpenShiftRequest> {
    let company_id = actor.company_id;
    let mut tx = db.begin_write().await?;
    let row = reload(&mut tx, company_id, id).await?;
    locks::lock(&mut tx, company_id, [Owner::Shift(row.shift_id)]).await?;
    let row = reload(&mut tx, company_id, id).await?;
    let mine = read::bids(&mut tx, company_id, id)
        .await?
        .into_iter()
        .find(|b| b.user_id == actor.user_id && b.stands())
        .ok_or(Error::not_found("bid"))?;
    row.pending()?;
    sqlx::query("UPDATE open_shift_bids SET withdrawn_at = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(mine.id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE open_shift_requests SET updated_by = $3, updated_at = $4 WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(actor.user_id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let row = reload(&mut tx, company_id, id).await?;
    let shown = finish(&mut tx, actor, RequestChange::Withdrawn, row).await?;
    tx.commit().await?;
    Ok(shown)
}

/// Request `id` as stored now; 404 when the company has none such.
pub(crate) async fn reload(tx: &mut Tx, company_id: i64, id: i64) -> Result<RequestRow> {
    read::load(tx, company_id, id)
        .await?
        .ok_or(Error::not_found("open shift request"))
}

/// Records `change` to `row` through the tail, and shows the request to the actor.
pub(crate) async fn finish(
    tx: &mut Tx,
    actor: &Actor,
    change: RequestChange,
    row: RequestRow,
) -> Result<OpenShiftRequest> {
    let company_id = actor.company_id;
    let (shift, _) = shift_of(tx, company_id, &row).await?;
    let bids = read::bids(tx, company_id, row.id).await?;
    let bidders = Holders::load(tx, company_id, bids.iter().map(|b| b.user_id)).await?;
    let zones = crate::schedule::row::Zones::load(tx, company_id).await?;
    let whole = row.render(
        shift.render(&zones),
        bids.iter().map(|b| b.render()).collect(),
    );
    tail::record(tx, actor, change, &whole, &bidders).await?;
    render_one(tx, actor, row).await
}
