//! The schema as each engine reports it, normalised so that the two hand-kept migration
//! trees (`migrations/sqlite`, `migrations/postgres`) can be compared: tables, columns
//! (name, type family, nullability), indexes (name, columns, unique), foreign keys and
//! CHECK constraints (by name). Test-only: the parity test below migrates a fresh
//! database on each engine and asserts that they describe the same schema.

use std::collections::BTreeSet;

use crate::db::{Db, Engine};

type Found = Result<BTreeSet<String>, sqlx::Error>;

/// One line per fact, so that a difference reads as the facts one engine lacks.
async fn describe(db: &Db) -> Found {
    let tables = tables(db).await?;
    let mut facts = BTreeSet::new();
    for table in &tables {
        facts.insert(format!("table {table}"));
        let (key, columns, indexes, foreign_keys, checks) = match db.engine() {
            Engine::Sqlite => (
                sqlite::primary_key(db, table).await?,
                sqlite::columns(db, table).await?,
                sqlite::indexes(db, table).await?,
                sqlite::foreign_keys(db, table).await?,
                sqlite::checks(db, table).await?,
            ),
            Engine::Postgres => (
                postgres::primary_key(db, table).await?,
                postgres::columns(db, table).await?,
                postgres::indexes(db, table).await?,
                postgres::foreign_keys(db, table).await?,
                postgres::checks(db, table).await?,
            ),
        };
        facts.insert(format!("primary key {table} ({key})"));
        facts.extend(columns.into_iter().map(|c| format!("column {table}.{c}")));
        facts.extend(indexes.into_iter().map(|i| format!("index {table} {i}")));
        facts.extend(
            foreign_keys
                .into_iter()
                .map(|f| format!("foreign key {table}.{f}")),
        );
        facts.extend(checks.into_iter().map(|c| format!("check {table} {c}")));
    }
    Ok(facts)
}

async fn tables(db: &Db) -> Found {
    let sql = match db.engine() {
        Engine::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'"
        }
        Engine::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'"
        }
    };
    let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}

/// The family of a declared type: both engines store the same values in it.
fn family(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "smallint" | "int" => "integer",
        "text" | "character varying" | "varchar" => "text",
        "real" | "double precision" | "float" => "real",
        "boolean" => "boolean",
        "blob" | "bytea" => "blob",
        _ => "other",
    }
}

fn column(name: &str, declared: &str, not_null: bool) -> String {
    let null = if not_null { "not null" } else { "null" };
    format!("{name} {} {null}", family(declared))
}

mod sqlite {
    use super::*;

    pub async fn primary_key(db: &Db, table: &str) -> Result<String, sqlx::Error> {
        let columns: Vec<(String,)> =
            sqlx::query_as("SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk")
                .bind(table)
                .fetch_all(db.pool())
                .await?;
        Ok(columns
            .into_iter()
            .map(|(c,)| c)
            .collect::<Vec<_>>()
            .join(", "))
    }

    pub async fn columns(db: &Db, table: &str) -> Found {
        let rows: Vec<(String, String, i64, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
                .bind(table)
                .fetch_all(db.pool())
                .await?;
        // An INTEGER PRIMARY KEY is the rowid: never null, though SQLite does not say so.
        Ok(rows
            .into_iter()
            .map(|(name, declared, not_null, pk)| column(&name, &declared, not_null == 1 || pk > 0))
            .collect())
    }

    pub async fn indexes(db: &Db, table: &str) -> Found {
        let list: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT name, \"unique\", origin FROM pragma_index_list($1) WHERE origin <> 'pk'",
        )
        .bind(table)
        .fetch_all(db.pool())
        .await?;
        let mut found = BTreeSet::new();
        for (name, unique, origin) in list {
            let columns: Vec<(String,)> =
                sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(db.pool())
                    .await?;
            let columns: Vec<String> = columns.into_iter().map(|(c,)| c).collect();
            // A UNIQUE written in the table gets a name of SQLite's choosing; compare
            // those by their columns only.
            let name = if origin == "u" { "(constraint)" } else { &name };
            found.insert(index(name, &columns, unique == 1));
        }
        Ok(found)
    }

    pub async fn foreign_keys(db: &Db, table: &str) -> Found {
        let rows: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list($1)",
        )
        .bind(table)
        .fetch_all(db.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(from, parent, to, on_delete)| {
                foreign_key(&from, &parent, to.as_deref().unwrap_or("id"), &on_delete)
            })
            .collect())
    }

    /// CHECK constraints as the table's SQL names them (`CONSTRAINT name CHECK`); an
    /// unnamed one is reported as such so that the test asks for a name.
    pub async fn checks(db: &Db, table: &str) -> Found {
        let (sql,): (String,) =
            sqlx::query_as("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1")
                .bind(table)
                .fetch_one(db.pool())
                .await?;
        Ok(check_names(&sql))
    }
}

