//! Allowances: one per user, deducting leave type and leave year, with its counters. Rows
//! are read under a write lock, changed by the pure [`Balance`] rules, and written back in
//! the same transaction, so two approvals can never spend the same leave.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::access::audit::AuditAction;
use crate::company::{self, Company};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result};
use crate::leave::balance::Balance;
use crate::leave::patterns;
use crate::leave::types::LeaveType;
use crate::leave::year::LeaveYearStart;
use crate::people::record::UserRecord;
use crate::people::types::AllowanceUnit;
use crate::policy::{Action, Actor, FieldClass, Target, may};
use crate::{org, validate};

mod set;
pub use set::{Figures, Place, place, place_of, remove, set};

/// A stored allowance, its dates and unit decoded as it is read (see [`crate::stored`]).
#[derive(Debug, Clone, FromRow)]
pub struct AllowanceRow {
    pub id: i64,
    pub company_id: i64,
    pub user_id: i64,
    pub leave_type_id: i64,
    #[sqlx(try_from = "crate::stored::Day")]
    pub year_start: Date,
    #[sqlx(try_from = "String")]
    pub unit: AllowanceUnit,
    pub opening: i64,
    pub adjustments: i64,
    pub carryover_opening: i64,
    pub carryover_used: i64,
    /// The last day carried-over leave can be used is the day before.
    #[sqlx(try_from = "crate::stored::MaybeDay")]
    pub carryover_expiry: Option<Date>,
    pub taken: i64,
    pub pending: i64,
}

impl AllowanceRow {
    pub fn balance(&self) -> Balance {
        Balance {
            opening: self.opening,
            adjustments: self.adjustments,
            carryover_opening: self.carryover_opening,
            carryover_used: self.carryover_used,
            taken: self.taken,
            pending: self.pending,
        }
    }

    /// Whether carried-over leave can still be used on `date`.
    pub fn carryover_live_on(&self, date: Date) -> bool {
        self.carryover_expiry.is_none_or(|expiry| date < expiry)
    }

