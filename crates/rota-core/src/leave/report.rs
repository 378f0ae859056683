//! The my-staff report (WhosOff's my-staff call): for the staff an approver covers, or the
//! whole company for a super user, each person's pending requests and allowance figures for
//! this year and next, and the absence statistics a manager looks at over a period.

use std::collections::HashMap;
use std::fmt::Write as _;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::company::{self, Company};
use crate::csv;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::leave::allowance::{self, AllowanceRow, year_rule};
use crate::leave::patterns;
use crate::people::record::UserRecord;
use crate::people::types::AllowanceUnit;
use crate::policy::{Action, Actor, Reach, Target, may, reach};
use crate::validate;

/// Which of the covered staff the report lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StaffFilter {
    #[default]
    All,
    /// Only people with a pending request or overtime.
    WithPending,
    /// Only people with an absence in the period.
    WithLeave,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MyStaffReport {
    pub from: String,
    pub to: String,
    pub staff_overview: Vec<StaffLine>,
    pub overview: Overview,
    pub leave_type_overview: Vec<LeaveTypeLine>,
    pub breakdown_by_leave_type: Vec<Breakdown>,
    pub occurrences_by_duration: Vec<DurationBucket>,
    /// Absence month by month: every month the period touches, in order, with the approved
    /// leave (not overtime) starting in it. An absence spanning two months counts whole in
    /// the month it starts; one starting before `from` is not counted. Absent when the
    /// period touches more than 24 months.
    pub absence_by_month: Option<Vec<MonthAbsence>>,
}

/// One allowance year, as WhosOff names its figures (amounts in the allowance's unit).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct YearFigures {
    /// `days` or `hours`; absent when the year has no allowance yet.
    pub allowance_unit: Option<String>,
    pub opening: i64,
    pub remaining: i64,
    pub pending: i64,
    pub carryover_opening: i64,
    pub carryover_remaining: i64,
    #[schema(value_type = Option<String>)]
    pub carryover_expiry_date: Option<Date>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StaffLine {
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub pending_request: i64,
    pub pending_overtime: i64,
    pub this_year: YearFigures,
    pub next_year: YearFigures,
    /// How the reader relates to this person: their approver slot's role, or `none`.
    pub approver_role: String,
}

