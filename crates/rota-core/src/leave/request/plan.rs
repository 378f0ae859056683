//! Planning a request: the input, the context it is checked against (loaded once), the
//! checks of [`super::rules`] over the user's days, and the checks that read other
//! requests (overlap, staffing) with one query per range.

use jiff::civil::Date;
use serde::Deserialize;
use utoipa::ToSchema;

use super::row::{Away, RequestRow, SELECT};
use super::rules;
use crate::company::{self, Company};
use crate::db::{Db, Tx};
use crate::error::{Error, Result, code};
use crate::leave::allowance::year_rule;
use crate::leave::days_off::DaysOff;
use crate::leave::duration::{AbsenceDay, DayPart, Span, absence_days, parse_clock};
use crate::leave::patterns;
use crate::leave::types::{LeaveType, TypeKind};
use crate::locks::{self, Owner};
use crate::people::record::UserRecord;
use crate::people::types::AllowanceUnit;
use crate::people::view::facts;
use crate::policy::{Action, Actor, Target, UserFacts, may};
use crate::validate;

/// What a user asks for: a range of dates with half days at either end, or, in hours, a
/// start and end time on one day.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveRequestInput {
    /// Whose leave; the caller's own when absent.
    pub user_id: Option<i64>,
    pub leave_type_id: i64,
    /// `YYYY-MM-DD`, inclusive.
    #[schema(value_type = crate::openapi::Date)]
    pub start_date: String,
    /// `YYYY-MM-DD`, inclusive.
    #[schema(value_type = crate::openapi::Date)]
    pub end_date: String,
    /// `afternoon` to start at midday.
    pub start_part: Option<DayPart>,
    /// `morning` to end at midday.
    pub end_part: Option<DayPart>,
    /// `HH:MM`, quarter hours, for a request in hours (one day).
    #[schema(value_type = Option<crate::openapi::Clock>)]
    pub start_time: Option<String>,
    #[schema(value_type = Option<crate::openapi::Clock>)]
    pub end_time: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub note: Option<String>,
}

/// Everything a request is checked against, loaded once.
pub(crate) struct Context {
    pub company: Company,
    pub user: UserRecord,
    pub facts: UserFacts,
    pub leave_type: LeaveType,
}

impl Context {
    pub fn overtime(&self) -> bool {
        self.leave_type.kind == TypeKind::Overtime
    }

    /// Whether `actor` may do `action` to this context's user.
    pub fn may(&self, actor: &Actor, action: Action) -> bool {
        may(actor, action, Target::User(&self.facts))
    }

    /// Whether `actor` reads the note of `row`.
    pub fn shows_note(&self, actor: &Actor, row: &RequestRow) -> bool {
        may(
            actor,
            Action::ReadLeaveNote,
            Target::Leave(&self.leave_type.leave_of(row.user_id)),
        )
    }
}

pub(crate) async fn context(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    leave_type_id: i64,
) -> Result<Context> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let mut conn = db.pool().acquire().await?;
    let user = crate::people::service::load(&mut conn, actor.company_id, user_id)
        .await?
        .ok_or(Error::unknown_reference("user", "user_id"))?;
    let facts = facts(&user, company.owner_id);
    if !may(actor, Action::ViewUser, Target::User(&facts)) {
        return Err(Error::unknown_reference("user", "user_id"));
    }
    let leave_type: LeaveType =
        sqlx::query_as("SELECT * FROM leave_types WHERE company_id = $1 AND id = $2")
            .bind(actor.company_id)
            .bind(leave_type_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(Error::unknown_reference("leave type", "leave_type_id"))?;
    Ok(Context {
        company,
        user,
        facts,
        leave_type,
    })
}

/// Parsed and checked input, with its days.
pub(crate) struct Planned {
    pub span: Span,
    pub days: Vec<AbsenceDay>,
    pub amount: i64,
    pub minutes: i64,
    pub day_hundredths: i64,
    pub unit: AllowanceUnit,
    pub year_start: Date,
    pub note: Option<String>,
}

/// A statement that writes a request and hands back its row.
pub(crate) type RowQuery<'q> =
    sqlx::query::QueryAs<'q, sqlx::Any, RequestRow, sqlx::any::AnyArguments>;

