//! The Leave controller: every call with WhosOff's sample bodies (numbers as strings),
//! the journey across the face and the native API both ways, and bad input.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Integration, data, refused};
use rota_core::mail::worker;
use rota_core::webhooks::WebhookSettings;
use rota_http::HttpConfig;

use crate::common::{Cast, Reply, TestApp, TestCompany};
use crate::mail::Sink;

/// The error's `Field`.
fn field(reply: &Reply) -> &str {
    reply.body["Errors"][0]["Field"].as_str().unwrap_or("")
}

struct Office {
    company: TestCompany,
    cast: Cast,
    holiday: i64,
    staff: Integration,
    approver: Integration,
}

/// A company named `name` (the SMTP sink tells companies' mail apart by address) with one
/// person of each role, and integrations for the staff member and their approver.
async fn office(app: &TestApp, name: &str) -> Office {
    let company = app.company(name).await;
    let cast = app.cast(&company).await;
    let holiday = app.leave_types(&company.owner.token).await.id("H");
    let staff = Integration::of(app, &company, &cast.staff).await;
    let approver = Integration::of(app, &company, &cast.approver).await;
    Office {
        company,
        cast,
        holiday,
        staff,
        approver,
    }
}

/// Monday 1 and Tuesday 2 March 2027, as WhosOff sends two full days.
fn two_days(holiday: i64) -> Value {
    json!({"leave_type_id": holiday.to_string(), "start_date": "2027-03-01T00:00",
           "end_date": "2027-03-03T00:00", "admin": false, "note": "Skiing"})
}

fn assert_record(record: &Value) {
    for key in [
        "leave_id",
        "user_id",
        "leave_type_id",
        "requested_by_id",
        "duration",
        "allowance_type_id",
        "status_id",
        "cancellation_period",
    ] {
        assert!(record[key].is_i64(), "{key}: {record:?}");
    }
    for key in [
        "first_name",
        "last_name",
        "requested_by_first_name",
        "requested_by_last_name",
        "leave_type_name",
        "code",
        "colour",
        "start_date",
        "end_date",
        "requested_date",
    ] {
        assert!(record[key].is_string(), "{key}: {record:?}");
    }
    for key in [
        "image_url_small",
        "image_url_large",
        "department_id",
        "department_name",
        "note",
        "decision_note",
        "decided_date",
    ] {
        assert!(record.get(key).is_some(), "{key}: {record:?}");
    }
}