    /// Writes the counters of `balance` back.
    pub(crate) async fn store(&self, tx: &mut Tx, balance: &Balance) -> Result<()> {
        sqlx::query(
            "UPDATE allowances SET opening = $1, adjustments = $2, carryover_opening = $3, carryover_used = $4, \
             taken = $5, pending = $6, updated_at = $7 WHERE company_id = $8 AND id = $9",
        )
        .bind(balance.opening)
        .bind(balance.adjustments)
        .bind(balance.carryover_opening)
        .bind(balance.carryover_used)
        .bind(balance.taken)
        .bind(balance.pending)
        .bind(now())
        .bind(self.company_id)
        .bind(self.id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// A user's allowance of one type for one leave year, as the API shows it (the WhosOff
/// opening, remaining, pending and carry-over fields).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Allowance {
    pub id: i64,
    pub user_id: i64,
    pub leave_type_id: i64,
    pub leave_type_code: String,
    pub leave_type_name: String,
    /// First and last day of the leave year.
    #[schema(value_type = String)]
    pub year_start: Date,
    #[schema(value_type = String)]
    pub year_end: Date,
    /// Hundredths of a day for `days`, minutes for `hours`.
    pub unit: AllowanceUnit,
    pub opening: i64,
    pub adjustments: i64,
    pub carryover_opening: i64,
    pub carryover_remaining: i64,
    #[schema(value_type = Option<String>)]
    pub carryover_expiry_date: Option<Date>,
    pub taken: i64,
    pub pending: i64,
    pub remaining: i64,
    /// What a new request may still use: remaining less pending.
    pub available: i64,
}

const SELECT: &str = "SELECT id, company_id, user_id, leave_type_id, year_start, unit, opening, adjustments, \
    carryover_opening, carryover_used, carryover_expiry, taken, pending FROM allowances";

/// Reads an allowance for update, locked until `tx` ends (see [`crate::locks`]).
pub(crate) async fn lock(tx: &mut Tx, company_id: i64, id: i64) -> Result<AllowanceRow> {
    let lock = crate::locks::for_update(tx);
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2{lock}"
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::not_found("allowance"))
}

/// The leave-year rules of a company.
pub fn year_rule(company: &Company) -> Result<LeaveYearStart> {
    LeaveYearStart::new(company.leave_year_start_month, company.leave_year_start_day)
}

/// The full-year entitlement a user starts a year with, in their unit, pro rata when the
/// company says so and they join or leave during the year.
pub fn opening_for(
    company: &Company,
    department_default: Option<i64>,
    user: &UserRecord,
    pattern_day_minutes: i64,
    year_start: Date,
    year_last: Date,
) -> Result<i64> {
    let full = department_default.unwrap_or(company.settings.default_allowance);
    let days_in_year = (year_last - year_start).get_days() as i64 + 1;
    let mut employed_from = year_start;
    let mut employed_to = year_last;
    if company.settings.pro_rata {
        if let Some(start) = user.employment_start_date {
            employed_from = employed_from.max(start);
        }
        if let Some(end) = user.employment_end_date {
            employed_to = employed_to.min(end);
        }
    }
    let employed_days = if employed_to < employed_from {
        0
    } else {
        (employed_to - employed_from).get_days() as i64 + 1
    };
    // Rounded to the nearest half day, as people read leave.
    let hundredths = ((full * employed_days * 2 + days_in_year * 50) / (days_in_year * 100)) * 50;
    Ok(match AllowanceUnit::from_stored(&user.allowance_unit)? {
        AllowanceUnit::Days => hundredths,
        AllowanceUnit::Hours => hundredths * pattern_day_minutes / 100,
    })
}

/// The allowance of `user` for `leave_type` in the leave year starting `year_start`,
/// created with the year's entitlement when it does not exist yet.
pub(crate) async fn ensure(
    tx: &mut Tx,
    company: &Company,
    user: &UserRecord,
    leave_type: &LeaveType,
    year_start: Date,
) -> Result<AllowanceRow> {
    let existing: Option<AllowanceRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND user_id = $2 AND leave_type_id = $3 AND year_start = $4"
    )))
    .bind(company.id)
    .bind(user.id)
    .bind(leave_type.id)
    .bind(year_start.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = existing {
        return Ok(row);
    }
    let rule = year_rule(company)?;
    let last = rule.last_day(year_start)?;
    let department_default: Option<i64> = match user.department_id {
        Some(id) => sqlx::query_scalar(
            "SELECT default_allowance FROM departments WHERE company_id = $1 AND id = $2",
        )
        .bind(company.id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .flatten(),
        None => None,
    };
    let book = patterns::book(tx, company.id, user.id).await?;
    // Time off in lieu is earned, not given: it opens at zero.
    let opening = if leave_type.code == "T" {
        0
    } else {
        opening_for(
            company,
            department_default,
            user,
            book.on(year_start).average_day(),
            year_start,
            last,
        )?
    };
    let stamp = now();
    sqlx::query(
        "INSERT INTO allowances (company_id, user_id, leave_type_id, year_start, unit, opening, adjustments, carryover_opening, \
         carryover_used, carryover_expiry, taken, pending, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, NULL, 0, 0, $7, $7) \
         ON CONFLICT (company_id, user_id, leave_type_id, year_start) DO NOTHING",
    )
    .bind(company.id)
    .bind(user.id)
    .bind(leave_type.id)
    .bind(year_start.to_string())
    .bind(&user.allowance_unit)
    .bind(opening)
    .bind(stamp)
    .execute(&mut **tx)
    .await?;
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND user_id = $2 AND leave_type_id = $3 AND year_start = $4"
    )))
    .bind(company.id)
    .bind(user.id)
    .bind(leave_type.id)
    .bind(year_start.to_string())
    .fetch_one(&mut **tx)
    .await
    .map_err(Error::from)
}

/// A stored allowance with the same person's and type's allowance of the next year beside
/// it (its columns named `next_…`, all NULL when there is none): two years in one row.
/// SQLite's driver hands a statement's rows over fifty at a time, each batch a wait for
/// the reader; a department's two years in one row each stay within one.
#[derive(FromRow)]
struct YearPair {
    #[sqlx(flatten)]
    this: AllowanceRow,
    next_id: Option<i64>,
    next_unit: Option<String>,
    next_opening: Option<i64>,
    next_adjustments: Option<i64>,
    next_carryover_opening: Option<i64>,
    next_carryover_used: Option<i64>,
    #[sqlx(try_from = "crate::stored::MaybeDay")]
    next_carryover_expiry: Option<Date>,
    next_taken: Option<i64>,
    next_pending: Option<i64>,
}

