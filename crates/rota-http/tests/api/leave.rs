//! Leave: quoting, requesting, deciding and cancelling, balances that are never
//! double-spent, carry-over, overtime and the calendar.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Cast, Shot, TestApp, TestCompany, tally};

pub struct Office {
    pub company: TestCompany,
    pub cast: Cast,
    pub holiday: i64,
    pub sickness: i64,
    pub overtime: i64,
    pub toil: i64,
}

/// A company with its cast and the ids of its default leave types.
pub async fn office(app: &TestApp) -> Office {
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let types = app.leave_types(&company.owner.token).await;
    Office {
        holiday: types.id("H"),
        sickness: types.id("S"),
        overtime: types.id("O"),
        toil: types.id("T"),
        company,
        cast,
    }
}

pub fn holiday_allowance(allowances: &Value, year_start: &str, type_id: i64) -> Value {
    allowances
        .as_array()
        .expect("allowances")
        .iter()
        .find(|a| a["year_start"] == year_start && a["leave_type_id"] == type_id)
        .cloned()
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_new_company_has_the_default_leave_types() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let types = app
        .get("/api/v1/leave-types", &o.cast.staff.token)
        .await
        .body;
    let codes: Vec<&str> = types["data"]
        .as_array()
        .expect("types")
        .iter()
        .filter_map(|t| t["code"].as_str())
        .collect();
    assert_eq!(codes, ["H", "S", "U", "W", "T", "O"]);
    let holiday = &types["data"][0];
    assert_eq!(holiday["deducts_allowance"], true);
    assert_eq!(holiday["requires_approval"], true);
    assert_eq!(types["data"][5]["kind"], "overtime");
}

#[tokio::test]
async fn a_quote_counts_working_days_less_public_holidays() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    // Monday 21 to Sunday 27 December 2026: Christmas Day on the Friday, Boxing Day (observed) the Monday after.
    let quote = app
        .post("/api/v1/leave-requests/quote", &o.cast.staff.token, json!({"leave_type_id": o.holiday, "start_date": "2026-12-21", "end_date": "2026-12-28"}))
        .await;
    assert_eq!(quote.status, StatusCode::OK, "{:?}", quote.body);
    assert_eq!(
        quote.body["amount"], 400,
        "four working days: {:?}",
        quote.body["days"]
    );
    assert_eq!(quote.body["unit"], "days");
    assert_eq!(quote.body["days"][4]["day_off"], "public_holiday");
    assert_eq!(quote.body["days"][7]["day_off"], "public_holiday");
    assert_eq!(quote.body["available_before"], 2500);
    assert_eq!(quote.body["available_after"], 2100);
    let requests = app
        .get("/api/v1/leave-requests", &o.cast.staff.token)
        .await
        .body;
    assert_eq!(requests["data"], json!([]), "a quote writes no request");
}

