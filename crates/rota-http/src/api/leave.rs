//! Leave: types, requests and their decisions, allowances, working patterns, the leave-year
//! roll and the who's-off calendar.

use axum::Json;
use axum::extract::State;
use rota_core::leave::allowance::{self, AdjustmentInput, Allowance, OpeningInput, RollSummary};
use rota_core::leave::calendar::{self, Calendar, CalendarFilter};
use rota_core::leave::notes::{self, Restriction, RestrictionInput, UserNote, UserNoteInput};
use rota_core::leave::patterns::{self, WorkPattern, WorkPatternInput};
use rota_core::leave::request::{
    self, Comment, CommentInput, Decision, LeaveRequest, LeaveRequestInput, LeaveRequestPatch,
    Quote, RequestFilter, RequestStatus,
};
use rota_core::paging::Page;
use rota_core::validate::optional_date;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::catalogue::catalogue_resource;
use crate::api::page::page_schema;
use crate::api::users::PageQuery;
use crate::error::{ApiResult, CommonErrors, LeaveBookingRefusals, LeaveDecisionRefusals};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Created};

page_schema!(
    /// A page of a request's comments.
    CommentPage,
    Comment
);
page_schema!(
    /// A page of working patterns.
    WorkPatternPage,
    WorkPattern
);
page_schema!(
    /// A page of notes about a user.
    UserNotePage,
    UserNote
);
page_schema!(
    /// A page of a user's restrictions.
    RestrictionPage,
    Restriction
);

catalogue_resource!(
    leave_types,
    rota_core::leave::types::LeaveType,
    rota_core::leave::types::LeaveTypeInput,
    LeaveTypePage,
    "leave",
    "/leave-types",
    "/leave-types/{id}"
);

catalogue_resource!(
    annotations,
    rota_core::leave::annotations::Annotation,
    rota_core::leave::annotations::AnnotationInput,
    AnnotationPage,
    "leave",
    "/annotations",
    "/annotations/{id}"
);

catalogue_resource!(
    company_holidays,
    rota_core::leave::annotations::CompanyHoliday,
    rota_core::leave::annotations::CompanyHolidayInput,
    CompanyHolidayPage,
    "leave",
    "/company-holidays",
    "/company-holidays/{id}"
);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(leave_types::router())
        .merge(annotations::router())
        .merge(company_holidays::router())
        .routes(routes!(list_requests, create_request))
        .routes(routes!(quote))
        .routes(routes!(get_request, edit_request))
        .routes(routes!(approve))
        .routes(routes!(decline))
        .routes(routes!(cancel))
        .routes(routes!(list_comments, add_comment))
        .routes(routes!(allowances))
        .routes(routes!(adjust))
        .routes(routes!(set_opening))
        .routes(routes!(user_patterns, add_user_pattern))
        .routes(routes!(company_patterns, add_company_pattern))
        .routes(routes!(roll_year))
        .routes(routes!(who_is_off))
        .routes(routes!(list_notes, add_note))
        .routes(routes!(list_restrictions, add_restriction))
        .routes(routes!(remove_restriction))
}

/// A page of requests.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "describes the response for the OpenAPI document only"
)]
pub struct LeaveRequestPage {
    data: Vec<LeaveRequest>,
    next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RequestListQuery {
    user_id: Option<i64>,
    status: Option<RequestStatus>,
    leave_type_id: Option<i64>,
    /// Requests ending on or after this date.
    #[param(value_type = Option<rota_core::openapi::Date>)]
    from: Option<String>,
    /// Requests starting on or before this date.
    #[param(value_type = Option<rota_core::openapi::Date>)]
    to: Option<String>,
    #[param(value_type = Option<rota_core::openapi::Limit>)]
    limit: Option<i64>,
    cursor: Option<String>,
}

/// The requests the caller may see: their own, their staff's, or (super users) everyone's.
#[utoipa::path(get, path = "/leave-requests", tag = "leave", security(("bearer" = [])), params(RequestListQuery),
    responses((status = 200, body = LeaveRequestPage), CommonErrors))]
