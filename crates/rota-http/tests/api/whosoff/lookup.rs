//! The Lookup controller.

use reqwest::Method;
use serde_json::json;

use super::{Integration, data};
use crate::access::{new_client, token};
use crate::common::TestApp;

#[tokio::test]
async fn any_caller_looks_up_countries_and_code_lists() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let staff = Integration::of(&app, &company, &cast.staff).await;

    let reply = staff
        .call(
            &app,
            Method::POST,
            "/v4/lookup/country/",
            Some(json!({"name": "united king", "public_holiday_only": "true"})),
        )
        .await;
    let found = data(&reply).as_array().expect("array");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["country_id"], 826);
    assert_eq!(found[0]["code_2"], "GB");
    assert_eq!(found[0]["code_3"], "GBR");
    assert_eq!(found[0]["eu_member"], false);
    let reply = staff
        .call(&app, Method::POST, "/v4/lookup/country", Some(json!({})))
        .await;
    assert!(data(&reply).as_array().expect("array").len() >= 249);

    let reply = staff
        .call(&app, Method::GET, "/v4/lookup/values", None)
        .await;
    let values = data(&reply).as_array().expect("array");
    assert!(
        values.contains(
            &json!({"id": 310, "name": "super user with staff hub", "type": "user_type"})
        )
    );
    assert!(values.contains(&json!({"id": 930, "name": "declined", "type": "leave_status"})));
    assert!(values.contains(&json!({"id": 1, "name": "active", "type": "overtime_status"})));
}

#[tokio::test]
async fn a_client_of_any_scope_may_look_up_though_the_call_is_a_post() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    // Switches API access on.
    Integration::of(&app, &company, &company.owner).await;
    let client = new_client(
        &app,
        &company.owner.token,
        json!({"name": "Reader", "scopes": ["leave:read"]}),
    )
    .await;
    let reader = Integration {
        app_id: client["app_id"].as_str().expect("app id").to_owned(),
        token: token(&app, &client).await,
    };
    let reply = reader
        .call(
            &app,
            Method::POST,
            "/v4/lookup/country",
            Some(json!({"public_holiday_only": 1})),
        )
        .await;
    assert!(
        data(&reply)
            .as_array()
            .expect("array")
            .iter()
            .all(|c| c["country_id"].is_u64())
    );
}
