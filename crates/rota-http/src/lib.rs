//! Rota's HTTP faces over one state: the native API under `/api/v1`, its OpenAPI document
//! and browsable reference, the health probes, the compatibility faces (`compat`) and the
//! web app's pages at the root (`web`). Every face's way in ends in [`auth::admit`]. [`app`] builds
//! everything, so tests serve exactly what the binary serves.

pub mod api;
pub mod auth;
pub mod compat;
pub mod error;
pub mod extract;
mod feeds;
mod health;
pub mod nul;
mod numbers;
pub mod origin;
pub mod rate_limit;
pub mod web;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::IntoResponse as _;
use rota_core::Db;
use rota_core::access::limits::Limits;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::OpenApi as OpenApiDocument;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;

/// Largest request body accepted, 1 MiB.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Server settings the HTTP layer needs.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Whether `POST /api/v1/companies` accepts sign-ups.
    pub signup_enabled: bool,
    /// Proxies whose `X-Forwarded-For` is believed; from anyone else it is ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Whether webhook URLs may lead to internal addresses, and the key that seals their
    /// signing secrets.
    pub webhooks: rota_core::webhooks::WebhookSettings,
    /// Rate limits for API credentials, the token endpoint and sign-in.
    pub limits: Limits,
    /// The server's secret key, which seals TOTP seeds (and, through `webhooks`, webhook
    /// signing secrets); without one, MFA enrolment answers `mfa_unavailable`.
    pub secret_key: Option<rota_core::sealing::SecretKey>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            signup_enabled: true,
            trusted_proxies: Vec::new(),
            webhooks: Default::default(),
            limits: Limits::default(),
            secret_key: None,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<HttpConfig>,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Rota API", version = "1", description = "The native API of Rota, a self-hosted workforce and leave-management server. \
        JSON, snake_case, integer ids, dates YYYY-MM-DD, instants RFC 3339. Errors: {\"error\": {\"code\", \"message\", \"field\"}}. \
        Lists page with `limit` and the opaque `cursor` from `next_cursor`."),
    modifiers(&BearerAuth),
    // The value schemas that query parameters refer to; request bodies bring their own.
    components(schemas(
        error::ErrorBody,
        rota_core::openapi::Limit,
        rota_core::openapi::Date,
        rota_core::openapi::Instant,
        rota_core::openapi::Country
    ))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDocument) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A session token from POST /api/v1/auth/login (rota_s_…), an access token \
                         from POST /api/v1/oauth/token (rota_at_…) or an API key (rota_k_…); for \
                         MFA enrolment at sign-in, the enrolment challenge's token (rota_mfa_…)",
                    ))
                    .build(),
            ),
        );
    }
}

/// The routes with their OpenAPI document, before the document is served.
pub fn router_and_openapi() -> (Router<AppState>, OpenApiDocument) {
    let (router, mut document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", api::router())
        .merge(health::router())
        .merge(feeds::router())
        .split_for_parts();
    // The document is the server's own JSON read back: it cannot fail but by a bug, which
    // every test that builds the app would show at once.
    auth::retry_after(&mut document);
    let document = nul::state_in_document(document)
        .expect("the OpenAPI document reads back from its own JSON");
    (router, document)
}

/// The OpenAPI document of every route.
pub fn openapi() -> OpenApiDocument {
    router_and_openapi().1
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (router, openapi) = router_and_openapi();
    let routed = router
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", openapi))
        .nest(compat::whosoff::ROOT, compat::whosoff::router())
        .merge(web::router())
        .fallback(|uri: axum::http::Uri, headers: axum::http::HeaderMap| async move {
            if web::wants_page(uri.path(), &headers) {
                return web::no_such_page().await;
            }
            ApiError::new(StatusCode::NOT_FOUND, rota_core::error::code::NOT_FOUND, "no such route", None)
                .into_response()
        })
        // axum still sets `Allow`; the body is the envelope every other error has.
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not answer that method; the Allow header lists those it does",
                None,
            )
        })
        // Innermost, so that it runs after routing and can name path parameters.
        .layer(axum::middleware::from_fn(nul::refuse_in_uri))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(rate_limit::headers))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(),
                company.id = tracing::field::Empty, user.id = tracing::field::Empty,
                api_client.id = tracing::field::Empty, api_key.id = tracing::field::Empty)
        }))
        .with_state(state);
    // Before routing, so that a vendor's trailing slash finds the call it names.
    Router::new().fallback_service(
        tower::ServiceBuilder::new()
            .map_request(compat::whosoff::trim_trailing_slash)
            .service(routed),
    )
}

/// Serves the application on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
