//! Availability events (When I Work's availabilityevents): a user's available or
//! unavailable time, one-off or weekly on the days of a weekday mask until a day, kept in a
//! zone's wall-clock time and expanded as repeating shifts are ([`super::repeat`]). Everyone
//! keeps their own; who manages their time reads them. An unavailable time is what the
//! `outside_availability` conflict checks a shift against ([`super::conflicts`]); an
//! available one is a preference, shown and not enforced.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::FromRow;
use utoipa::ToSchema;

use super::holders::Holders;
use super::repeat::{self, Occurrence, Pattern, Weekdays};
use super::row::{Zones, stored_zone};
use super::rules;
use crate::access::audit::{self, AuditAction};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result};
use crate::paging::Page;
use crate::people::types::text_enum;
use crate::policy::{Action, Actor};
use crate::time::{rfc3339, rfc3339_in};
use crate::validate;
use crate::webhooks::events::Event;

text_enum! {
    /// Whether the user is available then, or not.
    AvailabilityKind {
        Available = "available",
        Unavailable = "unavailable",
    }
}

/// A new availability event: its first time, and how it repeats, if it does.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityInput {
    /// Whose; the caller when absent (only one's own).
    pub user_id: Option<i64>,
    pub kind: AvailabilityKind,
    /// RFC 3339, on a whole minute.
    #[schema(value_type = crate::openapi::Instant)]
    pub starts_at: String,
    /// After `starts_at`, at most 24 hours later, on a whole minute.
    #[schema(value_type = crate::openapi::Instant)]
    pub ends_at: String,
    /// The zone whose wall clock a weekly event keeps; the user's, else the company's.
    #[schema(value_type = Option<crate::openapi::TimeZone>)]
    pub time_zone: Option<String>,
    /// Weekly on these days (bit 0 Monday … bit 6 Sunday, 1 to 127, the first day's
    /// included); a one-off event when absent.
    #[schema(minimum = 1, maximum = 127)]
    pub weekdays: Option<i64>,
    /// The last day a weekly event falls on: required with `weekdays`, at most 366 days
    /// after the first.
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub until: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText2000>)]
    pub notes: Option<String>,
}

/// A user's available or unavailable time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AvailabilityEvent {
    pub id: i64,
    pub company_id: i64,
    pub user_id: i64,
    pub kind: AvailabilityKind,
    /// The first time: RFC 3339 in `time_zone`.
    pub starts_at: String,
    pub ends_at: String,
    pub time_zone: String,
    /// Weekly on these days; absent for a one-off event.
    pub weekdays: Option<i64>,
    /// The last day it falls on.
    #[schema(value_type = crate::openapi::Date)]
    pub until: Date,
    pub notes: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, FromRow)]
struct EventRow {
    id: i64,
    company_id: i64,
    user_id: i64,
    #[sqlx(try_from = "String")]
    kind: AvailabilityKind,
    time_zone: String,
    #[sqlx(try_from = "crate::stored::Day")]
    first_date: Date,
    #[sqlx(try_from = "crate::stored::Day")]
    until_date: Date,
    start_time: String,
    length_minutes: i64,
    weekdays: Option<i64>,
    notes: Option<String>,
    created_at: i64,
    updated_at: i64,
}

const COLUMNS: &str = "id, company_id, user_id, kind, time_zone, first_date, until_date, start_time, \
     length_minutes, weekdays, notes, created_at, updated_at";

impl EventRow {
    fn zone(&self) -> Result<TimeZone> {
        stored_zone(&self.time_zone)
    }

    fn pattern(&self) -> Result<Pattern> {
        let own_day = 1 << self.first_date.weekday().to_monday_zero_offset();
        Ok(Pattern {
            first: self.first_date,
            until: self.until_date,
            start: super::chains::row::start_time(&self.start_time)?,
            length_minutes: self.length_minutes,
            interval_weeks: 1,
            weekdays: Weekdays::parse("weekdays", self.weekdays.unwrap_or(own_day))
                .map_err(|_| Error::Internal("a stored weekday mask is out of range".into()))?,
        })
    }

