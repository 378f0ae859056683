//! Working patterns: minutes worked on each weekday, per user, each in effect from a start
//! date so a pattern can change over time; a company default for users without one.

use std::collections::HashMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::access::audit::AuditAction;
use crate::company;
use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::leave::duration::WeekMinutes;
use crate::paging::Page;
use crate::policy::{Action, Actor, FieldClass, Target, may};
use crate::sql::Binds;
use crate::validate;

mod in_force;
pub use in_force::{PersonWeek, in_force};

/// A pattern in effect from `start_date` (WhosOff's work call: minutes per weekday).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromRow)]
pub struct WorkPattern {
    pub id: i64,
    /// Absent for the company default.
    pub user_id: Option<i64>,
    #[schema(value_type = String)]
    #[sqlx(try_from = "crate::stored::Day")]
    pub start_date: Date,
    pub monday: i64,
    pub tuesday: i64,
    pub wednesday: i64,
    pub thursday: i64,
    pub friday: i64,
    pub saturday: i64,
    pub sunday: i64,
}

impl WorkPattern {
    pub fn week(&self) -> WeekMinutes {
        WeekMinutes([
            self.monday,
            self.tuesday,
            self.wednesday,
            self.thursday,
            self.friday,
            self.saturday,
            self.sunday,
        ])
    }
}

/// A new pattern: minutes (0–1440) for each weekday, from a start date.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkPatternInput {
    #[schema(value_type = crate::openapi::Date)]
    pub start_date: String,
    #[schema(minimum = 0, maximum = 1440)]
    pub monday: i64,
    #[schema(minimum = 0, maximum = 1440)]
    pub tuesday: i64,
    #[schema(minimum = 0, maximum = 1440)]
    pub wednesday: i64,
    #[schema(minimum = 0, maximum = 1440)]
    pub thursday: i64,
    #[schema(minimum = 0, maximum = 1440)]
    pub friday: i64,
    #[schema(minimum = 0, maximum = 1440)]
    pub saturday: i64,
    #[schema(minimum = 0, maximum = 1440)]
    pub sunday: i64,
}

/// The patterns that decide a user's working days, newest start first: theirs, then the company's.
#[derive(Debug, Clone, Default)]
pub struct PatternBook {
    own: Vec<(Date, WeekMinutes)>,
    company: Vec<(Date, WeekMinutes)>,
}

impl PatternBook {
    /// The week in effect on `date`; the office week (7.5 hours, Monday to Friday) when none is set.
    pub fn on(&self, date: Date) -> WeekMinutes {
        let pick = |list: &[(Date, WeekMinutes)]| {
            list.iter()
                .find(|(start, _)| *start <= date)
                .map(|(_, week)| *week)
        };
        pick(&self.own)
            .or_else(|| pick(&self.company))
            .unwrap_or(WeekMinutes::OFFICE)
    }
}

const SELECT: &str = "SELECT id, user_id, start_date, monday, tuesday, wednesday, thursday, friday, saturday, sunday FROM work_patterns";

/// Loads the pattern book of `user_id`.
pub(crate) async fn book(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    user_id: i64,
) -> Result<PatternBook> {
    let rows: Vec<WorkPattern> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND (user_id = $2 OR user_id IS NULL) ORDER BY start_date DESC, id DESC"
    )))
    .bind(company_id)
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    let mut book = PatternBook::default();
    for row in rows {
        match row.user_id {
            Some(_) => book.own.push((row.start_date, row.week())),
            None => book.company.push((row.start_date, row.week())),
        }
    }
    Ok(book)
}

/// The week each of a company's people works on one date.
#[derive(Debug, Clone, Default)]
pub(crate) struct Weeks {
    own: std::collections::HashMap<i64, WeekMinutes>,
    company: Option<WeekMinutes>,
}

impl Weeks {
    /// Their own pattern, else the company's, else the office week.
    pub fn of(&self, user_id: i64) -> WeekMinutes {
        self.own
            .get(&user_id)
            .copied()
            .or(self.company)
            .unwrap_or(WeekMinutes::OFFICE)
    }
}

