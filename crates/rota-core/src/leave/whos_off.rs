//! Who is off, person by person: the people of a group the actor may see, each with the
//! leave they have in a range (whole requests, not days), their type shown or "away" as
//! on the calendar ([`super::calendar`]), and the week they work. For integrations that
//! answer per person (WhosOff's `whosoff/retrieve`); the calendar answers per day.

use jiff::civil::Date;
use serde::Serialize;
use sqlx::FromRow;

use crate::company;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::leave::calendar::{AWAY_COLOUR, earliest_start, requests_of_people};
use crate::leave::duration::{DayPart, WeekMinutes, clock};
use crate::leave::patterns::{MANY, weeks_on};
use crate::leave::request::{Holders, RequestStatus};
use crate::leave::types::LeaveType;
use crate::people::service::visible_scope;
use crate::policy::{Action, Actor, LeaveFacts, Target, may};
use crate::sql::Binds;
use crate::validate;

/// Whose absences, and which.
#[derive(Debug, Clone, Default)]
pub struct WhoFilter {
    /// A group of people; everyone the actor may see when absent.
    pub people: Option<Holders>,
    /// One person.
    pub user_id: Option<i64>,
    /// Any of these types; every type when empty.
    pub leave_type_ids: Vec<i64>,
    /// Only the people who are off in the range; otherwise everyone of the group.
    pub only_off: bool,
}

/// A person and their absences in the range.
#[derive(Debug, Clone, Serialize)]
pub struct PersonOff {
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub image_url_small: Option<String>,
    pub image_url_large: Option<String>,
    /// The week they work on the range's first day.
    pub week: WeekMinutes,
    pub absences: Vec<AbsenceSpan>,
}

/// One request overlapping the range, whole.
#[derive(Debug, Clone, Serialize)]
pub struct AbsenceSpan {
    pub request_id: i64,
    /// Absent where the reader may not see the type.
    pub leave_type_id: Option<i64>,
    /// The type's name, or `Away`.
    pub label: String,
    pub colour: String,
    /// Approved, or pending (shown to those close to the person).
    pub status: RequestStatus,
    pub start_date: Date,
    pub end_date: Date,
    pub start_part: DayPart,
    pub end_part: DayPart,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    /// Working minutes the request covers.
    pub minutes: i64,
}

#[derive(FromRow)]
struct PersonRow {
    id: i64,
    first_name: String,
    last_name: String,
    department_id: Option<i64>,
    department_name: Option<String>,
    image_url_small: Option<String>,
    image_url_large: Option<String>,
    approver_id: Option<i64>,
    notifier_2_id: Option<i64>,
    notifier_3_id: Option<i64>,
}

#[derive(FromRow)]
struct SpanRow {
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
    minutes: i64,
}

