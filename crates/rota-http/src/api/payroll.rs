//! Payroll: the company's pay-period rule and overtime thresholds. Thin handlers over
//! `rota_core::payroll`.

use axum::Json;
use axum::extract::State;
use rota_core::payroll::{self, PayrollSettings, PayrollSettingsInput};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiResult, CommonErrors};
use crate::extract::{ApiJson, AuthUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_payroll_rule, set_payroll_rule))
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