async fn list_requests(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<RequestListQuery>,
) -> ApiResult<Json<Page<LeaveRequest>>> {
    let filter = RequestFilter {
        user_id: query.user_id,
        status: query.status,
        leave_type_id: query.leave_type_id,
        from: optional_date("from", query.from.as_deref())?,
        to: optional_date("to", query.to.as_deref())?,
        ..RequestFilter::default()
    };
    Ok(Json(
        request::list(
            &state.db,
            &auth.actor,
            filter,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

/// Asks for leave (or overtime). Staff ask for themselves; approvers 210 and 220 also for
/// the staff they approve for; super users for anyone. Types that need no approval are
/// approved at once.
#[utoipa::path(post, path = "/leave-requests", tag = "leave", security(("bearer" = [])), request_body = LeaveRequestInput,
    responses((status = 201, body = LeaveRequest), CommonErrors, LeaveBookingRefusals))]
async fn create_request(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<LeaveRequestInput>,
) -> ApiResult<Created<LeaveRequest>> {
    Ok(Created(
        request::create(&state.db, &auth.actor, input).await?,
    ))
}

/// What a request would cost, day by day, and what would remain; nothing is written.
#[utoipa::path(post, path = "/leave-requests/quote", tag = "leave", security(("bearer" = [])), request_body = LeaveRequestInput,
    responses((status = 200, body = Quote), CommonErrors, LeaveBookingRefusals))]
async fn quote(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<LeaveRequestInput>,
) -> ApiResult<Json<Quote>> {
    Ok(Json(request::quote(&state.db, &auth.actor, input).await?))
}

