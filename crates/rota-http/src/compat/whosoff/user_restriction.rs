//! The User Restriction controller: `create`, `retrieve-by-user-id` and `del`, over the
//! colleagues a user should not be away with (`rota_core::leave::notes`). All three are
//! SUPER USER calls, as WhosOff publishes them, although the native API lets a user's
//! approvers read them too.

use axum::extract::State;
use rota_core::leave::notes::{self, Restriction, RestrictionInput};
use rota_core::people::service;
use rota_core::policy::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope, RecordId};
use super::extract::{Body, Caller, Segments};
use crate::AppState;
use crate::compat::lenient::{Flag, Int};
use crate::compat::paging::all_pages;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(retrieve_by_user_id))
        .routes(routes!(del))
}

/// `user-restriction/create`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRestriction {
    user_id: Int,
    /// The colleague who should not be away at the same time.
    restricted_user_id: Int,
    /// Also restrict the colleague against the user.
    reverse_entry: Flag,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RestrictionId {
    user_restriction_id: i64,
}

/// A restriction as `retrieve-by-user-id` lists them, with the colleague's name.
#[derive(Debug, Serialize, ToSchema)]
pub struct RestrictionLine {
    user_restriction_id: i64,
    user_id: i64,
    restricted_user_id: i64,
    restricted_first_name: Option<String>,
    restricted_last_name: Option<String>,
}

/// Restricts a user against a colleague (and, with `reverse_entry`, the colleague against
/// them). User level SUPER USER.
#[utoipa::path(post, path = "/v4/user-restriction/create", tag = "user-restriction",
    request_body = CreateRestriction, responses((status = 200, body = Envelope<RestrictionId>)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<RestrictionId> {
    caller.may(Action::ManagePeople)?;
    let body: CreateRestriction = body.parse()?;
    let restricted_user_id = body.restricted_user_id.get();
    let list = notes::add_restriction(
        &state.db,
        &caller.actor,
        body.user_id.get(),
        RestrictionInput {
            restricted_user_id,
            reverse_entry: body.reverse_entry.get(),
        },
    )
    .await?;
    let made = list
        .iter()
        .find(|r| r.restricted_user_id == restricted_user_id)
        .ok_or_else(|| rota_core::Error::Internal("the restriction just made is missing".into()))?;
    Envelope::ok(RestrictionId {
        user_restriction_id: made.id,
    })
}

/// A user's restrictions. User level SUPER USER.
#[utoipa::path(get, path = "/v4/user-restriction/retrieve-by-user-id/{user_id}", tag = "user-restriction",
    params(("user_id" = i64, Path)), responses((status = 200, body = Envelope<Vec<RestrictionLine>>)))]
async fn retrieve_by_user_id(
    State(state): State<AppState>,
    caller: Caller,
    Segments(user_id): Segments<Int>,
) -> Answer<Vec<RestrictionLine>> {
    caller.may(Action::ManagePeople)?;
    let (db, actor) = (&state.db, &caller.actor);
    let restrictions: Vec<Restriction> = all_pages(|limit, cursor: Option<String>| async move {
        notes::restrictions(db, actor, user_id.get(), Some(limit), cursor.as_deref()).await
    })
    .await?;
    let mut lines = Vec::with_capacity(restrictions.len());
    for restriction in restrictions {
        let colleague = service::get(db, actor, restriction.restricted_user_id)
            .await
            .ok();
        lines.push(RestrictionLine {
            user_restriction_id: restriction.id,
            user_id: restriction.user_id,
            restricted_user_id: restriction.restricted_user_id,
            restricted_first_name: colleague.as_ref().map(|c| c.first_name.clone()),
            restricted_last_name: colleague.map(|c| c.last_name),
        });
    }
    Envelope::ok(lines)
}

/// Removes a restriction. User level SUPER USER.
#[utoipa::path(delete, path = "/v4/user-restriction/del/{user_restriction_id}", tag = "user-restriction",
    params(("user_restriction_id" = i64, Path)), responses((status = 200, body = Envelope<RecordId>)))]
async fn del(
    State(state): State<AppState>,
    caller: Caller,
    Segments(id): Segments<Int>,
) -> Answer<RecordId> {
    caller.may(Action::ManagePeople)?;
    notes::remove_restriction_by_id(&state.db, &caller.actor, id.get()).await?;
    Envelope::ok(RecordId {
        record_id: id.get(),
    })
}
