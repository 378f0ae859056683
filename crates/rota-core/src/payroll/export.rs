//! A payroll period's hours as CSV, in a payroll-import layout: one row per person and
//! type, with a header, written as [`crate::csv`] writes fields (RFC 4180, safe from
//! formulas). The face sends the bytes [`csv`] gives it as they are.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::hours::PayrollHours;
use super::period::{self, PayrollPeriod, may_view};
use crate::company;
use crate::csv::{decimal_hours, field};
use crate::db::Db;
use crate::error::Result;
use crate::policy::Actor;

/// The header row's fields, in order.
pub const COLUMNS: [&str; 10] = [
    "period_start",
    "period_end",
    "user_id",
    "email",
    "name",
    "type",
    "minutes",
    "hours",
    "rate_cents",
    "cost_cents",
];

/// Who a row is about: their e-mail (the employee's key in a payroll import) and name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    pub email: String,
    pub name: String,
}

/// The CSV of `period`'s `hours`, naming each person from `people` (blank for someone
/// not there).
pub fn render(
    period: &PayrollPeriod,
    hours: &[PayrollHours],
    people: &HashMap<i64, Person>,
) -> String {
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    let (start, end) = (period.start_date.to_string(), period.end_date.to_string());
    let nobody = Person::default();
    for row in hours {
        let person = people.get(&row.user_id).unwrap_or(&nobody);
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "{start},{end},{},{},{},{},{},{},{},{}\r\n",
            row.user_id,
            field(&person.email),
            field(&person.name),
            row.kind.as_str(),
            row.minutes,
            decimal_hours(row.minutes),
            row.rate_cents,
            row.cost_cents,
        );
    }
    out
}

/// Period `id`'s hours as CSV (super users): the snapshot once it is closed, else the
/// hours as they stand.
pub async fn csv(db: &Db, actor: &Actor, id: i64) -> Result<String> {
    may_view(actor)?;
    let mut conn = db.pool().acquire().await?;
    let row = period::load(&mut conn, actor.company_id, id).await?;
    let company = company::load(&mut *conn, actor.company_id).await?;
    let hours = period::hours_of(&mut conn, &company, &row).await?;
    let people: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, email, first_name, last_name FROM users WHERE company_id = $1")
            .bind(actor.company_id)
            .fetch_all(&mut *conn)
            .await?;
    let people = people
        .into_iter()
        .map(|(id, email, first, last)| {
            let name = format!("{first} {last}").trim().to_owned();
            (id, Person { email, name })
        })
        .collect();
    Ok(render(&PayrollPeriod::from(&row), &hours, &people))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payroll::{HoursType, PeriodStatus};
    use jiff::civil::date;

    #[test]
    fn one_row_per_person_and_type_under_a_header() {
        let period = PayrollPeriod {
            id: 1,
            start_date: date(2026, 6, 1),
            end_date: date(2026, 6, 30),
            status: PeriodStatus::Closed,
            closed_at: None,
            closed_by: None,
            finalised_at: None,
        };
        let hours = [
            PayrollHours {
                user_id: 7,
                kind: HoursType::Regular,
                minutes: 480,
                rate_cents: 1_250,
                cost_cents: 10_000,
            },
            PayrollHours {
                user_id: 7,
                kind: HoursType::Overtime,
                minutes: 90,
                rate_cents: 1_875,
                cost_cents: 2_813,
            },
            PayrollHours {
                user_id: 8,
                kind: HoursType::Holiday,
                minutes: 450,
                rate_cents: 0,
                cost_cents: 0,
            },
        ];
        let people = HashMap::from([(
            7,
            Person {
                email: "ada@example.test".into(),
                name: "=Ada, L".into(),
            },
        )]);
        assert_eq!(
            render(&period, &hours, &people),
            "period_start,period_end,user_id,email,name,type,minutes,hours,rate_cents,cost_cents\r\n\
             2026-06-01,2026-06-30,7,ada@example.test,\"'=Ada, L\",regular,480,8.00,1250,10000\r\n\
             2026-06-01,2026-06-30,7,ada@example.test,\"'=Ada, L\",overtime,90,1.50,1875,2813\r\n\
             2026-06-01,2026-06-30,8,,,holiday,450,7.50,0,0\r\n"
        );
    }
}
