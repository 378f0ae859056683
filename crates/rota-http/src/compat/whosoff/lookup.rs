//! The Lookup controller: `country` (ISO 3166-1 countries, by name, optionally only those
//! whose public holidays Rota knows; `country_id` is the ISO numeric code) and `values`
//! (every code list the face's fields use, as `{id, name, type}`). Any authenticated
//! caller may look up (user level NONE).

use axum::extract::State;
use rota_core::countries::{self, CountryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope};
use super::extract::{Body, Caller};
use crate::AppState;
use crate::compat::lenient::Flag;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(country))
        .routes(routes!(values))
}

/// `lookup/country`'s body; both fields may be left out.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountryQuery {
    /// Part of the country's name, in any case.
    name: Option<String>,
    /// Only countries whose public holidays are known.
    public_holiday_only: Option<Flag>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CountryRecord {
    /// ISO 3166-1 numeric.
    country_id: u32,
    name: &'static str,
    /// ISO 3166-1 alpha-2, the code Rota's own API uses.
    code_2: &'static str,
    code_3: &'static str,
    eu_member: bool,
}

/// One value of a code list.
#[derive(Debug, Serialize, ToSchema)]
pub struct LookupValue {
    id: i64,
    name: &'static str,
    /// The list: the field name it is used in, without `_id`.
    #[serde(rename = "type")]
    list: &'static str,
}

/// WhosOff's code lists, by the field they are used in.
const VALUES: &[(&str, &[(i64, &str)])] = &[
    (
        "user_type",
        &[
            (100, "staff"),
            (200, "approver"),
            (210, "approver plus add"),
            (220, "approver plus add edit cancel"),
            (300, "super user"),
            (310, "super user with staff hub"),
        ],
    ),
    ("status", &[(0, "disabled"), (1, "active")]),
    (
        "user_status",
        &[(0, "disabled"), (1, "active"), (99, "both")],
    ),
    ("email_type", &[(0, "none"), (1, "text"), (2, "html")]),
    ("allowance_type", &[(0, "days"), (1, "hours")]),
    (
        "approver_role",
        &[
            (0, "none"),
            (1, "approver both"),
            (2, "approver leave only"),
            (3, "approver overtime only"),
            (4, "notifier both"),
            (5, "notifier leave only"),
            (6, "notifier overtime only"),
        ],
    ),
    ("default_view_type", &[(1, "department"), (2, "tag")]),
    (
        "default_sorting",
        &[
            (0, "no sort"),
            (1, "first name asc"),
            (2, "first name desc"),
            (3, "last name asc"),
            (4, "last name desc"),
        ],
    ),
    (
        "user_map_type",
        &[
            (0, "company"),
            (1, "department"),
            (2, "tag"),
            (3, "staff"),
            (4, "my staff"),
            (5, "by approver"),
        ],
    ),
    (
        "leave_status",
        &[
            (1, "pending"),
            (100, "approved"),
            (900, "cancelled"),
            (930, "declined"),
        ],
    ),
    (
        "leave_status_filter",
        &[
            (0, "approved and pending"),
            (1, "pending only"),
            (100, "approved only"),
            (900, "cancelled only"),
            (930, "declined only"),
            (1000, "approved and declined"),
            (1010, "cancelled and declined"),
        ],
    ),
    ("overtime_status", &[(0, "disabled"), (1, "active")]),
    (
        "date_option",
        &[
            (0, "custom"),
            (1, "this year"),
            (2, "next year"),
            (3, "last year"),
        ],
    ),
    ("user_note_type", &[(0, "free"), (1, "restricted")]),
];

/// Countries by name. User level NONE.
#[utoipa::path(post, path = "/v4/lookup/country", tag = "lookup", request_body = CountryQuery,
    responses((status = 200, body = Envelope<Vec<CountryRecord>>)))]
async fn country(_caller: Caller, body: Body) -> Answer<Vec<CountryRecord>> {
    let query: CountryQuery = body.parse()?;
    let filter = CountryFilter {
        name: query.name,
        public_holidays_only: query.public_holiday_only.is_some_and(Flag::get),
    };
    let records = countries::lookup(&filter)
        .into_iter()
        .map(|country| CountryRecord {
            country_id: country.numeric,
            name: country.name,
            code_2: country.alpha2,
            code_3: country.alpha3,
            eu_member: country.eu_member,
        })
        .collect();
    Envelope::ok(records)
}

/// Every code list. User level NONE.
#[utoipa::path(get, path = "/v4/lookup/values", tag = "lookup",
    responses((status = 200, body = Envelope<Vec<LookupValue>>)))]
async fn values(State(_state): State<AppState>, _caller: Caller) -> Answer<Vec<LookupValue>> {
    let values = VALUES
        .iter()
        .flat_map(|(list, entries)| {
            entries
                .iter()
                .map(move |&(id, name)| LookupValue { id, name, list })
        })
        .collect();
    Envelope::ok(values)
}

#[cfg(test)]
mod tests {
    use rota_core::people::types::{ApproverRole, UserType};

    use super::*;

    fn list(name: &str) -> Vec<i64> {
        VALUES
            .iter()
            .find(|(list, _)| *list == name)
            .map(|(_, entries)| entries.iter().map(|(id, _)| *id).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_role_lists_are_the_cores_codes() {
        let user_types: Vec<i64> = UserType::ALL.iter().map(|t| t.code()).collect();
        assert_eq!(list("user_type"), user_types);
        let roles: Vec<i64> = [
            "none",
            "approver_both",
            "approver_leave",
            "approver_overtime",
            "notifier_both",
            "notifier_leave",
            "notifier_overtime",
        ]
        .into_iter()
        .map(|name| ApproverRole::from_stored(name).expect("a role").code())
        .collect();
        assert_eq!(list("approver_role"), roles);
    }

    #[test]
    fn the_leave_status_filters_are_those_the_face_reads() {
        for code in list("leave_status_filter") {
            assert!(crate::compat::codes::whosoff_status_filter(code).is_ok());
        }
    }
}
