//! A stored chain, its exceptions, and how the API shows the chain and its occurrences
//! (instants in the chain's zone).

use std::collections::HashSet;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use serde::Serialize;
use sqlx::FromRow;
use utoipa::ToSchema;

use super::super::daily_breaks::{DailyBreak, clock, time_after};
use super::super::draft::Draft;
use super::super::repeat::{Occurrence, Pattern, Weekdays};
use super::super::row::stored_zone;
use super::super::rules::{Break, Warning};
use crate::error::{Error, Result};
use crate::sql::children;
use crate::time::{rfc3339, rfc3339_in};

/// A repeating shift: the first shift's fields and the pattern it repeats in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShiftChain {
    pub id: i64,
    pub company_id: i64,
    /// Whose shifts; absent for open shifts.
    pub user_id: Option<i64>,
    pub location_id: i64,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    /// The IANA zone whose wall clock the occurrences keep.
    pub time_zone: String,
    /// The first day it may fall on.
    #[schema(value_type = crate::openapi::Date)]
    pub first_date: Date,
    /// The last day it may fall on.
    #[schema(value_type = crate::openapi::Date)]
    pub until: Date,
    /// Local start, HH:MM.
    pub start_time: String,
    pub length_minutes: i64,
    /// Every shift's scheduled breaks, at times of day in `time_zone`.
    pub breaks: Vec<DailyBreak>,
    /// Every this many weeks, counted from the first day's week.
    pub interval_weeks: i64,
    /// Bit 0 Monday … bit 6 Sunday (When I Work's bitmask).
    pub weekdays: i64,
    pub colour: String,
    pub notes: Option<String>,
    pub published: bool,
    /// Days taken out of the chain: deleted there, or edited into a shift of their own.
    pub exceptions: Vec<ChainException>,
    pub created_by: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The conflicts the company lets through (its schedule settings' `conflict_warnings`)
    /// that this save met among the occurrences, each kind once with the first day it
    /// falls on; only in the answer to the save, absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// A day taken out of a chain.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChainException {
    #[schema(value_type = crate::openapi::Date)]
    pub date: Date,
    /// The shift the occurrence became when edited; absent when it was deleted.
    pub shift_id: Option<i64>,
}

/// One occurrence of a chain, as read for a range; it has no id of its own until it is
/// edited into a shift.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChainOccurrence {
    pub chain_id: i64,
    /// Its local day, which names it in `/shift-chains/{id}/occurrences/{date}`.
    #[schema(value_type = crate::openapi::Date)]
    pub date: Date,
    pub user_id: Option<i64>,
    pub is_open: bool,
    pub location_id: i64,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    /// RFC 3339, with the offset of `time_zone` at that instant.
    pub starts_at: String,
    pub ends_at: String,
    pub time_zone: String,
    /// From start to end, breaks included.
    pub length_minutes: i64,
    /// The unpaid breaks together.
    pub unpaid_break_minutes: i64,
    pub breaks: Vec<OccurrenceBreak>,
    pub colour: String,
    pub notes: Option<String>,
    pub published: bool,
}

/// A scheduled break of an occurrence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OccurrenceBreak {
    pub length_minutes: i64,
    /// Paid rest (true) or an unpaid meal break (false).
    pub paid: bool,
    /// When it starts and ends, if planned; RFC 3339 in the chain's zone.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
}

/// A scheduled break of a chain: in every occurrence, `offset_minutes` after its start
/// (none when not planned).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ChainBreak {
    pub length_minutes: i64,
    pub paid: bool,
    pub offset_minutes: Option<i64>,
}

impl ChainBreak {
    /// The break in an occurrence starting at `starts_at`.
    pub fn placed(&self, starts_at: i64) -> Break {
        Break {
            length_minutes: self.length_minutes,
            paid: self.paid,
            starts_at: self.offset_minutes.map(|m| starts_at + m * 60),
        }
    }
}

#[derive(Debug, Clone, FromRow)]
pub(crate) struct ChainRow {
    pub id: i64,
    pub company_id: i64,
    pub user_id: Option<i64>,
    pub location_id: i64,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    pub time_zone: String,
    #[sqlx(try_from = "crate::stored::Day")]
    pub first_date: Date,
    #[sqlx(try_from = "crate::stored::Day")]
    pub until_date: Date,
    pub start_time: String,
    pub length_minutes: i64,
    pub interval_weeks: i64,
    pub weekdays: i64,
    pub colour: String,
    pub notes: Option<String>,
    #[sqlx(try_from = "crate::stored::Flag")]
    pub published: bool,
    pub created_by: i64,
    pub created_at: i64,
    pub updated_at: i64,
    #[sqlx(skip)]
    pub exceptions: Vec<ExceptionRow>,
    #[sqlx(skip)]
    pub breaks: Vec<ChainBreak>,
}

