//! `/access/audit`: the company's audit log, newest first, in pages, filtered by who
//! (a person), what (an action such as `client.created`), the subject (a kind of thing and
//! its id) and a range of days in the company's time zone. A name, an action or a subject
//! in a row links to the log filtered by it. The filters are a GET form: a filtered page
//! is a link one can keep.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rota_core::access::audit::{self, AuditEvent, AuditFilter};
use rota_core::policy::Action;
use serde::Deserialize;

use super::{Tab, tabs, when};
use crate::AppState;
use crate::web::page::{Frame, PageError, Problem, render_as};
use crate::web::session::Signed;

/// Events on a page.
const PAGE: i64 = 50;

/// The filters as sent; every field optional, blanks ignored.
#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    actor_user_id: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    target_type: String,
    #[serde(default)]
    target_id: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    cursor: Option<String>,
}

impl AuditQuery {
    /// The query string of these filters, `cursor` replaced (or dropped).
    fn link(&self, cursor: Option<&str>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("actor_user_id", &self.actor_user_id),
            ("action", &self.action),
            ("target_type", &self.target_type),
            ("target_id", &self.target_id),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !value.trim().is_empty() {
                query.append_pair(name, value.trim());
            }
        }
        if let Some(cursor) = cursor {
            query.append_pair("cursor", cursor);
        }
        query.finish()
    }

    /// The core's filter, days read in `zone`; a field that does not read is refused on it.
    fn filter(&self, zone: &TimeZone) -> Result<AuditFilter, PageError> {
        let text = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        let id = |field: &'static str, value: &str| {
            text(value)
                .map(|v| {
                    v.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
                        PageError::from(rota_core::Error::invalid(
                            field,
                            "give a number, such as 12",
                        ))
                    })
                })
                .transpose()
        };
        let day = |field: &'static str, value: &str, after: bool| {
            text(value)
                .map(|v| start_of_day(field, &v, zone, after))
                .transpose()
        };
        Ok(AuditFilter {
            actor_user_id: id("actor_user_id", &self.actor_user_id)?,
            action: text(&self.action),
            target_type: text(&self.target_type),
            target_id: id("target_id", &self.target_id)?,
            from: day("from", &self.from, false)?,
            to: day("to", &self.to, true)?,
        })
    }
}

/// The start of day `text` in `zone` as Unix seconds, or of the day after it when `after`
/// (so that "to" includes its whole day).
fn start_of_day(
    field: &'static str,
    text: &str,
    zone: &TimeZone,
    after: bool,
) -> Result<i64, PageError> {
    let refused = || {
        PageError::from(rota_core::Error::invalid(
            field,
            "give a date, such as 2026-11-30",
        ))
    };
    let date: Date = text.parse().map_err(|_| refused())?;
    let date = if after {
        date.tomorrow().map_err(|_| refused())?
    } else {
        date
    };
    let start = date.to_zoned(zone.clone()).map_err(|_| refused())?;
    Ok(start.timestamp().as_second())
}

/// An event as a row of the log.
pub struct EventRow {
    pub at: String,
    pub actor_id: Option<i64>,
    pub who: String,
    pub via: Option<String>,
    pub action: String,
    pub target: Option<(String, i64)>,
    pub address: String,
    pub details: String,
}

#[derive(Template)]
#[template(path = "access_audit.html")]
struct AuditPage {
    frame: Frame,
    tabs: Vec<Tab>,
    query: AuditQuery,
    problem: Problem,
    events: Vec<EventRow>,
    next: Option<String>,
    first: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<AuditQuery>,
) -> Result<Response, PageError> {
    signed.ensure(Action::ViewAudit)?;
    let frame = Frame::load(&state, &signed, "/access", "Audit log").await?;
    let actor = &signed.actor;
    let (events, next, problem, status) = match query.filter(&frame.zone) {
        Ok(filter) => {
            let found = audit::list(
                &state.db,
                actor,
                filter,
                Some(PAGE),
                query.cursor.as_deref(),
            )
            .await?;
            let next = found.next_cursor.map(|cursor| query.link(Some(&cursor)));
            let events = rows(&state, &signed, found.data).await?;
            (events, next, Problem::default(), StatusCode::OK)
        }
        Err(error) => {
            let problem = Problem::of(
                &error,
                &[
                    "actor_user_id",
                    "action",
                    "target_type",
                    "target_id",
                    "from",
                    "to",
                ],
            );
            (Vec::new(), None, problem, error.status)
        }
    };
    let first = query.cursor.is_some().then(|| query.link(None));
    let page = AuditPage {
        frame,
        tabs: tabs(&signed, "/access/audit"),
        query,
        problem,
        events,
        next,
        first,
    };
    render_as(status, &page)
}

/// The page's events with the names of the people who caused them.
async fn rows(
    state: &AppState,
    signed: &Signed,
    events: Vec<AuditEvent>,
) -> Result<Vec<EventRow>, PageError> {
    let mut ids: Vec<i64> = events.iter().filter_map(|e| e.actor_user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let names = rota_core::people::service::names(&state.db, &signed.actor, &ids).await?;
    Ok(events
        .into_iter()
        .map(|event| {
            let who = match event.actor_user_id {
                Some(id) => names.get(&id).map_or_else(
                    || format!("Person {id}"),
                    |(first, last)| format!("{first} {last}"),
                ),
                None => "Nobody signed in".to_owned(),
            };
            let via = match (event.api_client_id, event.api_key_id) {
                (Some(client), _) => Some(format!("API client {client}")),
                (None, Some(key)) => Some(format!("API key {key}")),
                (None, None) => None,
            };
            EventRow {
                at: when(&event.at),
                actor_id: event.actor_user_id,
                who,
                via,
                action: event.action,
                target: event.target_type.zip(event.target_id),
                address: event.source_ip.unwrap_or_default(),
                details: match &event.details {
                    serde_json::Value::Object(map) if map.is_empty() => String::new(),
                    serde_json::Value::Null => String::new(),
                    details => details.to_string(),
                },
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_of_days_covers_whole_days_in_the_companys_zone() {
        let london = TimeZone::get("Europe/London").expect("zone");
        // 1 July 2026 starts at 23:00 UTC the day before (summer time).
        let from = start_of_day("from", "2026-07-01", &london, false).expect("from");
        assert_eq!(
            jiff::Timestamp::from_second(from).expect("t").to_string(),
            "2026-06-30T23:00:00Z"
        );
        let to = start_of_day("to", "2026-07-01", &london, true).expect("to");
        assert_eq!(to - from, 24 * 3600);
        assert!(start_of_day("from", "yesterday", &london, false).is_err());
    }

    #[test]
    fn filters_that_do_not_read_are_refused_on_their_field() {
        let query = AuditQuery {
            target_id: "twelve".into(),
            ..AuditQuery::default()
        };
        let error = query.filter(&TimeZone::UTC).expect_err("refused");
        assert_eq!(error.field.as_deref(), Some("target_id"));
        let query = AuditQuery {
            action: " client.created ".into(),
            cursor: Some("c".into()),
            ..AuditQuery::default()
        };
        let filter = query.filter(&TimeZone::UTC).expect("reads");
        assert_eq!(filter.action.as_deref(), Some("client.created"));
        assert_eq!(query.link(None), "action=client.created");
    }
}
