//! Public holidays: the countries and regions Rota knows, and their days.

use axum::Json;
use rota_core::holidays::{self, CountryInfo, PublicHoliday};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiResult, CommonErrors};
use crate::extract::{ApiQuery, AuthUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(countries))
        .routes(routes!(list))
}

/// Every country with public holidays, its years and its subdivisions. A bare array, not a
/// page: the list is bounded by nature (a table compiled into the server).
#[utoipa::path(get, path = "/public-holidays/countries", tag = "leave", security(("bearer" = [])),
    responses((status = 200, body = Vec<CountryInfo>), CommonErrors))]
async fn countries(_auth: AuthUser) -> Json<Vec<CountryInfo>> {
    Json(holidays::countries())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HolidayQuery {
    /// ISO 3166-1 alpha-2, such as `GB`.
    #[param(value_type = rota_core::openapi::Country)]
    country: String,
    /// A subdivision code from the country list, such as `SCT`.
    subdivision: Option<String>,
    #[param(value_type = rota_core::openapi::Date)]
    from: String,
    #[param(value_type = rota_core::openapi::Date)]
    to: String,
}

/// The public holidays of a country (and region) between two dates, both included. A bare
/// array, not a page: the list is bounded by nature (one country's holidays over the
/// years the request names).
#[utoipa::path(get, path = "/public-holidays", tag = "leave", security(("bearer" = [])), params(HolidayQuery),
    responses((status = 200, body = Vec<PublicHoliday>), CommonErrors))]
async fn list(
    _auth: AuthUser,
    ApiQuery(query): ApiQuery<HolidayQuery>,
) -> ApiResult<Json<Vec<PublicHoliday>>> {
    Ok(Json(holidays::listing(
        &query.country,
        query.subdivision.as_deref(),
        &query.from,
        &query.to,
    )?))
}
