//! Signing in (e-mail and password, then the TOTP code when the core asks for one),
//! signing out, and changing one's own password. Signing in goes through the core's
//! sign-in that `POST /api/v1/auth/login` and `/auth/mfa/verify` use, with the same
//! per-address rate limit and the same lockout.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::auth::{LoginRequest, SignIn};
use rota_core::mfa::challenge::{self, VerifyRequest};
use rota_core::people::model::UserInput;
use rota_core::secret::Secret;
use serde::Deserialize;

use super::page::{Frame, PageError, Problem, render};
use super::session::{
    FORM_COOKIE, Posted, Refused, SESSION_COOKIE, Signed, Visitor, form_token, local_path,
    set_cookie, with_form_cookie, with_session_cookie,
};
use crate::AppState;
use crate::origin::{SignInOrigin, over_tls};

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage<'a> {
    csrf: &'a str,
    next: &'a str,
    email: &'a str,
    /// The second step: the challenge's token, carried by the form with the code.
    mfa_token: Option<&'a str>,
    problem: Problem,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The sign-in form. Someone already signed in goes on at once.
pub async fn form(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    Query(query): Query<NextQuery>,
    parts: axum::http::request::Parts,
) -> Result<Response, PageError> {
    let next = local_path(query.next.as_deref()).unwrap_or("/");
    if visitor.is_some() {
        return Ok(Redirect::to(next).into_response());
    }
    // The form's CSRF token, in a cookie of its own until there is a session.
    let token = form_token(&parts.headers);
    let response = render(&SignInPage {
        csrf: &token,
        next,
        email: "",
        mfa_token: None,
        problem: Problem::default(),
    })?;
    let secure = over_tls(&parts, &state.config.trusted_proxies);
    Ok(with_form_cookie(response, &token, secure))
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    code: Option<String>,
    mfa_token: Option<String>,
    next: Option<String>,
}

/// Signs in: the password, or the code of the second step, then the session cookie and on
/// to the page asked for.
pub async fn submit(
    State(state): State<AppState>,
    from: SignInOrigin,
    headers: HeaderMap,
    posted: Posted<SignInForm>,
) -> Result<Response, Refused> {
    let secure = posted.secure;
    let form = posted.form;
    let csrf = match &posted.signed {
        Some(signed) => signed.csrf.clone(),
        None => super::session::cookie(&headers, FORM_COOKIE)
            .unwrap_or_default()
            .to_owned(),
    };
    let next = local_path(form.next.as_deref()).unwrap_or("/");
    let mfa_token = form.mfa_token.as_deref().filter(|t| !t.is_empty());
    let outcome = sign_in(&state, &from, &form, mfa_token).await;
    let again = |problem: Problem, mfa_token: Option<&str>, status: StatusCode| {
        let page = SignInPage {
            csrf: &csrf,
            next,
            email: &form.email,
            mfa_token,
            problem,
        };
        render(&page).map(|mut response| {
            *response.status_mut() = status;
            response
        })
    };
    let response = match outcome {
        Ok(Step::Session(token)) => {
            with_session_cookie(Redirect::to(next).into_response(), &token, secure)
        }
        Ok(Step::Code(token)) => again(Problem::default(), Some(&token), StatusCode::OK)?,
        Ok(Step::Enrol(token)) => {
            super::account::enrol::start(&state, &from, &csrf, next, &token).await?
        }
        Err(error) => {
            let status = error.status;
            let fields: &[&str] = if mfa_token.is_some() {
                &["code"]
            } else {
                &["email", "password"]
            };
            // A wrong code may be tried again with the same challenge; any other refusal
            // of the second step (expired, locked) starts over.
            let keep = mfa_token.filter(|_| error.code == rota_core::error::code::INVALID_MFA_CODE);
            again(Problem::of(&error, fields), keep, status)?
        }
    };
    Ok(response)
}

/// Where a sign-in step leads.
enum Step {
    /// A session token.
    Session(String),
    /// The second step, with the challenge's token.
    Code(String),
    /// A first enrolment, because MFA is demanded, with the enrolment challenge's token.
    Enrol(String),
}

async fn sign_in(
    state: &AppState,
    from: &SignInOrigin,
    form: &SignInForm,
    mfa_token: Option<&str>,
) -> Result<Step, PageError> {
    from.admit(state).await?;
    let device = from.device.as_deref();
    if let Some(token) = mfa_token {
        let request = VerifyRequest {
            mfa_token: Secret::new(token),
            code: form.code.clone(),
            recovery_code: None,
        };
        let session = challenge::verify(
            &state.db,
            state.config.secret_key.as_ref(),
            &request,
            device,
            from.origin,
        )
        .await?;
        return Ok(Step::Session(session.token.expose().to_owned()));
    }
    let request = LoginRequest {
        email: form.email.clone(),
        password: Secret::new(form.password.as_str()),
        company_id: None,
    };
    let outcome = rota_core::auth::login_from(
        &state.db,
        &request,
        device,
        from.origin,
        state.config.secret_key.is_some(),
    )
    .await?;
    match outcome {
        SignIn::Session(session) => Ok(Step::Session(session.token.expose().to_owned())),
        SignIn::Challenge(challenge) => {
            let token = challenge.mfa_token.expose().to_owned();
            Ok(if challenge.mfa_enrolment_required {
                Step::Enrol(token)
            } else {
                Step::Code(token)
            })
        }
    }
}

/// A posted form with no fields but its CSRF token: a button.
#[derive(Deserialize)]
pub struct Nothing {}

/// Ends the session and clears its cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    posted: Posted<Nothing>,
) -> Result<Response, Refused> {
    let secure = posted.secure;
    let (signed, _) = posted.of_signed()?;
    rota_core::auth::logout(&state.db, &signed.token)
        .await
        .map_err(PageError::from)?;
    let mut response = Redirect::to("/sign-in").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, None, secure));
    Ok(response)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    frame: Frame,
    done: bool,
    problem: Problem,
}

/// The query of a page that says what a form just did (`?done=saved`), as the form's
/// redirect names it.
#[derive(Deserialize)]
pub struct DoneQuery {
    pub done: Option<String>,
}

pub async fn password_form(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    render(&PasswordPage {
        frame: Frame::load(&state, &signed, "/account/password", "Change password").await?,
        done: query.done.is_some(),
        problem: Problem::default(),
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    repeat: String,
}

/// Changes one's own password through the same update as `PATCH /api/v1/users/{id}`:
/// the current password is checked (a wrong one counts towards the lock) and the other
/// sessions end.
pub async fn change_password(
    State(state): State<AppState>,
    posted: Posted<PasswordForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    let problem = if form.password != form.repeat {
        Problem::on_field("repeat", "the two new passwords differ")
    } else {
        let input = UserInput {
            password: Some(Secret::new(form.password)),
            current_password: Some(Secret::new(form.current_password)),
            ..UserInput::default()
        };
        let actor = &signed.actor;
        match rota_core::people::service::update(&state.db, actor, actor.user_id, input).await {
            Ok(_) => return Ok(Redirect::to("/account/password?done=1").into_response()),
            Err(error) => Problem::of(&PageError::from(error), &["current_password", "password"]),
        }
    };
    let page = PasswordPage {
        frame: Frame::load(&state, &signed, "/account/password", "Change password").await?,
        done: false,
        problem,
    };
    let mut response = render(&page)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}
