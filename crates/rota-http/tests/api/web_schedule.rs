//! The schedule, time clock and payroll pages over HTTP, as a browser sees them: staff see
//! their own published shifts only and none of the manager's grid or its forms; a manager
//! makes a shift through the form, sees it in the week grid as a draft, has a conflict
//! refused next to its field, and publishes the week; clocking in and out; pay periods,
//! their hours and the CSV for super users only; CSRF on every form.

use reqwest::StatusCode;
use reqwest::header;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::shifts::{Shop, shop};
use crate::web::Browser;

/// A Monday far ahead, so that no shift of it has started.
const MONDAY: &str = "2030-03-04";

/// The staff member placed at the shop's location, so that the grid gives them a row.
async fn placed(app: &TestApp, s: &Shop) {
    let placed = app
        .patch(
            &format!("/api/v1/users/{}", s.cast.staff.id),
            &s.company.owner.token,
            json!({"locations": [s.location_id]}),
        )
        .await;
    assert_eq!(placed.status, StatusCode::OK, "{:?}", placed.body);
}

/// A published shift of `user_id` (open if none), made by the owner through the API,
/// `days` days from now for `hours` hours; its id.
async fn published(
    app: &TestApp,
    s: &Shop,
    user_id: Option<i64>,
    days: i64,
    hours: i64,
    requires_approval: bool,
) -> i64 {
    let start = jiff::Timestamp::now().as_second() + days * 86_400;
    let at = |seconds: i64| {
        jiff::Timestamp::from_second(seconds)
            .expect("instant")
            .to_string()
    };
    let mut body = crate::shifts::shift(s, user_id, &at(start), &at(start + hours * 3600));
    body["published"] = json!(true);
    body["requires_approval"] = json!(requires_approval);
    let made = app
        .post("/api/v1/shifts", &s.company.owner.token, body)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    made.body["id"].as_i64().expect("id")
}

fn shift_form<'a>(
    s: &'a str,
    user: &'a str,
    start: &'a str,
    end: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("location_id", s),
        ("user_id", user),
        ("position_id", ""),
        ("date", MONDAY),
        ("starts_at", start),
        ("ends_at", end),
        ("unpaid_break", "30"),
        ("paid_break", ""),
        ("colour", "#00aa55"),
        ("notes", "Open the shop"),
    ]
}

