//! A shift made, changed or deleted through a plain form (whose, position, day, start and
//! end in the location's zone, breaks, notes, colour), and a location's week published or
//! taken back: the core's `schedule::create`, `edit`, `delete` and `release`, as the API
//! calls them. A refusal (a conflict, a break too long) stands next to its field; the
//! conflicts the company lets through come back as warnings beside the saved shift.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::ToSpan;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use rota_core::schedule::chains::{self, ChainInput};
use rota_core::schedule::daily_breaks::DailyBreak;
use rota_core::schedule::rules::{Conflict, Warning};
use rota_core::schedule::{
    self, BreakInput, Release, ReleaseInput, Shift, ShiftInput, ShiftPatch, wall_clock,
};
use serde::Deserialize;

use super::breaks::BreakFields;
use super::repeat::RepeatFields;
use super::repeating;
use super::view::{ShiftColour, colour_from_input, local, monday_of};
use super::{Org, company_zone, ensure_schedules, optional_id, people_at};
use crate::AppState;
use crate::web::approvals::path_id;
use crate::web::page::{Frame, PageError, Problem, render};
use crate::web::session::{Posted, Refused, Signed};

/// The form's fields, named as the core names them so that a refusal finds its input.
const FIELDS: [&str; 13] = [
    "location_id",
    "user_id",
    "position_id",
    "site_id",
    "date",
    "starts_at",
    "ends_at",
    "breaks",
    "colour",
    "notes",
    "weekdays",
    "interval_weeks",
    "until",
];

/// The shift form as posted (and as shown again after a refusal).
#[derive(Deserialize, Default, Clone)]
pub struct ShiftForm {
    #[serde(default)]
    pub location_id: String,
    /// Empty: an open shift.
    #[serde(default)]
    pub user_id: String,
    #[serde(default)]
    pub position_id: String,
    /// Empty: no site.
    #[serde(default)]
    pub site_id: String,
    #[serde(default)]
    pub date: String,
    /// `HH:MM` in the location's zone.
    #[serde(default)]
    pub starts_at: String,
    /// `HH:MM`; not after the start: the next day.
    #[serde(default)]
    pub ends_at: String,
    #[serde(flatten)]
    pub breaks: BreakFields,
    /// `#rrggbb`, as a colour input sends it.
    #[serde(default)]
    pub colour: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub published: Option<String>,
    /// Assign despite a conflict.
    #[serde(default, rename = "override")]
    pub override_conflicts: Option<String>,
    /// How a new shift repeats; no day ticked: it does not.
    #[serde(flatten)]
    pub repeat: RepeatFields,
}

/// What the form says, typed for the core.
struct Parsed {
    location_id: i64,
    user_id: Option<i64>,
    position_id: Option<i64>,
    site_id: Option<i64>,
    starts_at: String,
    ends_at: String,
    breaks: Vec<BreakInput>,
    colour: Option<String>,
    notes: Option<String>,
    published: bool,
    override_conflicts: bool,
}

pub(super) fn invalid(field: &'static str, message: &'static str) -> PageError {
    rota_core::Error::invalid(field, message).into()
}

/// A time typed as `HH:MM`, refused on `field` otherwise.
pub(super) fn clock_time(field: &'static str, text: &str) -> Result<Time, PageError> {
    text.trim()
        .parse()
        .map_err(|_| invalid(field, "give the time as HH:MM"))
}

impl ShiftForm {
    /// The form read into the core's terms, its day and times in `zone_of(location)`.
    fn parse(&self, zone_of: impl Fn(i64) -> TimeZone) -> Result<Parsed, PageError> {
        let location_id = optional_id("location_id", &self.location_id)?
            .ok_or_else(|| invalid("location_id", "pick a location"))?;
        let date: Date = self
            .date
            .trim()
            .parse()
            .map_err(|_| invalid("date", "give the day as YYYY-MM-DD"))?;
        let (start, end) = (
            clock_time("starts_at", &self.starts_at)?,
            clock_time("ends_at", &self.ends_at)?,
        );
        let (from, to) = wall_clock::span(date, start, end, &zone_of(location_id))?;
        let breaks = (self.breaks.parse()?.into_iter())
            .map(|(length_minutes, paid)| BreakInput {
                length_minutes,
                paid,
                starts_at: None,
            })
            .collect();
        let colour = colour_from_input(&self.colour);
        Ok(Parsed {
            location_id,
            user_id: optional_id("user_id", &self.user_id)?,
            position_id: optional_id("position_id", &self.position_id)?,
            site_id: optional_id("site_id", &self.site_id)?,
            starts_at: rota_core::time::rfc3339(from),
            ends_at: rota_core::time::rfc3339(to),
            breaks,
            colour,
            notes: Some(self.notes.trim().to_owned()).filter(|n| !n.is_empty()),
            published: self.published.is_some(),
            override_conflicts: self.override_conflicts.is_some(),
        })
    }

