//! The User Allowance controller.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Integration, data, refused};
use crate::common::TestApp;

#[tokio::test]
async fn allowances_are_answered_in_minutes_of_the_working_day() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let other = app.company("Globex").await;
    let cast = app.cast(&company).await;
    let holiday = app.leave_types(&company.owner.token).await.id("H");
    let staff = Integration::of(&app, &company, &cast.staff).await;
    let approver = Integration::of(&app, &company, &cast.approver).await;

    let reply = staff
        .call(
            &app,
            Method::POST,
            "/v4/leave/submit",
            Some(json!({"leave_type_id": holiday, "start_date": "2027-03-01T00:00", "end_date": "2027-03-03T00:00"})),
        )
        .await;
    let id = data(&reply)["leave_id"].as_i64().expect("leave_id");
    data(
        &approver
            .call(
                &app,
                Method::PUT,
                "/v4/leave/approve",
                Some(json!({"leave_id": id})),
            )
            .await,
    );

    let body = json!({"user_id": cast.staff.id.to_string(), "start_date": "2027-03-01"});
    let reply = staff
        .call(
            &app,
            Method::POST,
            "/v4/user-allowance/retrieve/",
            Some(body.clone()),
        )
        .await;
    let records = data(&reply).as_array().expect("array");
    let this_year = records
        .iter()
        .find(|r| r["leave_type_id"] == holiday && r["start_date"] == "2027-01-01")
        .expect("this year's holiday");
    for key in [
        "user_allowance_id",
        "opening",
        "remaining",
        "pending",
        "taken",
        "carryover_opening",
        "carryover_remaining",
        "allowance_type_id",
    ] {
        assert!(this_year[key].is_i64(), "{key}: {this_year:?}");
    }
    assert_eq!(this_year["end_date"], "2027-12-31");
    assert_eq!(this_year["allowance_type_id"], 0);
    assert_eq!(this_year["taken"], 900, "two days of 7 h 30");
    assert_eq!(this_year["locked"], false);
    let [opening, carry, remaining] =
        ["opening", "carryover_remaining", "remaining"].map(|k| this_year[k].as_i64().expect(k));
    assert_eq!(remaining, opening + carry - 900);

    // The same allowance natively, in hundredths of a day.
    let native = app
        .get(
            &format!("/api/v1/users/{}/allowances?date=2027-03-01", cast.staff.id),
            &cast.staff.token,
        )
        .await;
    let same = native
        .body
        .as_array()
        .expect("allowances")
        .iter()
        .find(|a| a["id"] == this_year["user_allowance_id"])
        .expect("the same allowance");
    assert_eq!(same["taken"], 200);
    assert_eq!(
        same["remaining"].as_i64().map(|r| r * 450 / 100),
        Some(remaining)
    );

    // Someone else's balances are absent to staff, and another company's user to anyone.
    let reply = staff
        .call(
            &app,
            Method::POST,
            "/v4/user-allowance/retrieve",
            Some(json!({"user_id": cast.approver.id})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    let owner = Integration::of(&app, &company, &company.owner).await;
    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/user-allowance/retrieve",
            Some(json!({"user_id": other.owner.id})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    for bad in [
        json!({}),
        json!({"user_id": "me"}),
        json!({"user_id": cast.staff.id, "start_date": "March"}),
    ] {
        let reply = staff
            .call(
                &app,
                Method::POST,
                "/v4/user-allowance/retrieve",
                Some(bad.clone()),
            )
            .await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, "validation_failed"),
            "{bad}"
        );
    }
}