#[derive(Debug, Clone, FromRow)]
struct BreakRow {
    chain_id: i64,
    length_minutes: i64,
    #[sqlx(try_from = "crate::stored::Flag")]
    paid: bool,
    start_offset_minutes: Option<i64>,
}

#[derive(Debug, Clone, FromRow)]
pub(crate) struct ExceptionRow {
    pub chain_id: i64,
    #[sqlx(try_from = "crate::stored::Day")]
    pub day: Date,
    pub shift_id: Option<i64>,
}

pub(crate) const SELECT: &str = "SELECT id, company_id, user_id, location_id, position_id, site_id, time_zone, \
     first_date, until_date, start_time, length_minutes, interval_weeks, weekdays, colour, notes, published, \
     created_by, created_at, updated_at FROM shift_chains";

pub(crate) const RETURNING: &str = " RETURNING id, company_id, user_id, location_id, position_id, site_id, time_zone, \
     first_date, until_date, start_time, length_minutes, interval_weeks, weekdays, colour, notes, published, \
     created_by, created_at, updated_at";

/// A stored start time, `HH:MM`.
pub(crate) fn start_time(text: &str) -> Result<Time> {
    Time::strptime("%H:%M", text)
        .map_err(|_| Error::Internal(format!("stored start time {text:?} is not HH:MM").into()))
}

impl ChainRow {
    /// Its zone, as stored.
    pub fn zone(&self) -> Result<TimeZone> {
        stored_zone(&self.time_zone)
    }

    /// Its pattern, as stored.
    pub fn pattern(&self) -> Result<Pattern> {
        Ok(Pattern {
            first: self.first_date,
            until: self.until_date,
            start: start_time(&self.start_time)?,
            length_minutes: self.length_minutes,
            interval_weeks: self.interval_weeks,
            weekdays: Weekdays::parse("weekdays", self.weekdays)
                .map_err(|_| Error::Internal("a stored weekday mask is out of range".into()))?,
        })
    }

    /// Its occurrences overlapping `from..to`, exceptions left out.
    pub fn occurrences(&self, from: i64, to: i64) -> Result<Vec<Occurrence>> {
        let skipped: HashSet<Date> = self.exceptions.iter().map(|e| e.day).collect();
        Ok(self
            .pattern()?
            .occurrences(&self.zone()?, from, to)
            .into_iter()
            .filter(|o| !skipped.contains(&o.date))
            .collect())
    }

    /// Its occurrence on `day`, if it falls there and was not taken out.
    pub fn occurrence_on(&self, day: Date) -> Result<Occurrence> {
        if self.exceptions.iter().any(|e| e.day == day) {
            return Err(Error::not_found("occurrence"));
        }
        self.pattern()?
            .on(day, &self.zone()?)
            .ok_or(Error::not_found("occurrence"))
    }

    /// The shift `occurrence` would be, its breaks placed in it.
    pub fn shift(&self, occurrence: &Occurrence) -> Draft {
        Draft {
            user_id: self.user_id,
            location_id: self.location_id,
            position_id: self.position_id,
            site_id: self.site_id,
            starts_at: occurrence.starts_at,
            ends_at: occurrence.ends_at,
            breaks: self
                .breaks
                .iter()
                .map(|b| b.placed(occurrence.starts_at))
                .collect(),
            colour: self.colour.clone(),
            notes: self.notes.clone(),
            published: self.published,
            requires_approval: false,
        }
    }