    /// The form of a stored shift.
    fn of(shift: &Shift) -> Self {
        let zone = TimeZone::get(&shift.time_zone).unwrap_or(TimeZone::UTC);
        let (start, end) = (local(&shift.starts_at, &zone), local(&shift.ends_at, &zone));
        Self {
            location_id: shift.location_id.to_string(),
            user_id: shift.user_id.map(|id| id.to_string()).unwrap_or_default(),
            position_id: shift
                .position_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            site_id: shift.site_id.map(|id| id.to_string()).unwrap_or_default(),
            date: start
                .as_ref()
                .map(|z| z.date().to_string())
                .unwrap_or_default(),
            starts_at: start
                .map(|z| z.strftime("%H:%M").to_string())
                .unwrap_or_default(),
            ends_at: end
                .map(|z| z.strftime("%H:%M").to_string())
                .unwrap_or_default(),
            breaks: BreakFields::of(shift.breaks.iter().map(|b| (b.length_minutes, b.paid))),
            colour: ShiftColour::parse(&shift.colour).input_value(),
            notes: shift.notes.clone().unwrap_or_default(),
            published: shift.published.then(String::new),
            override_conflicts: None,
            repeat: RepeatFields::default(),
        }
    }

    /// The grid's week and location this shift belongs to.
    fn back(&self) -> String {
        let week = self
            .date
            .parse::<Date>()
            .map(|d| monday_of(d).to_string())
            .unwrap_or_default();
        format!("/schedule?week={week}&location={}", self.location_id)
    }
}

/// An option of a picker.
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "schedule_shift.html")]
struct ShiftPage {
    frame: Frame,
    notice: Option<&'static str>,
    /// The shift being changed; none for a new one.
    id: Option<i64>,
    form: ShiftForm,
    locations: Vec<Choice>,
    people: Vec<Choice>,
    positions: Vec<Choice>,
    sites: Vec<Choice>,
    problem: Problem,
    /// The conflicts the company let through on the last save.
    warnings: Vec<(&'static str, &'static str)>,
    back: String,
}

/// Whom a shift at `location_id` may be for: anyone working there, or nobody (an open
/// shift).
pub(super) async fn people_choices(
    state: &AppState,
    signed: &Signed,
    location_id: Option<i64>,
) -> Result<Vec<Choice>, PageError> {
    let mut people = vec![Choice {
        value: String::new(),
        label: "Open shift (anyone may take it)".to_owned(),
    }];
    if let Some(location_id) = location_id {
        people.extend(
            people_at(state, signed, location_id)
                .await?
                .into_iter()
                .map(|(id, name)| Choice {
                    value: id.to_string(),
                    label: name,
                }),
        );
    }
    Ok(people)
}

/// The company's positions, or none.
pub(super) fn position_choices(org: &Org) -> Vec<Choice> {
    let mut positions = vec![Choice {
        value: String::new(),
        label: "No position".to_owned(),
    }];
    positions.extend(org.positions.iter().map(|p| Choice {
        value: p.id.to_string(),
        label: p.name.clone(),
    }));
    positions
}

/// The company's sites, each named with its location where there are several, or none.
pub(super) fn site_choices(org: &Org) -> Vec<Choice> {
    let mut sites = vec![Choice {
        value: String::new(),
        label: "No site".to_owned(),
    }];
    let locations = org.names().locations;
    sites.extend(org.sites.iter().map(|site| Choice {
        value: site.id.to_string(),
        label: match locations.get(&site.location_id) {
            Some(location) if locations.len() > 1 => format!("{} ({location})", site.name),
            _ => site.name.clone(),
        },
    }));
    sites
}

