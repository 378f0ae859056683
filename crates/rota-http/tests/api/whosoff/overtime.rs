//! The Overtime controller: overtime across the face and the native API both ways, the
//! time off in lieu it earns, quotes and edits as leave's, and what the face refuses (the
//! other kind among it).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Integration, data, refused};
use crate::common::{Cast, TestApp, TestCompany};
use crate::leave::holiday_allowance;

struct Office {
    company: TestCompany,
    cast: Cast,
    holiday: i64,
    overtime: i64,
    toil: i64,
    staff: Integration,
    approver: Integration,
}

async fn office(app: &TestApp, name: &str) -> Office {
    let company = app.company(name).await;
    let cast = app.cast(&company).await;
    let types = app.leave_types(&company.owner.token).await;
    let staff = Integration::of(app, &company, &cast.staff).await;
    let approver = Integration::of(app, &company, &cast.approver).await;
    Office {
        holiday: types.id("H"),
        overtime: types.id("O"),
        toil: types.id("T"),
        company,
        cast,
        staff,
        approver,
    }
}

/// Two hours after work on Monday 1 March 2027, as WhosOff sends them.
fn evening(overtime: i64) -> Value {
    json!({"overtime_type_id": overtime.to_string(), "start_date": "2027-03-01T17:00",
           "end_date": "2027-03-01T19:00", "note": "Stock take"})
}

/// The staff member's time off in lieu remaining in 2027, in hundredths of a day.
async fn toil_remaining(app: &TestApp, o: &Office) -> i64 {
    let allowances = app
        .get(
            &format!(
                "/api/v1/users/{}/allowances?date=2027-03-01",
                o.cast.staff.id
            ),
            &o.cast.staff.token,
        )
        .await;
    holiday_allowance(&allowances.body, "2027-01-01", o.toil)["remaining"]
        .as_i64()
        .unwrap_or(0)
}

