//! Shifts: the schedule of a location, built, published and read; each shift's history.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rota_core::paging::Page;
use rota_core::schedule::open_requests::OpenShiftRequest;
use rota_core::schedule::{
    self, CopySummary, CopyWeekInput, DeleteShiftsInput, DeleteSummary, HistoryEntry, Release,
    ReleaseInput, ReleaseSummary, Shift, ShiftFilter, ShiftInput, ShiftPatch, SwapCandidates,
    Taken,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::page::page_schema;
use crate::api::users::PageQuery;
use crate::error::{ApiResult, CommonErrors, ShiftRefusals, TakeRefusals};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Created};

page_schema!(
    /// A page of shifts.
    ShiftPage,
    Shift
);
page_schema!(
    /// A page of a shift's history.
    ShiftHistoryPage,
    HistoryEntry
);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_shifts, create_shift))
        .routes(routes!(create_shifts))
        .routes(routes!(delete_shifts))
        .routes(routes!(copy_week))
        .routes(routes!(publish))
        .routes(routes!(unpublish))
        .routes(routes!(get_shift, edit_shift, delete_shift))
        .routes(routes!(acknowledge))
        .routes(routes!(take))
        .routes(routes!(swap_candidates))
        .routes(routes!(shift_history))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ShiftListQuery {
    /// Shifts that end after this instant (RFC 3339).
    #[param(value_type = Option<rota_core::openapi::Instant>)]
    from: Option<String>,
    /// Shifts that start before this instant (RFC 3339), after `from`.
    #[param(value_type = Option<rota_core::openapi::Instant>)]
    to: Option<String>,
    location_id: Option<i64>,
    user_id: Option<i64>,
    position_id: Option<i64>,
    site_id: Option<i64>,
    /// Only published shifts (true) or only drafts (false).
    published: Option<bool>,
    /// Only shifts nobody holds.
    open_only: Option<bool>,
    #[param(value_type = Option<rota_core::openapi::Limit>)]
    limit: Option<i64>,
    cursor: Option<String>,
}

/// The shifts the caller may see, by id: the published ones, and the drafts of the people
/// (and open shifts) they manage; staff do not see drafts, their own included.
#[utoipa::path(get, path = "/shifts", tag = "schedule", security(("bearer" = [])), params(ShiftListQuery),
    responses((status = 200, body = ShiftPage), CommonErrors))]
async fn list_shifts(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<ShiftListQuery>,
) -> ApiResult<Json<Page<Shift>>> {
    let filter = ShiftFilter {
        from: query.from,
        to: query.to,
        location_id: query.location_id,
        user_id: query.user_id,
        position_id: query.position_id,
        site_id: query.site_id,
        published: query.published,
        open_only: query.open_only.unwrap_or(false),
    };
    Ok(Json(
        schedule::list(
            &state.db,
            &auth.actor,
            &filter,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

/// Makes a shift (approvers for the staff they approve for and open shifts, super users
/// for anyone), from `starts_at` and `ends_at`, or from a template (`template_id` and
/// `date`: its times on that date in the location's zone, and its position, site,
/// breaks, colour and notes where the shift gives none; 404 `template_id` for an
/// unknown one, 422 `date` without one). Giving it to someone who has another shift then, approved leave or a
/// business-closed day on it is refused unless `override` is true, or saved with the
/// conflict in `warnings` where the company's schedule settings make it a warning.
#[utoipa::path(post, path = "/shifts", tag = "schedule", security(("bearer" = [])), request_body = ShiftInput,
    responses((status = 201, body = Shift), CommonErrors, ShiftRefusals))]
async fn create_shift(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<ShiftInput>,
) -> ApiResult<Created<Shift>> {
    Ok(Created(
        schedule::create(&state.db, &auth.actor, input).await?,
    ))
}

/// Makes 1 to 500 shifts at once, all or none; an error names its item (`[2].ends_at`).
#[utoipa::path(post, path = "/shifts/bulk", tag = "schedule", security(("bearer" = [])),
    request_body(content = Vec<ShiftInput>, description = "1 to 500 shifts"),
    responses((status = 201, body = Vec<Shift>), CommonErrors, ShiftRefusals))]
async fn create_shifts(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(inputs): ApiJson<Vec<ShiftInput>>,
) -> ApiResult<Created<Vec<Shift>>> {
    Ok(Created(
        schedule::create_many(&state.db, &auth.actor, inputs).await?,
    ))
}

/// Deletes the shifts starting in a range (at most 366 days), at a location and/or of a
/// user, that the caller manages. Their history stays readable.
#[utoipa::path(post, path = "/shifts/bulk-delete", tag = "schedule", security(("bearer" = [])), request_body = DeleteShiftsInput,
    responses((status = 200, body = DeleteSummary), CommonErrors))]
async fn delete_shifts(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<DeleteShiftsInput>,
) -> ApiResult<Json<DeleteSummary>> {
    Ok(Json(
        schedule::delete_many(&state.db, &auth.actor, input).await?,
    ))
}