#[tokio::test]
async fn a_request_is_approved_spending_the_allowance_and_cancelling_gives_it_back() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let staff = &o.cast.staff;
    let body = json!({"leave_type_id": o.holiday, "start_date": "2026-03-02", "end_date": "2026-03-04", "end_part": "morning", "note": "Family visit"});
    let created = app.post("/api/v1/leave-requests", &staff.token, body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["status"], "pending");
    assert_eq!(created.body["amount"], 250);
    let id = created.body["id"].as_i64().expect("id");
    let path = format!("/api/v1/users/{}/allowances?date=2026-06-01", staff.id);
    let before = holiday_allowance(
        &app.get(&path, &staff.token).await.body,
        "2026-01-01",
        o.holiday,
    );
    assert_eq!(
        (
            before["pending"].as_i64(),
            before["available"].as_i64(),
            before["remaining"].as_i64()
        ),
        (Some(250), Some(2250), Some(2500))
    );

    let own = app
        .post(
            &format!("/api/v1/leave-requests/{id}/approve"),
            &staff.token,
            json!({}),
        )
        .await;
    assert_eq!(
        own.status,
        StatusCode::FORBIDDEN,
        "nobody approves their own leave"
    );
    let approved = app
        .post(
            &format!("/api/v1/leave-requests/{id}/approve"),
            &o.cast.approver.token,
            json!({"reason": "Enjoy"}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    assert_eq!(approved.body["status"], "approved");
    assert_eq!(
        approved.body["decided_by"].as_i64(),
        Some(o.cast.approver.id)
    );
    let again = app
        .post(
            &format!("/api/v1/leave-requests/{id}/approve"),
            &o.cast.approver.token,
            json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "already_decided");
    let after = holiday_allowance(
        &app.get(&path, &staff.token).await.body,
        "2026-01-01",
        o.holiday,
    );
    assert_eq!(
        (
            after["taken"].as_i64(),
            after["pending"].as_i64(),
            after["remaining"].as_i64()
        ),
        (Some(250), Some(0), Some(2250))
    );

    let cancelled = app
        .post(
            &format!("/api/v1/leave-requests/{id}/cancel"),
            &staff.token,
            json!({"reason": "Plans changed"}),
        )
        .await;
    assert_eq!(
        cancelled.body["status"], "cancelled",
        "{:?}",
        cancelled.body
    );
    let back = holiday_allowance(
        &app.get(&path, &staff.token).await.body,
        "2026-01-01",
        o.holiday,
    );
    assert_eq!(
        (back["taken"].as_i64(), back["remaining"].as_i64()),
        (Some(0), Some(2500))
    );
}

#[tokio::test]
async fn declining_needs_a_reason_and_releases_the_pending_time() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let created = app
        .post("/api/v1/leave-requests", &o.cast.staff.token, json!({"leave_type_id": o.holiday, "start_date": "2026-05-11", "end_date": "2026-05-11"}))
        .await;
    let id = created.body["id"].as_i64().expect("id");
    let bare = app
        .post(
            &format!("/api/v1/leave-requests/{id}/decline"),
            &o.cast.approver.token,
            json!({}),
        )
        .await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bare.field(), Some("reason"));
    let declined = app
        .post(
            &format!("/api/v1/leave-requests/{id}/decline"),
            &o.cast.approver.token,
            json!({"reason": "Stocktake"}),
        )
        .await;
    assert_eq!(declined.body["status"], "declined");
    assert_eq!(declined.body["decision_reason"], "Stocktake");
    let cancel = app
        .post(
            &format!("/api/v1/leave-requests/{id}/cancel"),
            &o.cast.staff.token,
            json!({}),
        )
        .await;
    assert_eq!(cancel.status, StatusCode::CONFLICT);
    let allowance = holiday_allowance(
        &app.get(
            &format!(
                "/api/v1/users/{}/allowances?date=2026-06-01",
                o.cast.staff.id
            ),
            &o.cast.staff.token,
        )
        .await
        .body,
        "2026-01-01",
        o.holiday,
    );
    assert_eq!(allowance["pending"], 0);
}

#[tokio::test]
async fn overlapping_leave_is_refused_but_two_halves_of_a_day_fit() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let token = &o.cast.staff.token;
    let morning = json!({"leave_type_id": o.holiday, "start_date": "2026-04-14", "end_date": "2026-04-14", "end_part": "morning"});
    let afternoon = json!({"leave_type_id": o.holiday, "start_date": "2026-04-14", "end_date": "2026-04-14", "start_part": "afternoon"});
    assert_eq!(
        app.post("/api/v1/leave-requests", token, morning.clone())
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post("/api/v1/leave-requests", token, afternoon)
            .await
            .status,
        StatusCode::CREATED
    );
    let clash = app.post("/api/v1/leave-requests", token, json!({"leave_type_id": o.holiday, "start_date": "2026-04-13", "end_date": "2026-04-15"})).await;
    assert_eq!(clash.status, StatusCode::CONFLICT);
    assert_eq!(clash.code(), "overlapping_leave");
}

#[tokio::test]
async fn who_may_ask_for_whom() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let for_staff = |date: &str| json!({"user_id": o.cast.staff.id, "leave_type_id": o.holiday, "start_date": date, "end_date": date});
    // Staff and a plain approver may not book for someone else.
    assert_eq!(
        app.post(
            "/api/v1/leave-requests",
            &o.cast.super_user.token,
            for_staff("2026-06-01")
        )
        .await
        .status,
        StatusCode::CREATED
    );
    let other = app.member(&o.company, "other", json!({})).await;
    let refused = app
        .post(
            "/api/v1/leave-requests",
            &other.token,
            for_staff("2026-06-02"),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::NOT_FOUND,
        "another department's staff member does not even see them"
    );
    let approver = app
        .post(
            "/api/v1/leave-requests",
            &o.cast.approver.token,
            for_staff("2026-06-03"),
        )
        .await;
    assert_eq!(
        approver.status,
        StatusCode::FORBIDDEN,
        "approver (200) may not add leave"
    );
    // An approver plus add (210) may, for the staff they approve for.
    let add = app
        .member(&o.company, "adder", json!({"user_type_id": 210}))
        .await;
    app.patch(
        &format!("/api/v1/users/{}", o.cast.staff.id),
        &o.company.owner.token,
        json!({"notifier_2_id": add.id, "notifier_2_role": "approver_leave"}),
    )
    .await;
    let added = app
        .post(
            "/api/v1/leave-requests",
            &add.token,
            for_staff("2026-06-04"),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    assert_eq!(added.body["requested_by"].as_i64(), Some(add.id));
}

