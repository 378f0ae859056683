//! Payroll, for who may see it (`Action::ViewPayroll`): the pay periods; a period's hours
//! by person and type (regular, overtime, paid leave, holiday) as hours:minutes and their
//! cost as money; close, reopen and finalise where the person may; and the period's CSV,
//! streamed from the core's export (the API's `export.csv` takes no cookie). Every read and
//! write is the core's `payroll` service, as `/api/v1/payroll-periods` calls it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::paging::MAX_LIMIT;
use rota_core::payroll::{
    self, ClosePayrollPeriodInput, HoursType, PayrollPeriod, PeriodStatus, ReopenPayrollPeriodInput,
};
use rota_core::policy::{Action, Target, may};
use serde::Deserialize;

use super::approvals::path_id;
use super::format;
use super::page::{Frame, PageError, PersonNames, Problem, render};
use super::session::{Posted, Refused, Signed};
use crate::AppState;

fn allowed(signed: &Signed, action: Action) -> bool {
    let actor = &signed.actor;
    may(actor, action, Target::Company(actor.company_id))
}

fn ensure_may_view(signed: &Signed) -> Result<(), PageError> {
    if allowed(signed, Action::ViewPayroll) {
        Ok(())
    } else {
        Err(PageError::forbidden())
    }
}

/// A period as a row of the list.
pub struct PeriodRow {
    pub id: i64,
    pub dates: String,
    pub status: &'static str,
}

fn period_row(period: &PayrollPeriod) -> PeriodRow {
    PeriodRow {
        id: period.id,
        dates: format!("{} to {}", period.start_date, period.end_date),
        status: period.status.as_str(),
    }
}

#[derive(Template)]
#[template(path = "payroll.html")]
struct PeriodsPage {
    frame: Frame,
    periods: Vec<PeriodRow>,
}

pub async fn periods(State(state): State<AppState>, signed: Signed) -> Result<Response, PageError> {
    ensure_may_view(&signed)?;
    let frame = Frame::load(&state, &signed, "/payroll", "Payroll").await?;
    let mut periods: Vec<PeriodRow> =
        payroll::list(&state.db, &signed.actor, Some(MAX_LIMIT), None)
            .await?
            .data
            .iter()
            .map(period_row)
            .collect();
    periods.reverse();
    render(&PeriodsPage { frame, periods })
}

/// One person's hours in a period, a column per type.
pub struct PersonHours {
    pub name: String,
    /// Hours:minutes of each of [`HoursType::ALL`], empty where none.
    pub minutes: Vec<String>,
    pub cost: String,
}

#[derive(Template)]
#[template(path = "payroll_period.html")]
struct PeriodPage {
    frame: Frame,
    notice: Option<&'static str>,
    problem: Problem,
    period: PeriodRow,
    types: Vec<&'static str>,
    people: Vec<PersonHours>,
    totals: Vec<String>,
    total_cost: String,
    may_close: bool,
    may_reopen: bool,
    may_finalise: bool,
}

fn type_label(kind: HoursType) -> &'static str {
    match kind {
        HoursType::Regular => "Regular",
        HoursType::Overtime => "Overtime",
        HoursType::PaidLeave => "Paid leave",
        HoursType::Holiday => "Holiday",
    }
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn period(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    ensure_may_view(&signed)?;
    let id = path_id(&id)?;
    let notice = match query.done.as_deref() {
        Some("closed") => Some("The period is closed: its hours are frozen."),
        Some("reopened") => Some("The period is open again."),
        Some("finalised") => Some("The period is finalised for good."),
        _ => None,
    };
    render(&period_page(&state, &signed, id, notice, Problem::default()).await?)
}

