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

/// The staff member's allowance of `leave_type_id` (Holiday when absent) in the leave year
/// holding `date`, natively, in hundredths of a day.
async fn native(
    app: &TestApp,
    token: &str,
    user_id: i64,
    leave_type_id: i64,
    date: &str,
) -> serde_json::Value {
    let reply = app
        .get(
            &format!("/api/v1/users/{user_id}/allowances?date={date}"),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply
        .body
        .as_array()
        .expect("allowances")
        .iter()
        .find(|a| {
            let year = date.split('-').next().unwrap_or_default();
            a["leave_type_id"] == leave_type_id && a["year_start"] == format!("{year}-01-01")
        })
        .cloned()
        .expect("the year's allowance")
}

#[tokio::test]
async fn create_sets_opening_carry_over_and_remaining_as_the_native_api_shows_them_and_back() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let holiday = app.leave_types(&company.owner.token).await.id("H");
    let owner = Integration::of(&app, &company, &company.owner).await;
    let token = &company.owner.token;

    // 25 days opening, 2 carried over, 20 wanted left: 7 days come off as an adjustment
    // (a day is the default 7 h 30, 450 minutes).
    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/user-allowance/create/",
            Some(
                json!({"user_id": cast.staff.id.to_string(), "start_date": "2031-05-01",
                "opening": "11250", "remaining": "9000", "carryover_opening": "900",
                "carryover_remaining": "900", "locked": false}),
            ),
        )
        .await;
    let id = data(&reply)["user_allowance_id"]
        .as_i64()
        .expect("user_allowance_id");
    let same = native(&app, token, cast.staff.id, holiday, "2031-05-01").await;
    assert_eq!(same["id"], id);
    assert_eq!(
        [
            &same["opening"],
            &same["adjustments"],
            &same["carryover_opening"],
            &same["remaining"]
        ],
        [&json!(2500), &json!(-700), &json!(200), &json!(2000)]
    );

    // Read back through the face, then moved natively and read again.
    let retrieve = || async {
        let reply = owner
            .call(
                &app,
                Method::POST,
                "/v4/user-allowance/retrieve",
                Some(json!({"user_id": cast.staff.id, "start_date": "2031-05-01"})),
            )
            .await;
        data(&reply)
            .as_array()
            .expect("array")
            .iter()
            .find(|r| r["user_allowance_id"] == id)
            .cloned()
            .expect("the allowance")
    };
    let record = retrieve().await;
    assert_eq!(
        [
            &record["opening"],
            &record["remaining"],
            &record["carryover_opening"],
            &record["carryover_remaining"]
        ],
        [&json!(11250), &json!(9000), &json!(900), &json!(900)]
    );
    let reply = app
        .post(
            &format!("/api/v1/users/{}/allowances/adjustments", cast.staff.id),
            token,
            json!({"leave_type_id": holiday, "date": "2031-05-01", "amount": 100, "reason": "Long service"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(retrieve().await["remaining"], 9450);

    // Setting it again (create sets the year's allowance) and updating what is sent only.
    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/user-allowance/create",
            Some(json!({"user_id": cast.staff.id, "start_date": "2031-12-31", "leave_type_id": holiday,
                "opening": 11250, "remaining": 11250, "carryover_opening": 0, "carryover_remaining": 0})),
        )
        .await;
    assert_eq!(data(&reply)["user_allowance_id"], id);
    let reply = owner
        .call(
            &app,
            Method::PUT,
            "/v4/user-allowance/update/",
            Some(json!({"user_allowance_id": id.to_string(), "remaining": "10350"})),
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": id}));
    let record = retrieve().await;
    assert_eq!(
        [
            &record["opening"],
            &record["remaining"],
            &record["carryover_opening"]
        ],
        [&json!(11250), &json!(10350), &json!(0)]
    );
    let same = native(&app, token, cast.staff.id, holiday, "2031-05-01").await;
    assert_eq!(
        [&same["adjustments"], &same["remaining"]],
        [&json!(-200), &json!(2300)]
    );

    // Audited as the native opening and adjustments are.
    let audit = crate::access::audit_actions(&app, token).await;
    for action in ["allowance.opening_set", "allowance.adjusted"] {
        assert!(
            audit.iter().any(|e| e["action"] == action),
            "{action}: {audit:?}"
        );
    }
}

#[tokio::test]
async fn del_removes_an_allowance_nothing_was_booked_against() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let holiday = app.leave_types(&company.owner.token).await.id("H");
    let owner = Integration::of(&app, &company, &company.owner).await;
    let staff = Integration::of(&app, &company, &cast.staff).await;
    let token = &company.owner.token;
    let create = |year: &str| {
        json!({"user_id": cast.staff.id, "start_date": format!("{year}-03-01"), "opening": 4500,
            "remaining": 4500, "carryover_opening": 0, "carryover_remaining": 0})
    };

    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/user-allowance/create",
            Some(create("2032")),
        )
        .await;
    let unbooked = data(&reply)["user_allowance_id"].as_i64().expect("id");
    let reply = owner
        .call(
            &app,
            Method::DELETE,
            &format!("/v4/user-allowance/del/{unbooked}/"),
            None,
        )
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": unbooked}));
    let reply = owner
        .call(
            &app,
            Method::DELETE,
            &format!("/v4/user-allowance/del/{unbooked}"),
            None,
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    // The year opens afresh with the default entitlement (25 days) when next read.
    let fresh = native(&app, token, cast.staff.id, holiday, "2032-03-01").await;
    assert_eq!(
        [&fresh["opening"], &fresh["adjustments"]],
        [&json!(2500), &json!(0)]
    );

    // A year leave was booked against keeps its allowance.
    let reply = owner
        .call(
            &app,
            Method::POST,
            "/v4/user-allowance/create",
            Some(create("2033")),
        )
        .await;
    let booked = data(&reply)["user_allowance_id"].as_i64().expect("id");
    data(
        &staff
            .call(
                &app,
                Method::POST,
                "/v4/leave/submit",
                Some(json!({"leave_type_id": holiday, "start_date": "2033-03-01T00:00", "end_date": "2033-03-02T00:00"})),
            )
            .await,
    );
    let reply = owner
        .call(
            &app,
            Method::DELETE,
            &format!("/v4/user-allowance/del/{booked}"),
            None,
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "in_use"));
    let kept = native(&app, token, cast.staff.id, holiday, "2033-03-01").await;
    assert_eq!(
        [&kept["id"], &kept["opening"], &kept["pending"]],
        [&json!(booked), &json!(1000), &json!(100)]
    );
}

