//! A stored time entry and its breaks, and how the API shows them: every instant in the
//! time zone of the entry's location (else the company's), the rounded times and the
//! lengths beside the actual ones, worked out with the company's rules as they are now.

use jiff::tz::TimeZone;
use serde::Serialize;
use std::collections::HashMap;

use sqlx::{AnyConnection, AssertSqlSafe, FromRow};
use utoipa::ToSchema;

use super::rules::{self, Stretch};
use super::settings::{self, TimeClockSettings};
use crate::error::{Error, Result};
use crate::sql::children;
use crate::time::{offset_at, rfc3339_in};

/// The columns of `time_entries`, in [`EntryRow`]'s order.
pub(crate) const COLUMNS: &str = "id, company_id, user_id, start_at, end_at, location_id, position_id, site_id, shift_id, \
    notes, cash_tips, approved_by, approved_at, created_by, updated_by, created_at, updated_at";

#[derive(Debug, Clone, FromRow)]
pub(crate) struct EntryRow {
    pub id: i64,
    pub company_id: i64,
    pub user_id: i64,
    pub start_at: i64,
    pub end_at: Option<i64>,
    pub location_id: Option<i64>,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    pub shift_id: Option<i64>,
    pub notes: Option<String>,
    pub cash_tips: i64,
    pub approved_by: Option<i64>,
    pub approved_at: Option<i64>,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl EntryRow {
    pub fn stretch(&self) -> Stretch {
        Stretch {
            start: self.start_at,
            end: self.end_at,
        }
    }
}

#[derive(Debug, Clone, FromRow)]
pub(crate) struct BreakRow {
    pub id: i64,
    pub time_entry_id: i64,
    pub start_at: i64,
    pub end_at: Option<i64>,
}

impl BreakRow {
    pub fn stretch(&self) -> Stretch {
        Stretch {
            start: self.start_at,
            end: self.end_at,
        }
    }
}

/// A time entry as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimeEntry {
    pub id: i64,
    pub company_id: i64,
    pub user_id: i64,
    pub location_id: Option<i64>,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    /// The shift it was worked for: named, or found at clock-in (the person's published
    /// shift under way or starting within the hour); absent when none.
    pub shift_id: Option<i64>,
    /// The zone the instants are shown in: the location's, else the company's.
    pub time_zone: String,
    /// When the user clocked in.
    #[schema(value_type = crate::openapi::Instant)]
    pub start_time: String,
    /// When the user clocked out; absent while the entry runs (clocked in).
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub end_time: Option<String>,
    /// `start_time` rounded by the company's clock-in rule.
    #[schema(value_type = crate::openapi::Instant)]
    pub rounded_start_time: String,
    /// `end_time` rounded by the company's clock-out rule, never before the rounded start.
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub rounded_end_time: Option<String>,
    /// Whether the entry runs (the user is clocked in).
    pub is_open: bool,
    /// Whether a break runs.
    pub on_break: bool,
    pub breaks: Vec<TimeBreak>,
    /// Minutes worked, breaks taken off; absent while the entry runs.
    pub worked_minutes: Option<i64>,
    /// Minutes on finished breaks; absent while the entry runs.
    pub break_minutes: Option<i64>,
    /// Minutes from the rounded start to the rounded end, breaks taken off; absent while
    /// the entry runs.
    pub rounded_worked_minutes: Option<i64>,
    pub notes: Option<String>,
    /// Cash tips declared, in cents.
    pub cash_tips: i64,
    pub is_approved: bool,
    pub approved_by: Option<i64>,
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub approved_at: Option<String>,
    /// Who made the entry: the user clocking in, or a manager.
    pub created_by: Option<i64>,
    /// Who changed it last.
    pub updated_by: Option<i64>,
    #[schema(value_type = crate::openapi::Instant)]
    pub created_at: String,
    #[schema(value_type = crate::openapi::Instant)]
    pub updated_at: String,
}

/// A break inside a time entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimeBreak {
    pub id: i64,
    #[schema(value_type = crate::openapi::Instant)]
    pub start_time: String,
    /// Absent while the break runs.
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub end_time: Option<String>,
}

/// What rendering entries needs from the company: its rounding rules and time zones.
pub(crate) struct View {
    settings: TimeClockSettings,
    company_zone: String,
    /// The zones of the company's locations that set one.
    location_zones: Vec<(i64, String)>,
}

impl View {
    pub async fn load(conn: &mut AnyConnection, company_id: i64) -> Result<Self> {
        let settings = settings::load(&mut *conn, company_id).await?;
        let company_zone: String =
            sqlx::query_scalar("SELECT time_zone FROM companies WHERE id = $1")
                .bind(company_id)
                .fetch_one(&mut *conn)
                .await?;
        let location_zones = sqlx::query_as(
            "SELECT id, time_zone FROM locations WHERE company_id = $1 AND time_zone IS NOT NULL",
        )
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
        Ok(Self {
            settings,
            company_zone,
            location_zones,
        })
    }

    fn zone_name(&self, location_id: Option<i64>) -> &str {
        location_id
            .and_then(|id| self.location_zones.iter().find(|(l, _)| *l == id))
            .map_or(self.company_zone.as_str(), |(_, zone)| zone.as_str())
    }

    fn zone(&self, location_id: Option<i64>) -> Result<TimeZone> {
        TimeZone::get(self.zone_name(location_id))
            .map_err(|e| Error::Internal(format!("stored time zone unreadable: {e}").into()))
    }

