//! The Whosoff controller: `retrieve`, who is off in a range, person by person, over
//! `rota_core::leave::whos_off` (the calendar's rules: pending leave only for those close
//! to the person, a type the reader may not see shown as "Away").
//!
//! `map_type_id` 0–4 are WhosOff's as `leave/get` names them (company, department, tag,
//! staff, my staff); WhosOff publishes a range of 0–7 without naming 5–7, which Rota
//! names as WhosOff's `user/retrieve` does its 5: by approver 5 (`map_id` an approver's
//! user id), location 6, region 7.

use crate::auth::{Declared, declare_bare};
use axum::extract::State;
use rota_core::access::Area;
use rota_core::leave::duration::WeekMinutes;
use rota_core::leave::request::Holders;
use rota_core::leave::whos_off::{PersonOff, WhoFilter, who_is_off};
use rota_core::org::{self, Department, Location, Region, Tag};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope, WhosOff};
use super::extract::{Body, Caller};
use super::leave::{LeaveTypeRef, colour, type_ids};
use super::work::Weekdays;
use crate::AppState;
use crate::compat::codes::whosoff_status;
use crate::compat::errors::Vendored;
use crate::compat::lenient::{Flag, Int};
use crate::compat::spans::{Booking, format_wall_clock, to_whosoff};

/// The controller's one call, which only reads.
pub fn router() -> OpenApiRouter<AppState> {
    declare_bare(
        Declared::Reads(Area::Leave),
        OpenApiRouter::new().routes(routes!(retrieve)),
    )
}

/// `whosoff/retrieve`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetrieveWhosOff {
    /// Company 0, department 1, tag 2, staff 3, my staff 4, by approver 5, location 6,
    /// region 7.
    #[schema(value_type = i64)]
    map_type_id: Int,
    /// The department, tag, user, approver, location or region; ignored for 0 and 4.
    #[schema(value_type = i64)]
    map_id: Int,
    /// `YYYY-MM-DD`, the first day.
    start_date: String,
    /// `YYYY-MM-DD`, the last day (inclusive), at most 366 days after `start_date`.
    end_date: String,
    leave_type_ids: Option<Vec<LeaveTypeRef>>,
    /// Required by WhosOff; Rota has no free restricted leave, so it changes nothing.
    #[schema(value_type = bool)]
    #[expect(
        dead_code,
        reason = "checked as a flag; Rota has no free restricted leave"
    )]
    include_free_restricted: Flag,
    /// `true`: only the people who are off; `false`: everyone of the map, off or not.
    #[schema(value_type = bool)]
    include_only_whosoff: Flag,
}

/// A person and their leave in the range.
#[derive(Debug, Serialize, ToSchema)]
pub struct WhosOffRecord {
    user_id: i64,
    first_name: String,
    last_name: String,
    department_id: Option<i64>,
    department_name: Option<String>,
    image_url_small: Option<String>,
    image_url_large: Option<String>,
    leave: Vec<WhosOffLeave>,
    work: Work,
}

/// One request, whole, overlapping the range.
#[derive(Debug, Serialize, ToSchema)]
pub struct WhosOffLeave {
    leave_id: i64,
    /// Null where the caller may not see the type.
    leave_type_id: Option<i64>,
    /// The type's name, or `Away`.
    leave_type_name: String,
    colour: String,
    /// Inclusive, `YYYY-MM-DDTHH:MM:SS`.
    start_date: String,
    /// Exclusive at midnight.
    end_date: String,
    /// Working minutes.
    duration: i64,
    /// Pending 1, approved 100.
    status_id: i64,
}

/// The minutes the person works each weekday, as in effect on `start_date`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Work {
    start_date: String,
    end_date: String,
    #[serde(flatten)]
    week: Weekdays,
}

impl Work {
    /// The week worked on `start_date`, for the range asked (as sent, trimmed).
    pub(super) fn of(start: &str, end: &str, week: WeekMinutes) -> Self {
        Self {
            start_date: start.trim().to_owned(),
            end_date: end.trim().to_owned(),
            week: week.into(),
        }
    }
}

/// Who is off in a range. User level STAFF: among the people the caller may see.
#[utoipa::path(post, path = "/v4/whosoff/retrieve", tag = "whosoff", request_body = RetrieveWhosOff,
    responses((status = 200, body = Envelope<Vec<WhosOffRecord>>)))]
async fn retrieve(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<Vec<WhosOffRecord>> {
    let body: RetrieveWhosOff = body.parse()?;
    let (db, actor) = (&state.db, &caller.actor);
    let map_id = body.map_id.get();
    let mut filter = WhoFilter {
        leave_type_ids: type_ids(body.leave_type_ids),
        only_off: body.include_only_whosoff.get(),
        ..WhoFilter::default()
    };
    // A group's existence is asked only when nobody of it is found: one with people in
    // the answer exists. A person's is asked first: who may see them decides.
    let mut group = None;
    match body.map_type_id.get() {
        0 => {}
        1 => group = Some(Holders::Department(map_id)),
        2 => group = Some(Holders::Tag(map_id)),
        3 => {
            rota_core::people::service::get(db, actor, map_id).await?;
            filter.user_id = Some(map_id);
        }
        4 => filter.people = Some(Holders::StaffOf(actor.user_id)),
        5 => {
            rota_core::people::service::get(db, actor, map_id).await?;
            filter.people = Some(Holders::StaffOf(map_id));
        }
        6 => group = Some(Holders::Location(map_id)),
        7 => group = Some(Holders::Region(map_id)),
        _ => {
            return Err(
                rota_core::Error::invalid("map_type_id", "map_type_id must be 0 to 7").into(),
            );
        }
    }
    filter.people = filter.people.or(group);
    let people = who_is_off(db, actor, &body.start_date, &body.end_date, filter).await?;
    if people.is_empty() {
        match group {
            Some(Holders::Department(id)) => drop(org::get::<Department>(db, actor, id).await?),
            Some(Holders::Tag(id)) => drop(org::get::<Tag>(db, actor, id).await?),
            Some(Holders::Location(id)) => drop(org::get::<Location>(db, actor, id).await?),
            Some(Holders::Region(id)) => drop(org::get::<Region>(db, actor, id).await?),
            Some(Holders::StaffOf(_)) | None => {}
        }
    }
    let records = people
        .into_iter()
        .map(|person| record(person, &body.start_date, &body.end_date))
        .collect::<Result<_, _>>()?;
    Envelope::ok(records)
}

fn record(person: PersonOff, start: &str, end: &str) -> Result<WhosOffRecord, Vendored<WhosOff>> {
    let leave = person
        .absences
        .into_iter()
        .map(|absence| {
            let booking = Booking::of_absence(&absence)?;
            let (from, to) = to_whosoff(&booking)
                .ok_or_else(|| rota_core::Error::Internal("leave ends past the last day".into()))?;
            Ok(WhosOffLeave {
                leave_id: absence.request_id,
                leave_type_id: absence.leave_type_id,
                leave_type_name: absence.label,
                colour: colour(&absence.colour),
                start_date: format_wall_clock(from),
                end_date: format_wall_clock(to),
                duration: absence.minutes,
                status_id: whosoff_status(absence.status),
            })
        })
        .collect::<Result<_, Vendored<WhosOff>>>()?;
    Ok(WhosOffRecord {
        user_id: person.user_id,
        first_name: person.first_name,
        last_name: person.last_name,
        department_id: person.department_id,
        department_name: person.department_name,
        image_url_small: person.image_url_small,
        image_url_large: person.image_url_large,
        leave,
        work: Work::of(start, end, person.week),
    })
}
