//! Rate limits that hold across restarts and across several Rota processes on one
//! database: the generic cell rate algorithm (GCRA), one row per bucket holding its
//! theoretical arrival time, changed by a single conditional upsert so that concurrent
//! callers on any process can never take more than the quota between them.
//!
//! A quota of `per_minute` calls with a `burst` lets `burst` calls through at once and
//! then one every `60 s / per_minute`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::Db;
use crate::error::{Error, Result};

/// How many calls a bucket admits: a sustained rate and a burst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    /// Calls a minute, sustained: 1 to 60000.
    #[schema(minimum = 1, maximum = 60000)]
    pub per_minute: u32,
    /// Calls at once: 1 to 10000.
    #[schema(minimum = 1, maximum = 10000)]
    pub burst: u32,
}

impl Quota {
    pub const fn new(per_minute: u32, burst: u32) -> Self {
        Self { per_minute, burst }
    }

    /// A credential's own quota as sent: within 1..=60000 a minute and 1..=10000 at once.
    fn checked(self, field: &'static str) -> Result<Self> {
        if !(1..=60_000).contains(&self.per_minute) || !(1..=10_000).contains(&self.burst) {
            return Err(Error::invalid(
                field,
                format!("{field} needs per_minute from 1 to 60000 and burst from 1 to 10000"),
            ));
        }
        Ok(self)
    }

    /// A credential's `rate_limit` as sent, checked; absent stays absent.
    pub fn checked_input(input: Option<Self>) -> Result<Option<Self>> {
        input.map(|q| q.checked("rate_limit")).transpose()
    }

    /// The two nullable columns a credential's own quota is stored in.
    pub fn to_columns(quota: Option<Self>) -> (Option<i64>, Option<i64>) {
        (
            quota.map(|q| i64::from(q.per_minute)),
            quota.map(|q| i64::from(q.burst)),
        )
    }

    /// A quota stored as two nullable columns; absent unless both are there.
    pub fn from_columns(per_minute: Option<i64>, burst: Option<i64>) -> Option<Self> {
        let per_minute = u32::try_from(per_minute?).ok()?;
        let burst = u32::try_from(burst?).ok()?;
        Some(Self::new(per_minute, burst))
    }

    /// Milliseconds between two calls at the sustained rate.
    fn interval_ms(self) -> i64 {
        (60_000 / i64::from(self.per_minute.max(1))).max(1)
    }

    /// How far ahead of now a bucket's arrival time may run: the burst's worth of calls.
    fn tolerance_ms(self) -> i64 {
        self.interval_ms() * i64::from(self.burst.max(1))
    }
}

/// `per_minute/burst`, as the command line takes it: `600/100`.
impl std::str::FromStr for Quota {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (per_minute, burst) = text
            .split_once('/')
            .ok_or_else(|| format!("{text:?} is not PER_MINUTE/BURST, e.g. 600/100"))?;
        let number = |part: &str| {
            part.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{part:?} is not a positive whole number"))
        };
        Ok(Self::new(number(per_minute)?, number(burst)?))
    }
}

/// The quotas Rota applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Per API client and per API key: 600 a minute, bursts of 100.
    pub api: Quota,
    /// The token endpoint, per App ID: 10 a minute.
    pub token: Quota,
    /// Sign-in, per client address: 20 a minute.
    pub login: Quota,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            api: Quota::new(600, 100),
            token: Quota::new(10, 10),
            login: Quota::new(20, 20),
        }
    }
}

/// A call let through: the quota, and how many calls may follow at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admitted {
    /// Calls a minute, sustained.
    pub per_minute: u32,
    /// Calls at once.
    pub burst: u32,
    /// Calls that may be made right now, at most `burst`.
    pub remaining: u32,
}

