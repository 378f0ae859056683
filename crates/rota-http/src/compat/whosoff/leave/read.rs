//! Reading leave: `get-by-id`, `my` and `get`.

use axum::extract::State;
use jiff::civil::Date;
use rota_core::leave::patterns::week_on;
use rota_core::leave::request::{self, Holders, RequestDetail, RequestFilter, RequestStatus};
use rota_core::leave::types::TypeKind;
use rota_core::leave::year::{WhichYear, company_year};
use rota_core::org::{self, Department, Tag};
use rota_core::policy::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{LeaveRecord, LeaveTypeRef, type_ids};
use crate::AppState;
use crate::compat::codes::whosoff_status_filter;
use crate::compat::dates::parse_date;
use crate::compat::errors::Vendored;
use crate::compat::lenient::{Flag, Int};
use crate::compat::paging::all_pages;
use crate::compat::spans::format_wall_clock;
use crate::compat::whosoff::envelope::{Answer, Envelope, WhosOff};
use crate::compat::whosoff::extract::{Body, Caller, Segments};
use crate::compat::whosoff::who_is_off::Work;

type Refusal = Vendored<WhosOff>;

/// One leave record. User level STAFF: one's own, or the leave of those one may see.
#[utoipa::path(get, path = "/v4/leave/get-by-id/{leave_id}", tag = "leave",
    params(("leave_id" = i64, Path)), responses((status = 200, body = Envelope<LeaveRecord>)))]
pub(super) async fn get_by_id(
    State(state): State<AppState>,
    caller: Caller,
    Segments(leave_id): Segments<Int>,
) -> Answer<LeaveRecord> {
    let detail = one(&state, &caller, leave_id, TypeKind::Leave).await?;
    Envelope::ok(LeaveRecord::of(detail)?)
}

/// Request `id` of `kind`, with its names; one of the other kind is absent.
pub(in crate::compat::whosoff) async fn one(
    state: &AppState,
    caller: &Caller,
    id: Int,
    kind: TypeKind,
) -> Result<RequestDetail, Refusal> {
    let found = request::get_of_kind(&state.db, &caller.actor, id.get(), Some(kind)).await?;
    request::describe(&state.db, &caller.actor, vec![found])
        .await?
        .pop()
        .ok_or_else(|| rota_core::Error::not_found("leave request").into())
}

/// `leave/my`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MyLeave {
    /// Custom 0 (with `start_date` and `end_date`), this year 1, next year 2, last year 3:
    /// the company's leave year.
    #[schema(value_type = i64)]
    date_option: Int,
    /// `YYYY-MM-DD`, inclusive; required for option 0.
    start_date: Option<String>,
    /// `YYYY-MM-DD`, inclusive; required for option 0.
    end_date: Option<String>,
    leave_type_ids: Option<Vec<LeaveTypeRef>>,
    /// Approved and pending 0, pending 1, approved 100; every status when left out.
    #[schema(value_type = Option<i64>)]
    status_id: Option<Int>,
    /// `false` answers the range without its leave.
    #[schema(value_type = Option<bool>)]
    include_leave: Option<Flag>,
    /// `true` adds `work`: the week the caller works on the range's first day.
    #[schema(value_type = Option<bool>)]
    include_work: Option<Flag>,
    /// Accepted; Rota has no free restricted leave to include.
    #[schema(value_type = Option<bool>)]
    #[expect(
        dead_code,
        reason = "checked as a flag; Rota has no free restricted leave"
    )]
    include_free_restricted: Option<Flag>,
}

/// The caller's own leave in a range.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyLeaveRecord {
    /// The range's start, at midnight.
    start_date: String,
    /// The range's end, exclusive at midnight.
    end_date: String,
    leave: Vec<LeaveRecord>,
    /// With `include_work`: the minutes the caller works each weekday, as in effect on
    /// the range's first day (`start_date` and `end_date` here are its inclusive days).
    #[serde(skip_serializing_if = "Option::is_none")]
    work: Option<Work>,
}

/// The caller's own leave. User level STAFF.
#[utoipa::path(post, path = "/v4/leave/my", tag = "leave", request_body = MyLeave,
    responses((status = 200, body = Envelope<MyLeaveRecord>)))]
