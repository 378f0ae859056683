//! Clearing out what API guards leave behind once it can no longer matter: expired access
//! tokens, nonces past their window, and rate-limit buckets that have refilled. Any Rota
//! process may sweep; the statements are idempotent.

use std::time::Duration;

use crate::access::{limits, nonces};
use crate::db::{Db, now};
use crate::error::Result;

/// Rows removed by one sweep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub tokens: u64,
    pub nonces: u64,
    pub rate_limits: u64,
}

/// One sweep.
pub async fn once(db: &Db) -> Result<Swept> {
    let tokens = sqlx::query("DELETE FROM api_tokens WHERE expires_at <= $1")
        .bind(now())
        .execute(db.pool())
        .await?
        .rows_affected();
    Ok(Swept {
        tokens,
        nonces: nonces::forget_expired(db).await?,
        rate_limits: limits::forget_idle(db).await?,
    })
}

/// Sweeps every `every` until the task is dropped; a failed sweep is logged and retried.
pub async fn run(db: Db, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        match once(&db).await {
            Ok(swept) => tracing::debug!(?swept, "swept API guards"),
            Err(error) => tracing::warn!(%error, "sweeping API guards failed"),
        }
    }
}
