//! The demo company a newcomer logs in to: about sixty people in six departments, three
//! regions and locations, with an approver hierarchy and every role, a year of leave and a
//! month of shifts and time entries. Seeded once; running the demo again reuses it.

mod schedule;

use crate::db::{Db, now};
use crate::error::Result;
use crate::people::record::UserRecord;
use crate::people::types::{ApproverRole, UserType};
use crate::policy::Actor;
use crate::signup::{self, CompanyForCreate};

pub const DEMO_PASSWORD: &str = "rota-demo-password";
pub const OWNER_EMAIL: &str = "owner@demo.rota.test";
pub const APPROVER_EMAIL: &str = "approver@demo.rota.test";
pub const STAFF_EMAIL: &str = "staff@demo.rota.test";

/// A sign-in the demo prints.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role: &'static str,
    pub email: &'static str,
}

pub const LOGINS: [DemoLogin; 3] = [
    DemoLogin {
        role: "super user (owner)",
        email: OWNER_EMAIL,
    },
    DemoLogin {
        role: "approver",
        email: APPROVER_EMAIL,
    },
    DemoLogin {
        role: "staff",
        email: STAFF_EMAIL,
    },
];

const DEPARTMENTS: [(&str, i64); 6] = [
    ("Engineering", 3),
    ("Sales", 2),
    ("Support", 3),
    ("Operations", 2),
    ("Finance", 1),
    ("People", 1),
];
const REGIONS: [&str; 3] = ["UK North", "UK South", "Ireland"];
const LOCATIONS: [(&str, &str, f64, f64, &str); 3] = [
    (
        "London",
        "1 Canada Square, London E14 5AB",
        51.5049,
        -0.0195,
        "Europe/London",
    ),
    (
        "Manchester",
        "1 Piccadilly Gardens, Manchester M1 1RG",
        53.4808,
        -2.2374,
        "Europe/London",
    ),
    (
        "Dublin",
        "1 Grand Canal Square, Dublin 2",
        53.3398,
        -6.2386,
        "Europe/Dublin",
    ),
];
const POSITIONS: [&str; 4] = ["Team lead", "Engineer", "Advisor", "Analyst"];
const TAGS: [&str; 3] = ["First aider", "Fire marshal", "Key holder"];
const FIRST_NAMES: [&str; 20] = [
    "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Ivy", "Leo", "Freya",
    "Oscar", "Lily", "Harry", "Grace", "Jack", "Sophie", "Finn", "Ella", "Theo",
];
const LAST_NAMES: [&str; 15] = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "Murphy",
];

/// Seeds the demo company unless one is already there; returns its id.
pub async fn ensure(db: &Db) -> Result<i64> {
    let existing: Option<i64> = sqlx::query_scalar("SELECT company_id FROM users WHERE email = $1")
        .bind(OWNER_EMAIL)
        .fetch_optional(db.pool())
        .await?;
    if let Some(company_id) = existing {
        return Ok(company_id);
    }
    let owner = seed_people_and_leave(db).await?;
    schedule::seed(db, &owner, jiff::Zoned::now().date()).await?;
    // The seeded history is not news: nobody should be mailed about it.
    sqlx::query("DELETE FROM outbox WHERE company_id = $1")
        .bind(owner.company_id)
        .execute(db.pool())
        .await?;
    tracing::info!(company.id = owner.company_id, "demo company seeded");
    Ok(owner.company_id)
}

