//! `GET /ical/{token}`: an iCal feed, authenticated by the secret in its address alone, so
//! calendar programs can subscribe to it.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiPath;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(feed))
}

/// The approved absences a feed covers, as RFC 5545 (`text/calendar`). 404 for an unknown,
/// revoked or regenerated address.
#[utoipa::path(get, path = "/ical/{token}", tag = "leave", params(("token" = String, Path, description = "The feed's secret, with or without `.ics`")),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorBody)))]
async fn feed(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    let body = rota_core::leave::ical::render(&state.db, &token).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    ))
}
