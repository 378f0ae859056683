//! The User Allowance controller: `create`, `retrieve`, `update` and `del` over a user's
//! allowances, in WhosOff's minutes. WhosOff publishes only `create`; Rota answers the
//! others in its style (`retrieve` as the Leave Type controller's, a `POST` with a body;
//! `update` and `del` as the Department controller's), each choice in docs/whosoff.md.
//!
//! Rota keeps an allowance per deducting leave type and leave year; each is one record
//! here, with `leave_type_id` naming its type (the Holiday type when `create` names none).
//! Amounts are minutes by [`crate::compat::units`]: an allowance in days counts each day
//! at the user's working day on the first day of its year. `opening` is the entitlement as
//! set; a `remaining` that differs from what the opening leaves is an adjustment, made by
//! `rota_core::leave::allowance::set` with the opening in one transaction.

use axum::extract::State;
use jiff::civil::Date;
use rota_core::access::Area;
use rota_core::leave::allowance::{self, Allowance, Figures, Place};
use rota_core::leave::patterns::working_day;
use rota_core::policy::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope, RecordId, WhosOff};
use super::extract::{Body, Caller, Segments};
use super::leave::allowance_type_id;
use super::user::unit_refusal;
use crate::AppState;
use crate::auth::{Declared, declare_bare};
use crate::compat::dates::parse_date;
use crate::compat::errors::Vendored;
use crate::compat::lenient::{Flag, Int};
use crate::compat::units::{UnitError, allowance_amount, allowance_minutes};

type Refusal = rota_core::Error;

/// The controller's calls: `retrieve` only reads, whatever its method.
pub fn router() -> OpenApiRouter<AppState> {
    let writes = OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(update))
        .routes(routes!(del));
    OpenApiRouter::new()
        .merge(declare_bare(
            Declared::Reads(Area::Leave),
            OpenApiRouter::new().routes(routes!(retrieve)),
        ))
        .merge(declare_bare(Declared::Area(Area::Leave), writes))
}

/// The body of `create` (which needs `user_id`, `start_date` and the four amounts) and of
/// `update` (which needs `user_allowance_id`; an amount left out stays as it is). Amounts
/// are minutes (`MINUTE(INT32)`); one kept in days must be a whole number of hundredths of
/// the user's working day, and the figures within what the allowance can show (an opening
/// and carry-over of 0 to 1,000,000 in its unit, a carry-over remaining that follows from
/// the leave taken, no balance below zero unless the company allows it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserAllowanceBody {
    /// `update` only: the allowance to change.
    user_allowance_id: Option<Int>,
    /// `create` only.
    user_id: Option<Int>,
    /// `create` only: a day in the leave year the allowance is for (`YYYY-MM-DD`).
    start_date: Option<String>,
    /// `create` only, Rota's addition: the leave type (one that deducts from an
    /// allowance); the Holiday type when left out.
    leave_type_id: Option<Int>,
    /// Minutes: the year's entitlement, without adjustments.
    opening: Option<Int>,
    /// Minutes: what is left. Where it differs from what the opening, the carry-over and
    /// the leave taken leave, the difference is kept as an adjustment.
    remaining: Option<Int>,
    /// Minutes carried over from the year before.
    carryover_opening: Option<Int>,
    /// Minutes of carry-over not yet taken: it follows from the leave taken, so it must be
    /// what `carryover_opening` less the carry-over already used leaves (0 once it lapsed).
    carryover_remaining: Option<Int>,
    /// Rota does not lock allowances: `false` or left out; `true` is refused.
    locked: Option<Flag>,
}