    fn render(&self) -> Result<AvailabilityEvent> {
        let zone = self.zone()?;
        let first = self
            .pattern()?
            .on(self.first_date, &zone)
            .ok_or_else(|| Error::Internal("an availability event misses its first day".into()))?;
        Ok(AvailabilityEvent {
            id: self.id,
            company_id: self.company_id,
            user_id: self.user_id,
            kind: self.kind,
            starts_at: rfc3339_in(first.starts_at, &zone),
            ends_at: rfc3339_in(first.ends_at, &zone),
            time_zone: self.time_zone.clone(),
            weekdays: self.weekdays,
            until: self.until_date,
            notes: self.notes.clone(),
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
        })
    }
}

/// The times `user_id` is unavailable overlapping `from..to` (covering the days
/// `first..=last`): what a shift given to them is checked against.
pub(crate) async fn unavailable(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    user_id: i64,
    (from, to): (i64, i64),
    (first, last): (Date, Date),
) -> Result<Vec<(i64, i64)>> {
    let rows: Vec<EventRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM availability_events WHERE company_id = $1 AND user_id = $2 \
         AND kind = 'unavailable' AND first_date <= $3 AND until_date >= $4"
    )))
    .bind(company_id)
    .bind(user_id)
    .bind(last.to_string())
    .bind(first.yesterday().unwrap_or(first).to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut spans = Vec::new();
    for row in rows {
        let found: Vec<Occurrence> = row.pattern()?.occurrences(&row.zone()?, from, to);
        spans.extend(found.iter().map(|o| (o.starts_at, o.ends_at)));
    }
    Ok(spans)
}

/// The user an event is for, loaded, if the actor may `action` them: absent when they
/// may not even see them, 403 when they see but may not act.
async fn reach(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    user_id: i64,
    action: Action,
) -> Result<Holders> {
    let holders = Holders::load(conn, actor.company_id, [user_id]).await?;
    if !holders.may_on_user(actor, Action::ViewAvailability, user_id) {
        return Err(Error::not_found("user"));
    }
    if !holders.may_on_user(actor, action, user_id) {
        return Err(Error::forbidden("only its user keeps their availability"));
    }
    Ok(holders)
}

/// Makes an availability event for the caller.
pub async fn create(db: &Db, actor: &Actor, input: AvailabilityInput) -> Result<AvailabilityEvent> {
    let user_id = input.user_id.unwrap_or(actor.user_id);
    let mut tx = db.begin_write().await?;
    let holders = reach(&mut tx, actor, user_id, Action::ManageAvailability).await?;
    let starts_at = validate::instant("starts_at", &input.starts_at)?;
    let ends_at = validate::instant("ends_at", &input.ends_at)?;
    rules::times(starts_at, ends_at)?;
    for (field, at) in [("starts_at", starts_at), ("ends_at", ends_at)] {
        if at % 60 != 0 {
            return Err(Error::invalid(
                field,
                format!("{field} must fall on a whole minute"),
            ));
        }
    }
    let zones = Zones::load(&mut tx, actor.company_id).await?;
    let own_zone = holders
        .records
        .get(&user_id)
        .and_then(|u| u.time_zone.clone());
    let time_zone = match &input.time_zone {
        Some(name) => validate::time_zone("time_zone", name)?,
        None => own_zone.unwrap_or_else(|| zones.company().to_owned()),
    };
    let zone = stored_zone(&time_zone)?;
    let start = jiff::Timestamp::from_second(starts_at)
        .map_err(|_| Error::invalid("starts_at", "starts_at is out of range"))?
        .to_zoned(zone);
    let first = start.date();
    let until = match (input.weekdays, &input.until) {
        (None, None) => first,
        (None, Some(_)) => {
            return Err(Error::invalid(
                "until",
                "until goes with weekdays: a weekly event",
            ));
        }
        (Some(_), None) => {
            return Err(Error::invalid(
                "until",
                "a weekly event needs an until date",
            ));
        }
        (Some(mask), Some(until)) => {
            if !Weekdays::parse("weekdays", mask)?.has(first.weekday()) {
                return Err(Error::invalid(
                    "weekdays",
                    "weekdays must include the first day",
                ));
            }
            let until = validate::date("until", until)?;
            repeat::limits(first, until, 1)?;
            until
        }
    };
    let notes = validate::optional_text("notes", input.notes.as_deref(), rules::NOTES_MAX)?;
    let stamp = now();
    let row: EventRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO availability_events (company_id, user_id, kind, time_zone, first_date, until_date, start_time, \
         length_minutes, weekdays, notes, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING {COLUMNS}"
    )))
    .bind(actor.company_id)
    .bind(user_id)
    .bind(input.kind.as_str())
    .bind(&time_zone)
    .bind(first.to_string())
    .bind(until.to_string())
    .bind(Time::strftime(&start.time(), "%H:%M").to_string())
    .bind((ends_at - starts_at) / 60)
    .bind(input.weekdays)
    .bind(notes)
    .bind(stamp)
    .fetch_one(&mut *tx)
    .await?;
    let shown = tail(&mut tx, actor, Change::Created, &row).await?;
    tx.commit().await?;
    Ok(shown)
}

