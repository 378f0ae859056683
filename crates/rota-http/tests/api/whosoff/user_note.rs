//! The User Note controller.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Integration, data, refused};
use crate::common::TestApp;

#[tokio::test]
async fn a_super_user_writes_reads_and_changes_a_note_as_the_native_api_sees_it() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let owner = Integration::of(&app, &company, &company.owner).await;
    let staff = cast.staff.id;

    let reply = owner
        .call(
            &app,
            Method::GET,
            &format!("/v4/user-note/retrieve/{staff}"),
            None,
        )
        .await;
    assert_eq!(data(&reply), &Value::Null);

    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/user-note/create/",
            Some(json!({"user_id": staff.to_string(), "note": "Prefers mornings"})),
        )
        .await;
    let id = data(&reply)["Record_ID"].as_i64().expect("Record_ID");

    let reply = owner
        .call(
            &app,
            Method::GET,
            &format!("/v4/user-note/retrieve/{staff}/"),
            None,
        )
        .await;
    let note = data(&reply);
    let mut keys: Vec<&String> = note.as_object().expect("object").keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "changed_date",
            "changed_first_name",
            "changed_id",
            "changed_last_name",
            "note",
            "type_id",
            "user_note_id"
        ]
    );
    assert_eq!(note["user_note_id"], id);
    assert_eq!(note["type_id"], 0);
    assert_eq!(note["note"], "Prefers mornings");
    assert_eq!(note["changed_id"], company.owner.id);
    assert_eq!(note["changed_first_name"], "Owen");
    assert_eq!(note["changed_last_name"], "Owner");
    let date = note["changed_date"].as_str().expect("changed_date");
    assert_eq!(date.len(), "2026-01-01T09:00:00".len(), "{date}");

    // A free note: the approver reads it natively.
    let native = app
        .get(
            &format!("/api/v1/users/{staff}/notes"),
            &cast.approver.token,
        )
        .await;
    assert_eq!(native.body["data"][0]["note"], "Prefers mornings");

    let reply = owner
        .call(
            &app,
            Method::PUT,
            "/v4/user-note/update/",
            Some(json!({"user_note_id": id.to_string(), "note": "Mornings only", "type_id": "1"})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": id}));
    // Restricted now: super users only.
    let native = app
        .get(
            &format!("/api/v1/users/{staff}/notes"),
            &cast.approver.token,
        )
        .await;
    assert_eq!(native.body["data"], json!([]));
    let native = app
        .get(
            &format!("/api/v1/users/{staff}/notes"),
            &company.owner.token,
        )
        .await;
    assert_eq!(native.body["data"][0]["note"], "Mornings only");
    assert_eq!(native.body["data"][0]["restricted"], 1);
    let audit = app
        .get("/api/v1/audit?limit=200", &company.owner.token)
        .await;
    let actions: Vec<&str> = audit.body["data"]
        .as_array()
        .map(|events| events.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert!(actions.contains(&"user.note_changed"), "{actions:?}");
}

#[tokio::test]
async fn bad_input_staff_and_other_companies_are_refused() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let owner = Integration::of(&app, &company, &company.owner).await;
    let staff = cast.staff.id;
    for (body, code, field) in [
        (json!({"user_id": staff}), "validation_failed", "note"),
        (
            json!({"user_id": staff, "note": ""}),
            "validation_failed",
            "note",
        ),
        (
            json!({"user_id": staff, "note": "x", "type_id": "2"}),
            "validation_failed",
            "type_id",
        ),
        (
            json!({"user_id": "me", "note": "x"}),
            "validation_failed",
            "user_id",
        ),
        (
            json!({"user_id": 999_999, "note": "x"}),
            "not_found",
            "user",
        ),
    ] {
        let reply = owner
            .call(
                &app,
                Method::POST,
                "/v4/user-note/create",
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, code),
            "{body}: {:?}",
            reply.body
        );
        if code == "validation_failed" {
            assert_eq!(reply.body["Errors"][0]["Field"], field, "{body}");
        }
    }
    let reply = owner
        .call(
            &app,
            Method::PUT,
            "/v4/user-note/update",
            Some(json!({"note": "x"})),
        )
        .await;
    assert_eq!(reply.body["Errors"][0]["Field"], "user_note_id");
    let reply = owner
        .call(
            &app,
            Method::PUT,
            "/v4/user-note/update",
            Some(json!({"user_note_id": 999_999, "note": "x"})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    let native = app
        .get(
            &format!("/api/v1/users/{staff}/notes"),
            &company.owner.token,
        )
        .await;
    assert_eq!(native.body["data"], json!([]));

    for member in [&cast.staff, &cast.approver] {
        let integration = Integration::of(&app, &company, member).await;
        for (method, path, body) in [
            (
                Method::POST,
                "/v4/user-note/create".to_owned(),
                Some(json!({"note": 5})),
            ),
            (Method::GET, format!("/v4/user-note/retrieve/{staff}"), None),
            (
                Method::PUT,
                "/v4/user-note/update".to_owned(),
                Some(json!({})),
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
            &format!("/v4/user-note/retrieve/{staff}"),
            None,
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    let reply = stranger
        .call(
            &app,
            Method::POST,
            "/v4/user-note/create",
            Some(json!({"user_id": staff, "note": "x"})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
}