#[tokio::test]
async fn overtime_submitted_through_the_face_is_approved_natively_and_earns_time_off_in_lieu() {
    let app = TestApp::spawn().await;
    let o = office(&app, "Acme").await;
    let before = toil_remaining(&app, &o).await;

    let reply = o
        .staff
        .call(
            &app,
            Method::POST,
            "/v4/overtime/submit/",
            Some(evening(o.overtime)),
        )
        .await;
    let submitted = data(&reply);
    assert_eq!(
        submitted,
        &json!({"overtime_id": submitted["overtime_id"], "status_id": 1, "request_status_id": 1, "duration": 120})
    );
    let id = submitted["overtime_id"].as_i64().expect("overtime_id");

    let reply = o
        .staff
        .call(
            &app,
            Method::GET,
            &format!("/v4/overtime/get-by-id/{id}"),
            None,
        )
        .await;
    let record = data(&reply);
    for key in [
        "overtime_id",
        "user_id",
        "first_name",
        "last_name",
        "department_name",
        "overtime_type_id",
        "overtime_type_name",
        "colour",
        "status_id",
        "start_date",
        "end_date",
        "allowance_type_id",
        "duration",
    ] {
        assert!(record.get(key).is_some(), "{key}: {record:?}");
    }
    assert_eq!(record["overtime_type_id"], o.overtime);
    assert_eq!(record["overtime_type_name"], "Overtime");
    assert_eq!(record["start_date"], "2027-03-01T17:00:00");
    assert_eq!(record["end_date"], "2027-03-01T19:00:00");
    assert_eq!(record["department_name"], "Operations");
    assert_eq!(record["allowance_type_id"], 0);
    assert_eq!(record["status_id"], 1);
    assert_eq!(record["request_status_id"], 1);
    assert_eq!(record["note"], "Stock take");

    // The native API sees an overtime request, and approves it.
    let native = app
        .get(&format!("/api/v1/leave-requests/{id}"), &o.cast.staff.token)
        .await;
    assert_eq!(native.body["kind"], "overtime");
    assert_eq!(native.body["start_time"], "17:00");
    assert_eq!(native.body["end_time"], "19:00");
    let amount = native.body["amount"].as_i64().expect("amount");
    let approved = app
        .post(
            &format!("/api/v1/leave-requests/{id}/approve"),
            &o.cast.approver.token,
            json!({}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    assert_eq!(toil_remaining(&app, &o).await, before + amount);

    let reply = o
        .staff
        .call(
            &app,
            Method::GET,
            &format!("/v4/overtime/get-by-id/{id}/"),
            None,
        )
        .await;
    assert_eq!(data(&reply)["status_id"], 1);
    assert_eq!(data(&reply)["request_status_id"], 100);

    // The caller's own overtime, and their staff's the approver's way; leave lists none.
    let reply = o
        .staff
        .call(
            &app,
            Method::POST,
            "/v4/overtime/my",
            Some(
                json!({"date_option": "0", "start_date": "2027-03-01", "end_date": "2027-03-31",
                        "overtime_type_ids": [{"overtime_type_id": o.overtime.to_string()}],
                        "status_id": "100"}),
            ),
        )
        .await;
    let my = data(&reply);
    assert_eq!(my["start_date"], "2027-03-01T00:00:00");
    assert_eq!(my["end_date"], "2027-04-01T00:00:00");
    assert_eq!(my["overtime"][0]["overtime_id"], id, "{my:?}");
    for (map_type_id, map_id) in [
        (0, 0),
        (1, o.cast.department_id),
        (3, o.cast.staff.id),
        (4, 0),
    ] {
        let reply = o
            .approver
            .call(
                &app,
                Method::POST,
                "/v4/overtime/retrieve",
                Some(
                    json!({"map_type_id": map_type_id.to_string(), "map_id": map_id.to_string(),
                            "user_status_id": "1", "date_option": "0", "start_date": "2027-03-01",
                            "end_date": "2027-03-01", "status_id": "0"}),
                ),
            )
            .await;
        let list = data(&reply).as_array().expect("an array");
        assert_eq!(list.len(), 1, "map type {map_type_id}: {list:?}");
        assert_eq!(list[0]["overtime_id"], id);
    }
    let reply = o
        .staff
        .call(
            &app,
            Method::POST,
            "/v4/leave/my",
            Some(json!({"date_option": "0", "start_date": "2027-03-01", "end_date": "2027-03-31"})),
        )
        .await;
    assert_eq!(data(&reply)["leave"], json!([]), "overtime is not leave");
}

#[tokio::test]
async fn native_overtime_is_decided_and_cancelled_through_the_face() {
    let app = TestApp::spawn().await;
    let o = office(&app, "Acme").await;
    let before = toil_remaining(&app, &o).await;
    let mut ids = Vec::new();
    for day in ["2027-04-05", "2027-04-06", "2027-04-07"] {
        let made = app
            .post(
                "/api/v1/leave-requests",
                &o.cast.staff.token,
                json!({"leave_type_id": o.overtime, "start_date": day, "end_date": day,
                       "start_time": "09:00", "end_time": "12:45"}),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
        ids.push(made.body["id"].as_i64().expect("id"));
    }

    let reply = o
        .approver
        .call(
            &app,
            Method::PUT,
            "/v4/overtime/approve/",
            Some(json!({"overtime_id": ids[0].to_string(), "note": "Thanks"})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": ids[0]}));
    let native = app
        .get(
            &format!("/api/v1/leave-requests/{}", ids[0]),
            &o.cast.staff.token,
        )
        .await;
    assert_eq!(native.body["status"], "approved");
    assert_eq!(native.body["decision_reason"], "Thanks");
    assert_eq!(
        toil_remaining(&app, &o).await,
        before + 50,
        "3h45 of a 7h30 day is half a day"
    );

    // Declining needs a reason.
    let reply = o
        .approver
        .call(
            &app,
            Method::PUT,
            "/v4/overtime/decline",
            Some(json!({"overtime_id": ids[1]})),
        )
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::BAD_REQUEST, "validation_failed")
    );
    let reply = o
        .approver
        .call(
            &app,
            Method::PUT,
            "/v4/overtime/decline",
            Some(json!({"overtime_id": ids[1], "note": "Not needed"})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": ids[1]}));
    let reply = o
        .staff
        .call(
            &app,
            Method::GET,
            &format!("/v4/overtime/get-by-id/{}", ids[1]),
            None,
        )
        .await;
    assert_eq!(data(&reply)["status_id"], 0);
    assert_eq!(data(&reply)["request_status_id"], 930);
    assert_eq!(data(&reply)["decision_note"], "Not needed");

    // The requester cancels a pending one; a super user the approved one, which takes its
    // time off in lieu back.
    let reply = o
        .staff
        .call(
            &app,
            Method::PUT,
            "/v4/overtime/cancel",
            Some(json!({"overtime_id": ids[2]})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": ids[2]}));
    let owner = Integration::of(&app, &o.company, &o.company.owner).await;
    let reply = owner
        .call(
            &app,
            Method::PUT,
            "/v4/overtime/cancel",
            Some(json!({"overtime_id": ids[0], "note": "Booked twice"})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": ids[0]}));
    assert_eq!(toil_remaining(&app, &o).await, before);
    let reply = o
        .approver
        .call(
            &app,
            Method::POST,
            "/v4/overtime/retrieve",
            Some(
                json!({"map_type_id": "1", "map_id": o.cast.department_id, "date_option": "0",
                        "start_date": "2027-04-01", "end_date": "2027-04-30", "status_id": "1010"}),
            ),
        )
        .await;
    let codes: Vec<&Value> = data(&reply)
        .as_array()
        .expect("array")
        .iter()
        .map(|r| &r["request_status_id"])
        .collect();
    assert_eq!(codes, [&json!(900), &json!(930), &json!(900)]);
}

#[tokio::test]
async fn overtime_is_quoted_and_edited_as_leave_is() {
    let app = TestApp::spawn().await;
    let o = office(&app, "Acme").await;

    // A quote writes nothing.
    let reply = o
        .staff
        .call(
            &app,
            Method::POST,
            "/v4/overtime/validate/",
            Some(evening(o.overtime)),
        )
        .await;
    assert_eq!(
        data(&reply),
        &json!({"user_id": o.cast.staff.id, "overtime_type_id": o.overtime, "duration": 120,
                "allowance_type_id": 0, "warnings": []})
    );
    let native = app.get("/api/v1/leave-requests", &o.cast.staff.token).await;
    assert_eq!(native.body["data"], json!([]), "validate writes nothing");

    // The requester moves pending overtime to a longer evening; the native API sees it.
    let reply = o
        .staff
        .call(
            &app,
            Method::POST,
            "/v4/overtime/submit",
            Some(evening(o.overtime)),
        )
        .await;
    let id = data(&reply)["overtime_id"].as_i64().expect("overtime_id");
    let reply = o
        .staff
        .call(
            &app,
            Method::PUT,
            "/v4/overtime/edit/",
            Some(
                json!({"overtime_id": id.to_string(), "start_date": "2027-03-02T17:00",
                        "end_date": "2027-03-02T20:30", "note": "Inventory"}),
            ),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": id}));
    let native = app
        .get(&format!("/api/v1/leave-requests/{id}"), &o.cast.staff.token)
        .await;
    assert_eq!(native.body["kind"], "overtime");
    assert_eq!(native.body["start_date"], "2027-03-02");
    assert_eq!(native.body["start_time"], "17:00");
    assert_eq!(native.body["end_time"], "20:30");
    assert_eq!(native.body["note"], "Inventory");
    let reply = o
        .staff
        .call(
            &app,
            Method::GET,
            &format!("/v4/overtime/get-by-id/{id}"),
            None,
        )
        .await;
    assert_eq!(data(&reply)["duration"], 210);

    // Once decided, it no longer changes: cancel and submit again.
    let reply = o
        .approver
        .call(
            &app,
            Method::PUT,
            "/v4/overtime/approve",
            Some(json!({"overtime_id": id})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": id}));
    let reply = o
        .staff
        .call(
            &app,
            Method::PUT,
            "/v4/overtime/edit",
            Some(json!({"overtime_id": id, "note": "Later"})),
        )
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::BAD_REQUEST, "already_decided")
    );
}

/// Who calls, how, with which body, and the refusal's code and `Field` (empty: none).
type Case<'a> = (
    &'a Integration,
    Method,
    String,
    Option<Value>,
    &'a str,
    &'a str,
);

#[tokio::test]
async fn the_other_kind_and_bad_input_are_refused_and_write_nothing() {
    let app = TestApp::spawn().await;
    let o = office(&app, "Acme").await;
    let other = app.company("Globex").await;
    let stranger = Integration::of(&app, &other, &other.owner).await;
    let (h, ot) = (o.holiday, o.overtime);
    let leave = app
        .post(
            "/api/v1/leave-requests",
            &o.cast.staff.token,
            json!({"leave_type_id": h, "start_date": "2027-06-01", "end_date": "2027-06-01"}),
        )
        .await;
    let leave = leave.body["id"].as_i64().expect("id");
    let overtime = app
        .post(
            "/api/v1/leave-requests",
            &o.cast.staff.token,
            json!({"leave_type_id": ot, "start_date": "2027-06-02", "end_date": "2027-06-02",
                   "start_time": "17:00", "end_time": "18:00"}),
        )
        .await;
    let overtime = overtime.body["id"].as_i64().expect("id");

    let cases: Vec<Case> = vec![
        // A type of the other kind, named in the call's own field.
        (
            &o.staff,
            Method::POST,
            "/v4/overtime/submit".into(),
            Some(evening(h)),
            "wrong_type_kind",
            "overtime_type_id",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/leave/submit".into(),
            Some(
                json!({"leave_type_id": ot, "start_date": "2027-03-01T17:00", "end_date": "2027-03-01T19:00"}),
            ),
            "wrong_type_kind",
            "leave_type_id",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/leave/validate".into(),
            Some(
                json!({"leave_type_id": ot, "start_date": "2027-03-01T17:00", "end_date": "2027-03-01T19:00"}),
            ),
            "wrong_type_kind",
            "leave_type_id",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/overtime/validate".into(),
            Some(evening(h)),
            "wrong_type_kind",
            "overtime_type_id",
        ),
        (
            &o.staff,
            Method::PUT,
            "/v4/overtime/edit".into(),
            Some(json!({"overtime_id": overtime, "overtime_type_id": h})),
            "wrong_type_kind",
            "overtime_type_id",
        ),
        // A request of the other kind is absent.
        (
            &o.staff,
            Method::PUT,
            "/v4/overtime/edit".into(),
            Some(json!({"overtime_id": leave, "note": "mine"})),
            "not_found",
            "",
        ),
        (
            &o.staff,
            Method::GET,
            format!("/v4/overtime/get-by-id/{leave}"),
            None,
            "not_found",
            "",
        ),
        (
            &o.approver,
            Method::PUT,
            "/v4/overtime/approve".into(),
            Some(json!({"overtime_id": leave})),
            "not_found",
            "",
        ),
        (
            &o.staff,
            Method::PUT,
            "/v4/overtime/cancel".into(),
            Some(json!({"overtime_id": leave})),
            "not_found",
            "",
        ),
        (
            &o.staff,
            Method::GET,
            format!("/v4/leave/get-by-id/{overtime}"),
            None,
            "not_found",
            "",
        ),
        (
            &o.approver,
            Method::PUT,
            "/v4/leave/approve".into(),
            Some(json!({"leave_id": overtime})),
            "not_found",
            "",
        ),
        (
            &o.staff,
            Method::PUT,
            "/v4/leave/edit".into(),
            Some(json!({"leave_id": overtime, "note": "mine"})),
            "not_found",
            "",
        ),
        // Not expressible, or not WhosOff's values.
        (
            &o.staff,
            Method::POST,
            "/v4/overtime/submit".into(),
            Some(
                json!({"overtime_type_id": ot, "start_date": "2027-03-01T17:00", "end_date": "2027-03-01T17:16"}),
            ),
            "validation_failed",
            "end_date",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/overtime/submit".into(),
            Some(
                json!({"overtime_type_id": "overtime", "start_date": "2027-03-01T17:00", "end_date": "2027-03-01T18:00"}),
            ),
            "validation_failed",
            "overtime_type_id",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/overtime/submit".into(),
            Some(
                json!({"overtime_id": "3", "overtime_type_id": ot, "start_date": "2027-03-01T17:00", "end_date": "2027-03-01T18:00"}),
            ),
            "validation_failed",
            "overtime_id",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/overtime/submit".into(),
            Some(
                json!({"leave_type_id": ot, "start_date": "2027-03-01T17:00", "end_date": "2027-03-01T18:00"}),
            ),
            "validation_failed",
            "leave_type_id",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/overtime/validate".into(),
            Some(
                json!({"overtime_id": "3", "overtime_type_id": ot, "start_date": "2027-03-01T17:00", "end_date": "2027-03-01T18:00"}),
            ),
            "validation_failed",
            "overtime_id",
        ),
        (
            &o.staff,
            Method::PUT,
            "/v4/overtime/edit".into(),
            Some(json!({"overtime_id": overtime, "end_date": "2027-06-02T19:00"})),
            "validation_failed",
            "start_date",
        ),
        (
            &o.staff,
            Method::PUT,
            "/v4/overtime/edit".into(),
            Some(json!({"overtime_id": overtime, "leave_type_id": ot})),
            "validation_failed",
            "leave_type_id",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/overtime/my".into(),
            Some(json!({"date_option": "1", "status_id": "900"})),
            "validation_failed",
            "status_id",
        ),
        (
            &o.approver,
            Method::POST,
            "/v4/overtime/retrieve".into(),
            Some(json!({"map_type_id": "5", "map_id": "0", "date_option": "1"})),
            "validation_failed",
            "map_type_id",
        ),
        // A user level below the call's: forbidden whatever the body holds.
        (
            &o.staff,
            Method::POST,
            "/v4/overtime/retrieve".into(),
            Some(json!({"map_type_id": "nine"})),
            "forbidden",
            "",
        ),
        (
            &o.staff,
            Method::PUT,
            "/v4/overtime/approve".into(),
            Some(json!({"overtime_id": []})),
            "forbidden",
            "",
        ),
        (
            &o.staff,
            Method::PUT,
            "/v4/overtime/decline".into(),
            Some(json!({})),
            "forbidden",
            "",
        ),
        // Another company's ids are absent.
        (
            &stranger,
            Method::POST,
            "/v4/overtime/submit".into(),
            Some(evening(ot)),
            "not_found",
            "overtime_type_id",
        ),
        (
            &stranger,
            Method::GET,
            format!("/v4/overtime/get-by-id/{overtime}"),
            None,
            "not_found",
            "",
        ),
        (
            &stranger,
            Method::PUT,
            "/v4/overtime/approve".into(),
            Some(json!({"overtime_id": overtime})),
            "not_found",
            "",
        ),
        (
            &stranger,
            Method::PUT,
            "/v4/overtime/edit".into(),
            Some(json!({"overtime_id": overtime, "note": "theirs"})),
            "not_found",
            "",
        ),
        (
            &stranger,
            Method::POST,
            "/v4/overtime/validate".into(),
            Some(evening(ot)),
            "not_found",
            "overtime_type_id",
        ),
    ];
    for (who, method, path, body, code, at) in cases {
        let reply = who.call(&app, method, &path, body.clone()).await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, code),
            "{path} {body:?}: {:?}",
            reply.body
        );
        if !at.is_empty() {
            assert_eq!(
                reply.body["Errors"][0]["Field"], at,
                "{path} {body:?}: {:?}",
                reply.body
            );
        }
    }

    // Nothing was written but the two native requests, still pending.
    let native = app
        .get("/api/v1/leave-requests", &o.company.owner.token)
        .await;
    let all = native.body["data"].as_array().expect("requests");
    let statuses: Vec<&Value> = all.iter().map(|r| &r["status"]).collect();
    assert_eq!(statuses, [&json!("pending"), &json!("pending")], "{all:?}");
    let notes: Vec<&Value> = all.iter().map(|r| &r["note"]).collect();
    assert_eq!(
        notes,
        [&Value::Null, &Value::Null],
        "the edits were refused"
    );
}
