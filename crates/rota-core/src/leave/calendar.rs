//! Who's off: per day, who is away, for which part of the day, in their type's colour, or
//! just "away" where the reader may not see the type; and the public holidays.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::company;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::leave::annotations::{Annotation, AnnotationKind};
use crate::leave::duration::{DayPart, clock};
use crate::leave::request::RequestStatus;
use crate::leave::types::LeaveType;
use crate::people::service::visible_scope;
use crate::policy::{Action, Actor, LeaveFacts, Target, may};
use crate::sql::Binds;
use crate::validate;

/// Filters for the calendar.
#[derive(Debug, Clone, Default)]
pub struct CalendarFilter {
    pub department_id: Option<i64>,
    pub region_id: Option<i64>,
    pub location_id: Option<i64>,
    pub user_id: Option<i64>,
    pub leave_type_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Calendar {
    #[schema(value_type = String)]
    pub from: Date,
    #[schema(value_type = String)]
    pub to: Date,
    pub days: Vec<CalendarDay>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CalendarDay {
    #[schema(value_type = String)]
    pub date: Date,
    pub absences: Vec<Absence>,
    /// Public holidays of the company's country, with the company's own days.
    pub holidays: Vec<String>,
    /// Business closures, no-time-off days and announcements covering the day.
    pub annotations: Vec<DayAnnotation>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DayAnnotation {
    pub id: i64,
    pub kind: AnnotationKind,
    pub title: String,
    pub colour: String,
    pub location_id: Option<i64>,
    pub department_id: Option<i64>,
}

/// One person away on one day.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Absence {
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub department_id: Option<i64>,
    pub request_id: i64,
    pub part: DayPart,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    /// `approved`, or `pending` (shown to the person and their approvers).
    pub status: String,
    /// Absent where the reader may not see the type.
    pub leave_type_id: Option<i64>,
    /// The type's name, or `Away`.
    pub label: String,
    pub colour: String,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    user_id: i64,
    leave_type_id: i64,
    #[sqlx(try_from = "crate::stored::Day")]
    start_date: Date,
    #[sqlx(try_from = "crate::stored::Day")]
    end_date: Date,
    #[sqlx(try_from = "String")]
    start_part: DayPart,
    #[sqlx(try_from = "String")]
    end_part: DayPart,
    start_minute: Option<i64>,
    end_minute: Option<i64>,
    #[sqlx(try_from = "String")]
    status: RequestStatus,
    first_name: String,
    last_name: String,
    department_id: Option<i64>,
    approver_id: Option<i64>,
    notifier_2_id: Option<i64>,
    notifier_3_id: Option<i64>,
}

pub(crate) const AWAY_COLOUR: &str = "cccccc";

/// The earliest start of a request that can reach `from`: a request is at most 366 days
/// long, so its start lies within a year before. Bounding the start keeps a scan of the
/// date index short.
pub(crate) fn earliest_start(from: Date) -> Result<Date> {
    from.checked_sub(jiff::Span::new().days(crate::leave::duration::MAX_DAYS))
        .map_err(|e| Error::Internal(e.to_string().into()))
}

/// The `FROM` of a read of requests `r` with their holders `u`, up to the `WHERE` (which
/// it may have begun; the caller continues it with a condition). With a filter that
/// narrows the people (`narrowed`: a department, say), it starts from them and reads each
/// one's requests by the (user, date) index; SQLite would otherwise walk the whole
/// company's date range and drop most rows. `CROSS JOIN` fixes that order in SQLite; to
/// PostgreSQL it is an ordinary join that its planner orders itself.
pub(crate) fn requests_of_people(narrowed: bool) -> &'static str {
    if narrowed {
        "FROM users u CROSS JOIN leave_requests r WHERE r.company_id = u.company_id AND r.user_id = u.id AND u.company_id = $1 AND"
    } else {
        "FROM leave_requests r JOIN users u ON u.company_id = r.company_id AND u.id = r.user_id WHERE"
    }
}

pub async fn calendar(
    db: &Db,
    actor: &Actor,
    from: &str,
    to: &str,
    filter: CalendarFilter,
) -> Result<Calendar> {
    let from = validate::date("from", from)?;
    let to = validate::date("to", to)?;
    if to < from {
        return Err(Error::invalid("to", "to must not be before from"));
    }
    if i64::from((to - from).get_days()) >= crate::leave::duration::MAX_DAYS {
        return Err(Error::invalid(
            "to",
            "the calendar covers at most 366 days at a time",
        ));
    }
    let company = company::load(db.pool(), actor.company_id).await?;
    let visibility = company.settings.colleague_visibility;
    let mut conn = db.pool().acquire().await?;
    let earliest_start = earliest_start(from)?;
    let mut binds = Binds::default();
    let narrowed = filter.department_id.is_some()
        || filter.region_id.is_some()
        || filter.location_id.is_some()
        || filter.user_id.is_some();
    let from_clause = requests_of_people(narrowed);
    let mut sql = format!(
        "SELECT r.id, r.user_id, r.leave_type_id, r.start_date, r.end_date, r.start_part, r.end_part, r.start_minute, \
         r.end_minute, r.status, u.first_name, u.last_name, u.department_id, u.approver_id, u.notifier_2_id, u.notifier_3_id \
         {from_clause} r.company_id = $1 AND r.end_date >= $2 AND u.status <> 'archived' AND r.status IN ('approved', 'pending')",
    );
    sql.push_str(&format!(
        " AND r.start_date <= {} AND r.start_date >= {}",
        binds.text(to.to_string()),
        binds.text(earliest_start.to_string())
    ));
    if let Some(scope) = visible_scope(actor, visibility, actor.department_id, "u.", &mut binds) {
        sql.push_str(&format!(" AND ({scope})"));
    }
    if let Some(id) = filter.department_id {
        sql.push_str(&format!(" AND u.department_id = {}", binds.int(id)));
    }
    if let Some(id) = filter.region_id {
        sql.push_str(&format!(" AND u.region_id = {}", binds.int(id)));
    }
    if let Some(id) = filter.location_id {
        sql.push_str(&format!(
            " AND u.id IN (SELECT user_id FROM user_locations WHERE company_id = $1 AND location_id = {})",
            binds.int(id)
        ));
    }
    if let Some(id) = filter.user_id {
        sql.push_str(&format!(" AND r.user_id = {}", binds.int(id)));
    }
    if let Some(id) = filter.leave_type_id {
        sql.push_str(&format!(" AND r.leave_type_id = {}", binds.int(id)));
    }
    sql.push_str(" ORDER BY u.last_name, u.first_name, r.user_id, r.start_date");
    let query = sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql))
        .bind(actor.company_id)
        .bind(from.to_string());
    let rows = binds.bind_all(query).fetch_all(&mut *conn).await?;
    let types: Vec<LeaveType> = sqlx::query_as("SELECT * FROM leave_types WHERE company_id = $1")
        .bind(actor.company_id)
        .fetch_all(&mut *conn)
        .await?;

    let holidays = crate::leave::days_off::holidays(
        &mut conn,
        company.id,
        company.holiday_country.as_deref(),
        None,
        from,
        to,
    )
    .await?;
    let annotations: Vec<Annotation> = sqlx::query_as("SELECT * FROM annotations WHERE company_id = $1 AND start_date <= $2 AND end_date >= $3 ORDER BY start_date, id")
        .bind(actor.company_id)
        .bind(to.to_string())
        .bind(from.to_string())
        .fetch_all(&mut *conn)
        .await?;
    let mut days = Vec::new();
    let mut date = from;
    loop {
        let mut absences = Vec::new();
        for row in rows
            .iter()
            .filter(|r| r.start_date <= date && r.end_date >= date)
        {
            let leave_type = types
                .iter()
                .find(|t| t.id == row.leave_type_id)
                .ok_or_else(|| Error::Internal("absence of an unknown type".into()))?;
            let leave = LeaveFacts {
                watchers: [row.approver_id, row.notifier_2_id, row.notifier_3_id],
                ..leave_type.leave_of(row.user_id)
            };
            // Pending requests only for those who see the requester's leave in detail.
            if row.status == RequestStatus::Pending
                && !may(actor, Action::ViewLeave, Target::Leave(&leave))
            {
                continue;
            }
            let shown =
                may(actor, Action::SeeLeaveType, Target::Leave(&leave)).then_some(leave_type);
            absences.push(Absence {
                user_id: row.user_id,
                first_name: row.first_name.clone(),
                last_name: row.last_name.clone(),
                department_id: row.department_id,
                request_id: row.id,
                part: DayPart::on_day(
                    row.start_part,
                    row.end_part,
                    date == row.start_date,
                    date == row.end_date,
                ),
                start_time: row.start_minute.map(clock),
                end_time: row.end_minute.map(clock),
                status: row.status.as_str().to_owned(),
                leave_type_id: shown.map(|t| t.id),
                label: shown.map_or_else(|| "Away".to_owned(), |t| t.name.clone()),
                colour: shown.map_or_else(|| AWAY_COLOUR.to_owned(), |t| t.colour.clone()),
            });
        }
        days.push(CalendarDay {
            holidays: holidays
                .iter()
                .filter(|(d, _)| *d == date)
                .map(|(_, name)| name.clone())
                .collect(),
            annotations: annotations
                .iter()
                .filter(|a| a.start_date <= date && a.end_date >= date)
                .map(|a| DayAnnotation {
                    id: a.id,
                    kind: a.kind,
                    title: a.title.clone(),
                    colour: a.colour.clone(),
                    location_id: a.location_id,
                    department_id: a.department_id,
                })
                .collect(),
            date,
            absences,
        });
        if date == to {
            break;
        }
        date = date
            .tomorrow()
            .map_err(|e| Error::Internal(e.to_string().into()))?;
    }
    Ok(Calendar { from, to, days })
}
