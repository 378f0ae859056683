//! The benchmark company: an owner, departments each led by an approver, and staff who
//! report to their department's approver; like the demo's people, each has a location and
//! a position and some a tag, so reading a user reads memberships too. Users are written
//! straight to the database in a few large transactions and share one password hash, so
//! 10,000 take seconds, not the hours that one argon2 hash each would.

use anyhow::Context;
use rota_core::Db;
use rota_core::db::{Engine, Tx, now};
use rota_core::people::record::UserRecord;
use rota_core::people::types::{ApproverRole, UserType};
use rota_core::signup::{self, CompanyForCreate};

/// The owner, a super user who sees everybody.
pub const OWNER_EMAIL: &str = "owner@bench.rota.test";
/// Every seeded user's password.
pub const PASSWORD: &str = "rota-bench-password";

const MAX_DEPARTMENTS: usize = 50;
const LOCATIONS: usize = 5;
const POSITIONS: usize = 10;
const TAGS: usize = 3;
/// Users written per transaction.
const BATCH: usize = 2_000;

const FIRST_NAMES: [&str; 12] = [
    "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Ivy", "Leo", "Freya",
    "Oscar",
];
const LAST_NAMES: [&str; 10] = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Patel", "Wright", "Evans", "Murphy",
];

/// What the load scenarios need to know about the seeded company.
pub struct Seeded {
    pub departments: usize,
    /// Every user's id, the owner's included.
    pub user_ids: Vec<i64>,
    pub location_ids: Vec<i64>,
}

/// The index in [`Seeded::location_ids`] of the `n`th seeded user's location.
pub fn location_of(n: usize) -> usize {
    n % LOCATIONS
}

/// The e-mail of the `n`th seeded user (the owner aside), `0 ≤ n < users`.
pub fn email(n: usize) -> String {
    format!("user{n}@bench.rota.test")
}

/// Seeds the company and `users` people besides its owner.
pub async fn seed(db: &Db, users: usize) -> anyhow::Result<Seeded> {
    let created = signup::create_company(
        db,
        CompanyForCreate {
            name: "Bench Ltd".into(),
            time_zone: Some("Europe/London".into()),
            holiday_country: Some("GB".into()),
            owner_email: OWNER_EMAIL.into(),
            owner_password: PASSWORD.into(),
            owner_first_name: Some("Olivia".into()),
            owner_last_name: Some("Owner".into()),
        },
    )
    .await
    .context("creating the company")?;
    let company_id = created.company_id;
    let hash = rota_core::secret::hash_password(PASSWORD).await?;
    let stamp = now();

    let departments = users.clamp(1, MAX_DEPARTMENTS);
    let mut tx = db.begin_write().await?;
    let department_ids = named(
        &mut tx,
        "INSERT INTO departments (company_id, name, min_user, created_at, updated_at) VALUES ($1, $2, 0, $3, $3) RETURNING id",
        company_id,
        "Department",
        departments,
        stamp,
    )
    .await?;
    let location_ids = named(
        &mut tx,
        "INSERT INTO locations (company_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
        company_id,
        "Location",
        LOCATIONS,
        stamp,
    )
    .await?;
    let position_ids = named(
        &mut tx,
        "INSERT INTO positions (company_id, name, sort, created_at, updated_at) VALUES ($1, $2, 0, $3, $3) RETURNING id",
        company_id,
        "Position",
        POSITIONS,
        stamp,
    )
    .await?;
    let tag_ids = named(
        &mut tx,
        "INSERT INTO tags (company_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
        company_id,
        "Tag",
        TAGS,
        stamp,
    )
    .await?;
    tx.commit().await?;

    // The first user of each department is its approver, so approvers exist before the
    // staff who name them.
    let mut approver_ids = Vec::with_capacity(departments);
    let mut user_ids = Vec::with_capacity(users + 1);
    user_ids.push(created.owner_id);
    for start in (0..users).step_by(BATCH) {
        let mut tx = db.begin_write().await?;
        for n in start..users.min(start + BATCH) {
            let d = n % departments;
            let mut user = UserRecord::new(
                company_id,
                email(n),
                FIRST_NAMES[n % FIRST_NAMES.len()].to_owned(),
                LAST_NAMES[(n / FIRST_NAMES.len()) % LAST_NAMES.len()].to_owned(),
                stamp,
            );
            user.password_hash = Some(hash.clone());
            user.staff_code = Some(format!("B{n:05}"));
            user.department_id = department_ids.get(d).copied();
            user.approver_role = ApproverRole::ApproverBoth.as_str().to_owned();
            let is_approver = n < departments;
            if is_approver {
                user.user_type_id = UserType::Approver.code();
                user.approver_id = Some(created.owner_id);
            } else {
                user.approver_id = approver_ids.get(d).copied();
            }
            let id = user
                .insert(&mut tx)
                .await
                .with_context(|| format!("inserting {}", email(n)))?;
            if is_approver {
                approver_ids.push(id);
            }
            user_ids.push(id);
            link(
                &mut tx,
                "INSERT INTO user_locations (company_id, user_id, location_id) VALUES ($1, $2, $3)",
                company_id,
                id,
                location_ids[location_of(n)],
            )
            .await?;
            link(
                &mut tx,
                "INSERT INTO user_positions (company_id, user_id, position_id) VALUES ($1, $2, $3)",
                company_id,
                id,
                position_ids[n % POSITIONS],
            )
            .await?;
            if n % 9 == 0 {
                link(
                    &mut tx,
                    "INSERT INTO user_tags (company_id, user_id, tag_id) VALUES ($1, $2, $3)",
                    company_id,
                    id,
                    tag_ids[n % TAGS],
                )
                .await?;
            }
        }
        tx.commit().await?;
    }
    if db.engine() == Engine::Postgres {
        // What autovacuum does within a minute of a bulk load; without it the planner
        // takes the fresh table for empty, and the first scenarios measure that (and the
        // hint bits their reads set on every fresh row, and autovacuum's own run)
        // instead.
        sqlx::query("VACUUM ANALYZE").execute(db.pool()).await?;
    }
    Ok(Seeded {
        departments,
        user_ids,
        location_ids,
    })
}

/// Inserts `count` rows named `noun 01`, `noun 02`, … with `sql` (company, name, stamp)
/// and returns their ids.
async fn named(
    tx: &mut Tx,
    sql: &'static str,
    company_id: i64,
    noun: &str,
    count: usize,
    stamp: i64,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(count);
    for n in 1..=count {
        let id: i64 = sqlx::query_scalar(sql)
            .bind(company_id)
            .bind(format!("{noun} {n:02}"))
            .bind(stamp)
            .fetch_one(&mut **tx)
            .await
            .with_context(|| format!("inserting {noun} {n:02}"))?;
        ids.push(id);
    }
    Ok(ids)
}

/// Links a user to a location, position or tag with `sql` (company, user, other).
async fn link(
    tx: &mut Tx,
    sql: &'static str,
    company_id: i64,
    user_id: i64,
    other_id: i64,
) -> anyhow::Result<()> {
    sqlx::query(sql)
        .bind(company_id)
        .bind(user_id)
        .bind(other_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
