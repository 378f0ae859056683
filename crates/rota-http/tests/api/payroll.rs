//! Payroll: the company's pay-period rule and overtime thresholds, read by everyone, set
//! by super users, audited; the hourly rates positions pay.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::access::audit_actions;
use crate::common::TestApp;

#[tokio::test]
async fn a_super_user_sets_the_payroll_rule_and_everyone_reads_it() {
    let app = TestApp::spawn().await;
    let company = app.company("Payroll Co").await;
    let cast = app.cast(&company).await;
    let owner = &company.owner.token;

    let defaults = app.get("/api/v1/company/payroll", &cast.staff.token).await;
    assert_eq!(defaults.status, StatusCode::OK, "{:?}", defaults.body);
    assert_eq!(
        defaults.body,
        json!({"frequency": "weekly", "first_day": "2024-01-01", "daily_overtime_minutes": 0,
               "weekly_overtime_minutes": 0, "week_starts_on": "monday", "overtime_multiplier": 150})
    );

    let rule = json!({"frequency": "semi_monthly", "first_day": "2026-01-16",
                      "daily_overtime_minutes": 480, "weekly_overtime_minutes": 2400,
                      "week_starts_on": "sunday", "overtime_multiplier": 200});
    let set = app
        .call(
            Method::PUT,
            "/api/v1/company/payroll",
            Some(owner),
            Some(rule.clone()),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
    assert_eq!(set.body, rule);
    assert_eq!(
        app.get("/api/v1/company/payroll", &cast.staff.token)
            .await
            .body,
        rule
    );

    let staff_try = app
        .call(
            Method::PUT,
            "/api/v1/company/payroll",
            Some(&cast.staff.token),
            Some(rule),
        )
        .await;
    assert_eq!(staff_try.status, StatusCode::FORBIDDEN);

    assert!(
        audit_actions(&app, owner)
            .await
            .iter()
            .any(|e| e["action"] == "payroll.settings_changed")
    );
}

#[tokio::test]
async fn a_semi_monthly_rule_starts_on_the_first_or_the_sixteenth() {
    let app = TestApp::spawn().await;
    let company = app.company("Payroll Co").await;
    let reply = app
        .call(
            Method::PUT,
            "/api/v1/company/payroll",
            Some(&company.owner.token),
            Some(
                json!({"frequency": "semi_monthly", "first_day": "2026-01-02",
                        "daily_overtime_minutes": 0, "weekly_overtime_minutes": 0,
                        "week_starts_on": "monday", "overtime_multiplier": 150}),
            ),
        )
        .await;
    assert_eq!(
        (reply.status, reply.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("first_day"))
    );
}

#[tokio::test]
async fn a_position_carries_an_hourly_rate_that_can_be_changed_and_removed() {
    let app = TestApp::spawn().await;
    let company = app.company("Payroll Co").await;
    let owner = &company.owner.token;
    let made = app
        .post(
            "/api/v1/positions",
            owner,
            json!({"name": "Cook", "hourly_rate_cents": 1850}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_eq!(made.body["hourly_rate_cents"], 1850);
    let path = format!("/api/v1/positions/{}", made.body["id"]);

    let plain = app.patch(&path, owner, json!({"name": "Head cook"})).await;
    assert_eq!(plain.body["hourly_rate_cents"], 1850, "{:?}", plain.body);
    let raised = app
        .patch(&path, owner, json!({"hourly_rate_cents": 2100}))
        .await;
    assert_eq!(raised.body["hourly_rate_cents"], 2100, "{:?}", raised.body);
    let refused = app
        .patch(&path, owner, json!({"hourly_rate_cents": -100}))
        .await;
    assert_eq!(
        (refused.status, refused.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("hourly_rate_cents"))
    );
    let removed = app
        .patch(&path, owner, json!({"hourly_rate_cents": null}))
        .await;
    assert_eq!(removed.body["hourly_rate_cents"], serde_json::Value::Null);
    assert_eq!(
        app.get(&path, owner).await.body["hourly_rate_cents"],
        serde_json::Value::Null
    );
}

#[tokio::test]
async fn listing_cuts_the_current_and_next_periods_once_and_a_period_shows_hours_by_type() {
    let app = TestApp::spawn().await;
    let company = app.company("Payroll Co").await;
    let cast = app.cast(&company).await;
    let owner = &company.owner.token;
    // Weekly periods, the current one started three days ago (in the company's London).
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Europe/London").expect("zone"))
        .date();
    let first = today.saturating_sub(jiff::Span::new().days(3));
    let second = first.saturating_add(jiff::Span::new().days(1));
    let rule = json!({"frequency": "weekly", "first_day": first.to_string(),
                      "daily_overtime_minutes": 480, "weekly_overtime_minutes": 0,
                      "week_starts_on": "monday", "overtime_multiplier": 150});
    let set = app
        .call(
            Method::PUT,
            "/api/v1/company/payroll",
            Some(owner),
            Some(rule),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);

    let cook = app
        .post(
            "/api/v1/positions",
            owner,
            json!({"name": "Cook", "hourly_rate_cents": 1200}),
        )
        .await
        .body["id"]
        .as_i64()
        .expect("position");
    let rated = app
        .patch(
            &format!("/api/v1/users/{}", cast.approver.id),
            owner,
            json!({"hourly_rate_cents": 2000}),
        )
        .await;
    assert_eq!(rated.status, StatusCode::OK, "{:?}", rated.body);
    for (user, day, from, to, position) in [
        (cast.staff.id, first, "10:00", "20:00", Some(cook)),
        (cast.approver.id, second, "09:00", "13:00", Some(cook)),
    ] {
        let made = app
            .post(
                "/api/v1/times",
                owner,
                json!({"user_id": user, "position_id": position,
                       "start_time": format!("{day}T{from}:00Z"), "end_time": format!("{day}T{to}:00Z")}),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    }

    // Approved paid leave starting in the period counts, at the user's own rate (none: 0).
    let holiday = app.leave_types(owner).await.id("H");
    let leave_day = (2..=6)
        .map(|d| first.saturating_add(jiff::Span::new().days(d)))
        .find(|d| {
            !matches!(
                d.weekday(),
                jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
            )
        })
        .expect("a weekday in the period");
    let requested = app
        .post(
            "/api/v1/leave-requests",
            owner,
            json!({"user_id": cast.approver.id, "leave_type_id": holiday,
                   "start_date": leave_day.to_string(), "end_date": leave_day.to_string()}),
        )
        .await;
    assert_eq!(
        requested.status,
        StatusCode::CREATED,
        "{:?}",
        requested.body
    );
    let leave_minutes = requested.body["minutes"].as_i64().expect("minutes");
    if requested.body["status"] != "approved" {
        let approved = app
            .post(
                &format!("/api/v1/leave-requests/{}/approve", requested.body["id"]),
                owner,
                json!({}),
            )
            .await;
        assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    }

    let listed = app.get("/api/v1/payroll-periods", owner).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    let again = app.get("/api/v1/payroll-periods", owner).await;
    assert_eq!(again.body, listed.body, "listing twice cuts nothing new");
    let periods = listed.body["data"].as_array().expect("data");
    assert_eq!(periods.len(), 2, "{periods:?}");
    assert_eq!(periods[0]["start_date"], first.to_string());
    assert_eq!(
        periods[0]["end_date"],
        first.saturating_add(jiff::Span::new().days(6)).to_string()
    );
    assert_eq!(
        periods[1]["start_date"],
        first.saturating_add(jiff::Span::new().days(7)).to_string()
    );

    let path = format!("/api/v1/payroll-periods/{}", periods[0]["id"]);
    let period = app.get(&path, owner).await;
    assert_eq!(period.status, StatusCode::OK, "{:?}", period.body);
    // The staff member: 10 hours at the cook's 12.00, 8 regular and 2 past the daily
    // threshold at time and a half. The approver: 4 hours at their own 20.00.
    assert_eq!(
        period.body["hours"],
        json!([
            {"user_id": cast.staff.id, "type": "regular", "minutes": 480, "cost_cents": 9600},
            {"user_id": cast.staff.id, "type": "overtime", "minutes": 120, "cost_cents": 3600},
            {"user_id": cast.approver.id, "type": "regular", "minutes": 240, "cost_cents": 8000},
            {"user_id": cast.approver.id, "type": "paid_leave", "minutes": leave_minutes,
             "cost_cents": leave_minutes * 2000 / 60},
        ])
        .as_array()
        .map(|rows| {
            let mut rows = rows.clone();
            rows.sort_by_key(|r| r["user_id"].as_i64());
            serde_json::Value::Array(rows)
        })
        .expect("rows")
    );
    assert_eq!(period.body["people"], 2);
    assert_eq!(
        period.body["totals_by_type"],
        json!([
            {"type": "regular", "minutes": 720, "cost_cents": 17_600},
            {"type": "overtime", "minutes": 120, "cost_cents": 3600},
            {"type": "paid_leave", "minutes": leave_minutes, "cost_cents": leave_minutes * 2000 / 60},
        ])
    );
    assert_eq!(period.body["total_minutes"], 840 + leave_minutes);
    assert_eq!(
        period.body["total_cost_cents"],
        21_200 + leave_minutes * 2000 / 60
    );

    assert_eq!(
        app.get(&path, &cast.staff.token).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/payroll-periods/999999", owner)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
