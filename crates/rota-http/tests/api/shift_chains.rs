//! Repeating shifts: a manager makes a weekday chain that runs across a DST change and
//! keeps its local times; staff read its occurrences; one day is edited into a shift of
//! its own, another deleted, the rest changed and ended "this and following"; conflicts
//! are checked for every occurrence, and against occurrences.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::shifts::{Shop, shop};

/// A chain body at `shop`'s location for `user_id`, from its first shift to `until`.
fn chain(shop: &Shop, user_id: i64, start: &str, end: &str, weekdays: i64, until: &str) -> Value {
    json!({"user_id": user_id, "location_id": shop.location_id, "starts_at": start, "ends_at": end,
           "weekdays": weekdays, "until": until, "published": true})
}

/// Whether `message` (a refusal's or a warning's) names `day` first, as `on DAY: …`.
fn names_day(message: &Value, day: &str) -> bool {
    message
        .as_str()
        .is_some_and(|m| m.starts_with(&format!("on {day}:")))
}

/// The occurrences `token` sees in the range, as (date, starts_at, ends_at).
async fn occurrences(
    app: &TestApp,
    token: &str,
    from: &str,
    to: &str,
) -> Vec<(String, String, String)> {
    let reply = app
        .get(
            &format!("/api/v1/shift-chains/occurrences?from={from}&to={to}"),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply
        .body
        .as_array()
        .expect("occurrences")
        .iter()
        .map(|o| {
            let text = |key: &str| o[key].as_str().expect(key).to_owned();
            (text("date"), text("starts_at"), text("ends_at"))
        })
        .collect()
}

#[tokio::test]
async fn a_weekday_chain_keeps_its_local_times_and_is_edited_one_day_or_from_a_day_on() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Deli").await;
    let (approver, staff) = (&s.cast.approver, &s.cast.staff);
    // Monday 2026-10-26 to Friday 2026-11-06, Monday to Friday; New York leaves summer
    // time on Sunday 2026-11-01.
    let made = app
        .post(
            "/api/v1/shift-chains",
            &approver.token,
            chain(
                &s,
                staff.id,
                "2026-10-26T09:00:00-04:00",
                "2026-10-26T17:00:00-04:00",
                31,
                "2026-11-06",
            ),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_eq!(made.body["time_zone"], "America/New_York");
    assert_eq!(made.body["start_time"], "09:00");
    assert_eq!(made.body["length_minutes"], 480);
    let path = format!("/api/v1/shift-chains/{}", made.body["id"]);
    let (from, to) = ("2026-10-26T00:00:00Z", "2026-11-09T00:00:00Z");

    let seen = occurrences(&app, &staff.token, from, to).await;
    assert_eq!(seen.len(), 10);
    assert_eq!(
        seen[0],
        (
            "2026-10-26".into(),
            "2026-10-26T09:00:00-04:00".into(),
            "2026-10-26T17:00:00-04:00".into()
        )
    );
    assert_eq!(
        seen[5],
        (
            "2026-11-02".into(),
            "2026-11-02T09:00:00-05:00".into(),
            "2026-11-02T17:00:00-05:00".into()
        )
    );

    // This one: Wednesday starts an hour later, as a shift of its own.
    let detached = app
        .patch(
            &format!("{path}/occurrences/2026-10-28"),
            &approver.token,
            json!({"starts_at": "2026-10-28T10:00:00-04:00"}),
        )
        .await;
    assert_eq!(detached.status, StatusCode::CREATED, "{:?}", detached.body);
    assert_eq!(detached.body["starts_at"], "2026-10-28T10:00:00-04:00");
    assert_eq!(detached.body["user_id"], staff.id);
    let history = app
        .get(
            &format!("/api/v1/shifts/{}/history", detached.body["id"]),
            &approver.token,
        )
        .await;
    assert_eq!(
        history.body["data"][0]["reason"],
        "created_from_repeating_series"
    );
    // Editing it again is an ordinary shift edit; the day is no longer the chain's.
    let again = app
        .patch(
            &format!("{path}/occurrences/2026-10-28"),
            &approver.token,
            json!({"notes": "x"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{:?}", again.body);

    // This one: Thursday is deleted.
    let gone = app
        .delete(&format!("{path}/occurrences/2026-10-29"), &approver.token)
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{:?}", gone.body);
    let chain_now = app.get(&path, &staff.token).await;
    assert_eq!(
        chain_now.body["exceptions"],
        json!([{"date": "2026-10-28", "shift_id": detached.body["id"]},
               {"date": "2026-10-29", "shift_id": null}])
    );
    let days: Vec<String> = occurrences(&app, &staff.token, from, to)
        .await
        .into_iter()
        .map(|(day, _, _)| day)
        .collect();
    assert_eq!(days.len(), 8);
    assert!(!days.contains(&"2026-10-28".to_owned()) && !days.contains(&"2026-10-29".to_owned()));

    // This and following: from Tuesday 2026-11-03 the shift starts at noon.
    let split = app
        .patch(
            &format!("{path}?from=2026-11-03"),
            &approver.token,
            json!({"start_time": "12:00"}),
        )
        .await;
    assert_eq!(split.status, StatusCode::OK, "{:?}", split.body);
    assert_eq!(split.body["first_date"], "2026-11-03");
    assert_eq!(split.body["until"], "2026-11-06");
    assert_ne!(split.body["id"], made.body["id"]);
    assert_eq!(
        app.get(&path, &staff.token).await.body["until"],
        "2026-11-02"
    );
    let seen = occurrences(&app, &staff.token, from, to).await;
    assert_eq!(seen.len(), 8);
    assert_eq!(seen[3].1, "2026-11-02T09:00:00-05:00");
    assert_eq!(seen[4].1, "2026-11-03T12:00:00-05:00");

    // Its occurrences conflict with a shift as a stored shift would.
    let clash = app
        .post(
            "/api/v1/shifts",
            &approver.token,
            json!({"user_id": staff.id, "location_id": s.location_id,
                   "starts_at": "2026-11-04T13:00:00-05:00", "ends_at": "2026-11-04T15:00:00-05:00"}),
        )
        .await;
    assert_eq!(clash.status, StatusCode::CONFLICT, "{:?}", clash.body);
    assert_eq!(clash.body["error"]["code"], "shift_overlap");

    // And a chain over the user's shifts is refused naming the day, unless overridden.
    let over = chain(
        &s,
        staff.id,
        "2026-11-02T08:00:00-05:00",
        "2026-11-02T10:00:00-05:00",
        1,
        "2026-11-30",
    );
    let refused = app
        .post("/api/v1/shift-chains", &approver.token, over.clone())
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.body["error"]["code"], "shift_overlap");
    assert!(
        names_day(&refused.body["error"]["message"], "2026-11-02"),
        "{:?}",
        refused.body
    );
    let mut overridden = over;
    overridden["override"] = json!(true);
    let forced = app
        .post("/api/v1/shift-chains", &approver.token, overridden)
        .await;
    assert_eq!(forced.status, StatusCode::CREATED, "{:?}", forced.body);

    // This and following, deleted: from Thursday 2026-11-05 on.
    let split_path = format!("/api/v1/shift-chains/{}", split.body["id"]);
    let ended = app
        .delete(&format!("{split_path}?from=2026-11-05"), &approver.token)
        .await;
    assert_eq!(ended.status, StatusCode::NO_CONTENT, "{:?}", ended.body);
    assert_eq!(
        app.get(&split_path, &staff.token).await.body["until"],
        "2026-11-04"
    );
    let whole = app.delete(&split_path, &approver.token).await;
    assert_eq!(whole.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&split_path, &staff.token).await.status,
        StatusCode::NOT_FOUND
    );

    let audit: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_events WHERE company_id = $1 AND action LIKE 'shift%' ORDER BY id",
    )
    .bind(s.company.id)
    .fetch_all(app.db.pool())
    .await
    .expect("audit");
    assert_eq!(
        audit,
        [
            "shift_chain.created",
            "shift.created",
            "shift_chain.updated",
            "shift_chain.updated",
            "shift_chain.updated",
            "shift_chain.created",
            "shift_chain.created",
            "shift_chain.updated",
            "shift_chain.deleted",
        ]
    );
}

#[tokio::test]
async fn a_chain_over_conflicts_the_company_lets_through_is_saved_with_warnings() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Bakery").await;
    let (owner, staff) = (&s.company.owner.token, &s.cast.staff);
    let held = app
        .post(
            "/api/v1/shifts",
            owner,
            json!({"user_id": staff.id, "location_id": s.location_id,
                   "starts_at": "2055-03-10T09:00:00-05:00", "ends_at": "2055-03-10T17:00:00-05:00"}),
        )
        .await;
    assert_eq!(held.status, StatusCode::CREATED, "{:?}", held.body);
    let settings =
        json!({"open_shifts_require_approval": false, "conflict_warnings": ["shift_overlap"]});
    let set = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/company/schedule",
            Some(owner),
            Some(settings),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);

    // Wednesdays from 2055-03-03: the second one overlaps the stored shift.
    let over = chain(
        &s,
        staff.id,
        "2055-03-03T08:00:00-05:00",
        "2055-03-03T10:00:00-05:00",
        4,
        "2055-03-31",
    );
    let made = app.post("/api/v1/shift-chains", owner, over).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_eq!(made.body["warnings"].as_array().map(Vec::len), Some(1));
    assert_eq!(made.body["warnings"][0]["code"], "shift_overlap");
    assert!(
        names_day(&made.body["warnings"][0]["message"], "2055-03-10"),
        "{:?}",
        made.body
    );
    let path = format!("/api/v1/shift-chains/{}", made.body["id"]);
    assert!(app.get(&path, owner).await.body.get("warnings").is_none());

    // A kind the company does not let through still refuses, naming its day, and the
    // chain keeps its times.
    let closed = app
        .post(
            "/api/v1/annotations",
            owner,
            json!({"kind": "business_closed", "title": "Stocktake", "start_date": "2055-03-24", "end_date": "2055-03-24"}),
        )
        .await;
    assert_eq!(closed.status, StatusCode::CREATED, "{:?}", closed.body);
    let refused = app
        .patch(&path, owner, json!({"start_time": "07:00"}))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.body["error"]["code"], "business_closed");
    assert!(
        names_day(&refused.body["error"]["message"], "2055-03-24"),
        "{:?}",
        refused.body
    );
    assert_eq!(app.get(&path, owner).await.body["start_time"], "08:00");
}

