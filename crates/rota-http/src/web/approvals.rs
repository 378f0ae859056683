//! Approvals: the leave and the overtime waiting for my decision, leave with the
//! requester's balance for that leave year, who else of their team is off on those days
//! and their shifts then; approve (opening those shifts to others, or, for a super user
//! whom the core refused, below the department's minimum staffing), or decline with a
//! reason. The page is for those who may list their staff; a request is listed when the
//! core says I may decide it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::leave::allowance;
use rota_core::leave::request::{self, Decision, Holders, RequestDetail};
use rota_core::leave::types::TypeKind;
use rota_core::leave::whos_off::{self, WhoFilter};
use rota_core::policy::{Action, Target, may};
use serde::Deserialize;

use super::my_leave::Balance;
use super::page::{Frame, PageError, Problem, render, render_as};
use super::schedule::view::{Names, ShiftView};
use super::session::{Posted, Refused, Signed};
use super::sign_in::DoneQuery;
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
    /// Colleagues off on some of those days: name and dates (leave only).
    pub also_off: Vec<(String, String)>,
    /// The requester's published shifts on those days, as `Mon 7 Dec 09:00–17:00`.
    pub shifts: Vec<String>,
    pub overtime: bool,
}

/// The requests of one kind waiting for me, under a heading.
struct Section {
    slug: &'static str,
    heading: &'static str,
    waiting: Vec<Waiting>,
}

#[derive(Template)]
#[template(path = "approvals.html")]
struct ApprovalsPage {
    frame: Frame,
    notice: Option<&'static str>,
    sections: [Section; 2],
    /// A refusal of the decision on request `failed`.
    failed: i64,
    problem: Problem,
    /// The refusal was the department's minimum staffing, which I may override.
    offer_override: bool,
    /// I may open shifts to others, so approving leave may open the requester's.
    may_open_shifts: bool,
}

impl ApprovalsPage {
    fn nothing_waiting(&self) -> bool {
        self.sections.iter().all(|s| s.waiting.is_empty())
    }
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

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    ensure_may_approve(&signed)?;
    let notice = match query.done.as_deref() {
        Some("approved") => Some("The request is approved."),
        Some("declined") => Some("The request is declined."),
        _ => None,
    };
    render(&approvals_page(&state, &signed, notice, Refusal::default()).await?)
}

/// A refused decision on request `failed`, shown on its card.
#[derive(Default)]
struct Refusal {
    failed: i64,
    problem: Problem,
    understaffed: bool,
}

async fn approvals_page(
    state: &AppState,
    signed: &Signed,
    notice: Option<&'static str>,
    refusal: Refusal,
) -> Result<ApprovalsPage, PageError> {
    let frame = Frame::load(state, signed, "/approvals", "Approvals").await?;
    let actor = &signed.actor;
    let company = Target::Company(actor.company_id);
    let leave = waiting(state, signed, TypeKind::Leave).await?;
    let overtime = waiting(state, signed, TypeKind::Overtime).await?;
    Ok(ApprovalsPage {
        frame,
        notice,
        sections: [
            Section {
                slug: "leave",
                heading: "Leave",
                waiting: leave,
            },
            Section {
                slug: "overtime",
                heading: "Overtime",
                waiting: overtime,
            },
        ],
        failed: refusal.failed,
        problem: refusal.problem,
        offer_override: refusal.understaffed && may(actor, Action::OverrideStaffing, company),
        may_open_shifts: may(actor, Action::ScheduleShifts, company),
    })
}

/// The requests of `kind` waiting for me, with what helps to decide them.
async fn waiting(
    state: &AppState,
    signed: &Signed,
    kind: TypeKind,
) -> Result<Vec<Waiting>, PageError> {
    let actor = &signed.actor;
    let mine = request::awaiting_decision(&state.db, actor, kind).await?;
    let mut waiting = Vec::with_capacity(mine.len());
    for detail in request::describe(&state.db, actor, mine).await? {
        waiting.push(waiting_of(state, signed, detail).await?);
    }
    Ok(waiting)
}

async fn waiting_of(
    state: &AppState,
    signed: &Signed,
    detail: RequestDetail,
) -> Result<Waiting, PageError> {
    let request = &detail.request;
    let overtime = request.kind == TypeKind::Overtime;
    let (balance, also_off, shifts) = if overtime {
        (None, Vec::new(), Vec::new())
    } else {
        (
            balance(state, signed, &detail).await?,
            also_off(state, signed, &detail).await?,
            shifts_under(state, signed, request.id).await?,
        )
    };
    Ok(Waiting {
        id: request.id,
        person: format!("{} {}", detail.holder.first_name, detail.holder.last_name),
        department: detail.holder.department_name.clone(),
        type_name: detail.leave_type_name.clone(),
        colour: super::grid::TypeClass(Some(request.leave_type_id)),
        dates: super::format::request_dates(request),
        amount: super::format::amount(request.amount, request.unit),
        note: request.note.clone(),
        balance,
        also_off,
        shifts,
        overtime,
    })
}

/// The requester's balance of the request's type in the leave year it starts in.
async fn balance(
    state: &AppState,
    signed: &Signed,
    detail: &RequestDetail,
) -> Result<Option<Balance>, PageError> {
    let request = &detail.request;
    let start = request.start_date.to_string();
    Ok(
        allowance::for_user(&state.db, &signed.actor, request.user_id, Some(&start))
            .await?
            .iter()
            .find(|a| {
                a.leave_type_id == request.leave_type_id
                    && a.year_start <= request.start_date
                    && request.start_date <= a.year_end
            })
            .map(Balance::of),
    )
}

/// The requester's team (their department, else my staff) off on some of its days.
async fn also_off(
    state: &AppState,
    signed: &Signed,
    detail: &RequestDetail,
) -> Result<Vec<(String, String)>, PageError> {
    let actor = &signed.actor;
    let request = &detail.request;
    let team = detail
        .holder
        .department_id
        .map_or(Holders::StaffOf(actor.user_id), Holders::Department);
    let filter = WhoFilter {
        people: Some(team),
        only_off: true,
        ..WhoFilter::default()
    };
    let (from, to) = (request.start_date.to_string(), request.end_date.to_string());
    Ok(whos_off::who_is_off(&state.db, actor, &from, &to, filter)
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
        .collect())
}

/// The requester's published shifts on the request's days.
async fn shifts_under(
    state: &AppState,
    signed: &Signed,
    id: i64,
) -> Result<Vec<String>, PageError> {
    let names = Names::default();
    Ok(
        rota_core::schedule::under_request(&state.db, &signed.actor, id)
            .await?
            .iter()
            .filter_map(|shift| ShiftView::of(shift, &names))
            .map(|view| format!("{} {}", view.day_label, view.times))
            .collect(),
    )
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    reason: String,
    /// A checkbox: `on` when ticked, absent otherwise.
    #[serde(default)]
    override_staffing: Option<String>,
    #[serde(default)]
    open_shifts: Option<String>,
}

impl DecisionForm {
    fn decision(self) -> Decision {
        Decision {
            reason: Some(self.reason).filter(|r| !r.trim().is_empty()),
            override_staffing: self.override_staffing.is_some(),
            open_shifts: self.open_shifts.is_some(),
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
            let refusal = Refusal {
                failed: id,
                problem: Problem::of(&error, &["reason"]),
                understaffed: error.code == rota_core::error::code::UNDERSTAFFED,
            };
            let page = approvals_page(&state, &signed, None, refusal).await?;
            Ok(render_as(status, &page)?)
        }
    }
}
