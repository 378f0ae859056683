//! The Work controller: a user's working pattern, minutes on each weekday from a start
//! date. WhosOff publishes `create`; Rota answers `retrieve` and `del` in its style. A
//! pattern is changed by creating one with the same `start_date`, which replaces it.

use axum::extract::State;
use rota_core::leave::duration::WeekMinutes;
use rota_core::leave::patterns::{self, WorkPattern, WorkPatternInput};
use rota_core::policy::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope, RecordId};
use super::extract::{Body, Caller, Segments};
use crate::AppState;
use crate::compat::lenient::Int;
use crate::compat::paging::all_pages;
use crate::error::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(retrieve))
        .routes(routes!(del))
}

/// `work/create`'s body: minutes 0–1440 for each weekday.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWork {
    user_id: Int,
    /// YYYY-MM-DD.
    start_date: String,
    monday: Int,
    tuesday: Int,
    wednesday: Int,
    thursday: Int,
    friday: Int,
    saturday: Int,
    sunday: Int,
    /// 0 days, 1 hours. Rota keeps the unit on the user (`user/update`); here it is
    /// checked for range only.
    allowance_type_id: Int,
    /// Rota keeps no day labels: only `null` is accepted.
    monday_label: Option<Int>,
    tuesday_label: Option<Int>,
    wednesday_label: Option<Int>,
    thursday_label: Option<Int>,
    friday_label: Option<Int>,
    saturday_label: Option<Int>,
    sunday_label: Option<Int>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkId {
    work_id: i64,
}

/// The minutes (0–1440) worked on each weekday, as the Work, Whosoff and Reporting
/// controllers answer a week.
#[derive(Debug, Serialize, ToSchema)]
pub struct Weekdays {
    monday: i64,
    tuesday: i64,
    wednesday: i64,
    thursday: i64,
    friday: i64,
    saturday: i64,
    sunday: i64,
}

impl From<WeekMinutes> for Weekdays {
    fn from(WeekMinutes(days): WeekMinutes) -> Self {
        let [
            monday,
            tuesday,
            wednesday,
            thursday,
            friday,
            saturday,
            sunday,
        ] = days;
        Self {
            monday,
            tuesday,
            wednesday,
            thursday,
            friday,
            saturday,
            sunday,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkRecord {
    work_id: i64,
    user_id: Option<i64>,
    #[schema(value_type = String, format = Date)]
    start_date: jiff::civil::Date,
    #[serde(flatten)]
    week: Weekdays,
}

impl From<WorkPattern> for WorkRecord {
    fn from(pattern: WorkPattern) -> Self {
        Self {
            week: pattern.week().into(),
            work_id: pattern.id,
            user_id: pattern.user_id,
            start_date: pattern.start_date,
        }
    }
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::from(rota_core::Error::invalid(
        field.to_owned(),
        message.to_owned(),
    ))
}

impl CreateWork {
    /// What the core keeps; labels, which it does not, must be left out.
    fn into_input(self) -> Result<WorkPatternInput, ApiError> {
        if !(0..=1).contains(&self.allowance_type_id.get()) {
            return Err(invalid(
                "allowance_type_id",
                "allowance_type_id must be 0 (days) or 1 (hours)",
            ));
        }
        let labels = [
            ("monday_label", self.monday_label),
            ("tuesday_label", self.tuesday_label),
            ("wednesday_label", self.wednesday_label),
            ("thursday_label", self.thursday_label),
            ("friday_label", self.friday_label),
            ("saturday_label", self.saturday_label),
            ("sunday_label", self.sunday_label),
        ];
        if let Some((field, _)) = labels.iter().find(|(_, label)| label.is_some()) {
            return Err(invalid(
                field,
                "Rota keeps no day labels: send null or leave the label out",
            ));
        }
        Ok(WorkPatternInput {
            start_date: self.start_date,
            monday: self.monday.get(),
            tuesday: self.tuesday.get(),
            wednesday: self.wednesday.get(),
            thursday: self.thursday.get(),
            friday: self.friday.get(),
            saturday: self.saturday.get(),
            sunday: self.sunday.get(),
        })
    }
}

/// Sets a user's pattern from a start date. User level APPROVER: the user's approvers, and
/// super users (WhosOff says SUPER USER; Rota's rule is the native API's).
#[utoipa::path(post, path = "/v4/work/create", tag = "work", request_body = CreateWork,
    responses((status = 200, body = Envelope<WorkId>)))]
async fn create(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<WorkId> {
    // Approvers and super users set patterns; the core then checks this user is theirs.
    caller.may(Action::ListMyStaff)?;
    let body: CreateWork = body.parse()?;
    let user_id = body.user_id.get();
    let input = body.into_input()?;
    let pattern = patterns::add(&state.db, &caller.actor, Some(user_id), input).await?;
    Envelope::ok(WorkId {
        work_id: pattern.id,
    })
}

/// A user's patterns, newest start first. User level STAFF (their own) and up.
#[utoipa::path(get, path = "/v4/work/retrieve/{user_id}", tag = "work",
    params(("user_id" = i64, Path)),
    responses((status = 200, body = Envelope<Vec<WorkRecord>>)))]
async fn retrieve(
    State(state): State<AppState>,
    caller: Caller,
    Segments(user_id): Segments<Int>,
) -> Answer<Vec<WorkRecord>> {
    let (db, actor, user_id) = (&state.db, &caller.actor, user_id.get());
    let patterns = all_pages(|limit, cursor: Option<String>| async move {
        patterns::list(db, actor, Some(user_id), Some(limit), cursor.as_deref()).await
    })
    .await?;
    Envelope::ok(patterns.into_iter().map(Into::into).collect())
}

/// Removes a pattern; the one before it applies again. User level APPROVER: the user's
/// approvers, and super users.
#[utoipa::path(delete, path = "/v4/work/del/{work_id}", tag = "work",
    params(("work_id" = i64, Path)),
    responses((status = 200, body = Envelope<RecordId>)))]
async fn del(
    State(state): State<AppState>,
    caller: Caller,
    Segments(work_id): Segments<Int>,
) -> Answer<RecordId> {
    caller.may(Action::ListMyStaff)?;
    patterns::remove(&state.db, &caller.actor, work_id.get()).await?;
    Envelope::ok(RecordId {
        record_id: work_id.get(),
    })
}