impl YearPair {
    /// This year's row and, when stored, the next one's (which starts `next_year`).
    fn rows(self, next_year: Date) -> Result<impl Iterator<Item = AllowanceRow>> {
        let next = match (self.next_id, self.next_unit) {
            (Some(id), Some(unit)) => Some(AllowanceRow {
                id,
                year_start: next_year,
                unit: AllowanceUnit::from_stored(&unit)?,
                opening: self.next_opening.unwrap_or_default(),
                adjustments: self.next_adjustments.unwrap_or_default(),
                carryover_opening: self.next_carryover_opening.unwrap_or_default(),
                carryover_used: self.next_carryover_used.unwrap_or_default(),
                carryover_expiry: self.next_carryover_expiry,
                taken: self.next_taken.unwrap_or_default(),
                pending: self.next_pending.unwrap_or_default(),
                ..self.this.clone()
            }),
            _ => None,
        };
        Ok(std::iter::once(self.this).chain(next))
    }
}

/// The most people [`holiday_for`] reads by id.
const BY_ID: usize = 500;

/// The company's Holiday allowances (of its type of code `H`, see [`holiday_type`]) in the
/// leave years starting `years`, for each of `user_ids` (every one of whom is in the
/// company): those stored, and those missing opened with their entitlement, so that a
/// figure never depends on having been read before. Usually all exist and this is one
/// read of a row per person (the second year beside the first), which finds the type
/// itself; the type is loaded, and the write lock taken, only when one must be opened.
/// None if the company removed the type.
pub(crate) async fn holiday_for(
    db: &Db,
    company: &Company,
    user_ids: &[i64],
    years: [Date; 2],
) -> Result<Vec<AllowanceRow>> {
    // A short list reads its people's rows by id; a long one the type's rows, cheaper
    // than an IN list of thousands.
    let mut binds = crate::sql::Binds::after(3);
    let people = if user_ids.len() <= BY_ID {
        format!(" AND t.user_id IN ({})", binds.ints(user_ids))
    } else {
        String::new()
    };
    let query = sqlx::query_as::<_, YearPair>(sqlx::AssertSqlSafe(format!(
        "SELECT t.id, t.company_id, t.user_id, t.leave_type_id, t.year_start, t.unit, t.opening, \
         t.adjustments, t.carryover_opening, t.carryover_used, t.carryover_expiry, t.taken, t.pending, \
         n.id AS next_id, n.unit AS next_unit, n.opening AS next_opening, n.adjustments AS next_adjustments, \
         n.carryover_opening AS next_carryover_opening, n.carryover_used AS next_carryover_used, \
         n.carryover_expiry AS next_carryover_expiry, n.taken AS next_taken, n.pending AS next_pending \
         FROM allowances t LEFT JOIN allowances n ON n.company_id = t.company_id AND n.user_id = t.user_id \
         AND n.leave_type_id = t.leave_type_id AND n.year_start = $3 \
         WHERE t.company_id = $1 AND t.year_start = $2 AND t.leave_type_id = \
         (SELECT id FROM leave_types WHERE company_id = $1 AND kind = 'leave' AND code = 'H'){people}"
    )))
    .bind(company.id)
    .bind(years[0].to_string())
    .bind(years[1].to_string());
    let mut rows: Vec<AllowanceRow> = Vec::with_capacity(user_ids.len() * 2);
    for pair in binds.bind_all(query).fetch_all(db.pool()).await? {
        rows.extend(pair.rows(years[1])?);
    }
    let stored: std::collections::HashSet<(i64, Date)> =
        rows.iter().map(|r| (r.user_id, r.year_start)).collect();
    // Someone with only the second year stored is not found above: both years are
    // opened, which finds the one stored.
    let missing: Vec<(i64, Date)> = user_ids
        .iter()
        .flat_map(|id| years.map(|year| (*id, year)))
        .filter(|pair| !stored.contains(pair))
        .collect();
    if missing.is_empty() {
        return Ok(rows);
    }
    let holiday = {
        let mut conn = db.pool().acquire().await?;
        holiday_type(&mut conn, company.id).await?
    };
    let Some(holiday) = holiday.filter(|holiday| holiday.deducts_allowance) else {
        return Ok(rows);
    };
    let mut tx = db.begin_write().await?;
    for (user_id, year) in missing {
        let Some(user) = crate::people::service::load(&mut tx, company.id, user_id).await? else {
            continue;
        };
        rows.push(ensure(&mut tx, company, &user, &holiday, year).await?);
    }
    tx.commit().await?;
    Ok(rows)
}

