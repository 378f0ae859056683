//! The Whosoff controller: who is off, person by person, by every map type.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Integration, data, refused};
use crate::common::TestApp;

fn retrieve(map_type_id: i64, map_id: i64, only_off: bool) -> Value {
    json!({"map_type_id": map_type_id.to_string(), "map_id": map_id.to_string(),
           "start_date": "2027-03-01", "end_date": "2027-03-31",
           "include_free_restricted": "false", "include_only_whosoff": only_off})
}

fn names(reply: &Value) -> Vec<&str> {
    reply
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|p| p["first_name"].as_str())
        .collect()
}

#[tokio::test]
async fn who_is_off_answers_per_person_with_their_leave_and_work() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let holiday = app.leave_types(&company.owner.token).await.id("H");
    let staff = Integration::of(&app, &company, &cast.staff).await;
    let approver = Integration::of(&app, &company, &cast.approver).await;
    let colleague = Integration::of(&app, &company, &cast.approver_add).await;

    let mut ids = Vec::new();
    for (start, end) in [
        ("2027-03-01T00:00", "2027-03-03T00:00"),
        ("2027-03-10T12:00", "2027-03-11T00:00"),
    ] {
        let reply = staff
            .call(
                &app,
                Method::POST,
                "/v4/leave/submit",
                Some(json!({"leave_type_id": holiday.to_string(), "start_date": start, "end_date": end})),
            )
            .await;
        ids.push(data(&reply)["leave_id"].as_i64().expect("leave_id"));
    }
    let reply = approver
        .call(
            &app,
            Method::PUT,
            "/v4/leave/approve",
            Some(json!({"leave_id": ids[0]})),
        )
        .await;
    data(&reply);

    let reply = staff
        .call(
            &app,
            Method::POST,
            "/v4/whosoff/retrieve/",
            Some(retrieve(1, cast.department_id, true)),
        )
        .await;
    let people = data(&reply);
    assert_eq!(names(people), ["staff"], "{people:?}");
    let person = &people[0];
    assert_eq!(person["user_id"], cast.staff.id);
    assert_eq!(person["department_name"], "Operations");
    assert!(person.get("image_url_small").is_some());
    assert_eq!(
        person["work"],
        json!({"start_date": "2027-03-01", "end_date": "2027-03-31", "monday": 450, "tuesday": 450,
               "wednesday": 450, "thursday": 450, "friday": 450, "saturday": 0, "sunday": 0})
    );
    assert_eq!(
        person["leave"],
        json!([
            {"leave_id": ids[0], "leave_type_id": holiday, "leave_type_name": "Holiday", "colour": person["leave"][0]["colour"],
             "start_date": "2027-03-01T00:00:00", "end_date": "2027-03-03T00:00:00", "duration": 900, "status_id": 100},
            {"leave_id": ids[1], "leave_type_id": holiday, "leave_type_name": "Holiday", "colour": person["leave"][0]["colour"],
             "start_date": "2027-03-10T12:00:00", "end_date": "2027-03-11T00:00:00", "duration": 225, "status_id": 1},
        ])
    );

    // A colleague of the department sees the approved leave, not the pending one; with
    // include_only_whosoff false, everyone of the department, off or not.
    let reply = colleague
        .call(
            &app,
            Method::POST,
            "/v4/whosoff/retrieve",
            Some(retrieve(1, cast.department_id, false)),
        )
        .await;
    let people = data(&reply);
    assert_eq!(
        names(people),
        ["approver", "approver-add", "staff"],
        "{people:?}"
    );
    let seen = &people[2]["leave"];
    assert_eq!(seen.as_array().map(Vec::len), Some(1), "{seen:?}");
    assert_eq!(seen[0]["leave_id"], ids[0]);
    assert_eq!(people[0]["leave"], json!([]));

    // Every map type that names the staff member finds them; a type filter narrows.
    for (map_type_id, map_id) in [(0, 0), (3, cast.staff.id), (5, cast.approver.id)] {
        let reply = approver
            .call(
                &app,
                Method::POST,
                "/v4/whosoff/retrieve",
                Some(retrieve(map_type_id, map_id, true)),
            )
            .await;
        assert_eq!(names(data(&reply)), ["staff"], "map type {map_type_id}");
    }
    let reply = approver
        .call(
            &app,
            Method::POST,
            "/v4/whosoff/retrieve",
            Some(retrieve(4, 0, true)),
        )
        .await;
    assert_eq!(names(data(&reply)), ["staff"]);
    let mut narrowed = retrieve(0, 0, true);
    narrowed["leave_type_ids"] = json!([{"leave_type_id": (holiday + 1).to_string()}]);
    let reply = approver
        .call(&app, Method::POST, "/v4/whosoff/retrieve", Some(narrowed))
        .await;
    assert_eq!(data(&reply), &json!([]));

    // The same absence is on the native calendar.
    let calendar = app
        .get(
            "/api/v1/calendar?from=2027-03-02&to=2027-03-02",
            &cast.approver_add.token,
        )
        .await;
    assert_eq!(
        calendar.body["days"][0]["absences"][0]["request_id"],
        ids[0]
    );
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let other = app.company("Globex").await;
    let staff_member = app.member(&company, "staff", json!({})).await;
    let staff = Integration::of(&app, &company, &staff_member).await;
    let department = app
        .post(
            "/api/v1/departments",
            &other.owner.token,
            json!({"name": "Theirs"}),
        )
        .await;
    let theirs = department.body["id"].as_i64().expect("id");

    let mut late = retrieve(0, 0, true);
    late["end_date"] = json!("2027-02-01");
    let mut long = retrieve(0, 0, true);
    long["end_date"] = json!("2028-12-31");
    let mut slashed = retrieve(0, 0, true);
    slashed["start_date"] = json!("01/03/2027");
    let mut missing = retrieve(0, 0, true);
    missing
        .as_object_mut()
        .expect("object")
        .remove("include_only_whosoff");
    let mut typed = retrieve(0, 0, true);
    typed["include_only_whosoff"] = json!("sometimes");
    let cases = [
        (retrieve(8, 0, true), "validation_failed", "map_type_id"),
        (retrieve(-1, 0, true), "validation_failed", "map_type_id"),
        (late, "validation_failed", "end_date"),
        (long, "validation_failed", "end_date"),
        (slashed, "validation_failed", "start_date"),
        (missing, "validation_failed", "include_only_whosoff"),
        (typed, "validation_failed", "include_only_whosoff"),
        (retrieve(1, theirs, true), "not_found", ""),
        (retrieve(6, 999_999, true), "not_found", ""),
        (retrieve(7, 999_999, true), "not_found", ""),
        (retrieve(5, other.owner.id, true), "not_found", ""),
    ];
    for (body, code, field) in cases {
        let reply = staff
            .call(
                &app,
                Method::POST,
                "/v4/whosoff/retrieve",
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, code),
            "{body}: {:?}",
            reply.body
        );
        if !field.is_empty() {
            assert_eq!(reply.body["Errors"][0]["Field"], field, "{body}");
        }
    }
}
