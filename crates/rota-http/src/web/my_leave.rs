//! My leave: my balances this leave year and next, my requests (upcoming and past, with a
//! cancel button where the core allows), and the request form. The form's "check" shows
//! the core's quote (the duration, day by day, and what would remain) without JavaScript;
//! with it, the same quote comes from `POST /leave/quote` as the dates are picked.
//! Refusals are the core's own, shown next to the field they name.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use rota_core::leave::allowance::{self, Allowance};
use rota_core::leave::duration::DayPart;
use rota_core::leave::request::{
    self, Decision, LeaveRequestInput, Quote, RequestDetail, RequestFilter, RequestStatus,
};
use rota_core::leave::types::{LeaveType, TypeKind};
use rota_core::policy::{Action, Target, may};
use serde::Deserialize;

use super::format;
use super::page::{Frame, PageError, Problem, render};
use super::session::{Posted, Refused, Signed};
use crate::AppState;

/// The fields of the request form, as the core names them, so that a refusal's field
/// finds its input.
const FIELDS: [&str; 6] = [
    "leave_type_id",
    "start_date",
    "end_date",
    "start_part",
    "end_part",
    "note",
];

/// A balance as the page shows it.
pub struct Balance {
    pub type_name: String,
    pub year: String,
    pub entitlement: String,
    pub taken: String,
    pub pending: String,
    pub remaining: String,
    pub carryover: Option<String>,
    /// The bar: taken and pending of the whole entitlement, in the allowance's unit.
    pub used: i64,
    pub total: i64,
}

impl Balance {
    pub(super) fn of(allowance: &Allowance) -> Self {
        let unit = allowance.unit;
        let total = allowance.opening + allowance.adjustments + allowance.carryover_opening;
        Self {
            type_name: allowance.leave_type_name.clone(),
            year: format!("{} to {}", allowance.year_start, allowance.year_end),
            entitlement: format::amount(total, unit),
            taken: format::amount(allowance.taken, unit),
            pending: format::amount(allowance.pending, unit),
            remaining: format::amount(allowance.remaining, unit),
            carryover: (allowance.carryover_opening != 0).then(|| {
                let left = format::amount(allowance.carryover_remaining, unit);
                match allowance.carryover_expiry_date {
                    Some(expiry) => format!("{left} carried over, until {expiry}"),
                    None => format!("{left} carried over"),
                }
            }),
            used: (allowance.taken + allowance.pending).clamp(0, total.max(0)),
            total: total.max(1),
        }
    }
}

/// A request as a row of the lists.
pub struct RequestRow {
    pub id: i64,
    pub type_name: String,
    pub colour: super::grid::TypeClass,
    pub dates: String,
    pub amount: String,
    pub status: &'static str,
    pub reason: Option<String>,
    pub cancellable: bool,
}

pub(super) fn request_row(detail: RequestDetail, may_change: bool, today: Date) -> RequestRow {
    let request = detail.request;
    let dates = format::request_dates(&request);
    RequestRow {
        id: request.id,
        type_name: detail.leave_type_name,
        colour: super::grid::TypeClass(Some(request.leave_type_id)),
        dates,
        amount: format::amount(request.amount, request.unit),
        status: request.status.as_str(),
        reason: request.decision_reason,
        cancellable: may_change
            && request.end_date >= today
            && matches!(
                request.status,
                RequestStatus::Pending | RequestStatus::Approved
            ),
    }
}

/// The quote as the page shows it.
pub struct QuoteView {
    pub total: String,
    pub days: Vec<(Date, &'static str, String)>,
    pub available_after: Option<String>,
    pub warnings: Vec<String>,
}

impl QuoteView {
    fn of(quote: &Quote) -> Self {
        let unit = quote.unit;
        Self {
            total: format::amount(quote.amount, unit),
            days: quote
                .days
                .iter()
                .map(|day| {
                    let part = match (&day.day_off, day.part) {
                        (Some(_), _) => "not counted",
                        (None, DayPart::Full) => "whole day",
                        (None, DayPart::Morning) => "morning",
                        (None, DayPart::Afternoon) => "afternoon",
                    };
                    let amount = match unit {
                        rota_core::people::types::AllowanceUnit::Days => {
                            format::days(day.day_hundredths)
                        }
                        rota_core::people::types::AllowanceUnit::Hours => {
                            format::hours(day.minutes)
                        }
                    };
                    (day.date, part, amount)
                })
                .collect(),
            available_after: quote.available_after.map(|a| format::amount(a, unit)),
            warnings: quote.warnings.clone(),
        }
    }
}

/// The request form's values, as sent.
#[derive(Deserialize, Default)]
pub struct RequestForm {
    #[serde(default)]
    leave_type_id: String,
    #[serde(default)]
    start_date: String,
    #[serde(default)]
    end_date: String,
    #[serde(default)]
    start_part: DayPart,
    #[serde(default)]
    end_part: DayPart,
    #[serde(default)]
    note: String,
    /// `check` for the quote only; anything else asks.
    #[serde(default)]
    action: String,
}

impl RequestForm {
    fn input(&self) -> Result<LeaveRequestInput, PageError> {
        let leave_type_id = self.leave_type_id.parse().map_err(|_| {
            PageError::from(rota_core::Error::invalid(
                "leave_type_id",
                "pick a leave type",
            ))
        })?;
        Ok(LeaveRequestInput {
            user_id: None,
            leave_type_id,
            start_date: self.start_date.clone(),
            end_date: self.end_date.clone(),
            start_part: Some(self.start_part),
            end_part: Some(self.end_part),
            start_time: None,
            end_time: None,
            note: Some(self.note.clone()).filter(|n| !n.trim().is_empty()),
        })
    }

