//! The Reporting controller: `work`, the week each person works (minutes per weekday,
//! and their total) as in force on a day, over `rota_core::leave::patterns::in_force`.
//! The map types and user statuses are `user/retrieve`'s.

use axum::extract::State;
use rota_core::leave::patterns::{self, PersonWeek};
use rota_core::policy::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope};
use super::extract::{Body, Caller};
use super::leave::allowance_type_id;
use super::user::user_map;
use super::work::Weekdays;
use crate::AppState;
use crate::compat::lenient::Int;

/// The controller's call: a report, read with a `POST`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(work))
}

/// `reporting/work`'s body; every field may be left out or `null`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkReportBody {
    /// `YYYY-MM-DD`: the day whose patterns are answered; today when left out.
    start_date: Option<String>,
    /// Company 0 (the default), department 1, tag 2, staff 3, my staff 4, by approver 5,
    /// as `user/retrieve` has them.
    map_type_id: Option<Int>,
    /// The department, tag, user or approver of map types 1, 2, 3 and 5.
    map_id: Option<Int>,
    /// Disabled 0, active 1 (the default), both 99.
    user_status_id: Option<Int>,
}

/// A person's week, in minutes.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkLine {
    user_id: i64,
    first_name: String,
    last_name: String,
    department_name: Option<String>,
    /// Days 0, hours 1: how the person's allowance is kept.
    allowance_type_id: i64,
    #[serde(flatten)]
    week: Weekdays,
    /// The week's minutes.
    total: i64,
}

impl From<PersonWeek> for WorkLine {
    fn from(person: PersonWeek) -> Self {
        Self {
            user_id: person.user_id,
            first_name: person.first_name,
            last_name: person.last_name,
            department_name: person.department_name,
            allowance_type_id: allowance_type_id(person.unit),
            total: person.week.0.iter().sum(),
            week: person.week.into(),
        }
    }
}

/// The week each person of a map works, as in force on `start_date`: their own pattern,
/// else the company's, else the office week (7 h 30 Monday to Friday). Approvers get the
/// staff they approve for, super users everyone. User level APPROVER.
#[utoipa::path(post, path = "/v4/reporting/work", tag = "reporting", request_body = WorkReportBody,
    responses((status = 200, body = Envelope<Vec<WorkLine>>)))]
async fn work(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<Vec<WorkLine>> {
    caller.may(Action::ListMyStaff)?;
    let body: WorkReportBody = body.parse()?;
    let (db, actor) = (&state.db, &caller.actor);
    let map = user_map(
        db,
        actor,
        body.map_type_id,
        body.map_id,
        ("user_status_id", body.user_status_id),
    )
    .await?;
    let people =
        patterns::in_force(db, actor, map.filter.clone(), body.start_date.as_deref()).await?;
    let people = map.found(db, actor, people).await?;
    Envelope::ok(people.into_iter().map(WorkLine::from).collect())
}
