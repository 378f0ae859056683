//! Reports: the my-staff report.

use axum::Json;
use axum::extract::State;
use rota_core::leave::report::{self, MyStaffReport, StaffFilter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiResult, CommonErrors};
use crate::extract::{ApiQuery, AuthUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_staff))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MyStaffQuery {
    /// First day of the period the statistics cover.
    #[param(value_type = rota_core::openapi::Date)]
    from: String,
    /// Last day of the period.
    #[param(value_type = rota_core::openapi::Date)]
    to: String,
    /// `all` (default), `with_pending` or `with_leave`.
    #[param(inline)]
    staff_filter: Option<StaffFilter>,
}

/// For the staff the caller approves for (the company, for a super user): each person's
/// pending requests and overtime and this and next year's allowance figures; an overview of
/// absence over the period; a per-leave-type overview; a breakdown by type; and occurrences
/// by duration. Approvers and super users.
#[utoipa::path(get, path = "/reports/my-staff", operation_id = "my_staff_report", tag = "reports", security(("bearer" = [])), params(MyStaffQuery),
    responses((status = 200, body = MyStaffReport), CommonErrors))]
async fn my_staff(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiQuery(query): ApiQuery<MyStaffQuery>,
) -> ApiResult<Json<MyStaffReport>> {
    Ok(Json(
        report::my_staff(
            &state.db,
            &auth.actor,
            &query.from,
            &query.to,
            query.staff_filter.unwrap_or_default(),
        )
        .await?,
    ))
}
