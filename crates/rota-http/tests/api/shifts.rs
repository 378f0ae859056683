//! Shifts: a manager builds a location's week, publishes it and staff see it; conflicts
//! with another shift, approved leave and a business-closed day; edits, deletes and the
//! history that survives them; batches that are written whole or not at all; open shifts
//! taken by whom they fit; who could take a shift over.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Cast, Reply, TestApp, TestCompany};

/// A company with its cast and a location in New York (UTC−5 in winter, −4 in summer).
pub struct Shop {
    pub company: TestCompany,
    pub cast: Cast,
    pub location_id: i64,
}

pub async fn shop(app: &TestApp, name: &str) -> Shop {
    let company = app.company(name).await;
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

/// A shift body at `shop`'s location for `user_id` (none: open), from `start` to `end`.
pub fn shift(shop: &Shop, user_id: Option<i64>, start: &str, end: &str) -> Value {
    json!({"user_id": user_id, "location_id": shop.location_id, "starts_at": start, "ends_at": end})
}

/// Makes a shift as `token`, which must succeed.
async fn make(app: &TestApp, token: &str, body: Value) -> Reply {
    let reply = app.post("/api/v1/shifts", token, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply
}

fn id(reply: &Reply) -> i64 {
    reply.body["id"].as_i64().expect("id")
}

fn ids(reply: &Reply) -> Vec<i64> {
    reply.body["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|s| s["id"].as_i64())
        .collect()
}

#[tokio::test]
async fn a_manager_builds_and_publishes_a_week_and_staff_see_it_in_the_locations_zone() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Deli").await;
    let (approver, staff) = (&s.cast.approver, &s.cast.staff);
    let hook = app
        .post(
            "/api/v1/webhooks",
            &s.company.owner.token,
            json!({"url": "https://203.0.113.10/rota", "events": ["shift.created", "shift.published", "shift.updated"]}),
        )
        .await;
    assert_eq!(hook.status, StatusCode::CREATED, "{:?}", hook.body);
    let mut body = shift(
        &s,
        Some(staff.id),
        "2054-12-07T14:00:00Z",
        "2054-12-07T22:00:00Z",
    );
    body["breaks"] = json!([{"length_minutes": 30, "starts_at": "2054-12-07T18:00:00Z"},
                            {"length_minutes": 15, "paid": true}]);
    body["notes"] = json!("Stocktake");
    let made = app.post("/api/v1/shifts", &approver.token, body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let shift_id = id(&made);
    assert_eq!(made.body["starts_at"], "2054-12-07T09:00:00-05:00");
    assert_eq!(made.body["ends_at"], "2054-12-07T17:00:00-05:00");
    assert_eq!(made.body["time_zone"], "America/New_York");
    assert_eq!(made.body["length_minutes"], 480);
    assert_eq!(made.body["unpaid_break_minutes"], 30);
    assert_eq!(
        made.body["breaks"][0]["ends_at"],
        "2054-12-07T13:30:00-05:00"
    );
    assert_eq!(made.body["published"], false);
    assert_eq!(made.body["is_open"], false);

    // A draft is the manager's alone.
    let path = format!("/api/v1/shifts/{shift_id}");
    assert_eq!(
        app.get(&path, &staff.token).await.status,
        StatusCode::NOT_FOUND
    );
    let week = "/api/v1/shifts?from=2054-12-07T00:00:00Z&to=2054-12-14T00:00:00Z";
    assert!(ids(&app.get(week, &staff.token).await).is_empty());
    assert_eq!(ids(&app.get(week, &approver.token).await), [shift_id]);

    let published = app
        .post(
            "/api/v1/shifts/publish",
            &approver.token,
            json!({"location_id": s.location_id, "from": "2054-12-07T00:00:00Z", "to": "2054-12-14T00:00:00Z"}),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
    assert_eq!(published.body["shift_ids"], json!([shift_id]));
    assert_eq!(published.body["notified_user_ids"], json!([staff.id]));
    let mail: Vec<(String, String)> = sqlx::query_as(
        "SELECT recipient_address, text_body FROM outbox WHERE company_id = $1 ORDER BY id",
    )
    .bind(s.company.id)
    .fetch_all(app.db.pool())
    .await
    .expect("outbox");
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0].0, staff.email);
    assert!(
        mail[0].1.contains("2054-12-07T09:00:00-05:00"),
        "{}",
        mail[0].1
    );
    assert!(
        mail[0].1.contains("See your shifts in Rota: "),
        "{}",
        mail[0].1
    );

    let seen = app.get(&path, &staff.token).await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    assert_eq!(seen.body["published"], true);
    assert_eq!(ids(&app.get(week, &staff.token).await), [shift_id]);
    // Publishing again finds nothing left to publish and tells nobody.
    let again = app
        .post(
            "/api/v1/shifts/publish",
            &approver.token,
            json!({"location_id": s.location_id, "from": "2054-12-07T00:00:00Z", "to": "2054-12-14T00:00:00Z"}),
        )
        .await;
    assert_eq!(again.body["shift_ids"], json!([]));

    // Its user acknowledges it; nobody else may.
    let ack = format!("{path}/acknowledge");
    assert_eq!(
        app.post(&ack, &approver.token, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let acknowledged = app.post(&ack, &staff.token, json!({})).await;
    assert_eq!(
        acknowledged.status,
        StatusCode::OK,
        "{:?}",
        acknowledged.body
    );
    assert!(acknowledged.body["acknowledged_at"].is_string());

    let history = app.get(&format!("{path}/history"), &staff.token).await;
    let reasons: Vec<&str> = history.body["data"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|h| h["reason"].as_str())
        .collect();
    assert_eq!(reasons, ["create", "publish", "acknowledge"]);
    let audit: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_events WHERE company_id = $1 AND action LIKE 'shift.%' ORDER BY id",
    )
    .bind(s.company.id)
    .fetch_all(app.db.pool())
    .await
    .expect("audit");
    assert_eq!(
        audit,
        ["shift.created", "shift.published", "shift.acknowledged"]
    );
    let events: Vec<String> = sqlx::query_scalar(
        "SELECT event FROM webhook_deliveries WHERE company_id = $1 ORDER BY id",
    )
    .bind(s.company.id)
    .fetch_all(app.db.pool())
    .await
    .expect("deliveries");
    assert_eq!(
        events,
        ["shift.created", "shift.published", "shift.updated"]
    );
}

#[tokio::test]
async fn a_shift_across_the_clocks_changing_shows_each_end_in_its_own_offset() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Night Bakery").await;
    // New York leaves summer time at 02:00 on 2026-11-01: 22:00 EDT to 06:00 EST is nine hours.
    let made = make(
        &app,
        &s.company.owner.token,
        shift(
            &s,
            Some(s.cast.staff.id),
            "2026-11-01T02:00:00Z",
            "2026-11-01T11:00:00Z",
        ),
    )
    .await;
    assert_eq!(made.body["starts_at"], "2026-10-31T22:00:00-04:00");
    assert_eq!(made.body["ends_at"], "2026-11-01T06:00:00-05:00");
    assert_eq!(made.body["length_minutes"], 540);
}

#[tokio::test]
async fn assigning_over_another_shift_leave_or_a_closed_day_is_refused_unless_overridden() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Cafe").await;
    let (approver, staff) = (&s.cast.approver, &s.cast.staff);
    make(
        &app,
        &approver.token,
        shift(
            &s,
            Some(staff.id),
            "2026-03-02T14:00:00Z",
            "2026-03-02T22:00:00Z",
        ),
    )
    .await;
    let overlapping = shift(
        &s,
        Some(staff.id),
        "2026-03-02T20:00:00Z",
        "2026-03-03T02:00:00Z",
    );
    let refused = app
        .post("/api/v1/shifts", &approver.token, overlapping.clone())
        .await;
    assert_eq!(
        (refused.status, refused.code(), refused.field()),
        (StatusCode::CONFLICT, "shift_overlap", Some("user_id"))
    );
    // Back to back is no overlap.
    make(
        &app,
        &approver.token,
        shift(
            &s,
            Some(staff.id),
            "2026-03-02T22:00:00Z",
            "2026-03-03T01:00:00Z",
        ),
    )
    .await;
    let mut forced = overlapping;
    forced["override"] = json!(true);
    make(&app, &approver.token, forced).await;

    // Approved leave on the 4th.
    let holiday = app.leave_types(&staff.token).await.id("H");
    let asked = app
        .post(
            "/api/v1/leave-requests",
            &staff.token,
            json!({"leave_type_id": holiday, "start_date": "2026-03-04", "end_date": "2026-03-04"}),
        )
        .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{:?}", asked.body);
    let approved = app
        .post(
            &format!("/api/v1/leave-requests/{}/approve", id(&asked)),
            &approver.token,
            json!({}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    let on_leave = shift(
        &s,
        Some(staff.id),
        "2026-03-04T14:00:00Z",
        "2026-03-04T18:00:00Z",
    );
    let refused = app.post("/api/v1/shifts", &approver.token, on_leave).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "shift_over_leave")
    );
    // The same day as an open shift is fine, and giving it to them later is refused too.
    let open = make(
        &app,
        &approver.token,
        shift(&s, None, "2026-03-04T14:00:00Z", "2026-03-04T18:00:00Z"),
    )
    .await;
    let open_path = format!("/api/v1/shifts/{}", id(&open));
    let open_ones = app
        .get("/api/v1/shifts?open_only=true", &approver.token)
        .await;
    assert_eq!(ids(&open_ones), [id(&open)]);
    let staffs = app
        .get(
            &format!("/api/v1/shifts?user_id={}&published=false", staff.id),
            &approver.token,
        )
        .await;
    assert_eq!(ids(&staffs).len(), 3, "{:?}", staffs.body);
    let assigned = app
        .patch(&open_path, &approver.token, json!({"user_id": staff.id}))
        .await;
    assert_eq!(
        (assigned.status, assigned.code()),
        (StatusCode::CONFLICT, "shift_over_leave")
    );

    // A business-closed day at this location, on the 5th in New York.
    let closed = app
        .post(
            "/api/v1/annotations",
            &s.company.owner.token,
            json!({"kind": "business_closed", "title": "Inventory", "start_date": "2026-03-05",
                   "end_date": "2026-03-05", "location_id": s.location_id}),
        )
        .await;
    assert_eq!(closed.status, StatusCode::CREATED, "{:?}", closed.body);
    // 03:00 UTC on the 6th is still the 5th in New York.
    let late = shift(
        &s,
        Some(staff.id),
        "2026-03-06T01:00:00Z",
        "2026-03-06T03:00:00Z",
    );
    let refused = app.post("/api/v1/shifts", &approver.token, late).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "business_closed")
    );
    let shifts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM shifts WHERE company_id = $1")
        .bind(s.company.id)
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(shifts, 4, "refusals write nothing");
}