/// The names of the CHECK constraints in a `CREATE TABLE` statement.
fn check_names(sql: &str) -> BTreeSet<String> {
    let words: Vec<&str> = sql
        .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.eq_ignore_ascii_case("check"))
        .map(|(i, _)| {
            match (
                i.checked_sub(2).and_then(|j| words.get(j)),
                i.checked_sub(1).and_then(|j| words.get(j)),
            ) {
                (Some(keyword), Some(name)) if keyword.eq_ignore_ascii_case("constraint") => {
                    (*name).to_owned()
                }
                _ => "(unnamed)".to_owned(),
            }
        })
        .collect()
}

fn index(name: &str, columns: &[String], unique: bool) -> String {
    let unique = if unique { "unique" } else { "plain" };
    format!("{name} ({}) {unique}", columns.join(", "))
}

fn foreign_key(from: &str, parent: &str, to: &str, on_delete: &str) -> String {
    format!(
        "{from} -> {parent}.{to} on delete {}",
        on_delete.to_ascii_lowercase()
    )
}

mod postgres {
    use super::*;

    pub async fn primary_key(db: &Db, table: &str) -> Result<String, sqlx::Error> {
        let key: Option<(String,)> = sqlx::query_as(
            "SELECT array_to_string(ARRAY(SELECT CAST(a.attname AS TEXT) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord) \
               JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.ord), ', ') \
             FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE n.nspname = 'public' AND t.relname = $1 AND ix.indisprimary",
        )
        .bind(table)
        .fetch_optional(db.pool())
        .await?;
        Ok(key.map(|(k,)| k).unwrap_or_default())
    }

