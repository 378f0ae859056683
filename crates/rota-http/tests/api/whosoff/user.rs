//! The User controller (seed 001): every call replayed with the seed's sample body
//! (numbers as strings), its answer's field names and types, its bad input, and what it
//! did seen through the native API.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Integration, data, refused};
use crate::common::{Member, TestApp, TestCompany};

/// The fields of v4 `retrieve`'s lines.
const LINE: &[&str] = &[
    "user_id",
    "status_id",
    "staff_code",
    "title",
    "first_name",
    "last_name",
    "email_contact",
    "email_type_id",
    "approver_id",
    "approver_first_name",
    "approver_last_name",
    "department_id",
    "department_name",
    "region_id",
    "region_name",
    "user_type_id",
    "notifier_2_id",
    "notifier_3_id",
    "allowance_type_id",
    "this_year_remaining",
    "next_year_remaining",
];

/// What v4.1 adds.
const LINE_41: &[&str] = &[
    "approver_role_id",
    "notifier_2_role_id",
    "notifier_2_first_name",
    "notifier_2_last_name",
    "notifier_3_role_id",
    "notifier_3_first_name",
    "notifier_3_last_name",
    "image_url_small",
    "image_url_large",
];

/// The fields of `get-by-id` and `get-my-details`.
const DETAILS: &[&str] = &[
    "user_id",
    "status_id",
    "staff_code",
    "title",
    "first_name",
    "middle_name",
    "last_name",
    "user_type_id",
    "default_view_type_id",
    "default_view_id",
    "default_sorting_id",
    "department_id",
    "region_id",
    "approver_id",
    "approver_role_id",
    "email_contact",
    "notifier_2_id",
    "notifier_2_role_id",
    "notifier_3_id",
    "notifier_3_role_id",
    "email_type_id",
    "allowance_type_id",
    "active_directory_username",
    "employment_started_date",
    "employment_ended_date",
    "work_telephone",
    "mobile_telephone",
    "last_logins",
    "image_url_small",
    "image_url_large",
    "google_unique_id",
    "mfa_method_id",
    "password_policy",
    "lockout_date",
];

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn sorted(fields: &[&'static str]) -> Vec<&'static str> {
    let mut fields = fields.to_vec();
    fields.sort_unstable();
    fields
}

/// A day in this leave year (the demo's year starts on 1 January).
fn this_year_day() -> String {
    format!("{}-06-01", jiff::Zoned::now().year())
}

/// Seed 001's create body with the given references, numbers as strings.
fn sample_create(email: &str, department_id: i64, region_id: i64, approver_id: i64) -> Value {
    json!({"staff_code": "S-1","title": "Ms","first_name": "Sam","middle_name": "J","last_name": "Sample",
        "user_type_id": "100","default_view_type_id": "1","default_view_id": department_id.to_string(),
        "default_sorting_id": "0","department_id": department_id.to_string(),"region_id": region_id.to_string(),
        "approver_id": approver_id.to_string(),"approver_role_id": "1","notifier_2_id": "0","notifier_2_role_id": "0",
        "notifier_3_id": "0","notifier_3_role_id": "0","email_contact": email,"password": "correct horse battery staple",
        "email_type_id": "2","allowance_type_id": "0","status_id": "1","work_telephone": "0100",
        "mobile_telephone": "0700","active_directory_username": "sam",
        "allowances": [{"start_date": this_year_day(), "opening": "11250", "remaining": "11250"}]})
}

struct Setting {
    company: TestCompany,
    owner: Integration,
    department_id: i64,
    region_id: i64,
    approver: Member,
}

async fn setting(app: &TestApp) -> Setting {
    let company = app.company("Acme").await;
    let owner = Integration::of(app, &company, &company.owner).await;
    let department_id = app
        .post(
            "/api/v1/departments",
            &company.owner.token,
            json!({"name": "Sales"}),
        )
        .await
        .body["id"]
        .as_i64()
        .expect("department");
    let region_id = app
        .post(
            "/api/v1/regions",
            &company.owner.token,
            json!({"name": "North"}),
        )
        .await
        .body["id"]
        .as_i64()
        .expect("region");
    let approver = app
        .member(&company, "approver", json!({"user_type_id": 200}))
        .await;
    Setting {
        company,
        owner,
        department_id,
        region_id,
        approver,
    }
}

async fn create(app: &TestApp, setting: &Setting, email: &str) -> i64 {
    let body = sample_create(
        email,
        setting.department_id,
        setting.region_id,
        setting.approver.id,
    );
    let reply = setting
        .owner
        .call(app, Method::POST, "/v4/user/create/", Some(body))
        .await;
    let saved = data(&reply);
    assert_eq!(
        keys(saved),
        ["forceMFA", "image_url_large", "image_url_small", "user_id"]
    );
    assert_eq!(saved["forceMFA"], json!(false));
    saved["user_id"].as_i64().expect("user_id")
}

#[tokio::test]
async fn the_sample_create_makes_the_user_and_their_allowance_as_the_native_api_sees_them() {
    let app = TestApp::spawn().await;
    let setting = setting(&app).await;
    let id = create(&app, &setting, "sam@acme.test").await;

    let native = app
        .get(&format!("/api/v1/users/{id}"), &setting.company.owner.token)
        .await;
    assert_eq!(native.status, StatusCode::OK);
    let user = &native.body;
    assert_eq!(user["email"], "sam@acme.test");
    assert_eq!(user["staff_code"], "S-1");
    assert_eq!(user["middle_name"], "J");
    assert_eq!(user["user_type_id"], 100);
    assert_eq!(user["status"], "active");
    assert_eq!(user["department_id"], setting.department_id);
    assert_eq!(user["region_id"], setting.region_id);
    assert_eq!(user["approver_id"], setting.approver.id);
    assert_eq!(user["approver_role"], "approver_both");
    assert_eq!(user["notifier_2_id"], Value::Null);
    assert_eq!(user["email_type"], "html");
    assert_eq!(user["allowance_unit"], "days");
    assert_eq!(user["work_phone"], "0100");
    assert_eq!(user["active_directory_username"], "sam");

    // 11 250 minutes of the office's 7 h 30 day are 25 days.
    let allowances = app
        .get(
            &format!("/api/v1/users/{id}/allowances"),
            &setting.company.owner.token,
        )
        .await;
    let holiday = allowances
        .body
        .as_array()
        .expect("allowances")
        .iter()
        .find(|a| a["leave_type_code"] == "H" && a["year_start"].as_str() <= Some(&this_year_day()))
        .cloned()
        .expect("this year's holiday");
    assert_eq!(holiday["opening"], 2500, "{holiday}");

    // The user signs in with the password set.
    app.login("sam@acme.test", "correct horse battery staple")
        .await;

    let audit = app
        .get("/api/v1/audit?limit=200", &setting.company.owner.token)
        .await;
    let actions: Vec<&str> = audit.body["data"]
        .as_array()
        .map(|events| events.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert!(actions.contains(&"user.created"), "{actions:?}");
}

#[tokio::test]
async fn retrieve_lists_by_every_map_type_with_its_fields_and_v41_adds_the_roles() {
    let app = TestApp::spawn().await;
    let setting = setting(&app).await;
    let id = create(&app, &setting, "sam@acme.test").await;
    let tag = app
        .post(
            "/api/v1/tags",
            &setting.company.owner.token,
            json!({"name": "First aid"}),
        )
        .await
        .body["id"]
        .as_i64()
        .expect("tag");
    let tagged = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &setting.company.owner.token,
            json!({"tags": [tag]}),
        )
        .await;
    assert_eq!(tagged.status, StatusCode::OK, "{:?}", tagged.body);

    let retrieve = |version: &'static str, body: Value| {
        let owner = &setting.owner;
        let app = &app;
        async move {
            let reply = owner
                .call(
                    app,
                    Method::POST,
                    &format!("/{version}/user/retrieve/"),
                    Some(body),
                )
                .await;
            data(&reply).as_array().expect("an array").clone()
        }
    };
    let ids = |lines: &[Value]| -> Vec<i64> {
        lines.iter().filter_map(|l| l["user_id"].as_i64()).collect()
    };

    // The sample body (map type 0 with a map_id it ignores, status 0) finds the disabled.
    let lines = retrieve(
        "v4",
        json!({"map_type_id": "0","map_id": "123456","last_name": "","status_id": "1"}),
    )
    .await;
    assert_eq!(lines.len(), 3, "{lines:?}");
    let sam = lines
        .iter()
        .find(|l| l["user_id"] == id)
        .expect("the new user");
    assert_eq!(keys(sam), sorted(LINE));
    assert_eq!(sam["status_id"], 1);
    assert_eq!(sam["user_type_id"], 100);
    assert_eq!(sam["email_type_id"], 2);
    assert_eq!(sam["allowance_type_id"], 0);
    assert_eq!(sam["department_name"], "Sales");
    assert_eq!(sam["region_name"], "North");
    assert_eq!(sam["approver_first_name"], "approver");
    assert_eq!(sam["approver_last_name"], "Tester");
    assert_eq!(sam["this_year_remaining"], 11_250);
    assert!(sam["next_year_remaining"].is_i64(), "{sam}");

    let department = retrieve(
        "v4",
        json!({"map_type_id": "1", "map_id": setting.department_id.to_string()}),
    )
    .await;
    assert_eq!(ids(&department), [id]);
    let tagged = retrieve("v4", json!({"map_type_id": 2, "map_id": tag})).await;
    assert_eq!(ids(&tagged), [id]);
    let one = retrieve(
        "v4",
        json!({"map_type_id": "3", "map_id": setting.approver.id}),
    )
    .await;
    assert_eq!(ids(&one), [setting.approver.id]);
    let by_approver = retrieve(
        "v4",
        json!({"map_type_id": "5", "map_id": setting.approver.id.to_string()}),
    )
    .await;
    assert_eq!(ids(&by_approver), [id]);
    let by_name = retrieve("v4", json!({"map_type_id": "0", "last_name": "samp"})).await;
    assert_eq!(ids(&by_name), [id]);
    // A department or tag nobody is in is an empty list, not unknown.
    for path in ["/api/v1/departments", "/api/v1/tags"] {
        let group = app
            .post(
                path,
                &setting.company.owner.token,
                json!({"name": "Nobody yet"}),
            )
            .await
            .body["id"]
            .clone();
        let map_type_id = if path.ends_with("tags") { 2 } else { 1 };
        let empty = retrieve("v4", json!({"map_type_id": map_type_id, "map_id": group})).await;
        assert!(empty.is_empty(), "{path}: {empty:?}");
    }

    // My staff: the approver's own.
    let approver = Integration::of(&app, &setting.company, &setting.approver).await;
    let reply = approver
        .call(
            &app,
            Method::POST,
            "/v4/user/retrieve",
            Some(json!({"map_type_id": "4"})),
        )
        .await;
    assert_eq!(ids(data(&reply).as_array().expect("array")), [id]);

    // Disabled users: status 0 alone, 99 with the active.
    let del = setting
        .owner
        .call(&app, Method::DELETE, &format!("/v4/user/del/{id}"), None)
        .await;
    assert_eq!(data(&del), &json!({"Record_ID": id}));
    assert_eq!(
        ids(&retrieve("v4", json!({"map_type_id": "0", "status_id": "0"})).await),
        [id]
    );
    assert_eq!(
        retrieve("v4", json!({"map_type_id": "0", "status_id": "99"}))
            .await
            .len(),
        3
    );
    assert_eq!(
        retrieve("v4", json!({"map_type_id": "0", "status_id": "1"}))
            .await
            .len(),
        2
    );

    let lines = retrieve(
        "v4.1",
        json!({"map_type_id": "0","map_id": "123456","last_name": "sample","status_id": "99"}),
    )
    .await;
    let sam = &lines[0];
    let mut fields = LINE.to_vec();
    fields.extend_from_slice(LINE_41);
    assert_eq!(keys(sam), sorted(&fields));
    assert_eq!(sam["status_id"], 0);
    assert_eq!(sam["approver_role_id"], 1);
    assert_eq!(sam["notifier_2_role_id"], 0);
    assert_eq!(sam["notifier_2_first_name"], Value::Null);
}

#[tokio::test]
async fn get_by_id_and_get_my_details_answer_every_field_of_the_seed() {
    let app = TestApp::spawn().await;
    let setting = setting(&app).await;
    let id = create(&app, &setting, "sam@acme.test").await;
    let reply = setting
        .owner
        .call(
            &app,
            Method::GET,
            &format!("/v4/user/get-by-id/{id}/"),
            None,
        )
        .await;
    let user = data(&reply);
    assert_eq!(keys(user), sorted(DETAILS));
    assert_eq!(user["user_id"], id);
    assert_eq!(user["middle_name"], "J");
    assert_eq!(user["default_view_type_id"], 1);
    assert_eq!(user["default_view_id"], setting.department_id);
    assert_eq!(user["default_sorting_id"], 0);
    assert_eq!(user["approver_role_id"], 1);
    assert_eq!(user["notifier_3_role_id"], 0);
    assert_eq!(user["email_type_id"], 2);
    assert_eq!(user["allowance_type_id"], 0);
    assert_eq!(user["work_telephone"], "0100");
    assert_eq!(user["mobile_telephone"], "0700");
    assert_eq!(user["active_directory_username"], "sam");
    assert_eq!(user["google_unique_id"], "");
    assert_eq!(user["password_policy"], true);
    assert_eq!(user["lockout_date"], Value::Null);
    assert!(user["last_logins"].is_array());

    // The owner signed in once: their details list it in the company's wall-clock time.
    let reply = setting
        .owner
        .call(&app, Method::GET, "/v4/user/get-my-details", None)
        .await;
    let me = data(&reply);
    assert_eq!(keys(me), sorted(DETAILS));
    assert_eq!(me["user_id"], setting.company.owner.id);
    assert_eq!(me["user_type_id"], 300);
    let login = &me["last_logins"][0];
    assert_eq!(keys(login), ["device", "login_date"]);
    let date = login["login_date"].as_str().expect("login_date");
    assert_eq!(date.len(), "2026-01-01T09:00:00".len(), "{date}");
    assert!(!date.contains('Z') && !date.contains('+'), "{date}");
}

#[tokio::test]
async fn update_changes_what_is_sent_and_staff_change_only_their_own_details() {
    let app = TestApp::spawn().await;
    let setting = setting(&app).await;
    let id = create(&app, &setting, "sam@acme.test").await;
    let body = json!({"user_id": id.to_string(),"staff_code": "S-2","title": "Dr","first_name": "Samantha",
        "middle_name": "","last_name": "Sample","user_type_id": "200","default_view_type_id": "2",
        "default_view_id": "0","default_sorting_id": "3","department_id": "0","region_id": setting.region_id.to_string(),
        "approver_id": setting.approver.id.to_string(),"approver_role_id": "2","notifier_2_id": setting.approver.id.to_string(),
        "notifier_2_role_id": "5","notifier_3_id": "0","notifier_3_role_id": "0","email_contact": "samantha@acme.test",
        "password": "another horse battery staple","email_type_id": "1","status_id": "1","work_telephone": "0101",
        "mobile_telephone": "0701","active_directory_username": "samantha"});
    let reply = setting
        .owner
        .call(&app, Method::PUT, "/v4/user/update/", Some(body))
        .await;
    assert_eq!(data(&reply)["user_id"], id);
    let native = app
        .get(&format!("/api/v1/users/{id}"), &setting.company.owner.token)
        .await
        .body;
    assert_eq!(native["first_name"], "Samantha");
    assert_eq!(native["middle_name"], Value::Null);
    assert_eq!(native["user_type_id"], 200);
    assert_eq!(native["department_id"], Value::Null);
    assert_eq!(native["approver_role"], "approver_leave");
    assert_eq!(native["notifier_2_role"], "notifier_leave");
    assert_eq!(native["email"], "samantha@acme.test");
    assert_eq!(native["email_type"], "text");
    assert_eq!(native["default_sorting_id"], 3);
    app.login("samantha@acme.test", "another horse battery staple")
        .await;

    // Staff change their own phone, not their own role, nor anyone else.
    let staff = app.member(&setting.company, "staff", json!({})).await;
    let as_staff = Integration::of(&app, &setting.company, &staff).await;
    let reply = as_staff
        .call(
            &app,
            Method::PUT,
            "/v4/user/update",
            Some(json!({"user_id": staff.id, "mobile_telephone": "0799"})),
        )
        .await;
    assert_eq!(data(&reply)["user_id"], staff.id);
    let reply = as_staff
        .call(
            &app,
            Method::PUT,
            "/v4/user/update",
            Some(json!({"user_id": staff.id, "user_type_id": "300"})),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "forbidden"));
    let native = app
        .get(&format!("/api/v1/users/{}", staff.id), &staff.token)
        .await
        .body;
    assert_eq!(native["user_type_id"], 100);
    assert_eq!(native["mobile_phone"], "0799");
}