#[tokio::test]
async fn a_manager_makes_a_shift_through_the_form_sees_it_in_the_grid_and_publishes_the_week() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Form Deli").await;
    placed(&app, &s).await;
    let location = s.location_id.to_string();
    let staff_id = s.cast.staff.id.to_string();
    let manager = Browser::sign_in(&app, &s.cast.approver.email).await;
    let form = manager
        .get(&format!(
            "/schedule/shifts/new?location={location}&date={MONDAY}"
        ))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.html.contains(r#"<label for="starts_at">"#), "labelled");

    let mut fields = shift_form(&location, &staff_id, "09:00", "17:00");
    fields.push(("csrf", manager.csrf.as_str()));
    let made = manager.post("/schedule/shifts", &fields).await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        made.headers()[header::LOCATION],
        format!("/schedule?week={MONDAY}&location={location}&done=saved")
    );
    let listed = app
        .get("/api/v1/shifts?open_only=false", &s.company.owner.token)
        .await;
    let shift = &listed.body["data"][0];
    assert_eq!(
        shift["starts_at"], "2030-03-04T09:00:00-05:00",
        "in the location's zone"
    );
    assert_eq!(shift["unpaid_break_minutes"], 30);
    assert_eq!(shift["colour"], "00aa55");
    assert_eq!(shift["published"], false);

    let week = manager
        .get(&format!("/schedule?week={MONDAY}&location={location}"))
        .await;
    assert_eq!(week.status, StatusCode::OK);
    assert!(week.html.contains("09:00–17:00"), "in the grid");
    assert!(
        week.html.contains("sc-00aa55 draft"),
        "a draft, coloured by class"
    );
    assert!(week.html.contains("/styles/shift-colours.css?c=00aa55"));

    // Staff do not see the draft.
    let staff = Browser::sign_in(&app, &s.cast.staff.email).await;
    let mine = staff.get(&format!("/schedule?week={MONDAY}")).await;
    assert!(!mine.html.contains("09:00–17:00"), "drafts are not staff's");

    // An overlapping shift for the same person is refused next to its field, and saved
    // with the manager's override.
    let mut clash = shift_form(&location, &staff_id, "12:00", "20:00");
    clash.push(("csrf", manager.csrf.as_str()));
    let refused = manager.post("/schedule/shifts", &clash).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let html = refused.text().await.expect("html");
    assert!(html.contains(r#"id="user_id-error""#), "{html}");
    assert!(html.contains("already has a shift"));
    clash.push(("override", "on"));
    let forced = manager.post("/schedule/shifts", &clash).await;
    assert_eq!(forced.status(), StatusCode::SEE_OTHER);
    // A time the form cannot read is named.
    let mut bad = shift_form(&location, "", "9am", "17:00");
    bad.push(("csrf", manager.csrf.as_str()));
    let refused = manager.post_page("/schedule/shifts", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has_error_at("starts_at"), "{}", refused.html);

    // Publishing the week: staff see it, in their shifts.
    let published = manager
        .post(
            "/schedule/publish",
            &[
                ("csrf", manager.csrf.as_str()),
                ("location_id", location.as_str()),
                ("week", MONDAY),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    let mine = staff.get(&format!("/schedule?week={MONDAY}")).await;
    assert!(mine.html.contains("09:00–17:00"), "{}", mine.html);
    assert!(mine.html.contains("30 min unpaid break"));
    assert!(mine.html.contains("Open the shop"));
}

#[tokio::test]
async fn staff_get_no_grid_and_403_on_its_forms_and_on_payroll() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Staff Deli").await;
    let location = s.location_id.to_string();
    let staff = Browser::sign_in(&app, &s.cast.staff.email).await;
    let page = staff.get("/schedule").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains(r#"href="/schedule""#),
        "in the navigation"
    );
    assert!(!page.html.contains("/schedule/shifts/new"), "no grid");
    assert!(!page.html.contains(r#"href="/payroll""#), "no payroll link");
    assert_eq!(
        staff.get("/schedule/shifts/new").await.status,
        StatusCode::FORBIDDEN
    );
    let mut fields = shift_form(&location, "", "09:00", "17:00");
    fields.push(("csrf", staff.csrf.as_str()));
    let made = staff.post("/schedule/shifts", &fields).await;
    assert_eq!(made.status(), StatusCode::FORBIDDEN);
    let published = staff
        .post(
            "/schedule/publish",
            &[("csrf", staff.csrf.as_str()), ("location_id", "x")],
        )
        .await;
    assert_eq!(
        published.status(),
        StatusCode::FORBIDDEN,
        "refused before reading"
    );
    assert_eq!(
        staff
            .post(
                "/schedule/shifts/1/delete",
                &[("csrf", staff.csrf.as_str())]
            )
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(staff.get("/payroll").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        staff.get("/payroll/1/export.csv").await.status,
        StatusCode::FORBIDDEN
    );
    let listed = app.get("/api/v1/shifts", &s.company.owner.token).await;
    assert_eq!(listed.body["data"], json!([]), "nothing was made");
}

#[tokio::test]
async fn a_shift_form_without_its_csrf_token_is_refused_and_makes_nothing() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Forged Deli").await;
    let location = s.location_id.to_string();
    let manager = Browser::sign_in(&app, &s.cast.approver.email).await;
    let forged = manager
        .post(
            "/schedule/shifts",
            &shift_form(&location, "", "09:00", "17:00"),
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged.text().await.expect("html").contains("csrf_failed"));
    let clock = manager.post("/time/clock-in", &[]).await;
    assert_eq!(clock.status(), StatusCode::FORBIDDEN);
    let listed = app.get("/api/v1/shifts", &s.company.owner.token).await;
    assert_eq!(listed.body["data"], json!([]));
    let times = app.get("/api/v1/times", &s.company.owner.token).await;
    assert_eq!(times.body["data"], json!([]));
}

#[tokio::test]
async fn staff_clock_in_and_out_and_their_manager_approves_the_entry() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Clock Deli").await;
    let location = s.location_id.to_string();
    let staff = Browser::sign_in(&app, &s.cast.staff.email).await;
    let page = staff.get("/time").await;
    assert!(page.html.contains("Not clocked in"));
    let fields = [
        ("csrf", staff.csrf.as_str()),
        ("location_id", location.as_str()),
        ("position_id", ""),
        ("notes", ""),
    ];
    let clocked = staff.post("/time/clock-in", &fields).await;
    assert_eq!(clocked.status(), StatusCode::SEE_OTHER);
    assert_eq!(clocked.headers()[header::LOCATION], "/time?done=in");
    assert!(staff.get("/time").await.html.contains("Clocked in since"));
    // Clocking in twice is the core's refusal, above the form.
    let again = staff.post("/time/clock-in", &fields).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(
        again
            .text()
            .await
            .expect("html")
            .contains(r#"class="error" role="alert""#)
    );
    let out = staff
        .post(
            "/time/clock-out",
            &[("csrf", staff.csrf.as_str()), ("notes", "done")],
        )
        .await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let times = app.get("/api/v1/times", &s.cast.staff.token).await;
    let entry = &times.body["data"][0];
    assert_eq!(entry["is_open"], false);
    assert_eq!(entry["location_id"], s.location_id);
    let id = entry["id"].as_i64().expect("id");

    let manager = Browser::sign_in(&app, &s.cast.approver.email).await;
    let html = manager.get("/time").await.html;
    assert!(
        html.contains(&format!("/time/entries/{id}/approve")),
        "{html}"
    );
    assert!(html.contains("<td>staff Tester</td>"), "{html}");
    let approved = manager
        .post(
            &format!("/time/entries/{id}/approve"),
            &[("csrf", manager.csrf.as_str())],
        )
        .await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let entry = app
        .get(&format!("/api/v1/times/{id}"), &s.cast.staff.token)
        .await;
    assert_eq!(entry.body["is_approved"], true);
    // Staff have no such list.
    assert!(
        !staff
            .get("/time")
            .await
            .html
            .contains("Waiting for approval")
    );
}

#[tokio::test]
async fn a_super_user_reads_a_pay_periods_hours_downloads_its_csv_and_closes_it() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Pay Deli").await;
    let owner = Browser::sign_in(&app, &s.company.owner.email).await;
    let list = owner.get("/payroll").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.html.contains(r#"href="/payroll""#),
        "in the navigation"
    );
    let periods = app
        .get("/api/v1/payroll-periods", &s.company.owner.token)
        .await;
    let id = periods.body["data"][0]["id"].as_i64().expect("a period");
    assert!(list.html.contains(&format!(r#"href="/payroll/{id}""#)));
    let period = owner.get(&format!("/payroll/{id}")).await;
    assert_eq!(period.status, StatusCode::OK);
    assert!(period.html.contains("Overtime") && period.html.contains("Paid leave"));
    assert!(period.html.contains(&format!("/payroll/{id}/export.csv")));
    let csv = owner.get(&format!("/payroll/{id}/export.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    // Closing, then reopening without a reason: refused next to the field.
    let closed = owner
        .post(
            &format!("/payroll/{id}/close"),
            &[("csrf", owner.csrf.as_str())],
        )
        .await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    let refused = owner
        .post_page(
            &format!("/payroll/{id}/reopen"),
            &[("csrf", owner.csrf.as_str()), ("reason", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has_error_at("reason"), "{}", refused.html);
    let period = app
        .get(
            &format!("/api/v1/payroll-periods/{id}"),
            &s.company.owner.token,
        )
        .await;
    assert_eq!(period.body["status"], "closed");
}

#[tokio::test]
async fn a_conflict_the_company_lets_through_stands_beside_the_saved_shift() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Warned Deli").await;
    let settings = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/company/schedule",
            Some(&s.company.owner.token),
            Some(json!({"open_shifts_require_approval": false, "conflict_warnings": ["shift_overlap"]})),
        )
        .await;
    assert_eq!(settings.status, StatusCode::OK, "{:?}", settings.body);
    let location = s.location_id.to_string();
    let staff_id = s.cast.staff.id.to_string();
    let manager = Browser::sign_in(&app, &s.cast.approver.email).await;
    for (start, end) in [("09:00", "17:00"), ("12:00", "20:00")] {
        let mut fields = shift_form(&location, &staff_id, start, end);
        fields.push(("csrf", manager.csrf.as_str()));
        assert_eq!(
            manager.post("/schedule/shifts", &fields).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let listed = app.get("/api/v1/shifts", &s.company.owner.token).await;
    let id = listed.body["data"][1]["id"]
        .as_i64()
        .expect("the second shift");
    let fields = shift_form(&location, &staff_id, "13:00", "20:00");
    let mut fields = fields;
    fields.push(("csrf", manager.csrf.as_str()));
    let changed = manager
        .post(&format!("/schedule/shifts/{id}"), &fields)
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let to = changed.headers()[header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    assert_eq!(
        to,
        format!("/schedule/shifts/{id}?done=saved&warn=shift_overlap")
    );
    let page = manager.get(&to).await;
    assert!(page.html.contains("Saved despite"));
    assert!(page.html.contains("already has a shift"), "{}", page.html);
    assert!(
        page.html.contains(r#"value="13:00""#),
        "the form holds the shift"
    );
    // Deleted through its form, back to the week.
    let deleted = manager
        .post(
            &format!("/schedule/shifts/{id}/delete"),
            &[("csrf", manager.csrf.as_str())],
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let gone = app
        .get(&format!("/api/v1/shifts/{id}"), &s.company.owner.token)
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);

    // A repeating shift whose first day meets the shift left is saved, and its page says so.
    let mut fields = shift_form(&location, &staff_id, "10:00", "11:00");
    fields.retain(|(name, _)| *name != "unpaid_break");
    fields.extend([
        ("mon", "on"),
        ("interval_weeks", "1"),
        ("until", "2030-03-18"),
    ]);
    let made = manager.submit("/schedule/shifts", &fields).await;
    let to = made.location();
    assert!(
        to.starts_with("/schedule/repeating/")
            && to.ends_with(&format!("/{MONDAY}?done=saved&warn=shift_overlap")),
        "{to}"
    );
    let page = manager.get(to).await;
    assert!(page.html.contains("Saved despite"), "{}", page.html);
    assert!(page.html.contains("The repeating shift is saved."));
}

#[tokio::test]
async fn staff_take_an_open_shift_and_offer_their_own_to_colleagues() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Open Deli").await;
    let id = published(&app, &s, None, 3, 8, false).await;

    let staff = Browser::sign_in(&app, &s.cast.staff.email).await;
    let open = staff.get("/schedule/open").await;
    assert_eq!(open.status, StatusCode::OK);
    assert!(open.html.contains(&format!("/schedule/open/{id}/take")));
    let taken = staff
        .post(
            &format!("/schedule/open/{id}/take"),
            &[("csrf", staff.csrf.as_str())],
        )
        .await;
    assert_eq!(taken.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        taken.headers()[header::LOCATION],
        "/schedule/open?done=taken"
    );
    let shift = app
        .get(&format!("/api/v1/shifts/{id}"), &s.company.owner.token)
        .await;
    assert_eq!(shift.body["user_id"], s.cast.staff.id);
    // Taken twice: the core's refusal, as a page.
    let again = staff
        .post(
            &format!("/schedule/open/{id}/take"),
            &[("csrf", staff.csrf.as_str())],
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again.text().await.expect("html").contains("shift_not_open"));

    let offered = staff
        .post(
            &format!("/schedule/shifts/{id}/give-up"),
            &[("csrf", staff.csrf.as_str())],
        )
        .await;
    assert_eq!(offered.status(), StatusCode::SEE_OTHER);
    let swaps = app.get("/api/v1/swaps", &s.cast.staff.token).await;
    assert_eq!(swaps.body["data"][0]["shift_id"], id);
    assert_eq!(swaps.body["data"][0]["kind"], "drop");
}

#[tokio::test]
async fn staff_bid_for_an_open_shift_and_a_manager_gives_it_to_them() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Bid Deli").await;
    let shift_id = published(&app, &s, None, 5, 6, true).await;

    let staff = Browser::sign_in(&app, &s.cast.staff.email).await;
    let bid = staff
        .post(
            &format!("/schedule/open/{shift_id}/take"),
            &[("csrf", staff.csrf.as_str())],
        )
        .await;
    assert_eq!(bid.headers()[header::LOCATION], "/schedule/open?done=bid");
    let requests = app
        .get("/api/v1/open-shift-requests", &s.company.owner.token)
        .await;
    let id = requests.body["data"][0]["id"].as_i64().expect("a request");
    let staff_id = s.cast.staff.id.to_string();
    // Staff see no decisions, and may not make one.
    assert!(!staff.get("/schedule/open").await.html.contains("decide-h"));
    let refused = staff
        .post(
            &format!("/schedule/bids/{id}/approve"),
            &[("csrf", staff.csrf.as_str()), ("user_id", &staff_id)],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let manager = Browser::sign_in(&app, &s.cast.approver.email).await;
    let html = manager.get("/schedule/open").await.html;
    assert!(
        html.contains(&format!("/schedule/bids/{id}/approve")),
        "{html}"
    );
    let given = manager
        .post(
            &format!("/schedule/bids/{id}/approve"),
            &[("csrf", manager.csrf.as_str()), ("user_id", &staff_id)],
        )
        .await;
    assert_eq!(given.status(), StatusCode::SEE_OTHER);
    let shift = app
        .get(
            &format!("/api/v1/shifts/{shift_id}"),
            &s.company.owner.token,
        )
        .await;
    assert_eq!(shift.body["user_id"], s.cast.staff.id);
}

#[tokio::test]
async fn a_colleague_accepts_a_shift_offered_to_them_and_a_manager_approves_the_swap() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Swap Page Deli").await;
    let colleague = app
        .member(
            &s.company,
            "colleague",
            json!({"department_id": s.cast.department_id, "approver_id": s.cast.approver.id,
                   "approver_role": "approver_both"}),
        )
        .await;
    let shift_id = published(&app, &s, Some(s.cast.staff.id), 4, 8, false).await;
    let offered = app
        .post(
            "/api/v1/swaps",
            &s.cast.staff.token,
            json!({"shift_id": shift_id, "kind": "drop", "user_ids": [colleague.id]}),
        )
        .await;
    assert_eq!(offered.status, StatusCode::CREATED, "{:?}", offered.body);
    let swap = offered.body["id"].as_i64().expect("swap");
    // The shift as the pages show it: its day and start, local.
    let starts_at = offered.body["starts_at"].as_str().expect("starts_at");
    let day: jiff::civil::Date = starts_at[..10].parse().expect("day");
    let shown = format!(
        "<strong>{}</strong> {}",
        day.strftime("%a %-d %b"),
        &starts_at[11..16]
    );

    let browser = Browser::sign_in(&app, &colleague.email).await;
    let html = browser.get("/schedule/open").await.html;
    assert!(
        html.contains(&format!("/schedule/swaps/{swap}/accept")),
        "{html}"
    );
    assert!(html.contains(&format!("Drop: {shown}")), "{html}");
    let accepted = browser
        .post(
            &format!("/schedule/swaps/{swap}/accept"),
            &[("csrf", browser.csrf.as_str())],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        accepted.headers()[header::LOCATION],
        "/schedule/open?done=accepted"
    );

    let manager = Browser::sign_in(&app, &s.cast.approver.email).await;
    let html = manager.get("/schedule/open").await.html;
    assert!(
        html.contains(&format!("/schedule/swaps/{swap}/approve")),
        "{html}"
    );
    assert!(html.contains(&shown), "{html}");
    assert!(html.contains(" to colleague Tester</span>"), "{html}");
    let approved = manager
        .post(
            &format!("/schedule/swaps/{swap}/approve"),
            &[("csrf", manager.csrf.as_str())],
        )
        .await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        approved.headers()[header::LOCATION],
        "/schedule/open?done=swap-approved"
    );
    let shift = app
        .get(
            &format!("/api/v1/shifts/{shift_id}"),
            &s.company.owner.token,
        )
        .await;
    assert_eq!(shift.body["user_id"], colleague.id);
}

#[tokio::test]
async fn someone_not_placed_at_the_location_keeps_their_name_in_the_grid() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Unplaced Deli").await;
    let body = crate::shifts::shift(
        &s,
        Some(s.cast.staff.id),
        "2030-03-04T09:00:00-05:00",
        "2030-03-04T13:00:00-05:00",
    );
    let made = app
        .post("/api/v1/shifts", &s.company.owner.token, body)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);

    let manager = Browser::sign_in(&app, &s.cast.approver.email).await;
    let week = manager
        .get(&format!(
            "/schedule?week={MONDAY}&location={}",
            s.location_id
        ))
        .await;
    assert!(week.html.contains("09:00–13:00"), "{}", week.html);
    assert!(
        week.html
            .contains(r#"<th scope="row" class="name">staff Tester</th>"#),
        "{}",
        week.html
    );
}

#[tokio::test]
async fn a_repeating_shift_shows_in_the_grid_and_in_my_shifts_and_a_manager_changes_its_days() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Repeat Deli").await;
    placed(&app, &s).await;
    let tomorrow = jiff::Zoned::now()
        .date()
        .checked_add(jiff::Span::new().days(1))
        .expect("tomorrow");
    let until = tomorrow
        .checked_add(jiff::Span::new().days(9))
        .expect("until");
    let chain = json!({"user_id": s.cast.staff.id, "location_id": s.location_id,
        "starts_at": format!("{tomorrow}T14:00:00Z"), "ends_at": format!("{tomorrow}T18:00:00Z"),
        "weekdays": 127, "until": until.to_string(), "published": true});
    let made = app
        .post("/api/v1/shift-chains", &s.cast.approver.token, chain)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);

    let manager = Browser::sign_in(&app, &s.cast.approver.email).await;
    let week = format!("/schedule?week={tomorrow}&location={}", s.location_id);
    let html = manager.get(&week).await.html;
    let chain_id = made.body["id"].as_i64().expect("chain");
    let day_path = |day: jiff::civil::Date| format!("/schedule/repeating/{chain_id}/{day}");
    assert!(
        html.contains(&format!(r#"href="{}">09:00–13:00"#, day_path(tomorrow))),
        "in New York time, linked to its day: {html}"
    );
    assert!(html.contains("(repeating)"), "said to a screen reader");
    let staff = Browser::sign_in(&app, &s.cast.staff.email).await;
    let html = staff.get("/schedule").await.html;
    assert!(html.contains("09:00–13:00"), "{html}");
    assert!(
        html.contains("Repeats"),
        "no offer of an occurrence: {html}"
    );

    // A day's page is for who builds the schedule, in the company.
    let page = manager.get(&day_path(tomorrow)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Change this day"), "{}", page.html);
    assert_eq!(
        staff.get(&day_path(tomorrow)).await.status,
        StatusCode::FORBIDDEN
    );
    let other = app.company("Other Repeat Deli").await;
    let stranger = Browser::sign_in(&app, &other.owner.email).await;
    assert_eq!(
        stranger.get(&day_path(tomorrow)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        manager
            .get(&format!("/schedule/repeating/{chain_id}/someday"))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        staff
            .submit(&format!("{}/delete", day_path(tomorrow)), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Tomorrow becomes a shift of its own, opened in the shift form.
    let detached = manager
        .submit(&format!("{}/detach", day_path(tomorrow)), &[])
        .await;
    let shift_page = detached.location().to_owned();
    let shift_id: i64 = shift_page
        .strip_prefix("/schedule/shifts/")
        .and_then(|id| id.parse().ok())
        .expect("a shift's page");
    let shift = app
        .get(
            &format!("/api/v1/shifts/{shift_id}"),
            &s.cast.approver.token,
        )
        .await;
    assert_eq!(shift.body["user_id"], s.cast.staff.id, "{:?}", shift.body);
    // The day after is removed, and from the third day on the repeating shift ends.
    let day = |n: i64| {
        tomorrow
            .checked_add(jiff::Span::new().days(n))
            .expect("day")
    };
    let removed = manager
        .submit(&format!("{}/delete", day_path(day(1))), &[])
        .await;
    assert!(
        removed.location().ends_with("&done=day-removed"),
        "{}",
        removed.location()
    );
    let ended = manager
        .submit(&format!("{}/end", day_path(day(3))), &[])
        .await;
    assert!(
        ended.location().ends_with("&done=repeating-ended"),
        "{}",
        ended.location()
    );
    let chain = app
        .get(
            &format!("/api/v1/shift-chains/{chain_id}"),
            &s.cast.approver.token,
        )
        .await;
    assert_eq!(chain.body["until"], day(2).to_string(), "{:?}", chain.body);
    let exceptions: Vec<&str> = chain.body["exceptions"]
        .as_array()
        .expect("exceptions")
        .iter()
        .filter_map(|e| e["date"].as_str())
        .collect();
    assert_eq!(exceptions, [tomorrow.to_string(), day(1).to_string()]);
}

#[tokio::test]
async fn a_manager_copies_a_week_and_a_second_copy_skips_what_would_overlap() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Copy Deli").await;
    placed(&app, &s).await;
    let location = s.location_id.to_string();
    let staff_id = s.cast.staff.id.to_string();
    let manager = Browser::sign_in(&app, &s.cast.approver.email).await;
    let mut fields = shift_form(&location, &staff_id, "09:00", "17:00");
    fields.push(("csrf", manager.csrf.as_str()));
    let made = manager.post("/schedule/shifts", &fields).await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let next = "2030-03-11";
    let copy = [
        ("location_id", location.as_str()),
        ("week", MONDAY),
        ("to", next),
        ("include_open", "on"),
    ];

    // Staff may not copy: refused before the form is read.
    let staff = Browser::sign_in(&app, &s.cast.staff.email).await;
    let refused = staff.submit("/schedule/copy", &copy).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let copied = manager.submit("/schedule/copy", &copy).await;
    assert_eq!(
        copied.location(),
        format!("/schedule?week={next}&location={location}&done=copied&copied=1&skipped=0")
    );
    let html = manager.get(copied.location()).await.html;
    assert!(html.contains("1 shift copied here."), "{html}");
    assert!(html.contains("09:00–17:00"), "the copy in next week's grid");
    let listed = app
        .get(
            &format!("/api/v1/shifts?from={next}T00:00:00Z&to=2030-03-18T00:00:00Z"),
            &s.cast.approver.token,
        )
        .await;
    assert_eq!(listed.body["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(listed.body["data"][0]["published"], false, "a draft");

    // Copying again would give the staff member two shifts at once: skipped, and said.
    let again = manager.submit("/schedule/copy", &copy).await;
    assert!(
        again.location().ends_with("copied=0&skipped=1"),
        "{}",
        again.location()
    );
    let html = manager.get(again.location()).await.html;
    assert!(html.contains("0 shifts copied here; 1 skipped"), "{html}");
}

#[tokio::test]
async fn a_manager_corrects_and_deletes_a_time_entry_that_staff_may_not_touch() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Entry Deli").await;
    let manager_token = &s.cast.approver.token;
    let day = jiff::Zoned::now()
        .date()
        .checked_sub(jiff::Span::new().days(2))
        .expect("a day");
    let made = app
        .post(
            "/api/v1/times",
            manager_token,
            json!({"user_id": s.cast.staff.id, "location_id": s.location_id,
                   "start_time": format!("{day}T14:00:00Z"), "end_time": format!("{day}T20:00:00Z")}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let id = made.body["id"].as_i64().expect("id");
    let zone =
        jiff::tz::TimeZone::get(made.body["time_zone"].as_str().expect("zone")).expect("zone");
    let path = format!("/time/entries/{id}");

    let manager = Browser::sign_in(&app, &s.cast.approver.email).await;
    assert!(
        manager
            .get("/time")
            .await
            .html
            .contains(&format!(r#"href="{path}""#))
    );
    let form = manager.get(&path).await;
    assert_eq!(form.status, StatusCode::OK);
    let shown: jiff::Timestamp = format!("{day}T14:00:00Z").parse().expect("instant");
    let local = shown.to_zoned(zone.clone());
    let date = local.date().to_string();
    assert!(
        form.html
            .contains(&format!(r#"value="{}""#, local.strftime("%H:%M"))),
        "the start in the entry's zone: {}",
        form.html
    );

    // An end before the start is the core's refusal, beside the end; nothing changes.
    let backwards = [
        ("start_date", date.as_str()),
        ("start_time", "12:00"),
        ("end_date", date.as_str()),
        ("end_time", "08:00"),
        ("notes", ""),
    ];
    let refused = manager.submit(&path, &backwards).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    assert!(
        refused.has_error_at("end_time") || refused.has_error_at("start_time"),
        "{}",
        refused.html
    );
    let fixed = [
        ("start_date", date.as_str()),
        ("start_time", "08:00"),
        ("end_date", date.as_str()),
        ("end_time", "12:30"),
        ("notes", "Forgot to clock out"),
    ];
    let saved = manager.submit(&path, &fixed).await;
    assert_eq!(saved.location(), "/time?done=saved", "{}", saved.html);
    let entry = app
        .get(&format!("/api/v1/times/{id}"), manager_token)
        .await
        .body;
    let start: jiff::Timestamp = entry["start_time"]
        .as_str()
        .expect("start")
        .parse()
        .expect("instant");
    assert_eq!(start.to_zoned(zone).strftime("%H:%M").to_string(), "08:00");
    assert_eq!(entry["worked_minutes"], 270);
    assert_eq!(entry["notes"], "Forgot to clock out");

    // The staff member may neither open nor change it, and another company finds nothing.
    let staff = Browser::sign_in(&app, &s.cast.staff.email).await;
    assert_eq!(staff.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        staff.submit(&path, &fixed).await.status,
        StatusCode::FORBIDDEN
    );
    let other = app.company("Other Entry Deli").await;
    let stranger = Browser::sign_in(&app, &other.owner.email).await;
    assert_eq!(stranger.get(&path).await.status, StatusCode::NOT_FOUND);

    let deleted = manager.submit(&format!("{path}/delete"), &[]).await;
    assert_eq!(deleted.location(), "/time?done=deleted");
    assert_eq!(
        app.get(&format!("/api/v1/times/{id}"), manager_token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn staff_offer_their_shift_to_a_colleague_they_pick_from_those_it_fits() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Offer Deli").await;
    let id = published(&app, &s, Some(s.cast.staff.id), 3, 8, false).await;
    let path = format!("/schedule/shifts/{id}/offer");

    let staff = Browser::sign_in(&app, &s.cast.staff.email).await;
    assert!(
        staff
            .get("/schedule")
            .await
            .html
            .contains(&format!(r#"href="{path}""#))
    );
    let page = staff.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    let colleague = s.cast.approver.id.to_string();
    assert!(
        page.html
            .contains(&format!(r#"name="user_ids" value="{colleague}""#)),
        "{}",
        page.html
    );
    assert!(
        !page
            .html
            .contains(&format!(r#"value="{}""#, s.cast.staff.id)),
        "not its holder"
    );
    let offered = staff
        .submit(
            &format!("/schedule/shifts/{id}/give-up"),
            &[("user_ids", colleague.as_str())],
        )
        .await;
    assert_eq!(offered.location(), "/schedule/open?done=offered");
    let swap = &app.get("/api/v1/swaps", &s.cast.staff.token).await.body["data"][0];
    assert_eq!(swap["open_to_all"], false, "{swap:?}");
    assert_eq!(swap["recipients"][0]["user_id"], s.cast.approver.id);

    // A colleague's shift is not theirs to offer, nor another company's to see.
    let colleague = Browser::sign_in(&app, &s.cast.approver_add.email).await;
    let theirs = colleague.get(&path).await;
    assert!(theirs.status.is_client_error(), "{}", theirs.status);
    let other = app.company("Other Offer Deli").await;
    let stranger = Browser::sign_in(&app, &other.owner.email).await;
    assert_eq!(stranger.get(&path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_manager_sees_who_is_clocked_in_and_ends_a_forgotten_entry() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Running Deli").await;
    let manager_token = &s.cast.approver.token;
    let staff = &s.cast.staff;
    let started = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(3);
    let made = app
        .post(
            "/api/v1/times",
            manager_token,
            json!({"user_id": staff.id, "location_id": s.location_id,
                   "start_time": started.to_string()}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let id = made.body["id"].as_i64().expect("id");
    let path = format!("/time/entries/{id}");

    let manager = Browser::sign_in(&app, &s.cast.approver.email).await;
    let html = manager.get("/time").await.html;
    assert!(html.contains(r#"id="running-h""#), "{html}");
    assert!(html.contains(&format!(r#"href="{path}""#)));
    // The form holds the start; an end typed an hour after it finishes the entry.
    let zone =
        jiff::tz::TimeZone::get(made.body["time_zone"].as_str().expect("zone")).expect("zone");
    let start = started.to_zoned(zone.clone());
    let end = (started + jiff::SignedDuration::from_hours(1)).to_zoned(zone);
    let (start_date, start_time) = (
        start.date().to_string(),
        start.strftime("%H:%M").to_string(),
    );
    let (end_date, end_time) = (end.date().to_string(), end.strftime("%H:%M").to_string());
    let form = manager.get(&path).await.html;
    assert!(form.contains(&format!(r#"value="{start_time}""#)), "{form}");
    let saved = manager
        .submit(
            &path,
            &[
                ("start_date", &start_date),
                ("start_time", &start_time),
                ("end_date", &end_date),
                ("end_time", &end_time),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(saved.location(), "/time?done=saved", "{}", saved.html);
    let entry = app
        .get(&format!("/api/v1/times/{id}"), manager_token)
        .await
        .body;
    assert_eq!(entry["is_open"], false, "{entry:?}");
    assert!(
        !manager
            .get("/time")
            .await
            .html
            .contains(r#"id="running-h""#)
    );
}

#[tokio::test]
async fn staff_offer_their_shift_in_exchange_for_a_colleagues_who_sees_what_they_would_give() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Swap Deli").await;
    let mine = published(&app, &s, Some(s.cast.staff.id), 3, 8, false).await;
    let theirs = published(&app, &s, Some(s.cast.approver.id), 4, 8, false).await;
    let staff = Browser::sign_in(&app, &s.cast.staff.email).await;
    let page = staff.get(&format!("/schedule/shifts/{mine}/offer")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html
            .contains(&format!(r#"name="shift_id" value="{theirs}""#)),
        "{}",
        page.html
    );
    let path = format!("/schedule/shifts/{mine}/swap");
    assert_eq!(
        staff.submit(&path, &[("shift_id", "a shift")]).await.status,
        StatusCode::BAD_REQUEST
    );
    // My own shift is no exchange: the core refuses it, next to nothing the page lacks.
    let own = staff
        .submit(&path, &[("shift_id", &mine.to_string())])
        .await;
    assert!(own.status.is_client_error(), "{}", own.status);
    let offered = staff
        .submit(&path, &[("shift_id", &theirs.to_string())])
        .await;
    assert_eq!(offered.location(), "/schedule/open?done=offered");
    let swap = &app.get("/api/v1/swaps", &s.cast.staff.token).await.body["data"][0];
    assert_eq!(swap["kind"], "swap", "{swap:?}");
    assert_eq!(swap["recipients"][0]["user_id"], s.cast.approver.id);
    assert_eq!(swap["recipients"][0]["shift_id"], theirs);

    // The colleague sees the offer, and which of their shifts they would give for it.
    let colleague = Browser::sign_in(&app, &s.cast.approver.email).await;
    let html = colleague.get("/schedule/open").await.html;
    assert!(html.contains("Swap: <strong>"), "{html}");
    assert!(html.contains(", for your <strong>"), "{html}");
    let swap_id = swap["id"].as_i64().expect("swap");
    let accepted = colleague
        .submit(&format!("/schedule/swaps/{swap_id}/accept"), &[])
        .await;
    assert_eq!(accepted.location(), "/schedule/open?done=accepted");
    // Whoever approves it sees both shifts.
    let manager = Browser::sign_in(&app, &s.company.owner.email).await;
    let html = manager.get("/schedule/open").await.html;
    assert!(
        html.contains(&format!("/schedule/swaps/{swap_id}/approve")),
        "{html}"
    );
    assert!(
        html.contains("&#x27;s <strong>") || html.contains("'s <strong>"),
        "{html}"
    );

    // Nobody swaps a shift that is not theirs to offer.
    let other = Browser::sign_in(&app, &s.cast.approver_add.email).await;
    let refused = other
        .submit(&path, &[("shift_id", &theirs.to_string())])
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
}

#[tokio::test]
async fn a_manager_makes_a_repeating_shift_through_the_form_and_changes_its_days_from_one_on() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Weekly Deli").await;
    placed(&app, &s).await;
    let location = s.location_id.to_string();
    let staff_id = s.cast.staff.id.to_string();
    let manager = Browser::sign_in(&app, &s.cast.approver.email).await;
    let form = manager
        .get(&format!(
            "/schedule/shifts/new?location={location}&date={MONDAY}"
        ))
        .await;
    assert!(form.html.contains("<legend>Repeats on"), "{}", form.html);
    assert!(form.html.contains(r#"<label for="until">"#), "labelled");

    // Mondays, Wednesdays and Fridays for two weeks, 09:00–17:00 New York time.
    let mut fields = shift_form(&location, &staff_id, "09:00", "17:00");
    fields.extend([
        ("mon", "on"),
        ("wed", "on"),
        ("fri", "on"),
        ("interval_weeks", "1"),
        ("until", "2030-03-15"),
    ]);
    let mut too_long = fields.clone();
    for field in &mut too_long {
        if field.0 == "unpaid_break" {
            field.1 = "600";
        }
    }
    let too_long = manager.submit("/schedule/shifts", &too_long).await;
    assert!(too_long.status.is_client_error(), "{}", too_long.status);
    assert!(too_long.has_error_at("unpaid_break"), "{}", too_long.html);
    assert!(
        too_long.html.contains(r#"name="wed" value="on" checked"#),
        "the form as posted"
    );
    let made = manager.submit("/schedule/shifts", &fields).await;
    assert_eq!(
        made.location(),
        format!("/schedule?week={MONDAY}&location={location}&done=repeating-made")
    );
    let occurrences = |from: &str, to: &str| {
        let path = format!(
            "/api/v1/shift-chains/occurrences?from={from}T00:00:00Z&to={to}T00:00:00Z&location_id={location}"
        );
        let token = s.company.owner.token.clone();
        let app = &app;
        async move {
            let listed = app.get(&path, &token).await;
            assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
            listed.body.as_array().expect("occurrences").clone()
        }
    };
    let days = occurrences("2030-03-01", "2030-03-20").await;
    let starts: Vec<&str> = days
        .iter()
        .filter_map(|o| o["starts_at"].as_str())
        .collect();
    assert_eq!(starts.len(), 6, "{days:?}");
    assert_eq!(starts[0], "2030-03-04T09:00:00-05:00");
    assert_eq!(
        starts[5], "2030-03-15T09:00:00-04:00",
        "09:00 after the DST change too"
    );
    assert_eq!(days[0]["user_id"], s.cast.staff.id);
    assert_eq!(days[5]["unpaid_break_minutes"], 30, "the break every day");
    let chain_id = days[0]["chain_id"].as_i64().expect("chain");
    let grid = manager.get(made.location()).await;
    assert!(
        grid.html.contains("The repeating shift is made."),
        "{}",
        grid.html
    );

    // From the second Wednesday on: 10:00 to 18:30, Wednesdays only.
    let wednesday = format!("/schedule/repeating/{chain_id}/2030-03-13");
    let page = manager.get(&wednesday).await;
    assert!(page.html.contains("Change its days"), "{}", page.html);
    assert!(
        page.html.contains(r#"name="fri" value="on" checked"#),
        "as stored"
    );
    assert!(
        page.html
            .contains(r#"name="unpaid_break" type="number" autocomplete="off" value="30""#),
        "{}",
        page.html
    );
    let change = |start: &'static str, until: &'static str, days: &'static [&'static str]| {
        let mut fields = vec![
            ("scope", "from"),
            ("user_id", staff_id.as_str()),
            ("position_id", ""),
            ("start_time", start),
            ("ends_at", "18:30"),
            ("interval_weeks", "1"),
            ("until", until),
            ("colour", "#00aa55"),
            ("notes", ""),
            ("unpaid_break", "30"),
            ("paid_break", "15"),
        ];
        fields.extend(days.iter().map(|day| (*day, "on")));
        fields
    };
    let staff = Browser::sign_in(&app, &s.cast.staff.email).await;
    let refused = staff
        .submit(&wednesday, &change("10:00", "2030-03-15", &["wed"]))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let no_day = manager
        .submit(&wednesday, &change("10:00", "2030-03-15", &[]))
        .await;
    assert!(no_day.status.is_client_error(), "{}", no_day.status);
    assert!(no_day.has_error_at("weekdays"), "{}", no_day.html);
    let too_early = manager
        .submit(&wednesday, &change("10:00", "2030-03-01", &["wed"]))
        .await;
    assert!(too_early.has_error_at("until"), "{}", too_early.html);
    let bad_time = manager
        .submit(&wednesday, &change("ten", "2030-03-15", &["wed"]))
        .await;
    assert!(bad_time.has_error_at("start_time"), "{}", bad_time.html);
    assert_eq!(
        occurrences("2030-03-01", "2030-03-20").await.len(),
        6,
        "nothing written by a refusal"
    );

    let changed = manager
        .submit(&wednesday, &change("10:00", "2030-03-15", &["wed"]))
        .await;
    assert_eq!(
        changed.location(),
        format!("/schedule?week=2030-03-11&location={location}&done=repeating-changed")
    );
    let days = occurrences("2030-03-01", "2030-03-20").await;
    let spans: Vec<(&str, &str)> = (days.iter())
        .filter_map(|o| Some((o["starts_at"].as_str()?, o["ends_at"].as_str()?)))
        .collect();
    assert_eq!(
        spans,
        [
            ("2030-03-04T09:00:00-05:00", "2030-03-04T17:00:00-05:00"),
            ("2030-03-06T09:00:00-05:00", "2030-03-06T17:00:00-05:00"),
            ("2030-03-08T09:00:00-05:00", "2030-03-08T17:00:00-05:00"),
            ("2030-03-11T09:00:00-04:00", "2030-03-11T17:00:00-04:00"),
            ("2030-03-13T10:00:00-04:00", "2030-03-13T18:30:00-04:00"),
        ],
        "Friday the 15th is no longer one of its days"
    );
    let breaks = |day: &Value| {
        (
            day["unpaid_break_minutes"].clone(),
            day["breaks"].as_array().map(Vec::len),
        )
    };
    assert_eq!(breaks(&days[3]), (json!(30), Some(1)), "as before");
    assert_eq!(breaks(&days[4]), (json!(30), Some(2)), "a paid break too");
    let first = app
        .get(
            &format!("/api/v1/shift-chains/{chain_id}"),
            &s.company.owner.token,
        )
        .await;
    assert_eq!(first.body["until"], "2030-03-12", "{:?}", first.body);

    // Every day of the first one: from 08:00, overnight to 01:00.
    let monday = format!("/schedule/repeating/{chain_id}/{MONDAY}");
    let mut all = change("08:00", "2030-03-12", &["mon", "wed", "fri"]);
    all[0] = ("scope", "all");
    all[4] = ("ends_at", "01:00");
    let changed = manager.submit(&monday, &all).await;
    assert!(
        changed.location().ends_with("&done=repeating-changed"),
        "{} {}",
        changed.status,
        changed.html
    );
    let days = occurrences("2030-03-01", "2030-03-05").await;
    assert_eq!(days[0]["starts_at"], "2030-03-04T08:00:00-05:00");
    assert_eq!(
        days[0]["ends_at"], "2030-03-05T01:00:00-05:00",
        "the next day"
    );
}

#[tokio::test]
async fn a_manager_places_a_shift_and_a_repeating_shift_at_a_site_through_the_forms() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Site Deli").await;
    placed(&app, &s).await;
    let owner = &s.company.owner.token;
    let site = |location_id: i64, name: &'static str| {
        let app = &app;
        async move {
            let made = app
                .post(
                    "/api/v1/sites",
                    owner,
                    json!({"location_id": location_id, "name": name}),
                )
                .await;
            assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
            made.body["id"].as_i64().expect("site").to_string()
        }
    };
    let bay = site(s.location_id, "Loading bay").await;
    let uptown = app
        .post(
            "/api/v1/locations",
            owner,
            json!({"name": "Uptown", "time_zone": "America/New_York"}),
        )
        .await;
    let kiosk = site(uptown.body["id"].as_i64().expect("location"), "Kiosk").await;
    let location = s.location_id.to_string();
    let staff_id = s.cast.staff.id.to_string();
    let manager = Browser::sign_in(&app, &s.cast.approver.email).await;
    let form = manager
        .get(&format!(
            "/schedule/shifts/new?location={location}&date={MONDAY}"
        ))
        .await;
    assert!(
        form.html.contains(r#"<label for="site_id">Site</label>"#),
        "labelled"
    );
    assert!(
        form.html.contains("Loading bay (Broadway)") && form.html.contains("Kiosk (Uptown)"),
        "each site named with its location: {}",
        form.html
    );

    // Another location's site is refused next to the field, and nothing is written.
    let mut fields = shift_form(&location, &staff_id, "09:00", "17:00");
    fields.push(("site_id", kiosk.as_str()));
    let refused = manager.submit("/schedule/shifts", &fields).await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    assert!(refused.has_error_at("site_id"), "{}", refused.html);
    let listed = app.get("/api/v1/shifts?open_only=false", owner).await;
    assert_eq!(listed.body["data"], json!([]), "nothing written");

    fields.retain(|(name, _)| *name != "site_id");
    fields.extend([("site_id", bay.as_str()), ("published", "on")]);
    let made = manager.submit("/schedule/shifts", &fields).await;
    assert!(
        made.location().ends_with("&done=saved"),
        "{}",
        made.location()
    );
    let staff = Browser::sign_in(&app, &s.cast.staff.email).await;
    let mine = staff.get(&format!("/schedule?week={MONDAY}")).await;
    assert!(
        mine.html.contains("· Broadway, Loading bay"),
        "where to go: {}",
        mine.html
    );
    let listed = app.get("/api/v1/shifts?open_only=false", owner).await;
    let shift = &listed.body["data"][0];
    assert_eq!(shift["site_id"].to_string(), bay);
    let page = manager
        .get(&format!("/schedule/shifts/{}", shift["id"]))
        .await;
    assert!(
        page.html
            .contains(&format!(r#"<option value="{bay}" selected>"#)),
        "the stored site is picked: {}",
        page.html
    );

    // A repeating shift keeps its site, and its page changes it.
    let mut weekly = shift_form(&location, &staff_id, "06:00", "08:00");
    weekly.retain(|(name, _)| *name != "unpaid_break");
    weekly.extend([
        ("site_id", bay.as_str()),
        ("mon", "on"),
        ("interval_weeks", "1"),
        ("until", "2030-03-19"),
    ]);
    let made = manager.submit("/schedule/shifts", &weekly).await;
    assert!(
        made.location().ends_with("&done=repeating-made"),
        "{}",
        made.html
    );
    let days = app
        .get(
            &format!("/api/v1/shift-chains/occurrences?from=2030-03-01T00:00:00Z&to=2030-03-20T00:00:00Z&location_id={location}"),
            owner,
        )
        .await;
    let chain_id = days.body[0]["chain_id"].as_i64().expect("an occurrence");
    let chain = app
        .get(&format!("/api/v1/shift-chains/{chain_id}"), owner)
        .await;
    assert_eq!(chain.body["site_id"].to_string(), bay, "{:?}", chain.body);
    let day = format!("/schedule/repeating/{chain_id}/2030-03-11");
    let page = manager.get(&day).await;
    assert!(
        page.html
            .contains(&format!(r#"<option value="{bay}" selected>"#)),
        "{}",
        page.html
    );
    let changed = manager
        .submit(
            &day,
            &[
                ("scope", "all"),
                ("user_id", staff_id.as_str()),
                ("position_id", ""),
                ("site_id", ""),
                ("start_time", "06:00"),
                ("ends_at", "08:00"),
                ("mon", "on"),
                ("interval_weeks", "1"),
                ("until", "2030-03-19"),
                ("colour", "#00aa55"),
                ("notes", ""),
            ],
        )
        .await;
    assert!(changed.status.is_redirection(), "{}", changed.html);
    let chain = app
        .get(&format!("/api/v1/shift-chains/{chain_id}"), owner)
        .await;
    assert_eq!(chain.body["site_id"], json!(null), "no site now");
}
