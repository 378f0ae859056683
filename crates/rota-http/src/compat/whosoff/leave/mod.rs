//! The Leave controller: one request (`get-by-id`), the caller's own (`my`), those of a
//! group of people (`get`), a quote (`validate`), a new request (`submit`), and the calls
//! WhosOff does not publish, designed in its style: `edit`, `approve`, `decline` and
//! `cancel`, each a `PUT` with a body naming `leave_id` (docs/whosoff.md).
//!
//! Dates follow WhosOff's leave page through [`crate::compat::spans`]; durations are
//! the request's working minutes; statuses are WhosOff's codes through
//! [`crate::compat::codes`]. Everything else is `rota_core::leave::request`'s.
//!
//! The calls reach leave only, through the core's `…_of_kind` operations: an overtime
//! request is absent here and an overtime type is refused with `wrong_type_kind`. The
//! Overtime controller (`super::overtime`) lists, books and decides through the same
//! pieces with the overtime kind: [`Listing`], [`mine`], [`group`], [`one`], [`Ask`],
//! [`booked`], [`quote`], [`edit_of`] and [`decide`].

mod book;
mod decide;
mod read;

pub(super) use book::{Ask, Edit, Quoted, edit_of, quote};
pub(super) use decide::{Verdict, decide};
pub(super) use read::{Dates, Include, Listing, People, group, mine, one};

use crate::auth::{Declared, declare_bare};
use rota_core::access::Area;
use rota_core::leave::request::{LeaveRequest, RequestDetail};
use rota_core::leave::types::TypeKind;
use rota_core::people::types::AllowanceUnit;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::WhosOff;
use crate::AppState;
use crate::compat::codes::whosoff_status;
use crate::compat::errors::Vendored;
use crate::compat::lenient::Int;
use crate::compat::spans::{Booking, format_wall_clock, parse_wall_clock, to_whosoff};

/// The controller's calls: those that only read need the leave area's `read` scope,
/// whatever their method.
pub fn router() -> OpenApiRouter<AppState> {
    let reads = OpenApiRouter::new()
        .routes(routes!(read::get_by_id))
        .routes(routes!(read::my))
        .routes(routes!(read::get))
        .routes(routes!(book::validate));
    let writes = OpenApiRouter::new()
        .routes(routes!(book::submit))
        .routes(routes!(book::edit))
        .routes(routes!(decide::approve))
        .routes(routes!(decide::decline))
        .routes(routes!(decide::cancel));
    OpenApiRouter::new()
        .merge(declare_bare(Declared::Reads(Area::Leave), reads))
        .merge(declare_bare(Declared::Area(Area::Leave), writes))
}

/// One entry of a `leave_type_ids` filter.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveTypeRef {
    #[schema(value_type = i64)]
    leave_type_id: Int,
}

/// The ids of a `leave_type_ids` filter.
pub(super) fn type_ids(refs: Option<Vec<LeaveTypeRef>>) -> Vec<i64> {
    refs.unwrap_or_default()
        .into_iter()
        .map(|r| r.leave_type_id.get())
        .collect()
}

/// WhosOff's `allowance_type_id`: days 0, hours 1.
pub(super) fn allowance_type_id(unit: AllowanceUnit) -> i64 {
    match unit {
        AllowanceUnit::Days => 0,
        AllowanceUnit::Hours => 1,
    }
}

/// A colour as WhosOff writes one: `#rrggbb` (Rota keeps the six hex digits).
pub(super) fn colour(hex: &str) -> String {
    format!("#{hex}")
}

/// A wall-clock field of a body, refused naming `field`.
fn wall_clock(field: &'static str, text: &str) -> Result<jiff::civil::DateTime, Vendored<WhosOff>> {
    parse_wall_clock(text)
        .map_err(|e| rota_core::Error::invalid(field, format!("{field}: {e}")).into())
}

/// What `start_date` and `end_date` book, refused naming the field Rota cannot book.
pub(super) fn booking(start: &str, end: &str) -> Result<Booking, Vendored<WhosOff>> {
    let (start, end) = (
        wall_clock("start_date", start)?,
        wall_clock("end_date", end)?,
    );
    crate::compat::spans::from_whosoff(start, end)
        .map_err(|e| rota_core::Error::invalid(e.field, e.reason).into())
}