#[utoipa::path(get, path = "/leave-requests/{id}", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = LeaveRequest), CommonErrors))]
async fn get_request(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<LeaveRequest>> {
    Ok(Json(request::get(&state.db, &auth.actor, id).await?))
}

/// Edits a pending request: the requester, approvers 220 for their staff, super users.
/// It is quoted again and checked for overlaps; absent fields keep their values.
#[utoipa::path(patch, path = "/leave-requests/{id}", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = LeaveRequestPatch, responses((status = 200, body = LeaveRequest), CommonErrors, LeaveBookingRefusals))]
async fn edit_request(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<LeaveRequestPatch>,
) -> ApiResult<Json<LeaveRequest>> {
    Ok(Json(
        request::edit(&state.db, &auth.actor, id, patch).await?,
    ))
}

/// Approves a pending request, spending the allowance (409 `insufficient_allowance` when
/// it does not cover it, `understaffed` when the department would fall below its minimum
/// unless a super user overrides, `already_decided`).
#[utoipa::path(post, path = "/leave-requests/{id}/approve", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = Decision, responses((status = 200, body = LeaveRequest), CommonErrors, LeaveDecisionRefusals))]
async fn approve(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(decision): ApiJson<Decision>,
) -> ApiResult<Json<LeaveRequest>> {
    Ok(Json(
        request::approve(&state.db, &auth.actor, id, decision).await?,
    ))
}

/// Declines a pending request; a reason is required.
#[utoipa::path(post, path = "/leave-requests/{id}/decline", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = Decision, responses((status = 200, body = LeaveRequest), CommonErrors, LeaveDecisionRefusals))]
async fn decline(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(decision): ApiJson<Decision>,
) -> ApiResult<Json<LeaveRequest>> {
    Ok(Json(
        request::decline(&state.db, &auth.actor, id, decision).await?,
    ))
}

/// Cancels a pending or approved request; an approved one gives its time back.
#[utoipa::path(post, path = "/leave-requests/{id}/cancel", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = Decision, responses((status = 200, body = LeaveRequest), CommonErrors, LeaveDecisionRefusals))]
async fn cancel(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(decision): ApiJson<Decision>,
) -> ApiResult<Json<LeaveRequest>> {
    Ok(Json(
        request::cancel(&state.db, &auth.actor, id, decision).await?,
    ))
}

/// The request's comment thread, oldest first, in pages.
#[utoipa::path(get, path = "/leave-requests/{id}/comments", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = CommentPage), CommonErrors))]
async fn list_comments(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Comment>>> {
    Ok(Json(
        request::comments(
            &state.db,
            &auth.actor,
            id,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

#[utoipa::path(post, path = "/leave-requests/{id}/comments", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = CommentInput, responses((status = 201, body = Comment), CommonErrors))]
async fn add_comment(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CommentInput>,
) -> ApiResult<Created<Comment>> {
    Ok(Created(
        request::add_comment(&state.db, &auth.actor, id, input).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OnDateQuery {
    /// A day in the leave year to show as "this year"; today when absent.
    #[param(value_type = Option<rota_core::openapi::Date>)]
    date: Option<String>,
}

/// A user's allowances for this leave year and the next, per deducting leave type: opening,
/// adjustments, carry-over (opening, remaining, expiry), taken, pending, remaining and
/// available. Amounts are hundredths of a day (`days`) or minutes (`hours`). A bare array,
/// not a page: the list is bounded by nature (two leave years, one entry per deducting
/// leave type).
#[utoipa::path(get, path = "/users/{id}/allowances", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path), OnDateQuery),
    responses((status = 200, body = Vec<Allowance>), CommonErrors))]
async fn allowances(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<OnDateQuery>,
) -> ApiResult<Json<Vec<Allowance>>> {
    Ok(Json(
        allowance::for_user(&state.db, &auth.actor, id, query.date.as_deref()).await?,
    ))
}

/// Adds to or takes from an allowance, with a reason (super users).
#[utoipa::path(post, path = "/users/{id}/allowances/adjustments", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = AdjustmentInput, responses((status = 200, body = Allowance), CommonErrors))]
async fn adjust(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AdjustmentInput>,
) -> ApiResult<Json<Allowance>> {
    Ok(Json(
        allowance::adjust(&state.db, &auth.actor, id, input).await?,
    ))
}

/// Sets a year's opening entitlement and carry-over outright (super users).
#[utoipa::path(put, path = "/users/{id}/allowances/opening", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = OpeningInput, responses((status = 200, body = Allowance), CommonErrors))]
async fn set_opening(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<OpeningInput>,
) -> ApiResult<Json<Allowance>> {
    Ok(Json(
        allowance::set_opening(&state.db, &auth.actor, id, input).await?,
    ))
}

/// A user's working patterns, newest first, in pages.
#[utoipa::path(get, path = "/users/{id}/work-patterns", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = WorkPatternPage), CommonErrors))]
async fn user_patterns(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<WorkPattern>>> {
    Ok(Json(
        patterns::list(
            &state.db,
            &auth.actor,
            Some(id),
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

/// Adds a working pattern in effect from its start date (super users and the user's approvers).
#[utoipa::path(post, path = "/users/{id}/work-patterns", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = WorkPatternInput, responses((status = 201, body = WorkPattern), CommonErrors))]
async fn add_user_pattern(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<WorkPatternInput>,
) -> ApiResult<Created<WorkPattern>> {
    Ok(Created(
        patterns::add(&state.db, &auth.actor, Some(id), input).await?,
    ))
}

/// The company's default working patterns, for users without their own; newest first, in
/// pages.
#[utoipa::path(get, path = "/company/work-patterns", tag = "leave", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = WorkPatternPage), CommonErrors))]
async fn company_patterns(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<WorkPattern>>> {
    Ok(Json(
        patterns::list(
            &state.db,
            &auth.actor,
            None,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

#[utoipa::path(post, path = "/company/work-patterns", tag = "leave", security(("bearer" = [])),
    request_body = WorkPatternInput, responses((status = 201, body = WorkPattern), CommonErrors))]
async fn add_company_pattern(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<WorkPatternInput>,
) -> ApiResult<Created<WorkPattern>> {
    Ok(Created(
        patterns::add(&state.db, &auth.actor, None, input).await?,
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollInput {
    /// A day in the leave year to roll forward; today when absent.
    #[schema(value_type = Option<rota_core::openapi::Date>)]
    date: Option<String>,
}

/// Rolls a leave year into the next: carry-over for every active user, capped and with its
/// expiry per the company settings. Running it again changes nothing (super users).
#[utoipa::path(post, path = "/leave-years/roll", tag = "leave", security(("bearer" = [])), request_body = RollInput,
    responses((status = 200, body = RollSummary), CommonErrors))]
async fn roll_year(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<RollInput>,
) -> ApiResult<Json<RollSummary>> {
    Ok(Json(
        allowance::roll_year_as(&state.db, &auth.actor, input.date.as_deref()).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// First day, `YYYY-MM-DD`.
    #[param(value_type = rota_core::openapi::Date)]
    from: String,
    /// Last day, at most 366 days after `from`.
    #[param(value_type = rota_core::openapi::Date)]
    to: String,
    department_id: Option<i64>,
    region_id: Option<i64>,
    location_id: Option<i64>,
    user_id: Option<i64>,
    leave_type_id: Option<i64>,
}

/// Who is off, day by day, among the people the caller may see.
#[utoipa::path(get, path = "/calendar", tag = "leave", security(("bearer" = [])), params(CalendarQuery),
    responses((status = 200, body = Calendar), CommonErrors))]
async fn who_is_off(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<CalendarQuery>,
) -> ApiResult<Json<Calendar>> {
    let filter = CalendarFilter {
        department_id: query.department_id,
        region_id: query.region_id,
        location_id: query.location_id,
        user_id: query.user_id,
        leave_type_id: query.leave_type_id,
    };
    Ok(Json(
        calendar::calendar(&state.db, &auth.actor, &query.from, &query.to, filter).await?,
    ))
}

/// Notes about a user for their approvers; restricted notes for super users only. In pages,
/// oldest first.
#[utoipa::path(get, path = "/users/{id}/notes", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = UserNotePage), CommonErrors))]
async fn list_notes(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<UserNote>>> {
    Ok(Json(
        notes::notes(
            &state.db,
            &auth.actor,
            id,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

/// Adds a note about a user (super users).
#[utoipa::path(post, path = "/users/{id}/notes", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = UserNoteInput, responses((status = 201, body = UserNote), CommonErrors))]
async fn add_note(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<UserNoteInput>,
) -> ApiResult<Created<UserNote>> {
    Ok(Created(
        notes::add_note(&state.db, &auth.actor, id, input).await?,
    ))
}

/// The colleagues a user should not be away at the same time as, in pages.
#[utoipa::path(get, path = "/users/{id}/restrictions", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = RestrictionPage), CommonErrors))]
async fn list_restrictions(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Restriction>>> {
    Ok(Json(
        notes::restrictions(
            &state.db,
            &auth.actor,
            id,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

/// Restricts a user against a colleague (and, with `reverse_entry`, the other way round).
#[utoipa::path(post, path = "/users/{id}/restrictions", tag = "leave", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = RestrictionInput, responses((status = 201, body = Vec<Restriction>), CommonErrors))]
async fn add_restriction(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RestrictionInput>,
) -> ApiResult<Created<Vec<Restriction>>> {
    Ok(Created(
        notes::add_restriction(&state.db, &auth.actor, id, input).await?,
    ))
}

#[utoipa::path(delete, path = "/users/{id}/restrictions/{restriction_id}", tag = "leave", security(("bearer" = [])),
    params(("id" = i64, Path), ("restriction_id" = i64, Path)), responses((status = 204, description = "Removed"), CommonErrors))]
async fn remove_restriction(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath((id, restriction_id)): ApiPath<(i64, i64)>,
) -> ApiResult<axum::http::StatusCode> {
    notes::remove_restriction(&state.db, &auth.actor, id, restriction_id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
