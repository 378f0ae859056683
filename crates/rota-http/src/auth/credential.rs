//! What a caller presents: the credential itself and what may come with it. Each face
//! reads its own headers into a [`Presented`]; [`Presented::native`] reads the native
//! API's.

use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use rota_core::secret;

use crate::error::ApiError;

/// A credential, told apart by its kind rather than by the face that carried it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A person's session (`rota_s_…`).
    Session(String),
    /// An API client's access token (`rota_at_…`), with the App ID the caller says it
    /// belongs to (the `app-id` header), when it says so.
    ApiToken {
        token: String,
        app_id: Option<String>,
    },
    /// An API key (`rota_k_…`).
    ApiKey(String),
}

impl Credential {
    /// A bearer credential by its prefix; anything that is neither a session nor a key is
    /// taken for an access token, which authentication then refuses if it is none.
    pub fn from_bearer(token: &str, app_id: Option<&str>) -> Self {
        if token.starts_with(secret::SESSION_PREFIX) {
            Self::Session(token.to_owned())
        } else if token.starts_with(secret::API_KEY_PREFIX) {
            Self::ApiKey(token.to_owned())
        } else {
            Self::ApiToken {
                token: token.to_owned(),
                app_id: app_id.map(str::to_owned),
            }
        }
    }

    /// The App ID the caller names beside an access token.
    pub fn app_id(&self) -> Option<&str> {
        match self {
            Self::ApiToken { app_id, .. } => app_id.as_deref(),
            Self::Session(_) | Self::ApiKey(_) => None,
        }
    }

    /// The secret as sent.
    pub fn secret(&self) -> &str {
        match self {
            Self::Session(token) | Self::ApiKey(token) | Self::ApiToken { token, .. } => token,
        }
    }
}

/// A credential with what comes beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presented {
    pub credential: Credential,
    /// The user of the company to act as (`X-Act-As-User`; When I Work's `W-UserId`).
    pub act_as: Option<i64>,
    /// The `nonce` and `timestamp` a client that requires nonces sends with each call.
    pub nonce: Option<String>,
    pub timestamp: Option<String>,
}

impl Presented {
    /// The native API's way: `Authorization: Bearer <credential>`, with `app-id`,
    /// `X-Act-As-User`, `nonce` and `timestamp` headers when sent.
    pub fn native(parts: &Parts) -> Result<Self, ApiError> {
        Ok(Self {
            credential: Credential::from_bearer(bearer(parts)?, header_text(parts, "app-id")),
            act_as: act_as_header(parts)?,
            nonce: header_text(parts, "nonce").map(str::to_owned),
            timestamp: header_text(parts, "timestamp").map(str::to_owned),
        })
    }
}

/// The credential in `Authorization: Bearer <credential>`, or a 401.
pub fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or_else(|| {
            ApiError::from(rota_core::Error::unauthenticated(
                "send Authorization: Bearer <token>",
            ))
        })
}

/// A header's text, when present and readable.
fn header_text<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts.headers.get(name).and_then(|v| v.to_str().ok())
}

/// `X-Act-As-User: <user id>`, when sent.
fn act_as_header(parts: &Parts) -> Result<Option<i64>, ApiError> {
    let Some(value) = parts.headers.get("x-act-as-user") else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_header",
                "X-Act-As-User must be a user id",
                Some("X-Act-As-User".into()),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bearer_credential_is_told_apart_by_its_prefix() {
        assert_eq!(
            Credential::from_bearer("rota_s_abc", Some("app")),
            Credential::Session("rota_s_abc".into())
        );
        assert_eq!(
            Credential::from_bearer("rota_k_abc", None),
            Credential::ApiKey("rota_k_abc".into())
        );
        assert_eq!(
            Credential::from_bearer("rota_at_abc", Some("app")),
            Credential::ApiToken {
                token: "rota_at_abc".into(),
                app_id: Some("app".into())
            }
        );
        // Neither a session nor a key: authentication as a token refuses it.
        assert_eq!(Credential::from_bearer("junk", None).secret(), "junk");
    }
}