/// The company's Holiday type (code `H`): the allowance WhosOff knows as a user's one
/// allowance, which the my-staff report and the vendor faces show. `None` if removed.
pub(crate) async fn holiday_type(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
) -> Result<Option<LeaveType>> {
    Ok(sqlx::query_as(
        "SELECT * FROM leave_types WHERE company_id = $1 AND kind = 'leave' AND code = 'H'",
    )
    .bind(company_id)
    .fetch_optional(conn)
    .await?)
}

/// An opening entitlement given with a new user (WhosOff's `user/create` allowances): the
/// leave year holding `on`, and the opening in the user's unit. A new user has taken
/// nothing, so what remains of it is the opening: `remaining` must say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewUserOpening {
    pub on: Date,
    pub opening: i64,
    pub remaining: i64,
}

/// Opens the Holiday allowances of a user being created, in the transaction creating
/// them, so that the user and their allowances are written together or not at all.
pub(crate) async fn open_for_new_user(
    tx: &mut Tx,
    actor: &Actor,
    company: &Company,
    user: &UserRecord,
    openings: &[NewUserOpening],
) -> Result<()> {
    if openings.is_empty() {
        return Ok(());
    }
    let leave_type = holiday_type(tx, company.id)
        .await?
        .filter(|t| t.deducts_allowance)
        .ok_or_else(|| {
            Error::invalid(
                "allowances",
                "the company has no Holiday type deducting from an allowance to hold them",
            )
        })?;
    let rule = year_rule(company)?;
    let mut years = Vec::new();
    for opening in openings {
        validate::within("opening", opening.opening, 0, 1_000_000)?;
        if opening.remaining != opening.opening {
            return Err(Error::invalid(
                "remaining",
                "a new user has taken no leave: remaining must equal opening",
            ));
        }
        let year = rule.year_of(opening.on)?;
        if years.contains(&year) {
            return Err(Error::invalid(
                "start_date",
                "two allowances fall in the same leave year",
            ));
        }
        years.push(year);
        let row = ensure(tx, company, user, &leave_type, year).await?;
        let mut balance = row.balance();
        balance.opening = opening.opening;
        row.store(tx, &balance).await?;
        crate::access::audit::record_by(
            tx,
            actor,
            AuditAction::AllowanceOpeningSet,
            Some(("user", user.id)),
            serde_json::json!({"leave_type_id": leave_type.id, "opening": opening.opening}),
        )
        .await?;
    }
    Ok(())
}

async fn deducting_types(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
) -> Result<Vec<LeaveType>> {
    Ok(sqlx::query_as(
        "SELECT * FROM leave_types WHERE company_id = $1 AND kind = 'leave' AND deducts_allowance = 1 ORDER BY id"
    )
    .bind(company_id)
    .fetch_all(conn)
    .await?)
}

fn render(
    row: &AllowanceRow,
    leave_type: &LeaveType,
    rule: LeaveYearStart,
    today: Date,
) -> Result<Allowance> {
    let start = row.year_start;
    let balance = row.balance();
    // Carry-over counts as long as it has not lapsed by today (or, for a future year, at all).
    let live = row.carryover_live_on(today.max(start));
    Ok(Allowance {
        id: row.id,
        user_id: row.user_id,
        leave_type_id: leave_type.id,
        leave_type_code: leave_type.code.clone(),
        leave_type_name: leave_type.name.clone(),
        year_start: start,
        year_end: rule.last_day(start)?,
        unit: row.unit,
        opening: row.opening,
        adjustments: row.adjustments,
        carryover_opening: row.carryover_opening,
        carryover_remaining: if live {
            balance.carryover_remaining()
        } else {
            0
        },
        carryover_expiry_date: row.carryover_expiry,
        taken: row.taken,
        pending: row.pending,
        remaining: balance.remaining(live),
        available: balance.available(live),
    })
}