#[tokio::test]
async fn del_disables_unlock_lifts_the_lock_and_get_approvers_lists_who_approves() {
    let app = TestApp::spawn().await;
    let setting = setting(&app).await;
    let id = create(&app, &setting, "sam@acme.test").await;

    // Five wrong passwords lock the account; unlock lets the right one in again.
    for _ in 0..10 {
        app.call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "sam@acme.test", "password": "wrong password here"})),
        )
        .await;
    }
    let reply = setting
        .owner
        .call(&app, Method::GET, &format!("/v4/user/get-by-id/{id}"), None)
        .await;
    assert!(data(&reply)["lockout_date"].is_string(), "{:?}", reply.body);
    let reply = setting
        .owner
        .call(&app, Method::POST, &format!("/v4/user/unlock/{id}/"), None)
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": id}));
    let reply = setting
        .owner
        .call(&app, Method::GET, &format!("/v4/user/get-by-id/{id}"), None)
        .await;
    assert_eq!(data(&reply)["lockout_date"], Value::Null);
    app.login("sam@acme.test", "correct horse battery staple")
        .await;

    let reply = setting
        .owner
        .call(&app, Method::GET, "/v4/user/get-approvers/", None)
        .await;
    let approvers = data(&reply).as_array().expect("array");
    assert!(!approvers.is_empty());
    for approver in approvers {
        assert_eq!(
            keys(approver),
            [
                "email_contact",
                "first_name",
                "last_name",
                "user_id",
                "user_type_id"
            ]
        );
        assert!(approver["user_type_id"].as_i64() >= Some(200));
    }
    assert!(
        approvers
            .iter()
            .any(|a| a["user_id"] == setting.approver.id)
    );

    let reply = setting
        .owner
        .call(&app, Method::DELETE, &format!("/v4/user/del/{id}/"), None)
        .await;
    assert_eq!(data(&reply), &json!({"Record_ID": id}));
    let native = app
        .get(&format!("/api/v1/users/{id}"), &setting.company.owner.token)
        .await;
    assert_eq!(native.body["status"], "archived");
}

