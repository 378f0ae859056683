//! Payroll: the company's pay-period rule and overtime thresholds, read by everyone, set
//! by super users, audited; the hourly rates positions pay.

use reqwest::{Method, StatusCode};
use serde_json::json;

use jiff::Span;
use jiff::civil::Date;
use serde_json::Value;

use crate::access::audit_actions;
use crate::common::{TestApp, TestCompany};

/// Empties the company's calendar of public holidays (its country's), so that hours
/// depend on the days a test chooses only.
pub async fn no_public_holidays(app: &TestApp, company_id: i64) {
    sqlx::query("UPDATE companies SET holiday_country = NULL WHERE id = $1")
        .bind(company_id)
        .execute(app.db.pool())
        .await
        .expect("no holiday country");
}

/// Today in the test companies' London.
pub fn london_today() -> Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Europe/London").expect("zone"))
        .date()
}

/// Weekly pay periods, the current one started three days ago, without public holidays
/// or overtime; the current period's first day and its id.
pub async fn weekly_periods(app: &TestApp, company: &TestCompany) -> (Date, i64) {
    no_public_holidays(app, company.id).await;
    let first = london_today().saturating_sub(Span::new().days(3));
    let rule = json!({"frequency": "weekly", "first_day": first.to_string(),
                      "daily_overtime_minutes": 0, "weekly_overtime_minutes": 0,
                      "week_starts_on": "monday", "overtime_multiplier": 150});
    let set = app
        .call(
            Method::PUT,
            "/api/v1/company/payroll",
            Some(&company.owner.token),
            Some(rule),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
    let listed = app
        .get("/api/v1/payroll-periods", &company.owner.token)
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    assert_eq!(listed.body["data"][0]["start_date"], first.to_string());
    (
        first,
        listed.body["data"][0]["id"].as_i64().expect("period"),
    )
}

/// A finished entry for `user_id` on `day` from `from` to `to` (UTC `HH:MM`), made by the
/// owner: the reply.
pub async fn entry(
    app: &TestApp,
    owner: &str,
    user_id: i64,
    day: Date,
    from: &str,
    to: &str,
) -> crate::common::Reply {
    app.post(
        "/api/v1/times",
        owner,
        json!({"user_id": user_id, "start_time": format!("{day}T{from}:00Z"),
               "end_time": format!("{day}T{to}:00Z")}),
    )
    .await
}

/// The period's hours, as `(user, type, minutes)`.
fn minutes_of(period: &Value) -> Vec<(i64, String, i64)> {
    period["hours"]
        .as_array()
        .expect("hours")
        .iter()
        .map(|h| {
            (
                h["user_id"].as_i64().expect("user"),
                h["type"].as_str().expect("type").to_owned(),
                h["minutes"].as_i64().expect("minutes"),
            )
        })
        .collect()
}

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
    // Public holidays have a test of their own: none in this one's calendar.
    no_public_holidays(&app, company.id).await;
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
            {"user_id": cast.staff.id, "type": "regular", "minutes": 480, "rate_cents": 1200, "cost_cents": 9600},
            {"user_id": cast.staff.id, "type": "overtime", "minutes": 120, "rate_cents": 1800, "cost_cents": 3600},
            {"user_id": cast.approver.id, "type": "regular", "minutes": 240, "rate_cents": 2000, "cost_cents": 8000},
            {"user_id": cast.approver.id, "type": "paid_leave", "minutes": leave_minutes,
             "rate_cents": 2000, "cost_cents": leave_minutes * 2000 / 60},
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

#[tokio::test]
async fn a_closed_period_keeps_its_hours_refuses_time_entries_and_reopens_for_an_edit() {
    let app = TestApp::spawn().await;
    let company = app.company("Close Co").await;
    let cast = app.cast(&company).await;
    let owner = &company.owner.token;
    let (first, id) = weekly_periods(&app, &company).await;
    let path = format!("/api/v1/payroll-periods/{id}");
    let worked = entry(&app, owner, cast.staff.id, first, "09:00", "13:00").await;
    assert_eq!(worked.status, StatusCode::CREATED, "{:?}", worked.body);
    let worked = worked.body["id"].as_i64().expect("entry");

    // Not approved: refused, naming it, unless the close includes unapproved entries.
    let refused = app.post(&format!("{path}/close"), owner, json!({})).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "payroll_period_unsettled")
    );
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains(&worked.to_string())),
        "{:?}",
        refused.body
    );
    // Staff and approvers may not close; another company's owner finds nothing.
    for token in [&cast.staff.token, &cast.approver.token] {
        let reply = app
            .post(
                &format!("{path}/close"),
                token,
                json!({"include_unapproved": true}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{:?}", reply.body);
    }
    let stranger = app.company("Stranger Co").await;
    let reply = app
        .post(&format!("{path}/close"), &stranger.owner.token, json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{:?}", reply.body);

    let closed = app
        .post(
            &format!("{path}/close"),
            owner,
            json!({"include_unapproved": true}),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{:?}", closed.body);
    assert_eq!(closed.body["status"], "closed");
    assert_eq!(closed.body["closed_by"], company.owner.id);
    assert!(closed.body["closed_at"].is_string());
    let frozen = vec![(cast.staff.id, "regular".to_owned(), 240)];
    assert_eq!(minutes_of(&closed.body), frozen);
    assert_eq!(closed.body["people"], 1);
    assert_eq!(closed.body["total_minutes"], 240);

    // Closed means closed: no entry on its days is made, edited, deleted, approved or
    // clocked, nor moved into it.
    let entry_path = format!("/api/v1/times/{worked}");
    let next_week = first.saturating_add(Span::new().days(7));
    let later = entry(&app, owner, cast.staff.id, next_week, "09:00", "10:00").await;
    assert_eq!(later.status, StatusCode::CREATED, "{:?}", later.body);
    let later_path = format!("/api/v1/times/{}", later.body["id"]);
    for reply in [
        entry(&app, owner, cast.staff.id, first, "14:00", "15:00").await,
        app.patch(&entry_path, owner, json!({"end_time": format!("{first}T17:00:00Z")}))
            .await,
        app.delete(&entry_path, owner).await,
        app.post(&format!("{entry_path}/approve"), owner, json!({})).await,
        app.patch(
            &later_path,
            owner,
            json!({"start_time": format!("{first}T18:00:00Z"), "end_time": format!("{first}T19:00:00Z")}),
        )
        .await,
        app.post("/api/v1/times/clock-in", &cast.staff.token, json!({})).await,
    ] {
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::CONFLICT, "payroll_period_closed"),
            "{:?}",
            reply.body
        );
    }
    let read = app.get(&path, owner).await;
    assert_eq!(read.body["status"], "closed");
    assert_eq!(minutes_of(&read.body), frozen);
    assert_eq!(read.body["hours"], closed.body["hours"]);

    // Reopening takes a super user and a reason; then the edit goes through and shows.
    let reply = app
        .post(
            &format!("{path}/reopen"),
            &cast.staff.token,
            json!({"reason": "Typo"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .post(&format!("{path}/reopen"), owner, json!({"reason": " "}))
        .await;
    assert_eq!(
        (reply.status, reply.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason"))
    );
    let reopened = app
        .post(
            &format!("{path}/reopen"),
            owner,
            json!({"reason": "Ran over by an hour"}),
        )
        .await;
    assert_eq!(reopened.status, StatusCode::OK, "{:?}", reopened.body);
    assert_eq!(reopened.body["status"], "open");
    assert_eq!(reopened.body["closed_at"], Value::Null);
    let edited = app
        .patch(
            &entry_path,
            owner,
            json!({"end_time": format!("{first}T14:00:00Z")}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    assert_eq!(
        minutes_of(&app.get(&path, owner).await.body),
        vec![(cast.staff.id, "regular".to_owned(), 300)]
    );
    let audit = audit_actions(&app, owner).await;
    let reopening = audit
        .iter()
        .find(|e| e["action"] == "payroll_period.reopened")
        .expect("audited");
    assert_eq!(
        reopening["details"]["reason"], "Ran over by an hour",
        "{reopening:?}"
    );
    assert!(audit.iter().any(|e| e["action"] == "payroll_period.closed"));

    // Approved now, it closes without asking; closing twice, or reopening an open period,
    // is refused.
    let approved = app
        .post(&format!("{entry_path}/approve"), owner, json!({}))
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    let next_path = format!("/api/v1/payroll-periods/{}", id + 1);
    for (call, code) in [
        (format!("{next_path}/reopen"), "payroll_period_not_closed"),
        (format!("{next_path}/finalise"), "payroll_period_not_closed"),
        (format!("{path}/close"), ""),
        (format!("{path}/close"), "payroll_period_closed"),
        (format!("{path}/finalise"), ""),
        (format!("{path}/finalise"), "payroll_period_finalised"),
        (format!("{path}/close"), "payroll_period_finalised"),
    ] {
        let body = if call.ends_with("reopen") {
            json!({"reason": "Why not"})
        } else {
            json!({})
        };
        let reply = app.post(&call, owner, body).await;
        if code.is_empty() {
            assert_eq!(reply.status, StatusCode::OK, "{call}: {:?}", reply.body);
        } else {
            assert_eq!(
                (reply.status, reply.code()),
                (StatusCode::CONFLICT, code),
                "{call}"
            );
        }
    }
    // Final: never reopened.
    let reply = app
        .post(
            &format!("{path}/reopen"),
            owner,
            json!({"reason": "Too late"}),
        )
        .await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::CONFLICT, "payroll_period_finalised")
    );
    let done = app.get(&path, owner).await;
    assert_eq!(done.body["status"], "finalised");
    assert!(done.body["finalised_at"].is_string());
    assert_eq!(
        minutes_of(&done.body),
        vec![(cast.staff.id, "regular".to_owned(), 300)]
    );
    assert!(
        audit_actions(&app, owner)
            .await
            .iter()
            .any(|e| e["action"] == "payroll_period.finalised")
    );
}

#[tokio::test]
async fn a_running_entry_keeps_its_period_open_until_it_is_clocked_out() {
    let app = TestApp::spawn().await;
    let company = app.company("Running Co").await;
    let cast = app.cast(&company).await;
    let owner = &company.owner.token;
    let (_, id) = weekly_periods(&app, &company).await;
    let path = format!("/api/v1/payroll-periods/{id}/close");
    let clocked = app
        .post("/api/v1/times/clock-in", &cast.staff.token, json!({}))
        .await;
    assert_eq!(clocked.status, StatusCode::CREATED, "{:?}", clocked.body);
    let refused = app
        .post(&path, owner, json!({"include_unapproved": true}))
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "payroll_period_unsettled")
    );
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("running")),
        "{:?}",
        refused.body
    );
    let out = app
        .post("/api/v1/times/clock-out", &cast.staff.token, json!({}))
        .await;
    assert_eq!(out.status, StatusCode::OK, "{:?}", out.body);
    let closed = app
        .post(&path, owner, json!({"include_unapproved": true}))
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{:?}", closed.body);
}

#[tokio::test]
async fn a_company_holiday_on_a_working_day_pays_the_day_of_the_people_on_the_payroll() {
    let app = TestApp::spawn().await;
    let company = app.company("Holiday Co").await;
    let cast = app.cast(&company).await;
    let owner = &company.owner.token;
    let (first, id) = weekly_periods(&app, &company).await;
    let rated = app
        .patch(
            &format!("/api/v1/users/{}", cast.staff.id),
            owner,
            json!({"hourly_rate_cents": 1500}),
        )
        .await;
    assert_eq!(rated.status, StatusCode::OK, "{:?}", rated.body);
    // A weekday of the period (the office week: 450 minutes a day) made a holiday.
    let holiday = (0..7)
        .map(|d| first.saturating_add(Span::new().days(d)))
        .find(|d| {
            !matches!(
                d.weekday(),
                jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
            )
        })
        .expect("a weekday");
    let made = app
        .post(
            "/api/v1/company-holidays",
            owner,
            json!({"date": holiday.to_string(), "name": "Founders' day"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    // The staff member worked in the period; the approver did not, and is not paid.
    let worked = entry(&app, owner, cast.staff.id, first, "09:00", "10:00").await;
    assert_eq!(worked.status, StatusCode::CREATED, "{:?}", worked.body);
    let period = app
        .get(&format!("/api/v1/payroll-periods/{id}"), owner)
        .await;
    assert_eq!(period.status, StatusCode::OK, "{:?}", period.body);
    assert_eq!(
        period.body["hours"],
        json!([
            {"user_id": cast.staff.id, "type": "regular", "minutes": 60, "rate_cents": 1500, "cost_cents": 1500},
            {"user_id": cast.staff.id, "type": "holiday", "minutes": 450, "rate_cents": 1500, "cost_cents": 11250},
        ])
    );
    assert_eq!(
        period.body["totals_by_type"],
        json!([
            {"type": "regular", "minutes": 60, "cost_cents": 1500},
            {"type": "holiday", "minutes": 450, "cost_cents": 11250},
        ])
    );
    assert_eq!(period.body["total_minutes"], 510);
    assert_eq!(period.body["total_cost_cents"], 12750);
}

#[tokio::test]
async fn the_csv_export_has_one_row_per_person_and_type_and_defuses_formulas() {
    let app = TestApp::spawn().await;
    let company = app.company("Export Co").await;
    let cast = app.cast(&company).await;
    let owner = &company.owner.token;
    let (first, id) = weekly_periods(&app, &company).await;
    let renamed = app
        .patch(
            &format!("/api/v1/users/{}", cast.staff.id),
            owner,
            json!({"first_name": "=HYPERLINK(\"x\")", "last_name": "Smith, Jr", "hourly_rate_cents": 1200}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    let worked = entry(&app, owner, cast.staff.id, first, "09:00", "10:30").await;
    assert_eq!(worked.status, StatusCode::CREATED, "{:?}", worked.body);
    let closed = app
        .post(
            &format!("/api/v1/payroll-periods/{id}/close"),
            owner,
            json!({"include_unapproved": true}),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{:?}", closed.body);

    let path = format!("/api/v1/payroll-periods/{id}/export.csv");
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .bearer_auth(owner)
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let end = first.saturating_add(Span::new().days(6));
    assert_eq!(
        response.text().await.expect("body"),
        format!(
            "period_start,period_end,user_id,email,name,type,minutes,hours,rate_cents,cost_cents\r\n\
             {first},{end},{},{},\"'=HYPERLINK(\"\"x\"\") Smith, Jr\",regular,90,1.50,1200,1800\r\n",
            cast.staff.id, cast.staff.email
        )
    );
    assert_eq!(
        app.get(&path, &cast.staff.token).await.status,
        StatusCode::FORBIDDEN
    );
    let stranger = app.company("Stranger Co").await;
    assert_eq!(
        app.get(&path, &stranger.owner.token).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn closing_reopening_and_finalising_reach_the_subscriptions_that_want_them() {
    let app = TestApp::spawn().await;
    let company = app.company("Hooked Co").await;
    let owner = &company.owner.token;
    let (_, id) = weekly_periods(&app, &company).await;
    let hook = app.post("/api/v1/webhooks", owner, json!({"url": "https://203.0.113.10/rota",
        "events": ["payroll_period.closed", "payroll_period.reopened", "payroll_period.finalised"]})).await;
    assert_eq!(hook.status, StatusCode::CREATED, "{:?}", hook.body);
    let path = format!("/api/v1/payroll-periods/{id}");
    for (step, body) in [
        ("close", json!({"note": "June run"})),
        ("reopen", json!({"reason": "A late entry"})),
        ("close", json!({})),
        ("finalise", json!({})),
    ] {
        let reply = app.post(&format!("{path}/{step}"), owner, body).await;
        assert_eq!(reply.status, StatusCode::OK, "{step}: {:?}", reply.body);
    }
    let deliveries = app
        .get(
            &format!("/api/v1/webhooks/{}/deliveries?limit=200", hook.body["id"]),
            owner,
        )
        .await;
    assert_eq!(deliveries.status, StatusCode::OK, "{:?}", deliveries.body);
    let mut events: Vec<&str> = deliveries.body["data"]
        .as_array()
        .expect("deliveries")
        .iter()
        .filter_map(|d| d["event"].as_str())
        .collect();
    events.sort();
    assert_eq!(
        events,
        [
            "payroll_period.closed",
            "payroll_period.closed",
            "payroll_period.finalised",
            "payroll_period.reopened"
        ]
    );
    let audit = audit_actions(&app, owner).await;
    let closing = audit
        .iter()
        .find(|e| e["action"] == "payroll_period.closed" && e["details"]["note"] == "June run");
    assert!(closing.is_some(), "{audit:?}");
}
