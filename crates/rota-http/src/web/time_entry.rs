//! One time entry, for whoever manages its person's time: its start and end as the days
//! and clock times of its zone, and its notes, saved through the core's `time_clock::edit`
//! (a closed pay period, an overlap and the rest are the core's refusals, next to their
//! field); or deleted. Linked from the time clock's approval list.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use rota_core::schedule::wall_clock;
use rota_core::time_clock::{self, TimeEntry, TimeEntryPatch};
use serde::Deserialize;

use super::approvals::path_id;
use super::ends::Ends;
use super::page::{Frame, PageError, PersonNames, Problem, render, render_as};
use super::schedule::local;
use super::session::{Posted, Refused, Signed};
use super::sign_in::Nothing;
use crate::AppState;

/// The fields of the form, as the core names them.
const FIELDS: [&str; 5] = ["start_date", "start_time", "end_date", "end_time", "notes"];

/// The form's values, as typed or as stored.
#[derive(Deserialize, Default)]
pub struct EntryForm {
    /// When the entry started and ended.
    #[serde(flatten)]
    ends: Ends,
    #[serde(default)]
    notes: String,
}

impl EntryForm {
    /// `entry` as its zone reads it.
    fn of(entry: &TimeEntry) -> Self {
        let zone = zone_of(entry);
        let split = |instant: Option<&str>| {
            instant.and_then(|at| local(at, &zone)).map_or_else(
                || (String::new(), String::new()),
                |z| (z.date().to_string(), z.strftime("%H:%M").to_string()),
            )
        };
        let (start_date, start_time) = split(Some(&entry.start_time));
        let (end_date, end_time) = split(entry.end_time.as_deref());
        Self {
            ends: Ends {
                start_date,
                start_time,
                end_date,
                end_time,
            },
            notes: entry.notes.clone().unwrap_or_default(),
        }
    }

    /// The change the form asks of the core: both ends in the entry's zone (an end left
    /// blank leaves the entry running), and the notes.
    fn patch(&self, zone: &TimeZone) -> Result<TimeEntryPatch, PageError> {
        let ends = &self.ends;
        let start = instant("start_time", &ends.start_date, &ends.start_time, zone)?;
        let end = match (ends.end_date.trim(), ends.end_time.trim()) {
            ("", "") => None,
            _ => Some(instant("end_time", &ends.end_date, &ends.end_time, zone)?),
        };
        Ok(TimeEntryPatch {
            start_time: Some(start),
            end_time: Some(end),
            notes: Some(self.notes.trim().to_owned()),
            ..TimeEntryPatch::default()
        })
    }
}

/// The instant of a day and a clock time of `zone`, as RFC 3339; refused as `field`.
fn instant(
    field: &'static str,
    day: &str,
    time: &str,
    zone: &TimeZone,
) -> Result<String, PageError> {
    let refuse = || {
        PageError::from(rota_core::Error::invalid(
            field,
            "give the day and the time, as YYYY-MM-DD and HH:MM",
        ))
    };
    let day: Date = day.trim().parse().map_err(|_| refuse())?;
    let time: Time = time.trim().parse().map_err(|_| refuse())?;
    let seconds = wall_clock::at(day, time, zone).map_err(|_| refuse())?;
    Ok(rota_core::time::rfc3339(seconds))
}

fn zone_of(entry: &TimeEntry) -> TimeZone {
    TimeZone::get(&entry.time_zone).unwrap_or(TimeZone::UTC)
}

#[derive(Template)]
#[template(path = "time_entry.html")]
struct EntryPage {
    frame: Frame,
    id: i64,
    person: String,
    approved: bool,
    form: EntryForm,
    problem: Problem,
}

async fn entry_page(
    state: &AppState,
    signed: &Signed,
    entry: &TimeEntry,
    form: EntryForm,
    problem: Problem,
) -> Result<EntryPage, PageError> {
    let frame = Frame::load(state, signed, "/time", "Time entry").await?;
    let names = PersonNames::load(state, signed, [entry.user_id]).await?;
    Ok(EntryPage {
        frame,
        id: entry.id,
        person: names.of(entry.user_id),
        approved: entry.is_approved,
        form,
        problem,
    })
}

/// The entry of `id`, when the actor manages its person's time: another's is no page.
async fn managed(state: &AppState, signed: &Signed, id: &str) -> Result<TimeEntry, PageError> {
    let entry = time_clock::get(&state.db, &signed.actor, path_id(id)?).await?;
    let capabilities =
        rota_core::people::service::capabilities(&state.db, &signed.actor, &[entry.user_id])
            .await?;
    let manages = capabilities
        .get(&entry.user_id)
        .is_some_and(|c| c.allows(rota_core::policy::Action::ManageTime));
    if manages {
        Ok(entry)
    } else {
        Err(PageError::forbidden())
    }
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let entry = managed(&state, &signed, &id).await?;
    let form = EntryForm::of(&entry);
    render(&entry_page(&state, &signed, &entry, form, Problem::default()).await?)
}

pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<EntryForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    let entry = managed(&state, &signed, &id).await?;
    let saved = match form.patch(&zone_of(&entry)) {
        Ok(patch) => time_clock::edit(&state.db, &signed.actor, entry.id, patch)
            .await
            .map_err(PageError::from),
        Err(error) => Err(error),
    };
    match saved {
        Ok(_) => Ok(Redirect::to("/time?done=saved").into_response()),
        Err(error) => {
            let problem = Problem::of(&error, &FIELDS);
            let page = entry_page(&state, &signed, &entry, form, problem).await?;
            Ok(render_as(error.status, &page)?)
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Nothing>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    let entry = managed(&state, &signed, &id).await?;
    time_clock::delete(&state.db, &signed.actor, entry.id)
        .await
        .map_err(PageError::from)?;
    Ok(Redirect::to("/time?done=deleted").into_response())
}