/// Who is off from `from` to `to` (inclusive `YYYY-MM-DD`, at most 366 days), person by
/// person, sorted by last and first name.
pub async fn who_is_off(
    db: &Db,
    actor: &Actor,
    from: &str,
    to: &str,
    filter: WhoFilter,
) -> Result<Vec<PersonOff>> {
    let from = validate::date("start_date", from)?;
    let to = validate::date("end_date", to)?;
    if to < from {
        return Err(Error::invalid(
            "end_date",
            "end_date must not be before start_date",
        ));
    }
    if i64::from((to - from).get_days()) >= crate::leave::duration::MAX_DAYS {
        return Err(Error::invalid(
            "end_date",
            "who is off covers at most 366 days at a time",
        ));
    }
    let company = company::load(db.pool(), actor.company_id).await?;
    let visibility = company.settings.colleague_visibility;
    // The people: the same conditions for both queries, each with its own binds.
    let people_where = |binds: &mut Binds| {
        let mut sql = "u.company_id = $1 AND u.status <> 'archived'".to_owned();
        if let Some(scope) = visible_scope(actor, visibility, actor.department_id, "u.", binds) {
            sql.push_str(&format!(" AND ({scope})"));
        }
        if let Some(people) = filter.people {
            sql.push_str(&format!(" AND ({})", people.condition("u.", binds)));
        }
        if let Some(id) = filter.user_id {
            sql.push_str(&format!(" AND u.id = {}", binds.int(id)));
        }
        sql
    };
    let mut conn = db.pool().acquire().await?;

    let mut binds = Binds::after(1);
    // Sorted by an expression (`|| ''`), which no index holds: left to choose, SQLite walks
    // the company's index by last name, reading everyone to find a department's forty.
    let sql = format!(
        "SELECT u.id, u.first_name, u.last_name, u.department_id, d.name AS department_name, \
         u.image_url_small, u.image_url_large, u.approver_id, u.notifier_2_id, u.notifier_3_id \
         FROM users u LEFT JOIN departments d ON d.company_id = u.company_id AND d.id = u.department_id \
         WHERE {} ORDER BY u.last_name || '', u.first_name, u.id",
        people_where(&mut binds)
    );
    let query = sqlx::query_as::<_, PersonRow>(sqlx::AssertSqlSafe(sql)).bind(actor.company_id);
    let people = binds.bind_all(query).fetch_all(&mut *conn).await?;

    let ids: Vec<i64> = people.iter().map(|person| person.id).collect();
    let mut binds = Binds::after(3);
    let earliest = earliest_start(from)?.to_string();
    // Each person's absences in order of start (not everyone's in one order).
    let (whose, order) = if ids.len() <= MANY {
        // By the ids in hand, in the order of the (company, user, start) index, which
        // each engine then reads person by person. Ordered by start alone, SQLite (which
        // plans without statistics) would walk the company's date index instead.
        let whose = format!(
            "FROM leave_requests r WHERE r.company_id = $1 AND r.user_id IN ({}) AND",
            binds.ints(&ids)
        );
        (whose, "r.user_id, r.start_date, r.id")
    } else {
        let narrowed = filter.people.is_some() || filter.user_id.is_some();
        let whose = format!(
            "{} {} AND",
            requests_of_people(narrowed),
            people_where(&mut binds)
        );
        (whose, "r.start_date, r.id")
    };
    let mut sql = format!(
        "SELECT r.id, r.user_id, r.leave_type_id, r.start_date, r.end_date, r.start_part, r.end_part, \
         r.start_minute, r.end_minute, r.status, r.minutes {whose} \
         r.company_id = $1 AND r.end_date >= $2 AND r.start_date <= $3 AND r.start_date >= {} \
         AND r.status IN ('approved', 'pending')",
        binds.text(earliest)
    );
    if !filter.leave_type_ids.is_empty() {
        let types = binds.ints(&filter.leave_type_ids);
        sql.push_str(&format!(" AND r.leave_type_id IN ({types})"));
    }
    sql.push_str(&format!(" ORDER BY {order}"));
    let query = sqlx::query_as::<_, SpanRow>(sqlx::AssertSqlSafe(sql))
        .bind(actor.company_id)
        .bind(from.to_string())
        .bind(to.to_string());
    let spans = binds.bind_all(query).fetch_all(&mut *conn).await?;

    let types: Vec<LeaveType> = sqlx::query_as("SELECT * FROM leave_types WHERE company_id = $1")
        .bind(actor.company_id)
        .fetch_all(&mut *conn)
        .await?;
    let weeks = weeks_on(&mut conn, actor.company_id, &ids, from).await?;

    let mut answer = Vec::with_capacity(people.len());
    for person in people {
        let watchers = [
            person.approver_id,
            person.notifier_2_id,
            person.notifier_3_id,
        ];
        let mut absences = Vec::new();
        for span in spans.iter().filter(|s| s.user_id == person.id) {
            let leave_type = types
                .iter()
                .find(|t| t.id == span.leave_type_id)
                .ok_or_else(|| Error::Internal("absence of an unknown type".into()))?;
            let leave = LeaveFacts {
                watchers,
                ..leave_type.leave_of(person.id)
            };
            let status = span.status;
            // Pending requests only for those who see the person's leave in detail, as on
            // the calendar.
            if status == RequestStatus::Pending
                && !may(actor, Action::ViewLeave, Target::Leave(&leave))
            {
                continue;
            }
            let shown =
                may(actor, Action::SeeLeaveType, Target::Leave(&leave)).then_some(leave_type);
            absences.push(AbsenceSpan {
                request_id: span.id,
                leave_type_id: shown.map(|t| t.id),
                label: shown.map_or_else(|| "Away".to_owned(), |t| t.name.clone()),
                colour: shown.map_or_else(|| AWAY_COLOUR.to_owned(), |t| t.colour.clone()),
                status,
                start_date: span.start_date,
                end_date: span.end_date,
                start_part: span.start_part,
                end_part: span.end_part,
                start_time: span.start_minute.map(clock),
                end_time: span.end_minute.map(clock),
                minutes: span.minutes,
            });
        }
        if filter.only_off && absences.is_empty() {
            continue;
        }
        answer.push(PersonOff {
            user_id: person.id,
            first_name: person.first_name,
            last_name: person.last_name,
            department_id: person.department_id,
            department_name: person.department_name,
            image_url_small: person.image_url_small,
            image_url_large: person.image_url_large,
            week: weeks.of(person.id),
            absences,
        });
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::settings;
    use crate::people::record::UserRecord;
    use crate::signup::{self, CompanyForCreate};

    /// Who is off reads the absences by the ids of the people it found, up to [`MANY`],
    /// and through the people's conditions again beyond: both answer alike.
    #[tokio::test]
    async fn a_few_people_and_more_than_many_find_the_same_absences() {
        let scratch = crate::testing::scratch_database()
            .await
            .expect("scratch database");
        let db = &scratch.db;
        let created = signup::create_company(
            db,
            CompanyForCreate {
                name: "Many Ltd".into(),
                time_zone: None,
                holiday_country: None,
                owner_email: "owner@many.test".into(),
                owner_password: "a long enough password".into(),
                owner_first_name: None,
                owner_last_name: None,
            },
        )
        .await
        .expect("company");
        let company_id = created.company_id;
        let department: i64 = sqlx::query_scalar(
            "INSERT INTO departments (company_id, name, min_user, created_at, updated_at) \
             VALUES ($1, 'Few', 0, 0, 0) RETURNING id",
        )
        .bind(company_id)
        .fetch_one(db.pool())
        .await
        .expect("department");
        let mut tx = db.begin_write().await.expect("tx");
        let mut ids = Vec::new();
        for n in 0..=MANY {
            let mut user = UserRecord::new(
                company_id,
                format!("p{n}@many.test"),
                "Pat".into(),
                format!("Person {n:04}"),
                0,
            );
            user.department_id = (n < 3).then_some(department);
            ids.push(user.insert(&mut tx).await.expect("user"));
        }
        let holiday: i64 = sqlx::query_scalar(
            "SELECT id FROM leave_types WHERE company_id = $1 AND kind = 'leave' AND code = 'H'",
        )
        .bind(company_id)
        .fetch_one(&mut *tx)
        .await
        .expect("holiday");
        // One person in the department off over the range's start, one outside it on its
        // last day; a request ended before the range is not found.
        for (user_id, start, end) in [
            (ids[1], "2030-05-30", "2030-06-03"),
            (ids[400], "2030-06-30", "2030-06-30"),
            (ids[1], "2030-05-01", "2030-05-02"),
        ] {
            sqlx::query(
                "INSERT INTO leave_requests (company_id, user_id, leave_type_id, start_date, end_date, start_part, \
                 end_part, amount, unit, minutes, day_hundredths, spent_carryover, status, requested_by, created_at, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, 'full', 'full', 100, 'days', 450, 100, 0, 'approved', $2, 0, 0)",
            )
            .bind(company_id)
            .bind(user_id)
            .bind(holiday)
            .bind(start)
            .bind(end)
            .execute(&mut *tx)
            .await
            .expect("request");
        }
        tx.commit().await.expect("commit");
        let owner = settings::operator(db, company_id).await.expect("owner");
        let off = |filter: WhoFilter| async {
            let found = who_is_off(db, &owner, "2030-06-01", "2030-06-30", filter)
                .await
                .expect("who is off");
            let people = found.len();
            let spans: Vec<(i64, Date, Date)> = (found.into_iter())
                .flat_map(|p| {
                    p.absences
                        .into_iter()
                        .map(move |a| (p.user_id, a.start_date, a.end_date))
                })
                .collect();
            (people, spans)
        };
        let (everyone, spans) = off(WhoFilter::default()).await;
        assert!(everyone > MANY, "{everyone}");
        let day = |text: &str| validate::date("day", text).expect("date");
        assert_eq!(
            spans,
            [
                (ids[1], day("2030-05-30"), day("2030-06-03")),
                (ids[400], day("2030-06-30"), day("2030-06-30")),
            ]
        );
        let few = WhoFilter {
            people: Some(Holders::Department(department)),
            leave_type_ids: vec![holiday],
            ..WhoFilter::default()
        };
        let (three, spans) = off(few).await;
        assert_eq!(three, 3);
        assert_eq!(spans, [(ids[1], day("2030-05-30"), day("2030-06-03"))]);
    }
}
