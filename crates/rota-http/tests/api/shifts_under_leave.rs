//! A leave request over published shifts: its approver sees the shifts it covers (each
//! day in the location's zone) and may open them by approving; a draft, another day or
//! another person's shift is not touched, and nobody else sees or opens them.

use reqwest::StatusCode;
use serde_json::json;

use crate::shifts::{shift, shop};

#[tokio::test]
async fn approving_leave_over_published_shifts_can_open_them() {
    let app = crate::common::TestApp::spawn().await;
    let s = shop(&app, "Diner").await;
    let (approver, staff) = (&s.cast.approver, &s.cast.staff);
    let make = |start: &str, end: &str, published: bool| {
        let mut body = shift(&s, Some(staff.id), start, end);
        body["published"] = json!(published);
        let (app, token) = (&app, approver.token.clone());
        async move {
            let made = app.post("/api/v1/shifts", &token, body).await;
            assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
            made.body["id"].as_i64().expect("id")
        }
    };
    // New York: the late shift of Sunday the 13th ends after midnight UTC but is Sunday's.
    let sunday_late = make(
        "2026-12-13T18:00:00-05:00",
        "2026-12-13T23:00:00-05:00",
        true,
    )
    .await;
    let monday = make(
        "2026-12-14T09:00:00-05:00",
        "2026-12-14T17:00:00-05:00",
        true,
    )
    .await;
    let tuesday_draft = make(
        "2026-12-15T09:00:00-05:00",
        "2026-12-15T17:00:00-05:00",
        false,
    )
    .await;
    let wednesday = make(
        "2026-12-16T09:00:00-05:00",
        "2026-12-16T17:00:00-05:00",
        true,
    )
    .await;

    let holiday = app.leave_types(&staff.token).await.id("H");
    let asked = app
        .post(
            "/api/v1/leave-requests",
            &staff.token,
            json!({"leave_type_id": holiday, "start_date": "2026-12-14", "end_date": "2026-12-15"}),
        )
        .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{:?}", asked.body);
    let request = asked.body["id"].as_i64().expect("id");
    let path = format!("/api/v1/leave-requests/{request}/shifts");
    let under = app.get(&path, &approver.token).await;
    assert_eq!(under.status, StatusCode::OK, "{:?}", under.body);
    let ids: Vec<i64> = under
        .body
        .as_array()
        .expect("shifts")
        .iter()
        .map(|s| s["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, [monday], "published, on the leave's days only");
    assert_eq!(app.get(&path, &staff.token).await.status, StatusCode::OK);
    let other = app.company("Elsewhere").await;
    assert_eq!(
        app.get(&path, &other.owner.token).await.status,
        StatusCode::NOT_FOUND
    );

    let approved = app
        .post(
            &format!("/api/v1/leave-requests/{request}/approve"),
            &approver.token,
            json!({"open_shifts": true}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    let holder = |id: i64| {
        let app = &app;
        let token = approver.token.clone();
        async move {
            let shift = app.get(&format!("/api/v1/shifts/{id}"), &token).await;
            shift.body["user_id"].clone()
        }
    };
    assert_eq!(holder(monday).await, json!(null), "opened");
    assert_eq!(holder(sunday_late).await, json!(staff.id));
    assert_eq!(holder(tuesday_draft).await, json!(staff.id));
    assert_eq!(holder(wednesday).await, json!(staff.id));
    let history = app
        .get(&format!("/api/v1/shifts/{monday}/history"), &approver.token)
        .await;
    assert_eq!(
        history.body["data"]
            .as_array()
            .and_then(|h| h.last())
            .map(|h| h["reason"].clone()),
        Some(json!("unassign"))
    );
    // Nothing is under it any more.
    let under = app.get(&path, &approver.token).await;
    assert_eq!(under.body, json!([]));
}