#[tokio::test]
async fn leave_submitted_through_the_face_is_approved_natively_and_shows_everywhere() {
    let app = TestApp::spawn().await;
    let o = office(&app, "Acme").await;

    let reply = o
        .staff
        .call(
            &app,
            Method::POST,
            "/v4/leave/validate/",
            Some(two_days(o.holiday)),
        )
        .await;
    let quote = data(&reply);
    assert_eq!(quote["duration"], 900, "{quote:?}");
    assert_eq!(quote["allowance_type_id"], 0);
    let before = quote["remaining_before"]
        .as_i64()
        .expect("remaining_before");
    assert_eq!(quote["remaining_after"], before - 900);
    let native = app
        .get(
            &format!("/api/v1/leave-requests?user_id={}", o.cast.staff.id),
            &o.cast.staff.token,
        )
        .await;
    assert_eq!(native.body["data"], json!([]), "validate writes nothing");

    let reply = o
        .staff
        .call(
            &app,
            Method::POST,
            "/v4/leave/submit/",
            Some(two_days(o.holiday)),
        )
        .await;
    let submitted = data(&reply);
    assert_eq!(submitted["status_id"], 1);
    assert_eq!(submitted["duration"], 900);
    let id = submitted["leave_id"].as_i64().expect("leave_id");

    let reply = o
        .staff
        .call(
            &app,
            Method::GET,
            &format!("/v4/leave/get-by-id/{id}"),
            None,
        )
        .await;
    let record = data(&reply);
    assert_record(record);
    assert_eq!(record["start_date"], "2027-03-01T00:00:00");
    assert_eq!(record["end_date"], "2027-03-03T00:00:00");
    assert_eq!(record["status_id"], 1);
    assert_eq!(record["user_id"], o.cast.staff.id);
    assert_eq!(record["first_name"], "staff");
    assert_eq!(record["department_id"], o.cast.department_id);
    assert_eq!(record["department_name"], "Operations");
    assert_eq!(record["code"], "H");
    let colour = record["colour"].as_str().expect("colour");
    assert!(colour.starts_with('#') && colour.len() == 7, "{colour}");
    assert_eq!(record["note"], "Skiing");

    // The native API sees the same request, with inclusive dates, and approves it.
    let native = app
        .get(&format!("/api/v1/leave-requests/{id}"), &o.cast.staff.token)
        .await;
    assert_eq!(native.body["start_date"], "2027-03-01");
    assert_eq!(native.body["end_date"], "2027-03-02");
    assert_eq!(native.body["status"], "pending");
    let approved = app
        .post(
            &format!("/api/v1/leave-requests/{id}/approve"),
            &o.cast.approver.token,
            json!({}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);

    let reply = o
        .staff
        .call(
            &app,
            Method::GET,
            &format!("/v4/leave/get-by-id/{id}/"),
            None,
        )
        .await;
    assert_eq!(data(&reply)["status_id"], 100);

    // On the calendar and in the iCal feed.
    let calendar = app
        .get(
            "/api/v1/calendar?from=2027-03-01&to=2027-03-01",
            &o.cast.approver.token,
        )
        .await;
    assert_eq!(
        calendar.body["days"][0]["absences"][0]["request_id"], id,
        "{:?}",
        calendar.body
    );
    let feed = app
        .post(
            "/api/v1/ical-feeds",
            &o.cast.staff.token,
            json!({"scope": "user"}),
        )
        .await;
    let path = feed.body["path"].as_str().expect("path");
    let ics = app
        .client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .expect("feed")
        .text()
        .await
        .expect("text");
    assert!(ics.contains("DTSTART;VALUE=DATE:20270301"), "{ics}");
    assert!(ics.contains("DTEND;VALUE=DATE:20270303"), "{ics}");

    // The caller's own leave this way, and their staff's the approver's way.
    let reply = o
        .staff
        .call(
            &app,
            Method::POST,
            "/v4/leave/my",
            Some(json!({"date_option": "0", "start_date": "2027-03-01", "end_date": "2027-03-31",
                        "leave_type_ids": [{"leave_type_id": o.holiday.to_string()}], "status_id": "100",
                        "include_leave": true, "include_work": false, "include_free_restricted": false})),
        )
        .await;
    let my = data(&reply);
    assert_eq!(my["start_date"], "2027-03-01T00:00:00");
    assert_eq!(my["end_date"], "2027-04-01T00:00:00");
    assert_eq!(my["leave"][0]["leave_id"], id, "{my:?}");
    let reply = o
        .staff
        .call(
            &app,
            Method::POST,
            "/v4/leave/my",
            Some(json!({"date_option": 0, "start_date": "2027-03-01", "end_date": "2027-03-31", "status_id": 1})),
        )
        .await;
    assert_eq!(data(&reply)["leave"], json!([]), "pending only");
    assert!(data(&reply).get("work").is_none(), "work only when asked");
    let reply = o
        .staff
        .call(
            &app,
            Method::POST,
            "/v4/leave/my",
            Some(
                json!({"date_option": 0, "start_date": "2027-03-01", "end_date": "2027-03-31",
                        "include_leave": false, "include_work": "true"}),
            ),
        )
        .await;
    let work = &data(&reply)["work"];
    assert_eq!(work["start_date"], "2027-03-01", "{work:?}");
    assert_eq!(work["end_date"], "2027-03-31");
    assert_eq!(work["monday"], 450, "the office week: {work:?}");
    assert_eq!(work["sunday"], 0);

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
                "/v4/leave/get",
                Some(
                    json!({"map_type_id": map_type_id.to_string(), "map_id": map_id.to_string(),
                            "user_status_id": "1", "date_option": "0", "start_date": "2027-03-02",
                            "end_date": "2027-03-02", "status_id": "1000"}),
                ),
            )
            .await;
        let list = data(&reply).as_array().expect("an array");
        assert_eq!(list.len(), 1, "map type {map_type_id}: {list:?}");
        assert_record(&list[0]);
        assert_eq!(list[0]["leave_id"], id);
    }
    let reply = o
        .approver
        .call(
            &app,
            Method::POST,
            "/v4/leave/get",
            Some(json!({"map_type_id": "4", "map_id": "0", "date_option": "0", "start_date": "2027-03-01",
                        "end_date": "2027-03-31", "status_id": "1010"})),
        )
        .await;
    assert_eq!(data(&reply), &json!([]), "cancelled and declined only");
}

