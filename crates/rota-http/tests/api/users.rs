//! Users: every field round-trips, listing filters and pages, who sees whom, and who may
//! change what.

use reqwest::StatusCode;
use rota_core::people::model::UserInput;
use serde_json::{Value, json};

use crate::common::TestApp;

fn ids(reply: &Value) -> Vec<i64> {
    reply["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|u| u["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test]
async fn a_user_keeps_every_field_the_seeds_give_them() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let owner = &company.owner.token;
    let department = app
        .post(
            "/api/v1/departments",
            owner,
            json!({"name": "Ops", "min_user": 2, "max_user": 9}),
        )
        .await
        .body["id"]
        .clone();
    let region = app
        .post("/api/v1/regions", owner, json!({"name": "North"}))
        .await
        .body["id"]
        .clone();
    let location = app
        .post("/api/v1/locations", owner, json!({"name": "Leeds"}))
        .await
        .body["id"]
        .clone();
    let position = app
        .post("/api/v1/positions", owner, json!({"name": "Cook"}))
        .await
        .body["id"]
        .clone();
    let tag = app
        .post("/api/v1/tags", owner, json!({"name": "First aider"}))
        .await
        .body["id"]
        .clone();
    let body = json!({
        "email": "Full.Field@Acme.test", "password": "a long enough password",
        "staff_code": "E123", "title": "Dr", "first_name": "Ada", "middle_name": "King", "last_name": "Lovelace",
        "work_phone": "+44 113 496 0000", "mobile_phone": "+44 7700 900000", "user_type_id": 210, "status": "active",
        "department_id": department, "region_id": region, "locations": [location], "positions": [position], "tags": [tag],
        "position_rates": [{"position_id": position, "hourly_rate_cents": 2150}],
        "approver_id": company.owner.id, "approver_role": "approver_leave",
        "notifier_2_id": company.owner.id, "notifier_2_role": "notifier_both",
        "manager_id": company.owner.id, "job_title": "Head cook",
        "employment_start_date": "2024-03-01", "employment_end_date": "2027-02-28",
        "working_days": ["monday", "tuesday", "thursday"], "holiday_country": "gb", "holiday_subdivision": "SCT", "time_zone": "Europe/Dublin",
        "allowance_unit": "hours", "hourly_rate_cents": 2000, "hours_max_minutes": 2400, "hours_preferred_minutes": 2100,
        "employment_type": "hourly", "notes": "Prefers early shifts", "is_hidden": true, "is_private": true,
        "is_payroll": true, "is_trusted": true, "email_type": "text", "default_view_type_id": 2, "default_view_id": tag,
        "default_sorting_id": 3, "active_directory_username": "ACME\\ada", "image_url_small": "https://img.test/s.png",
        "image_url_large": "https://img.test/l.png", "force_mfa": true
    });
    let created = app.post("/api/v1/users", owner, body.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().expect("id");
    let user = app.get(&format!("/api/v1/users/{id}"), owner).await.body;
    for (field, expected) in body.as_object().expect("object") {
        let expected = match field.as_str() {
            "password" => continue,
            "email" => json!("full.field@acme.test"),
            "holiday_country" => json!("GB"),
            _ => expected.clone(),
        };
        assert_eq!(user[field], expected, "field {field}");
    }
    assert!(
        user.get("password_hash").is_none() && !user.to_string().contains("argon2"),
        "no password material is ever returned"
    );
    assert_eq!(user["last_logins"], json!([]));
    // WhosOff's forceMFA: this user enrols in MFA on their first sign-in.
    crate::mfa::sign_in_enrolling(&app, "full.field@acme.test", "a long enough password").await;
    let user = app.get(&format!("/api/v1/users/{id}"), owner).await.body;
    assert_eq!(user["last_logins"].as_array().map(Vec::len), Some(1));

    // Positions changed without rates keep the rate of each position kept (the people
    // page sends its positions on every save); rates sent replace them all.
    let waiter = app
        .post("/api/v1/positions", owner, json!({"name": "Waiter"}))
        .await
        .body["id"]
        .clone();
    let (app, path) = (&app, &format!("/api/v1/users/{id}"));
    let rates = |positions: Value| async move {
        let changed = app.patch(path, owner, positions).await;
        assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
        (
            changed.body["positions"].clone(),
            changed.body["position_rates"].clone(),
        )
    };
    let (positions, kept) = rates(json!({"positions": [position, waiter]})).await;
    assert_eq!(positions, json!([position, waiter]));
    assert_eq!(
        kept,
        json!([{"position_id": position, "hourly_rate_cents": 2150}])
    );
    let (_, replaced) =
        rates(json!({"position_rates": [{"position_id": waiter, "hourly_rate_cents": 1800}]}))
            .await;
    assert_eq!(
        replaced,
        json!([{"position_id": waiter, "hourly_rate_cents": 1800}])
    );
}

#[tokio::test]
async fn the_user_list_filters_and_pages_through_everyone_exactly_once() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let owner = &company.owner.token;
    let ops = app
        .post("/api/v1/departments", owner, json!({"name": "Ops"}))
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let mut expected = vec![company.owner.id];
    for n in 0..23 {
        let input: UserInput = serde_json::from_value(json!({
            "last_name": if n % 2 == 0 { "Smith" } else { "Jones" },
            "department_id": if n % 3 == 0 { Some(ops) } else { None },
            "staff_code": format!("S{n:03}"),
        }))
        .expect("input");
        expected.push(
            app.insert_user(company.id, &format!("u{n}@acme.test"), input)
                .await,
        );
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/users?limit=5&cursor={c}"),
            None => "/api/v1/users?limit=5".to_owned(),
        };
        let page = app.get(&path, owner).await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        seen.extend(ids(&page.body));
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, expected);

    let by_department = app
        .get(&format!("/api/v1/users?department_id={ops}"), owner)
        .await
        .body;
    assert_eq!(ids(&by_department).len(), 8);
    let by_name = app.get("/api/v1/users?last_name=smi", owner).await.body;
    assert_eq!(ids(&by_name).len(), 12);
    let by_text = app.get("/api/v1/users?q=s007", owner).await.body;
    assert_eq!(ids(&by_text).len(), 1);
    let by_role = app.get("/api/v1/users?user_type_id=300", owner).await.body;
    assert_eq!(ids(&by_role), vec![company.owner.id]);
}

