//! The company's details and leave-year rules: the core's company update, with the
//! settings this page does not show kept as they are (the core replaces settings whole).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::form::{self, Field, FieldKind as K};
use super::{
    Control, Fields, SectionLink, controls, ensure_may_configure, input_of, posted_value,
    problem_of, refused, section_links,
};
use crate::AppState;
use crate::web::page::{Frame, PageError, Problem, render};
use crate::web::session::{Posted, Refused, Signed};

const WEEKDAYS: &[(&str, &str)] = &[
    ("monday", "Monday"),
    ("tuesday", "Tuesday"),
    ("wednesday", "Wednesday"),
    ("thursday", "Thursday"),
    ("friday", "Friday"),
    ("saturday", "Saturday"),
    ("sunday", "Sunday"),
];

/// The fields of the page, as the core's company patch names them.
const FIELDS: &[Field] = &[
    Field::new("name", "Company name", K::Text).required(),
    Field::new("time_zone", "Time zone", K::Text)
        .required()
        .hint("An IANA zone such as Europe/London."),
    Field::new("week_start", "Weeks start on", K::Choice(WEEKDAYS)),
    Field::new("holiday_country", "Public holidays of", K::Text)
        .hint("A country's two letters (ISO 3166-1), such as GB."),
    Field::new(
        "leave_year_start_month",
        "Leave year starts in month",
        K::Integer,
    )
    .hint("1 to 12."),
    Field::new("leave_year_start_day", "on day", K::Integer).hint("1 to 28."),
    Field::new(
        "settings.default_allowance",
        "Yearly allowance, in days",
        K::Days,
    )
    .hint("For a new allowance, unless the person's department sets one."),
    Field::new(
        "settings.pro_rata",
        "Joiners and leavers get a share in proportion",
        K::Flag,
    ),
    Field::new(
        "settings.carryover_cap",
        "Most days carried into the next year",
        K::Days,
    ),
    Field::new(
        "settings.carryover_expiry_months",
        "Carried days lapse after, in months",
        K::Integer,
    )
    .hint("0: never."),
    Field::new(
        "settings.allow_negative_balance",
        "Approvals may take a balance below zero",
        K::Flag,
    ),
    Field::new(
        "settings.colleague_visibility",
        "Staff see the leave of",
        K::Choice(&[
            ("only_self", "Only themselves"),
            ("department", "Their department"),
            ("company", "Everyone"),
        ]),
    ),
    Field::new(
        "settings.swaps_require_approval",
        "Shift swaps need a manager's approval",
        K::Flag,
    ),
];

#[derive(Template)]
#[template(path = "settings_company.html")]
struct CompanyPage {
    frame: Frame,
    sections: Vec<SectionLink>,
    notice: Option<&'static str>,
    controls: Vec<Control>,
    problem: Problem,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    ensure_may_configure(&signed)?;
    let notice = query.done.is_some().then_some("Saved.");
    render(&company_page(&state, &signed, notice, None).await?)
}

async fn company_page(
    state: &AppState,
    signed: &Signed,
    notice: Option<&'static str>,
    refused: Option<(Fields, Problem)>,
) -> Result<CompanyPage, PageError> {
    let company = rota_core::company::get(&state.db, &signed.actor).await?;
    let json = serde_json::to_value(&company).unwrap_or(Value::Null);
    let frame = Frame::load(state, signed, "/settings", "Settings").await?;
    let (posted, problem) = match refused {
        Some((form, problem)) => (Some(form), problem),
        None => (None, Problem::default()),
    };
    let controls = controls(state, signed, FIELDS, |field| match &posted {
        Some(form) => posted_value(form, field),
        None => form::shown(field, &json),
    })
    .await?;
    Ok(CompanyPage {
        frame,
        sections: section_links(""),
        notice,
        controls,
        problem,
    })
}

pub async fn update(
    State(state): State<AppState>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_may_configure(&signed)?;
    let company = rota_core::company::get(&state.db, &signed.actor)
        .await
        .map_err(PageError::from)?;
    // The settings the page does not show stay as they are.
    let mut base = Map::new();
    base.insert(
        "settings".to_owned(),
        serde_json::to_value(&company.settings).unwrap_or(Value::Null),
    );
    let saved = async {
        let patch = input_of(FIELDS, &form, base)?;
        rota_core::company::update(&state.db, &signed.actor, patch)
            .await
            .map_err(|e| problem_of(FIELDS, e))
    }
    .await;
    match saved {
        Ok(_) => Ok(Redirect::to("/settings?done=saved").into_response()),
        Err(problem) => {
            let page = company_page(&state, &signed, None, Some((form, problem))).await?;
            refused(&page)
        }
    }
}
