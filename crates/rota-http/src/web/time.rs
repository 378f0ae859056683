//! The time clock: clock in (where, in which position) and out, my entries of the last
//! four weeks; for those who list their staff, who is clocked in now and the finished
//! entries waiting for approval, approved with a button, each linked to its correction
//! ([`super::time_entry`]). The core's `time_clock` service, as `/api/v1/times` calls it,
//! decides who may and refuses what it refuses (`already_clocked_in`, `not_clocked_in`,
//! a closed payroll period), shown above the form.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::ToSpan;
use jiff::tz::TimeZone;
use rota_core::paging::MAX_LIMIT;
use rota_core::policy::{Action, Target, may};
use rota_core::time_clock::{self, ClockInInput, ClockOutInput, TimeEntry, TimeEntryFilter};
use serde::Deserialize;

use super::approvals::path_id;
use super::format;
use super::page::{Frame, PageError, PersonNames, Problem, render};
use super::schedule::{Org, local, optional_id};
use super::session::{Posted, Refused, Signed};
use crate::AppState;

/// An entry as the page shows it, in its zone.
pub struct EntryRow {
    pub id: i64,
    pub person: String,
    pub day: String,
    pub times: String,
    /// Hours:minutes worked (rounded), or empty while it runs.
    pub worked: String,
    pub approved: bool,
    pub running: bool,
}

fn entry_row(entry: &TimeEntry, person: String) -> EntryRow {
    let zone = TimeZone::get(&entry.time_zone).unwrap_or(TimeZone::UTC);
    let start = local(&entry.start_time, &zone);
    let end = entry.end_time.as_deref().and_then(|end| local(end, &zone));
    EntryRow {
        id: entry.id,
        person,
        day: start
            .as_ref()
            .map(|z| z.strftime("%a %-d %b").to_string())
            .unwrap_or_default(),
        times: format!(
            "{}–{}",
            start
                .map(|z| z.strftime("%H:%M").to_string())
                .unwrap_or_default(),
            end.map(|z| z.strftime("%H:%M").to_string())
                .unwrap_or_default()
        ),
        worked: entry
            .rounded_worked_minutes
            .map(format::clock)
            .unwrap_or_default(),
        approved: entry.is_approved,
        running: entry.is_open,
    }
}

/// A choice of the clock-in form.
pub struct Choice {
    pub id: i64,
    pub name: String,
}

#[derive(Template)]
#[template(path = "time.html")]
struct TimePage {
    frame: Frame,
    notice: Option<&'static str>,
    problem: Problem,
    running: Option<EntryRow>,
    locations: Vec<Choice>,
    positions: Vec<Choice>,
    mine: Vec<EntryRow>,
    /// Entries of others still running, for those who list their staff.
    clocked_in: Option<Vec<EntryRow>>,
    /// Entries waiting for my approval, for those who list their staff.
    waiting: Option<Vec<EntryRow>>,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let notice = match query.done.as_deref() {
        Some("in") => Some("You are clocked in."),
        Some("out") => Some("You are clocked out."),
        Some("approved") => Some("The entry is approved."),
        Some("saved") => Some("The entry is saved."),
        Some("deleted") => Some("The entry is deleted."),
        _ => None,
    };
    render(&time_page(&state, &signed, notice, Problem::default()).await?)
}

