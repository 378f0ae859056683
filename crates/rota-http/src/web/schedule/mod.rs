//! The schedule pages: my published shifts this week and next; for those who build the
//! schedule (`Action::ScheduleShifts`), a location's week as a grid with its drafts, the
//! week published or taken back, and shifts made, changed and deleted through a plain
//! form ([`shift_form`]); open shifts to take and swaps to answer ([`open`]). Every read
//! and write is the core's `schedule` service, as `/api/v1/shifts` and `/schedule` call it.
//!
//! - [`view`]: a shift as the pages show it, and the week grid (pure)
//! - [`shift_form`]: create, edit, delete; publish and unpublish a week
//! - [`copy`]: a week copied to another
//! - [`offer`]: my shift offered to colleagues I name, or to anyone it fits, or swapped for
//!   one of theirs
//! - [`repeat`]: the weekday, interval and until fields of a repeating shift's forms
//! - [`repeating`]: a repeating shift's days changed from one of them on (or all of them),
//!   one day changed or removed, or the repeating shift ended from a day
//! - [`open`]: open shifts to take, offers to answer, my shift given up; [`decide`]: a
//!   manager's approval of swaps and pick among bids

mod breaks;
mod copy;
mod decide;
mod offer;
mod open;
mod repeat;
mod repeating;
mod shift_form;
pub(super) mod view;

use std::collections::HashMap;
use std::fmt::Write as _;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rota_core::org::{self, Location, Position, Site};
use rota_core::paging::MAX_LIMIT;
use rota_core::people::service::{self as people, UserFilter};
use rota_core::policy::{Action, Target, may};
use rota_core::schedule::{self, Schedule, ScheduleFilter};
use serde::Deserialize;

pub use copy::copy;
pub use decide::{approve_swap, deny_bids, deny_swap, give_to_bidder};
pub use offer::{give_up, offer_page, swap_for};
pub use open::{accept_swap, decline_swap, open_page, take};
pub use repeating::{change_days, detach, end_from, remove_day, repeating_page};
pub use shift_form::{create, delete, edit, edit_form, new_form, publish};
pub(super) use view::local;
use view::{Names, ShiftView, WeekGrid, colours_href, monday_of, week_grid};

use super::page::{Frame, PageError, PersonNames, render};
use super::session::Signed;
use crate::AppState;

/// Whether `signed` builds the schedule: the grid, its forms and its buttons.
fn schedules(signed: &Signed) -> bool {
    let actor = &signed.actor;
    may(
        actor,
        Action::ScheduleShifts,
        Target::Company(actor.company_id),
    )
}

fn ensure_schedules(signed: &Signed) -> Result<(), PageError> {
    if schedules(signed) {
        Ok(())
    } else {
        Err(PageError::forbidden())
    }
}

/// The company's locations and positions (the first page of each, as the who's-off
/// filters read them), for names and pickers.
pub(super) struct Org {
    pub(super) locations: Vec<Location>,
    pub(super) positions: Vec<Position>,
    pub(super) sites: Vec<Site>,
}

impl Org {
    pub(super) async fn load(state: &AppState, signed: &Signed) -> Result<Self, PageError> {
        let actor = &signed.actor;
        let limit = Some(MAX_LIMIT);
        Ok(Self {
            locations: org::list::<Location>(&state.db, actor, limit, None)
                .await?
                .data,
            positions: org::list::<Position>(&state.db, actor, limit, None)
                .await?
                .data,
            sites: org::list::<Site>(&state.db, actor, limit, None).await?.data,
        })
    }

    fn names(&self) -> Names {
        Names {
            positions: self
                .positions
                .iter()
                .map(|p| (p.id, p.name.clone()))
                .collect(),
            locations: self
                .locations
                .iter()
                .map(|l| (l.id, l.name.clone()))
                .collect(),
            sites: self.sites.iter().map(|s| (s.id, s.name.clone())).collect(),
        }
    }

    /// The zone of location `id`, else `company`'s.
    fn zone(&self, id: i64, company: &TimeZone) -> TimeZone {
        self.locations
            .iter()
            .find(|l| l.id == id)
            .and_then(|l| l.time_zone.as_deref())
            .and_then(|zone| TimeZone::get(zone).ok())
            .unwrap_or_else(|| company.clone())
    }
}

/// The company's zone.
async fn company_zone(state: &AppState, signed: &Signed) -> Result<TimeZone, PageError> {
    let company = rota_core::company::get(&state.db, &signed.actor).await?;
    Ok(TimeZone::get(&company.time_zone).unwrap_or(TimeZone::UTC))
}

