//! Payroll: the company's pay-period rule and overtime thresholds, and its payroll periods
//! with the hours worked in them. Thin handlers over `rota_core::payroll`.

use axum::Json;
use axum::extract::State;
use rota_core::paging::Page;
use rota_core::payroll::{
    self, PayrollPeriod, PayrollPeriodHours, PayrollSettings, PayrollSettingsInput,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::page::page_schema;
use crate::error::{ApiResult, CommonErrors};
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
/// `overtime`, `paid_leave`), and what they cost (super users). Hours come from finished time entries,
/// each counted on the day it starts in the company's time zone with its rounded worked
/// minutes; overtime is split daily first, then weekly (see docs/payroll.md).
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