#[tokio::test]
async fn my_staff_answers_the_approvers_staff_with_figures_in_minutes() {
    let app = TestApp::spawn().await;
    let setting = setting(&app).await;
    let id = create(&app, &setting, "sam@acme.test").await;
    let approver = Integration::of(&app, &setting.company, &setting.approver).await;
    let reply = approver
        .call(
            &app,
            Method::POST,
            "/v4/user/my-staff/",
            Some(json!({"staff_filter": "0"})),
        )
        .await;
    let report = data(&reply);
    assert_eq!(
        keys(report),
        [
            "breakdown_by_leave_type",
            "leave_type_overview",
            "occurrences_by_duration",
            "overview",
            "staff_overview"
        ]
    );
    let staff = report["staff_overview"].as_array().expect("staff");
    assert_eq!(staff.len(), 1);
    let sam = &staff[0];
    assert_eq!(sam["user_id"], id);
    assert_eq!(sam["opening_this_year"], 11_250);
    assert_eq!(sam["remaining_this_year"], 11_250);
    assert_eq!(sam["pending_this_year"], 0);
    assert_eq!(sam["allowance_type_id_this_year"], 0);
    assert_eq!(sam["approver_role_id"], 1);
    for field in [
        "pending_request",
        "pending_overtime",
        "carryover_opening_this_year",
        "carryover_remaining_this_year",
        "opening_next_year",
        "remaining_next_year",
        "pending_next_year",
        "carryover_opening_next_year",
        "carryover_remaining_next_year",
    ] {
        assert!(sam[field].is_i64(), "{field}: {sam}");
    }
    assert_eq!(report["overview"]["staff_total"], 1);
    assert_eq!(report["overview"]["absence_record_total"], 0);
    assert_eq!(
        report["occurrences_by_duration"].as_array().map(Vec::len),
        Some(5)
    );
    let bucket = &report["occurrences_by_duration"][0];
    assert_eq!(keys(bucket), ["occurrences", "order_by", "time_span"]);
    let types = report["leave_type_overview"].as_array().expect("types");
    assert!(types.iter().any(|t| t["code"] == "H"));

    // With something pending: nobody yet.
    let reply = approver
        .call(
            &app,
            Method::POST,
            "/v4/user/my-staff",
            Some(json!({"staff_filter": 1})),
        )
        .await;
    assert_eq!(data(&reply)["staff_overview"], json!([]));
}

