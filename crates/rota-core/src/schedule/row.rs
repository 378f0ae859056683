//! A stored shift and its breaks, how the API shows them (instants in the zone of the
//! shift's location, else the company's), and the snapshot its history compares.

use std::collections::HashMap;

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::FromRow;
use utoipa::ToSchema;

use super::rules::{Break, Warning};
use crate::error::{Error, Result};
use crate::sql::children;
use crate::time::{rfc3339, rfc3339_in};

/// A shift: a user's, or (without one) open to be taken.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Shift {
    pub id: i64,
    pub company_id: i64,
    /// Whose shift it is; absent for an open shift.
    pub user_id: Option<i64>,
    /// True when nobody holds it.
    pub is_open: bool,
    pub location_id: i64,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    /// RFC 3339, with the offset of `time_zone` at that instant.
    pub starts_at: String,
    pub ends_at: String,
    /// The IANA zone the instants are shown in: the location's, else the company's.
    pub time_zone: String,
    /// From start to end, breaks included.
    pub length_minutes: i64,
    /// The unpaid breaks together.
    pub unpaid_break_minutes: i64,
    pub breaks: Vec<ShiftBreak>,
    /// Six hex digits.
    pub colour: String,
    pub notes: Option<String>,
    /// Published shifts are seen by staff; drafts only by who manages them.
    pub published: bool,
    pub published_at: Option<String>,
    /// Whether taking it (an open shift) bids for it, for a manager to pick among the
    /// bids, rather than taking it at once.
    pub requires_approval: bool,
    /// When its user acknowledged it.
    pub acknowledged_at: Option<String>,
    pub created_by: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The conflicts the company lets through (its schedule settings' `conflict_warnings`)
    /// that this save met; only in the answer to the save, absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// A scheduled break of a shift.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ShiftBreak {
    pub id: i64,
    pub length_minutes: i64,
    /// Paid rest (true) or an unpaid meal break (false).
    pub paid: bool,
    /// When it starts and ends, if planned; RFC 3339 in the shift's zone.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub(crate) struct ShiftRow {
    pub id: i64,
    pub company_id: i64,
    pub user_id: Option<i64>,
    pub location_id: i64,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub colour: String,
    pub notes: Option<String>,
    #[sqlx(try_from = "crate::stored::Flag")]
    pub published: bool,
    pub published_at: Option<i64>,
    #[sqlx(try_from = "crate::stored::Flag")]
    pub requires_approval: bool,
    pub acknowledged_at: Option<i64>,
    pub created_by: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
    #[sqlx(skip)]
    pub breaks: Vec<BreakRow>,
}

#[derive(Debug, Clone, FromRow)]
pub(crate) struct BreakRow {
    pub id: i64,
    pub shift_id: i64,
    pub length_minutes: i64,
    #[sqlx(try_from = "crate::stored::Flag")]
    pub paid: bool,
    pub starts_at: Option<i64>,
}

impl BreakRow {
    pub fn rule(&self) -> Break {
        Break {
            length_minutes: self.length_minutes,
            paid: self.paid,
            starts_at: self.starts_at,
        }
    }
}

pub(crate) const SELECT: &str = "SELECT id, company_id, user_id, location_id, position_id, site_id, starts_at, ends_at, \
     colour, notes, published, published_at, requires_approval, acknowledged_at, created_by, created_at, updated_at, deleted_at FROM shifts";

pub(crate) const RETURNING: &str = " RETURNING id, company_id, user_id, location_id, position_id, site_id, starts_at, ends_at, \
     colour, notes, published, published_at, requires_approval, acknowledged_at, created_by, created_at, updated_at, deleted_at";

impl ShiftRow {
    /// The fields its history compares, instants in UTC.
    pub fn snapshot(&self) -> Value {
        let breaks: Vec<Value> = self
            .breaks
            .iter()
            .map(|b| {
                json!({"length_minutes": b.length_minutes, "paid": b.paid,
                       "starts_at": b.starts_at.map(rfc3339)})
            })
            .collect();
        json!({
            "user_id": self.user_id,
            "location_id": self.location_id,
            "position_id": self.position_id,
            "site_id": self.site_id,
            "starts_at": rfc3339(self.starts_at),
            "ends_at": rfc3339(self.ends_at),
            "breaks": breaks,
            "colour": self.colour,
            "notes": self.notes,
            "published": self.published,
            "requires_approval": self.requires_approval,
            "acknowledged_at": self.acknowledged_at.map(rfc3339),
        })
    }