async fn time_page(
    state: &AppState,
    signed: &Signed,
    notice: Option<&'static str>,
    problem: Problem,
) -> Result<TimePage, PageError> {
    let frame = Frame::load(state, signed, "/time", "Time clock").await?;
    let actor = &signed.actor;
    let from = frame.today.checked_sub(28.days()).ok();
    let running = time_clock::current(&state.db, actor)
        .await?
        .map(|e| entry_row(&e, String::new()));
    let filter = TimeEntryFilter {
        from,
        user_id: Some(actor.user_id),
        ..TimeEntryFilter::default()
    };
    let mut mine: Vec<EntryRow> = time_clock::list(&state.db, actor, filter, Some(MAX_LIMIT), None)
        .await?
        .data
        .iter()
        .map(|e| entry_row(e, String::new()))
        .collect();
    mine.reverse();
    let (waiting, clocked_in) = if may(
        actor,
        Action::ListMyStaff,
        Target::Company(actor.company_id),
    ) {
        (
            Some(others(state, signed, from, false).await?),
            Some(others(state, signed, from, true).await?),
        )
    } else {
        (None, None)
    };
    let org = Org::load(state, signed).await?;
    Ok(TimePage {
        frame,
        notice,
        problem,
        running,
        locations: org
            .locations
            .into_iter()
            .map(|l| Choice {
                id: l.id,
                name: l.name,
            })
            .collect(),
        positions: org
            .positions
            .into_iter()
            .map(|p| Choice {
                id: p.id,
                name: p.name,
            })
            .collect(),
        mine,
        waiting,
        clocked_in,
    })
}

/// The entries since `from` of the people I list, not approved: finished (`running`
/// false, waiting for approval) or still running (someone clocked in, perhaps who forgot
/// to clock out). Mine are on my own list.
async fn others(
    state: &AppState,
    signed: &Signed,
    from: Option<jiff::civil::Date>,
    running: bool,
) -> Result<Vec<EntryRow>, PageError> {
    let actor = &signed.actor;
    let filter = TimeEntryFilter {
        from,
        approved: Some(false),
        open: Some(running),
        ..TimeEntryFilter::default()
    };
    let entries: Vec<TimeEntry> = time_clock::list(&state.db, actor, filter, Some(MAX_LIMIT), None)
        .await?
        .data
        .into_iter()
        .filter(|e| e.user_id != actor.user_id)
        .collect();
    let names = PersonNames::load(state, signed, entries.iter().map(|e| e.user_id)).await?;
    Ok(entries
        .iter()
        .map(|e| entry_row(e, names.of(e.user_id)))
        .collect())
}

/// The clock-in form: where, in which position (both optional), notes.
#[derive(Deserialize, Default)]
pub struct ClockForm {
    #[serde(default)]
    location_id: String,
    #[serde(default)]
    position_id: String,
    #[serde(default)]
    notes: String,
}

/// The page again with the core's refusal above the form, at its status.
async fn refused(state: &AppState, signed: &Signed, error: PageError) -> Result<Response, Refused> {
    let status = error.status;
    let problem = Problem::of(&error, &[]);
    let mut response = render(&time_page(state, signed, None, problem).await?)?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn clock_in(
    State(state): State<AppState>,
    posted: Posted<ClockForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    let input = optional_id("location_id", &form.location_id).and_then(|location_id| {
        Ok(ClockInInput {
            location_id,
            position_id: optional_id("position_id", &form.position_id)?,
            site_id: None,
            // The core finds the shift I am clocking in for.
            shift_id: None,
            notes: Some(form.notes.trim().to_owned()).filter(|n| !n.is_empty()),
        })
    });
    let outcome = match input {
        Ok(input) => time_clock::clock_in(&state.db, &signed.actor, input)
            .await
            .map_err(PageError::from),
        Err(error) => Err(error),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to("/time?done=in").into_response()),
        Err(error) => refused(&state, &signed, error).await,
    }
}

pub async fn clock_out(
    State(state): State<AppState>,
    posted: Posted<ClockForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    let input = ClockOutInput {
        notes: Some(form.notes.trim().to_owned()).filter(|n| !n.is_empty()),
    };
    match time_clock::clock_out(&state.db, &signed.actor, input).await {
        Ok(_) => Ok(Redirect::to("/time?done=out").into_response()),
        Err(error) => refused(&state, &signed, error.into()).await,
    }
}

pub async fn approve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<ClockForm>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    let id = path_id(&id)?;
    match time_clock::approve(&state.db, &signed.actor, id).await {
        Ok(_) => Ok(Redirect::to("/time?done=approved").into_response()),
        Err(error) => refused(&state, &signed, error.into()).await,
    }
}