/// The company, its organisation and people, and their year of leave: the demo as the
/// leave schema (before scheduling) holds it. Answers the owner, who seeded it.
pub(crate) async fn seed_people_and_leave(db: &Db) -> Result<Actor> {
    let created = signup::create_company(
        db,
        CompanyForCreate {
            name: "Demo Ltd".into(),
            time_zone: Some("Europe/London".into()),
            holiday_country: Some("GB".into()),
            owner_email: OWNER_EMAIL.into(),
            owner_password: DEMO_PASSWORD.into(),
            owner_first_name: Some("Olivia".into()),
            owner_last_name: Some("Owner".into()),
        },
    )
    .await?;
    let company_id = created.company_id;
    let hash = crate::secret::hash_password(DEMO_PASSWORD).await?;
    let stamp = now();
    let mut tx = db.begin_write().await?;
    let mut department_ids = Vec::new();
    for (name, min_user) in DEPARTMENTS {
        department_ids.push(insert_named(&mut tx, "INSERT INTO departments (company_id, name, min_user, default_allowance, created_at, updated_at) VALUES ($1, $2, $3, 2500, $4, $4) RETURNING id", company_id, name, Some(min_user), stamp).await?);
    }
    let mut region_ids = Vec::new();
    for name in REGIONS {
        region_ids.push(insert_named(&mut tx, "INSERT INTO regions (company_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id", company_id, name, None, stamp).await?);
    }
    let mut location_ids = Vec::new();
    for (name, address, latitude, longitude, zone) in LOCATIONS {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO locations (company_id, name, address, latitude, longitude, time_zone, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(company_id)
        .bind(name)
        .bind(address)
        .bind(latitude)
        .bind(longitude)
        .bind(zone)
        .bind(stamp)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO sites (company_id, location_id, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
            .bind(company_id)
            .bind(id)
            .bind(format!("{name} main office"))
            .bind(stamp)
            .execute(&mut *tx)
            .await?;
        location_ids.push(id);
    }
    let mut position_ids = Vec::new();
    for (sort, name) in POSITIONS.iter().enumerate() {
        position_ids.push(insert_named(&mut tx, "INSERT INTO positions (company_id, name, sort, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id", company_id, name, Some(sort as i64), stamp).await?);
    }
    let mut tag_ids = Vec::new();
    for name in TAGS {
        tag_ids.push(insert_named(&mut tx, "INSERT INTO tags (company_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id", company_id, name, None, stamp).await?);
    }

    // A second super user (with staff hub), one approver per department (the first of them
    // is the demo approver), and staff who report to their department's approver.
    let person = |n: usize, email: String| {
        let mut user = UserRecord::new(
            company_id,
            email,
            FIRST_NAMES[n % FIRST_NAMES.len()].to_owned(),
            LAST_NAMES[(n * 7) % LAST_NAMES.len()].to_owned(),
            stamp,
        );
        user.password_hash = Some(hash.clone());
        user.staff_code = Some(format!("E{:04}", n + 1));
        user.holiday_country = Some(if n % 3 == 2 { "IE" } else { "GB" }.to_owned());
        user.employment_start_date = Some(jiff::civil::date(
            2018 + (n % 7) as i16,
            1 + (n % 12) as i8,
            1,
        ));
        user.work_phone = Some(format!("+44 20 7946 {:04}", n));
        user
    };
    let mut hub = person(0, "hr@demo.rota.test".into());
    hub.user_type_id = UserType::SuperUserWithStaffHub.code();
    hub.job_title = Some("Head of People".into());
    hub.department_id = department_ids.last().copied();
    hub.insert(&mut tx).await?;

    let approver_roles = [
        UserType::ApproverPlusAddEditCancel,
        UserType::Approver,
        UserType::ApproverPlusAdd,
    ];
    let mut approvers = Vec::new();
    for (d, department_id) in department_ids.iter().enumerate() {
        let email = if d == 0 {
            APPROVER_EMAIL.to_owned()
        } else {
            format!("approver{}@demo.rota.test", d + 1)
        };
        let mut approver = person(d + 1, email);
        approver.user_type_id = approver_roles[d % approver_roles.len()].code();
        approver.department_id = Some(*department_id);
        approver.region_id = Some(region_ids[d % region_ids.len()]);
        approver.approver_id = Some(created.owner_id);
        approver.approver_role = ApproverRole::ApproverBoth.as_str().to_owned();
        approver.job_title = Some(format!("{} lead", DEPARTMENTS[d].0));
        let id = approver.insert(&mut tx).await?;
        link(
            &mut tx,
            "INSERT INTO user_positions (company_id, user_id, position_id) VALUES ($1, $2, $3)",
            company_id,
            id,
            position_ids[0],
        )
        .await?;
        link(
            &mut tx,
            "INSERT INTO user_locations (company_id, user_id, location_id) VALUES ($1, $2, $3)",
            company_id,
            id,
            location_ids[d % location_ids.len()],
        )
        .await?;
        approvers.push(id);
    }
    for n in 0..52 {
        let d = n % department_ids.len();
        let email = if n == 0 {
            STAFF_EMAIL.to_owned()
        } else {
            format!("staff{}@demo.rota.test", n + 1)
        };
        let mut staff = person(n + 10, email);
        staff.department_id = Some(department_ids[d]);
        staff.region_id = Some(region_ids[d % region_ids.len()]);
        staff.approver_id = Some(approvers[d]);
        staff.approver_role = ApproverRole::ApproverBoth.as_str().to_owned();
        staff.notifier_2_id = Some(created.owner_id);
        staff.notifier_2_role = ApproverRole::NotifierLeave.as_str().to_owned();
        staff.manager_id = Some(approvers[d]);
        staff.job_title = Some(POSITIONS[1 + n % 3].to_owned());
        staff.is_private = i64::from(n % 17 == 16);
        let id = staff.insert(&mut tx).await?;
        link(
            &mut tx,
            "INSERT INTO user_positions (company_id, user_id, position_id) VALUES ($1, $2, $3)",
            company_id,
            id,
            position_ids[1 + n % 3],
        )
        .await?;
        link(
            &mut tx,
            "INSERT INTO user_locations (company_id, user_id, location_id) VALUES ($1, $2, $3)",
            company_id,
            id,
            location_ids[d % location_ids.len()],
        )
        .await?;
        if n % 9 == 0 {
            link(
                &mut tx,
                "INSERT INTO user_tags (company_id, user_id, tag_id) VALUES ($1, $2, $3)",
                company_id,
                id,
                tag_ids[n % tag_ids.len()],
            )
            .await?;
        }
    }
    tx.commit().await?;
    let owner = owner(company_id, created.owner_id);
    seed_leave(db, &owner).await?;
    Ok(owner)
}

/// The demo's owner, who seeds what the services make.
fn owner(company_id: i64, owner_id: i64) -> Actor {
    Actor {
        user_id: owner_id,
        company_id,
        role: UserType::SuperUser,
        is_owner: true,
        department_id: None,
        origin: Default::default(),
        policy: Default::default(),
    }
}

/// A year of realistic leave, made through the same services the API uses: holidays in
/// blocks through the year (approved in the past, some pending ahead), sick days, working
/// from home, and a few declined and cancelled requests.
async fn seed_leave(db: &Db, owner: &Actor) -> Result<()> {
    use crate::leave::request::{self, Decision, LeaveRequestInput};
    let (company_id, owner_id) = (owner.company_id, owner.user_id);
    let types: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, code FROM leave_types WHERE company_id = $1")
            .bind(company_id)
            .fetch_all(db.pool())
            .await?;
    let type_id = |code: &str| types.iter().find(|(_, c)| c == code).map(|(id, _)| *id);
    let (Some(holiday), Some(sickness), Some(from_home)) =
        (type_id("H"), type_id("S"), type_id("W"))
    else {
        return Ok(());
    };
    let users: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE company_id = $1 AND id <> $2 ORDER BY id")
            .bind(company_id)
            .bind(owner_id)
            .fetch_all(db.pool())
            .await?;
    let today = jiff::Zoned::now().date();
    let year = today.year();
    let mut seed: u64 = 0x5eed;
    let mut next = |bound: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % bound
    };
    for (n, user_id) in users.iter().enumerate() {
        let mut bookings = Vec::new();
        // Four holiday blocks, one in each quarter, of one to five days.
        for quarter in 0..4i8 {
            let month = 1 + quarter * 3 + next(3) as i8;
            let day = 1 + next(20) as i8;
            bookings.push((holiday, month, day, next(5) as i64));
        }
        if n % 3 == 0 {
            bookings.push((
                sickness,
                1 + next(12) as i8,
                1 + next(25) as i8,
                next(2) as i64,
            ));
        }
        if n % 4 == 1 {
            bookings.push((from_home, 1 + next(12) as i8, 1 + next(25) as i8, 0));
        }
        for (leave_type_id, month, day, extra_days) in bookings {
            let Ok(start) = jiff::civil::Date::new(year, month, day) else {
                continue;
            };
            // Start on a weekday.
            let start = match start.weekday() {
                jiff::civil::Weekday::Saturday => start.checked_add(jiff::Span::new().days(2)),
                jiff::civil::Weekday::Sunday => start.checked_add(jiff::Span::new().days(1)),
                _ => Ok(start),
            };
            let Ok(start) = start else { continue };
            let Ok(end) = start.checked_add(jiff::Span::new().days(extra_days)) else {
                continue;
            };
            if end.year() != year {
                continue;
            }
            let input = LeaveRequestInput {
                user_id: Some(*user_id),
                leave_type_id,
                start_date: start.to_string(),
                end_date: end.to_string(),
                start_part: None,
                end_part: None,
                start_time: None,
                end_time: None,
                note: None,
            };
            // Overlaps and weekends-only ranges are simply skipped: this is sample data.
            let Ok(made) = request::create(db, owner, input).await else {
                continue;
            };
            if made.status != request::RequestStatus::Pending {
                continue;
            }
            let decision = Decision {
                reason: None,
                override_staffing: true,
                open_shifts: false,
            };
            let outcome = match (start < today, next(10)) {
                (true, 0) => {
                    request::decline(
                        db,
                        owner,
                        made.id,
                        Decision {
                            reason: Some("Too many people away that week".into()),
                            ..decision
                        },
                    )
                    .await
                }
                (true, 1) => match request::approve(db, owner, made.id, decision.clone()).await {
                    Ok(_) => {
                        request::cancel(
                            db,
                            owner,
                            made.id,
                            Decision {
                                reason: Some("Plans changed".into()),
                                ..decision
                            },
                        )
                        .await
                    }
                    Err(error) => Err(error),
                },
                (true, _) | (false, 0..=5) => request::approve(db, owner, made.id, decision).await,
                (false, _) => continue,
            };
            if let Err(error) = outcome {
                tracing::debug!(%error, "demo leave skipped");
            }
        }
    }
    Ok(())
}

async fn insert_named(
    tx: &mut crate::db::Tx,
    sql: &'static str,
    company_id: i64,
    name: &str,
    extra: Option<i64>,
    stamp: i64,
) -> Result<i64> {
    let mut query = sqlx::query_scalar(sql).bind(company_id).bind(name);
    if let Some(extra) = extra {
        query = query.bind(extra);
    }
    Ok(query.bind(stamp).fetch_one(&mut **tx).await?)
}

async fn link(
    tx: &mut crate::db::Tx,
    sql: &'static str,
    company_id: i64,
    user_id: i64,
    other_id: i64,
) -> Result<()> {
    sqlx::query(sql)
        .bind(company_id)
        .bind(user_id)
        .bind(other_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