/// More people than this have their patterns read company-wide rather than by an IN list.
pub(crate) const MANY: usize = 500;

/// The patterns in effect on `date` for `user_ids` of `company_id`, in one query: by id
/// for a few people, the company's all for [`MANY`] or more.
pub(crate) async fn weeks_on(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    user_ids: &[i64],
    date: Date,
) -> Result<Weeks> {
    let mut binds = Binds::default();
    let people = if user_ids.len() <= MANY {
        format!(
            " AND (user_id IS NULL OR user_id IN ({}))",
            binds.ints(user_ids)
        )
    } else {
        String::new()
    };
    let query = sqlx::query_as::<_, WorkPattern>(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND start_date <= $2{people} ORDER BY start_date DESC, id DESC"
    )))
    .bind(company_id)
    .bind(date.to_string());
    let mut weeks = Weeks::default();
    for row in binds.bind_all(query).fetch_all(conn).await? {
        match row.user_id {
            Some(user) => {
                weeks.own.entry(user).or_insert_with(|| row.week());
            }
            None => {
                weeks.company.get_or_insert_with(|| row.week());
            }
        }
    }
    Ok(weeks)
}

/// How long `user_id`'s working day is on `date`, in minutes: the average of the working
/// days of the week in effect then (0 when it has none). Integrations that count leave in
/// time convert days with it.
pub async fn working_day(db: &Db, actor: &Actor, user_id: i64, date: Date) -> Result<i64> {
    Ok(week_on(db, actor, user_id, date).await?.average_day())
}

/// The week `user_id` works on `date`: their own pattern in effect then, else the
/// company's, else the office week. Anyone who may see the user may read it.
pub async fn week_on(db: &Db, actor: &Actor, user_id: i64, date: Date) -> Result<WeekMinutes> {
    crate::people::service::get(db, actor, user_id).await?;
    let mut conn = db.pool().acquire().await?;
    Ok(book(&mut conn, actor.company_id, user_id).await?.on(date))
}

/// The pattern books of several users of a company, read in one query.
pub(crate) async fn books(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    user_ids: &[i64],
) -> Result<HashMap<i64, PatternBook>> {
    if user_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let query = sqlx::query_as::<_, WorkPattern>(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND (user_id IS NULL OR user_id IN ({})) ORDER BY start_date DESC, id DESC",
        crate::sql::placeholders(2, user_ids.len())
    )))
    .bind(company_id);
    let rows = user_ids
        .iter()
        .fold(query, |query, id| query.bind(*id))
        .fetch_all(conn)
        .await?;
    Ok(fill_books(user_ids, rows))
}

/// The pattern books of many users of a company (thousands: a payroll period's people),
/// from one read of all the company's patterns rather than a list of ids.
pub(crate) async fn books_of_many(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    user_ids: &[i64],
) -> Result<HashMap<i64, PatternBook>> {
    let rows: Vec<WorkPattern> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 ORDER BY start_date DESC, id DESC"
    )))
    .bind(company_id)
    .fetch_all(conn)
    .await?;
    Ok(fill_books(user_ids, rows))
}

/// The books of `user_ids` from `rows` (newest first): each user's own patterns and the
/// company's.
fn fill_books(user_ids: &[i64], rows: Vec<WorkPattern>) -> HashMap<i64, PatternBook> {
    let mut books: HashMap<i64, PatternBook> = user_ids
        .iter()
        .map(|id| (*id, PatternBook::default()))
        .collect();
    for row in rows {
        let start = row.start_date;
        match row.user_id {
            Some(user_id) => {
                if let Some(book) = books.get_mut(&user_id) {
                    book.own.push((start, row.week()));
                }
            }
            None => {
                for book in books.values_mut() {
                    book.company.push((start, row.week()));
                }
            }
        }
    }
    books
}