/// A person and a figure: who has the most of something.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct Leader {
    pub user_id: Option<i64>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub total: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct Overview {
    pub staff_total: i64,
    pub staff_with_leave_total: i64,
    pub absence_record_total: i64,
    pub most_popular_leave_type_name: Option<String>,
    pub most_popular_leave_type_total: i64,
    pub most_occurrences: Leader,
    /// In hundredths of a day.
    pub most_accumulated_days: Leader,
    /// In minutes.
    pub most_accumulated_hours: Leader,
    /// The longest single absence, in hundredths of a day.
    pub longest_absence_days: Leader,
    /// The longest single absence, in minutes.
    pub longest_absence_hours: Leader,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeaveTypeLine {
    pub leave_type_id: i64,
    pub code: String,
    pub name: String,
    pub colour: String,
    pub occurrences_total: i64,
    pub most_occurrences: Leader,
    pub most_days: Leader,
    pub most_hours: Leader,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Breakdown {
    pub leave_type_id: i64,
    pub name: String,
    pub colour: String,
    pub occurrences: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DurationBucket {
    pub time_span: String,
    pub occurrences: i64,
    pub order_by: i64,
}

/// One person's approved absences of one type in the period, summed by the database.
#[derive(Debug, Clone, FromRow)]
pub struct Record {
    pub user_id: i64,
    pub leave_type_id: i64,
    pub occurrences: i64,
    /// Working days, in hundredths, all absences together.
    pub day_hundredths: i64,
    pub minutes: i64,
    /// The longest single absence.
    pub longest_day_hundredths: i64,
    pub longest_minutes: i64,
    /// Absences per duration bucket, in the order of [`BUCKETS`].
    pub bucket_1: i64,
    pub bucket_2: i64,
    pub bucket_3: i64,
    pub bucket_4: i64,
    pub bucket_5: i64,
}

impl Record {
    fn buckets(&self) -> [i64; 5] {
        [
            self.bucket_1,
            self.bucket_2,
            self.bucket_3,
            self.bucket_4,
            self.bucket_5,
        ]
    }
}

#[derive(Debug, Clone, FromRow)]
struct Person {
    id: i64,
    first_name: String,
    last_name: String,
    approver_id: Option<i64>,
    approver_role: String,
    notifier_2_id: Option<i64>,
    notifier_2_role: String,
    notifier_3_id: Option<i64>,
    notifier_3_role: String,
}

#[derive(Debug, Clone, FromRow)]
struct TypeRow {
    id: i64,
    code: String,
    name: String,
    colour: String,
}

/// The duration buckets, by the most hundredths of a day each holds.
const BUCKETS: [(&str, i64); 5] = [
    ("1 day or less", 100),
    ("2-3 days", 300),
    ("4-5 days", 500),
    ("6 days to 2 weeks", 1000),
    ("over 2 weeks", i64::MAX),
];

/// The statistics over a set of absence records; pure, so tests can check it alone.
pub fn statistics(
    records: &[Record],
    staff_total: i64,
    types: &[(i64, String, String, String)],
    names: &HashMap<i64, (String, String)>,
) -> (
    Overview,
    Vec<LeaveTypeLine>,
    Vec<Breakdown>,
    Vec<DurationBucket>,
) {
    let leader = |totals: &HashMap<i64, i64>| -> Leader {
        // Ties go to the lowest user id, so the report is stable.
        let best = totals.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
        match best {
            Some((user_id, total)) => Leader {
                user_id: Some(*user_id),
                first_name: names.get(user_id).map(|n| n.0.clone()),
                last_name: names.get(user_id).map(|n| n.1.clone()),
                total: *total,
            },
            None => Leader::default(),
        }
    };
    let sum_by = |filter: &dyn Fn(&Record) -> bool, value: &dyn Fn(&Record) -> i64| {
        let mut totals: HashMap<i64, i64> = HashMap::new();
        for record in records.iter().filter(|r| filter(r)) {
            *totals.entry(record.user_id).or_default() += value(record);
        }
        totals
    };
    let max_by = |value: &dyn Fn(&Record) -> i64| {
        let mut totals: HashMap<i64, i64> = HashMap::new();
        for record in records {
            let slot = totals.entry(record.user_id).or_default();
            *slot = (*slot).max(value(record));
        }
        totals
    };
    let everything = |_: &Record| true;
    let occurrences = sum_by(&everything, &|r| r.occurrences);
    let mut per_type: HashMap<i64, i64> = HashMap::new();
    for record in records {
        *per_type.entry(record.leave_type_id).or_default() += record.occurrences;
    }
    let popular = per_type
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
    let overview = Overview {
        staff_total,
        staff_with_leave_total: occurrences.len() as i64,
        absence_record_total: records.iter().map(|r| r.occurrences).sum(),
        most_popular_leave_type_name: popular
            .and_then(|(id, _)| types.iter().find(|t| t.0 == *id))
            .map(|t| t.2.clone()),
        most_popular_leave_type_total: popular.map_or(0, |(_, n)| *n),
        most_occurrences: leader(&occurrences),
        most_accumulated_days: leader(&sum_by(&everything, &|r| r.day_hundredths)),
        most_accumulated_hours: leader(&sum_by(&everything, &|r| r.minutes)),
        longest_absence_days: leader(&max_by(&|r| r.longest_day_hundredths)),
        longest_absence_hours: leader(&max_by(&|r| r.longest_minutes)),
    };
    let mut type_lines = Vec::new();
    let mut breakdown = Vec::new();
    for (id, code, name, colour) in types {
        let of_type = |r: &Record| r.leave_type_id == *id;
        let count = per_type.get(id).copied().unwrap_or(0);
        type_lines.push(LeaveTypeLine {
            leave_type_id: *id,
            code: code.clone(),
            name: name.clone(),
            colour: colour.clone(),
            occurrences_total: count,
            most_occurrences: leader(&sum_by(&of_type, &|r| r.occurrences)),
            most_days: leader(&sum_by(&of_type, &|r| r.day_hundredths)),
            most_hours: leader(&sum_by(&of_type, &|r| r.minutes)),
        });
        if count > 0 {
            breakdown.push(Breakdown {
                leave_type_id: *id,
                name: name.clone(),
                colour: colour.clone(),
                occurrences: count,
            });
        }
    }
    let mut buckets: Vec<DurationBucket> = BUCKETS
        .iter()
        .enumerate()
        .map(|(i, (span, _))| DurationBucket {
            time_span: (*span).to_owned(),
            occurrences: 0,
            order_by: i as i64 + 1,
        })
        .collect();
    for record in records {
        for (bucket, count) in buckets.iter_mut().zip(record.buckets()) {
            bucket.occurrences += count;
        }
    }
    (overview, type_lines, breakdown, buckets)
}

/// One year's figures as of `today`, by the balance rules; the default where the year has
/// no allowance (the type does not deduct).
fn figures(row: Option<&AllowanceRow>, today: Date) -> YearFigures {
    let Some(row) = row else {
        return YearFigures::default();
    };
    let balance = row.balance();
    let live = row.carryover_live_on(today);
    YearFigures {
        allowance_unit: Some(row.unit.as_str().to_owned()),
        opening: balance.opening + balance.adjustments,
        remaining: balance.remaining(live),
        pending: balance.pending,
        carryover_opening: balance.carryover_opening,
        carryover_remaining: if live {
            balance.carryover_remaining()
        } else {
            0
        },
        carryover_expiry_date: row.carryover_expiry,
    }
}

/// A person's Holiday allowance figures for this leave year and the next, as the my-staff
/// report shows them, with what a day is worth in time for them.
#[derive(Debug, Clone)]
pub struct UserBalances {
    /// The unit their allowance is kept in.
    pub unit: AllowanceUnit,
    /// The average working day of their pattern in effect today, in minutes; 0 when that
    /// pattern has no working day.
    pub day_minutes: i64,
    pub this_year: YearFigures,
    pub next_year: YearFigures,
}

/// The [`UserBalances`] of those of `user_ids` whose balances the actor may see
/// (themselves, the staff they approve for, everyone for a super user); the others, and
/// ids of no user in the company, are left out.
pub async fn balances(
    db: &Db,
    actor: &Actor,
    user_ids: &[i64],
) -> Result<HashMap<i64, UserBalances>> {
    if user_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let company = company::load(db.pool(), actor.company_id).await?;
    let records = {
        let mut conn = db.pool().acquire().await?;
        crate::people::service::records_for(
            &mut conn,
            actor,
            &company,
            user_ids,
            Action::ViewBalances,
        )
        .await?
    };
    let records: Vec<&UserRecord> = records.iter().collect();
    balances_of(db, &company, &records).await
}

/// The [`UserBalances`] of `records`, people already read whose balances the reader may
/// see: their working patterns, the Holiday type and its allowances of this and next
/// year, in three statements however many they are.
pub(crate) async fn balances_of(
    db: &Db,
    company: &Company,
    records: &[&UserRecord],
) -> Result<HashMap<i64, UserBalances>> {
    let mut out = HashMap::new();
    if records.is_empty() {
        return Ok(out);
    }
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    let books = {
        let mut conn = db.pool().acquire().await?;
        // A long list reads the company's patterns rather than an IN list of thousands.
        if ids.len() <= patterns::MANY {
            patterns::books(&mut conn, company.id, &ids).await?
        } else {
            patterns::books_of_many(&mut conn, company.id, &ids).await?
        }
    };
    let today = jiff::Zoned::now().date();
    let rule = year_rule(company)?;
    let this_year = rule.year_of(today)?;
    let next_year = rule.next(this_year)?;
    let rows = allowance::holiday_for(db, company, &ids, [this_year, next_year]).await?;
    let by_year: HashMap<(i64, Date), &AllowanceRow> = rows
        .iter()
        .map(|a| ((a.user_id, a.year_start), a))
        .collect();
    let year_of = |user_id: i64, start: Date| by_year.get(&(user_id, start)).copied();
    for record in records {
        let day_minutes = books
            .get(&record.id)
            .map_or(0, |book| book.on(today).average_day());
        out.insert(
            record.id,
            UserBalances {
                unit: AllowanceUnit::from_stored(&record.allowance_unit)?,
                day_minutes,
                this_year: figures(year_of(record.id, this_year), today),
                next_year: figures(year_of(record.id, next_year), today),
            },
        );
    }
    Ok(out)
}

/// The report's period, once the actor may read reports at all: permission first.
fn period(actor: &Actor, from: &str, to: &str) -> Result<(Date, Date)> {
    if !may(
        actor,
        Action::ListMyStaff,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden(
            "only approvers and super users have staff",
        ));
    }
    let from = validate::date("from", from)?;
    let to = validate::date("to", to)?;
    if to < from {
        return Err(Error::invalid("to", "to must not be before from"));
    }
    Ok((from, to))
}

/// The covered staff's approved absence that starts in one month: how many absences and
/// how many working days they take (in hundredths of a day, as each request was charged,
/// public holidays and days off already left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MonthAbsence {
    /// `YYYY-MM`.
    pub month: String,
    pub occurrences: i64,
    pub day_hundredths: i64,
}

/// The most months [`MyStaffReport::absence_by_month`] covers.
pub const MAX_MONTHS: usize = 24;

/// The approved leave of the `covered` people starting in each of `months` (from `from`
/// to `to`).
async fn absence_by_month(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    months: Vec<String>,
    (from, to): (Date, Date),
    covered: &std::collections::HashSet<i64>,
) -> Result<Vec<MonthAbsence>> {
    #[derive(FromRow)]
    struct Started {
        user_id: i64,
        month: String,
        occurrences: i64,
        day_hundredths: i64,
    }
    let started: Vec<Started> = sqlx::query_as(
        "SELECT r.user_id, SUBSTR(r.start_date, 1, 7) AS month, COUNT(*) AS occurrences, \
         CAST(SUM(r.day_hundredths) AS BIGINT) AS day_hundredths \
         FROM leave_requests r \
         JOIN leave_types t ON t.company_id = r.company_id AND t.id = r.leave_type_id \
         WHERE r.company_id = $1 AND r.status = 'approved' AND t.kind = 'leave' \
         AND r.start_date >= $2 AND r.start_date <= $3 \
         GROUP BY r.user_id, SUBSTR(r.start_date, 1, 7)",
    )
    .bind(company_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(by_month(
        months,
        started
            .into_iter()
            .filter(|s| covered.contains(&s.user_id))
            .map(|s| (s.month, s.occurrences, s.day_hundredths)),
    ))
}

/// The months `from` to `to` touch, as `YYYY-MM`; `None` past [`MAX_MONTHS`].
fn months_of(from: Date, to: Date) -> Result<Option<Vec<String>>> {
    let mut months = Vec::new();
    let mut month = from.first_of_month();
    while month <= to {
        if months.len() == MAX_MONTHS {
            return Ok(None);
        }
        months.push(month.strftime("%Y-%m").to_string());
        month = month
            .checked_add(jiff::Span::new().months(1))
            .map_err(|e| Error::Internal(e.to_string().into()))?;
    }
    Ok(Some(months))
}

/// Sums `(month, occurrences, day hundredths)` into `months`, in their order; a figure for
/// a month not listed is dropped.
fn by_month(
    months: Vec<String>,
    figures: impl IntoIterator<Item = (String, i64, i64)>,
) -> Vec<MonthAbsence> {
    let mut out: Vec<MonthAbsence> = months
        .into_iter()
        .map(|month| MonthAbsence {
            month,
            occurrences: 0,
            day_hundredths: 0,
        })
        .collect();
    for (month, occurrences, day_hundredths) in figures {
        if let Some(line) = out.iter_mut().find(|line| line.month == month) {
            line.occurrences += occurrences;
            line.day_hundredths += day_hundredths;
        }
    }
    out
}

/// The SQL condition on `users` (the actor's id bound as `$2`) narrowing people to those an
/// approver covers; nothing for a super user.
fn covered_scope(reach: Reach) -> &'static str {
    match reach {
        Reach::Everyone => "",
        Reach::Related(_) => " AND (approver_id = $2 OR notifier_2_id = $2 OR notifier_3_id = $2)",
    }
}

/// The active people the actor covers: the whole company for a super user; for an approver,
/// those with the actor in an approver slot (a notifier slot does not count). Sorted by last
/// and first name.
async fn covered_people(conn: &mut sqlx::AnyConnection, actor: &Actor) -> Result<Vec<Person>> {
    let reach = reach(actor);
    let scope = covered_scope(reach);
    let people: Vec<Person> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, first_name, last_name, approver_id, approver_role, notifier_2_id, notifier_2_role, notifier_3_id, notifier_3_role \
         FROM users WHERE company_id = $1 AND status = 'active' AND ($2 = $2){scope} ORDER BY last_name, first_name, id"
    )))
    .bind(actor.company_id)
    .bind(actor.user_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(people
        .into_iter()
        .filter(|p| match reach {
            Reach::Everyone => true,
            Reach::Related(me) => [
                (p.approver_id, &p.approver_role),
                (p.notifier_2_id, &p.notifier_2_role),
                (p.notifier_3_id, &p.notifier_3_role),
            ]
            .iter()
            .any(|(id, role)| *id == Some(me) && role.starts_with("approver_")),
        })
        .collect())
}

