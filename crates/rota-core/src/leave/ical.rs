//! iCal feeds: a secret address per user, department or company that calendar programs
//! subscribe to, serving approved absences as RFC 5545 events: all-day events for whole
//! days, timed events (in the company's time zone) for half days and hours. Addresses are
//! revocable and regenerable; only a digest of each token is stored.

use chrono::TimeZone as _;
use icalendar::{Calendar, Component, Event, EventLike};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::access::audit::AuditAction;
use crate::company::{self, Company};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result};
use crate::leave::duration::DayPart;
use crate::locks::Owner;

use crate::leave::types::LeaveType;
use crate::paging::Page;
use crate::people::types::UserStatus;
use crate::policy::{Action, Actor, FeedFacts, Target, may};
use crate::secret;

/// The prefix of a feed token, so a leaked one is recognisable.
pub const FEED_PREFIX: &str = "rota_ical_";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedScope {
    User,
    Department,
    Company,
}

impl FeedScope {
    fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Department => "department",
            Self::Company => "company",
        }
    }
}

/// Decodes a stored row's column (`#[sqlx(try_from = "String")]`, see [`crate::stored`]):
/// an unknown scope is a corrupt row, never a user's feed.
impl TryFrom<String> for FeedScope {
    type Error = Error;

    fn try_from(text: String) -> Result<Self> {
        [Self::User, Self::Department, Self::Company]
            .into_iter()
            .find(|scope| scope.as_str() == text)
            .ok_or_else(|| {
                Error::Internal(format!("stored feed scope {text:?} is not known").into())
            })
    }
}

/// A feed, without its secret.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Feed {
    pub id: i64,
    pub scope: FeedScope,
    /// The user or department; absent for the company.
    pub target_id: Option<i64>,
    pub created_at: String,
}

/// A new or regenerated feed with its address, shown this once.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeedWithAddress {
    #[serde(flatten)]
    pub feed: Feed,
    /// Path to subscribe to, under the server's base URL: `/ical/<token>.ics`.
    pub path: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedInput {
    pub scope: FeedScope,
    /// The user (default: the caller) or the department (required for that scope).
    pub target_id: Option<i64>,
}

#[derive(FromRow)]
struct FeedRow {
    id: i64,
    company_id: i64,
    created_by: i64,
    #[sqlx(try_from = "String")]
    scope: FeedScope,
    target_id: Option<i64>,
    created_at: i64,
}

impl FeedRow {
    fn feed(&self) -> Feed {
        Feed {
            id: self.id,
            scope: self.scope,
            target_id: self.target_id,
            created_at: crate::time::rfc3339(self.created_at),
        }
    }
}

/// Checks that the actor may publish a feed of this scope and target.
async fn authorize(
    db: &Db,
    actor: &Actor,
    company: &Company,
    scope: FeedScope,
    target_id: Option<i64>,
) -> Result<Option<i64>> {
    match scope {
        FeedScope::User => {
            let user_id = target_id.unwrap_or(actor.user_id);
            let mut conn = db.pool().acquire().await?;
            let user = crate::people::service::load(&mut conn, actor.company_id, user_id)
                .await?
                .ok_or(Error::unknown_reference("user", "target_id"))?;
            let facts = crate::people::view::facts(&user, company.owner_id);
            if !may(actor, Action::PublishFeed(scope), Target::User(&facts)) {
                return Err(Error::unknown_reference("user", "target_id"));
            }
            Ok(Some(user_id))
        }
        FeedScope::Department => {
            let department_id = target_id.ok_or_else(|| {
                Error::invalid("target_id", "a department feed names its department")
            })?;
            let mut tx = db.begin_write().await?;
            crate::org::ensure_exists(
                &mut tx,
                crate::org::Kind::Department,
                actor.company_id,
                Some(department_id),
                "target_id",
            )
            .await?;
            tx.commit().await?;
            if !may(
                actor,
                Action::PublishFeed(scope),
                Target::Company(actor.company_id),
            ) {
                return Err(Error::forbidden(
                    "only approvers and super users publish department feeds",
                ));
            }
            Ok(Some(department_id))
        }
        FeedScope::Company => {
            if !may(
                actor,
                Action::PublishFeed(scope),
                Target::Company(actor.company_id),
            ) {
                return Err(Error::forbidden(
                    "only super users publish the company feed",
                ));
            }
            Ok(None)
        }
    }
}

