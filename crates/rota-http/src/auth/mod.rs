//! Every way into the API ends here. A face reads what the caller presented — a bearer
//! session, token or key today; the vendors' schemes (WhosOff's bearer and `app-id`, When
//! I Work's `W-Token` and `W-UserId`, Offly's keys, Workhub's `amx key:secret`) and the web
//! app's cookie session next — into a [`Presented`] credential and hands it to [`admit`],
//! the one function that authenticates it and runs the guards (address allow-lists,
//! scopes, rate limit, nonce, acting as another user), all of which live in
//! `rota_core::access`.
//!
//! What an API credential may touch is declared by the router, never read from the path:
//! [`declare`] marks every route of a router with a [`Declared`] area (and documents the
//! headers those routes read and send). A route that declares nothing refuses every API
//! credential; sessions are not scoped and pass either way.

mod admit;
mod credential;
mod document;

use axum::Extension;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rota_core::access::Area;
use rota_core::policy::Actor;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use crate::error::ApiError;

pub use admit::admit;
pub use credential::{Credential, Presented, bearer};
pub(crate) use document::retry_after;

/// What a route admits API credentials to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    /// An area: reading needs its `read` scope, writing its `write` scope.
    Area(Area),
    /// An area, read whatever the method: a call that only reads but is sent as `POST`
    /// with a body (WhosOff's `retrieve` calls) needs the `read` scope, not `write`.
    Reads(Area),
    /// Any API credential whose address is admitted, whatever its scopes: who am I.
    AnyScope,
}

/// Declares what every route of `router` admits API credentials to, and documents on its
/// operations the headers an API credential's call reads and is answered with. Declared
/// on a sub-router and again around it, the innermost declaration wins.
pub fn declare<S>(declared: Declared, router: OpenApiRouter<S>) -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    let mut router = router.layer(Extension(declared));
    document::api_credential_headers(router.get_openapi_mut());
    router
}

/// Declares what every route of `router` admits API credentials to, as [`declare`] does,
/// for a face that documents its own headers (a vendor face's document names the vendor's
/// headers, not the native API's).
pub fn declare_bare<S>(declared: Declared, router: OpenApiRouter<S>) -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    router.layer(Extension(declared))
}

/// Who a request acts as, behind `Authorization: Bearer <credential>`: a session token
/// (`rota_s_…`), an API access token (`rota_at_…`, with the client's `app-id` header when
/// sent) or an API key (`rota_k_…`), admitted by [`admit`] against the route's
/// declaration. `X-Act-As-User`, `nonce` and `timestamp` come with it when sent.
pub struct AuthUser {
    pub actor: Actor,
    /// The bearer credential as sent: the session `POST /auth/logout` ends.
    pub token: String,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let presented = Presented::native(parts)?;
        let token = presented.credential.secret().to_owned();
        let declared = parts.extensions.get::<Declared>().copied();
        let actor = admit(state, parts, presented, declared).await?;
        Ok(Self { actor, token })
    }
}