impl Planned {
    /// Binds, in this order, what a plan decides of the row: `start_date`, `end_date`,
    /// `start_part`, `end_part`, `start_minute`, `end_minute`, `amount`, `unit`, `minutes`,
    /// `day_hundredths` and `note`.
    pub fn bind<'q>(&'q self, query: RowQuery<'q>) -> RowQuery<'q> {
        let (start_minute, end_minute) = self.span.minutes.unzip();
        query
            .bind(self.span.start.to_string())
            .bind(self.span.end.to_string())
            .bind(self.span.start_part.as_stored())
            .bind(self.span.end_part.as_stored())
            .bind(start_minute)
            .bind(end_minute)
            .bind(self.amount)
            .bind(self.unit.as_str())
            .bind(self.minutes)
            .bind(self.day_hundredths)
            .bind(&self.note)
    }
}

pub(crate) async fn plan(
    db: &Db,
    actor: &Actor,
    ctx: &Context,
    input: &LeaveRequestInput,
) -> Result<Planned> {
    let start = validate::date("start_date", &input.start_date)?;
    let end = validate::date("end_date", &input.end_date)?;
    let minutes = rules::clock_pair(input.start_time.as_deref(), input.end_time.as_deref())?
        .map(|(from, to)| {
            Ok::<_, Error>((
                parse_clock("start_time", from)?,
                parse_clock("end_time", to)?,
            ))
        })
        .transpose()?;
    let span = Span {
        start,
        end,
        start_part: input.start_part.unwrap_or_default(),
        end_part: input.end_part.unwrap_or_default(),
        minutes,
    };
    let leave_type = &ctx.leave_type;
    if !leave_type.is_active {
        return Err(Error::invalid(
            "leave_type_id",
            "this leave type is switched off",
        ));
    }
    rules::half_days(leave_type.allows_half_days, &span)?;
    if leave_type.unit == AllowanceUnit::Hours
        && minutes.is_none()
        && leave_type.kind == TypeKind::Overtime
    {
        return Err(Error::invalid(
            "start_time",
            "overtime is booked with a start and end time",
        ));
    }
    let note = validate::optional_text("note", input.note.as_deref(), 500)?;
    if leave_type.note_required && note.is_none() {
        return Err(Error::invalid("note", "this leave type needs a note"));
    }
    let year_start = rules::leave_year(year_rule(&ctx.company)?, start, end)?;
    let mut conn = db.pool().acquire().await?;
    let book = patterns::book(&mut conn, ctx.company.id, ctx.user.id).await?;
    let off = DaysOff::load(&mut conn, &ctx.company, &ctx.user, start, end).await?;
    let days = absence_days(span, |d| book.on(d), |d| off.reason(d))?;
    rules::no_time_off(
        &days,
        &off.no_time_off,
        may(
            actor,
            Action::BookOverNoTimeOff,
            Target::Company(actor.company_id),
        ),
        input.note.as_deref(),
    )?;
    let total_minutes: i64 = days.iter().map(|d| d.minutes).sum();
    let hundredths: i64 = days.iter().map(|d| d.day_hundredths).sum();
    rules::duration(total_minutes, leave_type.minimum_duration_minutes)?;
    if !ctx.may(actor, Action::SkipSelfServiceLimits) {
        if !may(
            actor,
            Action::BookLeaveType,
            Target::LeaveType(&leave_type.facts()),
        ) {
            return Err(Error::unknown_reference("leave type", "leave_type_id"));
        }
        rules::notice(jiff::Zoned::now().date(), start, leave_type.min_notice_days)?;
    }
    let unit = AllowanceUnit::from_stored(&ctx.user.allowance_unit)?;
    let amount = match unit {
        AllowanceUnit::Days => hundredths,
        AllowanceUnit::Hours => total_minutes,
    };
    Ok(Planned {
        span,
        days,
        amount,
        minutes: total_minutes,
        day_hundredths: hundredths,
        unit,
        year_start,
        note,
    })
}

