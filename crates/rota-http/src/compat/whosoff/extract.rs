//! Reading a WhosOff call: who is calling ([`Caller`]), its JSON body ([`Body`]), its
//! URL parameters by position ([`Segments`]) and its query string ([`Query`]). Every
//! rejection is answered in the envelope.
//!
//! Permission comes before validation: a handler first asks [`Caller::may`] for the
//! action its call is (`Action::ManageOrganisation` for `department/create`, …), then
//! parses the body, so a caller who may not make a change learns nothing about the values
//! it would accept.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use rota_core::policy::{self, Action, Actor, Target};
use serde::de::DeserializeOwned;

use super::envelope::WhosOff;
use crate::AppState;
use crate::auth::{Credential, Declared, Presented, admit, bearer};
use crate::compat::errors::Vendored;
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery, parse_json};

/// The caller behind `Authorization: Bearer <access_token>` and `app-id: <App ID>`, as
/// every WhosOff call but the two `authenticate` calls presents them: the token from
/// `{root}/v4/authenticate/…` (or the client-credentials grant) of the client the App ID
/// names. Sessions and API keys are the native API's; here they are refused.
pub struct Caller {
    pub actor: Actor,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Vendored<WhosOff>;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Vendored<WhosOff>> {
        let token = bearer(parts)?;
        let app_id = header_text(parts, "app-id").ok_or_else(|| {
            rota_core::Error::unauthenticated("send the app-id header with the bearer token")
        })?;
        let credential = Credential::from_bearer(token, Some(app_id));
        if !matches!(credential, Credential::ApiToken { .. }) {
            return Err(rota_core::Error::unauthenticated(
                "WhosOff calls carry the bearer token from {root}/v4/authenticate",
            )
            .into());
        }
        let presented = Presented {
            credential,
            act_as: None,
            nonce: header_text(parts, "nonce").map(str::to_owned),
            timestamp: header_text(parts, "timestamp").map(str::to_owned),
        };
        let declared = parts.extensions.get::<Declared>().copied();
        let actor = admit(state, parts, presented, declared).await?;
        Ok(Self { actor })
    }
}

impl Caller {
    /// Whether the caller may take `action` in their company, asked before the body is
    /// read; 400 `forbidden` if not.
    pub fn may(&self, action: Action) -> Result<(), Vendored<WhosOff>> {
        if policy::may(&self.actor, action, Target::Company(self.actor.company_id)) {
            Ok(())
        } else {
            Err(rota_core::Error::forbidden("your user level may not make this call").into())
        }
    }
}

fn header_text<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// A call's JSON body, read now and parsed by [`Body::parse`] once permission is settled.
/// WhosOff's samples send `Content-Type: application/json`; a body sent without it is
/// still read as JSON, and an empty body is `{}`.
pub struct Body(Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = Vendored<WhosOff>;

    async fn from_request(request: Request, state: &S) -> Result<Self, Vendored<WhosOff>> {
        Bytes::from_request(request, state)
            .await
            .map(Body)
            .map_err(|rejection| {
                let error = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
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
                };
                error.into()
            })
    }
}

impl Body {
    /// The body as `T`: `malformed_json` when it is not JSON, `validation_failed` naming
    /// the field when it is JSON of the wrong shape.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Vendored<WhosOff>> {
        let bytes: &[u8] = if self.0.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &self.0
        };
        parse_json(bytes).map_err(Vendored::from)
    }
}

/// URL parameters by position (`{root}/v4/department/del/{department_id}/{force_removal}`).
pub struct Segments<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Segments<T> {
    type Rejection = Vendored<WhosOff>;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Vendored<WhosOff>> {
        ApiPath::<T>::from_request_parts(parts, state)
            .await
            .map(|ApiPath(value)| Segments(value))
            .map_err(Vendored::from)
    }
}

/// A query string (`{root}/v4/tag/retrieve/?tag_id=3`).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Vendored<WhosOff>;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Vendored<WhosOff>> {
        ApiQuery::<T>::from_request_parts(parts, state)
            .await
            .map(|ApiQuery(value)| Query(value))
            .map_err(Vendored::from)
    }
}
