//! The leave part of the benchmark: five years of leave for the seeded company (about
//! eight absences a person a year, 400,000 at 10,000 people), written straight to the
//! database, with this and next year's allowances; then the scenarios the leave issue
//! names: the who's-off calendar for the company and for one department over a month (and
//! the web app's who's-off page of that department's month), one person's balances, the my-staff report for an approver of 500 and for the company, and
//! sustained create-and-approve.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;
use jiff::civil::{Date, Weekday};
use rota_core::Db;
use rota_core::db::{Engine, now};
use rota_core::leave::types::{LeaveType, LeaveTypeInput};
use rota_core::people::types::UserType;
use rota_core::policy::Actor;
use serde_json::json;

use super::load::Scenario;
use super::scenario;

/// Years of history, this one included.
const YEARS: i16 = 5;
/// Absences per person per year: one in each 45-day window, so none overlap.
const PER_YEAR: i64 = 8;
/// Rows per INSERT statement.
const ROWS_PER_INSERT: usize = 400;
/// The people the approver of the my-staff scenario covers.
const APPROVER_COVERS: usize = 500;

pub struct LeaveSeeded {
    pub requests: usize,
    pub department_id: i64,
    /// Signs in as the approver who covers 500 people.
    pub approver_email: String,
    pub instant_type_id: i64,
    pub year: i16,
    /// Working days of next year, for the create-and-approve scenario.
    pub next_year_days: Vec<Date>,
}

