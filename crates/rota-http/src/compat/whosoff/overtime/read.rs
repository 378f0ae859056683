//! Reading overtime: `get-by-id`, `my` and `retrieve`, through the Leave controller's
//! listing with the overtime kind.

use axum::extract::State;
use rota_core::leave::types::TypeKind;
use rota_core::policy::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{OvertimeRecord, OvertimeTypeRef, type_ids};
use crate::AppState;
use crate::compat::lenient::Int;
use crate::compat::whosoff::envelope::{Answer, Envelope};
use crate::compat::whosoff::extract::{Body, Caller, Segments};
use crate::compat::whosoff::leave::{Dates, Include, Listing, People, group, mine, one};

/// One overtime record; a leave request's id is absent here. User level STAFF: one's
/// own, or the overtime of those one may see.
#[utoipa::path(get, path = "/v4/overtime/get-by-id/{overtime_id}", tag = "overtime",
    params(("overtime_id" = i64, Path)), responses((status = 200, body = Envelope<OvertimeRecord>)))]
pub(super) async fn get_by_id(
    State(state): State<AppState>,
    caller: Caller,
    Segments(overtime_id): Segments<Int>,
) -> Answer<OvertimeRecord> {
    let detail = one(&state, &caller, overtime_id, TypeKind::Overtime).await?;
    Envelope::ok(OvertimeRecord::of(detail)?)
}

/// `overtime/my`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MyOvertime {
    /// Custom 0 (with `start_date` and `end_date`), this year 1, next year 2, last year 3:
    /// the company's leave year.
    #[schema(value_type = i64)]
    date_option: Int,
    /// `YYYY-MM-DD`, inclusive; required for option 0.
    start_date: Option<String>,
    /// `YYYY-MM-DD`, inclusive; required for option 0.
    end_date: Option<String>,
    overtime_type_ids: Option<Vec<OvertimeTypeRef>>,
    /// Approved and pending 0, pending 1, approved 100 (the leave filter codes); every
    /// status when left out.
    #[schema(value_type = Option<i64>)]
    status_id: Option<Int>,
}

/// The caller's own overtime in a range.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyOvertimeRecord {
    /// The range's start, at midnight.
    start_date: String,
    /// The range's end, exclusive at midnight.
    end_date: String,
    overtime: Vec<OvertimeRecord>,
}

/// The caller's own overtime. User level STAFF.
#[utoipa::path(post, path = "/v4/overtime/my", tag = "overtime", request_body = MyOvertime,
    responses((status = 200, body = Envelope<MyOvertimeRecord>)))]
pub(super) async fn my(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<MyOvertimeRecord> {
    let body: MyOvertime = body.parse()?;
    let listing = Listing {
        kind: TypeKind::Overtime,
        dates: Dates {
            option: body.date_option,
            start: body.start_date,
            end: body.end_date,
        },
        type_ids: type_ids(body.overtime_type_ids),
        status_id: body.status_id,
    };
    let include = Include {
        requests: true,
        work: false,
    };
    let mine = mine(&state, &caller, listing, include).await?;
    Envelope::ok(MyOvertimeRecord {
        start_date: mine.start_date,
        end_date: mine.end_date,
        overtime: OvertimeRecord::all(mine.found)?,
    })
}

/// `overtime/retrieve`'s body: `leave/get`'s, with `overtime_type_ids`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetrieveOvertime {
    /// Company 0, department 1, tag 2, staff 3, my staff 4.
    #[schema(value_type = i64)]
    map_type_id: Int,
    /// The department, tag or user of `map_type_id` 1–3; ignored for 0 and 4.
    #[schema(value_type = i64)]
    map_id: Int,
    /// Disabled 0, active 1, both 99 (the default).
    #[schema(value_type = Option<i64>)]
    user_status_id: Option<Int>,
    overtime_type_ids: Option<Vec<OvertimeTypeRef>>,
    /// As `overtime/my`'s.
    #[schema(value_type = i64)]
    date_option: Int,
    start_date: Option<String>,
    end_date: Option<String>,
    /// The leave filter codes: approved and pending 0, pending 1, approved 100, cancelled
    /// 900, declined 930, approved and declined 1000, cancelled and declined 1010; every
    /// status when left out.
    #[schema(value_type = Option<i64>)]
    status_id: Option<Int>,
}

/// The overtime of a group of people. User level APPROVER: an approver sees their
/// staff's, a super user everyone's.
#[utoipa::path(post, path = "/v4/overtime/retrieve", tag = "overtime", request_body = RetrieveOvertime,
    responses((status = 200, body = Envelope<Vec<OvertimeRecord>>)))]
pub(super) async fn retrieve(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<Vec<OvertimeRecord>> {
    caller.may(Action::ListMyStaff)?;
    let body: RetrieveOvertime = body.parse()?;
    let people = People {
        map_type_id: body.map_type_id,
        map_id: body.map_id,
        user_status_id: body.user_status_id,
    };
    let listing = Listing {
        kind: TypeKind::Overtime,
        dates: Dates {
            option: body.date_option,
            start: body.start_date,
            end: body.end_date,
        },
        type_ids: type_ids(body.overtime_type_ids),
        status_id: body.status_id,
    };
    let found = group(&state, &caller, people, listing).await?;
    Envelope::ok(OvertimeRecord::all(found)?)
}
