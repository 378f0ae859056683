//! A repeating shift from one of its days, for those who build the schedule (the week
//! grid links each occurrence here): change its days from that day on, or all of them
//! (the core's chain `edit`, "this and following" or whole); change that day alone (the
//! core's `edit_occurrence` takes it out of the repeating shift as a shift of its own,
//! which the shift form then changes like any other); remove that day
//! (`delete_occurrence`); or end the repeating shift from that day on (`delete` with
//! `from`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::{Date, Time};
use rota_core::schedule::chains::{self, ChainPatch, ShiftChain};
use rota_core::schedule::daily_breaks::DailyBreak;
use rota_core::schedule::{ShiftPatch, wall_clock};
use serde::Deserialize;

use super::breaks::BreakFields;
use super::repeat::RepeatFields;
use super::shift_form::{
    Choice, NoFields, SavedQuery, clock_time, people_choices, position_choices, site_choices,
};
use super::view::{ShiftColour, colour_from_input, day_label, monday_of};
use super::{Org, ensure_schedules, optional_id};
use crate::AppState;
use crate::web::approvals::path_id;
use crate::web::page::{Frame, PageError, PersonNames, Problem, render};
use crate::web::session::{Posted, Refused, Signed};

/// The change form's fields, named as the core names them so that a refusal finds its
/// input (a length refused is the end's).
const FIELDS: [&str; 11] = [
    "user_id",
    "position_id",
    "site_id",
    "start_time",
    "ends_at",
    "breaks",
    "weekdays",
    "interval_weeks",
    "until",
    "colour",
    "notes",
];

/// The repeating shift's days as the change form posts them.
#[derive(Deserialize, Default, Clone)]
pub struct ChainForm {
    /// Empty: open shifts.
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    position_id: String,
    /// Empty: no site.
    #[serde(default)]
    site_id: String,
    /// `HH:MM` in the repeating shift's zone.
    #[serde(default)]
    start_time: String,
    /// `HH:MM`; not after the start: the next day.
    #[serde(default)]
    ends_at: String,
    #[serde(flatten)]
    breaks: BreakFields,
    #[serde(flatten)]
    repeat: RepeatFields,
    /// `#rrggbb`.
    #[serde(default)]
    colour: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    published: Option<String>,
    #[serde(default, rename = "override")]
    override_conflicts: Option<String>,
    /// `all` for every day of it; otherwise from the page's day on.
    #[serde(default)]
    scope: String,
}

impl ChainForm {
    /// The form of a stored repeating shift.
    fn of(chain: &ShiftChain) -> Self {
        let end = Time::strptime("%H:%M", &chain.start_time)
            .ok()
            .and_then(|start| {
                start
                    .checked_add(jiff::SignedDuration::from_mins(chain.length_minutes))
                    .ok()
            })
            .map(|end| end.strftime("%H:%M").to_string())
            .unwrap_or_default();
        Self {
            user_id: chain.user_id.map(|id| id.to_string()).unwrap_or_default(),
            position_id: (chain.position_id.map(|id| id.to_string())).unwrap_or_default(),
            site_id: (chain.site_id.map(|id| id.to_string())).unwrap_or_default(),
            start_time: chain.start_time.clone(),
            ends_at: end,
            breaks: stored_breaks(chain),
            repeat: RepeatFields::of(chain),
            colour: ShiftColour::parse(&chain.colour).input_value(),
            notes: chain.notes.clone().unwrap_or_default(),
            published: chain.published.then(String::new),
            override_conflicts: None,
            scope: String::new(),
        }
    }

    /// The change the form asks for, every field set as posted but the breaks, which
    /// replace the `stored` ones only when their minutes changed (so that breaks planned
    /// at a time through the API keep it).
    fn patch(&self, stored: &BreakFields) -> Result<ChainPatch, PageError> {
        let (start, end) = (
            clock_time("start_time", &self.start_time)?,
            clock_time("ends_at", &self.ends_at)?,
        );
        let breaks = if self.breaks.same_as(stored) {
            None
        } else {
            let breaks = self.breaks.parse()?.into_iter();
            Some(
                breaks
                    .map(|(length_minutes, paid)| DailyBreak {
                        length_minutes,
                        paid,
                        start_time: None,
                    })
                    .collect(),
            )
        };
        Ok(ChainPatch {
            user_id: Some(optional_id("user_id", &self.user_id)?),
            position_id: Some(optional_id("position_id", &self.position_id)?),
            site_id: Some(optional_id("site_id", &self.site_id)?),
            start_time: Some(start.strftime("%H:%M").to_string()),
            length_minutes: Some(wall_clock::clock_minutes(start, end)),
            breaks,
            interval_weeks: Some(self.repeat.interval()?),
            weekdays: Some(self.repeat.weekdays()),
            until: Some(self.repeat.until.trim().to_owned()),
            colour: colour_from_input(&self.colour),
            notes: Some(Some(self.notes.trim().to_owned()).filter(|n| !n.is_empty())),
            published: Some(self.published.is_some()),
            override_conflicts: self.override_conflicts.is_some(),
        })
    }
}

/// The break fields of `chain`'s stored breaks.
fn stored_breaks(chain: &ShiftChain) -> BreakFields {
    BreakFields::of(chain.breaks.iter().map(|b| (b.length_minutes, b.paid)))
}

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
    form: ChainForm,
    people: Vec<Choice>,
    positions: Vec<Choice>,
    sites: Vec<Choice>,
    problem: Problem,
    notice: Option<&'static str>,
    /// The conflicts its save met that the company lets through, as code and message.
    warnings: Vec<(&'static str, &'static str)>,
}