    pub async fn columns(db: &Db, table: &str) -> Found {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT), CAST(is_nullable AS TEXT) \
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        )
        .bind(table)
        .fetch_all(db.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(name, declared, nullable)| column(&name, &declared, nullable == "NO"))
            .collect())
    }

    pub async fn indexes(db: &Db, table: &str) -> Found {
        let rows: Vec<(String, i32, i32, String)> = sqlx::query_as(
            "SELECT CAST(i.relname AS TEXT), CAST(ix.indisunique AS INTEGER), \
             CAST(EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid AND c.contype = 'u') AS INTEGER), \
             array_to_string(ARRAY(SELECT CAST(a.attname AS TEXT) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord) \
               JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.ord), ',') \
             FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE n.nspname = 'public' AND t.relname = $1 AND NOT ix.indisprimary",
        )
        .bind(table)
        .fetch_all(db.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(name, unique, constraint, columns)| {
                let name = if constraint == 1 {
                    "(constraint)"
                } else {
                    &name
                };
                let columns: Vec<String> = columns.split(',').map(str::to_owned).collect();
                index(name, &columns, unique == 1)
            })
            .collect())
    }

    pub async fn foreign_keys(db: &Db, table: &str) -> Found {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT CAST(a.attname AS TEXT), CAST(p.relname AS TEXT), CAST(pa.attname AS TEXT), \
             CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' \
               WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END \
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
             JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1] \
             WHERE c.contype = 'f' AND n.nspname = 'public' AND t.relname = $1",
        )
        .bind(table)
        .fetch_all(db.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(from, parent, to, on_delete)| foreign_key(&from, &parent, &to, &on_delete))
            .collect())
    }

    pub async fn checks(db: &Db, table: &str) -> Found {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT CAST(c.conname AS TEXT) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE c.contype = 'c' AND n.nspname = 'public' AND t.relname = $1",
        )
        .bind(table)
        .fetch_all(db.pool())
        .await?;
        Ok(rows.into_iter().map(|(name,)| name).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn differences(left: &BTreeSet<String>, right: &BTreeSet<String>) -> Vec<String> {
        left.difference(right).cloned().collect()
    }

    /// The SQLite half always runs (it catches an unnamed CHECK); the comparison needs
    /// the PostgreSQL server that `ROTA_TEST_POSTGRES_URL` names, as `scripts/test` sets.
    #[tokio::test]
    async fn both_engines_migrate_to_the_same_schema() {
        let sqlite = testing::scratch_sqlite().await.unwrap();
        let on_sqlite = describe(&sqlite.db).await.unwrap();
        assert!(on_sqlite.contains("table leave_requests"), "{on_sqlite:#?}");
        let unnamed: Vec<&String> = on_sqlite
            .iter()
            .filter(|f| f.ends_with("(unnamed)"))
            .collect();
        assert!(
            unnamed.is_empty(),
            "name every CHECK constraint: {unnamed:?}"
        );
        let Ok(admin_url) = std::env::var("ROTA_TEST_POSTGRES_URL") else {
            eprintln!("ROTA_TEST_POSTGRES_URL is not set: compared nothing with PostgreSQL");
            return;
        };
        let postgres = testing::scratch_postgres(&admin_url).await.unwrap();
        let on_postgres = describe(&postgres.db).await.unwrap();
        let only_sqlite = differences(&on_sqlite, &on_postgres);
        let only_postgres = differences(&on_postgres, &on_sqlite);
        assert!(
            only_sqlite.is_empty() && only_postgres.is_empty(),
            "the migration trees differ.\nonly on SQLite: {only_sqlite:#?}\nonly on PostgreSQL: {only_postgres:#?}"
        );
    }

    /// Every row a demo company has survives the check migrations (0011 on statuses, 0012
    /// on the other code lists: table rebuilds on SQLite), still referred to by its
    /// neighbours, and the new constraints refuse a value outside their list.
    #[tokio::test]
    async fn the_code_list_checks_keep_a_live_database_whole() {
        let scratch = testing::empty_database().await.unwrap();
        let db = &scratch.db;
        db.migrate_to(10).await.unwrap();
        crate::demo::seed_people_and_leave(db).await.unwrap();
        let before = contents(db).await;
        assert!(
            before
                .iter()
                .any(|(table, rows)| table == "leave_requests" && *rows > 0)
        );

        let old_tables = tables(db).await.unwrap();
        db.migrate().await.unwrap();

        // Tables of later migrations start empty; those that were there keep every row.
        let new_tables: BTreeSet<String> = tables(db)
            .await
            .unwrap()
            .difference(&old_tables)
            .cloned()
            .collect();
        let mut after = contents(db).await;
        after.retain(|(name, rows)| !(new_tables.contains(name) && *rows == 0));
        assert_eq!(after, before);
        if db.engine() == Engine::Sqlite {
            let broken: Vec<(String,)> =
                sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                    .fetch_all(db.pool())
                    .await
                    .unwrap();
            assert!(broken.is_empty(), "{broken:?}");
        }
        for (table, column, value) in OUTSIDE_THE_LISTS {
            let refused = sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE {table} SET {column} = {value}"
            )))
            .execute(db.pool())
            .await;
            assert!(refused.is_err(), "{table}.{column} took {value}");
        }
    }

    /// A value outside each checked column's code list (every table named has demo rows).
    const OUTSIDE_THE_LISTS: [(&str, &str, &str); 17] = [
        ("users", "status", "'unknown'"),
        ("users", "user_type_id", "150"),
        ("users", "approver_role", "'boss'"),
        ("users", "notifier_2_role", "'boss'"),
        ("users", "notifier_3_role", "'boss'"),
        ("users", "allowance_unit", "'weeks'"),
        ("users", "email_type", "'pdf'"),
        ("leave_types", "kind", "'holiday'"),
        ("leave_types", "unit", "'weeks'"),
        ("leave_types", "notes_visible_to", "0"),
        ("leave_types", "available_to", "0"),
        ("leave_types", "seen_by", "0"),
        ("allowances", "unit", "'weeks'"),
        ("leave_requests", "status", "'unknown'"),
        ("leave_requests", "start_part", "'evening'"),
        ("leave_requests", "end_part", "'evening'"),
        ("leave_requests", "unit", "'weeks'"),
    ];

    /// Each table with its row count, and the rebuilt tables' rows by id.
    async fn contents(db: &Db) -> Vec<(String, i64)> {
        let mut found: Vec<(String, i64)> = sqlx::query_as(
            "SELECT CONCAT(status, ' ', email), id FROM users \
             UNION ALL SELECT CONCAT(status, ' ', start_date, ' ', start_part, ' ', end_date, ' ', end_part), id FROM leave_requests \
             UNION ALL SELECT CONCAT(kind, ' ', code, ' ', unit, ' ', seen_by), id FROM leave_types \
             UNION ALL SELECT CONCAT(unit, ' ', year_start, ' ', opening), id FROM allowances \
             ORDER BY 2, 1",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        for table in tables(db).await.unwrap() {
            let (rows,): (i64,) =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                    .fetch_one(db.pool())
                    .await
                    .unwrap();
            found.push((table, rows));
        }
        found
    }

    #[test]
    fn check_names_come_from_the_constraint_clause() {
        let sql = "CREATE TABLE t (id INTEGER, status TEXT NOT NULL CONSTRAINT t_status CHECK (status IN ('a')), \
                   n INTEGER CHECK(n > 0))";
        let names: Vec<String> = check_names(sql).into_iter().collect();
        assert_eq!(names, ["(unnamed)", "t_status"]);
    }
}
