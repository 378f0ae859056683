//! The approvals page and the overtime page through their forms: overtime is logged and
//! decided apart from leave, leave shows the shifts it would leave empty, and a super user
//! may approve below a department's minimum staffing once the core has said so.

use reqwest::StatusCode;
use reqwest::header;
use serde_json::json;

use crate::common::TestApp;
use crate::web::Browser;

#[tokio::test]
async fn staff_log_overtime_and_their_approver_approves_it_apart_from_leave() {
    let app = TestApp::spawn().await;
    let company = app.company("Overtime Co").await;
    let cast = app.cast(&company).await;
    let overtime = app
        .leave_types(&company.owner.token)
        .await
        .id("O")
        .to_string();
    let staff = Browser::sign_in(&app, &cast.staff.email).await;
    let page = staff.get("/overtime").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains(r#"href="/overtime""#),
        "in the navigation"
    );
    // The core's refusal stands next to the field it names, and nothing is written.
    let without_end = overtime_form(&staff.csrf, &overtime, "17:00", "");
    let refused = staff.post_page("/overtime", &without_end).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.has_error_at("end_time") || refused.has_error_at("start_time"),
        "{}",
        refused.html
    );
    let listed = app.get("/api/v1/leave-requests", &cast.staff.token).await;
    assert_eq!(listed.body["data"], json!([]));
    let evening = overtime_form(&staff.csrf, &overtime, "17:00", "19:30");
    let logged = staff.post("/overtime", &evening).await;
    assert_eq!(logged.status(), StatusCode::SEE_OTHER);
    assert_eq!(logged.headers()[header::LOCATION], "/overtime?done=logged");
    let listed = app.get("/api/v1/leave-requests", &cast.staff.token).await;
    let id = listed.body["data"][0]["id"].as_i64().expect("the overtime");
    assert_eq!(listed.body["data"][0]["kind"], "overtime");
    assert_eq!(listed.body["data"][0]["minutes"], 150);
    let html = staff.get("/overtime").await.html;
    assert!(html.contains("2030-03-04 17:00–19:30"), "{html}");
    assert!(html.contains("pending"));

    // The approver sees it under its own heading, without the leave's balance or team.
    let approver = Browser::sign_in(&app, &cast.approver.email).await;
    let html = approver.get("/approvals").await.html;
    assert!(html.contains(r#"id="overtime-h""#), "{html}");
    assert!(!html.contains(r#"id="leave-h""#), "no leave waits");
    assert!(html.contains(&format!("/approvals/{id}/approve")));
    assert!(html.contains("time off in lieu"));
    let approved = approver
        .post(
            &format!("/approvals/{id}/approve"),
            &[("csrf", approver.csrf.as_str())],
        )
        .await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let request = app
        .get(&format!("/api/v1/leave-requests/{id}"), &cast.staff.token)
        .await;
    assert_eq!(request.body["status"], "approved");
    assert!(staff.get("/overtime").await.html.contains("approved"));
}

/// The overtime form, worked on Monday 4 March 2030 from `start` to `end`.
fn overtime_form<'a>(
    csrf: &'a str,
    type_id: &'a str,
    start: &'a str,
    end: &'a str,
) -> [(&'static str, &'a str); 7] {
    [
        ("csrf", csrf),
        ("leave_type_id", type_id),
        ("start_date", "2030-03-04"),
        ("start_time", start),
        ("end_date", "2030-03-04"),
        ("end_time", end),
        ("note", "Stocktake"),
    ]
}

#[tokio::test]
async fn overtime_of_another_companys_type_is_refused_and_staff_decide_nothing() {
    let app = TestApp::spawn().await;
    let company = app.company("Own Overtime").await;
    let cast = app.cast(&company).await;
    let other = app.company("Other Overtime").await;
    let theirs = app
        .leave_types(&other.owner.token)
        .await
        .id("O")
        .to_string();
    let staff = Browser::sign_in(&app, &cast.staff.email).await;
    let foreign = overtime_form(&staff.csrf, &theirs, "17:00", "18:00");
    let foreign = staff.post_page("/overtime", &foreign).await;
    assert!(
        foreign.status.is_client_error() && foreign.has_error_at("leave_type_id"),
        "another company's type is unknown here: {} {}",
        foreign.status,
        foreign.html
    );
    // Staff see no approvals, and the page refuses their decisions.
    assert_eq!(staff.get("/approvals").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn leave_that_leaves_a_department_short_is_approved_only_by_a_super_user_overriding() {
    let app = TestApp::spawn().await;
    let company = app.company("Short Staffed").await;
    let cast = app.cast(&company).await;
    let owner = &company.owner.token;
    // Operations has the approver, the approver who adds, and the staff member: all three
    // must be in.
    let department = format!("/api/v1/departments/{}", cast.department_id);
    let set = app.patch(&department, owner, json!({"min_user": 3})).await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
    let holiday = app.leave_types(owner).await.id("H");
    let asked = app
        .post(
            "/api/v1/leave-requests",
            &cast.staff.token,
            json!({"leave_type_id": holiday, "start_date": "2030-03-04", "end_date": "2030-03-04"}),
        )
        .await;
    let id = asked.body["id"].as_i64().expect("the request");
    let approve = format!("/approvals/{id}/approve");

    // Their approver is told why, with no way past it.
    let approver = Browser::sign_in(&app, &cast.approver.email).await;
    let refused = approver
        .post_page(&approve, &[("csrf", approver.csrf.as_str())])
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.html.contains("short"), "{}", refused.html);
    assert!(!refused.html.contains("override_staffing"));
    let sneaked = approver
        .post_page(
            &approve,
            &[
                ("csrf", approver.csrf.as_str()),
                ("override_staffing", "on"),
            ],
        )
        .await;
    assert_eq!(
        sneaked.status,
        StatusCode::CONFLICT,
        "only super users override"
    );

    // A super user is offered the override after the refusal, and it approves.
    let super_user = Browser::sign_in(&app, &cast.super_user.email).await;
    let refused = super_user
        .post_page(&approve, &[("csrf", super_user.csrf.as_str())])
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.html.contains(r#"name="override_staffing""#),
        "{}",
        refused.html
    );
    let approved = super_user
        .post(
            &approve,
            &[
                ("csrf", super_user.csrf.as_str()),
                ("override_staffing", "on"),
            ],
        )
        .await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let request = app
        .get(&format!("/api/v1/leave-requests/{id}"), owner)
        .await;
    assert_eq!(request.body["status"], "approved");
}

#[tokio::test]
async fn approving_leave_over_published_shifts_may_open_them_from_the_page() {
    let app = TestApp::spawn().await;
    let s = crate::shifts::shop(&app, "Diner Pages").await;
    let (approver, staff) = (&s.cast.approver, &s.cast.staff);
    let mut body = crate::shifts::shift(
        &s,
        Some(staff.id),
        "2026-12-14T09:00:00-05:00",
        "2026-12-14T17:00:00-05:00",
    );
    body["published"] = json!(true);
    let made = app.post("/api/v1/shifts", &approver.token, body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let shift = format!("/api/v1/shifts/{}", made.body["id"]);
    let holiday = app.leave_types(&staff.token).await.id("H");
    let asked = app
        .post(
            "/api/v1/leave-requests",
            &staff.token,
            json!({"leave_type_id": holiday, "start_date": "2026-12-14", "end_date": "2026-12-14"}),
        )
        .await;
    let id = asked.body["id"].as_i64().expect("the request");

    let page = Browser::sign_in(&app, &approver.email).await;
    let html = page.get("/approvals").await.html;
    assert!(
        html.contains("Mon 14 Dec 09:00–17:00"),
        "in the location's zone: {html}"
    );
    assert!(html.contains(&format!(r#"id="open-{id}" name="open_shifts""#)));
    let approved = page
        .post(
            &format!("/approvals/{id}/approve"),
            &[("csrf", page.csrf.as_str()), ("open_shifts", "on")],
        )
        .await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let opened = app.get(&shift, &approver.token).await;
    assert_eq!(opened.body["user_id"], json!(null), "{:?}", opened.body);
}
