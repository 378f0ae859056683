//! The Leave Type controller.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Integration, data, refused};
use crate::common::TestApp;

/// WhosOff's sample body for `leave-type/create`, numbers as strings.
fn sample() -> Value {
    json!({
        "name": "Jury service", "code": "JS", "colour": "#8DA6D9", "deduct_allowance_id": "1",
        "requires_approval": true, "minimum_duration": "240", "allow_concurrent_requests": false,
        "notes_visible_to_id": "200", "available_to_id": "100", "seen_by_id": "300",
        "min_notice_period": "7", "cancellation_period": "2", "include_department_level": true,
        "note_required": true, "email_request_id": "1", "email_approve_id": "1", "email_cancel_id": "0",
        "status_id": "1", "staff_url": "https://intranet.test/jury", "staff_note": "Bring the summons",
        "approver_url": null, "approver_note": null, "message": ""
    })
}

#[tokio::test]
async fn a_super_user_creates_reads_updates_and_deletes_a_leave_type() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let owner = Integration::of(&app, &company, &company.owner).await;

    let reply = owner
        .call(&app, Method::POST, "/v4/leave-type/create/", Some(sample()))
        .await;
    let id = data(&reply)["leave_type_id"]
        .as_i64()
        .expect("leave_type_id");

    let reply = owner
        .call(
            &app,
            Method::GET,
            &format!("/v4/leave-type/get-by-id/{id}"),
            None,
        )
        .await;
    assert_eq!(
        data(&reply),
        &json!({
            "leave_type_id": id, "name": "Jury service", "code": "JS", "colour": "#8da6d9",
            "deduct_allowance_id": 1, "requires_approval": true, "minimum_duration": 240,
            "allow_concurrent_requests": false, "notes_visible_to_id": 200, "available_to_id": 100,
            "seen_by_id": 300, "min_notice_period": 7, "cancellation_period": 2,
            "include_department_level": true, "note_required": true, "email_request_id": 1,
            "email_approve_id": 1, "email_cancel_id": 0, "status_id": 1,
            "staff_url": "https://intranet.test/jury", "staff_note": "Bring the summons",
            "approver_url": null, "approver_note": null, "message": null
        })
    );

    // The native API sees the same type.
    let native = app
        .get(&format!("/api/v1/leave-types/{id}"), &company.owner.token)
        .await;
    assert_eq!(native.body["deducts_allowance"], false);
    assert_eq!(native.body["min_notice_days"], 7);
    assert_eq!(native.body["seen_by"], 300);

    // The older field name, and a type that stops being offered.
    let reply = owner
        .call(
            &app,
            Method::PUT,
            "/v4/leave-type/update",
            Some(json!({"leave_type_id": id.to_string(), "consecutive_duration": "480", "status_id": "0"})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": id}));
    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/leave-type/retrieve",
            Some(json!({"status_id": "0"})),
        )
        .await;
    let disabled = data(&reply).as_array().expect("array");
    assert_eq!(disabled.len(), 1, "{disabled:?}");
    assert_eq!(disabled[0]["minimum_duration"], 480);
    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/leave-type/retrieve",
            Some(json!({"status_id": "1"})),
        )
        .await;
    let codes: Vec<&str> = data(&reply)
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|t| t["code"].as_str())
        .collect();
    // The company's leave types, never its overtime type.
    assert_eq!(codes, ["H", "S", "U", "W", "T"]);

    let reply = owner
        .call(
            &app,
            Method::DELETE,
            &format!("/v4/leave-type/del/{id}"),
            None,
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": id}));
    let reply = owner
        .call(
            &app,
            Method::GET,
            &format!("/v4/leave-type/get-by-id/{id}"),
            None,
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
}

#[tokio::test]
async fn bad_input_and_lower_levels_are_refused() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let other = app.company("Globex").await;
    let owner = Integration::of(&app, &company, &company.owner).await;
    let stranger = Integration::of(&app, &other, &other.owner).await;
    let member = app.member(&company, "staff", json!({})).await;
    let staff = Integration::of(&app, &company, &member).await;
    let types = app.leave_types(&company.owner.token).await;
    let overtime = types.id("O");
    let holiday = types.id("H");

    let with = |key: &str, value: Value| {
        let mut body = sample();
        body[key] = value;
        body
    };
    let without = |key: &str| {
        let mut body = sample();
        body.as_object_mut().expect("object").remove(key);
        body
    };
    let cases = [
        (with("code", json!("JSV")), "code"),
        (with("colour", json!("blue")), "colour"),
        (
            with("deduct_allowance_id", json!("2")),
            "deduct_allowance_id",
        ),
        (
            with("deduct_allowance_id", json!("3")),
            "deduct_allowance_id",
        ),
        (with("email_request_id", json!("4")), "email_request_id"),
        (with("seen_by_id", json!("150")), "seen_by_id"),
        (with("status_id", json!("2")), "status_id"),
        (with("min_notice_period", json!("ten")), "min_notice_period"),
        (
            with("include_department_level", json!(false)),
            "include_department_level",
        ),
        (with("message", json!("Hello")), "message"),
        (without("name"), "name"),
        (without("deduct_allowance_id"), "deduct_allowance_id"),
    ];
    for (body, field) in cases {
        let reply = owner
            .call(
                &app,
                Method::POST,
                "/v4/leave-type/create",
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, "validation_failed"),
            "{body}"
        );
        assert_eq!(
            reply.body["Errors"][0]["Field"], field,
            "{body}: {:?}",
            reply.body
        );
    }

    // Staff may make none of these calls, whatever the body.
    for (method, path, body) in [
        (
            Method::POST,
            "/v4/leave-type/create",
            Some(json!({"name": []})),
        ),
        (
            Method::POST,
            "/v4/leave-type/retrieve",
            Some(json!({"status_id": "x"})),
        ),
        (Method::PUT, "/v4/leave-type/update", Some(json!({}))),
        (
            Method::GET,
            &*format!("/v4/leave-type/get-by-id/{holiday}"),
            None,
        ),
        (
            Method::DELETE,
            &*format!("/v4/leave-type/del/{holiday}"),
            None,
        ),
    ] {
        let reply = staff.call(&app, method, path, body).await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, "forbidden"),
            "{path}"
        );
    }

    // Another company's type, and an overtime type, are absent here.
    for (who, id) in [(&stranger, holiday), (&owner, overtime)] {
        let reply = who
            .call(
                &app,
                Method::GET,
                &format!("/v4/leave-type/get-by-id/{id}"),
                None,
            )
            .await;
        assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
        let reply = who
            .call(
                &app,
                Method::PUT,
                "/v4/leave-type/update",
                Some(json!({"leave_type_id": id, "name": "Mine"})),
            )
            .await;
        assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
        let reply = who
            .call(
                &app,
                Method::DELETE,
                &format!("/v4/leave-type/del/{id}"),
                None,
            )
            .await;
        assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    }
    let native = app
        .get("/api/v1/leave-types?limit=100", &company.owner.token)
        .await;
    let names: Vec<&str> = native.body["data"]
        .as_array()
        .expect("types")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert!(
        !names.contains(&"Jury service") && !names.contains(&"Mine"),
        "{names:?}"
    );
}
