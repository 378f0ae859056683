//! The Tag controller (create, retrieve, update, del) and the Map User Tag controller,
//! which WhosOff lists but does not publish: `create` puts a tag on a user, `retrieve`
//! lists who carries what, `del` takes a tag off a user.

use axum::extract::State;
use rota_core::org::{self, Tag, TagInput};
use rota_core::people::tagging::{self, Tagging};
use rota_core::policy::Action;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope, RecordId};
use super::extract::{Body, Caller, Query, Segments};
use crate::AppState;
use crate::compat::lenient::{Flag, Int};
use crate::compat::paging::all_pages;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(retrieve))
        .routes(routes!(update))
        .routes(routes!(del))
        .routes(routes!(map_create))
        .routes(routes!(map_retrieve))
        .routes(routes!(map_del))
}

/// `tag/create`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTag {
    /// 1 to 100 characters.
    name: String,
}

/// `tag/update`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTag {
    tag_id: Int,
    /// 1 to 100 characters.
    name: String,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RetrieveQuery {
    /// One tag; all of them when left out.
    #[param(value_type = Option<i64>)]
    tag_id: Option<Int>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TagId {
    tag_id: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TagRecord {
    tag_id: i64,
    name: String,
}

/// `map-user-tag/create`'s body, and one row of `map-user-tag/retrieve`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserTag {
    user_id: Int,
    tag_id: Int,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MapRetrieveQuery {
    /// The users who carry this tag.
    #[param(value_type = i64)]
    tag_id: Int,
}

/// Creates a tag. User level SUPER USER.
#[utoipa::path(post, path = "/v4/tag/create", tag = "tag", request_body = CreateTag,
    responses((status = 200, body = Envelope<TagId>)))]
async fn create(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<TagId> {
    caller.may(Action::ManageOrganisation)?;
    let body: CreateTag = body.parse()?;
    let input = TagInput {
        name: Some(body.name),
    };
    let tag: Tag = org::create(&state.db, &caller.actor, input).await?;
    Envelope::ok(TagId { tag_id: tag.id })
}

/// Lists the company's tags, or one. User level STAFF.
#[utoipa::path(get, path = "/v4/tag/retrieve", tag = "tag", params(RetrieveQuery),
    responses((status = 200, body = Envelope<Vec<TagRecord>>)))]
async fn retrieve(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<RetrieveQuery>,
) -> Answer<Vec<TagRecord>> {
    let tags: Vec<Tag> = match query.tag_id {
        Some(id) => vec![org::get(&state.db, &caller.actor, id.get()).await?],
        None => {
            let (db, actor) = (&state.db, &caller.actor);
            all_pages(|limit, cursor: Option<String>| async move {
                org::list(db, actor, Some(limit), cursor.as_deref()).await
            })
            .await?
        }
    };
    let records = tags
        .into_iter()
        .map(|tag| TagRecord {
            tag_id: tag.id,
            name: tag.name,
        })
        .collect();
    Envelope::ok(records)
}

/// Renames a tag. User level SUPER USER.
#[utoipa::path(put, path = "/v4/tag/update", tag = "tag", request_body = UpdateTag,
    responses((status = 200, body = Envelope<TagId>)))]
async fn update(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<TagId> {
    caller.may(Action::ManageOrganisation)?;
    let body: UpdateTag = body.parse()?;
    let input = TagInput {
        name: Some(body.name),
    };
    let tag: Tag = org::update(&state.db, &caller.actor, body.tag_id.get(), input).await?;
    Envelope::ok(TagId { tag_id: tag.id })
}

/// Deletes a tag; without `force_removal` a tag someone carries is refused (`in_use`),
/// with it the tag is first taken off everyone. User level SUPER USER.
#[utoipa::path(delete, path = "/v4/tag/del/{tag_id}/{force_removal}", tag = "tag",
    params(("tag_id" = i64, Path), ("force_removal" = bool, Path)),
    responses((status = 200, body = Envelope<RecordId>)))]
async fn del(
    State(state): State<AppState>,
    caller: Caller,
    Segments((tag_id, force_removal)): Segments<(Int, Flag)>,
) -> Answer<RecordId> {
    org::delete::<Tag>(&state.db, &caller.actor, tag_id.get(), force_removal.get()).await?;
    Envelope::ok(RecordId {
        record_id: tag_id.get(),
    })
}

/// Puts a tag on a user; putting one on twice is not an error. User level SUPER USER.
#[utoipa::path(post, path = "/v4/map-user-tag/create", tag = "map-user-tag", request_body = UserTag,
    responses((status = 200, body = Envelope<UserTag>)))]
async fn map_create(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<UserTag> {
    caller.may(Action::ManageOrganisation)?;
    let body: UserTag = body.parse()?;
    tagging::set(
        &state.db,
        &caller.actor,
        body.user_id.get(),
        body.tag_id.get(),
        Tagging::Put,
    )
    .await?;
    Envelope::ok(body)
}

/// The active users who carry a tag. User level STAFF.
#[utoipa::path(get, path = "/v4/map-user-tag/retrieve", tag = "map-user-tag", params(MapRetrieveQuery),
    responses((status = 200, body = Envelope<Vec<UserTag>>)))]
async fn map_retrieve(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<MapRetrieveQuery>,
) -> Answer<Vec<UserTag>> {
    let (db, actor, tag_id) = (&state.db, &caller.actor, query.tag_id.get());
    let users = all_pages(|limit, cursor: Option<String>| async move {
        org::tag_users(db, actor, tag_id, Some(limit), cursor.as_deref()).await
    })
    .await?;
    let rows = users
        .into_iter()
        .map(|user_id| UserTag {
            user_id: Int(user_id),
            tag_id: Int(tag_id),
        })
        .collect();
    Envelope::ok(rows)
}

/// Takes a tag off a user; taking off one the user does not carry is not an error. User
/// level SUPER USER.
#[utoipa::path(delete, path = "/v4/map-user-tag/del/{user_id}/{tag_id}", tag = "map-user-tag",
    params(("user_id" = i64, Path), ("tag_id" = i64, Path)),
    responses((status = 200, body = Envelope<RecordId>)))]
async fn map_del(
    State(state): State<AppState>,
    caller: Caller,
    Segments((user_id, tag_id)): Segments<(Int, Int)>,
) -> Answer<RecordId> {
    caller.may(Action::ManageOrganisation)?;
    tagging::set(
        &state.db,
        &caller.actor,
        user_id.get(),
        tag_id.get(),
        Tagging::TakenOff,
    )
    .await?;
    Envelope::ok(RecordId {
        record_id: user_id.get(),
    })
}
