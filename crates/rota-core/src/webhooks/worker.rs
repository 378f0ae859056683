//! The webhook worker: POSTs what the delivery outbox holds, signed, with retries.
//!
//! It works as the mail worker does (see [`crate::mail::worker`]): a worker claims a due
//! delivery with one `UPDATE` that raises `attempts` from the value it read and moves
//! `next_attempt_at` a lease ahead, so several Rota processes on one database never send
//! the same attempt twice; a worker that dies mid-send leaves the claim to lapse, and the
//! delivery goes again (at least once, never lost: receivers de-duplicate on the event id).
//!
//! A 2xx answer delivers. Anything else (another status, a timeout, a refused address)
//! is a failure, logged in `webhook_attempts` and tried again after the shared back-off
//! ([`Retry`]) until the last attempt, after which the delivery is marked failed and kept.
//! Each attempt is signed afresh (`Rota-Signature: t=…,v1=…`) with the subscription's
//! current secret, over the same body.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::FromRow;

use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::retry::{Queue, Retry};
use crate::webhooks::{WebhookSettings, address, sealing, signing};

/// Rows one pass looks at.
const BATCH: i64 = 50;
/// The delivery outbox; a claim holds a delivery far longer than a send may take.
const QUEUE: Queue = Queue {
    table: "webhook_deliveries",
    done_column: "delivered_at",
    lease_seconds: 300,
};
/// How long a receiver has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The most of a receiver's answer or an error kept in the log.
const ERROR_LIMIT: usize = 500;

/// How the worker sends: its HTTP client (which, unless private addresses are allowed,
/// resolves names to public addresses only and follows no redirect), the settings and
/// the retry policy.
#[derive(Debug, Clone)]
pub struct Dispatcher {
    client: reqwest::Client,
    settings: WebhookSettings,
    retry: Retry,
}

impl Dispatcher {
    pub fn new(settings: WebhookSettings) -> Result<Self> {
        let mut builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("Rota-Webhooks/", env!("CARGO_PKG_VERSION")));
        if !settings.allow_private {
            builder = builder.dns_resolver(Arc::new(address::PublicOnly));
        }
        let client = builder
            .build()
            .map_err(|e| Error::Internal(format!("webhook HTTP client: {e}").into()))?;
        Ok(Self {
            client,
            settings,
            retry: Retry::default(),
        })
    }

    /// The same dispatcher with another retry policy.
    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }
}

/// A delivery that is due, with where it goes and the secret to sign it with, as stored
/// (so no `Debug`: it must never reach a log).
#[derive(FromRow)]
struct Due {
    id: i64,
    company_id: i64,
    event: String,
    payload: String,
    attempts: i64,
    url: String,
    secret: String,
}

/// What one pass did.
struct Pass {
    due: usize,
    delivered: usize,
}

/// Sends what is due now, once each, and returns how many were delivered. The worker
/// calls this on a timer; tests call it to deliver without waiting.
pub async fn deliver_due(db: &Db, dispatcher: &Dispatcher) -> Result<usize> {
    Ok(pass(db, dispatcher).await?.delivered)
}

/// Delivers the outbox for as long as the process runs, every `every` when idle.
pub async fn run(db: Db, dispatcher: Dispatcher, every: Duration) {
    tracing::info!(
        allow_private = dispatcher.settings.allow_private,
        sealed_secrets = dispatcher.settings.secret_key.is_some(),
        "webhook worker started"
    );
    loop {
        match pass(&db, &dispatcher).await {
            Ok(pass) if pass.due as i64 >= BATCH => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "webhook worker: a pass failed; trying again"),
        }
        tokio::time::sleep(every).await;
    }
}