fn address(token: &str) -> String {
    format!("/ical/{token}.ics")
}

pub async fn create(db: &Db, actor: &Actor, input: FeedInput) -> Result<FeedWithAddress> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let target_id = authorize(db, actor, &company, input.scope, input.target_id).await?;
    let mut tx = db.begin_write().await?;
    let feed = insert(&mut tx, actor, input.scope, target_id).await?;
    tx.commit().await?;
    Ok(feed)
}

/// My own calendar address, made anew: every live feed of mine for myself stops working
/// and a new one is made, in one transaction holding my user row, so that however many are
/// asked for at once, one address of mine works afterwards. With whether an earlier one
/// stopped.
pub async fn renew_own(db: &Db, actor: &Actor) -> Result<(FeedWithAddress, bool)> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let target_id = authorize(db, actor, &company, FeedScope::User, None).await?;
    let mut tx = db.begin_write().await?;
    crate::locks::lock(&mut tx, actor.company_id, [Owner::User(actor.user_id)]).await?;
    let stopped: Vec<i64> = sqlx::query_scalar(
        "UPDATE ical_feeds SET revoked_at = $1 WHERE company_id = $2 AND created_by = $3 \
         AND scope = 'user' AND target_id = $3 AND revoked_at IS NULL RETURNING id",
    )
    .bind(now())
    .bind(actor.company_id)
    .bind(actor.user_id)
    .fetch_all(&mut *tx)
    .await?;
    for id in &stopped {
        crate::access::audit::record_by(
            &mut tx,
            actor,
            AuditAction::IcalFeedRevoked,
            Some(("ical_feed", *id)),
            serde_json::json!({}),
        )
        .await?;
    }
    let feed = insert(&mut tx, actor, FeedScope::User, target_id).await?;
    tx.commit().await?;
    Ok((feed, !stopped.is_empty()))
}

/// Inserts a feed with a fresh token, and its audit entry, in `tx`.
async fn insert(
    tx: &mut Tx,
    actor: &Actor,
    scope: FeedScope,
    target_id: Option<i64>,
) -> Result<FeedWithAddress> {
    let token = secret::new_token(FEED_PREFIX);
    let stamp = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO ical_feeds (company_id, created_by, scope, target_id, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(actor.company_id)
    .bind(actor.user_id)
    .bind(scope.as_str())
    .bind(target_id)
    .bind(secret::token_digest(&token))
    .bind(stamp)
    .fetch_one(&mut **tx)
    .await?;
    crate::access::audit::record_by(
        tx,
        actor,
        AuditAction::IcalFeedCreated,
        Some(("ical_feed", id)),
        serde_json::json!({"scope": scope.as_str(), "target_id": target_id}),
    )
    .await?;
    Ok(FeedWithAddress {
        feed: Feed {
            id,
            scope,
            target_id,
            created_at: crate::time::rfc3339(stamp),
        },
        path: address(&token),
    })
}

const SELECT: &str =
    "SELECT id, company_id, created_by, scope, target_id, created_at FROM ical_feeds";

/// The live feeds the actor created.
pub async fn list(
    db: &Db,
    actor: &Actor,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<Feed>> {
    let page = db.page("ical-feeds", limit, cursor).await?;
    let rows: Vec<FeedRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND created_by = $2 AND revoked_at IS NULL AND id > $3 ORDER BY id LIMIT $4"
    )))
    .bind(actor.company_id)
    .bind(actor.user_id)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(db.pool())
    .await?;
    Ok(page.finish(rows, |r| r.id).map(|row| row.feed()))
}