#[tokio::test]
async fn staff_do_not_see_draft_chains_nor_manage_them() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Cafe").await;
    let (approver, staff) = (&s.cast.approver, &s.cast.staff);
    let mut body = chain(
        &s,
        staff.id,
        "2026-12-07T09:00:00-05:00",
        "2026-12-07T17:00:00-05:00",
        31,
        "2026-12-11",
    );
    body["published"] = json!(false);
    let made = app
        .post("/api/v1/shift-chains", &approver.token, body)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let path = format!("/api/v1/shift-chains/{}", made.body["id"]);
    let (from, to) = ("2026-12-07T00:00:00Z", "2026-12-14T00:00:00Z");
    assert_eq!(occurrences(&app, &approver.token, from, to).await.len(), 5);
    assert!(occurrences(&app, &staff.token, from, to).await.is_empty());
    assert_eq!(
        app.get(&path, &staff.token).await.status,
        StatusCode::NOT_FOUND
    );
    let published = app
        .patch(&path, &approver.token, json!({"published": true}))
        .await;
    assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
    assert_eq!(occurrences(&app, &staff.token, from, to).await.len(), 5);
    let refused = app
        .delete(&format!("{path}/occurrences/2026-12-08"), &staff.token)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_schedule_of_a_week_is_one_read_of_shifts_and_occurrences() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Bakery").await;
    let (approver, staff) = (&s.cast.approver, &s.cast.staff);
    let made = app
        .post(
            "/api/v1/shift-chains",
            &approver.token,
            chain(
                &s,
                staff.id,
                "2026-10-26T09:00:00-04:00",
                "2026-10-26T17:00:00-04:00",
                31,
                "2026-12-31",
            ),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    // A draft on Saturday, and Wednesday's occurrence edited into a shift of its own.
    let draft = app
        .post(
            "/api/v1/shifts",
            &approver.token,
            crate::shifts::shift(
                &s,
                Some(staff.id),
                "2026-10-31T09:00:00-04:00",
                "2026-10-31T13:00:00-04:00",
            ),
        )
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{:?}", draft.body);
    let detached = app
        .patch(
            &format!(
                "/api/v1/shift-chains/{}/occurrences/2026-10-28",
                made.body["id"]
            ),
            &approver.token,
            json!({"starts_at": "2026-10-28T10:00:00-04:00"}),
        )
        .await;
    assert_eq!(detached.status, StatusCode::CREATED, "{:?}", detached.body);

    let week = |token: &str, extra: &str| {
        let path = format!(
            "/api/v1/schedule?from=2026-10-26T04:00:00Z&to=2026-11-02T04:00:00Z&location_id={}{extra}",
            s.location_id
        );
        let token = token.to_owned();
        let app = &app;
        async move {
            let reply = app.get(&path, &token).await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
            let starts = |key: &str| -> Vec<String> {
                reply.body[key]
                    .as_array()
                    .expect(key)
                    .iter()
                    .map(|o| o["starts_at"].as_str().expect("starts_at").to_owned())
                    .collect()
            };
            (starts("shifts"), starts("occurrences"))
        }
    };
    let (shifts, occurrences) = week(&approver.token, "").await;
    assert_eq!(
        shifts,
        ["2026-10-28T10:00:00-04:00", "2026-10-31T09:00:00-04:00"]
    );
    assert_eq!(occurrences.len(), 4, "{occurrences:?}");
    assert_eq!(occurrences[0], "2026-10-26T09:00:00-04:00");
    // Staff do not see drafts; the detached day stays published as its chain was.
    let (shifts, occurrences) = week(&staff.token, "").await;
    assert_eq!(shifts, ["2026-10-28T10:00:00-04:00"]);
    assert_eq!(occurrences.len(), 4);
    let (shifts, occurrences) = week(&approver.token, "&published=false").await;
    assert_eq!(shifts, ["2026-10-31T09:00:00-04:00"]);
    assert!(occurrences.is_empty());

    // Unpaged, so bounded: six weeks at most.
    let long = app
        .get(
            "/api/v1/schedule?from=2026-10-01T00:00:00Z&to=2026-11-12T00:00:01Z",
            &approver.token,
        )
        .await;
    assert_eq!(
        long.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        long.body
    );
    assert_eq!(long.body["error"]["field"], "to");
}

