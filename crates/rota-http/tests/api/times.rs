//! The time clock: a staff member clocks in, takes a break and clocks out; a manager
//! makes, edits, approves, lists and deletes entries; rounding follows the company's rules
//! and instants show the location's time zone; overlaps, backwards and over-long entries
//! are refused whole; every change is audited and announced.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::access::audit_actions;
use crate::common::{Cast, TestApp, TestCompany};

/// A company with its cast, and a location in New York.
pub struct Shop {
    pub company: TestCompany,
    pub cast: Cast,
    pub location_id: i64,
}

pub async fn shop(app: &TestApp) -> Shop {
    let company = app.company("Shop").await;
    let cast = app.cast(&company).await;
    let location = app
        .post(
            "/api/v1/locations",
            &company.owner.token,
            json!({"name": "Broadway", "time_zone": "America/New_York"}),
        )
        .await;
    assert_eq!(location.status, StatusCode::CREATED, "{:?}", location.body);
    Shop {
        location_id: location.body["id"].as_i64().expect("location"),
        company,
        cast,
    }
}

/// Makes an entry as `token`; the reply.
pub async fn make(app: &TestApp, token: &str, body: Value) -> crate::common::Reply {
    app.post("/api/v1/times", token, body).await
}

fn ids(reply: &crate::common::Reply) -> Vec<i64> {
    reply.body["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|e| e["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test]
async fn a_staff_member_clocks_in_takes_a_break_and_clocks_out() {
    let app = TestApp::spawn().await;
    let s = shop(&app).await;
    let staff = &s.cast.staff.token;

    let none = app.get("/api/v1/times/current", staff).await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.body["entry"], Value::Null);
    let out = app.post("/api/v1/times/clock-out", staff, json!({})).await;
    assert_eq!(
        (out.status, out.code()),
        (StatusCode::CONFLICT, "not_clocked_in")
    );

    let clocked = app
        .post(
            "/api/v1/times/clock-in",
            staff,
            json!({"location_id": s.location_id, "notes": "Opening"}),
        )
        .await;
    assert_eq!(clocked.status, StatusCode::CREATED, "{:?}", clocked.body);
    let id = clocked.body["id"].as_i64().expect("id");
    assert_eq!(clocked.body["user_id"], s.cast.staff.id);
    assert_eq!(clocked.body["is_open"], true);
    assert_eq!(clocked.body["end_time"], Value::Null);
    assert_eq!(clocked.body["worked_minutes"], Value::Null);
    assert_eq!(clocked.body["time_zone"], "America/New_York");
    assert!(
        clocked.body["start_time"]
            .as_str()
            .is_some_and(|t| t.ends_with("-04:00") || t.ends_with("-05:00")),
        "{:?}",
        clocked.body["start_time"]
    );
    let again = app.post("/api/v1/times/clock-in", staff, json!({})).await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_clocked_in")
    );
    let current = app.get("/api/v1/times/current", staff).await;
    assert_eq!(current.body["entry"]["id"], id);

    let on_break = app
        .post("/api/v1/times/breaks/start", staff, json!({}))
        .await;
    assert_eq!(on_break.status, StatusCode::OK, "{:?}", on_break.body);
    assert_eq!(on_break.body["on_break"], true);
    let twice = app
        .post("/api/v1/times/breaks/start", staff, json!({}))
        .await;
    assert_eq!(
        (twice.status, twice.code()),
        (StatusCode::CONFLICT, "already_on_break")
    );
    let back = app.post("/api/v1/times/breaks/end", staff, json!({})).await;
    assert_eq!(back.status, StatusCode::OK, "{:?}", back.body);
    assert_eq!(back.body["on_break"], false);
    assert_eq!(back.body["breaks"].as_array().map(Vec::len), Some(1));
    let not_on = app.post("/api/v1/times/breaks/end", staff, json!({})).await;
    assert_eq!(
        (not_on.status, not_on.code()),
        (StatusCode::CONFLICT, "not_on_break")
    );

    let done = app
        .post(
            "/api/v1/times/clock-out",
            staff,
            json!({"notes": "Closed up"}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    assert_eq!(done.body["id"], id);
    assert_eq!(done.body["is_open"], false);
    assert_eq!(done.body["notes"], "Closed up");
    assert_eq!(done.body["worked_minutes"], 0);
    assert_eq!(done.body["is_approved"], false);
    let out = app.post("/api/v1/times/clock-out", staff, json!({})).await;
    assert_eq!(
        (out.status, out.code()),
        (StatusCode::CONFLICT, "not_clocked_in")
    );
    let on_break = app
        .post("/api/v1/times/breaks/start", staff, json!({}))
        .await;
    assert_eq!(
        (on_break.status, on_break.code()),
        (StatusCode::CONFLICT, "not_clocked_in")
    );
    assert_eq!(
        app.get("/api/v1/times/current", staff).await.body["entry"],
        Value::Null
    );

    // Their own entries are theirs to read, not to approve.
    let mine = app.get("/api/v1/times", staff).await;
    assert_eq!(ids(&mine), [id]);
    let approve = app
        .post(&format!("/api/v1/times/{id}/approve"), staff, json!({}))
        .await;
    assert_eq!(approve.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_manager_makes_edits_approves_lists_and_deletes_entries() {
    let app = TestApp::spawn().await;
    let s = shop(&app).await;
    let owner = &s.company.owner.token;
    let approver = &s.cast.approver.token;
    let rules = json!({"clock_in_increment": 15, "clock_in_rounding": "employee_favour",
                       "clock_out_increment": 15, "clock_out_rounding": "nearest"});
    let set = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/company/time-clock",
            Some(owner),
            Some(rules.clone()),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
    assert_eq!(set.body, rules);
    assert_eq!(
        app.get("/api/v1/company/time-clock", &s.cast.staff.token)
            .await
            .body,
        rules
    );

    // 08:07 to 16:53 in New York (EDT, -04:00) with half an hour's lunch.
    let made = make(
        &app,
        approver,
        json!({
            "user_id": s.cast.staff.id, "location_id": s.location_id,
            "start_time": "2026-06-01T12:07:00Z", "end_time": "2026-06-01T20:53:00Z",
            "breaks": [{"start_time": "2026-06-01T16:00:00Z", "end_time": "2026-06-01T16:30:00Z"}],
            "notes": "Stocktake", "cash_tips": 1250,
        }),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let id = made.body["id"].as_i64().expect("id");
    let e = &made.body;
    assert_eq!(e["start_time"], "2026-06-01T08:07:00-04:00");
    assert_eq!(e["end_time"], "2026-06-01T16:53:00-04:00");
    assert_eq!(e["rounded_start_time"], "2026-06-01T08:00:00-04:00");
    assert_eq!(e["rounded_end_time"], "2026-06-01T17:00:00-04:00");
    assert_eq!(e["break_minutes"], 30);
    assert_eq!(e["worked_minutes"], 8 * 60 + 46 - 30);
    assert_eq!(e["rounded_worked_minutes"], 9 * 60 - 30);
    assert_eq!(e["cash_tips"], 1250);
    assert_eq!(e["created_by"], s.cast.approver.id);
    assert_eq!(e["breaks"][0]["start_time"], "2026-06-01T12:00:00-04:00");

    // Without a location, the company's zone (Europe/London) shows it.
    let plain = make(
        &app,
        owner,
        json!({"user_id": s.cast.staff.id,
        "start_time": "2026-01-05T09:00:00Z", "end_time": "2026-01-05T10:00:00Z"}),
    )
    .await;
    assert_eq!(plain.status, StatusCode::CREATED, "{:?}", plain.body);
    let plain_id = plain.body["id"].as_i64().expect("id");
    assert_eq!(plain.body["start_time"], "2026-01-05T09:00:00+00:00");

    let edited = app
        .patch(
            &format!("/api/v1/times/{id}"),
            approver,
            json!({"end_time": "2026-06-01T21:00:00Z", "breaks": [], "notes": ""}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    assert_eq!(edited.body["worked_minutes"], 8 * 60 + 53);
    assert_eq!(edited.body["breaks"], json!([]));
    assert_eq!(edited.body["notes"], Value::Null);
    assert_eq!(edited.body["location_id"], s.location_id);

    let approved = app
        .post(&format!("/api/v1/times/{id}/approve"), approver, json!({}))
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    assert_eq!(approved.body["is_approved"], true);
    assert_eq!(approved.body["approved_by"], s.cast.approver.id);
    // An approved entry is still the manager's to edit, and stays approved.
    let edited = app
        .patch(
            &format!("/api/v1/times/{id}"),
            approver,
            json!({"cash_tips": 0}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    assert_eq!(edited.body["is_approved"], true);
    let reopened = app
        .patch(
            &format!("/api/v1/times/{id}"),
            approver,
            json!({"end_time": null}),
        )
        .await;
    assert_eq!(
        (reopened.status, reopened.code()),
        (StatusCode::CONFLICT, "time_entry_running")
    );

    let app = &app;
    let list = |query: &str| {
        let path = format!("/api/v1/times?{query}");
        async move { app.get(&path, owner).await }
    };
    assert_eq!(ids(&list("approved=true").await), [id]);
    assert_eq!(ids(&list("approved=false").await), [plain_id]);
    assert_eq!(ids(&list("from=2026-06-01&to=2026-06-01").await), [id]);
    assert_eq!(ids(&list("to=2026-05-31").await), [plain_id]);
    assert_eq!(
        ids(&list(&format!("location_id={}", s.location_id)).await),
        [id]
    );
    assert_eq!(
        ids(&list(&format!("user_id={}", s.cast.staff.id)).await),
        [id, plain_id]
    );
    assert_eq!(ids(&list("open=true").await), Vec::<i64>::new());
    let backwards = list("from=2026-06-02&to=2026-06-01").await;
    assert_eq!(
        (backwards.status, backwards.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("to"))
    );
    // An approver elsewhere sees only their own.
    assert_eq!(
        ids(&app.get("/api/v1/times", &s.cast.approver_add.token).await),
        Vec::<i64>::new()
    );

    let undone = app
        .post(
            &format!("/api/v1/times/{id}/unapprove"),
            approver,
            json!({}),
        )
        .await;
    assert_eq!(undone.body["is_approved"], false);
    assert_eq!(undone.body["approved_at"], Value::Null);

    let gone = app.delete(&format!("/api/v1/times/{id}"), approver).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/api/v1/times/{id}"), owner).await.status,
        StatusCode::NOT_FOUND
    );

    let actions: Vec<String> = audit_actions(app, owner)
        .await
        .iter()
        .filter_map(|e| e["action"].as_str().map(str::to_owned))
        .collect();
    for action in [
        "time_clock.settings_changed",
        "time_entry.created",
        "time_entry.updated",
        "time_entry.approved",
        "time_entry.unapproved",
        "time_entry.deleted",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn a_running_entry_cannot_be_approved_and_another_cannot_start_beside_it() {
    let app = TestApp::spawn().await;
    let s = shop(&app).await;
    let approver = &s.cast.approver.token;
    let running = make(
        &app,
        approver,
        json!({"user_id": s.cast.staff.id,
        "start_time": "2026-06-01T09:00:00Z"}),
    )
    .await;
    assert_eq!(running.status, StatusCode::CREATED, "{:?}", running.body);
    let id = running.body["id"].as_i64().expect("id");
    let approve = app
        .post(&format!("/api/v1/times/{id}/approve"), approver, json!({}))
        .await;
    assert_eq!(
        (approve.status, approve.code()),
        (StatusCode::CONFLICT, "time_entry_running")
    );
    // The staff member is clocked in by it; any later time overlaps it.
    let clock_in = app
        .post("/api/v1/times/clock-in", &s.cast.staff.token, json!({}))
        .await;
    assert_eq!(
        (clock_in.status, clock_in.code()),
        (StatusCode::CONFLICT, "already_clocked_in")
    );
    let later = make(
        &app,
        approver,
        json!({"user_id": s.cast.staff.id,
        "start_time": "2026-06-02T09:00:00Z", "end_time": "2026-06-02T10:00:00Z"}),
    )
    .await;
    assert_eq!(
        (later.status, later.code()),
        (StatusCode::CONFLICT, "time_entry_overlap")
    );
    let earlier = make(
        &app,
        approver,
        json!({"user_id": s.cast.staff.id,
        "start_time": "2026-05-31T09:00:00Z", "end_time": "2026-06-01T09:00:00Z"}),
    )
    .await;
    assert_eq!(earlier.status, StatusCode::CREATED, "{:?}", earlier.body);
}

#[tokio::test]
async fn bad_entries_are_refused_whole_with_the_field_at_fault() {
    let app = TestApp::spawn().await;
    let s = shop(&app).await;
    let approver = &s.cast.approver.token;
    let staff_id = s.cast.staff.id;
    let first = make(
        &app,
        approver,
        json!({"user_id": staff_id,
        "start_time": "2026-06-01T09:00:00Z", "end_time": "2026-06-01T17:00:00Z"}),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    let first_id = first.body["id"].as_i64().expect("id");
    let second = make(
        &app,
        approver,
        json!({"user_id": staff_id,
        "start_time": "2026-06-02T09:00:00Z", "end_time": "2026-06-02T17:00:00Z"}),
    )
    .await;
    let second_id = second.body["id"].as_i64().expect("id");
    let cases = [
        (
            json!({"start_time": "2026-06-03T09:00:00Z", "end_time": "2026-06-03T08:59:59Z"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "end_before_start",
            "end_time",
        ),
        (
            json!({"start_time": "2026-06-03T09:00:00Z", "end_time": "2026-06-04T09:00:01Z"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "time_entry_too_long",
            "end_time",
        ),
        (
            json!({"start_time": "2026-06-01T16:00:00Z", "end_time": "2026-06-01T18:00:00Z"}),
            StatusCode::CONFLICT,
            "time_entry_overlap",
            "start_time",
        ),
        (
            json!({"start_time": "2026-06-01T08:00:00Z", "end_time": "2026-06-02T08:00:00Z"}),
            StatusCode::CONFLICT,
            "time_entry_overlap",
            "start_time",
        ),
        (
            json!({"start_time": "2026-06-03T09:00:00Z", "end_time": "2026-06-03T17:00:00Z",
                "breaks": [{"start_time": "2026-06-03T16:30:00Z", "end_time": "2026-06-03T17:30:00Z"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "break_outside_entry",
            "breaks",
        ),
        (
            json!({"start_time": "2026-06-03T09:00:00Z", "end_time": "2026-06-03T17:00:00Z",
                "breaks": [{"start_time": "2026-06-03T12:00:00Z", "end_time": "2026-06-03T13:00:00Z"},
                           {"start_time": "2026-06-03T12:30:00Z", "end_time": "2026-06-03T12:45:00Z"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "break_overlap",
            "breaks",
        ),
        (
            json!({"start_time": "2026-06-03T09:00:00Z", "end_time": "2026-06-03T17:00:00Z",
                "breaks": [{"start_time": "2026-06-03T12:00:00Z"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "break_outside_entry",
            "breaks",
        ),
        (
            json!({"start_time": "yesterday"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "start_time",
        ),
        (
            json!({"start_time": "2026-06-03T09:00:00Z", "cash_tips": -1}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "cash_tips",
        ),
        (
            json!({"start_time": "2026-06-03T09:00:00Z", "location_id": 999_999}),
            StatusCode::NOT_FOUND,
            "not_found",
            "location_id",
        ),
        (
            json!({"start_time": "2026-06-03T09:00:00Z", "user_id": 999_999}),
            StatusCode::NOT_FOUND,
            "not_found",
            "user_id",
        ),
    ];
    for (body, status, code, field) in cases {
        let mut body = body;
        if body.get("user_id").is_none() {
            body["user_id"] = json!(staff_id);
        }
        let reply = make(&app, approver, body.clone()).await;
        assert_eq!(
            (reply.status, reply.code(), reply.field()),
            (status, code, Some(field)),
            "{body}"
        );
    }
    // Edits meet the same rules, and a refused edit changes nothing.
    let moved = app.patch(&format!("/api/v1/times/{second_id}"), approver,
        json!({"start_time": "2026-06-01T16:59:00Z", "end_time": "2026-06-01T20:00:00Z", "notes": "Moved"})).await;
    assert_eq!(
        (moved.status, moved.code()),
        (StatusCode::CONFLICT, "time_entry_overlap")
    );
    let backwards = app
        .patch(
            &format!("/api/v1/times/{first_id}"),
            approver,
            json!({"end_time": "2026-06-01T08:00:00Z"}),
        )
        .await;
    assert_eq!(
        (backwards.status, backwards.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "end_before_start")
    );
    let list = app
        .get(&format!("/api/v1/times?user_id={staff_id}"), approver)
        .await;
    assert_eq!(ids(&list), [first_id, second_id]);
    assert_eq!(list.body["data"][1]["notes"], Value::Null);
    assert_eq!(
        list.body["data"][0]["end_time"],
        "2026-06-01T18:00:00+01:00"
    );

    // Rounding rules outside the lists.
    let bad = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/company/time-clock",
            Some(&s.company.owner.token),
            Some(
                json!({"clock_in_increment": 7, "clock_in_rounding": "nearest",
                    "clock_out_increment": 15, "clock_out_rounding": "nearest"}),
            ),
        )
        .await;
    assert_eq!(
        (bad.status, bad.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("clock_in_increment"))
    );
}

#[tokio::test]
async fn time_entry_events_reach_the_subscriptions_that_want_them() {
    let app = TestApp::spawn().await;
    let s = shop(&app).await;
    let owner = &s.company.owner.token;
    let hook = app.post("/api/v1/webhooks", owner, json!({"url": "https://203.0.113.10/rota",
        "events": ["time_entry.created", "time_entry.updated", "time_entry.approved", "time_entry.deleted"]})).await;
    assert_eq!(hook.status, StatusCode::CREATED, "{:?}", hook.body);
    let hook_id = hook.body["id"].as_i64().expect("id");
    let made = make(
        &app,
        owner,
        json!({"user_id": s.cast.staff.id,
        "start_time": "2026-06-01T09:00:00Z", "end_time": "2026-06-01T17:00:00Z"}),
    )
    .await;
    let id = made.body["id"].as_i64().expect("id");
    app.post(&format!("/api/v1/times/{id}/approve"), owner, json!({}))
        .await;
    // Approving again changes nothing and announces nothing.
    app.post(&format!("/api/v1/times/{id}/approve"), owner, json!({}))
        .await;
    app.post(&format!("/api/v1/times/{id}/unapprove"), owner, json!({}))
        .await;
    app.delete(&format!("/api/v1/times/{id}"), owner).await;
    let deliveries = app
        .get(
            &format!("/api/v1/webhooks/{hook_id}/deliveries?limit=200"),
            owner,
        )
        .await;
    assert_eq!(deliveries.status, StatusCode::OK, "{:?}", deliveries.body);
    let mut events: Vec<&str> = deliveries.body["data"]
        .as_array()
        .expect("deliveries")
        .iter()
        .filter_map(|d| d["event"].as_str())
        .collect();
    events.sort();
    assert_eq!(
        events,
        [
            "time_entry.approved",
            "time_entry.created",
            "time_entry.deleted",
            "time_entry.updated"
        ]
    );
}

#[tokio::test]
async fn the_places_an_entry_names_stay_while_it_does() {
    let app = TestApp::spawn().await;
    let s = shop(&app).await;
    let owner = &s.company.owner.token;
    let position = app
        .post("/api/v1/positions", owner, json!({"name": "Cashier"}))
        .await;
    let position_id = position.body["id"].as_i64().expect("position");
    let made = make(&app, owner, json!({"user_id": s.cast.staff.id, "location_id": s.location_id,
        "position_id": position_id, "start_time": "2026-06-01T09:00:00Z", "end_time": "2026-06-01T10:00:00Z"})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    for item in [
        format!("/api/v1/locations/{}", s.location_id),
        format!("/api/v1/positions/{position_id}"),
    ] {
        for query in ["", "?force=true"] {
            let refused = app.delete(&format!("{item}{query}"), owner).await;
            assert_eq!(
                (refused.status, refused.code()),
                (StatusCode::CONFLICT, "in_use"),
                "{item}{query}"
            );
        }
    }
    let id = made.body["id"].as_i64().expect("id");
    assert_eq!(
        app.delete(&format!("/api/v1/times/{id}"), owner)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&format!("/api/v1/positions/{position_id}"), owner)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn clocking_in_finds_the_shift_worked_for_and_a_manager_links_only_the_persons_own() {
    let app = TestApp::spawn().await;
    let s = shop(&app).await;
    let (owner, staff) = (&s.company.owner.token, &s.cast.staff.token);
    let position = app
        .post("/api/v1/positions", owner, json!({"name": "Till"}))
        .await;
    let position_id = position.body["id"].as_i64().expect("position");
    let at = |minutes: i64| {
        jiff::Timestamp::from_second(jiff::Timestamp::now().as_second() / 60 * 60 + minutes * 60)
            .expect("instant")
            .to_string()
    };
    let shift = |user_id: i64, from: i64, to: i64, published: bool| {
        json!({"user_id": user_id, "location_id": s.location_id, "position_id": position_id,
            "starts_at": at(from), "ends_at": at(to), "published": published})
    };
    let make_shift = |body: Value| async {
        let made = app.post("/api/v1/shifts", owner, body).await;
        assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
        made.body["id"].as_i64().expect("shift")
    };
    // A draft under way is not theirs to work yet; the published one starting in 40
    // minutes is.
    make_shift(shift(s.cast.staff.id, -120, -10, false)).await;
    let mine = make_shift(shift(s.cast.staff.id, 40, 400, true)).await;
    let theirs = make_shift(shift(s.cast.approver.id, 500, 900, true)).await;

    let clocked = app.post("/api/v1/times/clock-in", staff, json!({})).await;
    assert_eq!(clocked.status, StatusCode::CREATED, "{:?}", clocked.body);
    assert_eq!(clocked.body["shift_id"], mine);
    assert_eq!(clocked.body["location_id"], s.location_id, "the shift's");
    assert_eq!(clocked.body["position_id"], position_id);
    let out = app.post("/api/v1/times/clock-out", staff, json!({})).await;
    assert_eq!(out.status, StatusCode::OK, "{:?}", out.body);
    let entry = out.body["id"].as_i64().expect("entry");

    // Someone else's shift, a shift of no one's, and another company's are refused,
    // writing nothing.
    let other = app.company("Other Shop").await;
    for (shift_id, status) in [
        (theirs, StatusCode::CONFLICT),
        (9_999_999, StatusCode::NOT_FOUND),
    ] {
        let refused = app
            .post(
                "/api/v1/times/clock-in",
                staff,
                json!({"shift_id": shift_id}),
            )
            .await;
        assert_eq!(refused.status, status, "{:?}", refused.body);
        assert_eq!(
            refused.body["error"]["field"], "shift_id",
            "{:?}",
            refused.body
        );
    }
    let refused = app
        .post("/api/v1/times/clock-in", staff, json!({"shift_id": theirs}))
        .await;
    assert_eq!(refused.body["error"]["code"], "shift_not_theirs");
    let foreign = app
        .post(
            "/api/v1/locations",
            &other.owner.token,
            json!({"name": "Elsewhere"}),
        )
        .await;
    let foreign_shift = app
        .post(
            "/api/v1/shifts",
            &other.owner.token,
            json!({"location_id": foreign.body["id"], "starts_at": at(60), "ends_at": at(120)}),
        )
        .await;
    let refused = app
        .post(
            "/api/v1/times/clock-in",
            staff,
            json!({"shift_id": foreign_shift.body["id"]}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{:?}", refused.body);
    let current = app.get("/api/v1/times/current", staff).await;
    assert_eq!(current.body["entry"], Value::Null, "nothing written");

    // A manager links an entry to the person's own shift only, and takes the link off.
    let made = make(
        &app,
        owner,
        json!({"user_id": s.cast.staff.id, "start_time": at(-2000), "end_time": at(-1900),
            "shift_id": theirs}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CONFLICT, "{:?}", made.body);
    let made = make(
        &app,
        owner,
        json!({"user_id": s.cast.approver.id, "start_time": at(-2000), "end_time": at(-1900),
            "shift_id": theirs}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_eq!(made.body["shift_id"], theirs);
    let path = format!("/api/v1/times/{entry}");
    let moved = app.patch(&path, owner, json!({"shift_id": theirs})).await;
    assert_eq!(moved.status, StatusCode::CONFLICT, "{:?}", moved.body);
    let cleared = app.patch(&path, owner, json!({"shift_id": null})).await;
    assert_eq!(cleared.status, StatusCode::OK, "{:?}", cleared.body);
    assert_eq!(cleared.body["shift_id"], Value::Null);
    let kept = app.patch(&path, owner, json!({"notes": "Till 2"})).await;
    assert_eq!(kept.body["shift_id"], Value::Null);
    let relinked = app.patch(&path, owner, json!({"shift_id": mine})).await;
    assert_eq!(relinked.body["shift_id"], mine, "{:?}", relinked.body);
}