#[tokio::test]
async fn edits_and_deletes_are_history_that_outlives_the_shift() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Diner").await;
    let (approver, staff) = (&s.cast.approver, &s.cast.staff);
    let open = app
        .post(
            "/api/v1/shifts",
            &approver.token,
            shift(&s, None, "2026-04-06T13:00:00Z", "2026-04-06T21:00:00Z"),
        )
        .await;
    assert_eq!(open.body["is_open"], true);
    let path = format!("/api/v1/shifts/{}", id(&open));
    let assigned = app
        .patch(
            &path,
            &approver.token,
            json!({"user_id": staff.id, "colour": "#FF8800"}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);
    assert_eq!(assigned.body["colour"], "ff8800");
    let edited = app
        .patch(
            &path,
            &approver.token,
            json!({"ends_at": "2026-04-06T20:00:00Z", "notes": "Till"}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    assert_eq!(edited.body["length_minutes"], 420);
    // Staff change nothing, even of their own shift.
    let own = app
        .patch(&path, &staff.token, json!({"notes": "mine"}))
        .await;
    assert_eq!(
        own.status,
        StatusCode::NOT_FOUND,
        "a draft is not theirs to see yet"
    );
    let deleted = app.delete(&path, &approver.token).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{:?}", deleted.body);
    assert_eq!(
        app.get(&path, &approver.token).await.status,
        StatusCode::NOT_FOUND
    );

    let history = app.get(&format!("{path}/history"), &approver.token).await;
    assert_eq!(history.status, StatusCode::OK, "{:?}", history.body);
    let entries = history.body["data"].as_array().expect("history");
    let reasons: Vec<&str> = entries
        .iter()
        .filter_map(|h| h["reason"].as_str())
        .collect();
    assert_eq!(reasons, ["create", "assign", "edit", "delete"]);
    assert_eq!(
        entries[1]["changes"],
        json!({"before": {"user_id": null, "colour": "cccccc"}, "after": {"user_id": staff.id, "colour": "ff8800"}})
    );
    assert_eq!(
        entries[2]["changes"]["after"],
        json!({"ends_at": "2026-04-06T20:00:00Z", "notes": "Till"})
    );
    assert_eq!(entries[3]["actor_user_id"].as_i64(), Some(approver.id));
    assert!(entries[3]["changes"].get("after").is_none());
}

#[tokio::test]
async fn a_batch_is_written_whole_or_not_at_all() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Grill").await;
    let (approver, staff) = (&s.cast.approver, &s.cast.staff);
    let good = shift(
        &s,
        Some(staff.id),
        "2026-05-04T13:00:00Z",
        "2026-05-04T21:00:00Z",
    );
    let bad = shift(&s, None, "2026-05-05T13:00:00Z", "2026-05-05T12:00:00Z");
    let refused = app
        .post("/api/v1/shifts/bulk", &approver.token, json!([good, bad]))
        .await;
    assert_eq!(
        (refused.status, refused.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("[1].ends_at"))
    );
    // Two shifts of one batch that overlap each other.
    let twice = app
        .post("/api/v1/shifts/bulk", &approver.token, json!([good, good]))
        .await;
    assert_eq!(
        (twice.status, twice.code(), twice.field()),
        (StatusCode::CONFLICT, "shift_overlap", Some("[1].user_id"))
    );
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM shifts WHERE company_id = $1")
            .bind(s.company.id)
            .fetch_one(app.db.pool())
            .await
            .expect("count")
    };
    assert_eq!(count().await, 0);
    let week: Vec<Value> = (4..9)
        .map(|day| {
            shift(
                &s,
                Some(staff.id),
                &format!("2026-05-{day:02}T13:00:00Z"),
                &format!("2026-05-{day:02}T21:00:00Z"),
            )
        })
        .collect();
    let made = app
        .post("/api/v1/shifts/bulk", &approver.token, json!(week))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_eq!(made.body.as_array().map(Vec::len), Some(5));

    // Deleting by filter takes the range's shifts of the location, and only those.
    let gone = app
        .post(
            "/api/v1/shifts/bulk-delete",
            &approver.token,
            json!({"from": "2026-05-05T00:00:00Z", "to": "2026-05-07T00:00:00Z", "location_id": s.location_id}),
        )
        .await;
    assert_eq!(gone.status, StatusCode::OK, "{:?}", gone.body);
    assert_eq!(gone.body["count"], 2);
    let left = app
        .get(
            &format!("/api/v1/shifts?location_id={}", s.location_id),
            &approver.token,
        )
        .await;
    assert_eq!(ids(&left).len(), 3);
    let history = app
        .get(
            &format!("/api/v1/shifts/{}/history", gone.body["deleted"][0]),
            &approver.token,
        )
        .await;
    assert_eq!(history.body["data"][1]["reason"], "delete_bulk");
}