/// Loads a user the actor may see and, for `class` changes, may manage.
async fn target_user(
    db: &Db,
    actor: &Actor,
    company: &Company,
    user_id: i64,
    action: Action,
) -> Result<UserRecord> {
    let mut conn = db.pool().acquire().await?;
    let user = crate::people::service::load(&mut conn, actor.company_id, user_id)
        .await?
        .ok_or(Error::not_found("user"))?;
    let facts = crate::people::view::facts(&user, company.owner_id);
    let sees_balances = may(actor, Action::ViewBalances, Target::User(&facts));
    if !may(actor, Action::ViewUser, Target::User(&facts)) || !sees_balances {
        return Err(Error::not_found("user"));
    }
    if !may(actor, action, Target::User(&facts)) {
        return Err(Error::forbidden("only a super user changes allowances"));
    }
    Ok(user)
}

/// A user's allowances for this leave year and the next, for every deducting type, as of
/// `on` (a `YYYY-MM-DD` day in the year to show; today when absent). The date is read
/// only once the actor may see the user, so that nobody learns more than a 404.
pub async fn for_user(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    on: Option<&str>,
) -> Result<Vec<Allowance>> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let user = target_user(db, actor, &company, user_id, Action::ViewUser).await?;
    let today = on
        .map(|d| validate::date("date", d))
        .transpose()?
        .unwrap_or_else(|| jiff::Zoned::now().date());
    let rule = year_rule(&company)?;
    let this_year = rule.year_of(today)?;
    let next_year = rule.next(this_year)?;
    let mut conn = db.pool().acquire().await?;
    let types = deducting_types(&mut conn, company.id).await?;
    // Usually every allowance exists and this is a plain read; the write lock is taken
    // only when one must be opened.
    let existing: Vec<AllowanceRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND user_id = $2 AND year_start IN ($3, $4)"
    )))
    .bind(company.id)
    .bind(user.id)
    .bind(this_year.to_string())
    .bind(next_year.to_string())
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let find = |rows: &[AllowanceRow], leave_type: &LeaveType, year: Date| {
        rows.iter()
            .find(|r| r.leave_type_id == leave_type.id && r.year_start == year)
            .cloned()
    };
    let complete = [this_year, next_year]
        .iter()
        .all(|year| types.iter().all(|t| find(&existing, t, *year).is_some()));
    let mut tx = if complete {
        None
    } else {
        Some(db.begin_write().await?)
    };
    let mut out = Vec::new();
    for year in [this_year, next_year] {
        for leave_type in &types {
            let row = match (find(&existing, leave_type, year), tx.as_mut()) {
                (Some(row), _) => row,
                (None, Some(tx)) => ensure(tx, &company, &user, leave_type, year).await?,
                (None, None) => {
                    return Err(Error::Internal("allowance missing after the check".into()));
                }
            };
            out.push(render(&row, leave_type, rule, today)?);
        }
    }
    if let Some(tx) = tx {
        tx.commit().await?;
    }
    Ok(out)
}

/// A change to an allowance's entitlement, with its reason.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentInput {
    pub leave_type_id: i64,
    /// Any day in the leave year to adjust; today's year when absent.
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub date: Option<String>,
    /// Positive adds, negative removes; in the allowance's unit.
    #[schema(minimum = -100000, maximum = 100000)]
    pub amount: i64,
    #[schema(value_type = crate::openapi::Text500)]
    pub reason: String,
}

/// Sets the opening entitlement and carry-over of a year outright (WhosOff's user-allowance).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningInput {
    pub leave_type_id: i64,
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub date: Option<String>,
    #[schema(minimum = 0, maximum = 1000000)]
    pub opening: i64,
    pub carryover_opening: Option<i64>,
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub carryover_expiry_date: Option<String>,
}

