//! The Company Message controller, over Rota's announcements (calendar annotations of
//! kind `announcement`, made with `POST /api/v1/annotations`): `retrieve` answers the
//! newest message still to be read for the company (map type 0) or a department (map
//! type 1) with how many there are, `retrieve-by-id` one message whole. A message runs
//! from midnight of its first day to midnight after its last, in WhosOff's `DATETIME`.

use axum::extract::State;
use jiff::civil::{Date, Time};
use rota_core::leave::annotations::{self, Annotation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope};
use super::extract::{Body, Caller, Segments};
use crate::AppState;
use crate::compat::dates::whosoff_exclusive_end;
use crate::compat::lenient::Int;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(retrieve))
        .routes(routes!(retrieve_by_id))
}

/// `company-message/retrieve`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetrieveMessages {
    /// 0 the company's messages, 1 a department's (with the company's).
    map_type_id: Option<Int>,
    /// The department, for map type 1.
    map_id: Option<Int>,
}

/// The newest message still to be read, and how many there are.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageSummary {
    company_message_id: i64,
    title: String,
    /// `YYYY-MM-DDTHH:MM:SS`: midnight of the first day.
    start_date: String,
    /// Midnight after the last day (exclusive).
    end_date: String,
    /// 0 for the whole company, 1 for a department.
    map_type_id: u8,
    /// How many messages are still to be read for the map.
    total: usize,
}

/// One message, whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct Message {
    company_message_id: i64,
    title: String,
    message: String,
    start_date: String,
    end_date: String,
    map_type_id: u8,
}

fn midnight(date: Date) -> String {
    date.to_datetime(Time::midnight())
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

fn after(last_day: Date) -> String {
    whosoff_exclusive_end(last_day)
        .map(|end| end.strftime("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_else(|| midnight(last_day))
}

fn map_type(annotation: &Annotation) -> u8 {
    u8::from(annotation.department_id.is_some())
}

/// The newest message for the company or a department, with how many there are; `null`
/// when there is none. User level STAFF.
#[utoipa::path(post, path = "/v4/company-message/retrieve", tag = "company-message",
    request_body = RetrieveMessages,
    responses((status = 200, body = Envelope<Option<MessageSummary>>)))]
async fn retrieve(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<Option<MessageSummary>> {
    let body: RetrieveMessages = body.parse()?;
    let department_id = match body.map_type_id.map_or(0, Int::get) {
        0 => None,
        1 => Some(body.map_id.map(Int::get).ok_or_else(|| {
            rota_core::Error::invalid("map_id", "map type 1 needs the department's map_id")
        })?),
        _ => {
            return Err(rota_core::Error::invalid(
                "map_type_id",
                "map_type_id must be 0 (company) or 1 (department)",
            )
            .into());
        }
    };
    let messages = annotations::announcements(&state.db, &caller.actor, department_id).await?;
    let total = messages.len();
    Envelope::ok(messages.into_iter().next().map(|newest| MessageSummary {
        company_message_id: newest.id,
        map_type_id: map_type(&newest),
        start_date: midnight(newest.start_date),
        end_date: after(newest.end_date),
        title: newest.title,
        total,
    }))
}

/// One message. User level STAFF.
#[utoipa::path(get, path = "/v4/company-message/retrieve-by-id/{id}", tag = "company-message",
    params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Message>)))]
async fn retrieve_by_id(
    State(state): State<AppState>,
    caller: Caller,
    Segments(id): Segments<Int>,
) -> Answer<Message> {
    let found = annotations::announcement(&state.db, &caller.actor, id.get()).await?;
    Envelope::ok(Message {
        company_message_id: found.id,
        map_type_id: map_type(&found),
        start_date: midnight(found.start_date),
        end_date: after(found.end_date),
        title: found.title,
        message: found.message.unwrap_or_default(),
    })
}
