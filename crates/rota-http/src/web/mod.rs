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
//! - [`leave_request`]: one request and its message thread
//! - [`calendar_link`]: my iCal address, shown once
//! - [`overtime`]: logging my overtime, my overtime of the past year
//! - [`approvals`]: the requests waiting for me
//! - [`reports`] and [`chart`]: the my-staff report with charts drawn as SVG, and its CSV
//! - [`settings`]: the company's details and its organisation, for super users
//! - [`access`]: API access, webhooks and the audit log (super users)
//! - [`schedule`]: my shifts, a location's week, the shift form, open shifts and swaps
//! - [`time`]: clocking in and out, my entries, entries to approve; [`time_entry`]: one
//!   entry corrected or deleted by whoever manages its person's time
//! - [`payroll`]: pay periods, a period's hours, close/reopen/finalise, its CSV
//! - [`people`]: the people list, one person, importing and exporting people as CSV
//! - [`format`]: amounts as people read them; [`ends`]: a start and an end as a form asks
//! - [`account`]: MFA (enrolling, also halfway through a sign-in), the company's demand
//!   for it, and the pages of mailed links (invitations, password resets)

mod access;
mod account;
mod approvals;
mod assets;
mod calendar_link;
mod chart;
mod ends;
mod form;
mod format;
mod grid;
mod leave_request;
mod my_leave;
mod overtime;
mod page;
mod payroll;
mod people;
mod reports;
mod schedule;
pub mod session;
mod settings;
mod sign_in;
mod time;
mod time_entry;
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
        .route("/sign-in/enrol", post(account::enrol::confirm))
        .route(
            "/forgot-password",
            get(account::links::forgot_form).post(account::links::forgot),
        )
        .route(
            "/invitation/{token}",
            get(account::links::invitation).post(account::links::accept_invitation),
        )
        .route(
            "/reset-password/{token}",
            get(account::links::reset).post(account::links::reset_password),
        )
        .route("/account/mfa", get(account::mfa::page))
        .route("/account/mfa/enrol", post(account::mfa::enrol))
        .route("/account/mfa/confirm", post(account::mfa::confirm))
        .route(
            "/account/mfa/recovery-codes",
            post(account::mfa::recovery_codes),
        )
        .route("/account/mfa/disable", post(account::mfa::disable))
        .route(
            account::security::HREF,
            get(account::security::page).post(account::security::submit),
        )
        .route("/whos-off", get(whos_off::page))
        .route("/leave", get(my_leave::page).post(my_leave::submit))
        .route("/leave/quote", post(my_leave::quote))
        .route("/leave/calendar-link", post(calendar_link::make))
        .route("/leave/{id}", get(leave_request::page))
        .route("/leave/{id}/comments", post(leave_request::comment))
        .route("/leave/{id}/cancel", post(my_leave::cancel))
        .route("/overtime", get(overtime::page).post(overtime::submit))
        .route("/overtime/{id}/cancel", post(overtime::cancel))
        .route("/approvals", get(approvals::page))
        .route("/approvals/{id}/approve", post(approvals::approve))
        .route("/approvals/{id}/decline", post(approvals::decline))
        .route("/reports", get(reports::page))
        .route("/reports/staff.csv", get(reports::csv))
        .route(
            "/settings",
            get(settings::company_page).post(settings::company_update),
        )
        .route(
            "/settings/{section}",
            get(settings::list).post(settings::create),
        )
        .route(
            "/settings/{section}/{id}",
            get(settings::edit).post(settings::update),
        )
        .route("/settings/{section}/{id}/delete", post(settings::delete))
        .merge(access::router())
        .route("/schedule", get(schedule::page))
        .route("/schedule/shifts/new", get(schedule::new_form))
        .route("/schedule/shifts", post(schedule::create))
        .route(
            "/schedule/shifts/{id}",
            get(schedule::edit_form).post(schedule::edit),
        )
        .route("/schedule/shifts/{id}/delete", post(schedule::delete))
        .route("/schedule/shifts/{id}/give-up", post(schedule::give_up))
        .route("/schedule/shifts/{id}/swap", post(schedule::swap_for))
        .route("/schedule/shifts/{id}/offer", get(schedule::offer_page))
        .route(
            "/schedule/repeating/{id}/{day}",
            get(schedule::repeating_page).post(schedule::change_days),
        )
        .route(
            "/schedule/repeating/{id}/{day}/detach",
            post(schedule::detach),
        )
        .route(
            "/schedule/repeating/{id}/{day}/delete",
            post(schedule::remove_day),
        )
        .route(
            "/schedule/repeating/{id}/{day}/end",
            post(schedule::end_from),
        )
        .route("/schedule/publish", post(schedule::publish))
        .route("/schedule/copy", post(schedule::copy))
        .route("/schedule/open", get(schedule::open_page))
        .route("/schedule/open/{id}/take", post(schedule::take))
        .route("/schedule/swaps/{id}/accept", post(schedule::accept_swap))
        .route("/schedule/swaps/{id}/decline", post(schedule::decline_swap))
        .route("/schedule/swaps/{id}/approve", post(schedule::approve_swap))
        .route("/schedule/swaps/{id}/deny", post(schedule::deny_swap))
        .route(
            "/schedule/bids/{id}/approve",
            post(schedule::give_to_bidder),
        )
        .route("/schedule/bids/{id}/deny", post(schedule::deny_bids))
        .route("/time", get(time::page))
        .route("/time/clock-in", post(time::clock_in))
        .route("/time/clock-out", post(time::clock_out))
        .route("/time/entries/{id}/approve", post(time::approve))
        .route(
            "/time/entries/{id}",
            get(time_entry::page).post(time_entry::save),
        )
        .route("/time/entries/{id}/delete", post(time_entry::delete))
        .route("/payroll", get(payroll::periods))
        .route("/payroll/{id}", get(payroll::period))
        .route("/payroll/{id}/export.csv", get(payroll::export))
        .route("/payroll/{id}/close", post(payroll::close))
        .route("/payroll/{id}/reopen", post(payroll::reopen))
        .route("/payroll/{id}/finalise", post(payroll::finalise))
        .route("/styles/shift-colours.css", get(schedule::colours))
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
        .route("/people/{id}/mfa", post(people::person::demand_mfa))
        .route("/people/{id}/allowance", post(people::person::adjust))
        .route("/styles/leave-types.css", get(assets::leave_types))
        .route(assets::CSS_PATH, get(assets::css))
        .route(assets::JS_PATH, get(assets::js))
        .layer(axum::middleware::map_response(secure_headers))
}

