//! Extractors whose rejections use the API's error envelope: JSON bodies, path ids and
//! query strings. Who is calling is [`crate::auth`]'s; its extractor is re-exported here
//! beside the others that handlers take.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub use crate::auth::{AuthUser, bearer};

/// A JSON body: 415 unless sent as JSON, 413 over the size limit, 400 when it is not
/// JSON at all, 422 naming the field when it is JSON of the wrong shape or a text in it
/// holds U+0000.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim().to_ascii_lowercase();
                v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json",
                None,
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "payload_too_large",
                        "the body is larger than 1 MiB",
                        None,
                    )
                } else {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "malformed_json",
                        rejection.body_text(),
                        None,
                    )
                }
            })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Reads a JSON body as `T`; see [`ApiJson`] for the answers to bad bodies. A string or
/// key holding U+0000 is refused here for every body (422 naming the field), as no
/// database text can hold it (see [`crate::nul`]).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if let Some(field) = crate::nul::in_json(bytes) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            format!("{field} must not contain the NUL character (U+0000)"),
            Some(field),
        ));
    }
    // `2500.0` is an integer in JSON Schema 2020-12 (OpenAPI 3.1): integer fields take it.
    let bytes = crate::numbers::integral_numbers_as_integers(bytes);
    let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        json_error(error.into_inner(), (path != ".").then_some(path))
    })?;
    deserializer.end().map_err(|e| json_error(e, None))?;
    Ok(value)
}

fn json_error(inner: serde_json::Error, path: Option<String>) -> ApiError {
    match inner.classify() {
        serde_json::error::Category::Data => {
            let message = inner.to_string();
            let field = qualified_field(named_field(&message), path);
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                message,
                field,
            )
        }
        _ => ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("the body is not valid JSON: {inner}"),
            None,
        ),
    }
}

/// The field at fault, with the path to it: `rate_limit.burst` for a field missing
/// inside `rate_limit`, plain `burst` at the top level.
fn qualified_field(named: Option<String>, path: Option<String>) -> Option<String> {
    match (named, path) {
        (Some(named), Some(path)) if path != named && !path.ends_with(&format!(".{named}")) => {
            Some(format!("{path}.{named}"))
        }
        (Some(named), None) => Some(named),
        (_, path) => path,
    }
}

/// The field serde names in "unknown field `x`" and "missing field `x`".
fn named_field(message: &str) -> Option<String> {
    ["unknown field `", "missing field `"]
        .iter()
        .find_map(|prefix| {
            let rest = message.strip_prefix(prefix)?;
            rest.split('`').next().map(str::to_owned)
        })
}

/// JSON out, with a status.
pub struct Created<T>(pub T);

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        (StatusCode::CREATED, axum::Json(self.0)).into_response()
    }
}

/// A path parameter: 400 `invalid_path_parameter` when it does not parse (an id that is
/// not a number, say).
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|rejection| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_path_parameter",
                    rejection.body_text(),
                    Some("id".into()),
                )
            })
    }
}

/// A query string: 400 `invalid_query` naming the parameter when one does not parse.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|error| {
                let path = error.path().to_string();
                let message = error.inner().to_string();
                let field = named_field(&message).or_else(|| (path != ".").then_some(path));
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", message, field)
            })
    }
}
