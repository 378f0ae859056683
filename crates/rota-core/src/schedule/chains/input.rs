//! What a client sends to make or change a repeating shift, checked into a
//! [`ChainDraft`]: the first shift's fields as a shift [`Draft`] (every rule of a shift
//! passed), the zone whose wall clock it keeps, and its [`Pattern`].

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;
use utoipa::ToSchema;

use super::super::daily_breaks::{self, DailyBreak, as_times};
use super::super::draft::{Draft, ShiftInput};
use super::super::repeat::{self, Occurrence, Pattern, Weekdays};
use super::super::row::{Zones, stored_zone};
use super::super::rules::{self, Break, MAX_SHIFT_MINUTES};
use super::row::{ChainBreak, ChainRow};
use crate::error::{Error, Result};
use crate::validate;

fn every_week() -> i64 {
    1
}

/// A new repeating shift: its first shift, and how it repeats.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainInput {
    /// Whose shifts; absent or null for open shifts.
    pub user_id: Option<i64>,
    pub location_id: i64,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    /// The first shift's start, RFC 3339 on a whole minute; its day must be one of
    /// `weekdays`.
    #[schema(value_type = crate::openapi::Instant)]
    pub starts_at: String,
    /// The first shift's end: after `starts_at`, at most 24 hours later, on a whole minute.
    #[schema(value_type = crate::openapi::Instant)]
    pub ends_at: String,
    /// The zone whose wall clock every occurrence keeps across DST changes; the
    /// location's (else the company's) when absent.
    #[schema(value_type = Option<crate::openapi::TimeZone>)]
    pub time_zone: Option<String>,
    /// Every shift's scheduled breaks, at times of day in `time_zone`: at most 10,
    /// each inside the shift, together shorter than it. Each keeps its place in every
    /// occurrence as minutes after the start, also on a day the clocks change.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub breaks: Vec<DailyBreak>,
    /// Every this many weeks (1 to 52), counted from the first shift's week; 1 when absent.
    #[serde(default = "every_week")]
    #[schema(minimum = 1, maximum = 52, default = 1)]
    pub interval_weeks: i64,
    /// The days it repeats on: bit 0 Monday … bit 6 Sunday (When I Work's bitmask;
    /// Mon–Fri = 31, M/W/F = 21, Sat+Sun = 96).
    #[schema(minimum = 1, maximum = 127)]
    pub weekdays: i64,
    /// The last day it may fall on: required, from the first shift's day to 366 days after.
    #[schema(value_type = crate::openapi::Date)]
    pub until: String,
    /// Six hex digits; `cccccc` when absent.
    #[schema(value_type = Option<crate::openapi::Colour>)]
    pub colour: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText2000>)]
    pub notes: Option<String>,
    /// Publish at once; drafts when absent.
    #[serde(default)]
    pub published: bool,
    /// Assign even over the user's other shifts, approved leave or business-closed days.
    #[serde(default, rename = "override")]
    pub override_conflicts: bool,
}

/// Changes to a repeating shift, from one of its days on ("this and following") or
/// whole; absent fields stay as they are, `null` clears the optional ones.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainPatch {
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<i64>)]
    pub user_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<i64>)]
    pub position_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<i64>)]
    pub site_id: Option<Option<i64>>,
    /// Local start, HH:MM.
    #[schema(value_type = Option<crate::openapi::LocalTime>)]
    pub start_time: Option<String>,
    #[schema(minimum = 1, maximum = 1440)]
    pub length_minutes: Option<i64>,
    /// Replaces every break, as on create; absent, the breaks keep their minutes after
    /// the (new) start.
    #[schema(max_items = 10)]
    pub breaks: Option<Vec<DailyBreak>>,
    #[schema(minimum = 1, maximum = 52)]
    pub interval_weeks: Option<i64>,
    #[schema(minimum = 1, maximum = 127)]
    pub weekdays: Option<i64>,
    /// As on create: at most 366 days after the (new) first day.
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub until: Option<String>,
    #[schema(value_type = Option<crate::openapi::Colour>)]
    pub colour: Option<String>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<crate::openapi::OptionalText2000>)]
    pub notes: Option<Option<String>>,
    pub published: Option<bool>,
    /// As on create.
    #[serde(default, rename = "override")]
    pub override_conflicts: bool,
}

/// A repeating shift as it is to be written.
#[derive(Debug, Clone)]
pub(crate) struct ChainDraft {
    /// The first shift's fields (its instants those of the first occurrence).
    pub shift: Draft,
    pub time_zone: String,
    pub zone: TimeZone,
    pub pattern: Pattern,
    pub breaks: Vec<ChainBreak>,
}

/// `breaks` as a chain starting at `pattern`'s time keeps them.
fn chain_breaks(breaks: &[DailyBreak], pattern: &Pattern) -> Result<Vec<ChainBreak>> {
    Ok(daily_breaks::parse(breaks)?
        .into_iter()
        .map(|b| ChainBreak {
            length_minutes: b.length_minutes,
            paid: b.paid,
            offset_minutes: b
                .at
                .map(|at| daily_breaks::minutes_after(pattern.start, at)),
        })
        .collect())
}

