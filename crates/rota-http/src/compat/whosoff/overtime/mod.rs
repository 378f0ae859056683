//! The Overtime controller: time worked that earns time off in lieu, which Rota books as a
//! request of an overtime type (`rota_core::leave::request`). WhosOff publishes only
//! `get-by-id`; the other calls are designed on the Leave controller's, with the same
//! dates ([`crate::compat::spans`]), filters and codes, and `overtime_id`,
//! `overtime_type_id` and `overtime_type_ids` where leave names `leave_…`: `validate`,
//! `submit`, `my`, `retrieve` (leave's `get`), and `edit`, `approve`, `decline` and
//! `cancel`, each a `PUT` with a body naming `overtime_id`. A leave request or leave type given to these calls is absent
//! or refused with `wrong_type_kind` (docs/whosoff.md).

mod book;
mod read;

use rota_core::access::Area;
use rota_core::leave::request::RequestDetail;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::WhosOff;
use super::leave::{allowance_type_id, colour, wall_clock_span};
use crate::AppState;
use crate::auth::{Declared, declare_bare};
use crate::compat::codes::{whosoff_overtime_status, whosoff_status};
use crate::compat::errors::Vendored;
use crate::compat::lenient::Int;

/// The controller's calls: those that only read need the leave area's `read` scope,
/// whatever their method.
pub fn router() -> OpenApiRouter<AppState> {
    let reads = OpenApiRouter::new()
        .routes(routes!(read::get_by_id))
        .routes(routes!(read::my))
        .routes(routes!(read::retrieve))
        .routes(routes!(book::validate));
    let writes = OpenApiRouter::new()
        .routes(routes!(book::submit))
        .routes(routes!(book::edit))
        .routes(routes!(book::approve))
        .routes(routes!(book::decline))
        .routes(routes!(book::cancel));
    OpenApiRouter::new()
        .merge(declare_bare(Declared::Reads(Area::Leave), reads))
        .merge(declare_bare(Declared::Area(Area::Leave), writes))
}

/// One entry of an `overtime_type_ids` filter.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OvertimeTypeRef {
    #[schema(value_type = i64)]
    overtime_type_id: Int,
}

/// The ids of an `overtime_type_ids` filter.
fn type_ids(refs: Option<Vec<OvertimeTypeRef>>) -> Vec<i64> {
    refs.unwrap_or_default()
        .into_iter()
        .map(|r| r.overtime_type_id.get())
        .collect()
}

/// An overtime record as `get-by-id`, `my` and `retrieve` answer it: the fields WhosOff
/// publishes for `get-by-id`, then those a leave record has besides.
#[derive(Debug, Serialize, ToSchema)]
pub struct OvertimeRecord {
    overtime_id: i64,
    user_id: i64,
    first_name: String,
    last_name: String,
    department_id: Option<i64>,
    department_name: Option<String>,
    overtime_type_id: i64,
    overtime_type_name: String,
    code: String,
    /// `#rrggbb`.
    colour: String,
    /// WhosOff's overtime code list: active 1 while the overtime stands (pending or
    /// approved), disabled 0 once declined or cancelled.
    status_id: i64,
    /// Where the request stands, in the leave codes: pending 1, approved 100, cancelled
    /// 900, declined 930.
    request_status_id: i64,
    /// Inclusive, `YYYY-MM-DDTHH:MM:SS`.
    start_date: String,
    /// Exclusive: a full day on 28 March ends `2023-03-29T00:00:00`.
    end_date: String,
    /// 0 days, 1 hours: how the time off in lieu it earns is counted.
    allowance_type_id: i64,
    /// Minutes the request covers, weighed as leave is by the working pattern.
    duration: i64,
    note: Option<String>,
    /// The approver's reason, when decided with one.
    decision_note: Option<String>,
    requested_by_id: i64,
    requested_date: String,
    decided_date: Option<String>,
}

impl OvertimeRecord {
    fn of(detail: RequestDetail) -> Result<Self, Vendored<WhosOff>> {
        let (start_date, end_date) = wall_clock_span(&detail.request)?;
        let request = detail.request;
        Ok(Self {
            overtime_id: request.id,
            user_id: request.user_id,
            first_name: detail.holder.first_name,
            last_name: detail.holder.last_name,
            department_id: detail.holder.department_id,
            department_name: detail.holder.department_name,
            overtime_type_id: request.leave_type_id,
            overtime_type_name: detail.leave_type_name,
            code: detail.leave_type_code,
            colour: colour(&detail.leave_type_colour),
            status_id: whosoff_overtime_status(request.status),
            request_status_id: whosoff_status(request.status),
            start_date,
            end_date,
            allowance_type_id: allowance_type_id(request.unit),
            duration: request.minutes,
            note: request.note,
            decision_note: request.decision_reason,
            requested_by_id: request.requested_by,
            requested_date: request.created_at,
            decided_date: request.decided_at,
        })
    }

    fn all(details: Vec<RequestDetail>) -> Result<Vec<Self>, Vendored<WhosOff>> {
        details.into_iter().map(Self::of).collect()
    }
}