#[tokio::test]
async fn user_allowance_changes_are_super_user_calls_and_bad_figures_change_nothing() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let other = app.company("Globex").await;
    let cast = app.cast(&company).await;
    let types = app.leave_types(&company.owner.token).await;
    let (holiday, sickness) = (types.id("H"), types.id("S"));
    let owner = Integration::of(&app, &company, &company.owner).await;
    let token = &company.owner.token;
    let before = native(&app, token, cast.staff.id, holiday, "2031-05-01").await;

    // Below SUPER USER: refused before the body is read.
    for member in [&cast.staff, &cast.approver] {
        let lower = Integration::of(&app, &company, member).await;
        for (method, path) in [
            (Method::POST, "/v4/user-allowance/create".to_owned()),
            (Method::PUT, "/v4/user-allowance/update".to_owned()),
            (
                Method::DELETE,
                format!("/v4/user-allowance/del/{}", before["id"]),
            ),
        ] {
            let reply = lower
                .call(
                    &app,
                    method,
                    &path,
                    Some(json!({"user_id": "not a number"})),
                )
                .await;
            assert_eq!(
                refused(&reply),
                (StatusCode::BAD_REQUEST, "forbidden"),
                "{path}"
            );
        }
    }

    let good = json!({"user_id": cast.staff.id, "start_date": "2031-05-01", "opening": 11250,
        "remaining": 11250, "carryover_opening": 0, "carryover_remaining": 0});
    let with = |key: &str, value: serde_json::Value| {
        let mut body = good.clone();
        body[key] = value;
        body
    };
    let without = |key: &str| {
        let mut body = good.clone();
        body.as_object_mut().expect("object").remove(key);
        body
    };
    for (body, code, field) in [
        (without("user_id"), "validation_failed", "user_id"),
        (without("start_date"), "validation_failed", "start_date"),
        (without("opening"), "validation_failed", "opening"),
        (
            without("carryover_remaining"),
            "validation_failed",
            "carryover_remaining",
        ),
        (
            with("start_date", json!("May 2031")),
            "validation_failed",
            "start_date",
        ),
        // 100 minutes is no whole number of hundredths of a 450-minute day.
        (with("opening", json!(100)), "validation_failed", "opening"),
        (with("opening", json!(-450)), "validation_failed", "opening"),
        (
            with("remaining", json!(3_000_000_000_i64)),
            "validation_failed",
            "remaining",
        ),
        (
            with("carryover_remaining", json!(450)),
            "validation_failed",
            "carryover_remaining",
        ),
        (with("locked", json!(true)), "validation_failed", "locked"),
        (
            with("user_allowance_id", json!(1)),
            "validation_failed",
            "user_allowance_id",
        ),
        (
            with("leave_type_id", json!(sickness)),
            "004a",
            "leave_type_id",
        ),
        (
            with("leave_type_id", json!(999_999)),
            "not_found",
            "leave_type_id",
        ),
    ] {
        let reply = owner
            .call(
                &app,
                Method::POST,
                "/v4/user-allowance/create",
                Some(body.clone()),
            )
            .await;
        assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, code), "{body}");
        assert_eq!(reply.body["Errors"][0]["Field"], field, "{body}");
    }
    for (body, field) in [
        (json!({"remaining": 450}), "user_allowance_id"),
        (
            json!({"user_allowance_id": before["id"], "user_id": cast.staff.id}),
            "user_id",
        ),
        (
            json!({"user_allowance_id": before["id"], "remaining": "ten"}),
            "remaining",
        ),
    ] {
        let reply = owner
            .call(
                &app,
                Method::PUT,
                "/v4/user-allowance/update",
                Some(body.clone()),
            )
            .await;
        assert_eq!(refused(&reply).0, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply.body["Errors"][0]["Field"], field, "{body}");
    }
    assert_eq!(
        native(&app, token, cast.staff.id, holiday, "2031-05-01").await,
        before,
        "nothing was written"
    );

    // Another company's people and allowances are absent.
    let stranger = Integration::of(&app, &other, &other.owner).await;
    let reply = stranger
        .call(
            &app,
            Method::POST,
            "/v4/user-allowance/create",
            Some(good.clone()),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    let reply = stranger
        .call(
            &app,
            Method::PUT,
            "/v4/user-allowance/update",
            Some(json!({"user_allowance_id": before["id"], "opening": 0})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    let reply = stranger
        .call(
            &app,
            Method::DELETE,
            &format!("/v4/user-allowance/del/{}", before["id"]),
            None,
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "not_found"));
    assert_eq!(
        native(&app, token, cast.staff.id, holiday, "2031-05-01").await,
        before
    );
}
