//! The User controller's changes: `create` (with its opening allowances), `update`, `del`
//! (WhosOff disables a user: Rota archives them) and `unlock`.

use axum::extract::State;
use jiff::civil::Date;
use rota_core::leave::allowance::NewUserOpening;
use rota_core::leave::patterns;
use rota_core::people::model::User;
use rota_core::people::service;
use rota_core::people::types::AllowanceUnit;
use rota_core::policy::Action;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AllowanceBody, Refusal, UserBody, unit_refusal};
use crate::AppState;
use crate::compat::dates::parse_date;
use crate::compat::lenient::Int;
use crate::compat::units::allowance_amount;
use crate::compat::whosoff::envelope::{Answer, Envelope, RecordId};
use crate::compat::whosoff::extract::{Body, Caller, Segments};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(update))
        .routes(routes!(del))
        .routes(routes!(unlock))
}

/// What `create` and `update` answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserSaved {
    user_id: i64,
    image_url_small: Option<String>,
    image_url_large: Option<String>,
    #[serde(rename = "forceMFA")]
    force_mfa: bool,
}

impl From<User> for UserSaved {
    fn from(user: User) -> Self {
        Self {
            user_id: user.id,
            image_url_small: user.image_url_small,
            image_url_large: user.image_url_large,
            force_mfa: user.force_mfa,
        }
    }
}

/// The openings `allowances` asks for, in the unit the new user's allowance is kept in:
/// minutes for hours, hundredths of the company's default working day for days.
async fn openings(
    state: &AppState,
    caller: &Caller,
    unit: AllowanceUnit,
    allowances: Vec<AllowanceBody>,
) -> Result<Vec<NewUserOpening>, Refusal> {
    if allowances.is_empty() {
        return Ok(Vec::new());
    }
    let day = patterns::default_working_day(&state.db, &caller.actor).await?;
    allowances
        .into_iter()
        .map(|allowance| {
            let on: Date = parse_date(&allowance.start_date)
                .map_err(|e| Refusal::invalid("start_date", format!("start_date: {e}")))?;
            let amount = |field: &'static str, minutes: Int| {
                allowance_amount(minutes.get(), unit, day).map_err(|e| unit_refusal(field, e))
            };
            Ok(NewUserOpening {
                on,
                opening: amount("opening", allowance.opening)?,
                remaining: amount("remaining", allowance.remaining)?,
            })
        })
        .collect()
}

/// Creates a user, with the opening entitlement of their Holiday allowance in the leave
/// years `allowances` names, all or nothing. User level SUPER USER.
#[utoipa::path(post, path = "/v4/user/create", tag = "user", request_body = UserBody,
    responses((status = 200, body = Envelope<UserSaved>)))]
async fn create(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<UserSaved> {
    caller.may(Action::CreateUser)?;
    let mut body: UserBody = body.parse()?;
    if body.user_id.is_some() {
        return Err(
            Refusal::invalid("user_id", "user_id is given by create, not sent to it").into(),
        );
    }
    let missing = [
        ("first_name", body.first_name.is_none()),
        ("last_name", body.last_name.is_none()),
        ("email_contact", body.email_contact.is_none()),
    ];
    if let Some((field, _)) = missing.into_iter().find(|(_, missing)| *missing) {
        return Err(Refusal::invalid(field, format!("{field} is required")).into());
    }
    let allowances = body.allowances.take().unwrap_or_default();
    let input = body.input()?;
    let unit = input.allowance_unit.unwrap_or(AllowanceUnit::Days);
    let openings = openings(&state, &caller, unit, allowances).await?;
    let user = service::create_with_allowances(&state.db, &caller.actor, input, &openings).await?;
    Envelope::ok(user.into())
}

/// Changes a user: what is sent changes, what is left out stays. Staff change their own
/// self-service fields, approvers their staff's, super users anyone's. User level STAFF.
#[utoipa::path(put, path = "/v4/user/update", tag = "user", request_body = UserBody,
    responses((status = 200, body = Envelope<UserSaved>)))]
async fn update(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<UserSaved> {
    let body: UserBody = body.parse()?;
    let user_id = body
        .user_id
        .ok_or_else(|| Refusal::invalid("user_id", "user_id is required"))?;
    if body.allowances.is_some() {
        return Err(Refusal::invalid(
            "allowances",
            "allowances go with create; user-allowance changes them",
        )
        .into());
    }
    let input = body.input()?;
    let user = service::update(&state.db, &caller.actor, user_id.get(), input).await?;
    Envelope::ok(user.into())
}

/// Disables (archives) a user: they can no longer sign in, their data stays. User level
/// SUPER USER.
#[utoipa::path(delete, path = "/v4/user/del/{user_id}", tag = "user",
    params(("user_id" = i64, Path)), responses((status = 200, body = Envelope<RecordId>)))]
async fn del(
    State(state): State<AppState>,
    caller: Caller,
    Segments(user_id): Segments<Int>,
) -> Answer<RecordId> {
    caller.may(Action::ManagePeople)?;
    let user = service::archive(&state.db, &caller.actor, user_id.get()).await?;
    Envelope::ok(RecordId { record_id: user.id })
}

/// Lifts the lock failed sign-ins put on a user. User level SUPER USER.
#[utoipa::path(post, path = "/v4/user/unlock/{user_id}", tag = "user",
    params(("user_id" = i64, Path)), responses((status = 200, body = Envelope<RecordId>)))]
async fn unlock(
    State(state): State<AppState>,
    caller: Caller,
    Segments(user_id): Segments<Int>,
) -> Answer<RecordId> {
    caller.may(Action::ManagePeople)?;
    let user = service::unlock(&state.db, &caller.actor, user_id.get()).await?;
    Envelope::ok(RecordId { record_id: user.id })
}
