//! The Company Message controller, over the native API's announcements.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Integration, data, refused};
use crate::common::TestApp;

#[tokio::test]
async fn staff_read_the_announcements_made_natively() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let staff = Integration::of(&app, &company, &cast.staff).await;
    let announce = |title: &str, department: Option<i64>, start: &str, end: &str| {
        json!({"kind": "announcement", "title": title, "message": format!("About {title}"),
               "start_date": start, "end_date": end, "department_id": department})
    };
    let mut ids = Vec::new();
    for body in [
        announce("Office move", None, "2098-01-05", "2098-01-09"),
        announce(
            "Stocktake",
            Some(cast.department_id),
            "2099-03-02",
            "2099-03-02",
        ),
        announce("Old news", None, "2001-01-01", "2001-01-02"),
        json!({"kind": "business_closed", "title": "Closed", "start_date": "2099-12-25", "end_date": "2099-12-25"}),
    ] {
        let reply = app
            .post("/api/v1/annotations", &company.owner.token, body)
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        ids.push(reply.body["id"].as_i64().expect("id"));
    }

    let reply = staff
        .call(
            &app,
            Method::POST,
            "/v4/company-message/retrieve/",
            Some(json!({"map_type_id": "0", "map_id": "0"})),
        )
        .await;
    assert_eq!(
        data(&reply),
        &json!({"company_message_id": ids[0], "title": "Office move", "start_date": "2098-01-05T00:00:00",
                "end_date": "2098-01-10T00:00:00", "map_type_id": 0, "total": 1})
    );
    let reply = staff
        .call(
            &app,
            Method::POST,
            "/v4/company-message/retrieve",
            Some(json!({"map_type_id": 1, "map_id": cast.department_id})),
        )
        .await;
    assert_eq!(data(&reply)["company_message_id"], ids[1]);
    assert_eq!(data(&reply)["map_type_id"], 1);
    assert_eq!(data(&reply)["total"], 2);

    let path = format!("/v4/company-message/retrieve-by-id/{}", ids[1]);
    let reply = staff.call(&app, Method::GET, &path, None).await;
    assert_eq!(data(&reply)["message"], "About Stocktake");
    assert_eq!(data(&reply)["end_date"], "2099-03-03T00:00:00");
    // A closure is no message.
    let path = format!("/v4/company-message/retrieve-by-id/{}", ids[3]);
    let reply = staff.call(&app, Method::GET, &path, None).await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));

    for body in [
        json!({"map_type_id": 2}),
        json!({"map_type_id": 1}),
        json!({"map_type_id": "one"}),
    ] {
        let reply = staff
            .call(
                &app,
                Method::POST,
                "/v4/company-message/retrieve",
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, "validation_failed"),
            "{body}"
        );
    }

    let other = app.company("Other").await;
    let stranger = Integration::of(&app, &other, &other.owner).await;
    let reply = stranger
        .call(
            &app,
            Method::POST,
            "/v4/company-message/retrieve",
            Some(json!({"map_type_id": 1, "map_id": cast.department_id})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    let reply = stranger
        .call(
            &app,
            Method::POST,
            "/v4/company-message/retrieve",
            Some(json!({})),
        )
        .await;
    assert_eq!(data(&reply), &json!(null));
    let path = format!("/v4/company-message/retrieve-by-id/{}", ids[0]);
    let reply = stranger.call(&app, Method::GET, &path, None).await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
}
