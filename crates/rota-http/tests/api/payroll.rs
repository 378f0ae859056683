//! Payroll: the company's pay-period rule and overtime thresholds, read by everyone, set
//! by super users, audited.

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
