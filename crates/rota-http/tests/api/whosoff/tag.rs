//! The Tag and Map User Tag controllers.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Integration, data, refused};
use crate::common::TestApp;

#[tokio::test]
async fn a_super_user_keeps_tags_and_puts_them_on_people() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let owner = Integration::of(&app, &company, &company.owner).await;

    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/tag/create/",
            Some(json!({"name": "First aider"})),
        )
        .await;
    let tag = data(&reply)["tag_id"].as_i64().expect("tag_id");
    let reply = owner
        .call(
            &app,
            Method::PUT,
            "/v4/tag/update/",
            Some(json!({"tag_id": tag.to_string(), "name": "First aid"})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"tag_id": tag}));
    let reply = owner
        .call(
            &app,
            Method::GET,
            &format!("/v4/tag/retrieve/?tag_id={tag}"),
            None,
        )
        .await;
    assert_eq!(data(&reply), &json!([{"tag_id": tag, "name": "First aid"}]));

    // Tagging twice counts once; the native API sees the tag on the person.
    for _ in 0..2 {
        let reply = owner
            .call(
                &app,
                Method::POST,
                "/v4/map-user-tag/create",
                Some(json!({"user_id": cast.staff.id.to_string(), "tag_id": tag})),
            )
            .await;
        assert_eq!(
            data(&reply),
            &json!({"user_id": cast.staff.id, "tag_id": tag})
        );
    }
    let reply = owner
        .call(
            &app,
            Method::GET,
            &format!("/v4/map-user-tag/retrieve?tag_id={tag}"),
            None,
        )
        .await;
    assert_eq!(
        data(&reply),
        &json!([{"user_id": cast.staff.id, "tag_id": tag}])
    );
    let native = app
        .get(
            &format!("/api/v1/users/{}", cast.staff.id),
            &company.owner.token,
        )
        .await;
    assert_eq!(native.body["tags"], json!([tag]));

    // A tag someone carries is deleted only with force_removal.
    let reply = owner
        .call(
            &app,
            Method::DELETE,
            &format!("/v4/tag/del/{tag}/false"),
            None,
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "in_use"));
    let path = format!("/v4/map-user-tag/del/{}/{tag}", cast.staff.id);
    let reply = owner.call(&app, Method::DELETE, &path, None).await;
    assert_eq!(data(&reply), &json!({"Record_ID": cast.staff.id}));
    let reply = owner
        .call(
            &app,
            Method::DELETE,
            &format!("/v4/tag/del/{tag}/false"),
            None,
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": tag}));
}

#[tokio::test]
async fn staff_may_not_tag_and_other_companies_are_absent() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let owner = Integration::of(&app, &company, &company.owner).await;
    let staff = Integration::of(&app, &company, &cast.staff).await;
    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/tag/create",
            Some(json!({"name": "Keyholder"})),
        )
        .await;
    let tag = data(&reply)["tag_id"].as_i64().expect("tag_id");

    for (method, path, body) in [
        (
            Method::POST,
            "/v4/tag/create".to_owned(),
            Some(json!({"name": ""})),
        ),
        (
            Method::PUT,
            "/v4/tag/update".to_owned(),
            Some(json!({"tag_id": "x"})),
        ),
        (
            Method::POST,
            "/v4/map-user-tag/create".to_owned(),
            Some(json!({"user_id": "me"})),
        ),
        (
            Method::DELETE,
            format!("/v4/map-user-tag/del/{}/{tag}", cast.staff.id),
            None,
        ),
    ] {
        let reply = staff.call(&app, method.clone(), &path, body).await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, "forbidden"),
            "{method} {path}"
        );
    }

    let other = app.company("Other").await;
    let stranger = Integration::of(&app, &other, &other.owner).await;
    let reply = stranger
        .call(
            &app,
            Method::POST,
            "/v4/map-user-tag/create",
            Some(json!({"user_id": cast.staff.id, "tag_id": tag})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    let mine = stranger
        .call(
            &app,
            Method::POST,
            "/v4/tag/create",
            Some(json!({"name": "Mine"})),
        )
        .await;
    let mine = data(&mine)["tag_id"].as_i64().expect("tag_id");
    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/map-user-tag/create",
            Some(json!({"user_id": cast.staff.id, "tag_id": mine})),
        )
        .await;
    let (status, code) = refused(&reply);
    assert_eq!((status, code), (StatusCode::BAD_REQUEST, "not_found"));
    assert_eq!(reply.body["Errors"][0]["Field"], "tag_id");
    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/tag/create",
            Some(json!({"name": "x".repeat(101)})),
        )
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::BAD_REQUEST, "validation_failed")
    );
}