/// The page of `chain` from `day`, telling that its save met `chain.warnings`.
pub(super) fn saved_despite(chain: &ShiftChain, day: Date) -> String {
    let path = format!("/schedule/repeating/{}/{day}", chain.id);
    SavedQuery::saved_despite(&path, &chain.warnings)
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

/// The page of `chain` from `day`, its change form as `form` holds it (as stored when
/// none).
async fn page(
    state: &AppState,
    signed: &Signed,
    (chain, day): (ShiftChain, Date),
    form: Option<ChainForm>,
    (problem, saved): (Problem, Option<&SavedQuery>),
) -> Result<RepeatingPage, PageError> {
    let org = Org::load(state, signed).await?;
    let holder = match chain.user_id {
        Some(user_id) => PersonNames::load(state, signed, [user_id])
            .await?
            .of(user_id),
        None => String::new(),
    };
    let location = (org.names().locations)
        .remove(&chain.location_id)
        .unwrap_or_default();
    let frame = Frame::load(state, signed, "/schedule", "A repeating shift").await?;
    Ok(RepeatingPage {
        frame,
        back: week_of(&chain, day),
        day_label: day_label(day),
        day,
        holder,
        location,
        form: form.unwrap_or_else(|| ChainForm::of(&chain)),
        people: people_choices(state, signed, Some(chain.location_id)).await?,
        positions: position_choices(&org),
        sites: site_choices(&org),
        problem,
        notice: saved
            .filter(|query| query.saved())
            .map(|_| "The repeating shift is saved."),
        warnings: saved.map(SavedQuery::warnings).unwrap_or_default(),
        chain,
    })
}

pub async fn repeating_page(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, day)): Path<(String, String)>,
    Query(saved): Query<SavedQuery>,
) -> Result<Response, PageError> {
    ensure_schedules(&signed)?;
    let (id, day) = chain_day(&id, &day)?;
    let chain = chains::get(&state.db, &signed.actor, id).await?;
    let problem = (Problem::default(), Some(&saved));
    render(&page(&state, &signed, (chain, day), None, problem).await?)
}

/// Its days changed from that day on, or all of them; then back to that day's week.
pub async fn change_days(
    State(state): State<AppState>,
    Path((id, day)): Path<(String, String)>,
    posted: Posted<ChainForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_schedules(&signed)?;
    let (id, day) = chain_day(&id, &day)?;
    let (db, actor) = (&state.db, &signed.actor);
    let chain = chains::get(db, actor, id).await.map_err(PageError::from)?;
    let from = (form.scope != "all").then(|| day.to_string());
    let changed = match form.patch(&stored_breaks(&chain)) {
        Ok(patch) => chains::edit(db, actor, id, from.as_deref(), patch)
            .await
            .map_err(PageError::from),
        Err(error) => Err(error),
    };
    match changed {
        Ok(changed) if !changed.warnings.is_empty() => {
            // A change from a later day made a new repeating shift starting that day.
            let from = day.max(changed.first_date);
            Ok(Redirect::to(&saved_despite(&changed, from)).into_response())
        }
        Ok(_) => Ok(
            Redirect::to(&format!("{}&done=repeating-changed", week_of(&chain, day)))
                .into_response(),
        ),
        Err(mut error) => {
            if error.field.as_deref() == Some("length_minutes") {
                error.field = Some("ends_at".to_owned());
            }
            if error
                .field
                .as_deref()
                .is_some_and(|f| f.starts_with("breaks"))
            {
                error.field = Some("breaks".to_owned());
            }
            let problem = Problem::of(&error, &FIELDS);
            let page = page(&state, &signed, (chain, day), Some(form), (problem, None)).await?;
            let mut response = render(&page)?;
            *response.status_mut() = error.status;
            Ok(response)
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_posts_every_field_of_the_change() {
        let form = ChainForm {
            user_id: "7".into(),
            start_time: " 22:00".into(),
            ends_at: "02:15".into(),
            repeat: serde_urlencoded::from_str("sat=on&sun=on&until=2027-03-01").expect("repeat"),
            colour: "#AA0000".into(),
            breaks: BreakFields {
                unpaid_break: "30".into(),
                ..BreakFields::default()
            },
            ..ChainForm::default()
        };
        let patch = form.patch(&BreakFields::default()).expect("patch");
        assert_eq!(patch.user_id, Some(Some(7)));
        assert_eq!(patch.position_id, Some(None), "emptied");
        assert_eq!(patch.start_time.as_deref(), Some("22:00"));
        assert_eq!(patch.length_minutes, Some(255));
        assert_eq!((patch.weekdays, patch.interval_weeks), (Some(96), Some(1)));
        assert_eq!(patch.until.as_deref(), Some("2027-03-01"));
        assert_eq!(patch.colour.as_deref(), Some("AA0000"));
        assert_eq!((patch.notes, patch.published), (Some(None), Some(false)));
        let lunch = DailyBreak {
            length_minutes: 30,
            paid: false,
            start_time: None,
        };
        assert_eq!(patch.breaks, Some(vec![lunch]), "changed");
        let kept = form.patch(&form.breaks).expect("patch");
        assert_eq!(kept.breaks, None, "the same minutes keep the stored breaks");
        let bad = ChainForm {
            ends_at: "25:00".into(),
            ..form
        };
        let error = bad.patch(&BreakFields::default()).expect_err("refused");
        assert_eq!(error.field.as_deref(), Some("ends_at"));
    }
}
