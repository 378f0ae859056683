//! The time clock: the company's rounding rules, clocking in and out with breaks, and the
//! time entries managers make, edit, approve and list. Thin handlers over
//! `rota_core::time_clock`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rota_core::paging::Page;
use rota_core::time_clock::{
    self, ClockInInput, ClockOutInput, TimeClockSettings, TimeClockSettingsInput, TimeEntry,
    TimeEntryFilter, TimeEntryInput, TimeEntryPatch,
};
use rota_core::validate::optional_date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, IntoResponses, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::page::page_schema;
use crate::error::{ApiResult, CommonErrors, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Created};

page_schema!(
    /// A page of time entries.
    TimeEntryPage,
    TimeEntry
);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_time_clock, set_time_clock))
        .routes(routes!(clock_in))
        .routes(routes!(clock_out))
        .routes(routes!(start_break))
        .routes(routes!(end_break))
        .routes(routes!(current_time_entry))
        .routes(routes!(list_time_entries, create_time_entry))
        .routes(routes!(get_time_entry, edit_time_entry, delete_time_entry))
        .routes(routes!(approve_time_entry))
        .routes(routes!(unapprove_time_entry))
}

/// Working the clock.
#[derive(IntoResponses)]
pub enum ClockRefusals {
    /// `already_clocked_in`: an entry runs already; `not_clocked_in`: none runs;
    /// `already_on_break`, `not_on_break`; `time_entry_overlap`: the time is inside another
    /// entry of the user; `payroll_period_closed`: the entry's day (the day it started, in
    /// the company's time zone) is in a closed or finalised payroll period.
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// `time_entry_too_long`: clocking out more than 24 hours after clocking in (a manager
    /// sets the end instead); `validation_failed` for a bad value.
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// Making or editing a time entry.
#[derive(IntoResponses)]
pub enum TimeEntryRefusals {
    /// `time_entry_overlap`: the entry shares time with another of the same user;
    /// `already_clocked_in`: the entry would run while another runs; `time_entry_running`:
    /// an approved entry would run again (take the approval back first);
    /// `payroll_period_closed` (naming `start_time`): the entry's day, as it is or as it
    /// would be, is in a closed or finalised payroll period.
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// `end_before_start`, `time_entry_too_long` (over 24 hours), `break_outside_entry`,
    /// `break_overlap`, naming the field; `validation_failed` for any other bad value.
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// Approving a time entry.
#[derive(IntoResponses)]
pub enum ApprovalRefusals {
    /// `time_entry_running`: the entry has not ended; `payroll_period_closed`: its day is
    /// in a closed or finalised payroll period.
    #[response(status = 409)]
    Conflict(ErrorBody),
}

/// Deleting an entry, or taking its approval back.
#[derive(IntoResponses)]
pub enum ClosedPeriodRefusal {
    /// `payroll_period_closed`: the entry's day is in a closed or finalised payroll period.
    #[response(status = 409)]
    Conflict(ErrorBody),
}

/// The company's rounding rules; everyone may read them.
#[utoipa::path(get, path = "/company/time-clock", tag = "time", security(("bearer" = [])),
    responses((status = 200, body = TimeClockSettings), CommonErrors))]
async fn get_time_clock(
    State(state): State<AppState>,
    auth: AuthUser,
) -> ApiResult<Json<TimeClockSettings>> {
    Ok(Json(
        time_clock::settings::get(&state.db, &auth.actor).await?,
    ))
}

/// Sets how clock-ins and clock-outs are rounded (super users). The rules apply to every
/// entry read from now on; stored times never change.
#[utoipa::path(put, path = "/company/time-clock", tag = "time", security(("bearer" = [])),
    request_body = TimeClockSettingsInput,
    responses((status = 200, body = TimeClockSettings), CommonErrors))]
async fn set_time_clock(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<TimeClockSettingsInput>,
) -> ApiResult<Json<TimeClockSettings>> {
    Ok(Json(
        time_clock::settings::set(&state.db, &auth.actor, input).await?,
    ))
}

/// Clocks the caller in now.
#[utoipa::path(post, path = "/times/clock-in", tag = "time", security(("bearer" = [])),
    request_body = ClockInInput,
    responses((status = 201, body = TimeEntry), CommonErrors, ClockRefusals))]
async fn clock_in(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<ClockInInput>,
) -> ApiResult<Created<TimeEntry>> {
    Ok(Created(
        time_clock::clock_in(&state.db, &auth.actor, input).await?,
    ))
}

/// Clocks the caller out now, ending a running break too.
#[utoipa::path(post, path = "/times/clock-out", tag = "time", security(("bearer" = [])),
    request_body = ClockOutInput,
    responses((status = 200, body = TimeEntry), CommonErrors, ClockRefusals))]
async fn clock_out(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<ClockOutInput>,
) -> ApiResult<Json<TimeEntry>> {
    Ok(Json(
        time_clock::clock_out(&state.db, &auth.actor, input).await?,
    ))
}