async fn shift_page(
    state: &AppState,
    signed: &Signed,
    id: Option<i64>,
    form: ShiftForm,
    problem: Problem,
    warnings: Vec<(&'static str, &'static str)>,
    notice: Option<&'static str>,
) -> Result<ShiftPage, PageError> {
    let title = if id.is_some() {
        "Change a shift"
    } else {
        "New shift"
    };
    let frame = Frame::load(state, signed, "/schedule", title).await?;
    let org = Org::load(state, signed).await?;
    let location_id = form
        .location_id
        .parse()
        .ok()
        .or(org.locations.first().map(|l| l.id));
    let people = people_choices(state, signed, location_id).await?;
    let positions = position_choices(&org);
    let sites = site_choices(&org);
    Ok(ShiftPage {
        back: form.back(),
        frame,
        notice,
        id,
        locations: org
            .locations
            .iter()
            .map(|l| Choice {
                value: l.id.to_string(),
                label: l.name.clone(),
            })
            .collect(),
        people,
        positions,
        sites,
        form,
        problem,
        warnings,
    })
}

#[derive(Deserialize)]
pub struct NewQuery {
    location: Option<String>,
    date: Option<String>,
    user: Option<String>,
}

/// The form for a new shift, its location, day and person from the grid's link.
pub async fn new_form(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<NewQuery>,
) -> Result<Response, PageError> {
    ensure_schedules(&signed)?;
    let form = ShiftForm {
        location_id: query.location.unwrap_or_default(),
        user_id: query.user.unwrap_or_default(),
        date: query.date.unwrap_or_default(),
        starts_at: "09:00".to_owned(),
        ends_at: "17:00".to_owned(),
        colour: "#cccccc".to_owned(),
        repeat: RepeatFields::every_week(),
        ..ShiftForm::default()
    };
    render(
        &shift_page(
            &state,
            &signed,
            None,
            form,
            Problem::default(),
            Vec::new(),
            None,
        )
        .await?,
    )
}

/// What a page reached after a save is told: that it was saved, and the conflicts the
/// save met that the company lets through.
#[derive(Deserialize)]
pub struct SavedQuery {
    done: Option<String>,
    /// Codes of the conflicts let through, `.`-separated.
    warn: Option<String>,
}

impl SavedQuery {
    /// Whether the page is told a save went through.
    pub fn saved(&self) -> bool {
        self.done.as_deref() == Some("saved")
    }

    /// The conflicts let through, as code and message.
    pub fn warnings(&self) -> Vec<(&'static str, &'static str)> {
        self.warn
            .as_deref()
            .unwrap_or_default()
            .split('.')
            .filter_map(|code| Conflict::ALL.into_iter().find(|c| c.code() == code))
            .map(|c| (c.code(), c.message()))
            .collect()
    }

    /// The query that tells the page at `path` that a save met `warnings`.
    pub fn saved_despite(path: &str, warnings: &[Warning]) -> String {
        let codes: Vec<&str> = warnings.iter().map(|w| w.code.code()).collect();
        format!("{path}?done=saved&warn={}", codes.join("."))
    }
}

