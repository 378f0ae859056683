//! WhosOff's response object: `{"Data": …, "Errors": [{"Code": "…", "Message": "…"}]}` on
//! every answer, `Data` an object for a call whose response type is Single and an array
//! for `Array()`. A refused request is HTTP 400 with its errors (WhosOff answers every
//! refusal so), except wrong credentials (401), an unknown endpoint (404) and the rate
//! limit (429, with `Retry-After`). Codes are Rota's stable error codes, listed in
//! docs/whosoff.md, plus WhosOff's own where one fits (`004a`, no allowance set). Each
//! error also names the offending `Field` when there is one, a key WhosOff's clients
//! ignore.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::compat::errors::{VendorError, Vendored};
use crate::error::ApiError;

/// The WhosOff face, as a vendor whose errors are answered in its words.
pub struct WhosOff;

impl VendorError for WhosOff {
    fn status(error: &ApiError) -> StatusCode {
        match error.status {
            StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS => error.status,
            status if status.is_client_error() => StatusCode::BAD_REQUEST,
            status => status,
        }
    }

    fn body(error: &ApiError) -> serde_json::Value {
        json!({
            "Data": null,
            "Errors": [{"Code": error.code, "Message": error.message, "Field": error.field}],
        })
    }
}

/// What a WhosOff handler returns.
pub type Answer<T> = Result<Envelope<T>, Vendored<WhosOff>>;

/// One error in `Errors`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorItem {
    #[serde(rename = "Code")]
    pub code: String,
    #[serde(rename = "Message")]
    pub message: String,
    /// The input field at fault, when there is one (Rota's addition).
    #[serde(rename = "Field")]
    pub field: Option<String>,
}

/// The response object around a call's data.
#[derive(Debug, Serialize, ToSchema)]
pub struct Envelope<T> {
    #[serde(rename = "Data")]
    pub data: T,
    /// Empty when the call succeeded.
    #[serde(rename = "Errors")]
    pub errors: Vec<ErrorItem>,
}

impl<T> Envelope<T> {
    pub fn ok(data: T) -> Answer<T> {
        Ok(Self {
            data,
            errors: Vec::new(),
        })
    }
}

impl<T: Serialize> IntoResponse for Envelope<T> {
    fn into_response(self) -> Response {
        axum::Json(self).into_response()
    }
}

/// The "standard response object" of calls that return no record of their own (update,
/// del, unlock): the id of the record they touched, as WhosOff's overview shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordId {
    #[serde(rename = "Record_ID")]
    pub record_id: i64,
}

/// A request that reached no call: an unknown endpoint (404, as WhosOff answers it) or a
/// method the call does not answer (405), in the envelope.
pub fn unrouted(error: ApiError) -> Response {
    (error.status, axum::Json(WhosOff::body(&error))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(status: StatusCode) -> ApiError {
        ApiError::new(status, "some_code", "said", Some("field".into()))
    }

    #[test]
    fn refusals_are_400_but_credentials_and_the_rate_limit_keep_theirs() {
        for status in [
            StatusCode::UNPROCESSABLE_ENTITY,
            StatusCode::FORBIDDEN,
            StatusCode::NOT_FOUND,
            StatusCode::CONFLICT,
            StatusCode::PAYLOAD_TOO_LARGE,
        ] {
            assert_eq!(WhosOff::status(&error(status)), StatusCode::BAD_REQUEST);
        }
        for status in [
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::INTERNAL_SERVER_ERROR,
        ] {
            assert_eq!(WhosOff::status(&error(status)), status);
        }
    }

    #[test]
    fn the_body_is_the_response_object_with_the_field_named() {
        let body = WhosOff::body(&error(StatusCode::CONFLICT));
        assert_eq!(
            body,
            json!({"Data": null, "Errors": [{"Code": "some_code", "Message": "said", "Field": "field"}]})
        );
    }

    #[test]
    fn success_has_data_and_no_errors() {
        let Ok(envelope) = Envelope::ok(RecordId { record_id: 7 }) else {
            panic!("ok is ok");
        };
        let value = serde_json::to_value(&envelope).expect("json");
        assert_eq!(value, json!({"Data": {"Record_ID": 7}, "Errors": []}));
    }
}