    fn selected_part(&self, which: &str, part: &str) -> bool {
        let chosen = if which == "start" {
            self.start_part
        } else {
            self.end_part
        };
        let name = match chosen {
            DayPart::Full => "full",
            DayPart::Morning => "morning",
            DayPart::Afternoon => "afternoon",
        };
        name == part
    }
}

#[derive(Template)]
#[template(path = "leave.html")]
struct LeavePage {
    frame: Frame,
    notice: Option<&'static str>,
    balances: Vec<Balance>,
    upcoming: Vec<RequestRow>,
    past: Vec<RequestRow>,
    types: Vec<LeaveType>,
    form: RequestForm,
    quote: Option<QuoteView>,
    problem: Problem,
}

#[derive(Template)]
#[template(path = "quote.html")]
struct QuoteFragment {
    quote: Option<QuoteView>,
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
    let notice = match query.done.as_deref() {
        Some("requested") => Some("Your request is made."),
        Some("cancelled") => Some("The request is cancelled."),
        _ => None,
    };
    let page = leave_page(
        &state,
        &signed,
        RequestForm::default(),
        None,
        Problem::default(),
        notice,
    )
    .await?;
    render(&page)
}

async fn leave_page(
    state: &AppState,
    signed: &Signed,
    form: RequestForm,
    quote: Option<QuoteView>,
    problem: Problem,
    notice: Option<&'static str>,
) -> Result<LeavePage, PageError> {
    let frame = Frame::load(state, signed, "/leave", "My leave").await?;
    let actor = &signed.actor;
    let me = actor.user_id;
    let balances = allowance::for_user(&state.db, actor, me, None)
        .await?
        .iter()
        .map(Balance::of)
        .collect();
    // The requests of the last year and after: the list pages by id, so a bound on dates
    // keeps the upcoming ones in its one page whatever the person's history.
    let year_ago = frame
        .today
        .checked_sub(jiff::Span::new().years(1))
        .unwrap_or(frame.today);
    let filter = RequestFilter {
        user_id: Some(me),
        kind: Some(TypeKind::Leave),
        from: Some(year_ago),
        ..RequestFilter::default()
    };
    let requests = request::list(
        &state.db,
        actor,
        filter,
        Some(rota_core::paging::MAX_LIMIT),
        None,
    )
    .await?
    .data;
    let requests = request::describe(&state.db, actor, requests).await?;
    let may_change = rota_core::people::service::capabilities(&state.db, actor, &[me])
        .await?
        .get(&me)
        .is_some_and(|c| c.allows(Action::ChangeLeave { overtime: false }));
    let (mut upcoming, mut past): (Vec<_>, Vec<_>) = requests
        .into_iter()
        .partition(|d| d.request.end_date >= frame.today);
    upcoming.sort_by_key(|d| d.request.start_date);
    past.sort_by_key(|d| std::cmp::Reverse(d.request.start_date));
    let today = frame.today;
    let types = rota_core::leave::types::of_kind(&state.db, actor, TypeKind::Leave, Some(true))
        .await?
        .into_iter()
        .filter(|t| may(actor, Action::BookLeaveType, Target::LeaveType(&t.facts())))
        .collect();
    Ok(LeavePage {
        frame,
        notice,
        balances,
        upcoming: upcoming
            .into_iter()
            .map(|d| request_row(d, may_change, today))
            .collect(),
        past: past
            .into_iter()
            .map(|d| request_row(d, may_change, today))
            .collect(),
        types,
        form,
        quote,
        problem,
    })
}

/// The request form posted: the quote when checking, else the request itself.
pub async fn submit(
    State(state): State<AppState>,
    posted: Posted<RequestForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    let checking = form.action == "check";
    let outcome = match form.input() {
        Ok(input) if checking => request::quote(&state.db, &signed.actor, input)
            .await
            .map(|quote| Some(QuoteView::of(&quote)))
            .map_err(PageError::from),
        Ok(input) => request::create(&state.db, &signed.actor, input)
            .await
            .map(|_| None)
            .map_err(PageError::from),
        Err(error) => Err(error),
    };
    let (quote, problem, status) = match outcome {
        Ok(None) => return Ok(Redirect::to("/leave?done=requested").into_response()),
        Ok(quote) => (quote, Problem::default(), StatusCode::OK),
        Err(error) => {
            let status = error.status;
            (None, Problem::of(&error, &FIELDS), status)
        }
    };
    let page = leave_page(&state, &signed, form, quote, problem, None).await?;
    let mut response = render(&page)?;
    *response.status_mut() = status;
    Ok(response)
}

/// The quote of the form as it stands, as a fragment of HTML for the page's script.
pub async fn quote(
    State(state): State<AppState>,
    posted: Posted<RequestForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    let outcome = match form.input() {
        Ok(input) => request::quote(&state.db, &signed.actor, input)
            .await
            .map_err(PageError::from),
        Err(error) => Err(error),
    };
    let fragment = match outcome {
        Ok(quote) => QuoteFragment {
            quote: Some(QuoteView::of(&quote)),
            problem: Problem::default(),
        },
        // An incomplete form is no error while it is being filled in: the fragment says
        // what the core says, and the status stays 200 for the script.
        Err(error) => QuoteFragment {
            quote: None,
            problem: Problem::of(&error, &[]),
        },
    };
    Ok(render(&fragment)?)
}

/// Cancels one of my requests; the core decides whether it still may be.
pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<super::sign_in::Nothing>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    let id = super::approvals::path_id(&id)?;
    request::cancel(&state.db, &signed.actor, id, Decision::default())
        .await
        .map_err(PageError::from)?;
    Ok(Redirect::to("/leave?done=cancelled").into_response())
}