#[tokio::test]
async fn staff_see_their_department_but_not_hidden_people_or_private_details() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let owner = &company.owner.token;
    let dept = cast.department_id;
    let private = app
        .member(
            &company,
            "private",
            json!({"department_id": dept, "is_private": true, "mobile_phone": "+44 7700 900001"}),
        )
        .await;
    let hidden = app
        .member(
            &company,
            "hidden",
            json!({"department_id": dept, "is_hidden": true}),
        )
        .await;
    let elsewhere = app.member(&company, "elsewhere", json!({})).await;

    let listed = ids(&app
        .get("/api/v1/users?limit=200", &cast.staff.token)
        .await
        .body);
    assert!(
        listed.contains(&cast.staff.id)
            && listed.contains(&private.id)
            && listed.contains(&cast.approver.id)
    );
    assert!(
        !listed.contains(&hidden.id),
        "hidden users are not listed to colleagues"
    );
    assert!(
        !listed.contains(&elsewhere.id),
        "other departments are not visible by default"
    );
    assert_eq!(
        app.get(&format!("/api/v1/users/{}", hidden.id), &cast.staff.token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let seen = app
        .get(&format!("/api/v1/users/{}", private.id), &cast.staff.token)
        .await
        .body;
    assert!(
        seen["email"].is_null() && seen["mobile_phone"].is_null(),
        "private contact details are withheld: {seen}"
    );
    let seen = app
        .get(&format!("/api/v1/users/{}", private.id), owner)
        .await
        .body;
    assert_eq!(seen["mobile_phone"], "+44 7700 900001");

    // The company can open the whole directory to staff.
    app.patch(
        "/api/v1/company",
        owner,
        json!({"settings": {"colleague_visibility": "company"}}),
    )
    .await;
    let listed = ids(&app
        .get("/api/v1/users?limit=200", &cast.staff.token)
        .await
        .body);
    assert!(listed.contains(&elsewhere.id) && !listed.contains(&hidden.id));
}

#[tokio::test]
async fn approvers_see_and_manage_the_staff_they_approve_for() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let hidden = app
        .member(&company, "hidden-report", json!({"is_hidden": true, "approver_id": cast.approver.id, "approver_role": "approver_leave"}))
        .await;
    let staff = ids(&app
        .get("/api/v1/users/my-staff", &cast.approver.token)
        .await
        .body);
    assert_eq!(staff, vec![cast.staff.id, hidden.id]);
    let staff_of_other = ids(&app
        .get("/api/v1/users/my-staff", &cast.approver_edit.token)
        .await
        .body);
    assert!(staff_of_other.is_empty());
    let edited = app
        .patch(
            &format!("/api/v1/users/{}", hidden.id),
            &cast.approver.token,
            json!({"staff_code": "H1", "notes": "Night shifts"}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    let refused = app
        .patch(
            &format!("/api/v1/users/{}", hidden.id),
            &cast.approver.token,
            json!({"user_type_id": 300}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let approvers = app
        .get("/api/v1/users/approvers", &company.owner.token)
        .await
        .body;
    let approver_ids: Vec<i64> = approvers["data"]
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["id"].as_i64().expect("id"))
        .collect();
    for id in [
        company.owner.id,
        cast.approver.id,
        cast.approver_add.id,
        cast.approver_edit.id,
        cast.super_user.id,
    ] {
        assert!(approver_ids.contains(&id));
    }
    assert!(!approver_ids.contains(&cast.staff.id));
}

#[tokio::test]
async fn a_user_cannot_raise_their_own_role_or_status_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let path = format!("/api/v1/users/{}", cast.staff.id);
    for body in [
        json!({"user_type_id": 300}),
        json!({"status": "active", "mobile_phone": "1"}),
        json!({"department_id": null}),
        json!({"email": "new@acme.test"}),
    ] {
        let reply = app.patch(&path, &cast.staff.token, body.clone()).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{body}");
    }
    let company_field = app
        .patch(&path, &cast.staff.token, json!({"company_id": 99}))
        .await;
    assert_eq!(company_field.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(company_field.field(), Some("company_id"));
    let me = app.get(&path, &cast.staff.token).await.body;
    assert_eq!(me["user_type_id"], 100);
    assert_eq!(me["email"], cast.staff.email.as_str());
    assert!(me["mobile_phone"].is_null());
    assert_eq!(me["department_id"].as_i64(), Some(cast.department_id));
    // What is theirs to change, they can.
    let own = app
        .patch(
            &path,
            &cast.staff.token,
            json!({"mobile_phone": "+44 7700 900123", "email_type": "none"}),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.body["email_type"], "none");
}

#[tokio::test]
async fn the_owner_stays_an_active_super_user() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let owner_path = format!("/api/v1/users/{}", company.owner.id);
    let by_other = app
        .patch(
            &owner_path,
            &cast.super_user.token,
            json!({"user_type_id": 100}),
        )
        .await;
    assert_eq!(by_other.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.delete(&owner_path, &cast.super_user.token).await.status,
        StatusCode::FORBIDDEN
    );
    let by_self = app
        .patch(
            &owner_path,
            &company.owner.token,
            json!({"user_type_id": 100}),
        )
        .await;
    assert_eq!(by_self.status, StatusCode::CONFLICT);
    assert_eq!(
        app.delete(&owner_path, &company.owner.token).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn creating_a_user_without_a_password_leaves_them_pending() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let reply = app
        .post(
            "/api/v1/users",
            &company.owner.token,
            json!({"email": "p@acme.test", "first_name": "P", "last_name": "Q"}),
        )
        .await;
    assert_eq!(reply.body["status"], "pending");
    assert_eq!(
        reply.body["holiday_country"], "GB",
        "new users take the company's holiday country"
    );
    let pending = app
        .get("/api/v1/users?status=pending", &company.owner.token)
        .await
        .body;
    assert_eq!(ids(&pending), vec![reply.body["id"].as_i64().expect("id")]);
}
