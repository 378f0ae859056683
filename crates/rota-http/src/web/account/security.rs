//! `/company/security`: whether the company demands a second factor of everyone
//! (`settings.force_mfa`), for those who may change the company (super users). The change
//! goes through `PATCH /api/v1/company`'s update, with its audit entry; someone without MFA
//! enrols at their next sign-in.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::company::{self, CompanyPatch, CompanySettings};
use rota_core::policy::Action;
use serde::Deserialize;

use crate::AppState;
use crate::web::page::{Frame, PageError, Problem, render, render_as};
use crate::web::session::{Posted, Refused, Signed};
use crate::web::sign_in::DoneQuery;

pub const HREF: &str = "/company/security";
const TITLE: &str = "Sign-in security";

#[derive(Template)]
#[template(path = "account_security.html")]
struct SecurityPage {
    frame: Frame,
    sections: Vec<crate::web::settings::SectionLink>,
    settings: CompanySettings,
    notice: Option<&'static str>,
    problem: Problem,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    signed.ensure(Action::UpdateCompany)?;
    let notice = match query.done.as_deref() {
        Some("on") => Some(
            "Everyone now signs in with a second factor: those without one set it up at their next sign-in.",
        ),
        Some("off") => Some("A second factor is no longer demanded of everyone."),
        _ => None,
    };
    let settings = company::get(&state.db, &signed.actor).await?.settings;
    render(&security_page(&state, &signed, settings, notice, Problem::default()).await?)
}

async fn security_page(
    state: &AppState,
    signed: &Signed,
    settings: CompanySettings,
    notice: Option<&'static str>,
    problem: Problem,
) -> Result<SecurityPage, PageError> {
    Ok(SecurityPage {
        frame: Frame::load(state, signed, "/settings", TITLE).await?,
        sections: crate::web::settings::section_links("security"),
        settings,
        notice,
        problem,
    })
}

#[derive(Deserialize)]
pub struct SecurityForm {
    /// A checkbox: present when ticked.
    force_mfa: Option<String>,
}

/// Demands MFA of everyone, or stops demanding it: the company's settings with that one
/// changed, through the company's update.
pub async fn submit(
    State(state): State<AppState>,
    posted: Posted<SecurityForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    signed.ensure(Action::UpdateCompany)?;
    let actor = &signed.actor;
    let force_mfa = form.force_mfa.is_some();
    let held = company::get(&state.db, actor)
        .await
        .map_err(PageError::from)?
        .settings;
    let patch = CompanyPatch {
        settings: Some(CompanySettings {
            force_mfa,
            ..held.clone()
        }),
        ..CompanyPatch::default()
    };
    match company::update(&state.db, actor, patch).await {
        Ok(_) => {
            // Refused, the settings are as they were read.
            let done = if force_mfa { "on" } else { "off" };
            Ok(Redirect::to(&format!("{HREF}?done={done}")).into_response())
        }
        Err(error) => {
            // Refused, the settings are as they were read.
            let error = PageError::from(error);
            let problem = Problem::of(&error, &["settings.force_mfa"]);
            let page = security_page(&state, &signed, held, None, problem).await?;
            Ok(render_as(error.status, &page)?)
        }
    }
}
