//! The organisation: departments, regions, locations, sites, positions and tags.

use axum::Json;
use axum::extract::State;
use rota_core::org;
use rota_core::paging::Page;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::catalogue::catalogue_resource;
use crate::api::page::page_schema;
use crate::api::users::PageQuery;
use crate::error::{ApiResult, CommonErrors};
use crate::extract::{ApiPath, ApiQuery, AuthUser};

page_schema!(
    /// A page of user ids.
    UserIdPage,
    i64
);

catalogue_resource!(
    departments,
    rota_core::org::Department,
    rota_core::org::DepartmentInput,
    DepartmentPage,
    "departments",
    "/departments",
    "/departments/{id}"
);
catalogue_resource!(
    regions,
    rota_core::org::Region,
    rota_core::org::RegionInput,
    RegionPage,
    "regions",
    "/regions",
    "/regions/{id}"
);
catalogue_resource!(
    locations,
    rota_core::org::Location,
    rota_core::org::LocationInput,
    LocationPage,
    "locations",
    "/locations",
    "/locations/{id}"
);
catalogue_resource!(
    sites,
    rota_core::org::Site,
    rota_core::org::SiteInput,
    SitePage,
    "sites",
    "/sites",
    "/sites/{id}"
);
catalogue_resource!(
    positions,
    rota_core::org::Position,
    rota_core::org::PositionInput,
    PositionPage,
    "positions",
    "/positions",
    "/positions/{id}"
);
catalogue_resource!(
    tags,
    rota_core::org::Tag,
    rota_core::org::TagInput,
    TagPage,
    "tags",
    "/tags",
    "/tags/{id}"
);

/// Which users carry a tag, in pages of user ids.
#[utoipa::path(get, path = "/tags/{id}/users", tag = "tags", security(("bearer" = [])), params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = UserIdPage, description = "Ids of the users who carry the tag"), CommonErrors))]
async fn tag_users(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<i64>>> {
    Ok(Json(
        org::tag_users(
            &state.db,
            &auth.actor,
            id,
            query.limit,
            query.cursor.as_deref(),
        )
        .await?,
    ))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(departments::router())
        .merge(regions::router())
        .merge(locations::router())
        .merge(sites::router())
        .merge(positions::router())
        .merge(tags::router())
        .routes(routes!(tag_users))
}