#[tokio::test]
async fn native_leave_is_decided_edited_and_cancelled_through_the_face() {
    let app = TestApp::spawn().await;
    let o = office(&app, "Acme").await;
    let ask = |start: &str, part: Option<&str>| {
        let mut body = json!({"leave_type_id": o.holiday, "start_date": start, "end_date": start});
        if let Some(part) = part {
            body["start_part"] = json!(part);
        }
        body
    };
    let mut ids = Vec::new();
    for (start, part) in [
        ("2027-04-05", Some("afternoon")),
        ("2027-04-06", None),
        ("2027-04-07", None),
    ] {
        let made = app
            .post(
                "/api/v1/leave-requests",
                &o.cast.staff.token,
                ask(start, part),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
        ids.push(made.body["id"].as_i64().expect("id"));
    }

    // An afternoon reads as 12:00 to the next midnight.
    let reply = o
        .approver
        .call(
            &app,
            Method::GET,
            &format!("/v4/leave/get-by-id/{}", ids[0]),
            None,
        )
        .await;
    assert_eq!(data(&reply)["start_date"], "2027-04-05T12:00:00");
    assert_eq!(data(&reply)["end_date"], "2027-04-06T00:00:00");
    assert_eq!(data(&reply)["duration"], 225);

    let reply = o
        .approver
        .call(
            &app,
            Method::PUT,
            "/v4/leave/approve/",
            Some(json!({"leave_id": ids[0].to_string(), "note": "Enjoy"})),
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
    assert_eq!(native.body["decision_reason"], "Enjoy");

    // Declining needs a reason.
    let reply = o
        .approver
        .call(
            &app,
            Method::PUT,
            "/v4/leave/decline",
            Some(json!({"leave_id": ids[1]})),
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
            "/v4/leave/decline",
            Some(json!({"leave_id": ids[1], "note": "Stock take"})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": ids[1]}));
    let reply = o
        .staff
        .call(
            &app,
            Method::GET,
            &format!("/v4/leave/get-by-id/{}", ids[1]),
            None,
        )
        .await;
    assert_eq!(data(&reply)["status_id"], 930);
    assert_eq!(data(&reply)["decision_note"], "Stock take");

    // The requester moves a pending request to a morning, then cancels it.
    let reply = o
        .staff
        .call(
            &app,
            Method::PUT,
            "/v4/leave/edit",
            Some(
                json!({"leave_id": ids[2].to_string(), "start_date": "2027-04-08T00:00",
                        "end_date": "2027-04-08T12:00", "note": "Dentist"}),
            ),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": ids[2]}));
    let native = app
        .get(
            &format!("/api/v1/leave-requests/{}", ids[2]),
            &o.cast.staff.token,
        )
        .await;
    assert_eq!(native.body["start_date"], "2027-04-08");
    assert_eq!(native.body["end_part"], "morning");
    assert_eq!(native.body["note"], "Dentist");
    let reply = o
        .staff
        .call(
            &app,
            Method::PUT,
            "/v4/leave/cancel",
            Some(json!({"leave_id": ids[2]})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": ids[2]}));
    let native = app
        .get(
            &format!("/api/v1/leave-requests/{}", ids[2]),
            &o.cast.staff.token,
        )
        .await;
    assert_eq!(native.body["status"], "cancelled");
    let reply = o
        .approver
        .call(
            &app,
            Method::POST,
            "/v4/leave/get",
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
        .map(|r| &r["status_id"])
        .collect();
    assert_eq!(codes, [&json!(930), &json!(900)]);
}

#[tokio::test]
async fn hours_and_half_days_book_as_whosoff_writes_them() {
    let app = TestApp::spawn().await;
    let o = office(&app, "Acme").await;
    let cases = [
        (
            "2027-05-11T00:00",
            "2027-05-11T12:00",
            "full",
            "morning",
            None,
        ),
        (
            "2027-05-12T12:00",
            "2027-05-13T00:00",
            "afternoon",
            "full",
            None,
        ),
        (
            "2027-05-13T09:00",
            "2027-05-13T09:15",
            "full",
            "full",
            Some(("09:00", "09:15")),
        ),
    ];
    let mut last = 0;
    for (start, end, start_part, end_part, times) in cases {
        let reply = o
            .staff
            .call(
                &app,
                Method::POST,
                "/v4/leave/submit",
                Some(json!({"leave_type_id": o.holiday, "start_date": start, "end_date": end})),
            )
            .await;
        let id = data(&reply)["leave_id"].as_i64().expect("id");
        let native = app
            .get(&format!("/api/v1/leave-requests/{id}"), &o.cast.staff.token)
            .await;
        assert_eq!(native.body["start_date"], &start[..10], "{start}");
        assert_eq!(native.body["end_date"], &start[..10], "{start}");
        assert_eq!(native.body["start_part"], start_part, "{start}");
        assert_eq!(native.body["end_part"], end_part, "{start}");
        if let Some((from, to)) = times {
            assert_eq!(native.body["start_time"], from);
            assert_eq!(native.body["end_time"], to);
            assert_eq!(native.body["minutes"], 15);
        }
        let reply = o
            .staff
            .call(
                &app,
                Method::GET,
                &format!("/v4/leave/get-by-id/{id}"),
                None,
            )
            .await;
        assert_eq!(data(&reply)["start_date"], format!("{start}:00"));
        assert_eq!(data(&reply)["end_date"], format!("{end}:00"));
        last = id;
    }

    // The quarter of an hour becomes a whole day: its times go with it.
    let reply = o
        .staff
        .call(
            &app,
            Method::PUT,
            "/v4/leave/edit",
            Some(json!({"leave_id": last, "start_date": "2027-05-14T00:00",
                        "end_date": "2027-05-15T00:00"})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": last}));
    let native = app
        .get(
            &format!("/api/v1/leave-requests/{last}"),
            &o.cast.staff.token,
        )
        .await;
    assert_eq!(native.body["start_date"], "2027-05-14");
    assert_eq!(native.body["start_time"], Value::Null);
    assert_eq!(native.body["end_time"], Value::Null);
    assert_eq!(native.body["start_part"], "full");
}

#[tokio::test]
async fn bad_input_is_refused_in_the_envelope_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let o = office(&app, "Acme").await;
    let other = app.company("Globex").await;
    let stranger = Integration::of(&app, &other, &other.owner).await;
    let h = o.holiday;

    let cases: Vec<(&Integration, Method, &str, Value, &str, &str)> = vec![
        // A half day on a bank holiday (Monday 3 May 2027), named in WhosOff's field.
        (
            &o.staff,
            Method::POST,
            "/v4/leave/submit",
            json!({"leave_type_id": h, "start_date": "2027-05-03T00:00", "end_date": "2027-05-03T12:00"}),
            "validation_failed",
            "end_date",
        ),
        // Not expressible in Rota: never rounded.
        (
            &o.staff,
            Method::POST,
            "/v4/leave/submit",
            json!({"leave_type_id": h, "start_date": "2027-03-01T09:00", "end_date": "2027-03-01T09:16"}),
            "validation_failed",
            "end_date",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/leave/submit",
            json!({"leave_type_id": h, "start_date": "2027-03-01T09:00", "end_date": "2027-03-02T00:00"}),
            "validation_failed",
            "end_date",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/leave/submit",
            json!({"leave_type_id": h, "start_date": "2027-03-02T00:00", "end_date": "2027-03-01T00:00"}),
            "validation_failed",
            "end_date",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/leave/submit",
            json!({"leave_type_id": h, "start_date": "01/03/2027", "end_date": "2027-03-02T00:00"}),
            "validation_failed",
            "start_date",
        ),
        // Wrong types and missing fields.
        (
            &o.staff,
            Method::POST,
            "/v4/leave/submit",
            json!({"leave_type_id": "holiday", "start_date": "2027-03-01T00:00", "end_date": "2027-03-02T00:00"}),
            "validation_failed",
            "leave_type_id",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/leave/validate",
            json!({"start_date": "2027-03-01T00:00", "end_date": "2027-03-02T00:00"}),
            "validation_failed",
            "leave_type_id",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/leave/validate",
            json!({"leave_id": "3", "leave_type_id": h, "start_date": "2027-03-01T00:00", "end_date": "2027-03-02T00:00"}),
            "validation_failed",
            "leave_id",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/leave/my",
            json!({"date_option": "0", "end_date": "2027-03-02"}),
            "validation_failed",
            "start_date",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/leave/my",
            json!({"date_option": "4"}),
            "validation_failed",
            "date_option",
        ),
        (
            &o.staff,
            Method::POST,
            "/v4/leave/my",
            json!({"date_option": "1", "status_id": "900"}),
            "validation_failed",
            "status_id",
        ),
        (
            &o.approver,
            Method::POST,
            "/v4/leave/get",
            json!({"map_type_id": "5", "map_id": "0", "date_option": "1"}),
            "validation_failed",
            "map_type_id",
        ),
        (
            &o.approver,
            Method::POST,
            "/v4/leave/get",
            json!({"map_type_id": "0", "map_id": "0", "date_option": "1", "status_id": "2"}),
            "validation_failed",
            "status_id",
        ),
        (
            &o.approver,
            Method::POST,
            "/v4/leave/get",
            json!({"map_type_id": "0", "map_id": "0", "date_option": "1", "user_status_id": "2"}),
            "validation_failed",
            "user_status_id",
        ),
        (
            &o.staff,
            Method::PUT,
            "/v4/leave/edit",
            json!({"leave_id": "1", "end_date": "2027-03-02T00:00"}),
            "validation_failed",
            "start_date",
        ),
        // A user level below the call's: forbidden whatever the body holds.
        (
            &o.staff,
            Method::POST,
            "/v4/leave/get",
            json!({"map_type_id": "nine"}),
            "forbidden",
            "",
        ),
        (
            &o.staff,
            Method::PUT,
            "/v4/leave/approve",
            json!({"leave_id": []}),
            "forbidden",
            "",
        ),
        (
            &o.staff,
            Method::PUT,
            "/v4/leave/decline",
            json!({}),
            "forbidden",
            "",
        ),
        // Another company's ids are absent.
        (
            &stranger,
            Method::POST,
            "/v4/leave/submit",
            json!({"leave_type_id": h, "start_date": "2027-03-01T00:00", "end_date": "2027-03-02T00:00"}),
            "not_found",
            "leave_type_id",
        ),
        (
            &o.approver,
            Method::POST,
            "/v4/leave/get",
            json!({"map_type_id": "1", "map_id": "999999", "date_option": "1"}),
            "not_found",
            "",
        ),
    ];
    for (who, method, path, body, code, at) in cases {
        let reply = who.call(&app, method, path, Some(body.clone())).await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, code),
            "{path} {body}: {:?}",
            reply.body
        );
        if !at.is_empty() {
            assert_eq!(field(&reply), at, "{path} {body}: {:?}", reply.body);
        }
    }

    // A request of this company, asked for by ids of the other.
    let made = app
        .post(
            "/api/v1/leave-requests",
            &o.cast.staff.token,
            json!({"leave_type_id": h, "start_date": "2027-06-01", "end_date": "2027-06-01"}),
        )
        .await;
    let id = made.body["id"].as_i64().expect("id");
    let reply = stranger
        .call(
            &app,
            Method::GET,
            &format!("/v4/leave/get-by-id/{id}"),
            None,
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    for call in ["approve", "cancel"] {
        let reply = stranger
            .call(
                &app,
                Method::PUT,
                &format!("/v4/leave/{call}"),
                Some(json!({"leave_id": id})),
            )
            .await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, "not_found"),
            "{call}"
        );
    }

    // Nothing was written but the one native request, still pending.
    let native = app
        .get("/api/v1/leave-requests", &o.company.owner.token)
        .await;
    let all = native.body["data"].as_array().expect("requests");
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["status"], "pending");
}

#[tokio::test]
async fn the_face_sends_the_same_webhooks_and_mail_as_the_native_api() {
    let app = TestApp::spawn_with(HttpConfig {
        webhooks: WebhookSettings {
            allow_private: true,
            secret_key: None,
        },
        ..HttpConfig::default()
    })
    .await;
    let o = office(&app, &format!("WhosOff Mail {:08x}", rand::random::<u32>())).await;
    let hook = app
        .post(
            "/api/v1/webhooks",
            &o.company.owner.token,
            json!({"url": "http://127.0.0.1:9/hook", "events": ["leave.requested", "leave.approved"]}),
        )
        .await;
    assert_eq!(hook.status, StatusCode::CREATED, "{:?}", hook.body);
    let hook = hook.body["id"].as_i64().expect("id");

    let reply = o
        .staff
        .call(
            &app,
            Method::POST,
            "/v4/leave/submit",
            Some(two_days(o.holiday)),
        )
        .await;
    let id = data(&reply)["leave_id"].as_i64().expect("leave_id");
    let asked = Sink::find("the_face_sends_the_same_webhooks_and_mail_as_the_native_api");
    if let Some(sink) = &asked {
        worker::deliver_due(&app.db, &sink.mailer)
            .await
            .expect("a pass");
        let mail = sink.messages_to(&o.cast.approver.email);
        if mail.len() != 1 {
            // What the outbox says of it, to tell a send that failed from one never queued.
            let rows: Vec<(String, Option<String>)> = sqlx::query_as(
                "SELECT recipient_address || ': ' || subject, last_error FROM outbox WHERE company_id = $1",
            )
            .bind(o.company.id)
            .fetch_all(app.db.pool())
            .await
            .expect("the outbox");
            panic!("the approver's mail: {mail:?}; the outbox: {rows:?}");
        }
        let subject = mail[0]["subject"].as_str().expect("subject");
        assert!(
            subject.ends_with(
                "Please decide: Holiday for staff Tester, Mon 1 Mar 2027 – Tue 2 Mar 2027"
            ),
            "{subject}"
        );
    }
    let reply = o
        .approver
        .call(
            &app,
            Method::PUT,
            "/v4/leave/approve",
            Some(json!({"leave_id": id})),
        )
        .await;
    data(&reply);
    if let Some(sink) = &asked {
        worker::deliver_due(&app.db, &sink.mailer)
            .await
            .expect("a pass");
        assert_eq!(sink.messages_to(&o.cast.staff.email).len(), 1);
    }

    let log = app
        .get(
            &format!("/api/v1/webhooks/{hook}/deliveries"),
            &o.company.owner.token,
        )
        .await;
    let mut events: Vec<&str> = log.body["data"]
        .as_array()
        .expect("deliveries")
        .iter()
        .filter_map(|d| d["event"].as_str())
        .collect();
    events.sort_unstable();
    assert_eq!(
        events,
        ["leave.approved", "leave.requested"],
        "{:?}",
        log.body
    );
}