async fn allowance_for_change(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    leave_type_id: i64,
    date: Option<&str>,
) -> Result<(Company, LeaveType, Tx, AllowanceRow)> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let user = target_user(
        db,
        actor,
        &company,
        user_id,
        Action::EditUser(FieldClass::Privileged),
    )
    .await?;
    let day = date
        .map(|d| validate::date("date", d))
        .transpose()?
        .unwrap_or_else(|| jiff::Zoned::now().date());
    let year = year_rule(&company)?.year_of(day)?;
    let leave_type = org::get::<LeaveType>(db, actor, leave_type_id)
        .await
        .map_err(|_| Error::unknown_reference("leave type", "leave_type_id"))?;
    if !leave_type.deducts_allowance {
        return Err(Error::invalid(
            "leave_type_id",
            "this leave type does not deduct from an allowance",
        ));
    }
    let mut tx = db.begin_write().await?;
    let row = ensure(&mut tx, &company, &user, &leave_type, year).await?;
    let row = lock(&mut tx, company.id, row.id).await?;
    Ok((company, leave_type, tx, row))
}

pub async fn adjust(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    input: AdjustmentInput,
) -> Result<Allowance> {
    // Permission first (inside allowance_for_change): a caller who may not change this
    // allowance learns nothing about which values would be accepted.
    let (company, leave_type, mut tx, row) = allowance_for_change(
        db,
        actor,
        user_id,
        input.leave_type_id,
        input.date.as_deref(),
    )
    .await?;
    let reason = validate::required_text("reason", &input.reason, 500)?;
    validate::within("amount", input.amount, -100_000, 100_000)?;
    let mut balance = row.balance();
    balance.adjust(input.amount, company.settings.allow_negative_balance)?;
    row.store(&mut tx, &balance).await?;
    record_adjustment(&mut tx, actor, &row, input.amount, &reason).await?;
    let row = lock(&mut tx, company.id, row.id).await?;
    tx.commit().await?;
    render(
        &row,
        &leave_type,
        year_rule(&company)?,
        jiff::Zoned::now().date(),
    )
}

pub async fn set_opening(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    input: OpeningInput,
) -> Result<Allowance> {
    // Permission first (inside allowance_for_change), then the values.
    let (company, leave_type, mut tx, row) = allowance_for_change(
        db,
        actor,
        user_id,
        input.leave_type_id,
        input.date.as_deref(),
    )
    .await?;
    validate::within("opening", input.opening, 0, 1_000_000)?;
    let mut balance = row.balance();
    balance.opening = input.opening;
    if let Some(carry) = input.carryover_opening {
        balance.carryover_opening = validate::within(
            "carryover_opening",
            carry,
            balance.carryover_used,
            1_000_000,
        )?;
    }
    if balance.opening + balance.adjustments < 0 {
        return Err(Error::invalid(
            "opening",
            "the opening would make the entitlement negative",
        ));
    }
    row.store(&mut tx, &balance).await?;
    if let Some(expiry) = &input.carryover_expiry_date {
        let expiry = validate::date("carryover_expiry_date", expiry)?;
        sqlx::query(
            "UPDATE allowances SET carryover_expiry = $1 WHERE company_id = $2 AND id = $3",
        )
        .bind(expiry.to_string())
        .bind(company.id)
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    }
    let row = lock(&mut tx, company.id, row.id).await?;
    record_opening(&mut tx, actor, &row).await?;
    tx.commit().await?;
    render(
        &row,
        &leave_type,
        year_rule(&company)?,
        jiff::Zoned::now().date(),
    )
}

/// Records an adjustment of `amount` to `row`'s entitlement, already stored, with its
/// reason: in the allowance's history and the audit log.
async fn record_adjustment(
    tx: &mut Tx,
    actor: &Actor,
    row: &AllowanceRow,
    amount: i64,
    reason: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO allowance_adjustments (company_id, allowance_id, amount, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(row.company_id)
        .bind(row.id)
        .bind(amount)
        .bind(reason)
        .bind(actor.user_id)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    crate::access::audit::record_by(
        tx,
        actor,
        AuditAction::AllowanceAdjusted,
        Some(("user", row.user_id)),
        serde_json::json!({"leave_type_id": row.leave_type_id, "amount": amount, "reason": reason}),
    )
    .await
}

/// Records in the audit log that `row`'s opening (and carry-over) was set, as stored.
async fn record_opening(tx: &mut Tx, actor: &Actor, row: &AllowanceRow) -> Result<()> {
    crate::access::audit::record_by(
        tx,
        actor,
        AuditAction::AllowanceOpeningSet,
        Some(("user", row.user_id)),
        serde_json::json!({"leave_type_id": row.leave_type_id, "opening": row.opening,
            "carryover_opening": row.carryover_opening}),
    )
    .await
}

/// What rolling a leave year did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RollSummary {
    #[schema(value_type = String)]
    pub from_year_start: Date,
    #[schema(value_type = String)]
    pub to_year_start: Date,
    /// Allowances created or brought up to date in the new year.
    pub allowances: i64,
    /// The carry-over they received, in total.
    pub carried_over: i64,
}

