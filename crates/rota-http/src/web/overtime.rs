//! My overtime: the time I worked beyond my hours, logged for my approver (approved, it
//! adds to my time off in lieu), and my overtime of the last year, with a cancel button
//! where the core allows. Refusals are the core's own, shown next to their field.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use rota_core::leave::request::{self, Decision, LeaveRequestInput, RequestFilter};
use rota_core::leave::types::{LeaveType, TypeKind};
use rota_core::policy::{Action, Target, may};
use serde::Deserialize;

use super::ends::Ends;
use super::my_leave::{RequestRow, request_row};
use super::page::{Frame, PageError, Problem, render, render_as};
use super::session::{Posted, Refused, Signed};
use super::sign_in::DoneQuery;
use crate::AppState;

/// The fields of the form, as the core names them, so that a refusal finds its input.
const FIELDS: [&str; 6] = [
    "leave_type_id",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "note",
];

/// The form's values, as sent.
#[derive(Deserialize, Default)]
pub struct OvertimeForm {
    #[serde(default)]
    leave_type_id: String,
    /// When the time worked started and ended.
    #[serde(flatten)]
    ends: Ends,
    #[serde(default)]
    note: String,
}

impl OvertimeForm {
    /// An empty form whose dates are `today`.
    fn on(today: Date) -> Self {
        Self {
            ends: Ends {
                start_date: today.to_string(),
                end_date: today.to_string(),
                ..Ends::default()
            },
            ..Self::default()
        }
    }

    fn input(&self) -> Result<LeaveRequestInput, PageError> {
        let leave_type_id = self.leave_type_id.parse().map_err(|_| {
            PageError::from(rota_core::Error::invalid(
                "leave_type_id",
                "pick an overtime type",
            ))
        })?;
        let given = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        Ok(LeaveRequestInput {
            user_id: None,
            leave_type_id,
            start_date: self.ends.start_date.clone(),
            end_date: self.ends.end_date.clone(),
            start_part: None,
            end_part: None,
            start_time: given(&self.ends.start_time),
            end_time: given(&self.ends.end_time),
            note: given(&self.note),
        })
    }
}

#[derive(Template)]
#[template(path = "overtime.html")]
struct OvertimePage {
    frame: Frame,
    notice: Option<&'static str>,
    types: Vec<LeaveType>,
    form: OvertimeForm,
    problem: Problem,
    requests: Vec<RequestRow>,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let notice = match query.done.as_deref() {
        Some("logged") => Some("Your overtime is logged for approval."),
        Some("cancelled") => Some("The overtime is cancelled."),
        _ => None,
    };
    render(&overtime_page(&state, &signed, None, Problem::default(), notice).await?)
}

async fn overtime_page(
    state: &AppState,
    signed: &Signed,
    form: Option<OvertimeForm>,
    problem: Problem,
    notice: Option<&'static str>,
) -> Result<OvertimePage, PageError> {
    let frame = Frame::load(state, signed, "/overtime", "My overtime").await?;
    let actor = &signed.actor;
    let me = actor.user_id;
    let today = frame.today;
    let types = rota_core::leave::types::of_kind(&state.db, actor, TypeKind::Overtime, Some(true))
        .await?
        .into_iter()
        .filter(|t| may(actor, Action::BookLeaveType, Target::LeaveType(&t.facts())))
        .collect();
    // The last year's and after: the list pages by id, so a bound on dates keeps them in
    // its one page whatever the person's history.
    let year_ago = today
        .checked_sub(jiff::Span::new().years(1))
        .unwrap_or(today);
    let filter = RequestFilter {
        user_id: Some(me),
        kind: Some(TypeKind::Overtime),
        from: Some(year_ago),
        ..RequestFilter::default()
    };
    let limit = Some(rota_core::paging::MAX_LIMIT);
    let listed = request::list(&state.db, actor, filter, limit, None)
        .await?
        .data;
    let mut listed = request::describe(&state.db, actor, listed).await?;
    listed.sort_by_key(|d| std::cmp::Reverse((d.request.start_date, d.request.id)));
    let may_change = rota_core::people::service::capabilities(&state.db, actor, &[me])
        .await?
        .get(&me)
        .is_some_and(|c| c.allows(Action::ChangeLeave { overtime: true }));
    Ok(OvertimePage {
        form: form.unwrap_or_else(|| OvertimeForm::on(today)),
        frame,
        notice,
        types,
        problem,
        requests: listed
            .into_iter()
            .map(|d| request_row(d, may_change, today))
            .collect(),
    })
}

/// The form posted: the overtime is logged for approval, or the page says why not.
pub async fn submit(
    State(state): State<AppState>,
    posted: Posted<OvertimeForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    let outcome = match form.input() {
        Ok(input) => {
            request::create_of_kind(&state.db, &signed.actor, input, Some(TypeKind::Overtime))
                .await
                .map_err(PageError::from)
        }
        Err(error) => Err(error),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to("/overtime?done=logged").into_response()),
        Err(error) => {
            let status = error.status;
            let problem = Problem::of(&error, &FIELDS);
            let page = overtime_page(&state, &signed, Some(form), problem, None).await?;
            Ok(render_as(status, &page)?)
        }
    }
}

/// Cancels one of my overtime requests; the core decides whether it still may be.
pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<super::sign_in::Nothing>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    let id = super::approvals::path_id(&id)?;
    let kind = Some(TypeKind::Overtime);
    request::cancel_of_kind(&state.db, &signed.actor, id, Decision::default(), kind)
        .await
        .map_err(PageError::from)?;
    Ok(Redirect::to("/overtime?done=cancelled").into_response())
}