/// The report over the leave year holding today (WhosOff's `my-staff`, which names no
/// period).
pub async fn my_staff_this_year(
    db: &Db,
    actor: &Actor,
    filter: StaffFilter,
) -> Result<MyStaffReport> {
    let (first, last) = this_leave_year(db, actor).await?;
    my_staff(db, actor, &first.to_string(), &last.to_string(), filter).await
}

/// The first and last day of the company's leave year holding today.
pub async fn this_leave_year(db: &Db, actor: &Actor) -> Result<(Date, Date)> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let rule = year_rule(&company)?;
    let first = rule.year_of(jiff::Zoned::now().date())?;
    Ok((first, rule.last_day(first)?))
}

/// Builds the report over `from..=to` for the staff the actor covers.
pub async fn my_staff(
    db: &Db,
    actor: &Actor,
    from: &str,
    to: &str,
    filter: StaffFilter,
) -> Result<MyStaffReport> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let (from, to) = period(actor, from, to)?;
    let mut conn = db.pool().acquire().await?;
    let reach = reach(actor);
    let scope = covered_scope(reach);
    let people = covered_people(&mut conn, actor).await?;
    let covered: std::collections::HashSet<i64> = people.iter().map(|p| p.id).collect();
    let absence_by_month = match months_of(from, to)? {
        Some(months) => {
            Some(absence_by_month(&mut conn, actor.company_id, months, (from, to), &covered).await?)
        }
        None => None,
    };
    let names: HashMap<i64, (String, String)> = people
        .iter()
        .map(|p| (p.id, (p.first_name.clone(), p.last_name.clone())))
        .collect();

    // Only the covered people's absences, and (a request lasting at most 366 days) only
    // those starting within a year before the period: both keep the index scan short.
    let earliest_start = from
        .checked_sub(jiff::Span::new().days(crate::leave::duration::MAX_DAYS))
        .map_err(|e| Error::Internal(e.to_string().into()))?;
    let covered_clause = if reach == Reach::Everyone {
        String::new()
    } else {
        format!(
            " AND r.user_id IN (SELECT id FROM users WHERE company_id = $1 AND status = 'active'{})",
            scope.replace("$2", "$5")
        )
    };
    // One sum per duration bucket, from the same bounds the statistics name them by.
    let bucket_sums = BUCKETS
        .iter()
        .enumerate()
        .map(|(i, (_, most))| {
            let least = i.checked_sub(1).and_then(|prev| BUCKETS.get(prev)).map_or(-1, |(_, most)| *most);
            format!(
                "CAST(SUM(CASE WHEN r.day_hundredths > {least} AND r.day_hundredths <= {most} THEN 1 ELSE 0 END) AS BIGINT) AS bucket_{}",
                i + 1
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let records: Vec<Record> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT r.user_id, r.leave_type_id, COUNT(*) AS occurrences, \
         CAST(SUM(r.day_hundredths) AS BIGINT) AS day_hundredths, CAST(SUM(r.minutes) AS BIGINT) AS minutes, \
         MAX(r.day_hundredths) AS longest_day_hundredths, MAX(r.minutes) AS longest_minutes, \
         {bucket_sums} \
         FROM leave_requests r \
         JOIN leave_types t ON t.company_id = r.company_id AND t.id = r.leave_type_id \
         WHERE r.company_id = $1 AND r.status = 'approved' AND t.kind = 'leave' AND r.start_date <= $2 AND r.end_date >= $3 \
         AND r.start_date >= $4 AND ($5 = $5){covered_clause} GROUP BY r.user_id, r.leave_type_id"
    )))
    .bind(actor.company_id)
    .bind(to.to_string())
    .bind(from.to_string())
    .bind(earliest_start.to_string())
    .bind(actor.user_id)
    .fetch_all(&mut *conn)
    .await?;
    let records: Vec<Record> = records
        .into_iter()
        .filter(|r| covered.contains(&r.user_id))
        .collect();

    #[derive(FromRow)]
    struct PendingCount {
        user_id: i64,
        kind: String,
        count: i64,
    }
    let pending: Vec<PendingCount> = sqlx::query_as(
        "SELECT r.user_id, t.kind, COUNT(*) AS count FROM leave_requests r \
         JOIN leave_types t ON t.company_id = r.company_id AND t.id = r.leave_type_id \
         WHERE r.company_id = $1 AND r.status = 'pending' GROUP BY r.user_id, t.kind",
    )
    .bind(actor.company_id)
    .fetch_all(&mut *conn)
    .await?;
    let pending: HashMap<(i64, &str), i64> = pending
        .iter()
        .map(|p| ((p.user_id, p.kind.as_str()), p.count))
        .collect();
    let pending_of = |user_id: i64, kind: &str| pending.get(&(user_id, kind)).copied().unwrap_or(0);

    let today = jiff::Zoned::now().date();
    let rule = year_rule(&company)?;
    let this_year = rule.year_of(today)?;
    let next_year = rule.next(this_year)?;
    drop(conn);
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let allowances = allowance::holiday_for(db, &company, &ids, [this_year, next_year]).await?;
    let mut conn = db.pool().acquire().await?;
    let by_year: HashMap<(i64, Date), &AllowanceRow> = allowances
        .iter()
        .map(|a| ((a.user_id, a.year_start), a))
        .collect();
    let year_of = |user_id: i64, start: Date| by_year.get(&(user_id, start)).copied();

    let types: Vec<TypeRow> = sqlx::query_as("SELECT id, code, name, colour FROM leave_types WHERE company_id = $1 AND kind = 'leave' ORDER BY id")
        .bind(actor.company_id)
        .fetch_all(&mut *conn)
        .await?;
    let types: Vec<(i64, String, String, String)> = types
        .into_iter()
        .map(|t| (t.id, t.code, t.name, t.colour))
        .collect();
    let (overview, leave_type_overview, breakdown_by_leave_type, occurrences_by_duration) =
        statistics(&records, people.len() as i64, &types, &names);

    let with_leave: std::collections::HashSet<i64> = records.iter().map(|r| r.user_id).collect();
    let staff_overview = people
        .iter()
        .filter(|p| match filter {
            StaffFilter::All => true,
            StaffFilter::WithPending => {
                pending_of(p.id, "leave") + pending_of(p.id, "overtime") > 0
            }
            StaffFilter::WithLeave => with_leave.contains(&p.id),
        })
        .map(|p| StaffLine {
            user_id: p.id,
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            pending_request: pending_of(p.id, "leave"),
            pending_overtime: pending_of(p.id, "overtime"),
            this_year: figures(year_of(p.id, this_year), today),
            next_year: figures(year_of(p.id, next_year), today),
            approver_role: [
                (p.approver_id, &p.approver_role),
                (p.notifier_2_id, &p.notifier_2_role),
                (p.notifier_3_id, &p.notifier_3_role),
            ]
            .iter()
            .find(|(id, _)| *id == Some(actor.user_id))
            .map_or_else(|| "none".to_owned(), |(_, role)| (*role).clone()),
        })
        .collect();
    Ok(MyStaffReport {
        from: from.to_string(),
        to: to.to_string(),
        staff_overview,
        overview,
        leave_type_overview,
        breakdown_by_leave_type,
        occurrences_by_duration,
        absence_by_month,
    })
}