/// Refuses breaks that do not fit a shift of `pattern`'s length, as a shift's are
/// refused; a break that fits one occurrence fits them all, at the same minutes after
/// the start.
fn check_breaks(pattern: &Pattern, breaks: &[ChainBreak]) -> Result<()> {
    let placed: Vec<Break> = breaks.iter().map(|b| b.placed(0)).collect();
    rules::breaks(0, pattern.length_minutes * 60, &placed).map_err(as_times)
}

impl ChainDraft {
    /// A new chain from `input`, every rule checked; its zone is the location's in
    /// `zones` when the input names none.
    pub fn new(input: &ChainInput, zones: &Zones) -> Result<Self> {
        let shift = Draft::new(
            &ShiftInput {
                user_id: input.user_id,
                location_id: input.location_id,
                position_id: input.position_id,
                site_id: input.site_id,
                starts_at: Some(input.starts_at.clone()),
                ends_at: Some(input.ends_at.clone()),
                template_id: None,
                date: None,
                breaks: Vec::new(),
                colour: input.colour.clone(),
                notes: input.notes.clone(),
                published: input.published,
                requires_approval: Some(false),
                override_conflicts: input.override_conflicts,
            },
            false,
        )?;
        for (field, at) in [("starts_at", shift.starts_at), ("ends_at", shift.ends_at)] {
            if at % 60 != 0 {
                return Err(Error::invalid(
                    field,
                    format!("{field} must fall on a whole minute"),
                ));
            }
        }
        let time_zone = match &input.time_zone {
            Some(name) => validate::time_zone("time_zone", name)?,
            None => zones.of(input.location_id).0.to_owned(),
        };
        let zone = stored_zone(&time_zone)?;
        let start = jiff::Timestamp::from_second(shift.starts_at)
            .map_err(|_| Error::invalid("starts_at", "starts_at is out of range"))?
            .to_zoned(zone.clone());
        let weekdays = Weekdays::parse("weekdays", input.weekdays)?;
        if !weekdays.has(start.date().weekday()) {
            return Err(Error::invalid(
                "weekdays",
                "weekdays must include the first shift's day",
            ));
        }
        let until = validate::date("until", &input.until)?;
        repeat::limits(start.date(), until, input.interval_weeks)?;
        let pattern = Pattern {
            first: start.date(),
            until,
            start: start.time(),
            length_minutes: (shift.ends_at - shift.starts_at) / 60,
            interval_weeks: input.interval_weeks,
            weekdays,
        };
        let breaks = chain_breaks(&input.breaks, &pattern)?;
        check_breaks(&pattern, &breaks)?;
        Ok(Self {
            shift,
            time_zone,
            zone,
            pattern,
            breaks,
        })
    }

    /// The chain `row` is now, from `first` on.
    pub fn of(row: &ChainRow, first: Date) -> Result<Self> {
        let pattern = Pattern {
            first,
            ..row.pattern()?
        };
        let zone = row.zone()?;
        let starts_at = first
            .to_datetime(pattern.start)
            .to_zoned(zone.clone())
            .map_err(|e| Error::Internal(e.to_string().into()))?
            .timestamp()
            .as_second();
        let first_shift = Occurrence {
            date: first,
            starts_at,
            ends_at: starts_at + pattern.length_minutes * 60,
        };
        Ok(Self {
            shift: row.shift(&first_shift),
            time_zone: row.time_zone.clone(),
            zone,
            pattern,
            breaks: row.breaks.clone(),
        })
    }

    /// This chain with `patch` applied, every rule checked again.
    pub fn patched(mut self, patch: &ChainPatch) -> Result<Self> {
        let shift = &mut self.shift;
        if let Some(user_id) = patch.user_id {
            shift.user_id = user_id;
        }
        if let Some(position_id) = patch.position_id {
            shift.position_id = position_id;
        }
        if let Some(site_id) = patch.site_id {
            shift.site_id = site_id;
        }
        if let Some(colour) = &patch.colour {
            shift.colour = validate::colour("colour", colour)?;
        }
        if let Some(notes) = &patch.notes {
            shift.notes =
                validate::optional_text("notes", notes.as_deref(), super::super::rules::NOTES_MAX)?;
        }
        if let Some(published) = patch.published {
            shift.published = published;
        }
        let pattern = &mut self.pattern;
        if let Some(text) = &patch.start_time {
            pattern.start = validate::time_of_day("start_time", text)?;
        }
        if let Some(length) = patch.length_minutes {
            pattern.length_minutes =
                validate::within("length_minutes", length, 1, MAX_SHIFT_MINUTES)?;
        }
        if let Some(mask) = patch.weekdays {
            pattern.weekdays = Weekdays::parse("weekdays", mask)?;
        }
        if let Some(interval) = patch.interval_weeks {
            pattern.interval_weeks = interval;
        }
        if let Some(until) = &patch.until {
            pattern.until = validate::date("until", until)?;
        }
        repeat::limits(pattern.first, pattern.until, pattern.interval_weeks)?;
        if let Some(breaks) = &patch.breaks {
            self.breaks = chain_breaks(breaks, &self.pattern)?;
        }
        check_breaks(&self.pattern, &self.breaks)?;
        Ok(self)
    }

    /// Whether it differs from `before` in whom or when: what conflicts are about.
    pub fn moves(&self, before: &ChainDraft) -> bool {
        self.shift.user_id != before.shift.user_id || self.pattern != before.pattern
    }
}