#[tokio::test]
async fn types_that_need_no_approval_are_approved_at_once_and_hidden_types_show_as_away() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let sick = app
        .post("/api/v1/leave-requests", &o.cast.staff.token, json!({"leave_type_id": o.sickness, "start_date": "2026-02-10", "end_date": "2026-02-11"}))
        .await;
    assert_eq!(sick.body["status"], "approved", "{:?}", sick.body);
    let colleague = app
        .member(
            &o.company,
            "colleague",
            json!({"department_id": o.cast.department_id}),
        )
        .await;
    let seen = app
        .get(
            "/api/v1/calendar?from=2026-02-09&to=2026-02-13",
            &colleague.token,
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    let absence = &seen.body["days"][1]["absences"][0];
    assert_eq!(absence["user_id"].as_i64(), Some(o.cast.staff.id));
    assert_eq!(
        absence["label"], "Away",
        "staff may not see sickness: {absence}"
    );
    assert!(absence["leave_type_id"].is_null());
    let by_approver = app
        .get(
            "/api/v1/calendar?from=2026-02-09&to=2026-02-13",
            &o.cast.approver.token,
        )
        .await;
    assert_eq!(
        by_approver.body["days"][1]["absences"][0]["label"],
        "Sickness"
    );
    assert_eq!(
        by_approver.body["days"][1]["absences"][0]["colour"],
        "d0021b"
    );
    assert_eq!(by_approver.body["days"][0]["absences"], json!([]));
}

#[tokio::test]
async fn concurrent_approvals_never_spend_more_than_the_balance_even_across_two_processes() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let staff = &o.cast.staff;
    // Six requests of five days each (30 days) against 25 days, then 10 taken away: 15 days
    // remain, so exactly three approvals can succeed however they race.
    let opening = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/users/{}/allowances/opening", staff.id),
            Some(&o.company.owner.token),
            Some(json!({"leave_type_id": o.holiday, "date": "2026-06-01", "opening": 3000})),
        )
        .await;
    assert_eq!(opening.status, StatusCode::OK, "{:?}", opening.body);
    let mut ids = Vec::new();
    for week in 0..6 {
        let monday = jiff::civil::date(2026, 6, 1)
            .checked_add(jiff::Span::new().weeks(week))
            .expect("date");
        let friday = monday.checked_add(jiff::Span::new().days(4)).expect("date");
        let reply = app
            .post("/api/v1/leave-requests", &staff.token, json!({"leave_type_id": o.holiday, "start_date": monday.to_string(), "end_date": friday.to_string()}))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        ids.push(reply.body["id"].as_i64().expect("id"));
    }
    let cut = app
        .post(&format!("/api/v1/users/{}/allowances/adjustments", staff.id), &o.company.owner.token, json!({"leave_type_id": o.holiday, "date": "2026-06-01", "amount": -1500, "reason": "Sold back"}))
        .await;
    assert_eq!(cut.status, StatusCode::OK, "{:?}", cut.body);
    // Each approval on its own task and connection, all released at once, spread over
    // two servers with pools of their own on the same database.
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let shots = ids
        .iter()
        .map(|id| {
            Shot::post(
                format!("/api/v1/leave-requests/{id}/approve"),
                &o.cast.approver.token,
                json!({}),
            )
        })
        .collect();
    let outcomes = app.race(&other, shots).await;
    let approved = tally(&outcomes, StatusCode::OK, None);
    let refused = tally(
        &outcomes,
        StatusCode::CONFLICT,
        Some("insufficient_allowance"),
    );
    assert_eq!((approved, refused), (3, 3), "{outcomes:?}");
    let allowance = holiday_allowance(
        &app.get(
            &format!("/api/v1/users/{}/allowances?date=2026-06-01", staff.id),
            &staff.token,
        )
        .await
        .body,
        "2026-01-01",
        o.holiday,
    );
    assert_eq!(
        (allowance["taken"].as_i64(), allowance["remaining"].as_i64()),
        (Some(1500), Some(0))
    );
}

