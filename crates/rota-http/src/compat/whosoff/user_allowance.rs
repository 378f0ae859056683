//! The User Allowance controller: `retrieve`, a user's allowances in WhosOff's minutes.
//! WhosOff publishes only `create`; Rota answers `retrieve` (designed as the Leave Type
//! controller's `retrieve`: a `POST` with a body) and does not yet answer `create`,
//! `update` or `del` (docs/whosoff.md).
//!
//! Rota keeps an allowance per deducting leave type and leave year; each is one record
//! here, with `leave_type_id` naming its type. Amounts are minutes by
//! [`crate::compat::units::allowance_minutes`]: an allowance in days counts each day at the
//! user's working day on the first day of its year.

use axum::extract::State;
use jiff::civil::Date;
use rota_core::access::Area;
use rota_core::leave::allowance::{self, Allowance};
use rota_core::leave::patterns::working_day;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope, WhosOff};
use super::extract::{Body, Caller};
use super::leave::allowance_type_id;
use crate::AppState;
use crate::auth::{Declared, declare_bare};
use crate::compat::errors::Vendored;
use crate::compat::lenient::Int;
use crate::compat::units::{UnitError, allowance_minutes};

/// The controller's call, which only reads.
pub fn router() -> OpenApiRouter<AppState> {
    declare_bare(
        Declared::Reads(Area::Leave),
        OpenApiRouter::new().routes(routes!(retrieve)),
    )
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
    /// Minutes: the year's entitlement with its adjustments.
    opening: i32,
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
        opening: minutes(allowance.opening + allowance.adjustments)?,
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
