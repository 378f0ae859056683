//! Shift templates (When I Work's blocks): a named start and end time of day (an end not
//! after the start ends the next day), scheduled breaks at times of day, and the
//! position, location, site, colour and notes a shift made from one takes by default.
//! A shift is made from one with `template_id` and a `date` on `POST /shifts`: its
//! instants are the template's times on that date in the location's zone ([`fill`]).
//!
//! - this file: what the API shows and takes, the stored rows, and [`fill`]
//! - [`service`]: list, get, create, replace and delete, for who builds the schedule

mod service;

use std::collections::HashMap;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use super::daily_breaks::{self, DailyBreak, TimedBreak, as_times};
use super::draft::{BreakInput, ShiftInput};
use super::row::Zones;
use super::rules::{self, Break, NOTES_MAX};
use super::wall_clock;
use crate::error::{Error, Result};
use crate::sql::children;
use crate::time::rfc3339;
use crate::validate;

pub(crate) use service::load;
pub use service::{create, delete, get, list, replace};

/// The longest a template's name may be.
pub const NAME_MAX: usize = 100;

/// A reusable shift.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShiftTemplate {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    /// Local time of day, `HH:MM`, in the zone of the shift's location.
    pub start_time: String,
    /// Local time of day, `HH:MM`; not after `start_time`: the next day.
    pub end_time: String,
    /// From start to end, breaks included (on a day without a change of the clocks).
    pub length_minutes: i64,
    pub breaks: Vec<DailyBreak>,
    pub location_id: Option<i64>,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    /// Six hex digits.
    pub colour: String,
    pub notes: Option<String>,
    pub created_by: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A new template, or every field of one replaced.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftTemplateInput {
    #[schema(value_type = crate::openapi::Text100)]
    pub name: String,
    #[schema(value_type = crate::openapi::LocalTime)]
    pub start_time: String,
    /// Not after `start_time`: the next day; at most 24 hours after it.
    #[schema(value_type = crate::openapi::LocalTime)]
    pub end_time: String,
    /// At most 10; together shorter than the template's length.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub breaks: Vec<DailyBreak>,
    pub location_id: Option<i64>,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    /// Six hex digits; `cccccc` when absent.
    #[schema(value_type = Option<crate::openapi::Colour>)]
    pub colour: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText2000>)]
    pub notes: Option<String>,
}

/// A template as checked, ready to write.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub name: String,
    pub start: Time,
    pub end: Time,
    pub breaks: Vec<TimedBreak>,
    pub location_id: Option<i64>,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    pub colour: String,
    pub notes: Option<String>,
}

/// A day without a change of the clocks, on which a template's rules are checked.
const PLAIN_DAY: Date = jiff::civil::date(2001, 1, 1);

impl ShiftTemplateInput {
    pub(crate) fn check(&self) -> Result<Checked> {
        let start = validate::time_of_day("start_time", &self.start_time)?;
        let end = validate::time_of_day("end_time", &self.end_time)?;
        let breaks = daily_breaks::parse(&self.breaks)?;
        let checked = Checked {
            name: validate::required_text("name", &self.name, NAME_MAX)?,
            start,
            end,
            breaks,
            location_id: self.location_id,
            position_id: self.position_id,
            site_id: self.site_id,
            colour: match &self.colour {
                Some(colour) => validate::colour("colour", colour)?,
                None => "cccccc".into(),
            },
            notes: validate::optional_text("notes", self.notes.as_deref(), NOTES_MAX)?,
        };
        let utc = TimeZone::UTC;
        let (from, to) = wall_clock::span(PLAIN_DAY, start, end, &utc)?;
        rules::breaks(from, to, &checked.placed_breaks(PLAIN_DAY, &utc)?).map_err(as_times)?;
        Ok(checked)
    }
}

impl Checked {
    /// The breaks on `day` in `zone`: a break at a time before the start falls on the
    /// next day, as the end does.
    fn placed_breaks(&self, day: Date, zone: &TimeZone) -> Result<Vec<Break>> {
        self.breaks
            .iter()
            .map(
                |&TimedBreak {
                     length_minutes,
                     paid,
                     at,
                 }| {
                    let starts_at = at
                        .map(|at| wall_clock::span(day, self.start, at, zone).map(|(_, s)| s))
                        .transpose()?;
                    Ok(Break {
                        length_minutes,
                        paid,
                        starts_at,
                    })
                },
            )
            .collect()
    }
}