impl UserAllowanceBody {
    /// The amounts in the unit of the allowance at `place`, converted by the one rule.
    fn figures(&self, place: &Place) -> Result<Figures, Refusal> {
        let amount = |field: &'static str, minutes: Option<Int>| {
            minutes
                .map(|m| {
                    let m = i32::try_from(m.get()).map_err(|_| {
                        Refusal::invalid(field, format!("{field} is a 32-bit number of minutes"))
                    })?;
                    allowance_amount(i64::from(m), place.unit, place.day_minutes)
                        .map_err(|e| unit_refusal(field, e))
                })
                .transpose()
        };
        Ok(Figures {
            opening: amount("opening", self.opening)?,
            remaining: amount("remaining", self.remaining)?,
            carryover_opening: amount("carryover_opening", self.carryover_opening)?,
            carryover_remaining: amount("carryover_remaining", self.carryover_remaining)?,
        })
    }

    /// Refuses `locked: true` and the fields `call` does not take.
    fn check(&self, call: &str, not_taken: &[(&'static str, bool)]) -> Result<(), Refusal> {
        if self.locked.is_some_and(Flag::get) {
            return Err(Refusal::invalid(
                "locked",
                "Rota does not lock allowances: send false or leave locked out",
            ));
        }
        match not_taken.iter().find(|(_, sent)| *sent) {
            Some(&(field, _)) => Err(Refusal::invalid(
                field,
                format!("{call} does not take {field}"),
            )),
            None => Ok(()),
        }
    }
}

/// What `create` answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserAllowanceId {
    user_allowance_id: i64,
}

/// Sets a user's allowance of a leave type (the Holiday type unless `leave_type_id` says
/// otherwise) for the leave year holding `start_date`: its opening and carry-over, and
/// what remains. Rota keeps an allowance for every such year (opening it with the default
/// entitlement when first needed), so `create` sets the year's allowance whether or not it
/// was open already, and answers its id. `004a` when the type keeps no allowance. User
/// level SUPER USER.
#[utoipa::path(post, path = "/v4/user-allowance/create", tag = "user-allowance", request_body = UserAllowanceBody,
    responses((status = 200, body = Envelope<UserAllowanceId>)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<UserAllowanceId> {
    caller.may(Action::ManagePeople)?;
    let body: UserAllowanceBody = body.parse()?;
    body.check(
        "create",
        &[("user_allowance_id", body.user_allowance_id.is_some())],
    )?;
    let missing = |field: &'static str| Refusal::invalid(field, format!("{field} is required"));
    let user_id = body.user_id.ok_or_else(|| missing("user_id"))?;
    let start_date = body
        .start_date
        .as_deref()
        .ok_or_else(|| missing("start_date"))?;
    for (field, sent) in [
        ("opening", body.opening.is_some()),
        ("remaining", body.remaining.is_some()),
        ("carryover_opening", body.carryover_opening.is_some()),
        ("carryover_remaining", body.carryover_remaining.is_some()),
    ] {
        if !sent {
            return Err(missing(field).into());
        }
    }
    let on: Date = parse_date(start_date)
        .map_err(|e| Refusal::invalid("start_date", format!("start_date: {e}")))?;
    let (db, actor) = (&state.db, &caller.actor);
    let leave_type_id = body.leave_type_id.map(Int::get);
    let place = allowance::place(db, actor, user_id.get(), leave_type_id, on).await?;
    let figures = body.figures(&place)?;
    let set = allowance::set(db, actor, &place, figures).await?;
    Envelope::ok(UserAllowanceId {
        user_allowance_id: set.id,
    })
}

/// Changes an allowance's figures: those sent change, those left out stay. User level
/// SUPER USER.
#[utoipa::path(put, path = "/v4/user-allowance/update", tag = "user-allowance", request_body = UserAllowanceBody,
    responses((status = 200, body = Envelope<RecordId>)))]
async fn update(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<RecordId> {
    caller.may(Action::ManagePeople)?;
    let body: UserAllowanceBody = body.parse()?;
    body.check(
        "update",
        &[
            ("user_id", body.user_id.is_some()),
            ("start_date", body.start_date.is_some()),
            ("leave_type_id", body.leave_type_id.is_some()),
        ],
    )?;
    let id = body
        .user_allowance_id
        .ok_or_else(|| Refusal::invalid("user_allowance_id", "user_allowance_id is required"))?
        .get();
    let place = allowance::place_of(&state.db, &caller.actor, id).await?;
    let figures = body.figures(&place)?;
    let set = allowance::set(&state.db, &caller.actor, &place, figures).await?;
    Envelope::ok(RecordId { record_id: set.id })
}

/// Removes an allowance no request was booked against (`in_use` otherwise: change its
/// figures with `update` instead). Its year has no figures of its own then: Rota opens it
/// afresh with the default entitlement when next needed. User level SUPER USER.
#[utoipa::path(delete, path = "/v4/user-allowance/del/{user_allowance_id}", tag = "user-allowance",
    params(("user_allowance_id" = i64, Path)), responses((status = 200, body = Envelope<RecordId>)))]