/// The header of [`staff_csv`].
pub const STAFF_CSV_COLUMNS: [&str; 17] = [
    "user_id",
    "first_name",
    "last_name",
    "pending_requests",
    "pending_overtime",
    "this_year_unit",
    "this_year_entitlement",
    "this_year_pending",
    "this_year_remaining",
    "this_year_carryover_remaining",
    "this_year_carryover_expiry",
    "next_year_unit",
    "next_year_entitlement",
    "next_year_pending",
    "next_year_remaining",
    "next_year_carryover_remaining",
    "next_year_carryover_expiry",
];

/// The report's staff, one row each, as CSV ([`crate::csv`]): pending counts and each
/// year's holiday figures in the allowance's unit as a decimal (`12.50` days, `7.50`
/// hours), blank for a year without an allowance.
pub fn staff_csv(report: &MyStaffReport) -> String {
    let mut out = STAFF_CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    for line in &report.staff_overview {
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "{},{},{},{},{}",
            line.user_id,
            csv::field(&line.first_name),
            csv::field(&line.last_name),
            line.pending_request,
            line.pending_overtime,
        );
        for year in [&line.this_year, &line.next_year] {
            let amount = |value: i64| match year.allowance_unit.as_deref() {
                Some("hours") => csv::decimal_hours(value),
                Some(_) => csv::decimal(value),
                None => String::new(),
            };
            let _ = write!(
                out,
                ",{},{},{},{},{},{}",
                year.allowance_unit.as_deref().unwrap_or(""),
                amount(year.opening),
                amount(year.pending),
                amount(year.remaining),
                amount(year.carryover_remaining),
                year.carryover_expiry_date
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            );
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One absence, as the database would sum it.
    fn record(user_id: i64, leave_type_id: i64, day_hundredths: i64) -> Record {
        let minutes = day_hundredths * 450 / 100;
        let bucket = BUCKETS
            .iter()
            .position(|(_, most)| day_hundredths <= *most)
            .unwrap_or(4);
        let mut buckets = [0; 5];
        buckets[bucket] = 1;
        Record {
            user_id,
            leave_type_id,
            occurrences: 1,
            day_hundredths,
            minutes,
            longest_day_hundredths: day_hundredths,
            longest_minutes: minutes,
            bucket_1: buckets[0],
            bucket_2: buckets[1],
            bucket_3: buckets[2],
            bucket_4: buckets[3],
            bucket_5: buckets[4],
        }
    }

    #[test]
    fn the_staff_csv_writes_each_years_figures_in_its_unit() {
        let line = StaffLine {
            user_id: 7,
            first_name: "=Ann".to_owned(),
            last_name: "Ash, Jr".to_owned(),
            pending_request: 1,
            pending_overtime: 0,
            this_year: YearFigures {
                allowance_unit: Some("days".to_owned()),
                opening: 2500,
                remaining: -50,
                pending: 200,
                carryover_opening: 300,
                carryover_remaining: 150,
                carryover_expiry_date: Some(jiff::civil::date(2026, 3, 31)),
            },
            next_year: YearFigures::default(),
            approver_role: "none".to_owned(),
        };
        let report = MyStaffReport {
            from: "2026-01-01".to_owned(),
            to: "2026-12-31".to_owned(),
            staff_overview: vec![line],
            overview: Overview::default(),
            leave_type_overview: Vec::new(),
            breakdown_by_leave_type: Vec::new(),
            occurrences_by_duration: Vec::new(),
            absence_by_month: None,
        };
        let text = staff_csv(&report);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], STAFF_CSV_COLUMNS.join(","));
        assert_eq!(
            lines[1],
            "7,'=Ann,\"Ash, Jr\",1,0,days,25.00,2.00,-0.50,1.50,2026-03-31,,,,,,"
        );
        assert_eq!(lines[2], "");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn absence_is_summed_into_every_month_of_the_period() {
        let months = months_of(
            jiff::civil::date(2026, 11, 15),
            jiff::civil::date(2027, 2, 1),
        )
        .unwrap()
        .unwrap();
        assert_eq!(months, ["2026-11", "2026-12", "2027-01", "2027-02"]);
        let lines = by_month(
            months,
            [
                ("2026-12".to_owned(), 2, 350),
                ("2026-12".to_owned(), 1, 50),
                ("2027-02".to_owned(), 1, 100),
                ("2025-01".to_owned(), 9, 900),
            ],
        );
        let figures: Vec<(&str, i64, i64)> = lines
            .iter()
            .map(|l| (l.month.as_str(), l.occurrences, l.day_hundredths))
            .collect();
        assert_eq!(
            figures,
            [
                ("2026-11", 0, 0),
                ("2026-12", 3, 400),
                ("2027-01", 0, 0),
                ("2027-02", 1, 100)
            ]
        );
    }

    #[test]
    fn absence_by_month_covers_at_most_two_years() {
        let from = jiff::civil::date(2026, 1, 1);
        assert_eq!(
            months_of(from, jiff::civil::date(2027, 12, 31))
                .unwrap()
                .map(|months| months.len()),
            Some(MAX_MONTHS)
        );
        assert_eq!(
            months_of(from, jiff::civil::date(2028, 1, 1)).unwrap(),
            None
        );
    }

    #[test]
    fn the_statistics_name_who_leads_each_figure() {
        let types = vec![
            (1, "H".to_owned(), "Holiday".to_owned(), "4a90d9".to_owned()),
            (
                2,
                "S".to_owned(),
                "Sickness".to_owned(),
                "d0021b".to_owned(),
            ),
        ];
        let names: HashMap<i64, (String, String)> = [
            (10, ("Ann".to_owned(), "Ash".to_owned())),
            (11, ("Bo".to_owned(), "Birch".to_owned())),
        ]
        .into();
        let records = vec![
            record(10, 1, 100),
            record(10, 1, 50),
            record(11, 1, 1200),
            record(11, 2, 300),
            record(10, 2, 100),
        ];
        let (overview, lines, breakdown, buckets) = statistics(&records, 3, &types, &names);
        assert_eq!(overview.staff_total, 3);
        assert_eq!(overview.staff_with_leave_total, 2);
        assert_eq!(overview.absence_record_total, 5);
        assert_eq!(
            overview.most_popular_leave_type_name.as_deref(),
            Some("Holiday")
        );
        assert_eq!(overview.most_popular_leave_type_total, 3);
        assert_eq!(
            (
                overview.most_occurrences.user_id,
                overview.most_occurrences.total
            ),
            (Some(10), 3)
        );
        assert_eq!(
            (
                overview.most_accumulated_days.user_id,
                overview.most_accumulated_days.total
            ),
            (Some(11), 1500)
        );
        assert_eq!(
            (
                overview.longest_absence_days.last_name.as_deref(),
                overview.longest_absence_days.total
            ),
            (Some("Birch"), 1200)
        );
        assert_eq!(lines[1].most_days.user_id, Some(11));
        assert_eq!(
            breakdown.iter().map(|b| b.occurrences).collect::<Vec<_>>(),
            vec![3, 2]
        );
        assert_eq!(
            buckets.iter().map(|b| b.occurrences).collect::<Vec<_>>(),
            vec![3, 1, 0, 0, 1]
        );
    }

    #[test]
    fn no_records_give_an_empty_overview() {
        let (overview, lines, breakdown, buckets) = statistics(&[], 0, &[], &HashMap::new());
        assert_eq!(overview.absence_record_total, 0);
        assert!(overview.most_occurrences.user_id.is_none());
        assert!(lines.is_empty() && breakdown.is_empty());
        assert_eq!(buckets.len(), 5);
    }
}