/// The field a request's type is named by on the controller of `kind`.
fn type_field(kind: TypeKind) -> &'static str {
    match kind {
        TypeKind::Leave => "leave_type_id",
        TypeKind::Overtime => "overtime_type_id",
    }
}

/// A core refusal of a booking of `kind` in WhosOff's terms: Rota's `start_part` and
/// `start_time` are carried by WhosOff's `start_date`, `end_part` and `end_time` by its
/// `end_date`, and its `leave_type_id` by the kind's type field (`overtime_type_id` for
/// overtime).
pub(super) fn booked<T>(
    result: rota_core::Result<T>,
    kind: TypeKind,
) -> Result<T, Vendored<WhosOff>> {
    result.map_err(|error| {
        let mut refusal = Vendored::<WhosOff>::from(error);
        if let Some(field) = refusal.error.field.as_mut() {
            match field.as_str() {
                "start_part" | "start_time" => *field = "start_date".into(),
                "end_part" | "end_time" => *field = "end_date".into(),
                "leave_type_id" => *field = type_field(kind).into(),
                _ => {}
            }
        }
        refusal
    })
}

/// A leave record as `get-by-id`, `my` and `get` answer it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeaveRecord {
    leave_id: i64,
    user_id: i64,
    first_name: String,
    last_name: String,
    image_url_small: Option<String>,
    image_url_large: Option<String>,
    department_id: Option<i64>,
    department_name: Option<String>,
    requested_by_id: i64,
    requested_by_first_name: String,
    requested_by_last_name: String,
    leave_type_id: i64,
    leave_type_name: String,
    code: String,
    colour: String,
    /// Inclusive, `YYYY-MM-DDTHH:MM:SS`.
    start_date: String,
    /// Exclusive at midnight: one day off on 28 March ends `2023-03-29T00:00:00`.
    end_date: String,
    /// Working minutes the request covers.
    duration: i64,
    /// 0 days, 1 hours: how the request counts against the allowance.
    allowance_type_id: i64,
    /// Pending 1, approved 100, cancelled 900, declined 930.
    status_id: i64,
    note: Option<String>,
    /// The approver's reason, when decided with one.
    decision_note: Option<String>,
    /// Minutes before the start after which staff may no longer cancel.
    cancellation_period: i64,
    requested_date: String,
    decided_date: Option<String>,
}

/// A request's `start_date` and exclusive `end_date` as WhosOff writes them.
pub(super) fn wall_clock_span(
    request: &LeaveRequest,
) -> Result<(String, String), Vendored<WhosOff>> {
    let booking = Booking::of_request(request)?;
    let (start, end) = to_whosoff(&booking)
        .ok_or_else(|| rota_core::Error::Internal("request ends past the last day".into()))?;
    Ok((format_wall_clock(start), format_wall_clock(end)))
}

impl LeaveRecord {
    fn of(detail: RequestDetail) -> Result<Self, Vendored<WhosOff>> {
        let (start_date, end_date) = wall_clock_span(&detail.request)?;
        let request = detail.request;
        Ok(Self {
            leave_id: request.id,
            user_id: request.user_id,
            first_name: detail.holder.first_name,
            last_name: detail.holder.last_name,
            image_url_small: detail.holder.image_url_small,
            image_url_large: detail.holder.image_url_large,
            department_id: detail.holder.department_id,
            department_name: detail.holder.department_name,
            requested_by_id: request.requested_by,
            requested_by_first_name: detail.requested_by.first_name,
            requested_by_last_name: detail.requested_by.last_name,
            leave_type_id: request.leave_type_id,
            leave_type_name: detail.leave_type_name,
            code: detail.leave_type_code,
            colour: colour(&detail.leave_type_colour),
            start_date,
            end_date,
            duration: request.minutes,
            allowance_type_id: allowance_type_id(request.unit),
            status_id: whosoff_status(request.status),
            note: request.note,
            decision_note: request.decision_reason,
            cancellation_period: detail.cancellation_period_days.saturating_mul(24 * 60),
            requested_date: request.created_at,
            decided_date: request.decided_at,
        })
    }

    fn all(details: Vec<RequestDetail>) -> Result<Vec<Self>, Vendored<WhosOff>> {
        details.into_iter().map(Self::of).collect()
    }
}