pub(super) async fn my(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<MyLeaveRecord> {
    let body: MyLeave = body.parse()?;
    let dates = Dates {
        option: body.date_option,
        start: body.start_date,
        end: body.end_date,
    };
    let mine = mine(
        &state,
        &caller,
        Listing {
            kind: TypeKind::Leave,
            dates,
            type_ids: type_ids(body.leave_type_ids),
            status_id: body.status_id,
        },
        Include {
            requests: body.include_leave.is_none_or(Flag::get),
            work: body.include_work.is_some_and(Flag::get),
        },
    )
    .await?;
    Envelope::ok(MyLeaveRecord {
        start_date: mine.start_date,
        end_date: mine.end_date,
        leave: LeaveRecord::all(mine.found)?,
        work: mine.work,
    })
}

/// Which requests a list call asks for, its body read: of which kind, on which days, of
/// which types, in which statuses.
pub(in crate::compat::whosoff) struct Listing {
    pub kind: TypeKind,
    pub dates: Dates,
    pub type_ids: Vec<i64>,
    /// A status filter code, every status when left out.
    pub status_id: Option<Int>,
}

/// A `date_option` with its `start_date` and `end_date`.
pub(in crate::compat::whosoff) struct Dates {
    pub option: Int,
    pub start: Option<String>,
    pub end: Option<String>,
}

/// What `my` answers besides the requests themselves.
pub(in crate::compat::whosoff) struct Include {
    /// The requests in the range (`include_leave`).
    pub requests: bool,
    /// The week the caller works (`include_work`).
    pub work: bool,
}

/// The caller's own requests in a range, as `my` reads them.
pub(in crate::compat::whosoff) struct Mine {
    /// The range as WhosOff writes it: from midnight to the exclusive midnight after its
    /// last day.
    pub start_date: String,
    pub end_date: String,
    pub found: Vec<RequestDetail>,
    /// The minutes the caller works each weekday on the range's first day.
    pub work: Option<Work>,
}

/// The caller's own requests (`my`) and what `include` asks for besides. The status
/// filter is one of `my`'s: 0, 1 or 100.
pub(in crate::compat::whosoff) async fn mine(
    state: &AppState,
    caller: &Caller,
    listing: Listing,
    include: Include,
) -> Result<Mine, Refusal> {
    let (from, to) = range(state, caller, listing.dates).await?;
    let statuses = match listing.status_id.map(Int::get) {
        None => Vec::new(),
        Some(code @ (0 | 1 | 100)) => statuses(code)?,
        Some(_) => return Err(out_of_range("status_id", "0, 1 or 100")),
    };
    let found = if include.requests {
        let filter = RequestFilter {
            user_id: Some(caller.actor.user_id),
            statuses,
            leave_type_ids: listing.type_ids,
            kind: Some(listing.kind),
            from: Some(from),
            to: Some(to),
            ..RequestFilter::default()
        };
        listed(state, caller, filter).await?
    } else {
        Vec::new()
    };
    let work = if include.work {
        let week = week_on(&state.db, &caller.actor, caller.actor.user_id, from).await?;
        Some(Work::of(&from.to_string(), &to.to_string(), week))
    } else {
        None
    };
    let (start_date, end_date) = bounds(from, to)?;
    Ok(Mine {
        start_date,
        end_date,
        found,
        work,
    })
}

/// `leave/get`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GetLeave {
    /// Company 0, department 1, tag 2, staff 3, my staff 4.
    #[schema(value_type = i64)]
    map_type_id: Int,
    /// The department, tag or user of `map_type_id` 1–3; ignored for 0 and 4.
    #[schema(value_type = i64)]
    map_id: Int,
    /// Disabled 0, active 1, both 99 (the default).
    #[schema(value_type = Option<i64>)]
    user_status_id: Option<Int>,
    leave_type_ids: Option<Vec<LeaveTypeRef>>,
    /// As `leave/my`'s.
    #[schema(value_type = i64)]
    date_option: Int,
    start_date: Option<String>,
    end_date: Option<String>,
    /// Approved and pending 0, pending 1, approved 100, cancelled 900, declined 930,
    /// approved and declined 1000, cancelled and declined 1010; every status when left
    /// out.
    #[schema(value_type = Option<i64>)]
    status_id: Option<Int>,
}

/// The leave of a group of people. User level APPROVER: an approver sees their staff's,
/// a super user everyone's.
#[utoipa::path(post, path = "/v4/leave/get", tag = "leave", request_body = GetLeave,
    responses((status = 200, body = Envelope<Vec<LeaveRecord>>)))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<Vec<LeaveRecord>> {
    caller.may(Action::ListMyStaff)?;
    let body: GetLeave = body.parse()?;
    let listing = Listing {
        kind: TypeKind::Leave,
        dates: Dates {
            option: body.date_option,
            start: body.start_date,
            end: body.end_date,
        },
        type_ids: type_ids(body.leave_type_ids),
        status_id: body.status_id,
    };
    let people = People {
        map_type_id: body.map_type_id,
        map_id: body.map_id,
        user_status_id: body.user_status_id,
    };
    let found = group(&state, &caller, people, listing).await?;
    Envelope::ok(LeaveRecord::all(found)?)
}

