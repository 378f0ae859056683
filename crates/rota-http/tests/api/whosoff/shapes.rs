//! The response shapes integrations depend on, pinned: one call of each controller against
//! a fixed fixture, each answer reduced to its shape (every scalar replaced by its JSON
//! type name, one element per array) and snapshot, so that a renamed, removed or retyped
//! field fails here. The face's own OpenAPI document is pinned beside them. After an
//! intended change: `INSTA_UPDATE=always cargo test -p rota-http --test api shapes`, and
//! review the diff.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::authenticate::{WITH_CREDENTIALS, enabled};
use super::{Integration, data, document};
use crate::common::{PASSWORD, Reply, TestApp};

/// A value's shape: scalars become their JSON type's name, an array keeps its first
/// element's shape, an object keeps its keys.
fn shape(value: &Value) -> Value {
    match value {
        Value::Null => json!("null"),
        Value::Bool(_) => json!("boolean"),
        Value::Number(_) => json!("number"),
        Value::String(_) => json!("string"),
        Value::Array(items) => Value::Array(items.first().map(shape).into_iter().collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, value)| (key.clone(), shape(value)))
                .collect(),
        ),
    }
}

/// Pins the status and the shape of one answer under `name`.
fn pin(name: &str, reply: &Reply) {
    let pinned = json!({"status": reply.status.as_u16(), "body": shape(&reply.body)});
    insta::assert_json_snapshot!(name, pinned);
}

#[test]
fn a_shape_keeps_keys_and_one_element_per_array() {
    let value = json!({"a": 1, "b": [{"c": "x", "d": null}, {"c": "y"}], "e": [], "f": true});
    assert_eq!(
        shape(&value),
        json!({"a": "number", "b": [{"c": "string", "d": "null"}], "e": [], "f": "boolean"})
    );
}