/// Takes one call from `bucket`: admitted with the calls left, or
/// [`Error::RateLimited`] with the seconds until the next call would pass.
pub async fn take(db: &Db, bucket: &str, quota: Quota) -> Result<Admitted> {
    let now = jiff::Timestamp::now().as_millisecond();
    let interval = quota.interval_ms();
    let tolerance = quota.tolerance_ms();
    // The upsert changes the row only when the call fits; no row back means refused.
    let admitted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO rate_limits (bucket, tat_ms) VALUES ($1, $2 + $3) \
         ON CONFLICT (bucket) DO UPDATE \
         SET tat_ms = (CASE WHEN rate_limits.tat_ms > $2 THEN rate_limits.tat_ms ELSE $2 END) + $3 \
         WHERE (CASE WHEN rate_limits.tat_ms > $2 THEN rate_limits.tat_ms ELSE $2 END) + $3 <= $2 + $4 \
         RETURNING tat_ms",
    )
    .bind(bucket)
    .bind(now)
    .bind(interval)
    .bind(tolerance)
    .fetch_optional(db.bookkeeping())
    .await?;
    if let Some(tat) = admitted {
        let remaining = (now + tolerance - tat) / interval;
        return Ok(Admitted {
            per_minute: quota.per_minute,
            burst: quota.burst,
            remaining: u32::try_from(remaining.max(0)).unwrap_or(0),
        });
    }
    let tat: i64 = sqlx::query_scalar("SELECT tat_ms FROM rate_limits WHERE bucket = $1")
        .bind(bucket)
        .fetch_optional(db.bookkeeping())
        .await?
        .unwrap_or(now);
    Err(Error::RateLimited {
        retry_after_seconds: retry_after_seconds(tat, now, quota),
        limit: quota.burst,
    })
}

/// Whole seconds until a call to a bucket at `tat` fits again; at least one.
fn retry_after_seconds(tat: i64, now: i64, quota: Quota) -> u64 {
    let wait_ms = tat + quota.interval_ms() - now - quota.tolerance_ms();
    u64::try_from(wait_ms.max(1)).map_or(1, |ms| ms.div_ceil(1000))
}

/// Forgets buckets that have refilled completely: they admit exactly as an absent row does.
pub(crate) async fn forget_idle(db: &Db) -> Result<u64> {
    let now = jiff::Timestamp::now().as_millisecond();
    Ok(sqlx::query("DELETE FROM rate_limits WHERE tat_ms < $1")
        .bind(now)
        .execute(db.bookkeeping())
        .await?
        .rows_affected())
}

/// Bucket names: one per kind of caller, so no two limits share a row.
pub mod bucket {
    pub fn api_client(id: i64) -> String {
        format!("client:{id}")
    }
    pub fn api_key(id: i64) -> String {
        format!("key:{id}")
    }
    pub fn token_endpoint(app_id: &str) -> String {
        format!("token:{app_id}")
    }
    pub fn login(address: Option<std::net::IpAddr>) -> String {
        match address {
            Some(ip) => format!("login:{ip}"),
            None => "login:unknown".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_documented_quotas() {
        let limits = Limits::default();
        assert_eq!(limits.api, Quota::new(600, 100));
        assert_eq!(limits.token, Quota::new(10, 10));
        assert_eq!(limits.login, Quota::new(20, 20));
        assert_eq!(limits.api.interval_ms(), 100);
    }

    #[test]
    fn quotas_read_as_per_minute_slash_burst() {
        assert_eq!("600/100".parse(), Ok(Quota::new(600, 100)));
        assert_eq!(" 10 / 10 ".parse(), Ok(Quota::new(10, 10)));
        assert!("600".parse::<Quota>().is_err());
        assert!("0/10".parse::<Quota>().is_err());
        assert!("ten/10".parse::<Quota>().is_err());
    }

    #[test]
    fn a_refused_call_waits_for_one_interval_past_the_burst() {
        let quota = Quota::new(10, 10);
        let now = 1_000_000;
        // A bucket whose burst is just spent: the next call fits one interval later.
        let tat = now + quota.tolerance_ms();
        assert_eq!(retry_after_seconds(tat, now, quota), 6);
        // Never less than a second.
        assert_eq!(retry_after_seconds(now, now, Quota::new(6000, 1)), 1);
    }

    #[tokio::test]
    async fn a_bucket_admits_its_burst_then_refuses() {
        let scratch = crate::testing::scratch_database()
            .await
            .expect("scratch database");
        let quota = Quota::new(1, 3);
        for expected in [2, 1, 0] {
            let admitted = take(&scratch.db, "test:a", quota).await.expect("admitted");
            assert_eq!(admitted.remaining, expected);
        }
        let refused = take(&scratch.db, "test:a", quota).await;
        assert!(
            matches!(refused, Err(Error::RateLimited { retry_after_seconds, .. }) if retry_after_seconds > 50),
            "{refused:?}"
        );
        // Another bucket is untouched.
        take(&scratch.db, "test:b", quota).await.expect("admitted");
    }
}
