//! Shift templates (When I Work's blocks): read by everyone in the company, kept by who
//! builds the schedule. A shift is made from one with `template_id` and `date` on
//! `POST /shifts`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rota_core::paging::Page;
use rota_core::schedule::templates::{self, ShiftTemplate, ShiftTemplateInput};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::page::page_schema;
use crate::api::users::PageQuery;
use crate::error::{ApiResult, CommonErrors};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Created};

page_schema!(
    /// A page of shift templates.
    ShiftTemplatePage,
    ShiftTemplate
);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_shift_templates, create_shift_template))
        .routes(routes!(
            get_shift_template,
            replace_shift_template,
            delete_shift_template
        ))
}

/// The company's shift templates, by id.
#[utoipa::path(get, path = "/shift-templates", tag = "schedule", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = ShiftTemplatePage), CommonErrors))]
async fn list_shift_templates(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<ShiftTemplate>>> {
    Ok(Json(
        templates::list(&state.db, &auth.actor, query.limit, query.cursor.as_deref()).await?,
    ))
}

/// Makes a template (approvers and super users). `validation_failed` (422) names the
/// field: a blank or long name, a time that is not `HH:MM`, a break outside the
/// template's times (`breaks[0].start_time`) or the breaks together as long as it, a bad
/// colour or notes; another company's location, position or site is 404 on its field.
#[utoipa::path(post, path = "/shift-templates", tag = "schedule", security(("bearer" = [])),
    request_body = ShiftTemplateInput,
    responses((status = 201, body = ShiftTemplate), CommonErrors))]
async fn create_shift_template(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(input): ApiJson<ShiftTemplateInput>,
) -> ApiResult<Created<ShiftTemplate>> {
    Ok(Created(
        templates::create(&state.db, &auth.actor, input).await?,
    ))
}

#[utoipa::path(get, path = "/shift-templates/{id}", tag = "schedule", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ShiftTemplate), CommonErrors))]
async fn get_shift_template(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ShiftTemplate>> {
    Ok(Json(templates::get(&state.db, &auth.actor, id).await?))
}

/// Replaces every field of a template, checked as on create; shifts made from it keep
/// theirs.
#[utoipa::path(put, path = "/shift-templates/{id}", tag = "schedule", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ShiftTemplateInput,
    responses((status = 200, body = ShiftTemplate), CommonErrors))]
async fn replace_shift_template(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ShiftTemplateInput>,
) -> ApiResult<Json<ShiftTemplate>> {
    Ok(Json(
        templates::replace(&state.db, &auth.actor, id, input).await?,
    ))
}

/// Deletes a template; shifts made from it stay as they are.
#[utoipa::path(delete, path = "/shift-templates/{id}", tag = "schedule", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), CommonErrors))]
async fn delete_shift_template(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    templates::delete(&state.db, &auth.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