/// Seeds the history. `user_ids[0]` is the owner; the next `departments` are the
/// approvers (the first approves department 0); the rest are staff.
pub async fn seed(db: &Db, user_ids: &[i64], departments: usize) -> anyhow::Result<LeaveSeeded> {
    let company_id: i64 = sqlx::query_scalar("SELECT id FROM companies ORDER BY id LIMIT 1")
        .fetch_one(db.pool())
        .await?;
    let types: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, code FROM leave_types WHERE company_id = $1")
            .bind(company_id)
            .fetch_all(db.pool())
            .await?;
    let type_id = |code: &str| {
        types
            .iter()
            .find(|(_, c)| c == code)
            .map(|(id, _)| *id)
            .context("a default leave type")
    };
    let (holiday, sickness) = (type_id("H")?, type_id("S")?);
    let department_id: i64 =
        sqlx::query_scalar("SELECT department_id FROM users WHERE company_id = $1 AND id = $2")
            .bind(company_id)
            .bind(user_ids.get(1).copied().context("an approver")?)
            .fetch_one(db.pool())
            .await?;
    let year = jiff::Zoned::now().date().year();
    let stamp = now();
    let people = user_ids.get(1..).unwrap_or_default();

    // The absences, as rows of (user, type, start, end, working days).
    let mut rows: Vec<(i64, i64, String, String, i64)> =
        Vec::with_capacity(people.len() * (YEARS as usize) * PER_YEAR as usize);
    let mut taken_this_year: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for (n, user_id) in people.iter().enumerate() {
        for y in (year - YEARS + 1)..=year {
            for k in 0..PER_YEAR {
                let offset = k * 45 + ((n as i64 * 7 + i64::from(y) * 3 + k * 11) % 30);
                let start = monday_or_later(
                    Date::new(y, 1, 1)?.checked_add(jiff::Span::new().days(offset))?,
                )?;
                let length = 1 + (n as i64 + k + i64::from(y)) % 5;
                let end = start.checked_add(jiff::Span::new().days(length - 1))?;
                let leave_type = if (n + k as usize).is_multiple_of(6) {
                    sickness
                } else {
                    holiday
                };
                if y == year && leave_type == holiday {
                    *taken_this_year.entry(*user_id).or_default() += length * 100;
                }
                rows.push((
                    *user_id,
                    leave_type,
                    start.to_string(),
                    end.to_string(),
                    length,
                ));
            }
        }
    }
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut sql = String::from(
            "INSERT INTO leave_requests (company_id, user_id, leave_type_id, start_date, end_date, start_part, end_part, amount, \
             unit, minutes, day_hundredths, spent_carryover, status, requested_by, created_at, updated_at) VALUES ",
        );
        let tuples: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 6;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, 'full', 'full', ${}, 'days', ${} * 450, ${}, 0, 'approved', ${}, {stamp}, {stamp})",
                    b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 6, b + 6, b + 2
                )
            })
            .collect();
        sql.push_str(&tuples.join(", "));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (user_id, leave_type, start, end, days) in chunk {
            query = query
                .bind(company_id)
                .bind(*user_id)
                .bind(*leave_type)
                .bind(start.clone())
                .bind(end.clone())
                .bind(*days * 100);
        }
        let mut tx = db.begin_write().await?;
        query.execute(&mut *tx).await.context("inserting leave")?;
        tx.commit().await?;
    }

    // Allowances for this year and next, so balances read rather than open them.
    for start in (0..people.len()).step_by(ROWS_PER_INSERT) {
        let chunk = people
            .get(start..people.len().min(start + ROWS_PER_INSERT))
            .unwrap_or_default();
        let mut tx = db.begin_write().await?;
        for user_id in chunk {
            for (year_start, taken) in [
                (
                    format!("{year}-01-01"),
                    taken_this_year.get(user_id).copied().unwrap_or(0),
                ),
                (format!("{}-01-01", year + 1), 0),
            ] {
                sqlx::query(
                    "INSERT INTO allowances (company_id, user_id, leave_type_id, year_start, unit, opening, adjustments, carryover_opening, \
                     carryover_used, carryover_expiry, taken, pending, created_at, updated_at) VALUES ($1, $2, $3, $4, 'days', 2500, 0, 0, 0, NULL, $5, 0, $6, $6)",
                )
                .bind(company_id)
                .bind(*user_id)
                .bind(holiday)
                .bind(year_start)
                .bind(taken)
                .bind(stamp)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
    }

    // The first approver also approves leave for staff of other departments, up to 500.
    let approver = *user_ids.get(1).context("an approver")?;
    let own_staff: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE company_id = $1 AND approver_id = $2")
            .bind(company_id)
            .bind(approver)
            .fetch_one(db.pool())
            .await?;
    let extra = APPROVER_COVERS.saturating_sub(own_staff as usize);
    let others: Vec<i64> = people
        .iter()
        .skip(departments)
        .filter(|id| **id != approver)
        .copied()
        .collect();
    let mut tx = db.begin_write().await?;
    for id in others.iter().rev().take(extra) {
        sqlx::query("UPDATE users SET notifier_2_id = $1, notifier_2_role = 'approver_leave' WHERE company_id = $2 AND id = $3")
            .bind(approver)
            .bind(company_id)
            .bind(*id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;

    // A deducting type that needs no approval: each create spends the allowance at once.
    let owner = Actor {
        user_id: user_ids[0],
        company_id,
        role: UserType::SuperUser,
        is_owner: true,
        department_id: None,
        origin: Default::default(),
        policy: Default::default(),
    };
    let instant = rota_core::org::create::<LeaveType>(
        db,
        &owner,
        LeaveTypeInput {
            code: Some("B".into()),
            name: Some("Booked at once".into()),
            deducts_allowance: Some(true),
            requires_approval: Some(false),
            ..LeaveTypeInput::default()
        },
    )
    .await?;
    if db.engine() == Engine::Postgres {
        // As after the people's seeding: the requests read as autovacuum leaves them.
        sqlx::query("VACUUM ANALYZE").execute(db.pool()).await?;
    }
    let next_year_days = working_days(year + 1)?;
    Ok(LeaveSeeded {
        requests: rows.len(),
        department_id,
        approver_email: super::seed::email(0),
        instant_type_id: instant.id,
        year,
        next_year_days,
    })
}

fn monday_or_later(date: Date) -> anyhow::Result<Date> {
    Ok(match date.weekday() {
        Weekday::Saturday => date.checked_add(jiff::Span::new().days(2))?,
        Weekday::Sunday => date.checked_add(jiff::Span::new().days(1))?,
        _ => date,
    })
}

/// Weekdays of `year` that are no English public holiday.
fn working_days(year: i16) -> anyhow::Result<Vec<Date>> {
    let mut days = Vec::new();
    let mut date = Date::new(year, 1, 1)?;
    while date.year() == year {
        if !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !rota_core::holidays::is_holiday("GB", None, date)
        {
            days.push(date);
        }
        date = date.tomorrow()?;
    }
    Ok(days)
}

/// Fresh (person, working day of next year) pairs for the create scenarios, shared by them
/// so that every request, whichever face makes it, asks for a day its person has not
/// booked: no overlap, and 250 days a person go far.
#[derive(Clone)]
pub struct FreshDays {
    staff: Arc<Vec<i64>>,
    days: Arc<Vec<Date>>,
    next: Arc<AtomicUsize>,
}

impl FreshDays {
    pub fn new(staff: Vec<i64>, seeded: &LeaveSeeded) -> Self {
        Self {
            staff: Arc::new(staff),
            days: Arc::new(seeded.next_year_days.clone()),
            next: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The next pair: each person in turn, then the next day.
    pub fn take(&self) -> (i64, Date) {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let people = self.staff.len().max(1);
        let user_id = self.staff.get(n % people).copied().unwrap_or(0);
        let day = self
            .days
            .get((n / people) % self.days.len().max(1))
            .copied()
            .unwrap_or_default();
        (user_id, day)
    }
}

/// The leave scenarios, in the order they run.
pub fn scenarios(
    base: &str,
    owner: &str,
    approver: &str,
    seeded: &LeaveSeeded,
    staff: Vec<i64>,
    fresh: FreshDays,
    concurrency: usize,
) -> Vec<Scenario> {
    let get = |name: String, url: String, token: &str| {
        let token = token.to_owned();
        scenario(name, concurrency, move |client| {
            client.get(&url).bearer_auth(&token)
        })
    };
    let year = seeded.year;
    let month = format!("from={year}-06-01&to={year}-06-30");
    let staff = Arc::new(staff);
    let balances = {
        let (staff, token, base) = (staff.clone(), owner.to_owned(), base.to_owned());
        scenario(
            "GET /api/v1/users/{id}/allowances".into(),
            concurrency,
            move |client| {
                let id = staff
                    .get(rand::random_range(0..staff.len().max(1)))
                    .copied()
                    .unwrap_or(0);
                client
                    .get(format!("{base}/api/v1/users/{id}/allowances"))
                    .bearer_auth(&token)
            },
        )
    };
    let create = {
        let (token, url, type_id) = (
            owner.to_owned(),
            format!("{base}/api/v1/leave-requests"),
            seeded.instant_type_id,
        );
        scenario(
            "POST /api/v1/leave-requests (approved at once)".into(),
            concurrency,
            move |client| {
                let (user_id, day) = fresh.take();
                client
                .post(&url)
                .bearer_auth(&token)
                .json(&json!({"user_id": user_id, "leave_type_id": type_id, "start_date": day, "end_date": day}))
            },
        )
    };
    vec![
        get(
            format!("GET /api/v1/calendar?{month} (company)"),
            format!("{base}/api/v1/calendar?{month}"),
            owner,
        ),
        get(
            format!("GET /api/v1/calendar?{month}&department_id=…"),
            format!(
                "{base}/api/v1/calendar?{month}&department_id={}",
                seeded.department_id
            ),
            owner,
        ),
        scenario(
            format!("GET /whos-off?month={year}-06&group=d… (the web page, the department)"),
            concurrency,
            {
                let url = format!(
                    "{base}/whos-off?month={year}-06&group=d{}",
                    seeded.department_id
                );
                // The page's session cookie holds the same session token as the API's.
                let cookie = format!("rota_session={owner}");
                move |client| client.get(&url).header(reqwest::header::COOKIE, &cookie)
            },
        ),
        balances,
        get(
            "GET /api/v1/reports/my-staff (approver of 500)".into(),
            format!("{base}/api/v1/reports/my-staff?from={year}-01-01&to={year}-12-31"),
            approver,
        ),
        get(
            "GET /api/v1/reports/my-staff (company)".into(),
            format!("{base}/api/v1/reports/my-staff?from={year}-01-01&to={year}-12-31"),
            owner,
        ),
        create,
    ]
}