#[tokio::test]
async fn every_controllers_answer_keeps_its_shape() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let types = app.leave_types(&company.owner.token).await;
    let (holiday, overtime) = (types.id("H"), types.id("O"));

    let client = enabled(&app, &company).await;
    let reply = client
        .authenticate(
            &app,
            WITH_CREDENTIALS,
            client.credentials(&company.owner.email, PASSWORD),
        )
        .await;
    pin("authenticate_with_credentials", &reply);

    let owner = Integration::of(&app, &company, &company.owner).await;
    let staff = Integration::of(&app, &company, &cast.staff).await;
    let approver = Integration::of(&app, &company, &cast.approver).await;
    // The fixture: a day of leave and an evening's overtime of the staff member, a tag on
    // them, their working week, and a company message.
    let day = json!({"leave_type_id": holiday, "start_date": "2027-03-01T00:00",
                     "end_date": "2027-03-02T00:00", "note": "Dentist"});
    let reply = staff
        .call(&app, Method::POST, "/v4/leave/submit", Some(day))
        .await;
    pin("leave_submit", &reply);
    let leave_id = data(&reply)["leave_id"].as_i64().expect("leave_id");
    let evening = json!({"overtime_type_id": overtime, "start_date": "2027-03-02T17:00",
                         "end_date": "2027-03-02T19:00"});
    let reply = staff
        .call(&app, Method::POST, "/v4/overtime/submit", Some(evening))
        .await;
    let overtime_id = data(&reply)["overtime_id"].as_i64().expect("overtime_id");
    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/tag/create",
            Some(json!({"name": "Fire warden"})),
        )
        .await;
    let tag_id = data(&reply)["tag_id"].as_i64().expect("tag_id");
    let tagged = json!({"user_id": cast.staff.id, "tag_id": tag_id});
    let reply = owner
        .call(&app, Method::POST, "/v4/map-user-tag/create", Some(tagged))
        .await;
    data(&reply);
    let week = json!({"user_id": cast.staff.id, "start_date": "2026-01-05", "monday": 450,
        "tuesday": 450, "wednesday": 450, "thursday": 450, "friday": 450, "saturday": 0,
        "sunday": 0, "allowance_type_id": 0});
    let reply = owner
        .call(&app, Method::POST, "/v4/work/create", Some(week))
        .await;
    data(&reply);
    let message = json!({"kind": "announcement", "title": "Office move",
        "message": "We move on Monday", "start_date": "2099-01-05", "end_date": "2099-01-09"});
    let made = app
        .post("/api/v1/annotations", &company.owner.token, message)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);

    let march = json!({"date_option": "0", "start_date": "2027-03-01", "end_date": "2027-03-31"});
    let everyone = json!({"map_type_id": "0", "map_id": "0", "date_option": "0",
                          "start_date": "2027-03-01", "end_date": "2027-03-31"});
    let staff_id = cast.staff.id;
    let calls: Vec<(&str, &str, Method, String, Option<Value>)> = vec![
        (
            "user_retrieve_v4",
            "owner",
            Method::POST,
            "/v4/user/retrieve".into(),
            Some(json!({"map_type_id": "0"})),
        ),
        (
            "user_retrieve_v4_1",
            "owner",
            Method::POST,
            "/v4.1/user/retrieve".into(),
            Some(json!({"map_type_id": "0"})),
        ),
        (
            "user_get_by_id",
            "owner",
            Method::GET,
            format!("/v4/user/get-by-id/{staff_id}"),
            None,
        ),
        (
            "user_my_staff",
            "approver",
            Method::POST,
            "/v4/user/my-staff".into(),
            Some(json!({"staff_filter": "0"})),
        ),
        (
            "leave_get_by_id",
            "staff",
            Method::GET,
            format!("/v4/leave/get-by-id/{leave_id}"),
            None,
        ),
        (
            "leave_my",
            "staff",
            Method::POST,
            "/v4/leave/my".into(),
            Some(march),
        ),
        (
            "leave_get",
            "approver",
            Method::POST,
            "/v4/leave/get".into(),
            Some(everyone),
        ),
        (
            "whosoff_retrieve",
            "staff",
            Method::POST,
            "/v4/whosoff/retrieve".into(),
            Some(
                json!({"map_type_id": "0", "map_id": "0", "start_date": "2027-03-01",
                     "end_date": "2027-03-31", "include_free_restricted": false,
                     "include_only_whosoff": true}),
            ),
        ),
        (
            "leave_type_retrieve",
            "owner",
            Method::POST,
            "/v4/leave-type/retrieve".into(),
            Some(json!({"status_id": "1"})),
        ),
        (
            "user_allowance_retrieve",
            "staff",
            Method::POST,
            "/v4/user-allowance/retrieve".into(),
            Some(json!({"user_id": staff_id, "start_date": "2027-03-01"})),
        ),
        (
            "overtime_get_by_id",
            "staff",
            Method::GET,
            format!("/v4/overtime/get-by-id/{overtime_id}"),
            None,
        ),
        (
            "department_retrieve",
            "staff",
            Method::GET,
            "/v4/department/retrieve".into(),
            None,
        ),
        (
            "tag_retrieve",
            "staff",
            Method::GET,
            format!("/v4/tag/retrieve?tag_id={tag_id}"),
            None,
        ),
        (
            "work_retrieve",
            "staff",
            Method::GET,
            format!("/v4/work/retrieve/{staff_id}"),
            None,
        ),
        (
            "lookup_values",
            "staff",
            Method::GET,
            "/v4/lookup/values".into(),
            None,
        ),
        (
            "company_message_retrieve",
            "staff",
            Method::POST,
            "/v4/company-message/retrieve".into(),
            Some(json!({"map_type_id": "0"})),
        ),
        // A refusal (a user level below the call's) and an unknown endpoint.
        (
            "refused_forbidden",
            "staff",
            Method::POST,
            "/v4/leave/get".into(),
            Some(json!({})),
        ),
        (
            "unknown_endpoint",
            "staff",
            Method::GET,
            "/v4/nothing/here".into(),
            None,
        ),
    ];
    for (name, who, method, path, body) in calls {
        let who = match who {
            "owner" => &owner,
            "staff" => &staff,
            _ => &approver,
        };
        let reply = who.call(&app, method, &path, body).await;
        pin(name, &reply);
    }
}

/// The face's own document, pinned as the native one is (`tests/api/openapi.rs`).
#[tokio::test]
async fn the_faces_document_is_pinned_by_its_snapshot() {
    let app = TestApp::spawn().await;
    let reply = document(&app).await;
    assert_eq!(reply.status, StatusCode::OK);
    insta::assert_json_snapshot!("whosoff_openapi", reply.body);
}