#[tokio::test]
async fn overtime_earns_time_off_in_lieu_and_the_year_rolls_with_capped_carry_over() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let staff = &o.cast.staff;
    let worked = app
        .post("/api/v1/leave-requests", &staff.token, json!({"leave_type_id": o.overtime, "start_date": "2026-03-07", "end_date": "2026-03-07", "start_time": "09:00", "end_time": "13:00"}))
        .await;
    assert_eq!(
        worked.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a Saturday holds no working time in the office week"
    );
    let worked = app
        .post("/api/v1/leave-requests", &staff.token, json!({"leave_type_id": o.overtime, "start_date": "2026-03-09", "end_date": "2026-03-09", "start_time": "09:00", "end_time": "12:45"}))
        .await;
    assert_eq!(worked.status, StatusCode::CREATED, "{:?}", worked.body);
    let id = worked.body["id"].as_i64().expect("id");
    let approved = app
        .post(
            &format!("/api/v1/leave-requests/{id}/approve"),
            &o.cast.approver.token,
            json!({}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    let toil = holiday_allowance(
        &app.get(
            &format!("/api/v1/users/{}/allowances?date=2026-06-01", staff.id),
            &staff.token,
        )
        .await
        .body,
        "2026-01-01",
        o.toil,
    );
    assert_eq!(
        toil["remaining"], 50,
        "3h45 of a 7h30 day is half a day: {toil}"
    );

    // 2026 leaves 25 days unused; the company carries at most 5 into 2027, lapsing end of March.
    let roll = app
        .post(
            "/api/v1/leave-years/roll",
            &o.company.owner.token,
            json!({"date": "2026-06-01"}),
        )
        .await;
    assert_eq!(roll.status, StatusCode::OK, "{:?}", roll.body);
    let again = app
        .post(
            "/api/v1/leave-years/roll",
            &o.company.owner.token,
            json!({"date": "2026-06-01"}),
        )
        .await;
    assert_eq!(again.body, roll.body, "rolling twice changes nothing");
    let next = holiday_allowance(
        &app.get(
            &format!("/api/v1/users/{}/allowances?date=2027-02-01", staff.id),
            &staff.token,
        )
        .await
        .body,
        "2027-01-01",
        o.holiday,
    );
    assert_eq!(next["carryover_opening"], 500);
    assert_eq!(next["carryover_expiry_date"], "2027-04-01");
    assert_eq!(next["remaining"], 3000);
}

#[tokio::test]
async fn bad_leave_input_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let token = &o.cast.staff.token;
    let cases = [
        (
            json!({"leave_type_id": o.holiday, "start_date": "2026-03-04", "end_date": "2026-03-02"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "end_date",
        ),
        (
            json!({"leave_type_id": o.holiday, "start_date": "2026-01-01", "end_date": "2027-01-02"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "end_date",
        ),
        (
            json!({"leave_type_id": o.holiday, "start_date": "2026-03-07", "end_date": "2026-03-09", "start_part": "afternoon"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "start_part",
        ),
        (
            json!({"leave_type_id": 999_999, "start_date": "2026-03-02", "end_date": "2026-03-02"}),
            StatusCode::NOT_FOUND,
            "leave_type_id",
        ),
        (
            json!({"leave_type_id": o.holiday, "start_date": "2026-13-01", "end_date": "2026-03-02"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "start_date",
        ),
        (
            json!({"leave_type_id": o.holiday, "start_date": "2026-12-28", "end_date": "2027-01-05"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "end_date",
        ),
        (
            json!({"leave_type_id": o.holiday, "start_date": "2026-03-02", "end_date": "2026-03-02", "user_id": o.cast.approver.id}),
            StatusCode::FORBIDDEN,
            "",
        ),
    ];
    for (body, status, field) in cases {
        let reply = app
            .post("/api/v1/leave-requests", token, body.clone())
            .await;
        assert_eq!(reply.status, status, "{body}: {:?}", reply.body);
        if !field.is_empty() {
            assert_eq!(reply.field(), Some(field), "{body}");
        }
    }
    let negative = app
        .post(
            &format!("/api/v1/users/{}/allowances/adjustments", o.cast.staff.id),
            &o.company.owner.token,
            json!({"leave_type_id": o.holiday, "amount": -3000, "reason": "Oops"}),
        )
        .await;
    assert_eq!(negative.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(negative.field(), Some("amount"));
    assert_eq!(
        app.get("/api/v1/leave-requests", token).await.body["data"],
        json!([])
    );
}

#[tokio::test]
async fn the_my_staff_report_covers_an_approvers_staff_with_their_figures() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let staff = &o.cast.staff;
    for (start, end) in [("2026-02-02", "2026-02-02"), ("2026-03-02", "2026-03-06")] {
        let made = app
            .post(
                "/api/v1/leave-requests",
                &staff.token,
                json!({"leave_type_id": o.holiday, "start_date": start, "end_date": end}),
            )
            .await;
        let id = made.body["id"].as_i64().expect("id");
        app.post(
            &format!("/api/v1/leave-requests/{id}/approve"),
            &o.cast.approver.token,
            json!({}),
        )
        .await;
    }
    app.post(
        "/api/v1/leave-requests",
        &staff.token,
        json!({"leave_type_id": o.holiday, "start_date": "2026-04-06", "end_date": "2026-04-06"}),
    )
    .await;
    app.post(
        "/api/v1/leave-requests",
        &staff.token,
        json!({"leave_type_id": o.sickness, "start_date": "2026-02-10", "end_date": "2026-02-11"}),
    )
    .await;

    let report = app
        .get(
            "/api/v1/reports/my-staff?from=2026-01-01&to=2026-12-31",
            &o.cast.approver.token,
        )
        .await;
    assert_eq!(report.status, StatusCode::OK, "{:?}", report.body);
    let body = &report.body;
    assert_eq!(
        body["staff_overview"].as_array().map(Vec::len),
        Some(1),
        "the approver covers one person"
    );
    let line = &body["staff_overview"][0];
    assert_eq!(line["user_id"].as_i64(), Some(staff.id));
    assert_eq!(line["pending_request"], 1);
    assert_eq!(line["approver_role"], "approver_both");
    assert_eq!(body["overview"]["staff_total"], 1);
    assert_eq!(body["overview"]["absence_record_total"], 3);
    assert_eq!(body["overview"]["most_popular_leave_type_name"], "Holiday");
    assert_eq!(body["overview"]["most_accumulated_days"]["total"], 800);
    assert_eq!(body["overview"]["longest_absence_days"]["total"], 500);
    let buckets: Vec<i64> = body["occurrences_by_duration"]
        .as_array()
        .expect("buckets")
        .iter()
        .filter_map(|b| b["occurrences"].as_i64())
        .collect();
    assert_eq!(buckets, vec![1, 1, 1, 0, 0]);
    let months: Vec<(String, i64, i64)> = body["absence_by_month"]
        .as_array()
        .expect("every month of the period")
        .iter()
        .map(|m| {
            let month = m["month"].as_str().unwrap_or_default().to_owned();
            (
                month,
                m["occurrences"].as_i64().unwrap_or(-1),
                m["day_hundredths"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0], ("2026-01".to_owned(), 0, 0));
    assert_eq!(
        months[1],
        ("2026-02".to_owned(), 2, 300),
        "the holiday and the sickness"
    );
    assert_eq!(months[2], ("2026-03".to_owned(), 1, 500));
    assert_eq!(
        months[3],
        ("2026-04".to_owned(), 0, 0),
        "pending leave is not absence"
    );
    let long = app
        .get(
            "/api/v1/reports/my-staff?from=2020-01-01&to=2026-12-31",
            &o.cast.approver.token,
        )
        .await;
    assert_eq!(long.status, StatusCode::OK);
    assert_eq!(
        long.body["absence_by_month"],
        serde_json::Value::Null,
        "past 24 months"
    );

    let company = app
        .get(
            "/api/v1/reports/my-staff?from=2026-01-01&to=2026-12-31",
            &o.company.owner.token,
        )
        .await;
    assert_eq!(
        company.body["overview"]["staff_total"].as_i64(),
        Some(6),
        "a super user sees the company"
    );
    let with_pending = app
        .get(
            "/api/v1/reports/my-staff?from=2026-01-01&to=2026-12-31&staff_filter=with_pending",
            &o.company.owner.token,
        )
        .await;
    assert_eq!(
        with_pending.body["staff_overview"].as_array().map(Vec::len),
        Some(1)
    );
    let refused = app
        .get(
            "/api/v1/reports/my-staff?from=2026-01-01&to=2026-12-31",
            &staff.token,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_my_staff_report_shows_next_years_allowance_before_anyone_has_read_it() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let staff = &o.cast.staff;

    let report = app
        .get(
            "/api/v1/reports/my-staff?from=2026-01-01&to=2026-12-31",
            &o.cast.approver.token,
        )
        .await;
    assert_eq!(report.status, StatusCode::OK, "{:?}", report.body);
    let next_year = &report.body["staff_overview"][0]["next_year"];

    let allowances = app
        .get(
            &format!("/api/v1/users/{}/allowances", staff.id),
            &o.company.owner.token,
        )
        .await;
    assert_eq!(allowances.status, StatusCode::OK, "{:?}", allowances.body);
    let shown = allowances
        .body
        .as_array()
        .expect("allowances")
        .iter()
        .filter(|a| a["leave_type_id"].as_i64() == Some(o.holiday))
        .max_by_key(|a| a["year_start"].as_str().map(str::to_owned))
        .expect("next year's holiday allowance")
        .clone();
    assert!(shown["opening"].as_i64() > Some(0), "{shown:?}");
    assert_eq!(
        next_year["opening"], shown["opening"],
        "the report shows the allowance the user's page shows, read first or not"
    );
    assert_eq!(next_year["remaining"], shown["remaining"]);
    assert_eq!(next_year["allowance_unit"], shown["unit"]);
}

#[tokio::test]
async fn closures_company_holidays_and_no_time_off_days_shape_what_leave_costs() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let owner = &o.company.owner.token;
    // Week of Monday 2026-08-03: the business closes on Tuesday, the company gives Wednesday
    // off, and the English summer bank holiday (Monday 2026-08-31) is worked here.
    let closed = app.post("/api/v1/annotations", owner, json!({"kind": "business_closed", "title": "Office move", "start_date": "2026-08-04", "end_date": "2026-08-04"})).await;
    assert_eq!(closed.status, StatusCode::CREATED, "{:?}", closed.body);
    let day_off = app
        .post(
            "/api/v1/company-holidays",
            owner,
            json!({"date": "2026-08-05", "name": "Founders' day"}),
        )
        .await;
    assert_eq!(day_off.status, StatusCode::CREATED, "{:?}", day_off.body);
    app.post(
        "/api/v1/company-holidays",
        owner,
        json!({"date": "2026-08-31", "name": "Summer bank holiday (worked)", "working_day": true}),
    )
    .await;
    let week =
        json!({"leave_type_id": o.holiday, "start_date": "2026-08-03", "end_date": "2026-08-07"});
    let quote = app
        .post("/api/v1/leave-requests/quote", &o.cast.staff.token, week)
        .await;
    assert_eq!(quote.body["amount"], 300, "{:?}", quote.body["days"]);
    assert_eq!(quote.body["days"][1]["day_off"], "closure");
    assert_eq!(quote.body["days"][2]["day_off"], "public_holiday");
    let bank_holiday =
        json!({"leave_type_id": o.holiday, "start_date": "2026-08-31", "end_date": "2026-08-31"});
    assert_eq!(
        app.post(
            "/api/v1/leave-requests/quote",
            &o.cast.staff.token,
            bank_holiday
        )
        .await
        .body["amount"],
        100
    );

    // A no-time-off week stops staff; a super user may book across it with a note.
    app.post("/api/v1/annotations", owner, json!({"kind": "no_time_off", "title": "Year end", "start_date": "2026-09-14", "end_date": "2026-09-18"})).await;
    let during = json!({"leave_type_id": o.holiday, "start_date": "2026-09-16", "end_date": "2026-09-16", "user_id": o.cast.staff.id});
    let refused = app
        .post(
            "/api/v1/leave-requests",
            &o.cast.staff.token,
            during.clone(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field(), Some("start_date"));
    let bare = app
        .post("/api/v1/leave-requests", owner, during.clone())
        .await;
    assert_eq!(
        bare.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a super user needs a reason"
    );
    let mut with_note = during;
    with_note["note"] = json!("Agreed with finance");
    assert_eq!(
        app.post("/api/v1/leave-requests", owner, with_note)
            .await
            .status,
        StatusCode::CREATED
    );

    let calendar = app
        .get(
            "/api/v1/calendar?from=2026-08-03&to=2026-08-05",
            &o.cast.staff.token,
        )
        .await
        .body;
    assert_eq!(
        calendar["days"][1]["annotations"][0]["kind"],
        "business_closed"
    );
    assert_eq!(calendar["days"][2]["holidays"], json!(["Founders' day"]));
}

#[tokio::test]
async fn public_holidays_are_listed_by_country_and_region() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let token = &o.cast.staff.token;
    let scotland = app
        .get(
            "/api/v1/public-holidays?country=GB&subdivision=SCT&from=2026-01-01&to=2026-01-02",
            token,
        )
        .await;
    assert_eq!(scotland.status, StatusCode::OK, "{:?}", scotland.body);
    assert_eq!(scotland.body.as_array().map(Vec::len), Some(2));
    let england = app
        .get(
            "/api/v1/public-holidays?country=GB&subdivision=ENG&from=2026-01-01&to=2026-01-02",
            token,
        )
        .await;
    assert_eq!(england.body.as_array().map(Vec::len), Some(1));
    let countries = app
        .get("/api/v1/public-holidays/countries", token)
        .await
        .body;
    assert!(countries.as_array().expect("list").len() >= 47);
    let unknown = app
        .get(
            "/api/v1/public-holidays?country=ZZ&from=2026-01-01&to=2026-12-31",
            token,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.field(), Some("country"));
}

#[tokio::test]
async fn a_users_holidays_follow_their_country_and_region() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let scot = app
        .member(
            &o.company,
            "scot",
            json!({"holiday_country": "GB", "holiday_subdivision": "SCT"}),
        )
        .await;
    let irish = app
        .member(&o.company, "irish", json!({"holiday_country": "IE"}))
        .await;
    let new_year =
        json!({"leave_type_id": o.holiday, "start_date": "2026-01-02", "end_date": "2026-01-02"});
    let amount = |reply: crate::common::Reply| reply.body["amount"].clone();
    assert_eq!(
        amount(
            app.post(
                "/api/v1/leave-requests/quote",
                &o.cast.staff.token,
                new_year.clone()
            )
            .await
        ),
        100,
        "England works on 2 January"
    );
    assert_eq!(
        amount(
            app.post(
                "/api/v1/leave-requests/quote",
                &scot.token,
                new_year.clone()
            )
            .await
        ),
        json!(null),
        "a Scottish holiday holds no working time"
    );
    let st_patrick =
        json!({"leave_type_id": o.holiday, "start_date": "2026-03-16", "end_date": "2026-03-17"});
    assert_eq!(
        amount(
            app.post(
                "/api/v1/leave-requests/quote",
                &irish.token,
                st_patrick.clone()
            )
            .await
        ),
        100
    );
    assert_eq!(
        amount(
            app.post(
                "/api/v1/leave-requests/quote",
                &o.cast.staff.token,
                st_patrick
            )
            .await
        ),
        200
    );
}

#[tokio::test]
async fn restricted_colleagues_are_not_approved_away_together_without_an_override() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let owner = &o.company.owner.token;
    let partner = app
        .member(
            &o.company,
            "partner",
            json!({"approver_id": o.cast.approver.id, "approver_role": "approver_both"}),
        )
        .await;
    let restricted = app
        .post(
            &format!("/api/v1/users/{}/restrictions", o.cast.staff.id),
            owner,
            json!({"restricted_user_id": partner.id, "reverse_entry": true}),
        )
        .await;
    assert_eq!(
        restricted.status,
        StatusCode::CREATED,
        "{:?}",
        restricted.body
    );
    let note = app
        .post(
            &format!("/api/v1/users/{}/notes", o.cast.staff.id),
            owner,
            json!({"note": "Covers for the partner", "restricted": true}),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED);
    assert_eq!(
        app.get(
            &format!("/api/v1/users/{}/notes", o.cast.staff.id),
            &o.cast.approver.token
        )
        .await
        .body["data"],
        json!([]),
        "restricted notes are for super users"
    );
    let day =
        json!({"leave_type_id": o.holiday, "start_date": "2026-10-05", "end_date": "2026-10-05"});
    let first = app
        .post("/api/v1/leave-requests", &partner.token, day.clone())
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        app.post(
            &format!("/api/v1/leave-requests/{first}/approve"),
            &o.cast.approver.token,
            json!({})
        )
        .await
        .status,
        StatusCode::OK
    );
    let second = app
        .post("/api/v1/leave-requests", &o.cast.staff.token, day.clone())
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let quote = app.post("/api/v1/leave-requests/quote", &o.cast.staff.token, json!({"leave_type_id": o.holiday, "start_date": "2026-10-05", "end_date": "2026-10-06"})).await;
    assert_eq!(
        quote.body["warnings"].as_array().map(Vec::len),
        Some(1),
        "{:?}",
        quote.body
    );
    let refused = app
        .post(
            &format!("/api/v1/leave-requests/{second}/approve"),
            &o.cast.approver.token,
            json!({"override_staffing": true}),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::CONFLICT,
        "only a super user overrides"
    );
    assert_eq!(refused.code(), "understaffed");
    let overridden = app
        .post(
            &format!("/api/v1/leave-requests/{second}/approve"),
            owner,
            json!({"override_staffing": true}),
        )
        .await;
    assert_eq!(overridden.status, StatusCode::OK, "{:?}", overridden.body);
}

#[tokio::test]
async fn an_edit_that_nulls_the_times_books_the_day_in_days() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let made = app.post("/api/v1/leave-requests", &o.cast.staff.token, json!({"leave_type_id": o.holiday, "start_date": "2026-11-09", "end_date": "2026-11-09", "start_time": "09:00", "end_time": "11:00"})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let id = made.body["id"].as_i64().expect("id");
    let kept = app
        .patch(
            &format!("/api/v1/leave-requests/{id}"),
            &o.cast.staff.token,
            json!({"note": "Dentist"}),
        )
        .await;
    assert_eq!(kept.body["start_time"], "09:00", "{:?}", kept.body);
    let edited = app
        .patch(
            &format!("/api/v1/leave-requests/{id}"),
            &o.cast.staff.token,
            json!({"start_time": null, "end_time": null}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    assert_eq!(edited.body["start_time"], Value::Null);
    assert_eq!(edited.body["end_time"], Value::Null);
    assert_eq!(edited.body["amount"], 100);
}

#[tokio::test]
async fn a_pending_request_is_edited_and_its_pending_time_moves_with_it() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let editor = app
        .member(&o.company, "editor", json!({"user_type_id": 220}))
        .await;
    app.patch(
        &format!("/api/v1/users/{}", o.cast.staff.id),
        &o.company.owner.token,
        json!({"notifier_3_id": editor.id, "notifier_3_role": "approver_leave"}),
    )
    .await;
    let made = app.post("/api/v1/leave-requests", &o.cast.staff.token, json!({"leave_type_id": o.holiday, "start_date": "2026-11-02", "end_date": "2026-11-02"})).await;
    let id = made.body["id"].as_i64().expect("id");
    let by_plain_approver = app
        .patch(
            &format!("/api/v1/leave-requests/{id}"),
            &o.cast.approver.token,
            json!({"end_date": "2026-11-04"}),
        )
        .await;
    assert_eq!(by_plain_approver.status, StatusCode::FORBIDDEN);
    let edited = app
        .patch(
            &format!("/api/v1/leave-requests/{id}"),
            &editor.token,
            json!({"end_date": "2026-11-04"}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    assert_eq!(edited.body["amount"], 300);
    let allowance = holiday_allowance(
        &app.get(
            &format!(
                "/api/v1/users/{}/allowances?date=2026-06-01",
                o.cast.staff.id
            ),
            &o.cast.staff.token,
        )
        .await
        .body,
        "2026-01-01",
        o.holiday,
    );
    assert_eq!(allowance["pending"], 300);
    let bad = app
        .patch(
            &format!("/api/v1/leave-requests/{id}"),
            &editor.token,
            json!({"end_date": "2026-10-01"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.post(
        &format!("/api/v1/leave-requests/{id}/approve"),
        &o.cast.approver.token,
        json!({}),
    )
    .await;
    let late = app
        .patch(
            &format!("/api/v1/leave-requests/{id}"),
            &editor.token,
            json!({"note": "x"}),
        )
        .await;
    assert_eq!(
        late.status,
        StatusCode::CONFLICT,
        "decided requests are not edited"
    );
}