#[derive(Debug, Clone, FromRow)]
pub(crate) struct TemplateRow {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub start_time: String,
    pub end_time: String,
    pub location_id: Option<i64>,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    pub colour: String,
    pub notes: Option<String>,
    pub created_by: i64,
    pub created_at: i64,
    pub updated_at: i64,
    #[sqlx(skip)]
    pub breaks: Vec<BreakRow>,
}

#[derive(Debug, Clone, FromRow)]
pub(crate) struct BreakRow {
    pub template_id: i64,
    pub length_minutes: i64,
    #[sqlx(try_from = "crate::stored::Flag")]
    pub paid: bool,
    pub start_time: Option<String>,
}

pub(crate) const SELECT: &str = "SELECT id, company_id, name, start_time, end_time, location_id, position_id, site_id, \
     colour, notes, created_by, created_at, updated_at FROM shift_templates";

const BREAKS: (&str, &str) = (
    "SELECT template_id, length_minutes, paid, start_time FROM shift_template_breaks \
     WHERE company_id = $1 AND template_id IN",
    "template_id, sort",
);

/// Fills in the breaks of `rows`.
pub(crate) async fn with_breaks(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    mut rows: Vec<TemplateRow>,
) -> Result<Vec<TemplateRow>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut by_template: HashMap<i64, Vec<BreakRow>> =
        children(conn, company_id, BREAKS, &ids, |b: &BreakRow| b.template_id).await?;
    for row in &mut rows {
        row.breaks = by_template.remove(&row.id).unwrap_or_default();
    }
    Ok(rows)
}

/// A stored time of day.
fn stored_time(text: &str) -> Result<Time> {
    validate::time_of_day("start_time", text)
        .map_err(|_| Error::Internal(format!("stored time of day {text:?}").into()))
}

impl TemplateRow {
    pub fn render(&self) -> Result<ShiftTemplate> {
        let (start, end) = (stored_time(&self.start_time)?, stored_time(&self.end_time)?);
        let (from, to) = wall_clock::span(PLAIN_DAY, start, end, &TimeZone::UTC)?;
        Ok(ShiftTemplate {
            id: self.id,
            company_id: self.company_id,
            name: self.name.clone(),
            start_time: self.start_time.clone(),
            end_time: self.end_time.clone(),
            length_minutes: (to - from) / 60,
            breaks: self
                .breaks
                .iter()
                .map(|b| DailyBreak {
                    length_minutes: b.length_minutes,
                    paid: b.paid,
                    start_time: b.start_time.clone(),
                })
                .collect(),
            location_id: self.location_id,
            position_id: self.position_id,
            site_id: self.site_id,
            colour: self.colour.clone(),
            notes: self.notes.clone(),
            created_by: self.created_by,
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
        })
    }
}

/// `input` (which names `template`) as a plain shift: the template's times on the
/// input's `date` in the zone of its location, and its position, site, breaks, colour
/// and notes wherever the input gives none.
pub(crate) fn fill(input: ShiftInput, template: &TemplateRow, zones: &Zones) -> Result<ShiftInput> {
    if input.starts_at.is_some() || input.ends_at.is_some() {
        return Err(Error::invalid(
            "template_id",
            "a shift from a template takes a date, not starts_at and ends_at",
        ));
    }
    let text = input
        .date
        .as_deref()
        .ok_or_else(|| Error::invalid("date", "a shift from a template needs its date"))?;
    let day = validate::date("date", text)?;
    let (_, zone) = zones.of(input.location_id);
    let (start, end) = (
        stored_time(&template.start_time)?,
        stored_time(&template.end_time)?,
    );
    let (starts_at, ends_at) = wall_clock::span(day, start, end, zone)?;
    let instant = |seconds: i64| rfc3339(seconds);
    let breaks = if input.breaks.is_empty() {
        let mut breaks = Vec::with_capacity(template.breaks.len());
        for b in &template.breaks {
            let starts_at = match &b.start_time {
                Some(text) => Some(instant(
                    wall_clock::span(day, start, stored_time(text)?, zone)?.1,
                )),
                None => None,
            };
            breaks.push(BreakInput {
                length_minutes: b.length_minutes,
                paid: b.paid,
                starts_at,
            });
        }
        breaks
    } else {
        input.breaks
    };
    Ok(ShiftInput {
        starts_at: Some(instant(starts_at)),
        ends_at: Some(instant(ends_at)),
        position_id: input.position_id.or(template.position_id),
        site_id: input.site_id.or(template.site_id),
        colour: input.colour.or_else(|| Some(template.colour.clone())),
        notes: input.notes.or_else(|| template.notes.clone()),
        breaks,
        template_id: None,
        date: None,
        ..input
    })
}