#[tokio::test]
async fn bad_input_is_refused_with_its_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let setting = setting(&app).await;
    let sample = || {
        sample_create(
            "bad@acme.test",
            setting.department_id,
            setting.region_id,
            setting.approver.id,
        )
    };
    let with = |field: &str, value: Value| {
        let mut body = sample();
        body[field] = value;
        body
    };
    let without = |field: &str| {
        let mut body = sample();
        body.as_object_mut().expect("object").remove(field);
        body
    };
    let allowance = |opening: &str, remaining: &str| {
        with(
            "allowances",
            json!([{"start_date": this_year_day(), "opening": opening, "remaining": remaining}]),
        )
    };
    let cases = [
        (
            with("user_type_id", json!("150")),
            "validation_failed",
            "user_type_id",
        ),
        (
            with("user_type_id", json!("staff")),
            "validation_failed",
            "user_type_id",
        ),
        (
            with("approver_role_id", json!("7")),
            "validation_failed",
            "approver_role_id",
        ),
        (
            with("notifier_2_role_id", json!(-1)),
            "validation_failed",
            "notifier_2_role_id",
        ),
        (
            with("email_type_id", json!("3")),
            "validation_failed",
            "email_type_id",
        ),
        (
            with("allowance_type_id", json!("2")),
            "validation_failed",
            "allowance_type_id",
        ),
        (
            with("status_id", json!("99")),
            "validation_failed",
            "status_id",
        ),
        (
            with("default_view_type_id", json!("3")),
            "validation_failed",
            "default_view_type_id",
        ),
        (
            with("default_sorting_id", json!("5")),
            "validation_failed",
            "default_sorting_id",
        ),
        (
            with("department_id", json!(1.5)),
            "validation_failed",
            "department_id",
        ),
        (with("colour", json!("red")), "validation_failed", "colour"),
        (with("user_id", json!("3")), "validation_failed", "user_id"),
        (
            without("email_contact"),
            "validation_failed",
            "email_contact",
        ),
        (without("first_name"), "validation_failed", "first_name"),
        (
            with("email_contact", json!("not an address")),
            "validation_failed",
            "email",
        ),
        // 100 minutes are no whole number of hundredths of a 450-minute day.
        (allowance("100", "100"), "validation_failed", "opening"),
        (allowance("450", "225"), "validation_failed", "remaining"),
        (
            allowance("450", "450x"),
            "validation_failed",
            "allowances[0].remaining",
        ),
        (
            with(
                "allowances",
                json!([{"start_date": "01/06/2026", "opening": "450", "remaining": "450"}]),
            ),
            "validation_failed",
            "start_date",
        ),
        (
            with("department_id", json!("999999")),
            "not_found",
            "department_id",
        ),
    ];
    for (body, code, field) in cases {
        let reply = setting
            .owner
            .call(&app, Method::POST, "/v4/user/create", Some(body.clone()))
            .await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, code),
            "{field}: {:?}",
            reply.body
        );
        assert_eq!(reply.body["Errors"][0]["Field"], field, "{:?}", reply.body);
    }
    // None of them wrote the user.
    let reply = setting
        .owner
        .call(
            &app,
            Method::POST,
            "/v4/user/retrieve",
            Some(json!({"map_type_id": 0, "status_id": 99})),
        )
        .await;
    assert_eq!(data(&reply).as_array().map(Vec::len), Some(2));

    for (body, field) in [
        (json!({"map_type_id": "6"}), "map_type_id"),
        (json!({}), "map_type_id"),
        (json!({"map_type_id": "1"}), "map_id"),
        (json!({"map_type_id": "0", "status_id": "2"}), "status_id"),
        (json!({"map_type_id": "zero"}), "map_type_id"),
    ] {
        let reply = setting
            .owner
            .call(
                &app,
                Method::POST,
                "/v4.1/user/retrieve",
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, "validation_failed"),
            "{body}"
        );
        assert_eq!(reply.body["Errors"][0]["Field"], field, "{body}");
    }
    let reply = setting
        .owner
        .call(
            &app,
            Method::PUT,
            "/v4/user/update",
            Some(json!({"first_name": "X"})),
        )
        .await;
    assert_eq!(reply.body["Errors"][0]["Field"], "user_id");
    let reply = setting
        .owner
        .call(&app, Method::GET, "/v4/user/get-by-id/abc", None)
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::BAD_REQUEST, "invalid_path_parameter")
    );
    let reply = setting
        .owner
        .call(
            &app,
            Method::POST,
            "/v4/user/my-staff",
            Some(json!({"staff_filter": "3"})),
        )
        .await;
    assert_eq!(reply.body["Errors"][0]["Field"], "staff_filter");
}