/// Whether a request no route answers came from a browser opening a page: it asks for HTML
/// first and is not under a prefix of the APIs (whose clients get the JSON envelope).
pub fn wants_page(path: &str, headers: &axum::http::HeaderMap) -> bool {
    const API_PREFIXES: [&str; 3] = ["/api", "/whosoff", "/ical"];
    let under_api = API_PREFIXES.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    });
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    !under_api
        && accept
            .split(',')
            .next()
            .is_some_and(|first| first.trim().starts_with("text/html"))
}

/// The page saying there is no such page, with the headers of every page.
pub async fn no_such_page() -> Response {
    secure_headers(page::PageError::not_found().into_response()).await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_opening_an_unknown_page_gets_a_page_and_api_clients_json() {
        let accepting = |accept: &str| {
            let mut headers = axum::http::HeaderMap::new();
            headers.insert(header::ACCEPT, HeaderValue::from_str(accept).unwrap());
            headers
        };
        let browser = accepting("text/html,application/xhtml+xml,*/*;q=0.8");
        assert!(wants_page("/no-such-page", &browser));
        assert!(!wants_page("/api/v1/nothing", &browser));
        assert!(!wants_page("/whosoff/v4/nothing", &browser));
        assert!(wants_page("/apiary", &browser));
        assert!(!wants_page("/no-such-page", &accepting("application/json")));
        assert!(!wants_page("/no-such-page", &axum::http::HeaderMap::new()));
    }
}
