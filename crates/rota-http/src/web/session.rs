//! The web app's way in: the session cookie, read into a [`Credential::Session`] and
//! admitted by [`crate::auth::admit`] as a bearer session is, and the CSRF check on every
//! form posted.
//!
//! The cookie holds the session token of the core's sign-in (`rota_s_…`): `HttpOnly`,
//! `SameSite=Lax`, `Path=/`, and `Secure` when the request came over TLS (or a trusted
//! proxy says so). A form's CSRF token is a digest of the session token under a label of
//! its own: it is tied to the session, needs no storage, and only someone who can read the
//! cookie (which scripts cannot) can compute it. Before there is a session (the sign-in
//! form), the token is a random value in a cookie of its own that the form repeats.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::policy::{Action, Actor, Target, may};
use rota_core::secret;
use serde::de::DeserializeOwned;

use super::page::PageError;
use crate::AppState;
use crate::auth::{Credential, Presented, admit};

/// The cookie holding the session token.
pub const SESSION_COOKIE: &str = "rota_session";
/// The cookie holding the CSRF token of a form shown before signing in.
pub const FORM_COOKIE: &str = "rota_form";
/// The form field every posted form carries its CSRF token in.
pub const CSRF_FIELD: &str = "csrf";

/// A cookie's value in the request, when sent.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// A `Set-Cookie` value: `value` for the browser session's life, or cleared when `None`.
pub fn set_cookie(name: &str, value: Option<&str>, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = match value {
        Some(value) => format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}"),
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    // Names are constants and values tokens of URL-safe characters.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The CSRF token of a form shown before signing in: the browser's form cookie, kept
/// while it has one (so that two tabs of a form both work), or a fresh one, which
/// [`with_form_cookie`] sets.
pub fn form_token(headers: &HeaderMap) -> String {
    cookie(headers, FORM_COOKIE).map_or_else(|| secret::new_token(""), str::to_owned)
}

/// `response` setting the form cookie to `token`.
pub fn with_form_cookie(mut response: Response, token: &str, secure: bool) -> Response {
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(FORM_COOKIE, Some(token), secure),
    );
    response
}

/// `response` signing the browser in: the session cookie set to `token`, and the form
/// cookie of the pages before signing in cleared.
pub fn with_session_cookie(mut response: Response, token: &str, secure: bool) -> Response {
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, Some(token), secure),
    );
    headers.append(header::SET_COOKIE, set_cookie(FORM_COOKIE, None, secure));
    response
}

/// The CSRF token of the session whose token is `session`.
pub fn csrf_of(session: &str) -> String {
    secret::token_digest(&format!("rota-web-csrf:{session}"))
}

/// Whether `presented` is the token `expected`, compared in constant time.
pub(crate) fn csrf_matches(presented: Option<&str>, expected: &str) -> bool {
    presented
        .is_some_and(|presented| secret::digest_matches(presented, &secret::token_digest(expected)))
}

/// A local path to go on to after signing in: an absolute path on this site, never
/// another site (`//host`, `/\host`) nor a scheme.
pub fn local_path(next: Option<&str>) -> Option<&str> {
    next.filter(|next| {
        next.starts_with('/')
            && !next.starts_with("//")
            && !next.starts_with("/\\")
            && !next.chars().any(|c| c.is_control())
    })
}

/// Someone signed in through the session cookie, admitted by [`admit`]. Without a live
/// session, a page answers with a redirect to the sign-in form, which comes back here.
pub struct Signed {
    pub actor: Actor,
    /// The session token, which signing out ends.
    pub token: String,
    /// The CSRF token every form of this session carries.
    pub csrf: String,
}

impl Signed {
    /// Refuses (403) unless this person may do `action` in their company.
    pub fn ensure(&self, action: Action) -> Result<(), PageError> {
        let actor = &self.actor;
        if may(actor, action, Target::Company(actor.company_id)) {
            Ok(())
        } else {
            Err(PageError::forbidden())
        }
    }

    async fn read(parts: &Parts, state: &AppState) -> Result<Option<Self>, PageError> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Ok(None);
        };
        let presented = Presented {
            credential: Credential::Session(token.to_owned()),
            act_as: None,
            nonce: None,
            timestamp: None,
        };
        match admit(state, parts, presented, None).await {
            Ok(actor) => Ok(Some(Self {
                actor,
                csrf: csrf_of(token),
                token: token.to_owned(),
            })),
            Err(error) if error.status == StatusCode::UNAUTHORIZED => Ok(None),
            Err(error) => Err(error.into()),
        }
    }
}

