//! One day of a repeating shift, for those who build the schedule (the week grid links each
//! occurrence here): change that day alone (the core's `edit_occurrence` takes it out of
//! the repeating shift as a shift of its own, which the shift form then changes like any
//! other), remove that day (`delete_occurrence`), or end the repeating shift from that day
//! on (`delete` with `from`).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use rota_core::schedule::ShiftPatch;
use rota_core::schedule::chains::{self, ShiftChain};

use super::shift_form::NoFields;
use super::view::{day_label, monday_of};
use super::{Org, ensure_schedules};
use crate::AppState;
use crate::web::approvals::path_id;
use crate::web::page::{Frame, PageError, PersonNames, render};
use crate::web::session::{Posted, Refused, Signed};

#[derive(Template)]
#[template(path = "schedule_repeating.html")]
struct RepeatingPage {
    frame: Frame,
    chain: ShiftChain,
    day: Date,
    day_label: String,
    /// Whose it is; empty for an open shift.
    holder: String,
    location: String,
    /// Back to the day's week.
    back: String,
}

/// The chain and the day a path names.
fn chain_day(id: &str, day: &str) -> Result<(i64, Date), PageError> {
    let day = day
        .parse()
        .map_err(|_| PageError::bad_form("the day is YYYY-MM-DD"))?;
    Ok((path_id(id)?, day))
}

/// The week of `day` at the chain's location.
fn week_of(chain: &ShiftChain, day: Date) -> String {
    format!(
        "/schedule?week={}&location={}",
        monday_of(day),
        chain.location_id
    )
}

pub async fn repeating_page(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, day)): Path<(String, String)>,
) -> Result<Response, PageError> {
    ensure_schedules(&signed)?;
    let (id, day) = chain_day(&id, &day)?;
    let chain = chains::get(&state.db, &signed.actor, id).await?;
    let org = Org::load(&state, &signed).await?;
    let holder = match chain.user_id {
        Some(user_id) => PersonNames::load(&state, &signed, [user_id])
            .await?
            .of(user_id),
        None => String::new(),
    };
    let location = (org.names().locations)
        .remove(&chain.location_id)
        .unwrap_or_default();
    let frame = Frame::load(&state, &signed, "/schedule", "A repeating shift").await?;
    render(&RepeatingPage {
        frame,
        back: week_of(&chain, day),
        day_label: day_label(day),
        day,
        holder,
        location,
        chain,
    })
}

/// That day taken out as a shift of its own, opened in the shift form.
pub async fn detach(
    State(state): State<AppState>,
    Path((id, day)): Path<(String, String)>,
    posted: Posted<NoFields>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    ensure_schedules(&signed)?;
    let (id, day) = chain_day(&id, &day)?;
    let shift = chains::edit_occurrence(
        &state.db,
        &signed.actor,
        id,
        &day.to_string(),
        ShiftPatch::default(),
    )
    .await
    .map_err(PageError::from)?;
    Ok(Redirect::to(&format!("/schedule/shifts/{}", shift.id)).into_response())
}

/// That day removed.
pub async fn remove_day(
    State(state): State<AppState>,
    Path((id, day)): Path<(String, String)>,
    posted: Posted<NoFields>,
) -> Result<Response, Refused> {
    remove(&state, &id, &day, posted, Removal::Day).await
}

/// The repeating shift ended before that day (deleted whole when it is its first).
pub async fn end_from(
    State(state): State<AppState>,
    Path((id, day)): Path<(String, String)>,
    posted: Posted<NoFields>,
) -> Result<Response, Refused> {
    remove(&state, &id, &day, posted, Removal::FromDay).await
}

/// What a removal takes out of a repeating shift.
enum Removal {
    /// The one day.
    Day,
    /// The day and every later one.
    FromDay,
}

/// Takes `removal` out of the repeating shift `id` at `day`, then back to that day's week.
async fn remove(
    state: &AppState,
    id: &str,
    day: &str,
    posted: Posted<NoFields>,
    removal: Removal,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    ensure_schedules(&signed)?;
    let (id, day) = chain_day(id, day)?;
    let (db, actor, date) = (&state.db, &signed.actor, day.to_string());
    // Read first: the week to go back to is the chain's location's.
    let chain = chains::get(db, actor, id).await.map_err(PageError::from)?;
    let done = match removal {
        Removal::Day => chains::delete_occurrence(db, actor, id, &date)
            .await
            .map(|()| "day-removed"),
        Removal::FromDay => chains::delete(db, actor, id, Some(&date))
            .await
            .map(|()| "repeating-ended"),
    }
    .map_err(PageError::from)?;
    Ok(Redirect::to(&format!("{}&done={done}", week_of(&chain, day))).into_response())
}