    pub fn render(&self) -> Result<ShiftChain> {
        let start = start_time(&self.start_time)?;
        let breaks = self
            .breaks
            .iter()
            .map(|b| {
                Ok(DailyBreak {
                    length_minutes: b.length_minutes,
                    paid: b.paid,
                    start_time: b
                        .offset_minutes
                        .map(|m| time_after(start, m).map(clock))
                        .transpose()?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(ShiftChain {
            id: self.id,
            company_id: self.company_id,
            user_id: self.user_id,
            location_id: self.location_id,
            position_id: self.position_id,
            site_id: self.site_id,
            time_zone: self.time_zone.clone(),
            first_date: self.first_date,
            until: self.until_date,
            start_time: self.start_time.clone(),
            length_minutes: self.length_minutes,
            breaks,
            interval_weeks: self.interval_weeks,
            weekdays: self.weekdays,
            colour: self.colour.clone(),
            notes: self.notes.clone(),
            published: self.published,
            exceptions: self
                .exceptions
                .iter()
                .map(|e| ChainException {
                    date: e.day,
                    shift_id: e.shift_id,
                })
                .collect(),
            created_by: self.created_by,
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
            warnings: Vec::new(),
        })
    }

    pub fn render_occurrence(&self, occurrence: &Occurrence, zone: &TimeZone) -> ChainOccurrence {
        let breaks: Vec<OccurrenceBreak> = self
            .breaks
            .iter()
            .map(|b| {
                let placed = b.placed(occurrence.starts_at);
                OccurrenceBreak {
                    length_minutes: b.length_minutes,
                    paid: b.paid,
                    starts_at: placed.starts_at.map(|at| rfc3339_in(at, zone)),
                    ends_at: placed
                        .starts_at
                        .map(|at| rfc3339_in(at + b.length_minutes * 60, zone)),
                }
            })
            .collect();
        ChainOccurrence {
            chain_id: self.id,
            date: occurrence.date,
            user_id: self.user_id,
            is_open: self.user_id.is_none(),
            location_id: self.location_id,
            position_id: self.position_id,
            site_id: self.site_id,
            starts_at: rfc3339_in(occurrence.starts_at, zone),
            ends_at: rfc3339_in(occurrence.ends_at, zone),
            time_zone: self.time_zone.clone(),
            length_minutes: self.length_minutes,
            unpaid_break_minutes: breaks
                .iter()
                .filter(|b| !b.paid)
                .map(|b| b.length_minutes)
                .sum(),
            breaks,
            colour: self.colour.clone(),
            notes: self.notes.clone(),
            published: self.published,
        }
    }
}

/// Fills in the exceptions of `rows`, read with one query.
pub(crate) async fn with_exceptions(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    mut rows: Vec<ChainRow>,
) -> Result<Vec<ChainRow>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut by_chain = children(
        conn,
        company_id,
        (
            "SELECT chain_id, day, shift_id FROM shift_chain_exceptions \
             WHERE company_id = $1 AND chain_id IN",
            "chain_id, day",
        ),
        &ids,
        |e: &ExceptionRow| e.chain_id,
    )
    .await?;
    for row in &mut rows {
        row.exceptions = by_chain.remove(&row.id).unwrap_or_default();
    }
    Ok(rows)
}

/// Fills in the breaks of `rows`, read with one query.
pub(crate) async fn with_breaks(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    mut rows: Vec<ChainRow>,
) -> Result<Vec<ChainRow>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut by_chain = children(
        conn,
        company_id,
        (
            "SELECT chain_id, length_minutes, paid, start_offset_minutes FROM shift_chain_breaks \
             WHERE company_id = $1 AND chain_id IN",
            "chain_id, sort",
        ),
        &ids,
        |b: &BreakRow| b.chain_id,
    )
    .await?;
    for row in &mut rows {
        row.breaks = by_chain
            .remove(&row.id)
            .unwrap_or_default()
            .into_iter()
            .map(|b| ChainBreak {
                length_minutes: b.length_minutes,
                paid: b.paid,
                offset_minutes: b.start_offset_minutes,
            })
            .collect();
    }
    Ok(rows)
}

/// One chain (not deleted) with its exceptions and breaks.
pub(crate) async fn load(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    id: i64,
) -> Result<Option<ChainRow>> {
    let row: Option<ChainRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL"
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => {
            let rows = with_exceptions(conn, company_id, vec![row]).await?;
            Ok(with_breaks(conn, company_id, rows).await?.pop())
        }
        None => Ok(None),
    }
}

/// The chains of `user_id` with a day in `first..=last`, other than `except`, with
/// their exceptions: what a new assignment to them is checked against.
pub(crate) async fn of_user(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    user_id: i64,
    first: Date,
    last: Date,
    except: Option<i64>,
) -> Result<Vec<ChainRow>> {
    let rows: Vec<ChainRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND user_id = $2 AND deleted_at IS NULL AND id <> $3 \
         AND first_date <= $4 AND until_date >= $5"
    )))
    .bind(company_id)
    .bind(user_id)
    .bind(except.unwrap_or(0))
    .bind(last.to_string())
    .bind(first.to_string())
    .fetch_all(&mut *conn)
    .await?;
    with_exceptions(conn, company_id, rows).await
}