#[tokio::test]
async fn a_chains_breaks_keep_their_minutes_after_the_start_on_every_night() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Bakery").await;
    let (approver, staff) = (&s.cast.approver, &s.cast.staff);
    // Three nights, 22:00 to 06:00 in New York; summer time ends at 02:00 on the second.
    let mut body = chain(
        &s,
        staff.id,
        "2026-10-30T22:00:00-04:00",
        "2026-10-31T06:00:00-04:00",
        127,
        "2026-11-01",
    );
    let outside = json!([{"length_minutes": 30, "start_time": "07:00"}]);
    body["breaks"] = outside;
    let refused = app
        .post("/api/v1/shift-chains", &approver.token, body.clone())
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["error"]["field"], "breaks[0].start_time");
    body["breaks"] = json!([{"length_minutes": 300}, {"length_minutes": 200, "paid": true}]);
    let refused = app
        .post("/api/v1/shift-chains", &approver.token, body.clone())
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["error"]["field"], "breaks");
    let none = app
        .get(
            "/api/v1/shift-chains/occurrences?from=2026-10-30T00:00:00Z&to=2026-11-03T00:00:00Z",
            &approver.token,
        )
        .await;
    assert_eq!(none.body, json!([]), "nothing written");

    body["breaks"] = json!([
        {"length_minutes": 30, "paid": false, "start_time": "02:00"},
        {"length_minutes": 15, "paid": true}
    ]);
    let made = app
        .post("/api/v1/shift-chains", &approver.token, body)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_eq!(
        made.body["breaks"],
        json!([
            {"length_minutes": 30, "paid": false, "start_time": "02:00"},
            {"length_minutes": 15, "paid": true, "start_time": null}
        ])
    );
    let path = format!("/api/v1/shift-chains/{}", made.body["id"]);

    let seen = app
        .get(
            "/api/v1/shift-chains/occurrences?from=2026-10-30T00:00:00Z&to=2026-11-03T00:00:00Z",
            &staff.token,
        )
        .await;
    let nights = seen.body.as_array().expect("occurrences");
    assert_eq!(nights.len(), 3);
    let meal = |night: &Value| {
        (
            night["breaks"][0]["starts_at"].as_str().map(str::to_owned),
            night["breaks"][0]["ends_at"].as_str().map(str::to_owned),
        )
    };
    assert_eq!(
        meal(&nights[0]),
        (
            Some("2026-10-31T02:00:00-04:00".into()),
            Some("2026-10-31T02:30:00-04:00".into())
        )
    );
    // Four hours after 22:00 on the night the clocks go back is 01:00 standard time.
    assert_eq!(
        meal(&nights[1]),
        (
            Some("2026-11-01T01:00:00-05:00".into()),
            Some("2026-11-01T01:30:00-05:00".into())
        )
    );
    assert_eq!(nights[1]["unpaid_break_minutes"], 30);
    assert_eq!(nights[1]["breaks"][1]["starts_at"], Value::Null);

    // A night edited on its own becomes a shift with those breaks.
    let detached = app
        .patch(
            &format!("{path}/occurrences/2026-10-31"),
            &approver.token,
            json!({}),
        )
        .await;
    assert_eq!(detached.status, StatusCode::CREATED, "{:?}", detached.body);
    assert_eq!(detached.body["unpaid_break_minutes"], 30);
    assert_eq!(
        detached.body["breaks"][0]["starts_at"],
        "2026-11-01T01:00:00-05:00"
    );
    assert_eq!(detached.body["breaks"][1]["paid"], true);

    // A later start moves the breaks with it; breaks given replace them.
    let later = app
        .patch(&path, &approver.token, json!({"start_time": "23:00"}))
        .await;
    assert_eq!(later.status, StatusCode::OK, "{:?}", later.body);
    assert_eq!(later.body["breaks"][0]["start_time"], "03:00");
    let cleared = app
        .patch(&path, &approver.token, json!({"breaks": []}))
        .await;
    assert_eq!(cleared.status, StatusCode::OK, "{:?}", cleared.body);
    assert_eq!(cleared.body["breaks"], json!([]));
    let shorter = app
        .patch(
            &path,
            &approver.token,
            json!({"length_minutes": 20, "breaks": [{"length_minutes": 20}]}),
        )
        .await;
    assert_eq!(shorter.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(shorter.body["error"]["field"], "breaks");
}