async fn own_feed(db: &Db, actor: &Actor, id: i64) -> Result<FeedRow> {
    let row: FeedRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2 AND revoked_at IS NULL"
    )))
    .bind(actor.company_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(Error::not_found("feed"))?;
    let feed = FeedFacts {
        company_id: row.company_id,
        created_by: row.created_by,
    };
    if !may(actor, Action::ManageFeed, Target::Feed(&feed)) {
        return Err(Error::not_found("feed"));
    }
    Ok(row)
}

/// Stops a feed's address working.
pub async fn revoke(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    own_feed(db, actor, id).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE ical_feeds SET revoked_at = $1 WHERE company_id = $2 AND id = $3")
        .bind(now())
        .bind(actor.company_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    crate::access::audit::record_by(
        &mut tx,
        actor,
        AuditAction::IcalFeedRevoked,
        Some(("ical_feed", id)),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a feed a new address; the old one stops at once.
pub async fn regenerate(db: &Db, actor: &Actor, id: i64) -> Result<FeedWithAddress> {
    let row = own_feed(db, actor, id).await?;
    let token = secret::new_token(FEED_PREFIX);
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE ical_feeds SET token_hash = $1 WHERE company_id = $2 AND id = $3")
        .bind(secret::token_digest(&token))
        .bind(actor.company_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    crate::access::audit::record_by(
        &mut tx,
        actor,
        AuditAction::IcalFeedRegenerated,
        Some(("ical_feed", id)),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(FeedWithAddress {
        feed: row.feed(),
        path: address(&token),
    })
}

#[derive(FromRow)]
struct Absence {
    id: i64,
    leave_type_id: i64,
    #[sqlx(try_from = "crate::stored::Day")]
    start_date: Date,
    #[sqlx(try_from = "crate::stored::Day")]
    end_date: Date,
    #[sqlx(try_from = "String")]
    start_part: DayPart,
    #[sqlx(try_from = "String")]
    end_part: DayPart,
    start_minute: Option<i64>,
    end_minute: Option<i64>,
    updated_at: i64,
    first_name: String,
    last_name: String,
}

/// How much of the past and future a feed shows.
const PAST_DAYS: i64 = 366;
const FUTURE_DAYS: i64 = 732;

/// The calendar behind a feed token; 404 for an unknown or revoked one.
pub async fn render(db: &Db, token: &str) -> Result<String> {
    let token = token.strip_suffix(".ics").unwrap_or(token);
    if !token.starts_with(FEED_PREFIX) {
        return Err(Error::not_found("feed"));
    }
    let row: FeedRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE token_hash = $1 AND revoked_at IS NULL"
    )))
    .bind(secret::token_digest(token))
    .fetch_optional(db.pool())
    .await?
    .ok_or(Error::not_found("feed"))?;
    let company = company::load(db.pool(), row.company_id).await?;
    // The feed shows what its creator may see: type names they may see, "Away" otherwise.
    let creator = {
        let mut conn = db.pool().acquire().await?;
        crate::people::service::load(&mut conn, row.company_id, row.created_by).await?
    };
    let creator = creator
        .filter(|user| {
            user.status()
                .is_ok_and(|status| status == UserStatus::Active)
        })
        .and_then(|user| {
            crate::people::view::reader(&user, company.owner_id, company.settings.policy()).ok()
        })
        .ok_or(Error::not_found("feed"))?;
    let today = jiff::Zoned::now().date();
    let span = |days: i64| jiff::Span::new().days(days);
    let from = today
        .checked_sub(span(PAST_DAYS))
        .map_err(|e| Error::Internal(e.to_string().into()))?;
    let to = today
        .checked_add(span(FUTURE_DAYS))
        .map_err(|e| Error::Internal(e.to_string().into()))?;
    let filter = match row.scope {
        FeedScope::User => " AND r.user_id = $4",
        FeedScope::Department => " AND u.department_id = $4",
        FeedScope::Company => " AND $4 = $4",
    };
    let absences: Vec<Absence> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT r.id, r.leave_type_id, r.start_date, r.end_date, r.start_part, r.end_part, r.start_minute, r.end_minute, \
         r.updated_at, u.first_name, u.last_name FROM leave_requests r JOIN users u ON u.company_id = r.company_id AND u.id = r.user_id \
         WHERE r.company_id = $1 AND r.status = 'approved' AND r.end_date >= $2 AND r.start_date <= $3 AND u.status <> 'archived'{filter} \
         ORDER BY r.start_date, r.id"
    )))
    .bind(row.company_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(row.target_id.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    let types: Vec<LeaveType> = sqlx::query_as("SELECT * FROM leave_types WHERE company_id = $1")
        .bind(row.company_id)
        .fetch_all(db.pool())
        .await?;
    let zone = jiff::tz::TimeZone::get(&company.time_zone)
        .map_err(|e| Error::Internal(e.to_string().into()))?;
    let mut calendar = Calendar::new();
    calendar.name(&format!("{} – leave", company.name));
    for absence in &absences {
        let leave_type = types.iter().find(|t| t.id == absence.leave_type_id);
        let label = leave_type
            .filter(|t| {
                row.scope == FeedScope::User
                    || may(
                        &creator,
                        Action::SeeLeaveType,
                        Target::LeaveType(&t.facts()),
                    )
            })
            .map_or("Away", |t| t.name.as_str());
        let summary = if row.scope == FeedScope::User {
            label.to_owned()
        } else {
            format!("{} {}: {label}", absence.first_name, absence.last_name)
        };
        let mut event = Event::new();
        event
            .uid(&format!("leave-{}@rota", absence.id))
            .summary(&summary)
            .timestamp(utc(absence.updated_at)?);
        let (start, end) = (absence.start_date, absence.end_date);
        let (start_part, end_part) = (absence.start_part, absence.end_part);
        match (absence.start_minute, absence.end_minute) {
            (Some(from), Some(to)) => {
                event
                    .starts(local(&zone, start, from)?)
                    .ends(local(&zone, start, to)?);
            }
            _ if start_part == DayPart::Full && end_part == DayPart::Full => {
                // All day: DTEND is the day after the last, as RFC 5545 counts it.
                let after = end
                    .tomorrow()
                    .map_err(|e| Error::Internal(e.to_string().into()))?;
                event.starts(naive(start)?).ends(naive(after)?);
            }
            _ => {
                // Half days follow WhosOff's convention: mornings end and afternoons start at
                // noon; a full last day ends at the next midnight.
                event
                    .starts(local(&zone, start, start_part.window().0)?)
                    .ends(local(&zone, end, end_part.window().1)?);
            }
        }
        calendar.push(event.done());
    }
    Ok(calendar.done().to_string())
}

fn naive(date: Date) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        date.month() as u32,
        date.day() as u32,
    )
    .ok_or_else(|| Error::Internal("date out of range".into()))
}

fn utc(seconds: i64) -> Result<chrono::DateTime<chrono::Utc>> {
    chrono::Utc
        .timestamp_opt(seconds, 0)
        .single()
        .ok_or_else(|| Error::Internal("instant out of range".into()))
}

/// `minute` minutes after local midnight on `date` in `zone`, as a UTC instant.
fn local(
    zone: &jiff::tz::TimeZone,
    date: Date,
    minute: i64,
) -> Result<chrono::DateTime<chrono::Utc>> {
    let midnight = date.to_datetime(jiff::civil::Time::midnight());
    let at = midnight
        .checked_add(jiff::Span::new().minutes(minute))
        .and_then(|dt| dt.to_zoned(zone.clone()))
        .map_err(|e| Error::Internal(e.to_string().into()))?;
    utc(at.timestamp().as_second())
}
