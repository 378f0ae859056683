//! Rate-limit headers: a layer leaves an empty slot in each request, the way in
//! ([`crate::auth::admit`]), which counts an API credential's call, fills it, and the layer
//! turns it into `X-RateLimit-Limit` (calls a minute), `X-RateLimit-Burst` (calls at once)
//! and `X-RateLimit-Remaining` (calls that may follow at once) on the way out. The OpenAPI
//! document declares them on the operations that admit API credentials
//! ([`crate::auth::declare`]).

use std::sync::{Arc, OnceLock};

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use rota_core::access::limits::Admitted;

/// Where the extractor leaves what a counted call has left of its quota.
#[derive(Clone, Default)]
pub struct RateLimitSlot(Arc<OnceLock<Admitted>>);

impl RateLimitSlot {
    pub fn fill(&self, admitted: Admitted) {
        // A request is counted once; a second fill would carry the same numbers.
        let _ = self.0.set(admitted);
    }
}

/// The layer: adds the headers to responses of calls that were counted.
pub async fn headers(mut request: Request, next: Next) -> Response {
    let slot = RateLimitSlot::default();
    request.extensions_mut().insert(slot.clone());
    let mut response = next.run(request).await;
    if let Some(admitted) = slot.0.get() {
        let headers = response.headers_mut();
        headers.insert("x-ratelimit-limit", HeaderValue::from(admitted.per_minute));
        headers.insert("x-ratelimit-burst", HeaderValue::from(admitted.burst));
        headers.insert(
            "x-ratelimit-remaining",
            HeaderValue::from(admitted.remaining),
        );
    }
    response
}
