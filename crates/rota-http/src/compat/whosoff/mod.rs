//! The WhosOff v4 / v4.1 face under `/whosoff`: an integration written for WhosOff's API
//! works against Rota by changing its `{root}` to `http(s)://<rota>/whosoff` and its
//! credentials. Routes are `{root}/{version}/{controller}/{call}` as WhosOff publishes
//! them, every answer is the `{"Data": …, "Errors": [{"Code", "Message"}]}` envelope
//! ([`envelope`]), and callers present WhosOff's bearer token with the `app-id` header
//! ([`extract::Caller`]). Each controller is a module holding its wire types and its
//! handlers; what they compute is `rota-core`'s. The face documents itself at
//! `{root}/openapi.json`, apart from the native document.

mod authenticate;
mod company_message;
mod department;
pub mod envelope;
pub mod extract;
mod leave;
mod leave_type;
mod lookup;
mod overtime;
mod overtime_type;
mod reporting;
mod tag;
mod types;
mod user;
mod user_allowance;
mod user_note;
mod user_restriction;
mod who_is_off;
mod work;

use axum::Json;
use axum::Router;
use axum::http::{Request, StatusCode, Uri};
use axum::routing::get;
use rota_core::access::Area;
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as OpenApiDocument;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use crate::auth::{Declared, declare_bare};
use crate::error::ApiError;

/// Where the face is mounted.
pub const ROOT: &str = "/whosoff";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rota — WhosOff v4 compatible API",
        version = "4.1",
        description = "WhosOff's API v4 / v4.1 as Rota answers it. {root} is http(s)://<rota>/whosoff. \
            Every answer is {\"Data\": …, \"Errors\": [{\"Code\", \"Message\", \"Field\"}]}; a refused request is \
            400 (401 when the credentials are wrong, 429 over the rate limit). Numbers and booleans may be \
            sent as JSON values or as strings. See docs/whosoff.md."
    ),
    servers((url = "/whosoff"))
)]
struct WhosOffDoc;

/// What the people controllers' calls need: the `people` scope, `read` for reading.
const PEOPLE: Declared = Declared::Area(Area::People);

/// What the leave controllers' calls need: the `leave` scope, `read` for reading.
const LEAVE: Declared = Declared::Area(Area::Leave);

/// The face's routes with its own document.
pub fn router_and_openapi() -> (Router<AppState>, OpenApiDocument) {
    OpenApiRouter::with_openapi(WhosOffDoc::openapi())
        // No bearer token: these two hand one out.
        .merge(authenticate::router())
        .merge(declare_bare(PEOPLE, department::router()))
        .merge(declare_bare(PEOPLE, tag::router()))
        .merge(declare_bare(Declared::AnyScope, lookup::router()))
        .merge(declare_bare(LEAVE, work::router()))
        .merge(declare_bare(
            Declared::Reads(Area::Leave),
            company_message::router(),
        ))
        .merge(leave::router())
        .merge(leave_type::router())
        .merge(overtime::router())
        .merge(overtime_type::router())
        .merge(who_is_off::router())
        .merge(user_allowance::router())
        .merge(declare_bare(PEOPLE, user::router()))
        .merge(declare_bare(
            Declared::Reads(Area::People),
            user::retrieve_router(),
        ))
        .merge(declare_bare(
            Declared::Reads(Area::Reports),
            user::my_staff_router(),
        ))
        .merge(declare_bare(
            Declared::Reads(Area::Reports),
            reporting::router(),
        ))
        .merge(declare_bare(LEAVE, user_restriction::router()))
        .merge(declare_bare(LEAVE, user_note::router()))
        .split_for_parts()
}

/// The face, mounted by `crate::app` under [`ROOT`]: its routes, its document at
/// `/openapi.json`, and the envelope for a route or method it does not have.
pub fn router() -> Router<AppState> {
    let (router, document) = router_and_openapi();
    router
        .route("/openapi.json", get(move || async move { Json(document) }))
        .fallback(|| async {
            envelope::unrouted(ApiError::new(
                StatusCode::NOT_FOUND,
                "endpoint_not_found",
                "no such WhosOff call: routes are {root}/v4/{controller}/{call}",
                None,
            ))
        })
        .method_not_allowed_fallback(|| async {
            envelope::unrouted(ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this call does not answer that method; the Allow header lists those it does",
                None,
            ))
        })
}

/// WhosOff's samples end paths with `/` (`{root}/v4/user/create/`): under [`ROOT`] a
/// trailing slash is dropped before routing, so both spellings reach the same call. The
/// native API keeps its exact paths.
pub fn trim_trailing_slash<B>(mut request: Request<B>) -> Request<B> {
    let path = request.uri().path();
    let under_root = path
        .strip_prefix(ROOT)
        .is_some_and(|rest| rest.len() > 1 && rest.starts_with('/'));
    if under_root && path.ends_with('/') {
        let trimmed = path.trim_end_matches('/');
        let rebuilt = match request.uri().query() {
            Some(query) => format!("{trimmed}?{query}"),
            None => trimmed.to_owned(),
        };
        if let Ok(path_and_query) = rebuilt.parse() {
            let mut parts = request.uri().clone().into_parts();
            parts.path_and_query = Some(path_and_query);
            if let Ok(uri) = Uri::from_parts(parts) {
                *request.uri_mut() = uri;
            }
        }
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trimmed(uri: &str) -> String {
        let request = Request::builder().uri(uri).body(()).expect("request");
        trim_trailing_slash(request).uri().to_string()
    }

    #[test]
    fn a_trailing_slash_under_the_face_is_dropped_with_the_query_kept() {
        assert_eq!(
            trimmed("/whosoff/v4/user/create/"),
            "/whosoff/v4/user/create"
        );
        assert_eq!(
            trimmed("/whosoff/v4/tag/retrieve/?tag_id=3"),
            "/whosoff/v4/tag/retrieve?tag_id=3"
        );
        assert_eq!(
            trimmed("/whosoff/v4/user/del/12//"),
            "/whosoff/v4/user/del/12"
        );
    }

    #[test]
    fn other_paths_keep_their_slash() {
        assert_eq!(trimmed("/api/v1/users/"), "/api/v1/users/");
        assert_eq!(trimmed("/whosoff/"), "/whosoff/");
        assert_eq!(trimmed("/whosoffice/x/"), "/whosoffice/x/");
    }
}
