//! The Overtime Type controller.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Integration, data, refused};
use crate::common::TestApp;

/// An overtime type's body in WhosOff's style, numbers as strings.
fn sample() -> Value {
    json!({
        "name": "Weekend call-out", "code": "CO", "colour": "#AA3300", "requires_approval": true,
        "minimum_duration": "60", "allow_concurrent_requests": false, "notes_visible_to_id": "200",
        "available_to_id": "100", "seen_by_id": "100", "min_notice_period": "0",
        "cancellation_period": "1", "note_required": false, "email_request_id": "1",
        "email_approve_id": "1", "email_cancel_id": "0", "status_id": "1",
        "staff_url": null, "staff_note": "Say who called", "approver_url": null, "approver_note": null
    })
}

#[tokio::test]
async fn a_super_user_creates_reads_updates_and_deletes_an_overtime_type() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let owner = Integration::of(&app, &company, &company.owner).await;

    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/overtime-type/create/",
            Some(sample()),
        )
        .await;
    let id = data(&reply)["overtime_type_id"]
        .as_i64()
        .expect("overtime_type_id");

    let reply = owner
        .call(
            &app,
            Method::GET,
            &format!("/v4/overtime-type/get-by-id/{id}"),
            None,
        )
        .await;
    assert_eq!(
        data(&reply),
        &json!({
            "overtime_type_id": id, "name": "Weekend call-out", "code": "CO", "colour": "#aa3300",
            "requires_approval": true, "minimum_duration": 60, "allow_concurrent_requests": false,
            "notes_visible_to_id": 200, "available_to_id": 100, "seen_by_id": 100,
            "min_notice_period": 0, "cancellation_period": 1, "note_required": false,
            "email_request_id": 1, "email_approve_id": 1, "email_cancel_id": 0, "status_id": 1,
            "staff_url": null, "staff_note": "Say who called", "approver_url": null,
            "approver_note": null
        })
    );
    // The native API sees an overtime type.
    let native = app
        .get(&format!("/api/v1/leave-types/{id}"), &company.owner.token)
        .await;
    assert_eq!(native.body["kind"], "overtime");
    assert_eq!(native.body["deducts_allowance"], false);

    let reply = owner
        .call(
            &app,
            Method::PUT,
            "/v4/overtime-type/update",
            Some(json!({"overtime_type_id": id.to_string(), "name": "Call-out", "status_id": "0"})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": id}));
    let native = app
        .get(&format!("/api/v1/leave-types/{id}"), &company.owner.token)
        .await;
    assert_eq!(native.body["kind"], "overtime", "an update keeps the kind");
    for (status, names) in [
        ("0", vec!["Call-out"]),
        ("1", vec!["Overtime"]),
        ("99", vec!["Overtime", "Call-out"]),
    ] {
        let reply = owner
            .call(
                &app,
                Method::POST,
                "/v4/overtime-type/retrieve",
                Some(json!({"status_id": status})),
            )
            .await;
        let found: Vec<&str> = data(&reply)
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|t| t["name"].as_str())
            .collect();
        assert_eq!(found, names, "status {status}");
    }

    let reply = owner
        .call(
            &app,
            Method::DELETE,
            &format!("/v4/overtime-type/del/{id}"),
            None,
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": id}));
    let reply = owner
        .call(
            &app,
            Method::GET,
            &format!("/v4/overtime-type/get-by-id/{id}"),
            None,
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
}

#[tokio::test]
async fn leave_types_other_companies_bad_input_and_lower_levels_are_refused() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let other = app.company("Globex").await;
    let owner = Integration::of(&app, &company, &company.owner).await;
    let stranger = Integration::of(&app, &other, &other.owner).await;
    let member = app.member(&company, "staff", json!({})).await;
    let staff = Integration::of(&app, &company, &member).await;
    let types = app.leave_types(&company.owner.token).await;
    let (holiday, overtime) = (types.id("H"), types.id("O"));

    let with = |key: &str, value: Value| {
        let mut body = sample();
        body[key] = value;
        body
    };
    for (body, field) in [
        (with("code", json!("COX")), "code"),
        (with("status_id", json!("2")), "status_id"),
        (with("email_cancel_id", json!("3")), "email_cancel_id"),
        (with("seen_by_id", json!("150")), "seen_by_id"),
        // A leave type's own fields are no overtime type's.
        (
            with("deduct_allowance_id", json!("0")),
            "deduct_allowance_id",
        ),
        (with("leave_type_id", json!("1")), "leave_type_id"),
        (with("overtime_type_id", json!("1")), "overtime_type_id"),
        (json!({"name": "No code"}), "code"),
    ] {
        let reply = owner
            .call(
                &app,
                Method::POST,
                "/v4/overtime-type/create",
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
            "/v4/overtime-type/create",
            Some(json!({"name": []})),
        ),
        (
            Method::POST,
            "/v4/overtime-type/retrieve",
            Some(json!({"status_id": "x"})),
        ),
        (Method::PUT, "/v4/overtime-type/update", Some(json!({}))),
        (
            Method::GET,
            &*format!("/v4/overtime-type/get-by-id/{overtime}"),
            None,
        ),
        (
            Method::DELETE,
            &*format!("/v4/overtime-type/del/{overtime}"),
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

    // Another company's type, and a leave type, are absent here.
    for (who, id) in [(&stranger, overtime), (&owner, holiday)] {
        let reply = who
            .call(
                &app,
                Method::GET,
                &format!("/v4/overtime-type/get-by-id/{id}"),
                None,
            )
            .await;
        assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
        let reply = who
            .call(
                &app,
                Method::PUT,
                "/v4/overtime-type/update",
                Some(json!({"overtime_type_id": id, "name": "Mine"})),
            )
            .await;
        assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
        let reply = who
            .call(
                &app,
                Method::DELETE,
                &format!("/v4/overtime-type/del/{id}"),
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
    assert_eq!(
        names,
        [
            "Holiday",
            "Sickness",
            "Unpaid leave",
            "Working from home",
            "Time off in lieu",
            "Overtime"
        ]
    );
}
