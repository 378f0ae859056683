//! `/account/mfa`: the signed-in person's second factor. The status (on or off, demanded
//! or not, recovery codes left); enrolling (a fresh seed shown once as a QR code and as
//! text, then confirmed with a first code, which shows ten recovery codes once); new
//! recovery codes for a current code; switching off with a code or the password, which
//! the core refuses while MFA is demanded. The seed and the codes are shown in the answer
//! to the form that made them and stored nowhere in clear, so those two answers are
//! pages rather than redirects.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::mfa::{self, CodeRequest, DisableRequest, MfaStatus, Subject};
use rota_core::secret::Secret;
use serde::Deserialize;

use super::Shown;
use crate::AppState;
use crate::web::page::{Frame, PageError, Problem, render, render_as};
use crate::web::session::{Posted, Refused, Signed};
use crate::web::sign_in::{DoneQuery, Nothing};

const HREF: &str = "/account/mfa";
const TITLE: &str = "Two-step sign-in";

#[derive(Template)]
#[template(path = "account_mfa.html")]
struct MfaPage {
    frame: Frame,
    status: MfaStatus,
    notice: Option<&'static str>,
    /// A started enrolment, shown this once.
    enrolment: Option<Shown>,
    /// Fresh recovery codes, shown this once.
    codes: Vec<String>,
    /// Which form a refusal is about (`enrol`, `confirm`, `recovery` or `disable`), for
    /// the fields of several forms named alike; a refusal about no field stands above.
    failed: &'static str,
    problem: Problem,
}

impl MfaPage {
    /// The refusal of form `form` about `field`.
    fn error(&self, form: &str, field: &str) -> Option<&str> {
        self.problem.on(field).filter(|_| self.failed == form)
    }

    async fn load(state: &AppState, signed: &Signed) -> Result<Self, PageError> {
        Ok(Self {
            frame: Frame::load(state, signed, HREF, TITLE).await?,
            status: mfa::status(&state.db, &Subject::from(&signed.actor)).await?,
            notice: None,
            enrolment: None,
            codes: Vec::new(),
            failed: "",
            problem: Problem::default(),
        })
    }

    /// The page with a refusal of form `failed`.
    async fn refused(
        state: &AppState,
        signed: &Signed,
        failed: &'static str,
        error: rota_core::Error,
        fields: &[&str],
    ) -> Result<Response, PageError> {
        let error = PageError::from(error);
        let page = Self {
            failed,
            problem: Problem::of(&error, fields),
            ..Self::load(state, signed).await?
        };
        render_as(error.status, &page)
    }
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let notice = match query.done.as_deref() {
        Some("disabled") => Some("Two-step sign-in is off: your password alone signs you in."),
        _ => None,
    };
    render(&MfaPage {
        notice,
        ..MfaPage::load(&state, &signed).await?
    })
}

/// Starts (or restarts) an enrolment and shows its seed, once.
pub async fn enrol(
    State(state): State<AppState>,
    posted: Posted<Nothing>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    let subject = Subject::from(&signed.actor);
    match mfa::enrol(&state.db, state.config.secret_key.as_ref(), &subject).await {
        Ok(enrolment) => {
            let page = MfaPage {
                enrolment: Some(Shown::from(&enrolment)),
                ..MfaPage::load(&state, &signed).await?
            };
            Ok(render(&page)?)
        }
        Err(error) => Ok(MfaPage::refused(&state, &signed, "enrol", error, &[]).await?),
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// Switches MFA on with a first code and shows the recovery codes, once.
pub async fn confirm(
    State(state): State<AppState>,
    posted: Posted<CodeForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    let subject = Subject::from(&signed.actor);
    let request = CodeRequest { code: form.code };
    match mfa::confirm(
        &state.db,
        state.config.secret_key.as_ref(),
        &subject,
        &request,
    )
    .await
    {
        Ok(confirmed) => {
            let page = MfaPage {
                notice: Some("Two-step sign-in is on."),
                codes: super::codes(&confirmed.recovery_codes),
                ..MfaPage::load(&state, &signed).await?
            };
            Ok(render(&page)?)
        }
        Err(error) => Ok(MfaPage::refused(&state, &signed, "confirm", error, &["code"]).await?),
    }
}

/// Replaces the recovery codes, for a current code, and shows the new ones, once.
pub async fn recovery_codes(
    State(state): State<AppState>,
    posted: Posted<CodeForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    let subject = Subject::from(&signed.actor);
    let request = CodeRequest { code: form.code };
    let key = state.config.secret_key.as_ref();
    match mfa::regenerate_recovery_codes(&state.db, key, &subject, &request).await {
        Ok(fresh) => {
            let page = MfaPage {
                notice: Some("New recovery codes: the old ones no longer work."),
                codes: super::codes(&fresh.recovery_codes),
                ..MfaPage::load(&state, &signed).await?
            };
            Ok(render(&page)?)
        }
        Err(error) => Ok(MfaPage::refused(&state, &signed, "recovery", error, &["code"]).await?),
    }
}

#[derive(Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

/// Switches MFA off with a current code or the password (the core takes exactly one).
pub async fn disable(
    State(state): State<AppState>,
    posted: Posted<DisableForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    let subject = Subject::from(&signed.actor);
    let request = DisableRequest {
        code: Some(form.code).filter(|code| !code.trim().is_empty()),
        password: Some(form.password)
            .filter(|password| !password.is_empty())
            .map(Secret::new),
    };
    match mfa::disable(
        &state.db,
        state.config.secret_key.as_ref(),
        &subject,
        &request,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/account/mfa?done=disabled").into_response()),
        Err(error) => {
            let response =
                MfaPage::refused(&state, &signed, "disable", error, &["code", "password"]).await?;
            Ok(response)
        }
    }
}