#[tokio::test]
async fn another_companys_location_user_or_shift_is_absent() {
    let app = TestApp::spawn().await;
    let home = shop(&app, "Home Foods").await;
    let away = shop(&app, "Away Foods").await;
    let owner = &home.company.owner.token;
    let theirs = shift(&away, None, "2026-06-01T13:00:00Z", "2026-06-01T21:00:00Z");
    let refused = app.post("/api/v1/shifts", owner, theirs).await;
    assert_eq!(
        (refused.status, refused.field()),
        (StatusCode::NOT_FOUND, Some("location_id"))
    );
    let stranger = shift(
        &home,
        Some(away.cast.staff.id),
        "2026-06-01T13:00:00Z",
        "2026-06-01T21:00:00Z",
    );
    let refused = app.post("/api/v1/shifts", owner, stranger).await;
    assert_eq!(
        (refused.status, refused.field()),
        (StatusCode::NOT_FOUND, Some("user_id"))
    );
    let their_shift = app
        .post(
            "/api/v1/shifts",
            &away.company.owner.token,
            shift(&away, None, "2026-06-01T13:00:00Z", "2026-06-01T21:00:00Z"),
        )
        .await;
    let path = format!("/api/v1/shifts/{}", id(&their_shift));
    assert_eq!(app.get(&path, owner).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("{path}/history"), owner).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn staff_take_a_published_open_shift_that_fits_them_and_only_one_holds_it() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Taking Deli").await;
    let owner = &s.company.owner.token;
    let (staff, approver) = (&s.cast.staff, &s.cast.approver);
    let cook = app
        .post("/api/v1/positions", owner, json!({"name": "Cook"}))
        .await;
    assert_eq!(cook.status, StatusCode::CREATED, "{:?}", cook.body);
    let mut body = shift(&s, None, "2054-12-09T09:00:00Z", "2054-12-09T17:00:00Z");
    body["position_id"] = cook.body["id"].clone();
    let draft = id(&make(&app, owner, body.clone()).await);
    body["published"] = json!(true);
    let open = id(&make(&app, owner, body).await);
    let take = |shift: i64| format!("/api/v1/shifts/{shift}/take");

    // A draft is not there for staff to take; a manager who sees it may not take it yet.
    let hidden = app.post(&take(draft), &staff.token, json!({})).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{:?}", hidden.body);
    let early = app.post(&take(draft), &approver.token, json!({})).await;
    assert_eq!(early.status, StatusCode::FORBIDDEN, "{:?}", early.body);

    // Not a cook yet: the shift does not fit.
    let unfit = app.post(&take(open), &staff.token, json!({})).await;
    assert_eq!(unfit.status, StatusCode::CONFLICT, "{:?}", unfit.body);
    assert_eq!(unfit.body["error"]["code"], "not_eligible");
    assert_eq!(unfit.body["error"]["field"], "position_id");

    for member in [staff, approver] {
        let made_cook = app
            .patch(
                &format!("/api/v1/users/{}", member.id),
                owner,
                json!({"positions": [cook.body["id"]]}),
            )
            .await;
        assert_eq!(made_cook.status, StatusCode::OK, "{:?}", made_cook.body);
    }
    let taken = app.post(&take(open), &staff.token, json!({})).await;
    assert_eq!(taken.status, StatusCode::OK, "{:?}", taken.body);
    assert_eq!(taken.body["user_id"], staff.id);
    assert_eq!(taken.body["is_open"], false);

    // Taken once: nobody takes it again, its holder included.
    for member in [approver, staff] {
        let again = app.post(&take(open), &member.token, json!({})).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{:?}", again.body);
        assert_eq!(again.body["error"]["code"], "shift_not_open");
    }
    let history = app
        .get(&format!("/api/v1/shifts/{open}/history"), &staff.token)
        .await;
    let last = history.body["data"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["reason"], "take");
    assert_eq!(last["actor_user_id"], staff.id);
    assert_eq!(
        last["changes"],
        json!({"before": {"user_id": null}, "after": {"user_id": staff.id}})
    );
}

