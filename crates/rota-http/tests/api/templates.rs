//! Shift templates and copying a week: a manager keeps templates, makes shifts from them
//! at the location's local times on either side of a change of the clocks, and copies a
//! week to the next, the copies that conflict skipped with their code.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::shifts::{shift, shop};

fn evening() -> Value {
    json!({"name": "Evening", "start_time": "16:00", "end_time": "00:30",
           "breaks": [{"length_minutes": 30, "start_time": "20:00"}],
           "colour": "336699", "notes": "Close up"})
}

#[tokio::test]
async fn a_manager_keeps_templates_and_makes_shifts_from_them_at_local_times() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Template Deli").await;
    let (owner, approver, staff) = (&s.company.owner.token, &s.cast.approver, &s.cast.staff);
    let refused = app
        .post("/api/v1/shift-templates", &staff.token, evening())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    let made = app
        .post("/api/v1/shift-templates", &approver.token, evening())
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_eq!(
        made.body["length_minutes"], 510,
        "16:00 to 00:30 the next day"
    );
    assert_eq!(made.body["breaks"][0]["start_time"], "20:00");
    let template = made.body["id"].clone();
    let path = format!("/api/v1/shift-templates/{template}");
    let listed = app.get("/api/v1/shift-templates", &staff.token).await;
    assert_eq!(
        listed.body["data"][0]["name"], "Evening",
        "{:?}",
        listed.body
    );

    // New York's clocks go forward on 14 March 2027: the same local times either side.
    for (date, start, end, brk) in [
        (
            "2027-03-13",
            "2027-03-13T16:00:00-05:00",
            "2027-03-14T00:30:00-05:00",
            "2027-03-13T20:00:00-05:00",
        ),
        (
            "2027-03-15",
            "2027-03-15T16:00:00-04:00",
            "2027-03-16T00:30:00-04:00",
            "2027-03-15T20:00:00-04:00",
        ),
    ] {
        let body = json!({"template_id": template, "date": date, "user_id": staff.id,
                          "location_id": s.location_id});
        let made = app.post("/api/v1/shifts", &approver.token, body).await;
        assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
        assert_eq!(made.body["starts_at"], start);
        assert_eq!(made.body["ends_at"], end);
        assert_eq!(made.body["breaks"][0]["starts_at"], brk);
        assert_eq!(made.body["colour"], "336699");
        assert_eq!(made.body["notes"], "Close up");
    }
    // The shift's own fields win over the template's.
    let body = json!({"template_id": template, "date": "2027-03-17", "location_id": s.location_id,
                      "colour": "aa0000", "breaks": []});
    let own = app.post("/api/v1/shifts", owner, body).await;
    assert_eq!(own.body["colour"], "aa0000", "{:?}", own.body);
    assert_eq!(
        own.body["breaks"][0]["length_minutes"], 30,
        "no breaks given: the template's"
    );

    let replaced = app
        .call(
            reqwest::Method::PUT,
            &path,
            Some(approver.token.as_str()),
            Some(json!({"name": "Early", "start_time": "06:00", "end_time": "14:00"})),
        )
        .await;
    assert_eq!(replaced.status, StatusCode::OK, "{:?}", replaced.body);
    assert_eq!(replaced.body["breaks"], json!([]));
    assert_eq!(replaced.body["colour"], "cccccc");
    let deleted = app.delete(&path, &approver.token).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{:?}", deleted.body);
    let gone = app
        .post(
            "/api/v1/shifts",
            owner,
            json!({"template_id": template, "date": "2027-03-18", "location_id": s.location_id}),
        )
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "{:?}", gone.body);
    assert_eq!(gone.field(), Some("template_id"));
    let audit: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_events WHERE company_id = $1 AND action LIKE 'shift_template%' ORDER BY id",
    )
    .bind(s.company.id)
    .fetch_all(app.db.pool())
    .await
    .expect("audit");
    assert_eq!(
        audit,
        [
            "shift_template.created",
            "shift_template.updated",
            "shift_template.deleted"
        ]
    );
}

#[tokio::test]
async fn a_week_copied_across_the_clocks_changing_keeps_local_times_and_skips_conflicts() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Copy Deli").await;
    let (owner, approver, staff) = (&s.company.owner.token, &s.cast.approver, &s.cast.staff);
    // The week of 8 March 2027 (New York at −05:00); the next is at −04:00.
    let mut mine = shift(
        &s,
        Some(staff.id),
        "2027-03-08T09:00:00-05:00",
        "2027-03-08T17:00:00-05:00",
    );
    mine["breaks"] = json!([{"length_minutes": 30, "starts_at": "2027-03-08T12:00:00-05:00"}]);
    mine["published"] = json!(true);
    let open = shift(
        &s,
        None,
        "2027-03-10T12:00:00-05:00",
        "2027-03-10T20:00:00-05:00",
    );
    let clashing = shift(
        &s,
        Some(staff.id),
        "2027-03-12T09:00:00-05:00",
        "2027-03-12T13:00:00-05:00",
    );
    let outside = shift(
        &s,
        None,
        "2027-03-15T09:00:00-04:00",
        "2027-03-15T10:00:00-04:00",
    );
    for body in [mine, open, clashing, outside] {
        let made = app.post("/api/v1/shifts", owner, body).await;
        assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    }
    // Already busy on the 19th: the copy of the 12th's shift would overlap.
    let busy = shift(
        &s,
        Some(staff.id),
        "2027-03-19T08:00:00-04:00",
        "2027-03-19T10:00:00-04:00",
    );
    let busy = app.post("/api/v1/shifts", owner, busy).await;
    assert_eq!(busy.status, StatusCode::CREATED, "{:?}", busy.body);

    let copy = json!({"location_id": s.location_id, "from": "2027-03-08", "to": "2027-03-15"});
    let refused = app
        .post("/api/v1/shifts/copy", &staff.token, copy.clone())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    let copied = app.post("/api/v1/shifts/copy", &approver.token, copy).await;
    assert_eq!(copied.status, StatusCode::OK, "{:?}", copied.body);
    let made = copied.body["copied"].as_array().expect("copied");
    let starts: Vec<&Value> = made.iter().map(|s| &s["starts_at"]).collect();
    assert_eq!(
        starts,
        [
            &json!("2027-03-15T09:00:00-04:00"),
            &json!("2027-03-17T12:00:00-04:00")
        ]
    );
    assert_eq!(made[0]["ends_at"], "2027-03-15T17:00:00-04:00");
    assert_eq!(
        made[0]["breaks"][0]["starts_at"],
        "2027-03-15T12:00:00-04:00"
    );
    assert_eq!(made[0]["published"], false, "copies are drafts");
    let skipped = &copied.body["skipped"];
    assert_eq!(skipped.as_array().map(Vec::len), Some(1), "{skipped:?}");
    assert_eq!(skipped[0]["code"], "shift_overlap");

    // Without open shifts, published: only the staff member's, once more a week on.
    let again = json!({"location_id": s.location_id, "from": "2027-03-08", "to": "2027-03-22",
                       "include_open": false, "published": true});
    let copied = app.post("/api/v1/shifts/copy", owner, again).await;
    assert_eq!(copied.status, StatusCode::OK, "{:?}", copied.body);
    let made = copied.body["copied"].as_array().expect("copied");
    assert_eq!(made.len(), 2, "{:?}", copied.body);
    assert!(
        made.iter()
            .all(|s| s["published"] == true && s["user_id"] == staff.id)
    );
}
