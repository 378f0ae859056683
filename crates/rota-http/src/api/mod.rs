//! The native API, `/api/v1`: one module per resource, each exporting its router.

pub mod access;
pub mod auth;
pub mod catalogue;
pub mod company;
pub mod holidays;
pub mod ical;
pub mod leave;
pub mod mfa;
pub mod org;
mod page;
pub mod reports;
pub mod users;
pub mod webhooks;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(auth::router())
        .merge(mfa::router())
        .merge(access::router())
        .merge(company::router())
        .merge(users::router())
        .merge(org::router())
        .merge(leave::router())
        .merge(reports::router())
        .merge(ical::router())
        .merge(holidays::router())
        .merge(webhooks::router())
}