    /// The entry's times rounded by the company's rules in `zone`, and its lengths.
    fn measure(
        &self,
        entry: Stretch,
        breaks: &[BreakRow],
        zone: &TimeZone,
    ) -> (Stretch, Option<rules::Lengths>) {
        let stretches: Vec<Stretch> = breaks.iter().map(BreakRow::stretch).collect();
        let rounded = rules::round(&self.settings, entry, |s| offset_at(s, zone));
        (rounded, rules::lengths(entry, rounded, &stretches))
    }

    /// The minutes payroll counts for an entry worked at `location_id`: from its rounded
    /// start to its rounded end, breaks taken off (absent while it runs), without
    /// rendering the rest of it.
    pub fn rounded_worked_minutes(
        &self,
        location_id: Option<i64>,
        entry: Stretch,
        breaks: &[BreakRow],
    ) -> Result<Option<i64>> {
        let zone = self.zone(location_id)?;
        let (_, lengths) = self.measure(entry, breaks, &zone);
        Ok(lengths.map(|l| l.rounded_worked_minutes))
    }

    /// The entry as the API shows it, with `breaks` (its own, in order of start).
    pub fn render(&self, row: &EntryRow, breaks: &[BreakRow]) -> Result<TimeEntry> {
        let zone_name = self.zone_name(row.location_id);
        let zone = self.zone(row.location_id)?;
        let at = |seconds: i64| rfc3339_in(seconds, &zone);
        let (rounded, lengths) = self.measure(row.stretch(), breaks, &zone);
        Ok(TimeEntry {
            id: row.id,
            company_id: row.company_id,
            user_id: row.user_id,
            location_id: row.location_id,
            position_id: row.position_id,
            site_id: row.site_id,
            shift_id: row.shift_id,
            time_zone: zone_name.to_owned(),
            start_time: at(row.start_at),
            end_time: row.end_at.map(at),
            rounded_start_time: at(rounded.start),
            rounded_end_time: rounded.end.map(at),
            is_open: row.end_at.is_none(),
            on_break: breaks.iter().any(|b| b.end_at.is_none()),
            breaks: breaks
                .iter()
                .map(|b| TimeBreak {
                    id: b.id,
                    start_time: at(b.start_at),
                    end_time: b.end_at.map(at),
                })
                .collect(),
            worked_minutes: lengths.map(|l| l.worked_minutes),
            break_minutes: lengths.map(|l| l.break_minutes),
            rounded_worked_minutes: lengths.map(|l| l.rounded_worked_minutes),
            notes: row.notes.clone(),
            cash_tips: row.cash_tips,
            is_approved: row.approved_at.is_some(),
            approved_by: row.approved_by,
            approved_at: row.approved_at.map(at),
            created_by: row.created_by,
            updated_by: row.updated_by,
            created_at: at(row.created_at),
            updated_at: at(row.updated_at),
        })
    }

    /// Every row with its breaks, `breaks` being those of all of them by entry.
    pub fn render_all(
        &self,
        rows: &[EntryRow],
        breaks: &HashMap<i64, Vec<BreakRow>>,
    ) -> Result<Vec<TimeEntry>> {
        rows.iter()
            .map(|row| self.render(row, breaks.get(&row.id).map_or(&[][..], Vec::as_slice)))
            .collect()
    }
}

/// One entry of the company, if it exists.
pub(crate) async fn load(
    conn: &mut AnyConnection,
    company_id: i64,
    id: i64,
) -> Result<Option<EntryRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM time_entries WHERE company_id = $1 AND id = $2"
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// The user's running entry, if any.
pub(crate) async fn running(
    conn: &mut AnyConnection,
    company_id: i64,
    user_id: i64,
) -> Result<Option<EntryRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM time_entries WHERE company_id = $1 AND user_id = $2 AND end_at IS NULL"
    )))
    .bind(company_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

/// The breaks of entry `id`, in order of start.
pub(crate) async fn breaks_of_one(
    conn: &mut AnyConnection,
    company_id: i64,
    id: i64,
) -> Result<Vec<BreakRow>> {
    Ok(breaks_of(conn, company_id, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default())
}

/// The breaks of the company's finished entries that start from `from` (included) to
/// `until` (excluded), by entry, each in order of start: one read for the thousands of
/// entries of a payroll period.
pub(crate) async fn breaks_of_finished_between(
    conn: &mut AnyConnection,
    company_id: i64,
    from: i64,
    until: i64,
) -> Result<HashMap<i64, Vec<BreakRow>>> {
    let rows: Vec<BreakRow> = sqlx::query_as(
        "SELECT b.id, b.time_entry_id, b.start_at, b.end_at FROM time_entry_breaks b \
         JOIN time_entries e ON e.company_id = b.company_id AND e.id = b.time_entry_id \
         WHERE b.company_id = $1 AND e.end_at IS NOT NULL AND e.start_at >= $2 AND e.start_at < $3 \
         ORDER BY b.time_entry_id, b.start_at, b.id",
    )
    .bind(company_id)
    .bind(from)
    .bind(until)
    .fetch_all(conn)
    .await?;
    let mut grouped: HashMap<i64, Vec<BreakRow>> = HashMap::new();
    for row in rows {
        grouped.entry(row.time_entry_id).or_default().push(row);
    }
    Ok(grouped)
}

/// The breaks of the entries `ids`, by entry, each in order of start.
pub(crate) async fn breaks_of(
    conn: &mut AnyConnection,
    company_id: i64,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<BreakRow>>> {
    children(
        conn,
        company_id,
        (
            "SELECT id, time_entry_id, start_at, end_at FROM time_entry_breaks \
             WHERE company_id = $1 AND time_entry_id IN",
            "time_entry_id, start_at, id",
        ),
        ids,
        |b: &BreakRow| b.time_entry_id,
    )
    .await
}