/// Rolls the leave year that contains `on` into the next: every active user's allowance of
/// every deducting type gets its carry-over (what remained, capped by the company rule,
/// lapsing after the configured months). Running it again gives the same result.
pub async fn roll_year(db: &Db, company_id: i64, on: Date) -> Result<RollSummary> {
    roll_year_by(db, company_id, on, crate::access::audit::Who::default()).await
}

/// [`roll_year`], recorded in the audit log as `who`'s.
async fn roll_year_by(
    db: &Db,
    company_id: i64,
    on: Date,
    who: crate::access::audit::Who,
) -> Result<RollSummary> {
    let company = company::load(db.pool(), company_id).await?;
    let rule = year_rule(&company)?;
    let from = rule.year_of(on)?;
    let to = rule.next(from)?;
    let expiry = match company.settings.carryover_expiry_months {
        0 => None,
        months => Some(
            to.checked_add(jiff::Span::new().months(months))
                .map_err(|e| Error::Internal(e.to_string().into()))?,
        ),
    };
    let mut tx = db.begin_write().await?;
    let users: Vec<UserRecord> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{} WHERE company_id = $1 AND status = 'active' ORDER BY id",
        crate::people::record::SELECT
    )))
    .bind(company_id)
    .fetch_all(&mut *tx)
    .await?;
    let types = deducting_types(&mut tx, company_id).await?;
    let mut summary = RollSummary {
        from_year_start: from,
        to_year_start: to,
        allowances: 0,
        carried_over: 0,
    };
    for user in &users {
        for leave_type in &types {
            let old = ensure(&mut tx, &company, user, leave_type, from).await?;
            let cap = match AllowanceUnit::from_stored(&user.allowance_unit)? {
                AllowanceUnit::Days => company.settings.carryover_cap,
                AllowanceUnit::Hours => {
                    company.settings.carryover_cap
                        * patterns::book(&mut tx, company_id, user.id)
                            .await?
                            .on(to)
                            .average_day()
                        / 100
                }
            };
            let carry = old.balance().carry_forward(cap);
            let new = ensure(&mut tx, &company, user, leave_type, to).await?;
            let new = lock(&mut tx, company_id, new.id).await?;
            // Set, not add: a second roll recomputes the same carry-over.
            let carry = carry.max(new.carryover_used);
            sqlx::query("UPDATE allowances SET carryover_opening = $1, carryover_expiry = $2, updated_at = $3 WHERE company_id = $4 AND id = $5")
                .bind(carry)
                .bind(expiry.map(|d| d.to_string()))
                .bind(now())
                .bind(company_id)
                .bind(new.id)
                .execute(&mut *tx)
                .await?;
            summary.allowances += 1;
            summary.carried_over += carry;
        }
    }
    crate::access::audit::record(
        &mut tx,
        who,
        crate::access::audit::Event {
            company_id,
            action: AuditAction::LeaveYearRolled,
            target: Some(("company", company_id)),
            details: serde_json::to_value(&summary).unwrap_or_default(),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(company.id = company_id, from = %from, to = %to, allowances = summary.allowances, "leave year rolled");
    Ok(summary)
}

/// The roll as an API call, for super users.
pub async fn roll_year_as(db: &Db, actor: &Actor, on: Option<&str>) -> Result<RollSummary> {
    if !may(
        actor,
        Action::UpdateCompany,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden("only a super user rolls the leave year"));
    }
    let on = on
        .map(|d| validate::date("date", d))
        .transpose()?
        .unwrap_or_else(|| jiff::Zoned::now().date());
    roll_year_by(db, actor.company_id, on, actor.into()).await
}
