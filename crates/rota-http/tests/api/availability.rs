//! Availability events: staff say when they are unavailable, weekly; their manager reads
//! it, and giving them a shift (or a repeating shift) over it is refused with
//! `outside_availability` unless overridden.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::TestApp;
use crate::shifts::{shift, shop};

#[tokio::test]
async fn a_shift_over_a_weekly_unavailable_time_is_refused_unless_overridden() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Deli").await;
    let (approver, staff) = (&s.cast.approver, &s.cast.staff);
    // Mondays, 08:00 to 12:00 in New York, through December 2026.
    let made = app
        .post(
            "/api/v1/availability-events",
            &staff.token,
            json!({"kind": "unavailable", "starts_at": "2026-12-07T08:00:00-05:00",
                   "ends_at": "2026-12-07T12:00:00-05:00", "time_zone": "America/New_York",
                   "weekdays": 1, "until": "2026-12-28", "notes": "School run"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_eq!(made.body["user_id"], staff.id);
    assert_eq!(made.body["starts_at"], "2026-12-07T08:00:00-05:00");
    let event = format!("/api/v1/availability-events/{}", made.body["id"]);

    let listed = app
        .get(
            &format!("/api/v1/availability-events?user_id={}", staff.id),
            &approver.token,
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    assert_eq!(listed.body["data"].as_array().map(Vec::len), Some(1));
    // Only its user keeps it.
    let refused = app.delete(&event, &approver.token).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    let for_someone_else = app
        .post(
            "/api/v1/availability-events",
            &approver.token,
            json!({"user_id": staff.id, "kind": "available",
                   "starts_at": "2026-12-08T08:00:00Z", "ends_at": "2026-12-08T12:00:00Z"}),
        )
        .await;
    assert_eq!(for_someone_else.status, StatusCode::FORBIDDEN);

    let monday = shift(
        &s,
        Some(staff.id),
        "2026-12-14T10:00:00-05:00",
        "2026-12-14T14:00:00-05:00",
    );
    let clash = app
        .post("/api/v1/shifts", &approver.token, monday.clone())
        .await;
    assert_eq!(clash.status, StatusCode::CONFLICT, "{:?}", clash.body);
    assert_eq!(clash.body["error"]["code"], "outside_availability");
    assert_eq!(clash.body["error"]["field"], "user_id");
    let afternoon = shift(
        &s,
        Some(staff.id),
        "2026-12-14T12:00:00-05:00",
        "2026-12-14T16:00:00-05:00",
    );
    let fine = app.post("/api/v1/shifts", &approver.token, afternoon).await;
    assert_eq!(fine.status, StatusCode::CREATED, "{:?}", fine.body);
    let chain = app
        .post(
            "/api/v1/shift-chains",
            &approver.token,
            json!({"user_id": staff.id, "location_id": s.location_id, "weekdays": 3, "until": "2026-12-31",
                   "starts_at": "2026-12-15T07:00:00-05:00", "ends_at": "2026-12-15T09:00:00-05:00"}),
        )
        .await;
    assert_eq!(chain.status, StatusCode::CONFLICT, "{:?}", chain.body);
    assert_eq!(chain.body["error"]["code"], "outside_availability");
    assert!(
        chain.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("on 2026-12-21:")),
        "{:?}",
        chain.body
    );
    let mut overridden = monday;
    overridden["override"] = json!(true);
    let forced = app
        .post("/api/v1/shifts", &approver.token, overridden)
        .await;
    assert_eq!(forced.status, StatusCode::CREATED, "{:?}", forced.body);

    let gone = app.delete(&event, &staff.token).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{:?}", gone.body);
    let later = shift(
        &s,
        Some(staff.id),
        "2026-12-21T10:00:00-05:00",
        "2026-12-21T14:00:00-05:00",
    );
    let now_fine = app.post("/api/v1/shifts", &approver.token, later).await;
    assert_eq!(now_fine.status, StatusCode::CREATED, "{:?}", now_fine.body);

    let audit: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_events WHERE company_id = $1 AND action LIKE 'availability%' ORDER BY id",
    )
    .bind(s.company.id)
    .fetch_all(app.db.pool())
    .await
    .expect("audit");
    assert_eq!(
        audit,
        ["availability_event.created", "availability_event.deleted"]
    );
}
