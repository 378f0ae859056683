//! The Department controller.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Integration, data, refused};
use crate::common::TestApp;

#[tokio::test]
async fn a_super_user_creates_retrieves_updates_and_deletes_a_department() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let owner = Integration::of(&app, &company, &company.owner).await;

    // Numbers as strings, as WhosOff's samples send them, and a trailing slash.
    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/department/create/",
            Some(json!({"name": "Sales", "min_user": "2", "max_user": 9})),
        )
        .await;
    let id = data(&reply)["department_id"]
        .as_i64()
        .expect("department_id");

    let reply = owner
        .call(
            &app,
            Method::GET,
            &format!("/v4/department/retrieve/?department_id={id}"),
            None,
        )
        .await;
    assert_eq!(
        data(&reply),
        &json!([{"department_id": id, "name": "Sales", "min_user": 2, "max_user": 9}])
    );

    let reply = owner
        .call(
            &app,
            Method::PUT,
            "/v4/department/update",
            Some(json!({"department_id": id.to_string(), "name": "Field sales"})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": id}));

    let reply = owner
        .call(&app, Method::GET, "/v4/department/retrieve", None)
        .await;
    let names: Vec<&str> = data(&reply)
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect();
    assert!(names.contains(&"Field sales"), "{names:?}");

    // The native API sees the same department.
    let native = app
        .get(&format!("/api/v1/departments/{id}"), &company.owner.token)
        .await;
    assert_eq!(native.body["min_user"], 2);

    let reply = owner
        .call(
            &app,
            Method::DELETE,
            &format!("/v4/department/del/{id}/true"),
            None,
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": id}));
    let reply = owner
        .call(
            &app,
            Method::GET,
            &format!("/v4/department/retrieve?department_id={id}"),
            None,
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
}

#[tokio::test]
async fn bad_input_is_400_with_the_field_named() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let owner = Integration::of(&app, &company, &company.owner).await;
    for (body, field) in [
        (json!({"name": "Sales"}), "min_user"),
        (json!({"name": "Sales", "min_user": "two"}), "min_user"),
        (json!({"name": "Sales", "min_user": 1.5}), "min_user"),
        (
            json!({"name": "Sales", "min_user": 1, "colour": "red"}),
            "colour",
        ),
        (json!({"name": "", "min_user": 1}), "name"),
        (json!({"name": "Sales", "min_user": -1}), "min_user"),
    ] {
        let reply = owner
            .call(
                &app,
                Method::POST,
                "/v4/department/create",
                Some(body.clone()),
            )
            .await;
        let (status, _) = refused(&reply);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {:?}", reply.body);
        assert_eq!(
            reply.body["Errors"][0]["Field"], field,
            "{body}: {:?}",
            reply.body
        );
    }
    let reply = owner
        .call(&app, Method::DELETE, "/v4/department/del/12/perhaps", None)
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::BAD_REQUEST, "invalid_path_parameter")
    );
}

#[tokio::test]
async fn staff_may_read_but_not_change_and_other_companies_are_absent() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let staff = Integration::of(&app, &company, &cast.staff).await;
    let reply = staff
        .call(&app, Method::GET, "/v4/department/retrieve", None)
        .await;
    assert!(data(&reply).is_array());
    // Permission before validation: staff learn nothing of what the call would accept.
    let reply = staff
        .call(
            &app,
            Method::POST,
            "/v4/department/create",
            Some(json!({"name": 3})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "forbidden"));

    let other = app.company("Other").await;
    let stranger = Integration::of(&app, &other, &other.owner).await;
    let path = format!(
        "/v4/department/retrieve?department_id={}",
        cast.department_id
    );
    let reply = stranger.call(&app, Method::GET, &path, None).await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    let reply = stranger
        .call(
            &app,
            Method::PUT,
            "/v4/department/update",
            Some(json!({"department_id": cast.department_id, "name": "Mine"})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
}
