//! Approvals: the leave requests waiting for my decision, each with the requester's balance
//! for that leave year and who else of their team is off on those days; approve, or
//! decline with a reason. The page is for those who may list their staff; a request is
//! listed when the core says I may decide it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::leave::allowance;
use rota_core::leave::request::{self, Decision, Holders, RequestDetail};
use rota_core::leave::whos_off::{self, WhoFilter};
use rota_core::policy::{Action, Target, may};
use serde::Deserialize;

use super::my_leave::Balance;
use super::page::{Frame, PageError, Problem, render};
use super::session::{Posted, Refused, Signed};
use crate::AppState;

/// A request waiting for me, with what helps to decide it.
pub struct Waiting {
    pub id: i64,
    pub person: String,
    pub department: Option<String>,
    pub type_name: String,
    pub colour: super::grid::TypeClass,
    pub dates: String,
    pub amount: String,
    pub note: Option<String>,
    pub balance: Option<Balance>,
    /// Colleagues off on some of those days: name and dates.
    pub also_off: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "approvals.html")]
struct ApprovalsPage {
    frame: Frame,
    notice: Option<&'static str>,
    waiting: Vec<Waiting>,
    /// A refusal of the decision on request `failed`.
    failed: i64,
    problem: Problem,
}

/// An id in a page's path; anything else is no page.
pub fn path_id(text: &str) -> Result<i64, PageError> {
    text.parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(PageError::not_found)
}

/// The page is for those who may list their staff (approvers and super users).
fn ensure_may_approve(signed: &Signed) -> Result<(), PageError> {
    let actor = &signed.actor;
    if may(
        actor,
        Action::ListMyStaff,
        Target::Company(actor.company_id),
    ) {
        Ok(())
    } else {
        Err(PageError::forbidden())
    }
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
    ensure_may_approve(&signed)?;
    let notice = match query.done.as_deref() {
        Some("approved") => Some("The request is approved."),
        Some("declined") => Some("The request is declined."),
        _ => None,
    };
    render(&approvals_page(&state, &signed, notice, 0, Problem::default()).await?)
}

async fn approvals_page(
    state: &AppState,
    signed: &Signed,
    notice: Option<&'static str>,
    failed: i64,
    problem: Problem,
) -> Result<ApprovalsPage, PageError> {
    let frame = Frame::load(state, signed, "/approvals", "Approvals").await?;
    let actor = &signed.actor;
    let mine = request::awaiting_decision(&state.db, actor).await?;
    let mut waiting = Vec::with_capacity(mine.len());
    for detail in request::describe(&state.db, actor, mine).await? {
        waiting.push(waiting_of(state, signed, detail).await?);
    }
    Ok(ApprovalsPage {
        frame,
        notice,
        waiting,
        failed,
        problem,
    })
}

async fn waiting_of(
    state: &AppState,
    signed: &Signed,
    detail: RequestDetail,
) -> Result<Waiting, PageError> {
    let actor = &signed.actor;
    let request = &detail.request;
    let start = request.start_date.to_string();
    let balance = allowance::for_user(&state.db, actor, request.user_id, Some(&start))
        .await?
        .iter()
        .find(|a| {
            a.leave_type_id == request.leave_type_id
                && a.year_start <= request.start_date
                && request.start_date <= a.year_end
        })
        .map(Balance::of);
    let team = detail
        .holder
        .department_id
        .map_or(Holders::StaffOf(actor.user_id), Holders::Department);
    let also_off = whos_off::who_is_off(
        &state.db,
        actor,
        &start,
        &request.end_date.to_string(),
        WhoFilter {
            people: Some(team),
            only_off: true,
            ..WhoFilter::default()
        },
    )
    .await?
    .into_iter()
    .filter(|p| p.user_id != request.user_id)
    .map(|p| {
        let dates = p
            .absences
            .iter()
            .map(|a| format!("{} to {} ({})", a.start_date, a.end_date, a.label))
            .collect::<Vec<_>>()
            .join(", ");
        (format!("{} {}", p.first_name, p.last_name), dates)
    })
    .collect();
    Ok(Waiting {
        id: request.id,
        person: format!("{} {}", detail.holder.first_name, detail.holder.last_name),
        department: detail.holder.department_name.clone(),
        type_name: detail.leave_type_name.clone(),
        colour: super::grid::TypeClass(Some(request.leave_type_id)),
        dates: if request.start_date == request.end_date {
            request.start_date.to_string()
        } else {
            format!("{} to {}", request.start_date, request.end_date)
        },
        amount: super::format::amount(request.amount, request.unit),
        note: request.note.clone(),
        balance,
        also_off,
    })
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    reason: String,
}

impl DecisionForm {
    fn decision(self) -> Decision {
        Decision {
            reason: Some(self.reason).filter(|r| !r.trim().is_empty()),
            override_staffing: false,
            open_shifts: false,
        }
    }
}

pub async fn approve(
    state: State<AppState>,
    Path(id): Path<String>,
    posted: Posted<DecisionForm>,
) -> Result<Response, Refused> {
    decide(state, &id, posted, true).await
}

pub async fn decline(
    state: State<AppState>,
    Path(id): Path<String>,
    posted: Posted<DecisionForm>,
) -> Result<Response, Refused> {
    decide(state, &id, posted, false).await
}

async fn decide(
    State(state): State<AppState>,
    id: &str,
    posted: Posted<DecisionForm>,
    approving: bool,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_may_approve(&signed)?;
    let id = path_id(id)?;
    let actor = &signed.actor;
    let outcome = if approving {
        request::approve(&state.db, actor, id, form.decision()).await
    } else {
        request::decline(&state.db, actor, id, form.decision()).await
    };
    match outcome {
        Ok(_) if approving => Ok(Redirect::to("/approvals?done=approved").into_response()),
        Ok(_) => Ok(Redirect::to("/approvals?done=declined").into_response()),
        Err(error) => {
            let error = PageError::from(error);
            let status = error.status;
            let problem = Problem::of(&error, &["reason"]);
            let page = approvals_page(&state, &signed, None, id, problem).await?;
            let mut response = render(&page)?;
            *response.status_mut() = status;
            Ok(response)
        }
    }
}
