//! The schedule read (`GET /api/v1/schedule`) is rendered once per reader and kept until
//! the schedule changes: a change made through another server on the same database, to
//! anything the read shows or that decides who sees what, shows in the next read.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::shifts::{shift, shop};

const WEEK: &str = "from=2026-12-07T00:00:00Z&to=2026-12-14T00:00:00Z";

/// The week at `location_id` as `token` reads it from `app`: its shifts' and occurrences'
/// (id or chain, start, breaks) in order.
async fn week(app: &TestApp, token: &str, location_id: i64) -> (Vec<Value>, Vec<Value>) {
    let reply = app
        .get(
            &format!("/api/v1/schedule?{WEEK}&location_id={location_id}"),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let seen = |key: &str, id: &str| -> Vec<Value> {
        reply.body[key]
            .as_array()
            .expect(key)
            .iter()
            .map(|s| {
                json!([
                    s[id],
                    s["starts_at"],
                    s["breaks"].as_array().map_or(0, Vec::len)
                ])
            })
            .collect()
    };
    (seen("shifts", "id"), seen("occurrences", "chain_id"))
}

#[tokio::test]
async fn a_week_read_again_shows_every_change_made_through_another_server() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let s = shop(&app, "Cached").await;
    let (approver, staff, owner) = (&s.cast.approver, &s.cast.staff, &s.company.owner);
    let location = s.location_id;
    let made = app
        .post(
            "/api/v1/shifts",
            &approver.token,
            shift(
                &s,
                Some(staff.id),
                "2026-12-08T14:00:00Z",
                "2026-12-08T22:00:00Z",
            ),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let id = made.body["id"].as_i64().expect("id");
    let draft = json!([[id, "2026-12-08T09:00:00-05:00", 0]]);
    for _ in 0..2 {
        assert_eq!(
            week(&app, &approver.token, location).await.0,
            draft.as_array().unwrap().clone()
        );
        assert!(
            week(&app, &staff.token, location).await.0.is_empty(),
            "a draft"
        );
    }

    // The shift moved and given a break.
    let edited = other
        .patch(
            &format!("/api/v1/shifts/{id}"),
            &approver.token,
            json!({"starts_at": "2026-12-08T15:00:00Z",
                   "breaks": [{"length_minutes": 30, "starts_at": "2026-12-08T18:00:00Z"}]}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    let moved = vec![json!([id, "2026-12-08T10:00:00-05:00", 1])];
    assert_eq!(week(&app, &approver.token, location).await.0, moved);

    // Published: staff now see it.
    let published = other
        .post(
            "/api/v1/shifts/publish",
            &approver.token,
            json!({"location_id": location, "from": "2026-12-07T00:00:00Z", "to": "2026-12-14T00:00:00Z"}),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
    assert_eq!(week(&app, &staff.token, location).await.0, moved);

    // The location's time zone: the same instant, shown in London.
    let zoned = other
        .patch(
            &format!("/api/v1/locations/{location}"),
            &owner.token,
            json!({"time_zone": "Europe/London"}),
        )
        .await;
    assert_eq!(zoned.status, StatusCode::OK, "{:?}", zoned.body);
    let london = vec![json!([id, "2026-12-08T15:00:00+00:00", 1])];
    assert_eq!(week(&app, &approver.token, location).await.0, london);

    // A repeating shift, then one of its days deleted.
    let chain = other
        .post(
            "/api/v1/shift-chains",
            &approver.token,
            json!({"user_id": staff.id, "location_id": location, "weekdays": 31,
                   "starts_at": "2026-11-30T09:00:00Z", "ends_at": "2026-11-30T12:00:00Z",
                   "until": "2026-12-31", "published": true}),
        )
        .await;
    assert_eq!(chain.status, StatusCode::CREATED, "{:?}", chain.body);
    let chain_id = chain.body["id"].as_i64().expect("chain");
    assert_eq!(week(&app, &staff.token, location).await.1.len(), 5);
    let gone = other
        .delete(
            &format!("/api/v1/shift-chains/{chain_id}/occurrences/2026-12-09"),
            &approver.token,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{:?}", gone.body);
    assert_eq!(week(&app, &staff.token, location).await.1.len(), 4);

    // Who approves the staff member decides which of their drafts an approver sees.
    let draft = app
        .post(
            "/api/v1/shifts",
            &approver.token,
            shift(
                &s,
                Some(staff.id),
                "2026-12-10T15:00:00Z",
                "2026-12-10T20:00:00Z",
            ),
        )
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{:?}", draft.body);
    let other_approver = &s.cast.approver_add;
    assert_eq!(week(&app, &other_approver.token, location).await.0.len(), 1);
    let moved_over = other
        .patch(
            &format!("/api/v1/users/{}", staff.id),
            &owner.token,
            json!({"approver_id": other_approver.id}),
        )
        .await;
    assert_eq!(moved_over.status, StatusCode::OK, "{:?}", moved_over.body);
    assert_eq!(week(&app, &other_approver.token, location).await.0.len(), 2);

    // Deleted.
    let deleted = other
        .delete(&format!("/api/v1/shifts/{id}"), &owner.token)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{:?}", deleted.body);
    assert_eq!(week(&app, &other_approver.token, location).await.0.len(), 1);
}
