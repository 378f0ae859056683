//! Payroll: the company's pay-period rule and overtime thresholds, and its payroll periods
//! with the hours worked in them: closed, reopened, finalised and exported as CSV. Thin
//! handlers over `rota_core::payroll`.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use rota_core::paging::Page;
use rota_core::payroll::{
    self, ClosePayrollPeriodInput, PayrollPeriod, PayrollPeriodHours, PayrollSettings,
    PayrollSettingsInput, ReopenPayrollPeriodInput,
};
use serde::Deserialize;
use utoipa::{IntoParams, IntoResponses};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::page::page_schema;
use crate::error::{ApiResult, CommonErrors, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser};

page_schema!(
    /// A page of payroll periods.
    PayrollPeriodPage,
    PayrollPeriod
);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_payroll_rule, set_payroll_rule))
        .routes(routes!(list_payroll_periods))
        .routes(routes!(get_payroll_period))
        .routes(routes!(close_payroll_period))
        .routes(routes!(reopen_payroll_period))
        .routes(routes!(finalise_payroll_period))
        .routes(routes!(export_payroll_period))
}

/// Closing, reopening or finalising a payroll period.
#[derive(IntoResponses)]
pub enum PayrollPeriodRefusals {
    /// `payroll_period_closed`: closing a period closed already; `payroll_period_not_closed`:
    /// reopening or finalising an open period; `payroll_period_finalised`: a finalised
    /// period never changes; `payroll_period_unsettled`: closing while time entries on its
    /// days run, or are not approved (without `include_unapproved`); the message names them.
    #[response(status = 409)]
    Conflict(ErrorBody),
}

/// The company's pay-period rule and overtime thresholds; everyone may read them.
#[utoipa::path(get, path = "/company/payroll", tag = "payroll", security(("bearer" = [])),
    responses((status = 200, body = PayrollSettings), CommonErrors))]
async fn get_payroll_rule(
    State(state): State<AppState>,
    auth: AuthUser,
) -> ApiResult<Json<PayrollSettings>> {
    Ok(Json(payroll::settings::get(&state.db, &auth.actor).await?))
}

/// Sets how often the company pays, from which day, and when time worked becomes overtime
/// (super users). `validation_failed` (422) names the field: a threshold below 0 or over a
/// day (1,440) or a week (10,080 minutes), a multiplier outside 100–1,000, a first day that
/// is not a date from 1900-01-01 to 2200-12-31, or a semi-monthly first day other than the
/// 1st or the 16th.
#[utoipa::path(put, path = "/company/payroll", tag = "payroll", security(("bearer" = [])),
    request_body = PayrollSettingsInput,
    responses((status = 200, body = PayrollSettings), CommonErrors))]
async fn set_payroll_rule(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<PayrollSettingsInput>,
) -> ApiResult<Json<PayrollSettings>> {
    Ok(Json(
        payroll::settings::set(&state.db, &auth.actor, input).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PayrollPeriodListQuery {
    #[param(value_type = Option<rota_core::openapi::Limit>)]
    limit: Option<i64>,
    cursor: Option<String>,
}

/// The company's payroll periods in the order they were cut (super users). Listing cuts
/// the period of today (in the company's time zone) and the next from the payroll rule,
/// where no period covers their days yet.
#[utoipa::path(get, path = "/payroll-periods", tag = "payroll", security(("bearer" = [])),
    params(PayrollPeriodListQuery),
    responses((status = 200, body = PayrollPeriodPage), CommonErrors))]
async fn list_payroll_periods(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<PayrollPeriodListQuery>,
) -> ApiResult<Json<Page<PayrollPeriod>>> {
    Ok(Json(
        payroll::list(&state.db, &auth.actor, query.limit, query.cursor.as_deref()).await?,
    ))
}

/// One payroll period with everyone's hours in it, per person and type (`regular`,
/// `overtime`, `paid_leave`, `holiday`), their rate and what they cost, and its stats
/// (super users). While the period is open, hours come from finished time entries, each
/// counted on the day it starts in the company's time zone with its rounded worked
/// minutes (overtime split daily first, then weekly), approved paid leave and public
/// holidays (see docs/payroll.md); once closed, they are the snapshot taken at the close.
#[utoipa::path(get, path = "/payroll-periods/{id}", tag = "payroll", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = PayrollPeriodHours), CommonErrors))]
async fn get_payroll_period(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PayrollPeriodHours>> {
    Ok(Json(payroll::get(&state.db, &auth.actor, id).await?))
}

/// Closes an open period (super users): its hours as they stand become a snapshot that
/// later edits do not change, and time entries on its days are refused from now on
/// (`payroll_period_closed`). Refused while an entry on its days runs, or (unless
/// `include_unapproved`) is not approved. Audited; webhook `payroll_period.closed`.
#[utoipa::path(post, path = "/payroll-periods/{id}/close", tag = "payroll", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ClosePayrollPeriodInput,
    responses((status = 200, body = PayrollPeriodHours), CommonErrors, PayrollPeriodRefusals))]
async fn close_payroll_period(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ClosePayrollPeriodInput>,
) -> ApiResult<Json<PayrollPeriodHours>> {
    Ok(Json(
        payroll::close(&state.db, &auth.actor, id, input).await?,
    ))
}

/// Reopens a closed period (super users), with a reason (1–500 characters) kept in the
/// audit log: its snapshot is dropped and its days take time entries again. A finalised
/// period cannot be reopened. Webhook `payroll_period.reopened`.
#[utoipa::path(post, path = "/payroll-periods/{id}/reopen", tag = "payroll", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ReopenPayrollPeriodInput,
    responses((status = 200, body = PayrollPeriodHours), CommonErrors, PayrollPeriodRefusals))]
async fn reopen_payroll_period(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReopenPayrollPeriodInput>,
) -> ApiResult<Json<PayrollPeriodHours>> {
    Ok(Json(
        payroll::reopen(&state.db, &auth.actor, id, input).await?,
    ))
}

/// Finalises a closed period (super users): final, it can never be reopened. Audited;
/// webhook `payroll_period.finalised`.
#[utoipa::path(post, path = "/payroll-periods/{id}/finalise", tag = "payroll", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = PayrollPeriodHours), CommonErrors, PayrollPeriodRefusals))]
async fn finalise_payroll_period(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PayrollPeriodHours>> {
    Ok(Json(payroll::finalise(&state.db, &auth.actor, id).await?))
}

/// The period's hours as CSV for a payroll import (super users): a header, then one row
/// per person and type with `period_start`, `period_end`, `user_id`, `email`, `name`,
/// `type`, `minutes`, `hours` (decimal, two places), `rate_cents` and `cost_cents`.
/// RFC 4180 quoting, CRLF line ends; a text starting with `=`, `+`, `-` or `@` is prefixed
/// with `'`. The snapshot once closed, else the hours as they stand.
#[utoipa::path(get, path = "/payroll-periods/{id}/export.csv", tag = "payroll", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/csv", body = String,
        description = "The period's hours, one row per person and type"), CommonErrors))]
async fn export_payroll_period(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<impl IntoResponse> {
    let csv = payroll::export::csv(&state.db, &auth.actor, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"payroll-period-{id}.csv\""),
            ),
        ],
        csv,
    ))
}
