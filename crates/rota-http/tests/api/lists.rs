//! One list shape: every list answers `{data, next_cursor}`, pages by `limit` and `cursor`
//! and refuses a bad limit or another listing's cursor, the same way everywhere.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::TestApp;

fn ids(page: &Value) -> Vec<i64> {
    page["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|item| item.as_i64().or_else(|| item["id"].as_i64()).expect("id"))
        .collect()
}

/// Every page of `path`, `limit` at a time, following `next_cursor`.
async fn walk(app: &TestApp, path: &str, token: &str, limit: usize) -> Vec<Vec<i64>> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}?limit={limit}&cursor={c}"),
            None => format!("{path}?limit={limit}"),
        };
        let page = app.get(&url, token).await;
        assert_eq!(page.status, StatusCode::OK, "{url}: {:?}", page.body);
        pages.push(ids(&page.body));
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    pages
}

#[tokio::test]
async fn a_short_list_walks_in_pages_and_each_cursor_belongs_to_its_listing() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let owner = &company.owner.token;
    let tag = app
        .post("/api/v1/tags", owner, json!({"name": "Keys"}))
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let mut members = Vec::new();
    for handle in ["ann", "bob", "cat"] {
        members.push(
            app.member(&company, handle, json!({"tags": [tag]}))
                .await
                .id,
        );
    }
    let tag_users = format!("/api/v1/tags/{tag}/users");

    let pages = walk(&app, &tag_users, owner, 2).await;

    assert_eq!(pages, vec![members[..2].to_vec(), members[2..].to_vec()]);
    let first = app.get(&format!("{tag_users}?limit=2"), owner).await;
    let cursor = first.body["next_cursor"].as_str().expect("cursor");
    let elsewhere = app
        .get(&format!("/api/v1/users/approvers?cursor={cursor}"), owner)
        .await;
    assert_eq!(elsewhere.status, StatusCode::BAD_REQUEST);
    assert_eq!(elsewhere.code(), "invalid_cursor");
}

#[tokio::test]
async fn every_list_answers_the_envelope_and_checks_its_limit() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let owner = &company.owner.token;
    let cast = app.cast(&company).await;
    let tag = app
        .post("/api/v1/tags", owner, json!({"name": "Keys"}))
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let types = app.leave_types(owner).await;
    let request = app
        .post(
            "/api/v1/leave-requests",
            owner,
            json!({"user_id": cast.staff.id, "leave_type_id": types.id("H"),
                   "start_date": "2027-03-04", "end_date": "2027-03-04"}),
        )
        .await;
    assert_eq!(request.status, StatusCode::CREATED, "{:?}", request.body);
    let request = request.body["id"].as_i64().expect("id");
    let staff = cast.staff.id;
    let lists = [
        format!("/api/v1/leave-requests/{request}/comments"),
        format!("/api/v1/users/{staff}/notes"),
        format!("/api/v1/users/{staff}/restrictions"),
        format!("/api/v1/users/{staff}/work-patterns"),
        "/api/v1/company/work-patterns".to_owned(),
        format!("/api/v1/tags/{tag}/users"),
        "/api/v1/webhooks".to_owned(),
        "/api/v1/users/approvers".to_owned(),
        "/api/v1/ical-feeds".to_owned(),
        "/api/v1/api-clients".to_owned(),
        "/api/v1/api-keys".to_owned(),
        "/api/v1/times".to_owned(),
    ];
    for list in &lists {
        let page = app.get(list, owner).await;
        assert_eq!(page.status, StatusCode::OK, "{list}: {:?}", page.body);
        assert!(page.body["data"].is_array(), "{list}: {:?}", page.body);
        assert!(page.body["next_cursor"].is_null(), "{list}: one page only");
        let refused = app.get(&format!("{list}?limit=0"), owner).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{list}");
        assert_eq!(refused.field(), Some("limit"), "{list}");
    }
}

#[tokio::test]
async fn work_patterns_walk_newest_start_date_first_across_pages() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let owner = &company.owner.token;
    let mut by_start = Vec::new();
    // Added out of order, so that the id order is not the listing's.
    for start_date in ["2026-01-05", "2027-01-04", "2026-06-01"] {
        let week = json!({"start_date": start_date, "monday": 480, "tuesday": 480,
            "wednesday": 480, "thursday": 480, "friday": 480, "saturday": 0, "sunday": 0});
        let added = app.post("/api/v1/company/work-patterns", owner, week).await;
        assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
        by_start.push((start_date, added.body["id"].as_i64().expect("id")));
    }
    by_start.sort();
    let newest_first: Vec<i64> = by_start.iter().rev().map(|(_, id)| *id).collect();

    let pages = walk(&app, "/api/v1/company/work-patterns", owner, 2).await;

    assert_eq!(
        pages,
        vec![newest_first[..2].to_vec(), newest_first[2..].to_vec()]
    );
}
