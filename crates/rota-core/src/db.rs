//! The database handle: one pool over SQLite or PostgreSQL, chosen by the URL scheme.
//!
//! Every query in Rota is written once, in the SQL both engines share, with `$1, $2, …`
//! placeholders in order of first use (SQLite reads them as numbered parameters). Values
//! cross the boundary as integers, text and floats only: dates are ISO 8601 text,
//! instants are Unix seconds, flags are 0/1.
//!
//! Floats: sqlx 0.9's `Any` driver binds `None::<f64>` as a NULL `float4` (its mapping of
//! NULL `Real` and `Double` is swapped) and `Some(f64)` as `float8`. PostgreSQL prepares a
//! cached statement with the types of its first binding, so a statement that has seen one
//! and then gets the other fails ("incorrect binary data format"). A statement binding an
//! `Option<f64>` therefore runs unprepared (`.persistent(false)`); only locations do today.

use std::str::FromStr;
use std::time::Duration;

use rand::RngCore;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions};

pub use sqlx::Any;
/// A transaction on either engine.
pub type Tx = sqlx::Transaction<'static, Any>;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The file of a SQLite database URL (`sqlite://rota.db?mode=rwc` is `rota.db`); `None`
/// for another engine or an in-memory database.
pub fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then_some(path)
}

/// The SQLite file [`Db::bookkeeping`] writes, beside the database's own and with its
/// options: `rota.db` keeps its rate-limit buckets in `rota.db-bookkeeping`. `None` for
/// another engine or an in-memory database, which keep them with the rest.
fn bookkeeping_url(url: &str) -> Option<String> {
    let path = sqlite_file(url)?;
    let options = url
        .split_once('?')
        .map_or("mode=rwc", |(_, options)| options);
    Some(format!("sqlite://{path}-bookkeeping?{options}"))
}

/// What the bookkeeping file holds: rate-limit buckets, as the main schema's
/// `rate_limits` (migration 0008) holds them on PostgreSQL.
const BOOKKEEPING_SCHEMA: &str = "CREATE TABLE IF NOT EXISTS rate_limits (bucket TEXT PRIMARY KEY, tat_ms INTEGER NOT NULL); \
     CREATE INDEX IF NOT EXISTS rate_limits_tat ON rate_limits(tat_ms);";

/// How SQLite makes a commit durable (`PRAGMA synchronous`; PostgreSQL ignores it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Synchronous {
    /// Every commit reaches the disk before it is acknowledged: an approval Rota has
    /// answered survives a power cut. The default.
    #[default]
    Full,
    /// Commits reach the write-ahead log and are synced at checkpoints: always consistent,
    /// faster, but a power cut (not a crash of Rota) may undo the last acknowledged ones.
    Normal,
}

impl Synchronous {
    fn pragma(self) -> &'static str {
        match self {
            Synchronous::Full => "FULL",
            Synchronous::Normal => "NORMAL",
        }
    }
}

impl FromStr for Synchronous {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.to_ascii_lowercase().as_str() {
            "full" => Ok(Synchronous::Full),
            "normal" => Ok(Synchronous::Normal),
            _ => Err(format!("{text:?}: use full or normal")),
        }
    }
}

/// A pool of connections to the company data, on either engine.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    /// See [`Db::bookkeeping`].
    bookkeeping: AnyPool,
    engine: Engine,
    cursor_key: std::sync::Arc<tokio::sync::OnceCell<crate::paging::CursorKey>>,
    /// Rendered schedule reads this process keeps: [`crate::schedule::view_rendered`].
    views: std::sync::Arc<crate::schedule::cache::Views>,
}