/// A shift's form, to change or delete it.
pub async fn edit_form(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, PageError> {
    ensure_schedules(&signed)?;
    let id = path_id(&id)?;
    let shift = schedule::get(&state.db, &signed.actor, id).await?;
    let warnings = query.warnings();
    let notice = query.saved().then_some("The shift is saved.");
    let form = ShiftForm::of(&shift);
    let page = shift_page(
        &state,
        &signed,
        Some(id),
        form,
        Problem::default(),
        warnings,
        notice,
    )
    .await?;
    render(&page)
}

/// Where a save goes on to: the grid, or the shift with the warnings its save met.
fn saved(shift: &Shift, form: &ShiftForm) -> Response {
    if shift.warnings.is_empty() {
        let back = form.back();
        return Redirect::to(&format!("{back}&done=saved")).into_response();
    }
    let path = format!("/schedule/shifts/{}", shift.id);
    Redirect::to(&SavedQuery::saved_despite(&path, &shift.warnings)).into_response()
}

/// The form again, with the core's refusal next to its field.
async fn refused(
    state: &AppState,
    signed: &Signed,
    id: Option<i64>,
    form: ShiftForm,
    mut error: PageError,
) -> Result<Response, Refused> {
    if error
        .field
        .as_deref()
        .is_some_and(|f| f.starts_with("breaks"))
    {
        error.field = Some("breaks".to_owned());
    }
    let status = error.status;
    let problem = Problem::of(&error, &FIELDS);
    let page = shift_page(state, signed, id, form, problem, Vec::new(), None).await?;
    let mut response = render(&page)?;
    *response.status_mut() = status;
    Ok(response)
}

async fn zones(state: &AppState, signed: &Signed) -> Result<impl Fn(i64) -> TimeZone, PageError> {
    let org = Org::load(state, signed).await?;
    let company = company_zone(state, signed).await?;
    Ok(move |id| org.zone(id, &company))
}

pub async fn create(
    State(state): State<AppState>,
    posted: Posted<ShiftForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_schedules(&signed)?;
    let outcome = match form.parse(zones(&state, &signed).await?) {
        Ok(p) if form.repeat.repeats() => match repeating(p, &form.repeat) {
            Ok(input) => chains::create(&state.db, &signed.actor, input)
                .await
                .map(|chain| {
                    if chain.warnings.is_empty() {
                        Redirect::to(&format!("{}&done=repeating-made", form.back()))
                    } else {
                        Redirect::to(&repeating::saved_despite(&chain, chain.first_date))
                    }
                })
                .map(IntoResponse::into_response)
                .map_err(PageError::from),
            Err(error) => Err(error),
        },
        Ok(p) => {
            let input = ShiftInput {
                user_id: p.user_id,
                location_id: p.location_id,
                position_id: p.position_id,
                site_id: p.site_id,
                starts_at: Some(p.starts_at),
                ends_at: Some(p.ends_at),
                template_id: None,
                date: None,
                breaks: p.breaks,
                colour: p.colour,
                notes: p.notes,
                published: p.published,
                requires_approval: None,
                override_conflicts: p.override_conflicts,
            };
            schedule::create(&state.db, &signed.actor, input)
                .await
                .map(|shift| saved(&shift, &form))
                .map_err(PageError::from)
        }
        Err(error) => Err(error),
    };
    match outcome {
        Ok(response) => Ok(response),
        Err(error) => refused(&state, &signed, None, form, error).await,
    }
}

/// A new shift that repeats: the core's repeating shift, whose first day is the form's,
/// its breaks on every day.
fn repeating(p: Parsed, repeat: &RepeatFields) -> Result<ChainInput, PageError> {
    Ok(ChainInput {
        user_id: p.user_id,
        location_id: p.location_id,
        position_id: p.position_id,
        site_id: p.site_id,
        starts_at: p.starts_at,
        ends_at: p.ends_at,
        time_zone: None,
        breaks: p.breaks.into_iter().map(daily).collect(),
        interval_weeks: repeat.interval()?,
        weekdays: repeat.weekdays(),
        until: repeat.until.trim().to_owned(),
        colour: p.colour,
        notes: p.notes,
        published: p.published,
        override_conflicts: p.override_conflicts,
    })
}

/// A break of the form, which plans no time, as a repeating shift keeps it.
fn daily(b: BreakInput) -> DailyBreak {
    DailyBreak {
        length_minutes: b.length_minutes,
        paid: b.paid,
        start_time: None,
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<ShiftForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_schedules(&signed)?;
    let id = path_id(&id)?;
    let outcome = match form.parse(zones(&state, &signed).await?) {
        Ok(p) => {
            let patch = ShiftPatch {
                user_id: Some(p.user_id),
                location_id: Some(p.location_id),
                position_id: Some(p.position_id),
                site_id: Some(p.site_id),
                starts_at: Some(p.starts_at),
                ends_at: Some(p.ends_at),
                breaks: Some(p.breaks),
                colour: p.colour,
                notes: Some(p.notes),
                published: Some(p.published),
                requires_approval: None,
                override_conflicts: p.override_conflicts,
            };
            schedule::edit(&state.db, &signed.actor, id, patch)
                .await
                .map_err(PageError::from)
        }
        Err(error) => Err(error),
    };
    match outcome {
        Ok(shift) => Ok(saved(&shift, &form)),
        Err(error) => refused(&state, &signed, Some(id), form, error).await,
    }
}

#[derive(Deserialize)]
pub struct NoFields {}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<NoFields>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    ensure_schedules(&signed)?;
    let id = path_id(&id)?;
    let back = ShiftForm::of(
        &schedule::get(&state.db, &signed.actor, id)
            .await
            .map_err(PageError::from)?,
    )
    .back();
    schedule::delete(&state.db, &signed.actor, id)
        .await
        .map_err(PageError::from)?;
    Ok(Redirect::to(&format!("{back}&done=deleted")).into_response())
}

/// Publishing or taking back a location's week.
/// Read after `may()`: every field defaults, so that the form's shape refuses nothing first.
#[derive(Deserialize)]
pub struct ReleaseForm {
    #[serde(default)]
    location_id: String,
    /// The week's Monday.
    #[serde(default)]
    week: String,
    /// `publish` or `unpublish`.
    #[serde(default)]
    action: String,
}

pub async fn publish(
    State(state): State<AppState>,
    posted: Posted<ReleaseForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_schedules(&signed)?;
    let location_id = optional_id("location_id", &form.location_id)?
        .ok_or_else(|| invalid("location_id", "pick a location"))?;
    let monday: Date = form
        .week
        .parse()
        .map_err(|_| invalid("week", "give the week as YYYY-MM-DD"))?;
    let (release, done) = match form.action.as_str() {
        "publish" => (Release::Published, "published"),
        "unpublish" => (Release::Unpublished, "unpublished"),
        _ => return Err(PageError::bad_form("publish or unpublish").into()),
    };
    let zone = zones(&state, &signed).await?(location_id);
    let start = rota_core::time::day_start(monday, &zone).map_err(PageError::from)?;
    let end = monday
        .checked_add(7.days())
        .map_err(|_| invalid("week", "the week is out of range"))
        .and_then(|d| Ok(rota_core::time::day_start(d, &zone)?))?;
    let input = ReleaseInput {
        location_id,
        from: rota_core::time::rfc3339(start),
        to: rota_core::time::rfc3339(end),
    };
    schedule::release(&state.db, &signed.actor, release, input)
        .await
        .map_err(PageError::from)?;
    Ok(Redirect::to(&format!(
        "/schedule?week={monday}&location={location_id}&done={done}"
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ShiftForm {
        ShiftForm {
            location_id: "3".into(),
            user_id: String::new(),
            date: "2026-12-07".into(),
            starts_at: "22:00".into(),
            ends_at: "06:00".into(),
            breaks: BreakFields {
                unpaid_break: "30".into(),
                ..BreakFields::default()
            },
            colour: "#00AA55".into(),
            ..ShiftForm::default()
        }
    }

    #[test]
    fn a_form_becomes_the_cores_input_in_the_locations_zone() {
        let zone = TimeZone::get("America/New_York").expect("zone");
        let parsed = form().parse(|_| zone.clone()).expect("parsed");
        assert_eq!(parsed.location_id, 3);
        assert_eq!(parsed.user_id, None, "empty: an open shift");
        assert_eq!(parsed.starts_at, "2026-12-08T03:00:00Z");
        assert_eq!(parsed.ends_at, "2026-12-08T11:00:00Z", "the next morning");
        assert_eq!(parsed.breaks.len(), 1);
        assert!(!parsed.breaks[0].paid);
        assert_eq!(parsed.colour.as_deref(), Some("00AA55"));
    }

    #[test]
    fn a_field_that_cannot_be_read_is_named() {
        let zone = TimeZone::UTC;
        let mut bad = form();
        bad.starts_at = "9am".into();
        let error = bad.parse(|_| zone.clone()).err().expect("refused");
        assert_eq!(error.field.as_deref(), Some("starts_at"));
        let mut bad = form();
        bad.breaks.paid_break = "ten".into();
        let error = bad.parse(|_| zone.clone()).err().expect("refused");
        assert_eq!(error.field.as_deref(), Some("breaks"));
    }
}