/// The people placed at `location_id` whom `signed` sees, by name (the first page).
async fn people_at(
    state: &AppState,
    signed: &Signed,
    location_id: i64,
) -> Result<Vec<(i64, String)>, PageError> {
    let filter = UserFilter {
        location_id: Some(location_id),
        ..UserFilter::default()
    };
    let mut people: Vec<(i64, String)> =
        people::list(&state.db, &signed.actor, filter, Some(MAX_LIMIT), None)
            .await?
            .data
            .into_iter()
            .map(|u| (u.id, format!("{} {}", u.first_name, u.last_name)))
            .collect();
    people.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(people)
}

/// The schedule from `from` for `days` days in `zone` (RFC 3339 bounds for the core).
fn range(from: Date, days: i64, zone: &TimeZone) -> Result<(String, String), PageError> {
    let start = rota_core::time::day_start(from, zone)?;
    let end = from
        .checked_add(days.days())
        .map_err(|_| PageError::not_found())
        .and_then(|day| Ok(rota_core::time::day_start(day, zone)?))?;
    Ok((
        rota_core::time::rfc3339(start),
        rota_core::time::rfc3339(end),
    ))
}

/// An optional id of a form's picker: empty is none.
pub(super) fn optional_id(field: &'static str, text: &str) -> Result<Option<i64>, PageError> {
    match text.trim() {
        "" => Ok(None),
        id => id
            .parse()
            .map(Some)
            .map_err(|_| rota_core::Error::invalid(field, "pick one of the list").into()),
    }
}

/// The shifts `ids` the actor may see, as the pages show them, by id: one read for a list
/// of swaps.
async fn shifts_by_id(
    state: &AppState,
    signed: &Signed,
    ids: impl IntoIterator<Item = i64>,
    names: &Names,
) -> Result<HashMap<i64, ShiftView>, PageError> {
    let ids: Vec<i64> = ids.into_iter().collect();
    Ok(schedule::get_many(&state.db, &signed.actor, &ids)
        .await?
        .iter()
        .filter_map(|s| ShiftView::of(s, names))
        .map(|view| (view.id, view))
        .collect())
}

/// The stored shifts and the repeating shifts' occurrences of `schedule`, as shown.
fn views(schedule: &Schedule, names: &Names) -> Vec<ShiftView> {
    let stored = schedule.shifts.iter().map(|s| ShiftView::of(s, names));
    let repeating = (schedule.occurrences.iter()).map(|o| ShiftView::of_occurrence(o, names));
    stored.chain(repeating).flatten().collect()
}

#[derive(Deserialize, Default)]
pub struct WeekQuery {
    /// A day of the week to show (`YYYY-MM-DD`); this week when absent.
    week: Option<String>,
    /// The location of the grid; the first when absent.
    location: Option<String>,
    done: Option<String>,
    /// After a copy: how many shifts it made, and how many it skipped.
    copied: Option<usize>,
    skipped: Option<usize>,
}

impl WeekQuery {
    fn monday(&self, today: Date) -> Date {
        monday_of(
            self.week
                .as_deref()
                .and_then(|w| w.parse().ok())
                .unwrap_or(today),
        )
    }
}

