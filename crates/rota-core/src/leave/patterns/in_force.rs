//! The working week each of a group of people has in force on one day (WhosOff's
//! reporting `work`): an approver's staff, or everyone for a super user, narrowed by the
//! filters of the people list. One query for the list (a page per 200 people), one for
//! everyone's patterns.

use std::collections::HashMap;

use jiff::civil::Date;

use super::weeks_on;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::leave::duration::WeekMinutes;
use crate::people::service::{self, UserFilter};
use crate::people::types::AllowanceUnit;
use crate::policy::{Action, Actor, Reach, Target, may, reach};

/// A person and the week they work on the day asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonWeek {
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    /// The unit their allowance is kept in.
    pub unit: AllowanceUnit,
    /// Their own pattern in force on the day, else the company's, else the office week.
    pub week: WeekMinutes,
}

/// The people of `filter` the actor reports on (the staff they approve for; everyone for
/// a super user) with the week each works on `on` (a `YYYY-MM-DD` day; today when
/// `None`), by last name then first name. Approvers and super users only; an approver
/// naming another approver's staff (`filter.approved_by`) is refused, as their reach is
/// their own staff.
pub async fn in_force(
    db: &Db,
    actor: &Actor,
    mut filter: UserFilter,
    on: Option<&str>,
) -> Result<Vec<PersonWeek>> {
    if !may(
        actor,
        Action::ListMyStaff,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden(
            "only approvers and super users report on working patterns",
        ));
    }
    // The date only once the actor may read the report: permission first.
    let on: Date = match on {
        Some(day) => crate::validate::date("start_date", day)?,
        None => jiff::Zoned::now().date(),
    };
    if let Reach::Related(me) = reach(actor) {
        if filter.approved_by.is_some_and(|approver| approver != me) {
            return Err(Error::forbidden(
                "an approver reports on the staff they approve for, not another approver's",
            ));
        }
        filter.approved_by = Some(me);
    }
    let mut users = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = service::list(
            db,
            actor,
            filter.clone(),
            Some(crate::paging::MAX_LIMIT),
            cursor.as_deref(),
        )
        .await?;
        users.extend(page.data);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let mut conn = db.pool().acquire().await?;
    let ids: Vec<i64> = users.iter().map(|user| user.id).collect();
    let weeks = weeks_on(&mut conn, actor.company_id, &ids, on).await?;
    let departments: HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>(
        "SELECT id, name FROM departments WHERE company_id = $1",
    )
    .bind(actor.company_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let mut people: Vec<PersonWeek> = users
        .into_iter()
        .map(|user| PersonWeek {
            week: weeks.of(user.id),
            department_name: user
                .department_id
                .and_then(|id| departments.get(&id).cloned()),
            user_id: user.id,
            first_name: user.first_name,
            last_name: user.last_name,
            department_id: user.department_id,
            unit: user.allowance_unit,
        })
        .collect();
    people.sort_by(|a, b| {
        (&a.last_name, &a.first_name, a.user_id).cmp(&(&b.last_name, &b.first_name, b.user_id))
    });
    Ok(people)
}