/// What a page answers someone not signed in: the sign-in form, to come back after.
pub struct SignInFirst(String);

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        let next: String = form_urlencoded::byte_serialize(self.0.as_bytes()).collect();
        Redirect::to(&format!("/sign-in?next={next}")).into_response()
    }
}

/// Why a page was not served to the caller.
pub enum Refused {
    SignIn(SignInFirst),
    Page(PageError),
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Self::SignIn(redirect) => redirect.into_response(),
            Self::Page(error) => error.into_response(),
        }
    }
}

impl From<PageError> for Refused {
    fn from(error: PageError) -> Self {
        Self::Page(error)
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refused> {
        match Self::read(parts, state).await? {
            Some(signed) => Ok(signed),
            None => {
                // After signing in, a GET comes back to the same page; a form posted
                // without a session goes back to the page it came from, which is unknown
                // here, so to the start.
                let back = if parts.method == axum::http::Method::GET {
                    parts
                        .uri
                        .path_and_query()
                        .map_or("/", |p| p.as_str())
                        .to_owned()
                } else {
                    "/".to_owned()
                };
                Err(Refused::SignIn(SignInFirst(back)))
            }
        }
    }
}

/// Someone signed in, or nobody: for the pages anyone may open (the sign-in form).
pub struct Visitor(pub Option<Signed>);

impl FromRequestParts<AppState> for Visitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        Ok(Self(Signed::read(parts, state).await?))
    }
}

/// The fields of a posted form (`application/x-www-form-urlencoded`), once its CSRF token
/// matched: the session's when signed in, else the form cookie's. A form without a
/// matching token is refused with a 403 page before anything reads it.
pub struct Posted<T> {
    pub form: T,
    /// Whether the request came over TLS, for the cookies the answer sets.
    pub secure: bool,
    /// Who posted it, when signed in.
    pub signed: Option<Signed>,
}

impl<T> Posted<T> {
    /// The form of someone signed in; without a session, the sign-in form.
    pub fn of_signed(self) -> Result<(Signed, T), Refused> {
        match self.signed {
            Some(signed) => Ok((signed, self.form)),
            None => Err(Refused::SignIn(SignInFirst("/".to_owned()))),
        }
    }
}

impl<T: DeserializeOwned> FromRequest<AppState> for Posted<T> {
    type Rejection = Refused;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Refused> {
        let (parts, body) = request.into_parts();
        let secure = crate::origin::over_tls(&parts, &state.config.trusted_proxies);
        let signed = Signed::read(&parts, state).await?;
        let expected = match &signed {
            Some(signed) => Some(signed.csrf.clone()),
            None => cookie(&parts.headers, FORM_COOKIE).map(str::to_owned),
        };
        let bytes = axum::body::to_bytes(body, crate::BODY_LIMIT)
            .await
            .map_err(|_| PageError::bad_form("the form could not be read"))?;
        let mut presented = None;
        let mut fields = form_urlencoded::Serializer::new(String::new());
        for (key, value) in form_urlencoded::parse(&bytes) {
            if key == CSRF_FIELD {
                presented = Some(value.into_owned());
            } else {
                fields.append_pair(&key, &value);
            }
        }
        if !expected.is_some_and(|expected| csrf_matches(presented.as_deref(), &expected)) {
            return Err(PageError::csrf().into());
        }
        let form = serde_urlencoded::from_str(&fields.finish())
            .map_err(|e| PageError::bad_form(&e.to_string()))?;
        Ok(Self {
            form,
            secure,
            signed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_signing_in() {
        assert_eq!(local_path(Some("/leave?year=2")), Some("/leave?year=2"));
        assert_eq!(local_path(Some("//evil.test/")), None);
        assert_eq!(local_path(Some("/\\evil.test")), None);
        assert_eq!(local_path(Some("https://evil.test/")), None);
        assert_eq!(local_path(Some("/a\r\nSet-Cookie: x")), None);
        assert_eq!(local_path(None), None);
    }

    #[test]
    fn a_csrf_token_belongs_to_its_session() {
        let token = csrf_of("rota_s_one");
        assert!(csrf_matches(Some(&token), &csrf_of("rota_s_one")));
        assert!(!csrf_matches(Some(&token), &csrf_of("rota_s_two")));
        assert!(!csrf_matches(None, &token));
        assert_ne!(token, "rota_s_one");
    }

    #[test]
    fn cookies_are_read_by_name_and_written_with_their_flags() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; rota_session=rota_s_x; b="),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("rota_s_x"));
        assert_eq!(cookie(&headers, "b"), None);
        assert_eq!(
            set_cookie(SESSION_COOKIE, Some("v"), true),
            "rota_session=v; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        assert_eq!(
            set_cookie(SESSION_COOKIE, None, false),
            "rota_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
        );
    }
}