/// Whose requests `get` lists: `map_type_id` (company 0, department 1, tag 2, staff 3, my
/// staff 4) with its `map_id`, and `user_status_id` (disabled 0, active 1, both 99).
pub(in crate::compat::whosoff) struct People {
    pub map_type_id: Int,
    pub map_id: Int,
    pub user_status_id: Option<Int>,
}

/// The requests of a group of people (`get`). Permission is the caller's to ask first.
pub(in crate::compat::whosoff) async fn group(
    state: &AppState,
    caller: &Caller,
    people: People,
    listing: Listing,
) -> Result<Vec<RequestDetail>, Refusal> {
    let (db, actor) = (&state.db, &caller.actor);
    let map_id = people.map_id.get();
    let (user_id, holders) = match people.map_type_id.get() {
        0 => (None, None),
        1 => {
            org::get::<Department>(db, actor, map_id).await?;
            (None, Some(Holders::Department(map_id)))
        }
        2 => {
            org::get::<Tag>(db, actor, map_id).await?;
            (None, Some(Holders::Tag(map_id)))
        }
        3 => {
            rota_core::people::service::get(db, actor, map_id).await?;
            (Some(map_id), None)
        }
        4 => (None, Some(Holders::StaffOf(actor.user_id))),
        _ => return Err(out_of_range("map_type_id", "0 to 4")),
    };
    let archived_holders = match people.user_status_id.map(Int::get) {
        None | Some(99) => None,
        Some(0) => Some(true),
        Some(1) => Some(false),
        Some(_) => return Err(out_of_range("user_status_id", "0, 1 or 99")),
    };
    let statuses = listing.status_id.map(|c| statuses(c.get())).transpose()?;
    let (from, to) = range(state, caller, listing.dates).await?;
    let filter = RequestFilter {
        user_id,
        statuses: statuses.unwrap_or_default(),
        leave_type_ids: listing.type_ids,
        kind: Some(listing.kind),
        from: Some(from),
        to: Some(to),
        holders,
        archived_holders,
        ..RequestFilter::default()
    };
    listed(state, caller, filter).await
}

fn out_of_range(field: &'static str, allowed: &str) -> Refusal {
    rota_core::Error::invalid(field, format!("{field} must be {allowed}")).into()
}

fn statuses(code: i64) -> Result<Vec<RequestStatus>, Refusal> {
    whosoff_status_filter(code)
        .map(<[RequestStatus]>::to_vec)
        .map_err(|e| rota_core::Error::invalid("status_id", e.to_string()).into())
}

/// The first and last day a `date_option` names.
async fn range(state: &AppState, caller: &Caller, dates: Dates) -> Result<(Date, Date), Refusal> {
    let Dates { option, start, end } = dates;
    let which = match option.get() {
        0 => {
            let day = |field: &'static str, text: Option<String>| -> Result<Date, Refusal> {
                let text = text.ok_or_else(|| {
                    rota_core::Error::invalid(
                        field,
                        format!("{field} is required for date_option 0"),
                    )
                })?;
                parse_date(&text)
                    .map_err(|e| rota_core::Error::invalid(field, format!("{field}: {e}")).into())
            };
            let (from, to) = (day("start_date", start)?, day("end_date", end)?);
            if to < from {
                return Err(rota_core::Error::invalid(
                    "end_date",
                    "end_date must not be before start_date",
                )
                .into());
            }
            return Ok((from, to));
        }
        1 => WhichYear::This,
        2 => WhichYear::Next,
        3 => WhichYear::Last,
        _ => return Err(out_of_range("date_option", "0 to 3")),
    };
    Ok(company_year(&state.db, &caller.actor, which).await?)
}

/// A range's start at midnight and its exclusive end, as WhosOff writes them.
fn bounds(from: Date, to: Date) -> Result<(String, String), Refusal> {
    let end = crate::compat::dates::whosoff_exclusive_end(to)
        .ok_or_else(|| rota_core::Error::invalid("end_date", "end_date is out of range"))?;
    Ok((
        format_wall_clock(from.to_datetime(jiff::civil::Time::midnight())),
        format_wall_clock(end),
    ))
}

/// Every request `filter` finds among those the caller may see, with their names.
async fn listed(
    state: &AppState,
    caller: &Caller,
    filter: RequestFilter,
) -> Result<Vec<RequestDetail>, Refusal> {
    let (db, actor) = (&state.db, &caller.actor);
    let found = all_pages(|limit, cursor: Option<String>| {
        let filter = filter.clone();
        async move { request::list(db, actor, filter, Some(limit), cursor.as_deref()).await }
    })
    .await?;
    Ok(request::describe(db, actor, found).await?)
}
