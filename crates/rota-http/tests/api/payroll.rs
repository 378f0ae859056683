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