/// Starts a break in the caller's running entry.
#[utoipa::path(post, path = "/times/breaks/start", tag = "time", security(("bearer" = [])),
    responses((status = 200, body = TimeEntry), CommonErrors, ClockRefusals))]
async fn start_break(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<TimeEntry>> {
    Ok(Json(time_clock::start_break(&state.db, &auth.actor).await?))
}

/// Ends the caller's running break.
#[utoipa::path(post, path = "/times/breaks/end", tag = "time", security(("bearer" = [])),
    responses((status = 200, body = TimeEntry), CommonErrors, ClockRefusals))]
async fn end_break(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<TimeEntry>> {
    Ok(Json(time_clock::end_break(&state.db, &auth.actor).await?))
}

/// The caller's running entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentTimeEntry {
    /// Absent when the caller is not clocked in.
    entry: Option<TimeEntry>,
}

/// The caller's running entry, if they are clocked in.
#[utoipa::path(get, path = "/times/current", tag = "time", security(("bearer" = [])),
    responses((status = 200, body = CurrentTimeEntry), CommonErrors))]
async fn current_time_entry(
    State(state): State<AppState>,
    auth: AuthUser,
) -> ApiResult<Json<CurrentTimeEntry>> {
    Ok(Json(CurrentTimeEntry {
        entry: time_clock::current(&state.db, &auth.actor).await?,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TimeListQuery {
    /// Entries starting on or after this day, in the company's time zone.
    #[param(value_type = Option<rota_core::openapi::Date>)]
    from: Option<String>,
    /// Entries starting on or before this day, in the company's time zone; not before `from`.
    #[param(value_type = Option<rota_core::openapi::Date>)]
    to: Option<String>,
    user_id: Option<i64>,
    location_id: Option<i64>,
    /// Approved entries only (`true`), or unapproved ones only (`false`).
    approved: Option<bool>,
    /// Running entries only (`true`), or finished ones only (`false`).
    open: Option<bool>,
    #[param(value_type = Option<rota_core::openapi::Limit>)]
    limit: Option<i64>,
    cursor: Option<String>,
}

/// The entries the caller may see: their own, those of the people they approve for, or
/// (super users) everyone's; by id.
#[utoipa::path(get, path = "/times", tag = "time", security(("bearer" = [])), params(TimeListQuery),
    responses((status = 200, body = TimeEntryPage), CommonErrors))]
async fn list_time_entries(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<TimeListQuery>,
) -> ApiResult<Json<Page<TimeEntry>>> {
    let filter = TimeEntryFilter {
        from: optional_date("from", query.from.as_deref())?,
        to: optional_date("to", query.to.as_deref())?,
        user_id: query.user_id,
        location_id: query.location_id,
        approved: query.approved,
        open: query.open,
    };
    Ok(Json(
        time_clock::list(
            &state.db,
            &auth.actor,
            filter,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

/// Makes a time entry for someone the caller approves for (super users: anyone).
#[utoipa::path(post, path = "/times", tag = "time", security(("bearer" = [])), request_body = TimeEntryInput,
    responses((status = 201, body = TimeEntry), CommonErrors, TimeEntryRefusals))]
async fn create_time_entry(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<TimeEntryInput>,
) -> ApiResult<Created<TimeEntry>> {
    Ok(Created(
        time_clock::create(&state.db, &auth.actor, input).await?,
    ))
}

#[utoipa::path(get, path = "/times/{id}", tag = "time", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = TimeEntry), CommonErrors))]
async fn get_time_entry(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<TimeEntry>> {
    Ok(Json(time_clock::get(&state.db, &auth.actor, id).await?))
}

/// Edits an entry (its user's approvers and super users), approved ones included; an
/// edit keeps the approval.
#[utoipa::path(patch, path = "/times/{id}", tag = "time", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = TimeEntryPatch,
    responses((status = 200, body = TimeEntry), CommonErrors, TimeEntryRefusals))]
async fn edit_time_entry(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<TimeEntryPatch>,
) -> ApiResult<Json<TimeEntry>> {
    Ok(Json(
        time_clock::edit(&state.db, &auth.actor, id, patch).await?,
    ))
}

#[utoipa::path(delete, path = "/times/{id}", tag = "time", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), CommonErrors, ClosedPeriodRefusal))]
async fn delete_time_entry(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    time_clock::delete(&state.db, &auth.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Approves a finished entry (its user's approvers and super users; nobody their own).
/// Approving an approved entry changes nothing.
#[utoipa::path(post, path = "/times/{id}/approve", tag = "time", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = TimeEntry), CommonErrors, ApprovalRefusals))]
async fn approve_time_entry(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<TimeEntry>> {
    Ok(Json(time_clock::approve(&state.db, &auth.actor, id).await?))
}

/// Takes an entry's approval back.
#[utoipa::path(post, path = "/times/{id}/unapprove", tag = "time", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = TimeEntry), CommonErrors, ClosedPeriodRefusal))]
async fn unapprove_time_entry(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<TimeEntry>> {
    Ok(Json(
        time_clock::unapprove(&state.db, &auth.actor, id).await?,
    ))
}
