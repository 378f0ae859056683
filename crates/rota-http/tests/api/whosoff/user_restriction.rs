//! The User Restriction controller.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Integration, data, refused};
use crate::common::TestApp;

#[tokio::test]
async fn a_super_user_restricts_lists_and_removes_as_the_native_api_sees_it() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let owner = Integration::of(&app, &company, &company.owner).await;
    let (staff, colleague) = (cast.staff.id, cast.approver_add.id);

    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/user-restriction/create/",
            Some(json!({"user_id": staff.to_string(), "restricted_user_id": colleague.to_string(), "reverse_entry": "true"})),
        )
        .await;
    let id = data(&reply)["user_restriction_id"]
        .as_i64()
        .expect("user_restriction_id");

    let reply = owner
        .call(
            &app,
            Method::GET,
            &format!("/v4/user-restriction/retrieve-by-user-id/{staff}/"),
            None,
        )
        .await;
    assert_eq!(
        data(&reply),
        &json!([{"user_restriction_id": id, "user_id": staff, "restricted_user_id": colleague,
                 "restricted_first_name": "approver-add", "restricted_last_name": "Tester"}])
    );
    // reverse_entry restricted the colleague too.
    let native = app
        .get(
            &format!("/api/v1/users/{colleague}/restrictions"),
            &company.owner.token,
        )
        .await;
    assert_eq!(native.body["data"][0]["restricted_user_id"], staff);

    let reply = owner
        .call(
            &app,
            Method::DELETE,
            &format!("/v4/user-restriction/del/{id}"),
            None,
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": id}));
    let native = app
        .get(
            &format!("/api/v1/users/{staff}/restrictions"),
            &company.owner.token,
        )
        .await;
    assert_eq!(native.body["data"], json!([]));
    let reply = owner
        .call(
            &app,
            Method::DELETE,
            &format!("/v4/user-restriction/del/{id}"),
            None,
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
}

#[tokio::test]
async fn bad_input_staff_and_other_companies_are_refused() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let owner = Integration::of(&app, &company, &company.owner).await;
    let staff = cast.staff.id;
    for (body, code, field) in [
        (
            json!({"user_id": staff, "restricted_user_id": staff, "reverse_entry": false}),
            "validation_failed",
            "restricted_user_id",
        ),
        (
            json!({"user_id": staff, "reverse_entry": false}),
            "validation_failed",
            "restricted_user_id",
        ),
        (
            json!({"user_id": staff, "restricted_user_id": cast.approver.id}),
            "validation_failed",
            "reverse_entry",
        ),
        (
            json!({"user_id": staff, "restricted_user_id": cast.approver.id, "reverse_entry": "maybe"}),
            "validation_failed",
            "reverse_entry",
        ),
        (
            json!({"user_id": staff, "restricted_user_id": 999_999, "reverse_entry": false}),
            "not_found",
            "restricted_user_id",
        ),
    ] {
        let reply = owner
            .call(
                &app,
                Method::POST,
                "/v4/user-restriction/create",
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, code),
            "{body}: {:?}",
            reply.body
        );
        assert_eq!(reply.body["Errors"][0]["Field"], field, "{body}");
    }
    let native = app
        .get(
            &format!("/api/v1/users/{staff}/restrictions"),
            &company.owner.token,
        )
        .await;
    assert_eq!(native.body["data"], json!([]));

    // Staff, and approvers who read restrictions natively, are refused the SUPER USER calls.
    for member in [&cast.staff, &cast.approver] {
        let integration = Integration::of(&app, &company, member).await;
        for (method, path, body) in [
            (
                Method::POST,
                "/v4/user-restriction/create".to_owned(),
                Some(json!({"user_id": "x"})),
            ),
            (
                Method::GET,
                format!("/v4/user-restriction/retrieve-by-user-id/{staff}"),
                None,
            ),
            (
                Method::DELETE,
                "/v4/user-restriction/del/1".to_owned(),
                None,
            ),
        ] {
            let reply = integration.call(&app, method, &path, body).await;
            assert_eq!(
                refused(&reply),
                (StatusCode::BAD_REQUEST, "forbidden"),
                "{path}"
            );
        }
    }

    let other = app.company("Other").await;
    let stranger = Integration::of(&app, &other, &other.owner).await;
    let reply = stranger
        .call(
            &app,
            Method::GET,
            &format!("/v4/user-restriction/retrieve-by-user-id/{staff}"),
            None,
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    let reply = stranger
        .call(
            &app,
            Method::POST,
            "/v4/user-restriction/create",
            Some(json!({"user_id": staff, "restricted_user_id": other.owner.id, "reverse_entry": false})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
}
