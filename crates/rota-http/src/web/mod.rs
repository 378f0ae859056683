//! The web app: server-rendered pages (askama templates in `crates/rota-http/templates`)
//! over the same [`crate::AppState`], a sibling of the native API under `/api/v1`. Pages
//! call the same core services as the API and hold no rule; which links and buttons a
//! page shows comes from the core's `policy::capabilities()` / `may()`, never from a role
//! compared here.
//!
//! Its way in is a cookie holding a session token from the same sign-in as
//! `POST /api/v1/auth/login` ([`session`]), read into `crate::auth::Credential::Session`
//! and admitted by `crate::auth::admit`. Its routes declare no area: they admit no API
//! credential (sessions are not scoped). Every form carries a CSRF token checked before
//! anything reads it; every answer carries a Content-Security-Policy without inline
//! scripts or styles, and pages are never framed nor cached.
//!
//! - [`session`]: cookies, the signed-in extractor, CSRF
//! - [`page`]: the frame, rendering, the error page
//! - [`sign_in`]: signing in and out, changing one's password
//! - [`whos_off`] and [`grid`]: the month grid
//! - [`my_leave`]: balances, requests, the request form
//! - [`approvals`]: the requests waiting for me
//! - [`people`]: the people list, one person, importing and exporting people as CSV
//! - [`format`]: amounts as people read them

mod approvals;
mod assets;
mod format;
mod grid;
mod my_leave;
mod page;
mod people;
pub mod session;
mod sign_in;
mod whos_off;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::AppState;
use session::Signed;

/// The Content-Security-Policy of every page: everything from this origin only, no inline
/// script nor style (leave-type colours come from a stylesheet, not `style=""`), no
/// framing, forms only to this origin.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

/// The pages, at the root of the site beside `/api`, `/openapi` and the vendor faces.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route(
            "/account/password",
            get(sign_in::password_form).post(sign_in::change_password),
        )
        .route("/whos-off", get(whos_off::page))
        .route("/leave", get(my_leave::page).post(my_leave::submit))
        .route("/leave/quote", post(my_leave::quote))
        .route("/leave/{id}/cancel", post(my_leave::cancel))
        .route("/approvals", get(approvals::page))
        .route("/approvals/{id}/approve", post(approvals::approve))
        .route("/approvals/{id}/decline", post(approvals::decline))
        .route("/people", get(people::list))
        .route(
            "/people/new",
            get(people::person::new_form).post(people::person::create),
        )
        .route(
            "/people/import",
            get(people::import::form).post(people::import::preview),
        )
        .route("/people/import/apply", post(people::import::apply))
        .route("/people/export.csv", get(people::import::export))
        .route(
            "/people/{id}",
            get(people::person::page).post(people::person::update),
        )
        .route("/people/{id}/archive", post(people::person::archive))
        .route("/people/{id}/restore", post(people::person::restore))
        .route("/people/{id}/unlock", post(people::person::unlock))
        .route("/people/{id}/allowance", post(people::person::adjust))
        .route("/styles/leave-types.css", get(assets::leave_types))
        .route(assets::CSS_PATH, get(assets::css))
        .route(assets::JS_PATH, get(assets::js))
        .layer(axum::middleware::map_response(secure_headers))
}

/// The start page: who's off.
async fn home(_: Signed) -> Redirect {
    Redirect::to("/whos-off")
}

/// The headers every answer of the web app carries; pages (not the assets, which set
/// their own) are not cached.
async fn secure_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let fixed = [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, value);
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response.into_response()
}