#[tokio::test]
async fn a_taker_whose_calendar_is_full_is_refused_and_the_shift_stays_open() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Busy Deli").await;
    let owner = &s.company.owner.token;
    let staff = &s.cast.staff;
    let mut held = shift(
        &s,
        Some(staff.id),
        "2054-12-10T08:00:00Z",
        "2054-12-10T12:00:00Z",
    );
    held["published"] = json!(true);
    make(&app, owner, held).await;
    let mut open = shift(&s, None, "2054-12-10T11:00:00Z", "2054-12-10T15:00:00Z");
    open["published"] = json!(true);
    let open = id(&make(&app, owner, open).await);
    let refused = app
        .post(
            &format!("/api/v1/shifts/{open}/take"),
            &staff.token,
            json!({}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.body["error"]["code"], "shift_overlap");
    let still = app
        .get(&format!("/api/v1/shifts/{open}"), &staff.token)
        .await;
    assert_eq!(still.body["is_open"], true, "{:?}", still.body);
}

#[tokio::test]
async fn the_swap_candidates_are_the_people_a_shift_fits_whose_calendar_is_free() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Swapping Deli").await;
    let owner = &s.company.owner.token;
    let c = &s.cast;
    let cook = app
        .post("/api/v1/positions", owner, json!({"name": "Cook"}))
        .await;
    for member in [&c.staff, &c.approver, &c.approver_add, &c.super_user] {
        let made_cook = app
            .patch(
                &format!("/api/v1/users/{}", member.id),
                owner,
                json!({"positions": [cook.body["id"]]}),
            )
            .await;
        assert_eq!(made_cook.status, StatusCode::OK, "{:?}", made_cook.body);
    }
    let mut body = shift(
        &s,
        Some(c.staff.id),
        "2054-12-11T09:00:00Z",
        "2054-12-11T17:00:00Z",
    );
    body["position_id"] = cook.body["id"].clone();
    body["published"] = json!(true);
    let offered = id(&make(&app, owner, body).await);
    // A cook already busy then is no candidate.
    make(
        &app,
        owner,
        shift(
            &s,
            Some(c.approver_add.id),
            "2054-12-11T16:00:00Z",
            "2054-12-11T20:00:00Z",
        ),
    )
    .await;
    // The candidates' shifts the holder could take in exchange: published, not started,
    // within two weeks, clear of the holder's calendar.
    let mut theirs = Vec::new();
    for (member, start, end, published) in [
        (
            &c.approver,
            "2054-12-13T09:00:00Z",
            "2054-12-13T12:00:00Z",
            true,
        ),
        (
            &c.super_user,
            "2054-12-12T09:00:00Z",
            "2054-12-12T12:00:00Z",
            true,
        ),
        (
            &c.super_user,
            "2054-12-14T09:00:00Z",
            "2054-12-14T12:00:00Z",
            false,
        ),
        (
            &c.approver,
            "2054-12-15T09:00:00Z",
            "2054-12-15T17:00:00Z",
            true,
        ),
        (
            &c.approver,
            "2055-01-20T09:00:00Z",
            "2055-01-20T17:00:00Z",
            true,
        ),
    ] {
        let mut body = shift(&s, Some(member.id), start, end);
        body["published"] = json!(published);
        theirs.push(id(&make(&app, owner, body).await));
    }
    // The holder works on the 15th: that one clashes.
    make(
        &app,
        owner,
        shift(
            &s,
            Some(c.staff.id),
            "2054-12-15T10:00:00Z",
            "2054-12-15T11:00:00Z",
        ),
    )
    .await;
    let path = format!("/api/v1/shifts/{offered}/swap-candidates");
    let seen = app.get(&path, owner).await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    assert_eq!(
        seen.body,
        json!({"shift_id": offered, "user_ids": [c.approver.id, c.super_user.id],
               "shift_ids": [theirs[1], theirs[0]]})
    );
    let holder = app.get(&path, &c.staff.token).await;
    assert_eq!(holder.status, StatusCode::OK, "{:?}", holder.body);

    // An open shift is taken, not offered.
    let mut open = shift(&s, None, "2054-12-12T09:00:00Z", "2054-12-12T17:00:00Z");
    open["published"] = json!(true);
    let open = id(&make(&app, owner, open).await);
    let refused = app
        .get(&format!("/api/v1/shifts/{open}/swap-candidates"), owner)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
}