/// Copies a location's week (the seven days from `from`, in its zone) to the week from
/// `to`, at the same local times on both sides of a change of the clocks, as drafts
/// unless `published`, open shifts too unless `include_open` is false; all in one
/// transaction. A copy that conflicts (`shift_overlap`, `shift_over_leave`,
/// `business_closed`, `outside_availability`, unless the company lets it through as a
/// warning) or that the caller may not make (`forbidden`) is not made and is listed in
/// `skipped` with its code; the others are made. `validation_failed` (422) for a date
/// that is not one, or `to` the same as `from`; 404 `location_id` for another company's.
#[utoipa::path(post, path = "/shifts/copy", tag = "schedule", security(("bearer" = [])), request_body = CopyWeekInput,
    responses((status = 200, body = CopySummary), CommonErrors))]
async fn copy_week(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<CopyWeekInput>,
) -> ApiResult<Json<CopySummary>> {
    Ok(Json(
        schedule::copy_week(&state.db, &auth.actor, input).await?,
    ))
}

/// Publishes a location's draft shifts starting in a range (those the caller manages):
/// staff see them from now on, and each person holding one is told by e-mail; one
/// `shift.published` webhook event for them all.
#[utoipa::path(post, path = "/shifts/publish", tag = "schedule", security(("bearer" = [])), request_body = ReleaseInput,
    responses((status = 200, body = ReleaseSummary), CommonErrors))]
async fn publish(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<ReleaseInput>,
) -> ApiResult<Json<ReleaseSummary>> {
    Ok(Json(
        schedule::release(&state.db, &auth.actor, Release::Published, input).await?,
    ))
}

/// Takes a location's published shifts starting in a range back to drafts, telling each
/// person holding one.
#[utoipa::path(post, path = "/shifts/unpublish", tag = "schedule", security(("bearer" = [])), request_body = ReleaseInput,
    responses((status = 200, body = ReleaseSummary), CommonErrors))]
async fn unpublish(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<ReleaseInput>,
) -> ApiResult<Json<ReleaseSummary>> {
    Ok(Json(
        schedule::release(&state.db, &auth.actor, Release::Unpublished, input).await?,
    ))
}

#[utoipa::path(get, path = "/shifts/{id}", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Shift), CommonErrors))]
async fn get_shift(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Shift>> {
    Ok(Json(schedule::get(&state.db, &auth.actor, id).await?))
}

/// Changes a shift; absent fields keep their values, `breaks` replaces them all.
/// Reassigning or moving it is checked as on create.
#[utoipa::path(patch, path = "/shifts/{id}", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ShiftPatch, responses((status = 200, body = Shift), CommonErrors, ShiftRefusals))]
async fn edit_shift(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<ShiftPatch>,
) -> ApiResult<Json<Shift>> {
    Ok(Json(
        schedule::edit(&state.db, &auth.actor, id, patch).await?,
    ))
}

/// Deletes a shift; its history stays readable.
#[utoipa::path(delete, path = "/shifts/{id}", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), CommonErrors))]
async fn delete_shift(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    schedule::delete(&state.db, &auth.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The shift's user says they have seen it.
#[utoipa::path(post, path = "/shifts/{id}/acknowledge", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Shift), CommonErrors))]
async fn acknowledge(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Shift>> {
    Ok(Json(
        schedule::acknowledge(&state.db, &auth.actor, id).await?,
    ))
}

/// The caller takes a published open shift for themselves, at once: it must fit them (its
/// position one of theirs; its location among theirs, when they have any) and their
/// calendar (no overlapping shift, approved leave, business-closed day or unavailable
/// time). Of many taking it at once, exactly one wins; the others get 409
/// `shift_not_open`. Its history records `take`; a `shift.updated` webhook event is sent.
/// A shift that `requires_approval` is not taken but bid for, checked the same way: the
/// answer is 202 with its open-shift request (the caller's bid in it), made on the first
/// bid; `open_shift_request.updated` is sent, and a manager picks among the bids.
#[utoipa::path(post, path = "/shifts/{id}/take", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, description = "Taken", body = Shift),
        (status = 202, description = "Bid for: the shift requires approval", body = OpenShiftRequest),
        CommonErrors, TakeRefusals))]
async fn take(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    Ok(match schedule::take(&state.db, &auth.actor, id).await? {
        Taken::Shift(shift) => Json(shift).into_response(),
        Taken::Bid(request) => (StatusCode::ACCEPTED, Json(request)).into_response(),
    })
}

/// Who could take a published shift over from its holder (its holder, or who manages it,
/// asks): the company's active people the caller sees, its holder aside, whom it fits (its
/// position one of theirs; its location among theirs, when they have any) and whose
/// calendar it does not clash with (no overlapping shift, approved leave or
/// business-closed day). An open shift or a draft is not offered (403).
#[utoipa::path(get, path = "/shifts/{id}/swap-candidates", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = SwapCandidates), CommonErrors))]
async fn swap_candidates(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<SwapCandidates>> {
    Ok(Json(
        schedule::swap_candidates(&state.db, &auth.actor, id).await?,
    ))
}

/// Every change to a shift, oldest first, with its reason and the fields before and
/// after; a deleted shift's too.
#[utoipa::path(get, path = "/shifts/{id}/history", tag = "schedule", security(("bearer" = [])), params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = ShiftHistoryPage), CommonErrors))]
async fn shift_history(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<HistoryEntry>>> {
    Ok(Json(
        schedule::history(
            &state.db,
            &auth.actor,
            id,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}
