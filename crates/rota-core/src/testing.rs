//! Support for tests (compiled only for them: the `testing` feature): a fresh, migrated database on the engine under test,
//! SQLite in a temporary file by default, or a new database on the PostgreSQL server
//! that `ROTA_TEST_POSTGRES_URL` names (as the test command sets it).

use std::path::PathBuf;

use crate::db::Db;

/// The files a SQLite database `x.db` may make, as suffixes of its name: its own and its
/// bookkeeping file ([`crate::db::Db::bookkeeping`]), each with its write-ahead log and
/// its shared memory, and `.key`, the key file a server started on it makes beside it.
pub const SQLITE_FILES: [&str; 7] = [
    "",
    "-wal",
    "-shm",
    "-bookkeeping",
    "-bookkeeping-wal",
    "-bookkeeping-shm",
    ".key",
];

/// A throwaway database; a SQLite file is removed when this is dropped.
pub struct Scratch {
    pub db: Db,
    pub url: String,
    file: Option<PathBuf>,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(path) = &self.file {
            for suffix in SQLITE_FILES {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

/// The engine tests run on: `postgres` when `ROTA_TEST_POSTGRES_URL` is set, else `sqlite`.
pub fn engine_under_test() -> &'static str {
    if std::env::var("ROTA_TEST_POSTGRES_URL").is_ok() {
        "postgres"
    } else {
        "sqlite"
    }
}

fn unique_name() -> String {
    format!(
        "rota_test_{}_{:016x}",
        std::process::id(),
        rand::random::<u64>()
    )
}

type Made = Result<Scratch, Box<dyn std::error::Error + Send + Sync>>;

/// Creates and migrates a fresh database on the engine under test.
pub async fn scratch_database() -> Made {
    migrated(empty_database().await?).await
}

/// Creates and migrates a fresh database on the PostgreSQL server `admin_url` names.
pub async fn scratch_postgres(admin_url: &str) -> Made {
    migrated(empty_postgres(admin_url).await?).await
}

/// Creates and migrates a fresh SQLite database in a temporary file.
pub async fn scratch_sqlite() -> Made {
    migrated(empty_sqlite().await?).await
}

/// Creates a fresh database on the engine under test, with no schema at all.
pub async fn empty_database() -> Made {
    match std::env::var("ROTA_TEST_POSTGRES_URL") {
        Ok(admin_url) => empty_postgres(&admin_url).await,
        Err(_) => empty_sqlite().await,
    }
}

async fn migrated(scratch: Scratch) -> Made {
    scratch.db.migrate().await?;
    Ok(scratch)
}

async fn empty_postgres(admin_url: &str) -> Made {
    let name = unique_name();
    let admin = Db::connect(admin_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(admin.pool())
        .await?;
    admin.close().await;
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url, |(base, _)| base);
    let url = format!("{base}/{name}");
    let db = Db::connect(&url).await?;
    Ok(Scratch {
        db,
        url,
        file: None,
    })
}

async fn empty_sqlite() -> Made {
    let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
    let url = format!("sqlite://{}", path.display());
    let db = Db::connect(&url).await?;
    Ok(Scratch {
        db,
        url,
        file: Some(path),
    })
}
