//! The delivery log: what a subscription was owed, newest first, with every attempt to
//! deliver it (when, the receiver's status or the error, how long it took).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::access::settings::authorise;
use crate::db::{Db, now};
use crate::error::Result;
use crate::paging::Page;
use crate::policy::Actor;

/// How long a delivery stays in the log once delivered or given up, counted from when it
/// was queued, in seconds: 30 days (the last retry comes within hours).
pub const RETENTION_SECONDS: i64 = 30 * 24 * 3600;

/// Removes finished deliveries queued more than [`RETENTION_SECONDS`] ago, with their
/// attempts; queued ones stay however old. Returns how many deliveries went.
pub(crate) async fn prune(db: &Db) -> Result<u64> {
    let before = now() - RETENTION_SECONDS;
    let finished = "SELECT id FROM webhook_deliveries \
        WHERE created_at < $1 AND (delivered_at IS NOT NULL OR failed_at IS NOT NULL)";
    let mut tx = db.begin_write().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM webhook_attempts WHERE delivery_id IN ({finished})"
    )))
    .bind(before)
    .execute(&mut *tx)
    .await?;
    let deliveries = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM webhook_deliveries WHERE id IN ({finished})"
    )))
    .bind(before)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(deliveries)
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not yet delivered; due again at `next_attempt_at`.
    Pending,
    /// A receiver answered 2xx.
    Delivered,
    /// Every attempt failed; not tried again.
    Failed,
}

/// One try at delivering.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeliveryAttempt {
    /// RFC 3339.
    pub attempted_at: String,
    /// The receiver's HTTP status; absent when there was no answer.
    pub status_code: Option<i64>,
    /// Why it failed, when it did.
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// One event owed to one subscription, with its attempts, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookDelivery {
    /// Sent as the `Rota-Delivery` header.
    pub id: i64,
    pub subscription_id: i64,
    /// The `id` in the body, the same in every subscription's copy of the event.
    pub event_id: String,
    pub event: String,
    pub status: DeliveryStatus,
    pub attempts: Vec<DeliveryAttempt>,
    /// RFC 3339; while pending.
    pub next_attempt_at: Option<String>,
    pub delivered_at: Option<String>,
    pub failed_at: Option<String>,
    pub last_error: Option<String>,
    pub created_at: String,
    /// The body, exactly as sent.
    #[schema(value_type = Object)]
    pub payload: Value,
}

#[derive(FromRow)]
struct DeliveryRow {
    id: i64,
    subscription_id: i64,
    event_id: String,
    event: String,
    payload: String,
    created_at: i64,
    next_attempt_at: i64,
    delivered_at: Option<i64>,
    failed_at: Option<i64>,
    last_error: Option<String>,
}

#[derive(FromRow)]
struct AttemptRow {
    delivery_id: i64,
    attempted_at: i64,
    status_code: Option<i64>,
    error: Option<String>,
    duration_ms: i64,
}

/// A subscription's deliveries, newest first, in pages. Super users only; another
/// company's subscription is absent.
pub async fn list(
    db: &Db,
    actor: &Actor,
    subscription_id: i64,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<WebhookDelivery>> {
    authorise(db, actor).await?;
    let mut tx = db.pool().begin().await?;
    super::subscriptions::load(&mut tx, actor.company_id, subscription_id).await?;
    tx.commit().await?;
    let page = db.page("webhook_deliveries", limit, cursor).await?;
    let before = if page.after_id == 0 {
        i64::MAX
    } else {
        page.after_id
    };
    let rows: Vec<DeliveryRow> = sqlx::query_as(
        "SELECT id, subscription_id, event_id, event, payload, created_at, next_attempt_at, delivered_at, failed_at, last_error \
         FROM webhook_deliveries WHERE company_id = $1 AND subscription_id = $2 AND id < $3 ORDER BY id DESC LIMIT $4",
    )
    .bind(actor.company_id)
    .bind(subscription_id)
    .bind(before)
    .bind(page.limit + 1)
    .fetch_all(db.pool())
    .await?;
    // Every attempt of the page's deliveries in one query: their ids lie in one range.
    let (low, high) = rows.iter().fold((i64::MAX, i64::MIN), |(low, high), row| {
        (low.min(row.id), high.max(row.id))
    });
    let attempts: Vec<AttemptRow> = sqlx::query_as(
        "SELECT a.delivery_id, a.attempted_at, a.status_code, a.error, a.duration_ms FROM webhook_attempts a \
         JOIN webhook_deliveries d ON d.company_id = a.company_id AND d.id = a.delivery_id \
         WHERE a.company_id = $1 AND a.delivery_id >= $2 AND a.delivery_id <= $3 AND d.subscription_id = $4 \
         ORDER BY a.delivery_id, a.id",
    )
    .bind(actor.company_id)
    .bind(low)
    .bind(high)
    .bind(subscription_id)
    .fetch_all(db.pool())
    .await?;
    let deliveries = rows
        .into_iter()
        .map(|row| {
            let status = if row.delivered_at.is_some() {
                DeliveryStatus::Delivered
            } else if row.failed_at.is_some() {
                DeliveryStatus::Failed
            } else {
                DeliveryStatus::Pending
            };
            WebhookDelivery {
                id: row.id,
                subscription_id: row.subscription_id,
                event_id: row.event_id,
                event: row.event,
                status,
                attempts: attempts
                    .iter()
                    .filter(|a| a.delivery_id == row.id)
                    .map(|a| DeliveryAttempt {
                        attempted_at: crate::time::rfc3339(a.attempted_at),
                        status_code: a.status_code,
                        error: a.error.clone(),
                        duration_ms: a.duration_ms,
                    })
                    .collect(),
                next_attempt_at: (status == DeliveryStatus::Pending)
                    .then(|| crate::time::rfc3339(row.next_attempt_at)),
                delivered_at: row.delivered_at.map(crate::time::rfc3339),
                failed_at: row.failed_at.map(crate::time::rfc3339),
                last_error: row.last_error,
                created_at: crate::time::rfc3339(row.created_at),
                payload: serde_json::from_str(&row.payload).unwrap_or(Value::Null),
            }
        })
        .collect();
    Ok(page.finish(deliveries, |d| d.id))
}
