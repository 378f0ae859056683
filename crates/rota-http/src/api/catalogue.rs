//! Company catalogue items (the organisation, leave types): each has the same five routes
//! over the core's generic operations. [`catalogue_resource!`] writes them, so each
//! resource still has its own documented paths, schemas and operation ids
//! (`departments_list`, `departments_create`, …).

use axum::Json;
use axum::http::StatusCode;
use rota_core::org::{self, OrgItem};
use rota_core::paging::Page;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::api::users::PageQuery;
use crate::error::ApiResult;
use crate::extract::{AuthUser, Created};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Detach whatever still refers to the item (users, a location's sites) and delete it
    /// anyway, as WhosOff's `force_removal`. Without it, an item in use answers 409 `in_use`.
    #[serde(default)]
    pub force: bool,
}

pub async fn list<T: OrgItem>(
    state: AppState,
    auth: AuthUser,
    query: PageQuery,
) -> ApiResult<Json<Page<T>>> {
    Ok(Json(
        org::list::<T>(&state.db, &auth.actor, query.limit, query.cursor.as_deref()).await?,
    ))
}

pub async fn get<T: OrgItem>(state: AppState, auth: AuthUser, id: i64) -> ApiResult<Json<T>> {
    Ok(Json(org::get::<T>(&state.db, &auth.actor, id).await?))
}

pub async fn create<T: OrgItem>(
    state: AppState,
    auth: AuthUser,
    input: T::Input,
) -> ApiResult<Created<T>> {
    Ok(Created(
        org::create::<T>(&state.db, &auth.actor, input).await?,
    ))
}

pub async fn update<T: OrgItem>(
    state: AppState,
    auth: AuthUser,
    id: i64,
    input: T::Input,
) -> ApiResult<Json<T>> {
    Ok(Json(
        org::update::<T>(&state.db, &auth.actor, id, input).await?,
    ))
}

pub async fn delete<T: OrgItem>(
    state: AppState,
    auth: AuthUser,
    id: i64,
    force: bool,
) -> ApiResult<StatusCode> {
    org::delete::<T>(&state.db, &auth.actor, id, force).await?;
    Ok(StatusCode::NO_CONTENT)
}

macro_rules! catalogue_resource {
    ($module:ident, $item:ty, $input:ty, $page:ident, $tag:literal, $collection:literal, $member:literal) => {
        pub mod $module {
            use axum::Json;
            use axum::extract::State;
            use axum::http::StatusCode;
            use rota_core::openapi::ForCreate;
            use rota_core::paging::Page;
            use utoipa_axum::router::OpenApiRouter;
            use utoipa_axum::routes;

            use crate::AppState;
            use crate::api::catalogue::{DeleteQuery, create, delete, get, list, update};
            use crate::api::users::PageQuery;
            use crate::error::{ApiResult, CommonErrors, InUseRefusals};
            use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Created};

            /// The create body: the input with the fields a create needs required. An alias,
            /// because `utoipa::path` treats a generic body as one to compose.
            type CreateBody = ForCreate<$input>;

            /// A page of items.
            #[derive(utoipa::ToSchema)]
            #[expect(dead_code, reason = "describes the response for the OpenAPI document only")]
            pub struct $page {
                data: Vec<$item>,
                next_cursor: Option<String>,
            }

            pub fn router() -> OpenApiRouter<AppState> {
                OpenApiRouter::new()
                    .routes(routes!(list_items, create_item))
                    .routes(routes!(get_item, update_item, delete_item))
            }

            /// Lists them in pages (everyone in the company).
            #[utoipa::path(get, path = $collection, operation_id = concat!(stringify!($module), "_list"), tag = $tag, security(("bearer" = [])), params(PageQuery),
                responses((status = 200, body = $page), CommonErrors))]
            async fn list_items(State(state): State<AppState>, auth: AuthUser, ApiQuery(query): ApiQuery<PageQuery>) -> ApiResult<Json<Page<$item>>> {
                list::<$item>(state, auth, query).await
            }

            /// Creates one (super users).
            #[utoipa::path(post, path = $collection, operation_id = concat!(stringify!($module), "_create"), tag = $tag, security(("bearer" = [])), request_body = CreateBody,
                responses((status = 201, body = $item), CommonErrors))]
            async fn create_item(State(state): State<AppState>, auth: AuthUser, ApiJson(input): ApiJson<$input>) -> ApiResult<Created<$item>> {
                create::<$item>(state, auth, input).await
            }

            #[utoipa::path(get, path = $member, operation_id = concat!(stringify!($module), "_get"), tag = $tag, security(("bearer" = [])), params(("id" = i64, Path)),
                responses((status = 200, body = $item), CommonErrors))]
            async fn get_item(State(state): State<AppState>, auth: AuthUser, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<$item>> {
                get::<$item>(state, auth, id).await
            }

            /// Changes one (super users); absent fields stay as they are.
            #[utoipa::path(patch, path = $member, operation_id = concat!(stringify!($module), "_update"), tag = $tag, security(("bearer" = [])), params(("id" = i64, Path)),
                request_body = $input, responses((status = 200, body = $item), CommonErrors))]
            async fn update_item(
                State(state): State<AppState>,
                auth: AuthUser,
                ApiPath(id): ApiPath<i64>,
                ApiJson(input): ApiJson<$input>,
            ) -> ApiResult<Json<$item>> {
                update::<$item>(state, auth, id, input).await
            }

            /// Deletes one (super users): 409 `in_use` while referenced, unless `force=true`.
            #[utoipa::path(delete, path = $member, operation_id = concat!(stringify!($module), "_delete"), tag = $tag, security(("bearer" = [])),
                params(("id" = i64, Path), DeleteQuery),
                responses((status = 204, description = "Deleted"), CommonErrors, InUseRefusals))]
            async fn delete_item(
                State(state): State<AppState>,
                auth: AuthUser,
                ApiPath(id): ApiPath<i64>,
                ApiQuery(query): ApiQuery<DeleteQuery>,
            ) -> ApiResult<StatusCode> {
                delete::<$item>(state, auth, id, query.force).await
            }
        }
    };
}

pub(crate) use catalogue_resource;