#[tokio::test]
async fn staff_are_refused_super_user_calls_and_other_companies_ids_are_absent() {
    let app = TestApp::spawn().await;
    let setting = setting(&app).await;
    let staff = app.member(&setting.company, "staff", json!({})).await;
    let as_staff = Integration::of(&app, &setting.company, &staff).await;
    // Permission before validation: a bad body still gets `forbidden`.
    for (method, path, body) in [
        (
            Method::POST,
            "/v4/user/create",
            Some(json!({"user_type_id": "nope"})),
        ),
        (
            Method::POST,
            "/v4/user/my-staff",
            Some(json!({"staff_filter": "nope"})),
        ),
        (Method::GET, "/v4/user/get-approvers", None),
        (
            Method::DELETE,
            &*format!("/v4/user/del/{}", setting.approver.id),
            None,
        ),
        (
            Method::POST,
            &*format!("/v4/user/unlock/{}", setting.approver.id),
            None,
        ),
    ] {
        let reply = as_staff.call(&app, method, path, body).await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, "forbidden"),
            "{path}: {:?}",
            reply.body
        );
    }
    let native = app
        .get(
            &format!("/api/v1/users/{}", setting.approver.id),
            &setting.company.owner.token,
        )
        .await;
    assert_eq!(native.body["status"], "active");

    let other = app.company("Other").await;
    let stranger = Integration::of(&app, &other, &other.owner).await;
    let theirs = setting.approver.id;
    for (method, path, body) in [
        (Method::GET, format!("/v4/user/get-by-id/{theirs}"), None),
        (Method::DELETE, format!("/v4/user/del/{theirs}"), None),
        (Method::POST, format!("/v4/user/unlock/{theirs}"), None),
        (
            Method::PUT,
            "/v4/user/update".to_owned(),
            Some(json!({"user_id": theirs, "first_name": "Mine"})),
        ),
        (
            Method::POST,
            "/v4/user/retrieve".to_owned(),
            Some(json!({"map_type_id": "3", "map_id": theirs})),
        ),
        (
            Method::POST,
            "/v4/user/retrieve".to_owned(),
            Some(json!({"map_type_id": "1", "map_id": setting.department_id})),
        ),
    ] {
        let reply = stranger.call(&app, method, &path, body).await;
        assert_eq!(
            refused(&reply),
            (StatusCode::BAD_REQUEST, "not_found"),
            "{path}: {:?}",
            reply.body
        );
    }
}
