//! Leave and overtime requests: quote, submit, approve, decline, cancel, and the comment
//! thread. Every change to a request and its allowance happens in one transaction, with
//! the allowance row locked, so concurrent approvals never spend the same leave twice.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::company::{self, Company};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};
use crate::leave::allowance::{self, year_rule};
use crate::leave::balance::Spend;
use crate::leave::days_off::DaysOff;
use crate::leave::duration::{AbsenceDay, DayPart, Span, absence_days, clock, parse_clock};
use crate::leave::patterns;
use crate::leave::types::{LeaveType, TypeKind};
use crate::locks::{self, Owner};
use crate::mail::LeaveEvent;
use crate::paging::{Page, PageRequest};
use crate::people::record::UserRecord;
use crate::people::types::AllowanceUnit;
use crate::people::view::facts;
use crate::policy::{Action, Actor, Target, UserFacts, may};
use crate::sql::Binds;
use crate::validate;
use crate::webhooks::events::Event;

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Pending,
    Approved,
    Declined,
    Cancelled,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Declined => "declined",
            Self::Cancelled => "cancelled",
        }
    }

    fn parse(text: &str) -> Result<Self> {
        match text {
            "pending" => Ok(Self::Pending),
            "approved" => Ok(Self::Approved),
            "declined" => Ok(Self::Declined),
            "cancelled" => Ok(Self::Cancelled),
            other => Err(Error::Internal(
                format!("stored request status {other:?}").into(),
            )),
        }
    }
}

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

/// What a request would cost, before it is made.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Quote {
    pub user_id: i64,
    pub leave_type_id: i64,
    /// The unit of `amount`: hundredths of a day, or minutes.
    pub unit: AllowanceUnit,
    pub amount: i64,
    /// Working minutes covered.
    pub minutes: i64,
    pub days: Vec<AbsenceDay>,
    /// What the allowance could still give before and after this request (deducting types).
    pub available_before: Option<i64>,
    pub available_after: Option<i64>,
    /// Things an approver will be told, such as a department falling below its minimum staff.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeaveRequest {
    pub id: i64,
    pub user_id: i64,
    pub leave_type_id: i64,
    pub kind: TypeKind,
    pub start_date: String,
    pub end_date: String,
    pub start_part: DayPart,
    pub end_part: DayPart,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub unit: AllowanceUnit,
    pub amount: i64,
    pub minutes: i64,
    /// Working days covered, in hundredths, whatever the unit.
    pub day_hundredths: i64,
    pub status: RequestStatus,
    /// Withheld from readers below the type's `notes_visible_to` role.
    pub note: Option<String>,
    pub decision_reason: Option<String>,
    pub requested_by: i64,
    pub decided_by: Option<i64>,
    pub decided_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, FromRow)]
pub(crate) struct RequestRow {
    pub id: i64,
    pub user_id: i64,
    pub leave_type_id: i64,
    pub allowance_id: Option<i64>,
    pub start_date: String,
    pub end_date: String,
    pub start_part: String,
    pub end_part: String,
    pub start_minute: Option<i64>,
    pub end_minute: Option<i64>,
    pub amount: i64,
    pub unit: String,
    pub minutes: i64,
    pub day_hundredths: i64,
    pub spent_carryover: i64,
    pub status: String,
    pub note: Option<String>,
    pub decision_reason: Option<String>,
    pub requested_by: i64,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

pub(crate) const SELECT: &str = "SELECT id, user_id, leave_type_id, allowance_id, start_date, end_date, start_part, \
    end_part, start_minute, end_minute, amount, unit, minutes, day_hundredths, spent_carryover, status, note, decision_reason, requested_by, \
    decided_by, decided_at, created_at, updated_at FROM leave_requests";

pub(crate) fn part(text: &str) -> DayPart {
    match text {
        "morning" => DayPart::Morning,
        "afternoon" => DayPart::Afternoon,
        _ => DayPart::Full,
    }
}

fn part_text(part: DayPart) -> &'static str {
    match part {
        DayPart::Full => "full",
        DayPart::Morning => "morning",
        DayPart::Afternoon => "afternoon",
    }
}

impl RequestRow {
    fn status(&self) -> Result<RequestStatus> {
        RequestStatus::parse(&self.status)
    }

    fn render(self, kind: TypeKind, show_note: bool) -> Result<LeaveRequest> {
        Ok(LeaveRequest {
            status: self.status()?,
            unit: AllowanceUnit::from_stored(&self.unit)?,
            id: self.id,
            user_id: self.user_id,
            leave_type_id: self.leave_type_id,
            kind,
            start_part: part(&self.start_part),
            end_part: part(&self.end_part),
            start_time: self.start_minute.map(clock),
            end_time: self.end_minute.map(clock),
            start_date: self.start_date,
            end_date: self.end_date,
            amount: self.amount,
            minutes: self.minutes,
            day_hundredths: self.day_hundredths,
            note: if show_note { self.note } else { None },
            decision_reason: self.decision_reason,
            requested_by: self.requested_by,
            decided_by: self.decided_by,
            decided_at: self.decided_at.map(crate::time::rfc3339),
            created_at: crate::time::rfc3339(self.created_at),
            updated_at: crate::time::rfc3339(self.updated_at),
        })
    }
}

