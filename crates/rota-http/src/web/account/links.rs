//! The pages mailed links open, for someone not signed in: `/invitation/{token}` (set
//! one's first password, then signed in), `/forgot-password` (an e-mail address; the same
//! answer whether it has an account or not) and `/reset-password/{token}` (a new
//! password; every session ends). They call `rota_core::auth::link`, as
//! `/api/v1/auth/invitation/accept`, `/auth/password/forgot` and `/auth/password/reset`
//! do, and count against the address's sign-in rate limit as those do. A link that does
//! not work (unknown, expired, used) says so on its page, with the way on.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::auth::link::{self, ForgotPassword, LinkHolder, Purpose, SetPassword};
use rota_core::secret::Secret;
use serde::Deserialize;

use crate::AppState;
use crate::origin::{SignInOrigin, over_tls};
use crate::web::page::{PageError, Problem, render, render_as};
use crate::web::session::{
    FORM_COOKIE, Posted, Refused, cookie, form_token, with_form_cookie, with_session_cookie,
};
use crate::web::sign_in::DoneQuery;

/// The page of a mailed link: the form for a password, or why the link does not work.
#[derive(Template)]
#[template(path = "account_link.html")]
struct LinkPage<'a> {
    csrf: &'a str,
    /// `invitation` or `reset-password`: the page's path and its wording.
    kind: &'static str,
    token: &'a str,
    holder: Option<LinkHolder>,
    problem: Problem,
}

#[derive(Template)]
#[template(path = "account_forgot.html")]
struct ForgotPage<'a> {
    csrf: &'a str,
    notice: Option<&'static str>,
    email: &'a str,
    problem: Problem,
}

fn kind(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Invitation => "invitation",
        Purpose::Reset => "reset-password",
    }
}

/// The link's page: the form while it works, the reason otherwise.
async fn show(
    state: &AppState,
    parts: &Parts,
    token: &str,
    purpose: Purpose,
) -> Result<Response, PageError> {
    let csrf = form_token(&parts.headers);
    let (holder, problem, status) = match link::holder(&state.db, token, purpose).await {
        Ok(holder) => (Some(holder), Problem::default(), StatusCode::OK),
        Err(error) => {
            let error = PageError::from(error);
            let status = error.status;
            (None, Problem::of(&error, &[]), status)
        }
    };
    let page = LinkPage {
        csrf: &csrf,
        kind: kind(purpose),
        token,
        holder,
        problem,
    };
    let response = render_as(status, &page)?;
    let secure = over_tls(parts, &state.config.trusted_proxies);
    Ok(with_form_cookie(response, &csrf, secure))
}

pub async fn invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: Parts,
) -> Result<Response, PageError> {
    show(&state, &parts, &token, Purpose::Invitation).await
}

pub async fn reset(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: Parts,
) -> Result<Response, PageError> {
    show(&state, &parts, &token, Purpose::Reset).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    repeat: String,
}

/// The form again, with `problem` about it.
async fn refused(
    state: &AppState,
    csrf: &str,
    token: &str,
    purpose: Purpose,
    error: &PageError,
) -> Result<Response, PageError> {
    // A link that stopped working shows why, without the form; a bad password keeps it.
    let holder = link::holder(&state.db, token, purpose).await.ok();
    let page = LinkPage {
        csrf,
        kind: kind(purpose),
        token,
        holder,
        problem: Problem::of(error, &["password"]),
    };
    render_as(error.status, &page)
}

/// Accepts the invitation: the password set, the session cookie, and on to the start.
pub async fn accept_invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
    from: SignInOrigin,
    headers: axum::http::HeaderMap,
    posted: Posted<PasswordForm>,
) -> Result<Response, Refused> {
    let secure = posted.secure;
    let form = posted.form;
    let csrf = cookie(&headers, FORM_COOKIE).unwrap_or_default();
    let outcome = async {
        let request = admitted(&state, &from, &token, form).await?;
        let device = from.device.as_deref();
        Ok(link::accept_invitation(&state.db, &request, device, from.origin).await?)
    }
    .await;
    match outcome {
        Ok(session) => {
            let response = Redirect::to("/leave?done=welcome").into_response();
            Ok(with_session_cookie(
                response,
                session.token.expose(),
                secure,
            ))
        }
        Err(error) => Ok(refused(&state, csrf, &token, Purpose::Invitation, &error).await?),
    }
}

/// Sets the new password; every session ends, and the person signs in with it.
pub async fn reset_password(
    State(state): State<AppState>,
    Path(token): Path<String>,
    from: SignInOrigin,
    headers: axum::http::HeaderMap,
    posted: Posted<PasswordForm>,
) -> Result<Response, Refused> {
    let form = posted.form;
    let csrf = cookie(&headers, FORM_COOKIE).unwrap_or_default();
    let outcome = async {
        let request = admitted(&state, &from, &token, form).await?;
        Ok(link::reset_password(&state.db, &request, from.origin).await?)
    }
    .await;
    match outcome {
        Ok(()) => Ok(Redirect::to("/forgot-password?done=reset").into_response()),
        Err(error) => Ok(refused(&state, csrf, &token, Purpose::Reset, &error).await?),
    }
}

/// The request of a password form whose two passwords are typed alike, once the
/// address's sign-in rate limit admits it.
async fn admitted(
    state: &AppState,
    from: &SignInOrigin,
    token: &str,
    form: PasswordForm,
) -> Result<SetPassword, PageError> {
    if form.password != form.repeat {
        return Err(rota_core::Error::invalid("password", "the two passwords differ").into());
    }
    from.admit(state).await?;
    Ok(SetPassword {
        token: Secret::new(token),
        password: Secret::new(form.password),
    })
}

fn forgot_notice(done: Option<&str>) -> Option<&'static str> {
    match done {
        Some("sent") => Some(
            "If that address has an account, a link to set a new password is on its way. It works once, for an hour.",
        ),
        Some("reset") => Some(
            "Your password is changed, and you are signed out everywhere: sign in with the new one.",
        ),
        _ => None,
    }
}

/// The form asking for a reset link.
pub async fn forgot_form(
    State(state): State<AppState>,
    Query(query): Query<DoneQuery>,
    parts: Parts,
) -> Result<Response, PageError> {
    let csrf = form_token(&parts.headers);
    let response = render(&ForgotPage {
        csrf: &csrf,
        notice: forgot_notice(query.done.as_deref()),
        email: "",
        problem: Problem::default(),
    })?;
    let secure = over_tls(&parts, &state.config.trusted_proxies);
    Ok(with_form_cookie(response, &csrf, secure))
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// Mails a reset link if the address has an account, and answers the same either way.
pub async fn forgot(
    State(state): State<AppState>,
    from: SignInOrigin,
    headers: axum::http::HeaderMap,
    posted: Posted<ForgotForm>,
) -> Result<Response, Refused> {
    let email = posted.form.email;
    let outcome = async {
        from.admit(&state).await?;
        let request = ForgotPassword {
            email: email.clone(),
        };
        Ok::<_, PageError>(link::forgot_password(&state.db, &request, from.origin).await?)
    }
    .await;
    match outcome {
        Ok(()) => Ok(Redirect::to("/forgot-password?done=sent").into_response()),
        Err(error) => {
            let csrf = cookie(&headers, FORM_COOKIE).unwrap_or_default();
            let page = ForgotPage {
                csrf,
                notice: None,
                email: &email,
                problem: Problem::of(&error, &["email"]),
            };
            Ok(render_as(error.status, &page)?)
        }
    }
}
