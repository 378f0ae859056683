//! The Work controller.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Integration, data, refused};
use crate::common::TestApp;

fn week(user_id: i64, start_date: &str) -> Value {
    json!({"user_id": user_id.to_string(), "start_date": start_date, "monday": "480", "tuesday": "480",
           "wednesday": "480", "thursday": "480", "friday": "240", "saturday": "0", "sunday": "0",
           "allowance_type_id": "0", "monday_label": null})
}

#[tokio::test]
async fn an_approver_sets_reads_and_removes_a_pattern_the_native_api_sees() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let approver = Integration::of(&app, &company, &cast.approver).await;

    let reply = approver
        .call(
            &app,
            Method::POST,
            "/v4/work/create/",
            Some(week(cast.staff.id, "2026-01-05")),
        )
        .await;
    let work_id = data(&reply)["work_id"].as_i64().expect("work_id");

    let path = format!("/v4/work/retrieve/{}", cast.staff.id);
    let reply = approver.call(&app, Method::GET, &path, None).await;
    assert_eq!(
        data(&reply),
        &json!([{"work_id": work_id, "user_id": cast.staff.id, "start_date": "2026-01-05",
                 "monday": 480, "tuesday": 480, "wednesday": 480, "thursday": 480, "friday": 240,
                 "saturday": 0, "sunday": 0}])
    );
    let native = app
        .get(
            &format!("/api/v1/users/{}/work-patterns", cast.staff.id),
            &company.owner.token,
        )
        .await;
    assert_eq!(native.body["data"][0]["friday"], 240);

    let reply = approver
        .call(
            &app,
            Method::DELETE,
            &format!("/v4/work/del/{work_id}"),
            None,
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": work_id}));
    let reply = approver.call(&app, Method::GET, &path, None).await;
    assert_eq!(data(&reply), &json!([]));
    let reply = approver
        .call(
            &app,
            Method::DELETE,
            &format!("/v4/work/del/{work_id}"),
            None,
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
}

#[tokio::test]
async fn what_rota_cannot_keep_is_refused_and_staff_may_not_set_patterns() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let owner = Integration::of(&app, &company, &company.owner).await;
    let staff = Integration::of(&app, &company, &cast.staff).await;

    let mut labelled = week(cast.staff.id, "2026-01-05");
    labelled["tuesday_label"] = json!(3);
    let mut long_day = week(cast.staff.id, "2026-01-05");
    long_day["monday"] = json!(1441);
    let mut unit = week(cast.staff.id, "2026-01-05");
    unit["allowance_type_id"] = json!(2);
    let mut date = week(cast.staff.id, "2026-01-05");
    date["start_date"] = json!("05/01/2026");
    for (body, field) in [
        (labelled, "tuesday_label"),
        (long_day, "monday"),
        (unit, "allowance_type_id"),
        (date, "start_date"),
    ] {
        let reply = owner
            .call(&app, Method::POST, "/v4/work/create", Some(body))
            .await;
        assert_eq!(
            refused(&reply).0,
            StatusCode::BAD_REQUEST,
            "{:?}",
            reply.body
        );
        assert_eq!(reply.body["Errors"][0]["Field"], field, "{:?}", reply.body);
    }
    let reply = owner
        .call(
            &app,
            Method::GET,
            &format!("/v4/work/retrieve/{}", cast.staff.id),
            None,
        )
        .await;
    assert_eq!(data(&reply), &json!([]), "nothing was written");

    let reply = staff
        .call(
            &app,
            Method::POST,
            "/v4/work/create",
            Some(json!({"user_id": "me"})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "forbidden"));

    let other = app.company("Other").await;
    let stranger = Integration::of(&app, &other, &other.owner).await;
    let reply = stranger
        .call(
            &app,
            Method::POST,
            "/v4/work/create",
            Some(week(cast.staff.id, "2026-01-05")),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
}