/// Refuses a plan that overlaps another pending or approved request of the user (except
/// request `except`), unless either type allows concurrent requests. Run after the user
/// is locked.
pub(crate) async fn check_overlap(
    tx: &mut Tx,
    ctx: &Context,
    planned: &Planned,
    except: Option<i64>,
) -> Result<()> {
    if ctx.leave_type.allow_concurrent_requests {
        return Ok(());
    }
    let others: Vec<RequestRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND user_id = $2 AND status IN ('pending', 'approved') AND start_date <= $3 \
         AND end_date >= $4 AND id <> $5 AND leave_type_id NOT IN \
         (SELECT id FROM leave_types WHERE company_id = $1 AND allow_concurrent_requests = 1)"
    )))
    .bind(ctx.company.id)
    .bind(ctx.user.id)
    .bind(planned.span.end.to_string())
    .bind(planned.span.start.to_string())
    .bind(except.unwrap_or(0))
    .fetch_all(&mut **tx)
    .await?;
    let booked = others
        .iter()
        .map(|other| Ok((other.id, other.span())))
        .collect::<Result<Vec<_>>>()?;
    let wanted = rules::windows(&planned.span, &planned.days);
    match rules::first_overlap(&wanted, &booked) {
        Some((id, date)) => Err(Error::conflict(
            code::OVERLAP,
            Some("start_date"),
            format!("this overlaps request {id} on {date}"),
        )),
        None => Ok(()),
    }
}

/// Locks what owns the staffing rules of an approval: the user's department (its minimum
/// staff) and the user with their restricted colleagues (not away together).
pub(crate) async fn lock_staffing(tx: &mut Tx, ctx: &Context) -> Result<()> {
    let colleagues =
        crate::leave::notes::restricted_colleagues(tx, ctx.company.id, ctx.user.id).await?;
    let owners = ctx
        .user
        .department_id
        .map(Owner::Department)
        .into_iter()
        .chain([Owner::User(ctx.user.id)])
        .chain(colleagues.into_iter().map(Owner::User));
    locks::lock(tx, ctx.company.id, owners).await
}

/// What an approver is warned of, and what refuses an approval unless a super user
/// overrides: the department falling below its minimum staff, and restricted colleagues
/// away on the same days.
pub(crate) async fn staffing_warnings(
    tx: &mut Tx,
    ctx: &Context,
    days: &[AbsenceDay],
    except: Option<i64>,
) -> Result<Vec<String>> {
    let working: Vec<Date> = days
        .iter()
        .filter(|d| d.day_off.is_none())
        .map(|d| d.date)
        .collect();
    let mut warnings = department_warnings(tx, ctx, &working, except).await?;
    warnings.extend(
        crate::leave::notes::restriction_warnings(tx, ctx.company.id, ctx.user.id, &working)
            .await?,
    );
    Ok(warnings)
}

/// People of the user's department who are in on each working day, against its minimum.
async fn department_warnings(
    tx: &mut Tx,
    ctx: &Context,
    working: &[Date],
    except: Option<i64>,
) -> Result<Vec<String>> {
    let Some(department_id) = ctx.user.department_id else {
        return Ok(Vec::new());
    };
    let (Some(first), Some(last)) = (working.first(), working.last()) else {
        return Ok(Vec::new());
    };
    let min_user: i64 =
        sqlx::query_scalar("SELECT min_user FROM departments WHERE company_id = $1 AND id = $2")
            .bind(ctx.company.id)
            .bind(department_id)
            .fetch_optional(&mut **tx)
            .await?
            .unwrap_or(0);
    if min_user == 0 {
        return Ok(Vec::new());
    }
    let staff: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE company_id = $1 AND department_id = $2 AND status = 'active'")
        .bind(ctx.company.id)
        .bind(department_id)
        .fetch_one(&mut **tx)
        .await?;
    let rows: Vec<Away> = sqlx::query_as(
        "SELECT r.user_id, r.start_date, r.end_date FROM leave_requests r JOIN users u ON u.company_id = r.company_id AND u.id = r.user_id \
         WHERE r.company_id = $1 AND u.department_id = $2 AND r.status = 'approved' AND r.start_date <= $3 AND r.end_date >= $4 \
         AND r.user_id <> $5 AND r.id <> $6",
    )
    .bind(ctx.company.id)
    .bind(department_id)
    .bind(last.to_string())
    .bind(first.to_string())
    .bind(ctx.user.id)
    .bind(except.unwrap_or(0))
    .fetch_all(&mut **tx)
    .await?;
    let stretches: Vec<_> = rows.iter().map(Away::stretch).collect();
    Ok(working
        .iter()
        .filter_map(|date| {
            let away = rules::away_on(*date, &stretches).len() as i64;
            rules::shortfall(staff, away, min_user).map(|in_office| {
                format!(
                    "{date}: {in_office} of the department would be in, below its minimum of {min_user}"
                )
            })
        })
        .collect())
}
