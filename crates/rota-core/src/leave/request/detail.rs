//! Requests with the names an integration shows beside them (who asked, for whom, their
//! department, the type's name, code and colour), read in two queries for a whole list.
//! The requests come from [`super::get`] or [`super::list`], which decided that the actor
//! may see them; this only names what they hold.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use sqlx::FromRow;

use super::row::LeaveRequest;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::leave::types::LeaveType;
use crate::policy::Actor;
use crate::sql::placeholders;

/// A request and the names around it.
#[derive(Debug, Clone, Serialize)]
pub struct RequestDetail {
    pub request: LeaveRequest,
    pub holder: Person,
    pub requested_by: Person,
    pub leave_type_name: String,
    pub leave_type_code: String,
    pub leave_type_colour: String,
    /// Days before the start after which staff may no longer cancel.
    pub cancellation_period_days: i64,
}

/// A person as a request names them.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Person {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub image_url_small: Option<String>,
    pub image_url_large: Option<String>,
}

/// Names each of `requests`, which belong to the actor's company.
pub async fn describe(
    db: &Db,
    actor: &Actor,
    requests: Vec<LeaveRequest>,
) -> Result<Vec<RequestDetail>> {
    if requests.is_empty() {
        return Ok(Vec::new());
    }
    let ids: BTreeSet<i64> = requests
        .iter()
        .flat_map(|r| [r.user_id, r.requested_by])
        .collect();
    let sql = format!(
        "SELECT u.id, u.first_name, u.last_name, u.department_id, d.name AS department_name, \
         u.image_url_small, u.image_url_large FROM users u LEFT JOIN departments d \
         ON d.company_id = u.company_id AND d.id = u.department_id \
         WHERE u.company_id = $1 AND u.id IN ({})",
        placeholders(2, ids.len())
    );
    let mut query = sqlx::query_as::<_, Person>(sqlx::AssertSqlSafe(sql)).bind(actor.company_id);
    for id in &ids {
        query = query.bind(*id);
    }
    let people: HashMap<i64, Person> = query
        .fetch_all(db.pool())
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let types: HashMap<i64, LeaveType> =
        sqlx::query_as::<_, LeaveType>("SELECT * FROM leave_types WHERE company_id = $1")
            .bind(actor.company_id)
            .fetch_all(db.pool())
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
    let person = |id: i64| {
        people
            .get(&id)
            .cloned()
            .ok_or_else(|| Error::Internal(format!("request names unknown user {id}").into()))
    };
    requests
        .into_iter()
        .map(|request| {
            let leave_type = types
                .get(&request.leave_type_id)
                .ok_or_else(|| Error::Internal("request of an unknown type".into()))?;
            Ok(RequestDetail {
                holder: person(request.user_id)?,
                requested_by: person(request.requested_by)?,
                leave_type_name: leave_type.name.clone(),
                leave_type_code: leave_type.code.clone(),
                leave_type_colour: leave_type.colour.clone(),
                cancellation_period_days: leave_type.cancellation_period_days,
                request,
            })
        })
        .collect()
}