#[derive(Clone, Copy)]
enum Change {
    Created,
    Deleted,
}

async fn tail(
    tx: &mut Tx,
    actor: &Actor,
    change: Change,
    row: &EventRow,
) -> Result<AvailabilityEvent> {
    let (action, event) = match change {
        Change::Created => (AuditAction::AvailabilityCreated, Event::AvailabilityCreated),
        Change::Deleted => (AuditAction::AvailabilityDeleted, Event::AvailabilityDeleted),
    };
    let shown = row.render()?;
    audit::record_by(
        tx,
        actor,
        action,
        Some(("availability_event", row.id)),
        json!({"user_id": row.user_id, "kind": row.kind.as_str()}),
    )
    .await?;
    let data = serde_json::to_value(&shown).map_err(|e| Error::Internal(e.to_string().into()))?;
    crate::webhooks::emit(tx, actor.company_id, event, data).await?;
    Ok(shown)
}

async fn load(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    id: i64,
    action: Action,
) -> Result<EventRow> {
    let row: EventRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM availability_events WHERE company_id = $1 AND id = $2"
    )))
    .bind(actor.company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::not_found("availability_event"))?;
    reach(conn, actor, row.user_id, action)
        .await
        .map_err(|e| match e {
            Error::NotFound { .. } => Error::not_found("availability_event"),
            other => other,
        })?;
    Ok(row)
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<AvailabilityEvent> {
    let mut conn = db.pool().acquire().await?;
    load(&mut conn, actor, id, Action::ViewAvailability)
        .await?
        .render()
}

/// A user's events (the caller's when `user_id` is absent), by id.
pub async fn list(
    db: &Db,
    actor: &Actor,
    user_id: Option<i64>,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<AvailabilityEvent>> {
    let user_id = user_id.unwrap_or(actor.user_id);
    let page = db.page("availability-events", limit, cursor).await?;
    let mut conn = db.pool().acquire().await?;
    reach(&mut conn, actor, user_id, Action::ViewAvailability).await?;
    let rows: Vec<EventRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM availability_events WHERE company_id = $1 AND user_id = $2 AND id > $3 \
         ORDER BY id LIMIT $4"
    )))
    .bind(actor.company_id)
    .bind(user_id)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(&mut *conn)
    .await?;
    page.finish(rows, |r| r.id).try_map(|r| r.render())
}

pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let row = load(&mut tx, actor, id, Action::ManageAvailability).await?;
    sqlx::query("DELETE FROM availability_events WHERE company_id = $1 AND id = $2")
        .bind(actor.company_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tail(&mut tx, actor, Change::Deleted, &row).await?;
    tx.commit().await?;
    Ok(())
}