/// A location of the picker.
pub struct LocationOption {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

/// A location's week, for who builds the schedule.
pub struct Manage {
    pub location_id: i64,
    pub location: String,
    pub locations: Vec<LocationOption>,
    pub grid: WeekGrid,
}

#[derive(Template)]
#[template(path = "schedule.html")]
struct SchedulePage {
    frame: Frame,
    notice: Option<String>,
    colours: String,
    monday: Date,
    week_label: String,
    previous: Date,
    next: Date,
    mine: Vec<ShiftView>,
    /// Since when I am clocked in, if I am.
    clocked_in: Option<String>,
    manage: Option<Manage>,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<WeekQuery>,
) -> Result<Response, PageError> {
    let frame = Frame::load(&state, &signed, "/schedule", "Schedule").await?;
    let actor = &signed.actor;
    let monday = query.monday(frame.today);
    // The frame has read the company's zone already.
    let company = frame.zone.clone();
    let org = Org::load(&state, &signed).await?;
    let names = org.names();
    // Mine: published, this week and next, a day either side for other zones.
    let (from, to) = range(monday.checked_sub(1.day()).unwrap_or(monday), 16, &company)?;
    let view = schedule::view(
        &state.db,
        actor,
        &ScheduleFilter {
            from,
            to,
            user_id: Some(actor.user_id),
            published: Some(true),
            ..ScheduleFilter::default()
        },
    )
    .await?;
    let last = monday.checked_add(13.days()).unwrap_or(monday);
    let mut mine: Vec<ShiftView> = views(&view, &names)
        .into_iter()
        .filter(|s| monday <= s.day && s.day <= last)
        .collect();
    mine.sort_by_key(|s| s.starts_at);
    let clocked_in = rota_core::time_clock::current(&state.db, actor)
        .await?
        .and_then(|entry| {
            let zone = TimeZone::get(&entry.time_zone).unwrap_or(TimeZone::UTC);
            local(&entry.start_time, &zone).map(|at| at.strftime("%a %-d %b %H:%M").to_string())
        });
    let manage = if schedules(&signed) {
        manage(&state, &signed, &query, monday, frame.today, &org, &company).await?
    } else {
        None
    };
    let colours = colours_href(
        mine.iter().chain(
            manage
                .iter()
                .flat_map(|m| m.grid.all_rows())
                .flat_map(|r| r.cells.iter().flatten()),
        ),
    );
    let notice = match query.done.as_deref() {
        Some("published") => Some("The week is published.".to_owned()),
        Some("unpublished") => Some("The week is back to drafts.".to_owned()),
        Some("deleted") => Some("The shift is deleted.".to_owned()),
        Some("day-removed") => Some("That day of the repeating shift is removed.".to_owned()),
        Some("repeating-made") => Some("The repeating shift is made.".to_owned()),
        Some("repeating-changed") => Some("The repeating shift's days are changed.".to_owned()),
        Some("repeating-ended") => {
            Some("The repeating shift is removed from that day on.".to_owned())
        }
        Some("copied") => Some(copied_notice(
            query.copied.unwrap_or(0),
            query.skipped.unwrap_or(0),
        )),
        _ => None,
    };
    render(&SchedulePage {
        frame,
        notice,
        colours,
        week_label: format!("Week of {}", view::day_label(monday)),
        previous: monday.checked_sub(7.days()).unwrap_or(monday),
        next: monday.checked_add(7.days()).unwrap_or(monday),
        monday,
        mine,
        clocked_in,
        manage,
    })
}

/// What a copy did: `12 shifts copied here; 2 skipped: they would conflict or you may not
/// make them.`
fn copied_notice(copied: usize, skipped: usize) -> String {
    let shifts = |n: usize| {
        if n == 1 {
            "1 shift".to_owned()
        } else {
            format!("{n} shifts")
        }
    };
    match skipped {
        0 => format!("{} copied here.", shifts(copied)),
        _ => format!(
            "{} copied here; {} skipped: they would conflict with leave, another shift, a closure or availability, or you may not make them.",
            shifts(copied),
            skipped
        ),
    }
}

/// The week grid of the location asked for (else the first).
async fn manage(
    state: &AppState,
    signed: &Signed,
    query: &WeekQuery,
    monday: Date,
    today: Date,
    org: &Org,
    company: &TimeZone,
) -> Result<Option<Manage>, PageError> {
    let asked: Option<i64> = query.location.as_deref().and_then(|l| l.parse().ok());
    let Some(location) = org
        .locations
        .iter()
        .find(|l| Some(l.id) == asked)
        .or_else(|| org.locations.first())
    else {
        return Ok(None);
    };
    let zone = org.zone(location.id, company);
    let (from, to) = range(monday, 7, &zone)?;
    let week = schedule::view(
        &state.db,
        &signed.actor,
        &ScheduleFilter {
            from,
            to,
            location_id: Some(location.id),
            ..ScheduleFilter::default()
        },
    )
    .await?;
    let people = people_at(state, signed, location.id).await?;
    let shifts = views(&week, &org.names());
    // Someone holding a shift here who is not placed here: named if the reader may.
    let others = PersonNames::load(
        state,
        signed,
        shifts
            .iter()
            .filter_map(|s| s.user_id)
            .filter(|id| !people.iter().any(|(placed, _)| placed == id)),
    )
    .await?;
    let grid = week_grid(monday, today, &people, shifts, |id| others.of(id));
    Ok(Some(Manage {
        location_id: location.id,
        location: location.name.clone(),
        locations: org
            .locations
            .iter()
            .map(|l| LocationOption {
                id: l.id,
                name: l.name.clone(),
                selected: l.id == location.id,
            })
            .collect(),
        grid,
    }))
}

#[derive(Deserialize)]
pub struct ColoursQuery {
    #[serde(default)]
    c: String,
}

/// `.sc-<hex>{--s:#<hex>}` for each colour of `?c=` (hex digits only; at most 64).
pub async fn colours(Query(query): Query<ColoursQuery>) -> Response {
    let mut css = String::from(".sc-none{--s:#cccccc}\n");
    for colour in query.c.split('.').take(64).map(view::ShiftColour::parse) {
        if let Some(hex) = colour.hex() {
            // Writing to a String cannot fail.
            let _ = writeln!(css, ".sc-{hex}{{--s:#{hex}}}");
        }
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        css,
    )
        .into_response()
}