    /// The shift as the API shows it, in `zones`' zone for its location.
    pub fn render(&self, zones: &Zones) -> Shift {
        let (name, zone) = zones.of(self.location_id);
        let breaks: Vec<ShiftBreak> = self
            .breaks
            .iter()
            .map(|b| ShiftBreak {
                id: b.id,
                length_minutes: b.length_minutes,
                paid: b.paid,
                starts_at: b.starts_at.map(|s| rfc3339_in(s, zone)),
                ends_at: b
                    .starts_at
                    .map(|s| rfc3339_in(s + b.length_minutes * 60, zone)),
            })
            .collect();
        Shift {
            id: self.id,
            company_id: self.company_id,
            user_id: self.user_id,
            is_open: self.user_id.is_none(),
            location_id: self.location_id,
            position_id: self.position_id,
            site_id: self.site_id,
            starts_at: rfc3339_in(self.starts_at, zone),
            ends_at: rfc3339_in(self.ends_at, zone),
            time_zone: name.to_owned(),
            length_minutes: (self.ends_at - self.starts_at) / 60,
            unpaid_break_minutes: self
                .breaks
                .iter()
                .filter(|b| !b.paid)
                .map(|b| b.length_minutes)
                .sum(),
            breaks,
            colour: self.colour.clone(),
            notes: self.notes.clone(),
            published: self.published,
            published_at: self.published_at.map(|s| rfc3339_in(s, zone)),
            requires_approval: self.requires_approval,
            acknowledged_at: self.acknowledged_at.map(|s| rfc3339_in(s, zone)),
            created_by: self.created_by,
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
            warnings: Vec::new(),
        }
    }
}

/// Fills in the breaks of `rows`, read with one query.
pub(crate) async fn with_breaks(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    mut rows: Vec<ShiftRow>,
) -> Result<Vec<ShiftRow>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut by_shift = children(
        conn,
        company_id,
        (
            "SELECT id, shift_id, length_minutes, paid, starts_at FROM shift_breaks \
             WHERE company_id = $1 AND shift_id IN",
            "shift_id, sort",
        ),
        &ids,
        |b: &BreakRow| b.shift_id,
    )
    .await?;
    for row in &mut rows {
        row.breaks = by_shift.remove(&row.id).unwrap_or_default();
    }
    Ok(rows)
}

/// One shift with its breaks, deleted or not.
pub(crate) async fn load(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    id: i64,
) -> Result<Option<ShiftRow>> {
    let row: Option<ShiftRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => Ok(with_breaks(conn, company_id, vec![row]).await?.pop()),
        None => Ok(None),
    }
}

/// A stored zone's name, as its zone: one this server does not know fails the read.
pub(crate) fn stored_zone(name: &str) -> Result<TimeZone> {
    TimeZone::get(name)
        .map_err(|_| Error::Internal(format!("stored time zone {name:?} is not known").into()))
}

/// The zone each of a company's locations shows its shifts in.
pub(crate) struct Zones {
    company: (String, TimeZone),
    locations: HashMap<i64, (String, TimeZone)>,
}

impl Zones {
    pub async fn load(conn: &mut sqlx::AnyConnection, company_id: i64) -> Result<Self> {
        let company: String = sqlx::query_scalar("SELECT time_zone FROM companies WHERE id = $1")
            .bind(company_id)
            .fetch_one(&mut *conn)
            .await?;
        let located: Vec<(i64, Option<String>)> =
            sqlx::query_as("SELECT id, time_zone FROM locations WHERE company_id = $1")
                .bind(company_id)
                .fetch_all(&mut *conn)
                .await?;
        let zone = |name: String| stored_zone(&name).map(|zone| (name, zone));
        let mut locations = HashMap::new();
        for (id, name) in located {
            if let Some(name) = name {
                locations.insert(id, zone(name)?);
            }
        }
        Ok(Self {
            company: zone(company)?,
            locations,
        })
    }

    /// Every location in the company's zone `name` (a known IANA zone), for tests.
    #[cfg(test)]
    pub fn fixed(name: &str) -> Self {
        Self {
            company: (name.to_owned(), TimeZone::get(name).expect("a known zone")),
            locations: HashMap::new(),
        }
    }

    /// The company's zone's name.
    pub fn company(&self) -> &str {
        &self.company.0
    }

    /// The zone of `location_id`'s shifts: its own, else the company's.
    pub fn of(&self, location_id: i64) -> (&str, &TimeZone) {
        let (name, zone) = self.locations.get(&location_id).unwrap_or(&self.company);
        (name, zone)
    }
}
