//! The Reporting controller.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Integration, data, refused};
use crate::common::TestApp;

/// The lines of `reporting/work` for `body`, by user id.
async fn work(app: &TestApp, caller: &Integration, body: Value) -> Vec<Value> {
    let reply = caller
        .call(app, Method::POST, "/v4/reporting/work/", Some(body))
        .await;
    data(&reply).as_array().expect("array").clone()
}

fn ids(lines: &[Value]) -> Vec<i64> {
    let mut ids: Vec<i64> = lines.iter().filter_map(|l| l["user_id"].as_i64()).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn work_answers_each_persons_week_in_force_on_the_day_to_approvers_for_their_staff() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let owner = Integration::of(&app, &company, &company.owner).await;
    let approver = Integration::of(&app, &company, &cast.approver).await;
    data(
        &owner
            .call(
                &app,
                Method::POST,
                "/v4/work/create",
                Some(
                    json!({"user_id": cast.staff.id, "start_date": "2031-01-06", "monday": 480,
                    "tuesday": 480, "wednesday": 480, "thursday": 480, "friday": 240,
                    "saturday": 0, "sunday": 0, "allowance_type_id": 0}),
                ),
            )
            .await,
    );

    // The approver's staff only, with the pattern in force on the day, and before it the
    // office week.
    let person = app
        .get(
            &format!("/api/v1/users/{}", cast.staff.id),
            &company.owner.token,
        )
        .await;
    let lines = work(&app, &approver, json!({"start_date": "2031-02-03"})).await;
    assert_eq!(
        lines,
        vec![
            json!({"user_id": cast.staff.id, "first_name": person.body["first_name"],
            "last_name": person.body["last_name"], "department_name": "Operations",
            "allowance_type_id": 0, "monday": 480, "tuesday": 480, "wednesday": 480,
            "thursday": 480, "friday": 240, "saturday": 0, "sunday": 0, "total": 2160})
        ]
    );
    let lines = work(
        &app,
        &approver,
        json!({"start_date": "2030-12-01", "map_type_id": null, "map_id": null, "user_status_id": null}),
    )
    .await;
    assert_eq!(
        [&lines[0]["monday"], &lines[0]["total"]],
        [&json!(450), &json!(2250)]
    );

    // A super user reports on everyone, by the maps of user/retrieve.
    let everyone = work(&app, &owner, json!({})).await;
    for member in [
        &company.owner,
        &cast.staff,
        &cast.approver,
        &cast.super_user,
    ] {
        assert!(ids(&everyone).contains(&member.id), "{}", member.id);
    }
    let department = work(
        &app,
        &owner,
        json!({"map_type_id": "1", "map_id": cast.department_id.to_string()}),
    )
    .await;
    let mut expected = vec![cast.staff.id, cast.approver.id, cast.approver_add.id];
    expected.sort_unstable();
    assert_eq!(ids(&department), expected);
    let one = work(
        &app,
        &owner,
        json!({"map_type_id": 3, "map_id": cast.staff.id}),
    )
    .await;
    assert_eq!(ids(&one), vec![cast.staff.id]);
    let staff_of = work(
        &app,
        &owner,
        json!({"map_type_id": 5, "map_id": cast.approver.id}),
    )
    .await;
    assert_eq!(ids(&staff_of), vec![cast.staff.id]);
}

#[tokio::test]
async fn work_is_an_approver_call_and_bad_input_is_named() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let other = app.company("Globex").await;
    let cast = app.cast(&company).await;
    let owner = Integration::of(&app, &company, &company.owner).await;
    let staff = Integration::of(&app, &company, &cast.staff).await;
    let approver = Integration::of(&app, &company, &cast.approver).await;

    let reply = staff
        .call(
            &app,
            Method::POST,
            "/v4/reporting/work",
            Some(json!({"map_type_id": "x"})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "forbidden"));
    // An approver reports on their own staff, not another approver's.
    let reply = approver
        .call(
            &app,
            Method::POST,
            "/v4/reporting/work",
            Some(json!({"map_type_id": 5, "map_id": cast.approver_add.id})),
        )
        .await;
    assert_eq!(refused(&reply).0, StatusCode::BAD_REQUEST);

    for (body, code, field) in [
        (
            json!({"map_type_id": 6}),
            "validation_failed",
            "map_type_id",
        ),
        (json!({"map_type_id": 1}), "validation_failed", "map_id"),
        (
            json!({"user_status_id": 2}),
            "validation_failed",
            "user_status_id",
        ),
        (
            json!({"start_date": "03/02/2031"}),
            "validation_failed",
            "start_date",
        ),
        (json!({"map_id": "one"}), "validation_failed", "map_id"),
        (
            json!({"map_type_id": 1, "map_id": 999_999}),
            "not_found",
            "",
        ),
    ] {
        let reply = owner
            .call(&app, Method::POST, "/v4/reporting/work", Some(body.clone()))
            .await;
        assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, code), "{body}");
        if !field.is_empty() {
            assert_eq!(reply.body["Errors"][0]["Field"], field, "{body}");
        }
    }

    // Another company's department and people are absent; its own report holds none of Acme's.
    let stranger = Integration::of(&app, &other, &other.owner).await;
    let reply = stranger
        .call(
            &app,
            Method::POST,
            "/v4/reporting/work",
            Some(json!({"map_type_id": 1, "map_id": cast.department_id})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    let theirs = work(&app, &stranger, json!({})).await;
    assert_eq!(ids(&theirs), vec![other.owner.id]);
}