async fn period_page(
    state: &AppState,
    signed: &Signed,
    id: i64,
    notice: Option<&'static str>,
    problem: Problem,
) -> Result<PeriodPage, PageError> {
    let actor = &signed.actor;
    let hours = payroll::get(&state.db, actor, id).await?;
    let frame = Frame::load(state, signed, "/payroll", "Pay period").await?;
    let names = PersonNames::load(state, signed, hours.hours.iter().map(|h| h.user_id)).await?;
    let column = |kind: HoursType| HoursType::ALL.iter().position(|k| *k == kind);
    let mut people: Vec<(i64, Vec<i64>, i64)> = Vec::new();
    for row in &hours.hours {
        if people
            .last()
            .is_none_or(|(user, _, _)| *user != row.user_id)
        {
            people.push((row.user_id, vec![0; HoursType::ALL.len()], 0));
        }
        if let (Some((_, minutes, cost)), Some(at)) = (people.last_mut(), column(row.kind)) {
            minutes[at] += row.minutes;
            *cost += row.cost_cents;
        }
    }
    let shown = |m: i64| {
        if m == 0 {
            String::new()
        } else {
            format::clock(m)
        }
    };
    let status = hours.period.status;
    Ok(PeriodPage {
        frame,
        notice,
        problem,
        period: period_row(&hours.period),
        types: HoursType::ALL.into_iter().map(type_label).collect(),
        people: people
            .into_iter()
            .map(|(user, minutes, cost)| PersonHours {
                name: names.of(user),
                minutes: minutes.into_iter().map(shown).collect(),
                cost: format::money(cost),
            })
            .collect(),
        totals: HoursType::ALL
            .into_iter()
            .map(|kind| {
                hours
                    .totals_by_type
                    .iter()
                    .find(|t| t.kind == kind)
                    .map_or_else(String::new, |t| format::clock(t.minutes))
            })
            .collect(),
        total_cost: format::money(hours.total_cost_cents),
        may_close: status == PeriodStatus::Open && allowed(signed, Action::ClosePayroll),
        may_reopen: status == PeriodStatus::Closed && allowed(signed, Action::ReopenPayroll),
        may_finalise: status == PeriodStatus::Closed && allowed(signed, Action::ClosePayroll),
    })
}

/// The period's hours as the core's CSV, as a download.
pub async fn export(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    ensure_may_view(&signed)?;
    let id = path_id(&id)?;
    let csv = payroll::export::csv(&state.db, &signed.actor, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"payroll-period-{id}.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}

/// The close, reopen and finalise forms: a note, whether to pay unapproved entries as they
/// stand, a reason to reopen.
#[derive(Deserialize, Default)]
pub struct PeriodForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    include_unapproved: Option<String>,
    #[serde(default)]
    reason: String,
}

pub async fn close(
    state: State<AppState>,
    Path(id): Path<String>,
    posted: Posted<PeriodForm>,
) -> Result<Response, Refused> {
    change(state, &id, posted, Step::Close).await
}

pub async fn reopen(
    state: State<AppState>,
    Path(id): Path<String>,
    posted: Posted<PeriodForm>,
) -> Result<Response, Refused> {
    change(state, &id, posted, Step::Reopen).await
}

pub async fn finalise(
    state: State<AppState>,
    Path(id): Path<String>,
    posted: Posted<PeriodForm>,
) -> Result<Response, Refused> {
    change(state, &id, posted, Step::Finalise).await
}

#[derive(Clone, Copy)]
enum Step {
    Close,
    Reopen,
    Finalise,
}

async fn change(
    State(state): State<AppState>,
    id: &str,
    posted: Posted<PeriodForm>,
    step: Step,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_may_view(&signed)?;
    let id = path_id(id)?;
    let (db, actor) = (&state.db, &signed.actor);
    let outcome = match step {
        Step::Close => {
            let input = ClosePayrollPeriodInput {
                include_unapproved: form.include_unapproved.is_some(),
                note: Some(form.note).filter(|n| !n.trim().is_empty()),
            };
            payroll::close(db, actor, id, input).await.map(|_| "closed")
        }
        Step::Reopen => {
            let input = ReopenPayrollPeriodInput {
                reason: form.reason,
            };
            payroll::reopen(db, actor, id, input)
                .await
                .map(|_| "reopened")
        }
        Step::Finalise => payroll::finalise(db, actor, id).await.map(|_| "finalised"),
    };
    match outcome {
        Ok(done) => Ok(Redirect::to(&format!("/payroll/{id}?done={done}")).into_response()),
        Err(error) => {
            let error = PageError::from(error);
            let status = error.status;
            let problem = Problem::of(&error, &["note", "reason"]);
            let mut response = render(&period_page(&state, &signed, id, None, problem).await?)?;
            *response.status_mut() = status;
            Ok(response)
        }
    }
}
