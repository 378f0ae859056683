//! The company's schedule settings: whether open shifts require approval by default, and
//! which conflicts only warn.

use axum::Json;
use axum::extract::State;
use rota_core::schedule::{ScheduleSettings, settings};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiResult, CommonErrors};
use crate::extract::{ApiJson, AuthUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_schedule_settings, set_schedule_settings))
}

/// The company's schedule settings; everyone may read them.
#[utoipa::path(get, path = "/company/schedule", tag = "schedule", security(("bearer" = [])),
    responses((status = 200, body = ScheduleSettings), CommonErrors))]
async fn get_schedule_settings(
    State(state): State<AppState>,
    auth: AuthUser,
) -> ApiResult<Json<ScheduleSettings>> {
    Ok(Json(settings::get(&state.db, &auth.actor).await?))
}

/// Sets the company's schedule settings, both fields at once (super users). A conflict
/// named in `conflict_warnings` no longer refuses an assignment (create, edit, take,
/// approve a bid): the shift is saved and the answer carries `warnings: [{code,
/// message}]`. By default nothing is a warning, as before. `validation_failed` (422,
/// `conflict_warnings`) for more than four kinds.
#[utoipa::path(put, path = "/company/schedule", tag = "schedule", security(("bearer" = [])),
    request_body = ScheduleSettings,
    responses((status = 200, body = ScheduleSettings), CommonErrors))]
async fn set_schedule_settings(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<ScheduleSettings>,
) -> ApiResult<Json<ScheduleSettings>> {
    Ok(Json(settings::set(&state.db, &auth.actor, input).await?))
}