async fn del(
    State(state): State<AppState>,
    caller: Caller,
    Segments(id): Segments<Int>,
) -> Answer<RecordId> {
    caller.may(Action::ManagePeople)?;
    allowance::remove(&state.db, &caller.actor, id.get()).await?;
    Envelope::ok(RecordId {
        record_id: id.get(),
    })
}

/// `retrieve`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetrieveAllowances {
    #[schema(value_type = i64)]
    user_id: Int,
    /// A day in the leave year to start from: that year's and the next year's allowances
    /// are answered. Today when left out.
    start_date: Option<String>,
}

/// One allowance: a user's, of one leave type, for one leave year.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserAllowanceRecord {
    user_allowance_id: i64,
    user_id: i64,
    leave_type_id: i64,
    leave_type_name: String,
    /// The leave year's first and last day.
    #[schema(value_type = String, format = Date)]
    start_date: Date,
    #[schema(value_type = String, format = Date)]
    end_date: Date,
    /// 0 days, 1 hours: how the allowance is kept.
    allowance_type_id: i64,
    /// Minutes: the year's entitlement as set, without adjustments.
    opening: i32,
    /// Minutes: what is left (the opening, adjustments and carry-over remaining, less
    /// what is taken).
    remaining: i32,
    pending: i32,
    taken: i32,
    carryover_opening: i32,
    carryover_remaining: i32,
    #[schema(value_type = Option<String>, format = Date)]
    carryover_expiry_date: Option<Date>,
    /// Rota does not lock allowances.
    locked: bool,
}

/// A user's allowances for a leave year and the next. User level STAFF: one's own, or
/// those of people whose balances one may see.
#[utoipa::path(post, path = "/v4/user-allowance/retrieve", tag = "user-allowance", request_body = RetrieveAllowances,
    responses((status = 200, body = Envelope<Vec<UserAllowanceRecord>>)))]
async fn retrieve(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<Vec<UserAllowanceRecord>> {
    let body: RetrieveAllowances = body.parse()?;
    let user_id = body.user_id.get();
    let found = allowance::for_user(
        &state.db,
        &caller.actor,
        user_id,
        body.start_date.as_deref(),
    )
    .await?;
    let mut records = Vec::with_capacity(found.len());
    for allowance in found {
        let day = working_day(&state.db, &caller.actor, user_id, allowance.year_start).await?;
        records.push(record(allowance, day)?);
    }
    Envelope::ok(records)
}

fn record(allowance: Allowance, day: i64) -> Result<UserAllowanceRecord, Vendored<WhosOff>> {
    let refused = |error: UnitError| -> Vendored<WhosOff> {
        rota_core::Error::invalid(
            "user_id",
            format!("the allowance cannot be given in minutes: {error}"),
        )
        .into()
    };
    let minutes = |amount: i64| allowance_minutes(amount, allowance.unit, day).map_err(refused);
    Ok(UserAllowanceRecord {
        user_allowance_id: allowance.id,
        user_id: allowance.user_id,
        leave_type_id: allowance.leave_type_id,
        opening: minutes(allowance.opening)?,
        remaining: minutes(allowance.remaining)?,
        pending: minutes(allowance.pending)?,
        taken: minutes(allowance.taken)?,
        carryover_opening: minutes(allowance.carryover_opening)?,
        carryover_remaining: minutes(allowance.carryover_remaining)?,
        allowance_type_id: allowance_type_id(allowance.unit),
        leave_type_name: allowance.leave_type_name,
        start_date: allowance.year_start,
        end_date: allowance.year_end,
        carryover_expiry_date: allowance.carryover_expiry_date,
        locked: false,
    })
}
