//! Enrolling halfway through a sign-in: when MFA is demanded of someone (the company's or
//! their own `force_mfa`) who has none, a correct password opens an enrolment challenge
//! rather than a session (`rota_core::mfa::challenge`). The sign-in form then shows a fresh
//! seed as a QR code and text, and `/sign-in/enrol` confirms it with a first code, which
//! opens the session the sign-in was waiting for and shows the recovery codes, once. This
//! is the way `POST /auth/mfa/enrol` and `/auth/mfa/confirm` take with the challenge's
//! token as the bearer; the form carries that token as the sign-in's code step does.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use rota_core::mfa::challenge;
use rota_core::mfa::{self, CodeRequest};
use serde::Deserialize;

use super::Shown;
use crate::AppState;
use crate::origin::SignInOrigin;
use crate::web::page::{PageError, Problem, render, render_as};
use crate::web::session::{FORM_COOKIE, Posted, Refused, local_path, with_session_cookie};

#[derive(Template)]
#[template(path = "account_enrol.html")]
struct EnrolPage<'a> {
    csrf: &'a str,
    next: &'a str,
    mfa_token: &'a str,
    /// The seed, when just made.
    enrolment: Option<Shown>,
    problem: Problem,
}

#[derive(Template)]
#[template(path = "account_enrolled.html")]
struct EnrolledPage<'a> {
    next: &'a str,
    codes: Vec<String>,
}

/// The enrolment page for the enrolment challenge `mfa_token`, with a fresh seed.
pub async fn start(
    state: &AppState,
    from: &SignInOrigin,
    csrf: &str,
    next: &str,
    mfa_token: &str,
) -> Result<Response, PageError> {
    let subject = challenge::enrolling(&state.db, mfa_token, from.origin).await?;
    let enrolment = mfa::enrol(&state.db, state.config.secret_key.as_ref(), &subject).await?;
    render(&EnrolPage {
        csrf,
        next,
        mfa_token,
        enrolment: Some(Shown::from(&enrolment)),
        problem: Problem::default(),
    })
}

#[derive(Deserialize)]
pub struct EnrolForm {
    #[serde(default)]
    mfa_token: String,
    #[serde(default)]
    code: String,
    next: Option<String>,
    /// Present when the person asks for a new seed instead.
    restart: Option<String>,
}

/// Confirms the enrolment with a first code: the session cookie, and the recovery codes
/// shown once with the way on. A wrong code is refused next to its field, the challenge
/// kept; "start again" shows a new seed.
pub async fn confirm(
    State(state): State<AppState>,
    from: SignInOrigin,
    headers: axum::http::HeaderMap,
    posted: Posted<EnrolForm>,
) -> Result<Response, Refused> {
    let secure = posted.secure;
    let form = posted.form;
    let csrf = crate::web::session::cookie(&headers, FORM_COOKIE).unwrap_or_default();
    let next = local_path(form.next.as_deref()).unwrap_or("/");
    from.admit(&state).await.map_err(PageError::from)?;
    if form.restart.is_some() {
        return Ok(start(&state, &from, csrf, next, &form.mfa_token).await?);
    }
    let request = CodeRequest { code: form.code };
    let key = state.config.secret_key.as_ref();
    let device = from.device.as_deref();
    let outcome = challenge::confirm_enrolment(
        &state.db,
        key,
        &form.mfa_token,
        &request,
        device,
        from.origin,
    )
    .await;
    match outcome {
        Ok(confirmed) => {
            let Some(session) = confirmed.session else {
                return Err(PageError::from(rota_core::Error::Internal(
                    "an enrolment challenge confirmed without a session".into(),
                ))
                .into());
            };
            let response = render(&EnrolledPage {
                next,
                codes: super::codes(&confirmed.recovery_codes),
            })?;
            Ok(with_session_cookie(
                response,
                session.token.expose(),
                secure,
            ))
        }
        Err(error) => {
            let error = PageError::from(error);
            let page = EnrolPage {
                csrf,
                next,
                mfa_token: &form.mfa_token,
                enrolment: None,
                problem: Problem::of(&error, &["code"]),
            };
            Ok(render_as(error.status, &page)?)
        }
    }
}
