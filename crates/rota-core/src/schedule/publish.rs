//! Publishing a location's shifts in a range, and taking them back: the drafts (or the
//! published ones) the caller manages change at once, and each person concerned is told.

use serde::Deserialize;
use utoipa::ToSchema;

use super::change::{in_range, range};
use super::create::scheduling;
use super::holders::Holders;
use super::row::{ShiftRow, Zones};
use super::tail::{self, Release, ReleaseSummary, Scope};
use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::policy::{Action, Actor};

/// A location's shifts starting in a range.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseInput {
    pub location_id: i64,
    /// Shifts starting at or after this instant (RFC 3339).
    #[schema(value_type = crate::openapi::Instant)]
    pub from: String,
    /// … and before this one, at most 366 days later.
    #[schema(value_type = crate::openapi::Instant)]
    pub to: String,
}

/// Publishes (or, with [`Release::Unpublished`], takes back) the shifts of `input`.
pub async fn release(
    db: &Db,
    actor: &Actor,
    release: Release,
    input: ReleaseInput,
) -> Result<ReleaseSummary> {
    scheduling(actor)?;
    let (from, to) = range(&input.from, &input.to)?;
    let company_id = actor.company_id;
    let mut tx = db.begin_write().await?;
    let location: String =
        sqlx::query_scalar("SELECT name FROM locations WHERE company_id = $1 AND id = $2")
            .bind(company_id)
            .bind(input.location_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::unknown_reference("location", "location_id"))?;
    let published = release.published();
    let rows = in_range(
        &mut tx,
        company_id,
        (from, to),
        Some(input.location_id),
        None,
        Some(!published),
    )
    .await?;
    let holders = Holders::load(&mut tx, company_id, rows.iter().filter_map(|r| r.user_id)).await?;
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|row| holders.may_on(actor, Action::ManageShift, row))
        .collect();
    let stamp = now();
    let mut changed = Vec::with_capacity(rows.len());
    for row in rows {
        sqlx::query(
            "UPDATE shifts SET published = $3, published_at = $4, updated_at = $5 WHERE company_id = $1 AND id = $2",
        )
        .bind(company_id)
        .bind(row.id)
        .bind(i64::from(published))
        .bind(published.then_some(stamp))
        .bind(stamp)
        .execute(&mut *tx)
        .await?;
        changed.push(ShiftRow {
            published,
            published_at: published.then_some(stamp),
            updated_at: stamp,
            ..row
        });
    }
    let zones = Zones::load(&mut tx, company_id).await?;
    let scope = Scope {
        location_id: input.location_id,
        location: &location,
        from,
        to,
    };
    let summary = tail::released(
        &mut tx,
        actor,
        release,
        &scope,
        &changed,
        (&holders, &zones),
    )
    .await?;
    tx.commit().await?;
    Ok(summary)
}