impl Db {
    /// Connects to `url` (`sqlite://file.db`, `postgres://…`); a SQLite file is created if
    /// absent and commits durably ([`Synchronous::Full`]).
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        Self::connect_with(url, Synchronous::default()).await
    }

    /// Connects, choosing how SQLite syncs its commits.
    pub async fn connect_with(url: &str, synchronous: Synchronous) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            return Err(sqlx::Error::Configuration(
                format!("unsupported database URL {url:?}: use sqlite://… or postgres://…").into(),
            ));
        };
        let url = match engine {
            Engine::Sqlite if !url.contains("mode=") => {
                let separator = if url.contains('?') { '&' } else { '?' };
                format!("{url}{separator}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_secs(1));
        let pool = open_pool(options, engine, synchronous).await?;
        let bookkeeping = match bookkeeping_url(&url) {
            Some(url) => {
                let options = AnyConnectOptions::from_str(&url)?
                    .log_statements(tracing::log::LevelFilter::Trace);
                let bookkeeping = open_pool(options, engine, Synchronous::Normal).await?;
                sqlx::raw_sql(BOOKKEEPING_SCHEMA)
                    .execute(&bookkeeping)
                    .await?;
                bookkeeping
            }
            None => pool.clone(),
        };
        Ok(Self {
            pool,
            bookkeeping,
            engine,
            cursor_key: Default::default(),
            views: Default::default(),
        })
    }

    pub(crate) fn views(&self) -> &crate::schedule::cache::Views {
        &self.views
    }

    /// Brings the schema up to date; safe to run on every start and from several processes.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.engine {
            Engine::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await,
            Engine::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await,
        }
    }

    /// Applies the migrations up to `version` only: a database as an older Rota left it.
    #[cfg(test)]
    pub(crate) async fn migrate_to(&self, version: i64) -> Result<(), sqlx::migrate::MigrateError> {
        match self.engine {
            Engine::Sqlite => SQLITE_MIGRATIONS.run_to(version, &self.pool).await,
            Engine::Postgres => POSTGRES_MIGRATIONS.run_to(version, &self.pool).await,
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The pool for writes whose loss to a power cut harms nothing, so that they need not
    /// wait for a sync to disk: rate-limit buckets (a lost one forgives a few calls), which
    /// every API-key call writes. On SQLite it is a file of its own beside the database
    /// ([`bookkeeping_url`]), committed with `synchronous = NORMAL` whatever the main pool
    /// does (measured: the key path ran at a sixth of its speed syncing each bucket), so
    /// that a bucket written does not empty the page caches of the connections reading the
    /// company data (measured: a third off every call with an API credential; both in
    /// docs/operations.md). On PostgreSQL it is the main pool.
    pub(crate) fn bookkeeping(&self) -> &AnyPool {
        &self.bookkeeping
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Starts a transaction that writes. On SQLite it takes the write lock at once, so two
    /// writers queue instead of failing when one upgrades a read lock.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// A server-wide random secret kept in the database, made on first use, so that every
    /// process on the same database signs (cursors, for one) with the same key.
    pub(crate) async fn server_secret(&self, name: &str) -> Result<Vec<u8>, sqlx::Error> {
        let mut fresh = [0u8; 32];
        rand::rng().fill_bytes(&mut fresh);
        let fresh = crate::secret::hex(&fresh);
        sqlx::query("INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(&fresh)
            .execute(&self.pool)
            .await?;
        let value: String = sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        Ok(value.into_bytes())
    }

    /// The key list cursors are signed with, read once per process.
    pub(crate) async fn cursor_key(&self) -> Result<&crate::paging::CursorKey, sqlx::Error> {
        self.cursor_key
            .get_or_try_init(|| async {
                self.server_secret("cursor")
                    .await
                    .map(crate::paging::CursorKey::new)
            })
            .await
    }

    /// The paging of one list (`scope` names it inside its cursors): `limit` checked and
    /// `cursor` verified with the server's cursor key.
    pub(crate) async fn page(
        &self,
        scope: &'static str,
        limit: Option<i64>,
        cursor: Option<&str>,
    ) -> crate::error::Result<crate::paging::PageRequest<'_>> {
        crate::paging::PageRequest::parse(self.cursor_key().await?, scope, limit, cursor)
    }

    pub async fn close(&self) {
        self.bookkeeping.close().await;
        self.pool.close().await;
    }
}

/// A pool of connections; on SQLite each is set up for WAL, foreign keys, a busy timeout
/// and `synchronous`.
async fn open_pool(
    options: AnyConnectOptions,
    engine: Engine,
    synchronous: Synchronous,
) -> Result<AnyPool, sqlx::Error> {
    AnyPoolOptions::new()
        .max_connections(match engine {
            Engine::Sqlite => 8,
            Engine::Postgres => 16,
        })
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if engine == Engine::Sqlite {
                    // WAL lets readers run beside the writer; the busy timeout makes a
                    // second process (the CLI beside a running server) wait, not fail.
                    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 10000; PRAGMA synchronous = {};",
                        synchronous.pragma()
                    )))
                    .execute(conn)
                    .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
}

/// The current instant as Unix seconds, the form every timestamp is stored in.
pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Reads a 0/1 flag column.
pub fn flag(value: i64) -> bool {
    value != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn synchronous_of(db: &Db) -> i64 {
        sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(db.pool())
            .await
            .expect("pragma")
    }

    #[test]
    fn the_files_beside_a_sqlite_database_are_named_after_it() {
        assert_eq!(sqlite_file("sqlite://rota.db"), Some("rota.db"));
        assert_eq!(
            sqlite_file("sqlite:///var/lib/rota/rota.db?mode=rwc"),
            Some("/var/lib/rota/rota.db")
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://rota@db/rota"), None);
        assert_eq!(
            bookkeeping_url("sqlite:///var/lib/rota/rota.db?mode=rwc").as_deref(),
            Some("sqlite:///var/lib/rota/rota.db-bookkeeping?mode=rwc")
        );
        assert_eq!(
            bookkeeping_url("sqlite:rota.db").as_deref(),
            Some("sqlite://rota.db-bookkeeping?mode=rwc")
        );
        assert_eq!(bookkeeping_url("sqlite::memory:"), None);
        assert_eq!(bookkeeping_url("postgres://rota@db/rota"), None);
    }

    #[tokio::test]
    async fn sqlite_syncs_every_commit_unless_told_otherwise() {
        let path =
            std::env::temp_dir().join(format!("rota_sync_{:016x}.db", rand::random::<u64>()));
        let url = format!("sqlite://{}", path.display());
        // SQLite's codes: 1 is NORMAL, 2 is FULL.
        let durable = Db::connect(&url).await.expect("connect");
        assert_eq!(synchronous_of(&durable).await, 2);
        let bucket: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(durable.bookkeeping())
            .await
            .expect("pragma");
        assert_eq!(bucket, 1, "bookkeeping never waits for the disk");
        durable.close().await;
        let fast = Db::connect_with(&url, Synchronous::Normal)
            .await
            .expect("connect");
        assert_eq!(synchronous_of(&fast).await, 1);
        fast.close().await;
        for suffix in crate::testing::SQLITE_FILES {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        assert_eq!("Normal".parse(), Ok(Synchronous::Normal));
        assert!("off".parse::<Synchronous>().is_err());
    }
}