/// The average working day, in minutes, of the company's default pattern in effect today:
/// what a day is worth in time for a user created now, before a pattern of their own.
pub async fn default_working_day(db: &Db, actor: &Actor) -> Result<i64> {
    let on = jiff::Zoned::now().date();
    let mut conn = db.pool().acquire().await?;
    // No user has id 0: the book holds the company's patterns only.
    let book = book(&mut conn, actor.company_id, 0).await?;
    Ok(book.on(on).average_day())
}

/// The patterns of a user (or, with `None`, the company's default), newest first, in pages.
pub async fn list(
    db: &Db,
    actor: &Actor,
    user_id: Option<i64>,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<WorkPattern>> {
    if let Some(user_id) = user_id {
        crate::people::service::get(db, actor, user_id).await?;
    }
    let page = db.page("work-patterns", limit, cursor).await?;
    let (before_date, before_id) = Position(page.after_id).resume();
    let rows: Vec<WorkPattern> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND {} \
         AND (start_date < $3 OR (start_date = $3 AND id < $4)) \
         ORDER BY start_date DESC, id DESC LIMIT $5",
        if user_id.is_some() {
            "user_id = $2"
        } else {
            "user_id IS NULL AND $2 = 0"
        }
    )))
    .bind(actor.company_id)
    .bind(user_id.unwrap_or(0))
    .bind(before_date)
    .bind(before_id)
    .bind(page.limit + 1)
    .fetch_all(db.pool())
    .await?;
    Ok(page.finish(rows, |p| Position::of(p).0))
}

/// Where a page of patterns (newest start date first, then highest id) ends, as the one
/// number a cursor carries: the start date as `yyyymmdd` above the id's 36 bits. Ids stay
/// far below 2^36; a date needs 27 bits, so the two fit an `i64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position(i64);

impl Position {
    const ID_BITS: u32 = 36;

    fn of(pattern: &WorkPattern) -> Self {
        let day = pattern.start_date;
        let date =
            i64::from(day.year()) * 10_000 + i64::from(day.month()) * 100 + i64::from(day.day());
        Self((date << Self::ID_BITS) | (pattern.id & ((1 << Self::ID_BITS) - 1)))
    }

    /// The start date and id to continue below; the first page (0) starts above every
    /// date a pattern can have.
    fn resume(self) -> (String, i64) {
        if self.0 <= 0 {
            return ("9999-99-99".to_owned(), 0);
        }
        let date = self.0 >> Self::ID_BITS;
        let id = self.0 & ((1 << Self::ID_BITS) - 1);
        (
            format!(
                "{:04}-{:02}-{:02}",
                date / 10_000,
                date / 100 % 100,
                date % 100
            ),
            id,
        )
    }
}

/// Whether the actor may set or remove the patterns of `user_id` (super users and the
/// user's approvers) or, with `None`, the company default (super users). A user the actor
/// may not see is answered as absent.
async fn may_set(db: &Db, actor: &Actor, user_id: Option<i64>) -> Result<()> {
    match user_id {
        Some(user_id) => {
            let company = company::load(db.pool(), actor.company_id).await?;
            let mut conn = db.pool().acquire().await?;
            let record = crate::people::service::load(&mut conn, actor.company_id, user_id)
                .await?
                .ok_or(Error::not_found("user"))?;
            let facts = crate::people::view::facts(&record, company.owner_id);
            if !may(actor, Action::ViewUser, Target::User(&facts)) {
                return Err(Error::not_found("user"));
            }
            if !may(
                actor,
                Action::EditUser(FieldClass::Managed),
                Target::User(&facts),
            ) {
                return Err(Error::forbidden(
                    "only a super user or the user's approver sets working patterns",
                ));
            }
        }
        None => {
            if !may(
                actor,
                Action::UpdateCompany,
                Target::Company(actor.company_id),
            ) {
                return Err(Error::forbidden(
                    "only a super user sets the company's working pattern",
                ));
            }
        }
    }
    Ok(())
}

