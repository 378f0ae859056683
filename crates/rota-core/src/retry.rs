//! How an outbox worker takes rows and how often it tries again: a claim that lets one
//! worker of many have a row for one attempt, and exponential back-off with a cap and a
//! last attempt. Shared by the mail worker and the webhook worker, which differ in what
//! they send but not in how they take turns or how patiently they retry.

use std::time::Duration;

use crate::db::{Db, now};
use crate::error::Result;

/// An outbox table: rows are due while `done_column` and `failed_at` are null and
/// `next_attempt_at` has come, and carry an `attempts` count.
#[derive(Debug, Clone, Copy)]
pub struct Queue {
    pub table: &'static str,
    /// Set when a row has gone out (`sent_at`, `delivered_at`).
    pub done_column: &'static str,
    /// How long a claim holds a row; a worker that dies mid-send leaves it due again then.
    pub lease_seconds: i64,
}

impl Queue {
    /// Takes row `id`, read with `attempts` attempts, for one more attempt, unless another
    /// worker has taken it since: the count is raised only from the value read.
    pub async fn claim(&self, db: &Db, id: i64, attempts: i64) -> Result<bool> {
        let stamp = now();
        let claimed = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET attempts = $1, next_attempt_at = $2 \
             WHERE id = $3 AND attempts = $4 AND {done} IS NULL AND failed_at IS NULL AND next_attempt_at <= $5",
            table = self.table,
            done = self.done_column,
        )))
        .bind(attempts + 1)
        .bind(stamp + self.lease_seconds)
        .bind(id)
        .bind(attempts)
        .bind(stamp)
        .execute(db.pool())
        .await?
        .rows_affected();
        Ok(claimed == 1)
    }
}

/// How often a failed send is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all; after the last failure the row is given up (kept, with `failed_at`).
    pub max_attempts: i64,
    /// The wait after the first failure; each further failure doubles it.
    pub first_delay: Duration,
    pub longest_delay: Duration,
}

impl Default for Retry {
    /// Ten attempts over about eight and a half hours: 1, 2, 4 … 256 minutes apart.
    fn default() -> Self {
        Self {
            max_attempts: 10,
            first_delay: Duration::from_secs(60),
            longest_delay: Duration::from_secs(6 * 3600),
        }
    }
}

impl Retry {
    /// The wait before the next attempt once `failures` attempts have failed.
    pub fn delay(&self, failures: i64) -> Duration {
        let doublings = u32::try_from(failures.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        self.first_delay
            .saturating_mul(1u32 << doublings)
            .min(self.longest_delay)
    }

    /// When a row that has now failed `attempts` times is next due, counting from `now`
    /// (Unix seconds); `None` when that was the last attempt.
    pub fn next_attempt_at(&self, attempts: i64, now: i64) -> Option<i64> {
        (attempts < self.max_attempts).then(|| {
            let wait = i64::try_from(self.delay(attempts).as_secs()).unwrap_or(i64::MAX);
            now.saturating_add(wait)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_after_each_failure_up_to_a_cap() {
        let retry = Retry {
            max_attempts: 10,
            first_delay: Duration::from_secs(60),
            longest_delay: Duration::from_secs(3600),
        };
        let waits: Vec<u64> = (1..=8).map(|n| retry.delay(n).as_secs()).collect();
        assert_eq!(waits, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(retry.delay(1000).as_secs(), 3600);
    }

    #[test]
    fn the_last_attempt_has_no_next() {
        let retry = Retry {
            max_attempts: 3,
            first_delay: Duration::from_secs(10),
            longest_delay: Duration::from_secs(3600),
        };
        assert_eq!(retry.next_attempt_at(1, 1000), Some(1010));
        assert_eq!(retry.next_attempt_at(2, 1000), Some(1020));
        assert_eq!(retry.next_attempt_at(3, 1000), None);
    }
}
