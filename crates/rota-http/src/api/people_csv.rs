//! People as CSV: `POST /users/import` (a `text/csv` body; `?dry_run=true` previews) and
//! `GET /users/export.csv`, whose sheet imports back as "no change". The columns, the
//! plan and the rules are the core's (`rota_core::people::import`); this reads the body.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use rota_core::people::import::{self, ImportOutcome};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ApiResult, CommonErrors};
use crate::extract::{ApiQuery, AuthUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_users))
        .routes(routes!(export_users))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true`: answer what the import would do and write nothing.
    dry_run: Option<bool>,
}

/// Imports people from CSV (super users). The first line names the columns, each the
/// native field of that name: `email` (required; people are matched by it, ignoring
/// case), `first_name`, `last_name` (both required for a new person), `title`,
/// `middle_name`, `staff_code`, `job_title`, `user_type_id` (blank keeps the role),
/// `department_id`, `region_id`, `locations` and `tags` (ids separated by `;`),
/// `approver_id`, `working_days` (day names separated by `;`; blank keeps them), `employment_start_date`,
/// `employment_end_date` (`YYYY-MM-DD`), `work_phone`, `mobile_phone`, `holiday_country`,
/// `holiday_subdivision` (codes such as `GB`, `SCT`), `time_zone` (IANA),
/// `employment_type`, `notes`. A blank cell
/// clears a field; a column left out leaves it alone. At most 1 MiB and 10,000 people;
/// RFC 4180 quoting. Each person is written in one transaction with its audit entry and
/// `user.created`/`user.updated` webhook event, as by `POST /users` and
/// `PATCH /users/{id}`; a refused row (line, field, code, message) writes nothing and the
/// others stand. A malformed file or header is refused whole (422 on `csv`).
#[utoipa::path(post, path = "/users/import", tag = "users", security(("bearer" = [])), params(ImportQuery),
    request_body(content = String, content_type = "text/csv",
        description = "A header line of column names, then one line per person"),
    responses((status = 200, body = ImportOutcome), CommonErrors))]
async fn import_users(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<ImportOutcome>> {
    // Permission first: who may not import learns nothing of the rules a file must meet.
    import::may_import(&auth.actor)?;
    let csv = csv_body(&headers, body).await?;
    let outcome = if query.dry_run.unwrap_or(false) {
        import::preview(&state.db, &auth.actor, &csv).await?
    } else {
        import::apply(&state.db, &auth.actor, &csv, None).await?
    };
    Ok(Json(outcome))
}

/// A `text/csv` body of UTF-8 text: 415 as anything else, 413 over 1 MiB, 422 on `csv`
/// when it is not UTF-8.
async fn csv_body(headers: &HeaderMap, body: Body) -> Result<String, ApiError> {
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("text/csv"));
    if !is_csv {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the people as CSV with Content-Type: text/csv",
            None,
        ));
    }
    let bytes = axum::body::to_bytes(body, rota_core::people::sheet::MAX_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the body is larger than 1 MiB",
                None,
            )
        })?;
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "the file is not UTF-8 text",
            Some("csv".to_owned()),
        )
    })
}

/// Everyone in the company, archived people too, as CSV with every column `POST
/// /users/import` reads (super users): importing it back changes nothing. RFC 4180
/// quoting, CRLF line ends; a text starting with `=`, `+`, `-` or `@` is prefixed with
/// `'` (which the import reads back without it).
#[utoipa::path(get, path = "/users/export.csv", tag = "users", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String,
        description = "A header line, then one line per person"), CommonErrors))]
async fn export_users(
    State(state): State<AppState>,
    auth: AuthUser,
) -> ApiResult<impl IntoResponse> {
    let csv = import::export(&state.db, &auth.actor).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"people.csv\"",
            ),
        ],
        csv,
    ))
}