async fn pass(db: &Db, dispatcher: &Dispatcher) -> Result<Pass> {
    let due: Vec<Due> = sqlx::query_as(
        "SELECT d.id, d.company_id, d.event, d.payload, d.attempts, s.url, s.secret \
         FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.company_id = d.company_id AND s.id = d.subscription_id \
         WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= $1 AND s.enabled = 1 \
         ORDER BY d.next_attempt_at, d.id LIMIT $2",
    )
    .bind(now())
    .bind(BATCH)
    .fetch_all(db.pool())
    .await?;
    let mut delivered = 0;
    for row in &due {
        if !QUEUE.claim(db, row.id, row.attempts).await? {
            continue;
        }
        let started = Instant::now();
        let outcome = send(dispatcher, row).await;
        let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        if record(db, dispatcher, row, outcome, duration_ms).await? {
            delivered += 1;
        }
    }
    Ok(Pass {
        due: due.len(),
        delivered,
    })
}

/// How one attempt went.
struct Outcome {
    status_code: Option<u16>,
    /// Absent when delivered.
    error: Option<String>,
}

fn clip(text: &str) -> String {
    text.chars().take(ERROR_LIMIT).collect()
}

/// The error with its causes, which is where reqwest says what actually went wrong.
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

async fn send(dispatcher: &Dispatcher, row: &Due) -> Outcome {
    let failed = |error: String| Outcome {
        status_code: None,
        error: Some(clip(&error)),
    };
    let url = match address::parse_url(&row.url) {
        Ok(url) => url,
        Err(error) => return failed(error.to_string()),
    };
    if !dispatcher.settings.allow_private
        && let Some(refusal) = address::refused_literal(&url)
    {
        return failed(refusal.to_string());
    }
    let secret = match sealing::open(
        dispatcher.settings.secret_key.as_ref(),
        row.company_id,
        &row.secret,
    ) {
        Ok(secret) => secret,
        Err(error) => return failed(error.to_string()),
    };
    let timestamp = now();
    let signature = signing::sign(&secret, timestamp, row.payload.as_bytes());
    let response = dispatcher
        .client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(signing::HEADER, signature)
        .header("Rota-Event", &row.event)
        .header("Rota-Delivery", row.id.to_string())
        .body(row.payload.clone())
        .send()
        .await;
    match response {
        Ok(response) if response.status().is_success() => Outcome {
            status_code: Some(response.status().as_u16()),
            error: None,
        },
        Ok(response) => {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            Outcome {
                status_code: Some(status.as_u16()),
                error: Some(clip(&format!("the receiver answered {status}: {body}"))),
            }
        }
        Err(error) => failed(describe(&error)),
    }
}

/// Logs the attempt and moves the delivery on; true when it was delivered.
async fn record(
    db: &Db,
    dispatcher: &Dispatcher,
    row: &Due,
    outcome: Outcome,
    duration_ms: i64,
) -> Result<bool> {
    let attempts = row.attempts + 1;
    let stamp = now();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO webhook_attempts (company_id, delivery_id, attempted_at, status_code, error, duration_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(row.company_id)
    .bind(row.id)
    .bind(stamp)
    .bind(outcome.status_code.map(i64::from))
    .bind(&outcome.error)
    .bind(duration_ms)
    .execute(&mut *tx)
    .await?;
    let delivered = outcome.error.is_none();
    match (
        &outcome.error,
        dispatcher.retry.next_attempt_at(attempts, stamp),
    ) {
        (None, _) => {
            sqlx::query(
                "UPDATE webhook_deliveries SET delivered_at = $1, last_error = NULL WHERE id = $2",
            )
            .bind(stamp)
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        }
        (Some(error), Some(next)) => {
            tracing::warn!(
                webhook.delivery = row.id,
                company.id = row.company_id,
                attempts,
                retry_in_seconds = next - stamp,
                error,
                "webhook not delivered; will retry"
            );
            sqlx::query(
                "UPDATE webhook_deliveries SET next_attempt_at = $1, last_error = $2 WHERE id = $3",
            )
            .bind(next)
            .bind(error)
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        }
        (Some(error), None) => {
            tracing::error!(
                webhook.delivery = row.id,
                company.id = row.company_id,
                attempts,
                error,
                "webhook given up after its last attempt"
            );
            sqlx::query(
                "UPDATE webhook_deliveries SET failed_at = $1, last_error = $2 WHERE id = $3",
            )
            .bind(stamp)
            .bind(error)
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(delivered)
}