/// Everything a request is checked against, loaded once.
struct Context {
    company: Company,
    user: UserRecord,
    facts: UserFacts,
    leave_type: LeaveType,
}

async fn context(db: &Db, actor: &Actor, user_id: i64, leave_type_id: i64) -> Result<Context> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let mut conn = db.pool().acquire().await?;
    let user = crate::people::service::load(&mut conn, actor.company_id, user_id)
        .await?
        .ok_or(Error::unknown_reference("user", "user_id"))?;
    let facts = facts(&user, company.owner_id);
    if !may(
        actor,
        Action::ViewUser,
        Target::User(&facts),
        company.settings.policy(),
    ) {
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
struct Planned {
    span: Span,
    days: Vec<AbsenceDay>,
    amount: i64,
    minutes: i64,
    day_hundredths: i64,
    unit: AllowanceUnit,
    year_start: Date,
    note: Option<String>,
}

async fn plan(db: &Db, actor: &Actor, ctx: &Context, input: &LeaveRequestInput) -> Result<Planned> {
    let start = validate::date("start_date", &input.start_date)?;
    let end = validate::date("end_date", &input.end_date)?;
    let minutes = match (&input.start_time, &input.end_time) {
        (Some(from), Some(to)) => Some((
            parse_clock("start_time", from)?,
            parse_clock("end_time", to)?,
        )),
        (None, None) => None,
        (None, Some(_)) => {
            return Err(Error::invalid(
                "start_time",
                "start_time and end_time go together",
            ));
        }
        (Some(_), None) => {
            return Err(Error::invalid(
                "end_time",
                "start_time and end_time go together",
            ));
        }
    };
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
    if !leave_type.allows_half_days
        && (span.start_part != DayPart::Full || span.end_part != DayPart::Full)
    {
        return Err(Error::invalid(
            "start_part",
            "this leave type is booked in whole days",
        ));
    }
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
    let rule = year_rule(&ctx.company)?;
    let year_start = rule.year_of(start)?;
    if end > rule.last_day(year_start)? {
        return Err(Error::invalid(
            "end_date",
            "a request stays within one leave year; split it at the year's end",
        ));
    }
    let mut conn = db.pool().acquire().await?;
    let book = patterns::book(&mut conn, ctx.company.id, ctx.user.id).await?;
    let off = DaysOff::load(&mut conn, &ctx.company, &ctx.user, start, end).await?;
    let days = absence_days(span, |d| book.on(d), |d| off.reason(d))?;
    if let Some(day) = days
        .iter()
        .find(|d| d.day_off.is_none() && off.no_time_off.contains(&d.date))
    {
        // No-time-off days stop staff; a super user may book across one, with a reason.
        let justified = actor.role.is_super_user()
            && input.note.as_deref().is_some_and(|n| !n.trim().is_empty());
        if !justified {
            return Err(Error::invalid(
                "start_date",
                format!(
                    "{} is a no-time-off day{}",
                    day.date,
                    if actor.role.is_super_user() {
                        "; give a note to book across it"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
    let total_minutes: i64 = days.iter().map(|d| d.minutes).sum();
    let hundredths: i64 = days.iter().map(|d| d.day_hundredths).sum();
    if total_minutes == 0 {
        return Err(Error::invalid(
            "start_date",
            "these dates hold no working time",
        ));
    }
    if total_minutes < leave_type.minimum_duration_minutes {
        return Err(Error::invalid(
            "end_date",
            format!(
                "this leave type needs at least {} minutes",
                leave_type.minimum_duration_minutes
            ),
        ));
    }
    let self_service = actor.user_id == ctx.user.id && !actor.role.is_approver();
    if self_service {
        if leave_type.available_to > actor.role {
            return Err(Error::unknown_reference("leave type", "leave_type_id"));
        }
        let today = jiff::Zoned::now().date();
        let earliest = today
            .checked_add(jiff::Span::new().days(leave_type.min_notice_days))
            .map_err(|e| Error::Internal(e.to_string().into()))?;
        if leave_type.min_notice_days > 0 && start < earliest {
            return Err(Error::invalid(
                "start_date",
                format!(
                    "this leave type needs {} days' notice",
                    leave_type.min_notice_days
                ),
            ));
        }
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

/// Which part of `date` a stored request occupies, for the overlap rule.
fn occupies(row: &RequestRow, date: Date) -> Option<(i64, i64)> {
    let (start, end) = (row.start_date.as_str(), row.end_date.as_str());
    let day = date.to_string();
    if day.as_str() < start || day.as_str() > end {
        return None;
    }
    if let (Some(from), Some(to)) = (row.start_minute, row.end_minute) {
        return Some((from, to));
    }
    Some(
        DayPart::on_day(
            part(&row.start_part),
            part(&row.end_part),
            day == start,
            day == end,
        )
        .window(),
    )
}

fn planned_window(planned: &Planned, day: &AbsenceDay) -> (i64, i64) {
    if let Some((from, to)) = planned.span.minutes {
        return (from, to);
    }
    day.part.window()
}

async fn check_overlap(
    tx: &mut Tx,
    ctx: &Context,
    planned: &Planned,
    except: Option<i64>,
) -> Result<()> {
    let others: Vec<RequestRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND user_id = $2 AND status IN ('pending', 'approved') AND start_date <= $3 AND end_date >= $4 AND id <> $5"
    )))
    .bind(ctx.company.id)
    .bind(ctx.user.id)
    .bind(planned.span.end.to_string())
    .bind(planned.span.start.to_string())
    .bind(except.unwrap_or(0))
    .fetch_all(&mut **tx)
    .await?;
    for other in &others {
        let concurrent_type: Option<i64> = sqlx::query_scalar(
            "SELECT allow_concurrent_requests FROM leave_types WHERE company_id = $1 AND id = $2",
        )
        .bind(ctx.company.id)
        .bind(other.leave_type_id)
        .fetch_optional(&mut **tx)
        .await?;
        if ctx.leave_type.allow_concurrent_requests || concurrent_type == Some(1) {
            continue;
        }
        for day in planned.days.iter().filter(|d| d.day_off.is_none()) {
            let (from, to) = planned_window(planned, day);
            if let Some((other_from, other_to)) = occupies(other, day.date)
                && from < other_to
                && other_from < to
            {
                return Err(Error::conflict(
                    code::OVERLAP,
                    Some("start_date"),
                    format!("this overlaps request {} on {}", other.id, day.date),
                ));
            }
        }
    }
    Ok(())
}

/// Locks what owns the staffing rules of an approval: the user's department (its minimum
/// staff) and the user with their restricted colleagues (not away together).
async fn lock_staffing(tx: &mut Tx, ctx: &Context) -> Result<()> {
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
async fn staffing_warnings(
    tx: &mut Tx,
    ctx: &Context,
    days: &[AbsenceDay],
    except: Option<i64>,
) -> Result<Vec<String>> {
    let mut warnings = department_warnings(tx, ctx, days, except).await?;
    let working: Vec<String> = days
        .iter()
        .filter(|d| d.day_off.is_none())
        .map(|d| d.date.to_string())
        .collect();
    warnings.extend(
        crate::leave::notes::restriction_warnings(tx, ctx.company.id, ctx.user.id, &working)
            .await?,
    );
    Ok(warnings)
}

/// People of the user's department who are in on each day, against its minimum.
async fn department_warnings(
    tx: &mut Tx,
    ctx: &Context,
    days: &[AbsenceDay],
    except: Option<i64>,
) -> Result<Vec<String>> {
    let Some(department_id) = ctx.user.department_id else {
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
    let mut warnings = Vec::new();
    for day in days.iter().filter(|d| d.day_off.is_none()) {
        let date = day.date.to_string();
        let away: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT r.user_id) FROM leave_requests r JOIN users u ON u.company_id = r.company_id AND u.id = r.user_id \
             WHERE r.company_id = $1 AND u.department_id = $2 AND r.status = 'approved' AND r.start_date <= $3 AND r.end_date >= $3 \
             AND r.user_id <> $4 AND r.id <> $5",
        )
        .bind(ctx.company.id)
        .bind(department_id)
        .bind(&date)
        .bind(ctx.user.id)
        .bind(except.unwrap_or(0))
        .fetch_one(&mut **tx)
        .await?;
        let in_office = staff - away - 1;
        if in_office < min_user {
            warnings.push(format!(
                "{date}: {in_office} of the department would be in, below its minimum of {min_user}"
            ));
        }
    }
    Ok(warnings)
}

fn overtime(ctx: &Context) -> bool {
    ctx.leave_type.kind == TypeKind::Overtime
}

/// Works out what a request would cost without making it.
pub async fn quote(db: &Db, actor: &Actor, input: LeaveRequestInput) -> Result<Quote> {
    let ctx = context(
        db,
        actor,
        input.user_id.unwrap_or(actor.user_id),
        input.leave_type_id,
    )
    .await?;
    if !may(
        actor,
        Action::RequestLeave {
            overtime: overtime(&ctx),
        },
        Target::User(&ctx.facts),
        ctx.company.settings.policy(),
    ) {
        return Err(Error::forbidden("you may not ask for leave for this user"));
    }
    let planned = plan(db, actor, &ctx, &input).await?;
    let mut tx = db.begin_write().await?;
    let warnings = staffing_warnings(&mut tx, &ctx, &planned.days, None).await?;
    let available_before = if ctx.leave_type.deducts_allowance && !overtime(&ctx) {
        let row = allowance::ensure(
            &mut tx,
            &ctx.company,
            &ctx.user,
            &ctx.leave_type,
            planned.year_start,
        )
        .await?;
        Some(
            row.balance()
                .available(row.carryover_live_on(planned.span.start)),
        )
    } else {
        None
    };
    tx.commit().await?;
    Ok(Quote {
        user_id: ctx.user.id,
        leave_type_id: ctx.leave_type.id,
        unit: planned.unit,
        amount: planned.amount,
        minutes: planned.minutes,
        days: planned.days,
        available_before,
        available_after: available_before.map(|a| a - planned.amount),
        warnings,
    })
}

/// Holds a planned request's time as pending on its allowance (for deducting leave),
/// refusing when the allowance cannot cover it; returns the allowance it is held on.
async fn reserve(tx: &mut Tx, ctx: &Context, planned: &Planned) -> Result<Option<i64>> {
    if !ctx.leave_type.deducts_allowance || overtime(ctx) {
        return Ok(None);
    }
    let row = allowance::ensure(
        tx,
        &ctx.company,
        &ctx.user,
        &ctx.leave_type,
        planned.year_start,
    )
    .await?;
    let row = allowance::lock(tx, ctx.company.id, row.id).await?;
    let mut balance = row.balance();
    let live = row.carryover_live_on(planned.span.start);
    if !ctx.company.settings.allow_negative_balance && balance.available(live) < planned.amount {
        return Err(Error::conflict(
            code::INSUFFICIENT_ALLOWANCE,
            Some("end_date"),
            format!(
                "this needs {} but only {} is available",
                planned.amount,
                balance.available(live).max(0)
            ),
        ));
    }
    balance.pending += planned.amount;
    row.store(tx, &balance).await?;
    Ok(Some(row.id))
}

/// Makes a request. Types that need no approval are approved at once.
pub async fn create(db: &Db, actor: &Actor, input: LeaveRequestInput) -> Result<LeaveRequest> {
    let ctx = context(
        db,
        actor,
        input.user_id.unwrap_or(actor.user_id),
        input.leave_type_id,
    )
    .await?;
    let is_overtime = overtime(&ctx);
    if !may(
        actor,
        Action::RequestLeave {
            overtime: is_overtime,
        },
        Target::User(&ctx.facts),
        ctx.company.settings.policy(),
    ) {
        return Err(Error::forbidden("you may not ask for leave for this user"));
    }
    let planned = plan(db, actor, &ctx, &input).await?;
    let mut tx = db.begin_write().await?;
    locks::lock(&mut tx, ctx.company.id, [Owner::User(ctx.user.id)]).await?;
    check_overlap(&mut tx, &ctx, &planned, None).await?;
    let allowance_id = reserve(&mut tx, &ctx, &planned).await?;
    let stamp = now();
    let (start_minute, end_minute) = planned
        .span
        .minutes
        .map_or((None, None), |(a, b)| (Some(a), Some(b)));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO leave_requests (company_id, user_id, leave_type_id, allowance_id, start_date, end_date, start_part, end_part, \
         start_minute, end_minute, amount, unit, minutes, day_hundredths, spent_carryover, status, note, requested_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, 'pending', $15, $16, $17, $17) RETURNING id",
    )
    .bind(ctx.company.id)
    .bind(ctx.user.id)
    .bind(ctx.leave_type.id)
    .bind(allowance_id)
    .bind(planned.span.start.to_string())
    .bind(planned.span.end.to_string())
    .bind(part_text(planned.span.start_part))
    .bind(part_text(planned.span.end_part))
    .bind(start_minute)
    .bind(end_minute)
    .bind(planned.amount)
    .bind(planned.unit.as_str())
    .bind(planned.minutes)
    .bind(planned.day_hundredths)
    .bind(&planned.note)
    .bind(actor.user_id)
    .bind(stamp)
    .fetch_one(&mut *tx)
    .await?;
    if !ctx.leave_type.requires_approval {
        settle(
            &mut tx,
            &ctx,
            id,
            actor.user_id,
            RequestStatus::Approved,
            None,
        )
        .await?;
    }
    let event = if ctx.leave_type.requires_approval {
        LeaveEvent::Submitted
    } else {
        LeaveEvent::Booked
    };
    mail(&mut tx, &ctx, id, event).await?;
    crate::access::audit::record_by(
        &mut tx,
        actor,
        "leave.requested",
        Some(("leave_request", id)),
        serde_json::json!({}),
    )
    .await?;
    announce(&mut tx, &ctx, id, Event::LeaveRequested).await?;
    if !ctx.leave_type.requires_approval {
        // Approved at once: a receiver that follows approvals only must hear of it too.
        announce(&mut tx, &ctx, id, Event::LeaveApproved).await?;
    }
    tx.commit().await?;
    // The audit log is the record; at debug, seeding the demo does not bury its sign-ins.
    tracing::debug!(
        company.id = ctx.company.id,
        user.id = ctx.user.id,
        request.id = id,
        "leave requested"
    );
    get(db, actor, id).await
}

/// Loads a request with its context for a decision, locking nothing yet.
async fn for_change(db: &Db, actor: &Actor, id: i64) -> Result<(RequestRow, Context)> {
    let row: RequestRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(actor.company_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(Error::not_found("leave request"))?;
    let ctx = context(db, actor, row.user_id, row.leave_type_id)
        .await
        .map_err(|_| Error::not_found("leave request"))?;
    if !may(
        actor,
        Action::ViewLeave,
        Target::User(&ctx.facts),
        ctx.company.settings.policy(),
    ) {
        return Err(Error::not_found("leave request"));
    }
    Ok((row, ctx))
}

/// Moves a pending request to `status` inside `tx`: approving spends the allowance (or,
/// for overtime, earns time off in lieu); declining and cancelling release what was pending.
async fn settle(
    tx: &mut Tx,
    ctx: &Context,
    id: i64,
    decider: i64,
    status: RequestStatus,
    reason: Option<String>,
) -> Result<()> {
    let row: RequestRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(ctx.company.id)
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let mut spent_carryover = 0;
    if let Some(allowance_id) = row.allowance_id {
        let allowance = allowance::lock(tx, ctx.company.id, allowance_id).await?;
        let mut balance = allowance.balance();
        balance.pending -= row.amount;
        if status == RequestStatus::Approved {
            let start = validate::stored_date("start_date", &row.start_date)?;
            let spend = balance.spend(
                row.amount,
                allowance.carryover_live_on(start),
                ctx.company.settings.allow_negative_balance,
            )?;
            spent_carryover = spend.from_carryover;
        }
        allowance.store(tx, &balance).await?;
    }
    if status == RequestStatus::Approved && overtime(ctx) {
        earn_time_off_in_lieu(tx, ctx, &row, 1).await?;
    }
    let changed = sqlx::query(
        "UPDATE leave_requests SET status = $1, decision_reason = $2, decided_by = $3, decided_at = $4, spent_carryover = $5, updated_at = $4 \
         WHERE company_id = $6 AND id = $7 AND status = 'pending'",
    )
    .bind(status.as_str())
    .bind(reason)
    .bind(decider)
    .bind(now())
    .bind(spent_carryover)
    .bind(ctx.company.id)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(Error::conflict(
            code::ALREADY_DECIDED,
            None,
            "this request has already been decided",
        ));
    }
    Ok(())
}

/// Adds (sign 1) or removes (sign −1) approved overtime to the user's time off in lieu.
async fn earn_time_off_in_lieu(
    tx: &mut Tx,
    ctx: &Context,
    row: &RequestRow,
    sign: i64,
) -> Result<()> {
    let toil: Option<LeaveType> = sqlx::query_as(
        "SELECT * FROM leave_types WHERE company_id = $1 AND kind = 'leave' AND code = 'T'",
    )
    .bind(ctx.company.id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(toil) = toil else { return Ok(()) };
    let start = validate::stored_date("start_date", &row.start_date)?;
    let year = year_rule(&ctx.company)?.year_of(start)?;
    let allowance = allowance::ensure(tx, &ctx.company, &ctx.user, &toil, year).await?;
    let allowance = allowance::lock(tx, ctx.company.id, allowance.id).await?;
    let mut balance = allowance.balance();
    balance.adjust(sign * row.amount, false).map_err(|_| {
        Error::conflict(
            code::INSUFFICIENT_ALLOWANCE,
            None,
            "the time off in lieu this overtime earned has been spent",
        )
    })?;
    allowance.store(tx, &balance).await?;
    sqlx::query("INSERT INTO allowance_adjustments (company_id, allowance_id, amount, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(ctx.company.id)
        .bind(allowance.id)
        .bind(sign * row.amount)
        .bind(format!("overtime request {}", row.id))
        .bind(ctx.user.id)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Queues the e-mails `event` causes in the transaction that makes the change, so they
/// are sent if and only if it commits.
async fn mail(tx: &mut Tx, ctx: &Context, id: i64, event: LeaveEvent) -> Result<()> {
    crate::mail::leave::queue(tx, &ctx.company, &ctx.leave_type, &ctx.user, id, event).await
}

/// Owes `event` to the company's webhooks inside `tx`, with the request as the API shows
/// it to someone who may not read its note.
async fn announce(tx: &mut Tx, ctx: &Context, id: i64, event: Event) -> Result<()> {
    let row: RequestRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(ctx.company.id)
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let request = row.render(ctx.leave_type.kind, false)?;
    let data = serde_json::to_value(request).map_err(|e| Error::Internal(e.to_string().into()))?;
    crate::webhooks::emit(tx, ctx.company.id, event, data).await
}

/// An approver's decision.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Required to decline; optional otherwise.
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub reason: Option<String>,
    /// A super user approving although the department falls below its minimum staff.
    #[serde(default)]
    pub override_staffing: bool,
}

pub async fn approve(db: &Db, actor: &Actor, id: i64, decision: Decision) -> Result<LeaveRequest> {
    let (row, ctx) = for_change(db, actor, id).await?;
    if !may(
        actor,
        Action::DecideLeave {
            overtime: overtime(&ctx),
        },
        Target::User(&ctx.facts),
        ctx.company.settings.policy(),
    ) {
        return Err(Error::forbidden(if actor.user_id == row.user_id {
            "nobody approves their own request"
        } else {
            "you do not approve this user's requests"
        }));
    }
    let reason = validate::optional_text("reason", decision.reason.as_deref(), 500)?;
    let mut tx = db.begin_write().await?;
    if !overtime(&ctx) {
        let span = Span {
            start: validate::stored_date("start_date", &row.start_date)?,
            end: validate::stored_date("end_date", &row.end_date)?,
            start_part: part(&row.start_part),
            end_part: part(&row.end_part),
            minutes: row.start_minute.zip(row.end_minute),
        };
        lock_staffing(&mut tx, &ctx).await?;
        let book = patterns::book(&mut tx, ctx.company.id, ctx.user.id).await?;
        let off = DaysOff::load(&mut tx, &ctx.company, &ctx.user, span.start, span.end).await?;
        let days = absence_days(span, |d| book.on(d), |d| off.reason(d))?;
        let warnings = staffing_warnings(&mut tx, &ctx, &days, Some(row.id)).await?;
        let overridden = decision.override_staffing && actor.role.is_super_user();
        if !warnings.is_empty() && !overridden {
            return Err(Error::conflict(
                code::UNDERSTAFFED,
                None,
                format!(
                    "approving leaves the department short: {}",
                    warnings.join("; ")
                ),
            ));
        }
    }
    settle(
        &mut tx,
        &ctx,
        id,
        actor.user_id,
        RequestStatus::Approved,
        reason,
    )
    .await?;
    mail(&mut tx, &ctx, id, LeaveEvent::Approved).await?;
    crate::access::audit::record_by(
        &mut tx,
        actor,
        "leave.approved",
        Some(("leave_request", id)),
        serde_json::json!({}),
    )
    .await?;
    announce(&mut tx, &ctx, id, Event::LeaveApproved).await?;
    tx.commit().await?;
    get(db, actor, id).await
}

pub async fn decline(db: &Db, actor: &Actor, id: i64, decision: Decision) -> Result<LeaveRequest> {
    let (row, ctx) = for_change(db, actor, id).await?;
    if !may(
        actor,
        Action::DecideLeave {
            overtime: overtime(&ctx),
        },
        Target::User(&ctx.facts),
        ctx.company.settings.policy(),
    ) {
        return Err(Error::forbidden(if actor.user_id == row.user_id {
            "nobody declines their own request"
        } else {
            "you do not approve this user's requests"
        }));
    }
    let reason = validate::optional_text("reason", decision.reason.as_deref(), 500)?
        .ok_or_else(|| Error::invalid("reason", "a decline needs a reason"))?;
    let mut tx = db.begin_write().await?;
    settle(
        &mut tx,
        &ctx,
        id,
        actor.user_id,
        RequestStatus::Declined,
        Some(reason),
    )
    .await?;
    mail(&mut tx, &ctx, id, LeaveEvent::Declined).await?;
    crate::access::audit::record_by(
        &mut tx,
        actor,
        "leave.declined",
        Some(("leave_request", id)),
        serde_json::json!({}),
    )
    .await?;
    announce(&mut tx, &ctx, id, Event::LeaveDeclined).await?;
    tx.commit().await?;
    get(db, actor, id).await
}

/// Changes to a pending request; absent fields keep their values.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveRequestPatch {
    pub leave_type_id: Option<i64>,
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub start_date: Option<String>,
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub end_date: Option<String>,
    pub start_part: Option<DayPart>,
    pub end_part: Option<DayPart>,
    #[schema(value_type = Option<crate::openapi::Clock>)]
    pub start_time: Option<String>,
    #[schema(value_type = Option<crate::openapi::Clock>)]
    pub end_time: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub note: Option<String>,
}

/// Edits a pending request (the requester, approvers 220 and super users): it is quoted
/// again, checked for overlaps, and its pending time moves with it.
pub async fn edit(
    db: &Db,
    actor: &Actor,
    id: i64,
    patch: LeaveRequestPatch,
) -> Result<LeaveRequest> {
    let (row, ctx) = for_change(db, actor, id).await?;
    if !may(
        actor,
        Action::ChangeLeave {
            overtime: overtime(&ctx),
        },
        Target::User(&ctx.facts),
        ctx.company.settings.policy(),
    ) {
        return Err(Error::forbidden("you may not edit this request"));
    }
    if row.status()? != RequestStatus::Pending {
        return Err(Error::conflict(
            code::ALREADY_DECIDED,
            None,
            "only a pending request can be edited; cancel and ask again",
        ));
    }
    let input = LeaveRequestInput {
        user_id: Some(row.user_id),
        leave_type_id: patch.leave_type_id.unwrap_or(row.leave_type_id),
        start_date: patch.start_date.unwrap_or(row.start_date.clone()),
        end_date: patch.end_date.unwrap_or(row.end_date.clone()),
        start_part: patch.start_part.or(Some(part(&row.start_part))),
        end_part: patch.end_part.or(Some(part(&row.end_part))),
        start_time: patch.start_time.or(row.start_minute.map(clock)),
        end_time: patch.end_time.or(row.end_minute.map(clock)),
        note: patch.note.or(row.note.clone()),
    };
    let ctx = context(db, actor, row.user_id, input.leave_type_id).await?;
    let planned = plan(db, actor, &ctx, &input).await?;
    let mut tx = db.begin_write().await?;
    locks::lock(&mut tx, ctx.company.id, [Owner::User(ctx.user.id)]).await?;
    check_overlap(&mut tx, &ctx, &planned, Some(id)).await?;
    if let Some(old) = row.allowance_id {
        let allowance = allowance::lock(&mut tx, ctx.company.id, old).await?;
        let mut balance = allowance.balance();
        balance.pending -= row.amount;
        allowance.store(&mut tx, &balance).await?;
    }
    let allowance_id = reserve(&mut tx, &ctx, &planned).await?;
    let (start_minute, end_minute) = planned
        .span
        .minutes
        .map_or((None, None), |(a, b)| (Some(a), Some(b)));
    let changed = sqlx::query(
        "UPDATE leave_requests SET leave_type_id = $1, allowance_id = $2, start_date = $3, end_date = $4, start_part = $5, \
         end_part = $6, start_minute = $7, end_minute = $8, amount = $9, unit = $10, minutes = $11, day_hundredths = $12, \
         note = $13, updated_at = $14 WHERE company_id = $15 AND id = $16 AND status = 'pending'",
    )
    .bind(ctx.leave_type.id)
    .bind(allowance_id)
    .bind(planned.span.start.to_string())
    .bind(planned.span.end.to_string())
    .bind(part_text(planned.span.start_part))
    .bind(part_text(planned.span.end_part))
    .bind(start_minute)
    .bind(end_minute)
    .bind(planned.amount)
    .bind(planned.unit.as_str())
    .bind(planned.minutes)
    .bind(planned.day_hundredths)
    .bind(&planned.note)
    .bind(now())
    .bind(ctx.company.id)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(Error::conflict(
            code::ALREADY_DECIDED,
            None,
            "this request was decided meanwhile",
        ));
    }
    crate::access::audit::record_by(
        &mut tx,
        actor,
        "leave.edited",
        Some(("leave_request", id)),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    get(db, actor, id).await
}

/// Cancels a pending or approved request; an approved one gives its time back.
pub async fn cancel(db: &Db, actor: &Actor, id: i64, decision: Decision) -> Result<LeaveRequest> {
    let (row, ctx) = for_change(db, actor, id).await?;
    let is_overtime = overtime(&ctx);
    if !may(
        actor,
        Action::ChangeLeave {
            overtime: is_overtime,
        },
        Target::User(&ctx.facts),
        ctx.company.settings.policy(),
    ) {
        return Err(Error::forbidden("you may not cancel this request"));
    }
    let reason = validate::optional_text("reason", decision.reason.as_deref(), 500)?;
    let start = validate::stored_date("start_date", &row.start_date)?;
    if actor.user_id == row.user_id
        && !actor.role.is_approver()
        && ctx.leave_type.cancellation_period_days > 0
    {
        let days_ahead = (start - jiff::Zoned::now().date()).get_days() as i64;
        if days_ahead < ctx.leave_type.cancellation_period_days {
            return Err(Error::conflict(
                code::TOO_LATE_TO_CANCEL,
                None,
                format!(
                    "this leave type cannot be cancelled within {} days of its start",
                    ctx.leave_type.cancellation_period_days
                ),
            ));
        }
    }
    let mut tx = db.begin_write().await?;
    match row.status()? {
        RequestStatus::Pending => {
            settle(
                &mut tx,
                &ctx,
                id,
                actor.user_id,
                RequestStatus::Cancelled,
                reason,
            )
            .await?
        }
        RequestStatus::Approved => {
            if let Some(allowance_id) = row.allowance_id {
                let allowance = allowance::lock(&mut tx, ctx.company.id, allowance_id).await?;
                let mut balance = allowance.balance();
                balance.refund(Spend {
                    amount: row.amount,
                    from_carryover: row.spent_carryover,
                });
                allowance.store(&mut tx, &balance).await?;
            }
            if is_overtime {
                earn_time_off_in_lieu(&mut tx, &ctx, &row, -1).await?;
            }
            let changed = sqlx::query(
                "UPDATE leave_requests SET status = 'cancelled', decision_reason = COALESCE($1, decision_reason), updated_at = $2 \
                 WHERE company_id = $3 AND id = $4 AND status = 'approved'",
            )
            .bind(reason)
            .bind(now())
            .bind(ctx.company.id)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Err(Error::conflict(
                    code::ALREADY_DECIDED,
                    None,
                    "this request changed meanwhile; try again",
                ));
            }
        }
        RequestStatus::Declined | RequestStatus::Cancelled => {
            return Err(Error::conflict(
                code::ALREADY_DECIDED,
                None,
                "this request is already closed",
            ));
        }
    }
    mail(&mut tx, &ctx, id, LeaveEvent::Cancelled).await?;
    crate::access::audit::record_by(
        &mut tx,
        actor,
        "leave.cancelled",
        Some(("leave_request", id)),
        serde_json::json!({}),
    )
    .await?;
    announce(&mut tx, &ctx, id, Event::LeaveCancelled).await?;
    tx.commit().await?;
    get(db, actor, id).await
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<LeaveRequest> {
    let (row, ctx) = for_change(db, actor, id).await?;
    let show_note = actor.user_id == row.user_id || actor.role >= ctx.leave_type.notes_visible_to;
    row.render(ctx.leave_type.kind, show_note)
}

/// Filters for listing requests.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub user_id: Option<i64>,
    pub status: Option<RequestStatus>,
    pub leave_type_id: Option<i64>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// The requests the actor may see: their own, their staff's (approvers) or everyone's
/// (super users), filtered and paged.
pub async fn list(
    db: &Db,
    actor: &Actor,
    filter: RequestFilter,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<LeaveRequest>> {
    let key = db.cursor_key().await?;
    let page = PageRequest::parse(key, "leave-requests", limit, cursor)?;
    let company = company::load(db.pool(), actor.company_id).await?;
    let mut sql = format!("{SELECT} WHERE company_id = $1 AND id > $2");
    let mut binds = Binds::default();
    if !actor.role.is_super_user() {
        let me = binds.int(actor.user_id);
        sql.push_str(&format!(
            " AND (user_id = {me} OR user_id IN (SELECT id FROM users WHERE company_id = $1 AND \
             (approver_id = {me} OR notifier_2_id = {me} OR notifier_3_id = {me})))"
        ));
    }
    if let Some(user_id) = filter.user_id {
        sql.push_str(&format!(" AND user_id = {}", binds.int(user_id)));
    }
    if let Some(status) = filter.status {
        sql.push_str(&format!(
            " AND status = {}",
            binds.text(status.as_str().into())
        ));
    }
    if let Some(id) = filter.leave_type_id {
        sql.push_str(&format!(" AND leave_type_id = {}", binds.int(id)));
    }
    if let Some(from) = filter.from {
        sql.push_str(&format!(
            " AND end_date >= {}",
            binds.text(from.to_string())
        ));
    }
    if let Some(to) = filter.to {
        sql.push_str(&format!(
            " AND start_date <= {}",
            binds.text(to.to_string())
        ));
    }
    sql.push_str(&format!(" ORDER BY id LIMIT {}", binds.int(page.limit + 1)));
    let query = sqlx::query_as::<_, RequestRow>(sqlx::AssertSqlSafe(sql))
        .bind(actor.company_id)
        .bind(page.after_id);
    let query = binds.bind_all(query);
    let rows = query.fetch_all(db.pool()).await?;
    let rows = page.finish(key, "leave-requests", rows, |r| r.id);
    let types: Vec<LeaveType> = sqlx::query_as("SELECT * FROM leave_types WHERE company_id = $1")
        .bind(company.id)
        .fetch_all(db.pool())
        .await?;
    let mut data = Vec::with_capacity(rows.data.len());
    for row in rows.data {
        let leave_type = types
            .iter()
            .find(|t| t.id == row.leave_type_id)
            .ok_or_else(|| Error::Internal("request of an unknown type".into()))?;
        let show_note = actor.user_id == row.user_id || actor.role >= leave_type.notes_visible_to;
        data.push(row.render(leave_type.kind, show_note)?);
    }
    Ok(Page {
        data,
        next_cursor: rows.next_cursor,
    })
}

/// A message on a request's thread (the When I Work message object).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromRow)]
pub struct Comment {
    pub id: i64,
    pub request_id: i64,
    pub user_id: i64,
    pub content: String,
    #[serde(skip)]
    pub created_at: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentInput {
    #[schema(value_type = crate::openapi::Text2000)]
    pub content: String,
}

/// The request's comment thread, oldest first, in pages.
pub async fn comments(
    db: &Db,
    actor: &Actor,
    request_id: i64,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<Comment>> {
    let key = db.cursor_key().await?;
    let page = PageRequest::parse(key, "comments", limit, cursor)?;
    for_change(db, actor, request_id).await?;
    let rows: Vec<Comment> = sqlx::query_as(
        "SELECT id, request_id, user_id, content, created_at FROM leave_request_comments \
        WHERE company_id = $1 AND request_id = $2 AND id > $3 ORDER BY id LIMIT $4",
    )
    .bind(actor.company_id)
    .bind(request_id)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(db.pool())
    .await?;
    Ok(page.finish(key, "comments", rows, |c| c.id))
}

pub async fn add_comment(
    db: &Db,
    actor: &Actor,
    request_id: i64,
    input: CommentInput,
) -> Result<Comment> {
    for_change(db, actor, request_id).await?;
    let content = validate::required_text("content", &input.content, 2000)?;
    let stamp = now();
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO leave_request_comments (company_id, request_id, user_id, content, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(actor.company_id)
        .bind(request_id)
        .bind(actor.user_id)
        .bind(&content)
        .bind(stamp)
        .fetch_one(&mut *tx)
        .await?;
    crate::access::audit::record_by(
        &mut tx,
        actor,
        "leave.commented",
        Some(("leave_request", request_id)),
        serde_json::json!({"comment_id": id}),
    )
    .await?;
    tx.commit().await?;
    Ok(Comment {
        id,
        request_id,
        user_id: actor.user_id,
        content,
        created_at: stamp,
    })
}
