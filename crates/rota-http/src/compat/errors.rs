//! Errors in a vendor's words. A vendor face implements [`VendorError`] once — its status
//! rule and its body — and its handlers return `Result<T, Vendored<ItsVendor>>`, into which
//! `?` turns every core error and every [`ApiError`] the way in gives. The status, code
//! and message come from the one mapping in [`crate::error`]; `Retry-After` and
//! `WWW-Authenticate` are kept whatever the body.

use std::marker::PhantomData;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// How a vendor answers an error.
pub trait VendorError {
    /// The status: the native one unless the vendor says otherwise (WhosOff answers every
    /// refusal with 400).
    fn status(error: &ApiError) -> StatusCode {
        error.status
    }

    /// The body, from the native code, message and field.
    fn body(error: &ApiError) -> serde_json::Value;
}

/// An error to be answered in `V`'s words.
pub struct Vendored<V> {
    pub error: ApiError,
    vendor: PhantomData<V>,
}

impl<V> From<ApiError> for Vendored<V> {
    fn from(error: ApiError) -> Self {
        Self {
            error,
            vendor: PhantomData,
        }
    }
}

impl<V> From<rota_core::Error> for Vendored<V> {
    fn from(error: rota_core::Error) -> Self {
        ApiError::from(error).into()
    }
}

impl<V: VendorError> IntoResponse for Vendored<V> {
    fn into_response(self) -> Response {
        let status = V::status(&self.error);
        let body = V::body(&self.error);
        let native = self.error.into_response();
        let mut response = (status, axum::Json(body)).into_response();
        for name in [header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
            if let Some(value) = native.headers().get(&name) {
                response.headers_mut().insert(name, value.clone());
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use axum::body::to_bytes;
    use serde_json::json;

    use super::*;

    /// A vendor in the shape of WhosOff's: every refusal a 400 with `Errors`.
    struct Enveloped;

    impl VendorError for Enveloped {
        fn status(error: &ApiError) -> StatusCode {
            if error.status.is_client_error() {
                StatusCode::BAD_REQUEST
            } else {
                error.status
            }
        }

        fn body(error: &ApiError) -> serde_json::Value {
            json!({"Data": [], "Errors": [{"Code": error.code, "Message": error.message}]})
        }
    }

    /// A vendor that keeps the native statuses, in Offly's shape.
    struct Plain;

    impl VendorError for Plain {
        fn body(error: &ApiError) -> serde_json::Value {
            json!({"error": {"code": error.code, "message": error.message, "details": {"field": error.field}}})
        }
    }

    async fn answer<V: VendorError>(
        error: impl Into<Vendored<V>>,
    ) -> (Response, serde_json::Value) {
        let response = error.into().into_response();
        let (parts, body) = response.into_parts();
        let bytes = to_bytes(body, 1 << 16).await.expect("body");
        let value = serde_json::from_slice(&bytes).expect("json");
        (
            Response::from_parts(parts, axum::body::Body::empty()),
            value,
        )
    }

    #[tokio::test]
    async fn a_core_error_gets_the_vendors_status_and_body() {
        let core = rota_core::Error::invalid("start_date", "the end is before the start");
        let (response, body) = answer::<Enveloped>(core).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(body["Errors"][0]["Code"], "validation_failed");
        assert_eq!(body["Data"], json!([]));

        let core = rota_core::Error::invalid("start_date", "the end is before the start");
        let (response, body) = answer::<Plain>(core).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["details"]["field"], "start_date");
    }

    #[tokio::test]
    async fn server_errors_stay_server_errors_and_headers_are_kept() {
        let failed = ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "failed",
            None,
        );
        let (response, _) = answer::<Enveloped>(failed).await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);

        let mut limited = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "slow down",
            None,
        );
        limited.retry_after = Some(32);
        let (response, body) = answer::<Plain>(limited).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "32");
        assert_eq!(body["error"]["code"], "rate_limited");

        let unknown = rota_core::Error::unauthenticated("who are you");
        let (response, _) = answer::<Enveloped>(unknown).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(response.headers()[header::WWW_AUTHENTICATE], "Bearer");
    }
}
