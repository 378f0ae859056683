//! People as CSV over the native API: `POST /users/import` (preview and apply) and
//! `GET /users/export.csv`, on both engines.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Reply, TestApp, TestCompany};

async fn import(app: &TestApp, token: &str, csv: &str, dry_run: bool) -> Reply {
    let response = app
        .client
        .post(format!(
            "{}/api/v1/users/import?dry_run={dry_run}",
            app.base
        ))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .expect("send");
    Reply::read(response).await
}

async fn export(app: &TestApp, token: &str) -> (StatusCode, String) {
    let response = app
        .client
        .get(format!("{}/api/v1/users/export.csv", app.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("send");
    let status = response.status();
    (status, response.text().await.expect("text"))
}

async fn count(app: &TestApp, company: &TestCompany, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(company.id)
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

fn emails(rows: &Value) -> Vec<&str> {
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|r| r["email"].as_str().expect("email"))
        .collect()
}

#[tokio::test]
async fn a_preview_writes_nothing_and_the_import_does_what_it_showed() {
    let app = TestApp::spawn().await;
    let acme = app.company("Acme").await;
    let owner = &acme.owner.token;
    let department = app
        .post("/api/v1/departments", owner, json!({"name": "Kitchen"}))
        .await;
    let department_id = department.body["id"].as_i64().expect("id");
    let existing = app.member(&acme, "cook", json!({})).await;
    let csv = format!(
        "email,first_name,last_name,department_id,job_title,working_days\r\n\
         {},cook,Tester,{department_id},Head cook,monday;tuesday;wednesday;thursday;friday\r\n\
         ann@acme.test,Ann,Able,{department_id},,\"monday;tuesday\"\r\n\
         bo@acme.test,Bo,\"Baker, Jr\",,,\r\n\
         cy@acme.test,Cy,Cole,999999,,\r\n\
         not an address,Di,Dee,,,\r\n",
        existing.email
    );
    let people = "SELECT COUNT(*) FROM users WHERE company_id = $1";
    let before = count(&app, &acme, people).await;

    let preview = import(&app, owner, &csv, true).await;
    assert_eq!(preview.status, StatusCode::OK, "{:?}", preview.body);
    assert_eq!(preview.body["dry_run"], true);
    assert_eq!(
        emails(&preview.body["created"]),
        ["ann@acme.test", "bo@acme.test"]
    );
    assert_eq!(
        preview.body["updated"][0]["changes"],
        json!([
            {"field": "department_id", "from": "", "to": department_id.to_string()},
            {"field": "job_title", "from": "", "to": "Head cook"},
        ])
    );
    assert_eq!(
        preview.body["refused"],
        json!([
            {"line": 5, "field": "department_id", "code": "not_found", "message": "department not found"},
            {"line": 6, "field": "email", "code": "validation_failed", "message": "email is not a valid e-mail address"},
        ])
    );
    assert_eq!(
        count(&app, &acme, people).await,
        before,
        "a preview writes nothing"
    );

    let applied = import(&app, owner, &csv, false).await;
    assert_eq!(applied.status, StatusCode::OK, "{:?}", applied.body);
    assert_eq!(applied.body["dry_run"], false);
    assert_eq!(applied.body["refused"], preview.body["refused"]);
    assert_eq!(applied.body["updated"], preview.body["updated"]);
    assert_eq!(count(&app, &acme, people).await, before + 2);
    let ann_id = applied.body["created"][0]["user_id"].as_i64().expect("id");
    let ann = app.get(&format!("/api/v1/users/{ann_id}"), owner).await;
    assert_eq!(ann.body["department_id"], department_id);
    assert_eq!(ann.body["working_days"], json!(["monday", "tuesday"]));
    assert_eq!(
        ann.body["status"], "pending",
        "without a password, as POST /users"
    );
    let bo = applied.body["created"][1]["user_id"].as_i64().expect("id");
    let bo = app.get(&format!("/api/v1/users/{bo}"), owner).await;
    assert_eq!(bo.body["last_name"], "Baker, Jr");
    let cook = app
        .get(&format!("/api/v1/users/{}", existing.id), owner)
        .await;
    assert_eq!(cook.body["job_title"], "Head cook");
    // Each person through the single-person services: an audit entry each.
    let audited = count(
        &app,
        &acme,
        "SELECT COUNT(*) FROM audit_events WHERE company_id = $1 AND action IN ('user.created', 'user.updated')",
    )
    .await;
    assert_eq!(
        audited,
        1 + 2 + 1,
        "the member's creation, two imported, one updated"
    );

    let again = import(&app, owner, &csv, false).await;
    assert_eq!(again.body["created"], json!([]));
    assert_eq!(again.body["updated"], json!([]));
    assert_eq!(
        again.body["unchanged"], 3,
        "the same file twice changes nothing"
    );
}

#[tokio::test]
async fn an_export_imports_back_as_no_change() {
    let app = TestApp::spawn().await;
    let acme = app.company("Acme").await;
    let cast = app.cast(&acme).await;
    let owner = &acme.owner.token;
    app.patch(
        &format!("/api/v1/users/{}", cast.staff.id),
        owner,
        json!({"work_phone": "+44 20 7946 0000", "title": "=cmd", "employment_start_date": "2025-03-01"}),
    )
    .await;
    app.delete(&format!("/api/v1/users/{}", cast.approver_add.id), owner)
        .await;

    let (status, csv) = export(&app, owner).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with("email,first_name,last_name,"), "{csv}");
    assert!(csv.contains(",'=cmd,"), "formula-safe: {csv}");
    assert!(csv.contains("'+44 20 7946 0000"), "{csv}");
    let people = count(
        &app,
        &acme,
        "SELECT COUNT(*) FROM users WHERE company_id = $1",
    )
    .await;
    assert_eq!(
        csv.trim_end().lines().count() as i64,
        people + 1,
        "archived too"
    );

    let again = import(&app, owner, &csv, false).await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    assert_eq!(again.body["created"], json!([]));
    assert_eq!(again.body["updated"], json!([]));
    assert_eq!(again.body["refused"], json!([]));
    assert_eq!(again.body["unchanged"], people);
    let staff = app
        .get(&format!("/api/v1/users/{}", cast.staff.id), owner)
        .await;
    assert_eq!(staff.body["title"], "=cmd", "read back without the guard");
}

#[tokio::test]
async fn only_super_users_import_and_another_companys_people_stay_out_of_reach() {
    let app = TestApp::spawn().await;
    let acme = app.company("Acme").await;
    let cast = app.cast(&acme).await;
    let other = app.company("Other").await;
    let theirs = app.member(&other, "theirs", json!({})).await;
    let csv = format!("email,first_name,last_name\n{},Taken,Over\n", theirs.email);
    for token in [&cast.staff.token, &cast.approver_edit.token] {
        let refused = import(&app, token, &csv, true).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(export(&app, token).await.0, StatusCode::FORBIDDEN);
    }

    // Matched only within the company: the same e-mail elsewhere is a new person here,
    // and the other company's person is untouched.
    let applied = import(&app, &acme.owner.token, &csv, false).await;
    assert_eq!(emails(&applied.body["created"]), [theirs.email.as_str()]);
    let theirs_now = app
        .get(&format!("/api/v1/users/{}", theirs.id), &other.owner.token)
        .await;
    assert_eq!(theirs_now.body["first_name"], "theirs");
    let (_, exported) = export(&app, &other.owner.token).await;
    assert!(!exported.contains("acme.test"), "{exported}");
}
