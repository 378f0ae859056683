//! The company: sign-up (`POST /companies`) and the signed-in user's company (`/company`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rota_core::company::{Company, CompanyPatch};
use rota_core::signup::{CompanyForCreate, CreatedCompany};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ApiResult, CommonErrors};
use crate::extract::{ApiJson, AuthUser, Created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_up))
        .routes(routes!(get_company, update_company))
}

/// Creates a company and its owner, a super user. Off when the server runs with sign-up disabled.
#[utoipa::path(post, path = "/companies", tag = "company", request_body = CompanyForCreate,
    responses((status = 201, body = CreatedCompany), CommonErrors))]
async fn sign_up(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<CompanyForCreate>,
) -> ApiResult<Created<CreatedCompany>> {
    if !state.config.signup_enabled {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            rota_core::error::code::SIGNUP_DISABLED,
            "sign-up is switched off on this server",
            None,
        ));
    }
    Ok(Created(
        rota_core::signup::create_company(&state.db, input).await?,
    ))
}

#[utoipa::path(get, path = "/company", tag = "company", security(("bearer" = [])),
    responses((status = 200, body = Company), CommonErrors))]
async fn get_company(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<Company>> {
    Ok(Json(rota_core::company::get(&state.db, &auth.actor).await?))
}

/// Changes the company's name, time zone, week start, leave-year start, holiday country or settings.
#[utoipa::path(patch, path = "/company", tag = "company", security(("bearer" = [])), request_body = CompanyPatch,
    responses((status = 200, body = Company), CommonErrors))]
async fn update_company(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(patch): ApiJson<CompanyPatch>,
) -> ApiResult<Json<Company>> {
    Ok(Json(
        rota_core::company::update(&state.db, &auth.actor, patch).await?,
    ))
}