/// Adds a pattern for a user (super users and the user's approvers) or the company default
/// (super users). A pattern with the same start date replaces the earlier one.
pub async fn add(
    db: &Db,
    actor: &Actor,
    user_id: Option<i64>,
    input: WorkPatternInput,
) -> Result<WorkPattern> {
    may_set(db, actor, user_id).await?;
    // The values only once the actor may set this pattern: permission first.
    let start = validate::date("start_date", &input.start_date)?;
    let days = [
        ("monday", input.monday),
        ("tuesday", input.tuesday),
        ("wednesday", input.wednesday),
        ("thursday", input.thursday),
        ("friday", input.friday),
        ("saturday", input.saturday),
        ("sunday", input.sunday),
    ];
    for (field, minutes) in days {
        validate::within(field, minutes, 0, 1440)?;
    }
    let mut tx = db.begin_write().await?;
    let owner_clause = if user_id.is_some() {
        "user_id = $2"
    } else {
        "user_id IS NULL AND $2 = 0"
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM work_patterns WHERE company_id = $1 AND {owner_clause} AND start_date = $3"
    )))
    .bind(actor.company_id)
    .bind(user_id.unwrap_or(0))
    .bind(start.to_string())
    .execute(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO work_patterns (company_id, user_id, start_date, monday, tuesday, wednesday, thursday, friday, saturday, sunday, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(actor.company_id)
    .bind(user_id)
    .bind(start.to_string())
    .bind(input.monday)
    .bind(input.tuesday)
    .bind(input.wednesday)
    .bind(input.thursday)
    .bind(input.friday)
    .bind(input.saturday)
    .bind(input.sunday)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    crate::access::audit::record_by(
        &mut tx,
        actor,
        AuditAction::WorkPatternAdded,
        Some(("work_pattern", id)),
        serde_json::json!({"user_id": user_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(WorkPattern {
        id,
        user_id,
        start_date: start,
        monday: input.monday,
        tuesday: input.tuesday,
        wednesday: input.wednesday,
        thursday: input.thursday,
        friday: input.friday,
        saturday: input.saturday,
        sunday: input.sunday,
    })
}

/// Removes a pattern, by whoever may set it; the pattern before it (or the company's, or
/// the office week) applies again from its start date. Another company's pattern, or one
/// of a user the actor may not see, is answered as absent.
pub async fn remove(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let owner: Option<Option<i64>> =
        sqlx::query_scalar("SELECT user_id FROM work_patterns WHERE company_id = $1 AND id = $2")
            .bind(actor.company_id)
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    let user_id = owner.ok_or(Error::not_found("work pattern"))?;
    may_set(db, actor, user_id)
        .await
        .map_err(|error| match error {
            Error::NotFound { .. } => Error::not_found("work pattern"),
            other => other,
        })?;
    let mut tx = db.begin_write().await?;
    let removed = sqlx::query("DELETE FROM work_patterns WHERE company_id = $1 AND id = $2")
        .bind(actor.company_id)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed == 0 {
        return Err(Error::not_found("work pattern"));
    }
    crate::access::audit::record_by(
        &mut tx,
        actor,
        AuditAction::WorkPatternRemoved,
        Some(("work_pattern", id)),
        serde_json::json!({"user_id": user_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(id: i64, start_date: &str) -> WorkPattern {
        WorkPattern {
            id,
            user_id: None,
            start_date: start_date.parse().unwrap(),
            monday: 0,
            tuesday: 0,
            wednesday: 0,
            thursday: 0,
            friday: 0,
            saturday: 0,
            sunday: 0,
        }
    }

    #[test]
    fn a_page_resumes_below_the_last_start_date_and_id() {
        let last = pattern(123_456, "2026-03-09");
        assert_eq!(
            Position::of(&last).resume(),
            ("2026-03-09".to_owned(), 123_456)
        );
    }

    #[test]
    fn positions_order_as_the_listing_does() {
        let newer = Position::of(&pattern(1, "2027-01-01"));
        let older = Position::of(&pattern(9, "2026-12-31"));
        let older_same_day = Position::of(&pattern(8, "2026-12-31"));
        assert!(newer.0 > older.0 && older.0 > older_same_day.0);
    }

    #[test]
    fn the_first_page_starts_above_every_date() {
        let (date, _) = Position(0).resume();
        assert!(date.as_str() > "9999-12-31");
    }
}
