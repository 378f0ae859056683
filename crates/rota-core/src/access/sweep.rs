//! Clearing out what can no longer matter: expired access tokens, nonces past their
//! window, rate-limit buckets that have refilled, and webhook deliveries past the log's
//! retention. Any Rota process may sweep; the statements are idempotent.

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
    pub webhook_deliveries: u64,
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
        webhook_deliveries: crate::webhooks::log::prune(db).await?,
    })
}

/// Sweeps every `every` until the task is dropped; a failed sweep is logged and retried.
pub async fn run(db: Db, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        match once(&db).await {
            Ok(swept) => tracing::debug!(?swept, "swept"),
            Err(error) => tracing::warn!(%error, "sweeping failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::limits::{self, Quota};
    use crate::access::settings;
    use crate::signup::{self, CompanyForCreate};

    #[tokio::test]
    async fn a_sweep_removes_only_what_can_no_longer_matter() {
        let scratch = crate::testing::scratch_database()
            .await
            .expect("scratch database");
        let db = &scratch.db;
        let created = signup::create_company(
            db,
            CompanyForCreate {
                name: "Sweep Ltd".into(),
                time_zone: None,
                holiday_country: None,
                owner_email: "owner@sweep.test".into(),
                owner_password: "a long sweeping password".into(),
                owner_first_name: None,
                owner_last_name: None,
            },
        )
        .await
        .expect("company");
        let owner = settings::operator(db, created.company_id)
            .await
            .expect("owner");
        let client = settings::enable(db, None, &owner).await.expect("enabled");
        let stamp = now();
        for (nonce, expires_at) in [("spent", stamp - 1), ("fresh", stamp + 600)] {
            sqlx::query(
                "INSERT INTO api_nonces (company_id, client_id, nonce, expires_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(created.company_id)
            .bind(client.client.id)
            .bind(nonce)
            .bind(expires_at)
            .execute(db.pool())
            .await
            .expect("nonce");
        }
        for (hash, expires_at) in [("expired", stamp - 1), ("live", stamp + 900)] {
            sqlx::query(
                "INSERT INTO api_tokens (company_id, client_id, user_id, token_hash, grant_type, created_at, expires_at) \
                 VALUES ($1, $2, NULL, $3, 'client_credentials', $4, $5)",
            )
            .bind(created.company_id)
            .bind(client.client.id)
            .bind(hash)
            .bind(stamp - 900)
            .bind(expires_at)
            .execute(db.pool())
            .await
            .expect("token");
        }
        // A bucket just used stays; one whose time has passed goes.
        limits::take(db, "test:busy", Quota::new(1, 5))
            .await
            .expect("admitted");
        sqlx::query("INSERT INTO rate_limits (bucket, tat_ms) VALUES ('test:idle', 0)")
            .execute(db.bookkeeping())
            .await
            .expect("bucket");

        // Webhook deliveries: one finished long ago (with its attempt), one finished
        // yesterday, one still queued however old.
        let subscription: i64 = sqlx::query_scalar(
            "INSERT INTO webhook_subscriptions (company_id, url, events, secret, enabled, created_at, updated_at, \
             secret_rotated_at) VALUES ($1, 'https://example.com/hook', '[\"*\"]', 'rota_whsec_x', 1, $2, $2, $2) \
             RETURNING id",
        )
        .bind(created.company_id)
        .bind(stamp)
        .fetch_one(db.pool())
        .await
        .expect("subscription");
        let day = 24 * 3600;
        for (delivered_at, created_at) in [
            (Some(stamp - 31 * day), stamp - 31 * day),
            (Some(stamp - day), stamp - day),
            (None, stamp - 40 * day),
        ] {
            let delivery: i64 = sqlx::query_scalar(
                "INSERT INTO webhook_deliveries (company_id, subscription_id, event_id, event, payload, created_at, \
                 attempts, next_attempt_at, delivered_at) VALUES ($1, $2, 'evt', 'ping', '{}', $3, 1, $3, $4) RETURNING id",
            )
            .bind(created.company_id)
            .bind(subscription)
            .bind(created_at)
            .bind(delivered_at)
            .fetch_one(db.pool())
            .await
            .expect("delivery");
            sqlx::query(
                "INSERT INTO webhook_attempts (company_id, delivery_id, attempted_at, status_code, duration_ms) \
                 VALUES ($1, $2, $3, 200, 5)",
            )
            .bind(created.company_id)
            .bind(delivery)
            .bind(created_at)
            .execute(db.pool())
            .await
            .expect("attempt");
        }

        let swept = once(db).await.expect("swept");
        assert_eq!(
            swept,
            Swept {
                tokens: 1,
                nonces: 1,
                rate_limits: 1,
                webhook_deliveries: 1,
            }
        );
        assert_eq!(once(db).await.expect("swept"), Swept::default());
        let attempts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_attempts")
            .fetch_one(db.pool())
            .await
            .expect("count");
        assert_eq!(attempts, 2);
    }
}
