//! API access: one test per threat, each named after it — tokens from elsewhere, revoked,
//! expired and regenerated credentials, disallowed and spoofed addresses, scopes, role
//! ceilings, the audit log, and a database dump that must hold no usable secret.

use base64::Engine as _;
use reqwest::{Method, StatusCode};
use rota_http::HttpConfig;
use serde_json::{Value, json};
use sqlx::{Column, Row};

use crate::common::{Reply, TestApp, TestCompany};

/// Enables API access as the owner; returns the first client (with its secret).
pub async fn enable(app: &TestApp, company: &TestCompany) -> Value {
    let reply = app
        .post("/api/v1/api-access/enable", &company.owner.token, json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert!(
        reply.body["client_secret"]
            .as_str()
            .expect("secret")
            .starts_with("rota_cs_")
    );
    reply.body
}

pub async fn new_client(app: &TestApp, token: &str, body: Value) -> Value {
    let reply = app.post("/api/v1/api-clients", token, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body
}

/// The token endpoint, form-encoded, with extra headers.
pub async fn request_token(app: &TestApp, client: &Value, headers: &[(&str, &str)]) -> Reply {
    let mut request = app
        .client
        .post(format!("{}/api/v1/oauth/token", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            client["app_id"].as_str().expect("app id"),
            client["client_secret"].as_str().expect("secret")
        ));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("token request");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    Reply { status, body }
}

pub async fn token(app: &TestApp, client: &Value) -> String {
    let reply = request_token(app, client, &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["token_type"], "Bearer");
    assert_eq!(reply.body["expires_in"], 900);
    reply.body["access_token"]
        .as_str()
        .expect("token")
        .to_owned()
}

/// A call with extra headers.
pub async fn call_with(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> StatusCode {
    let mut request = app
        .client
        .request(method, format!("{}{path}", app.base))
        .bearer_auth(token);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("request").status()
}

pub async fn audit_actions(app: &TestApp, token: &str) -> Vec<Value> {
    let reply = app.get("/api/v1/audit?limit=200", token).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["data"].as_array().expect("data").clone()
}

#[tokio::test]
async fn the_client_credentials_grant_accepts_form_json_and_basic_and_refuses_the_rest() {
    let app = TestApp::spawn().await;
    let company = app.company("Grant Co").await;
    let client = enable(&app, &company).await;
    let access = token(&app, &client).await;
    assert!(access.starts_with("rota_at_"));
    assert_eq!(
        app.get("/api/v1/users", &access).await.status,
        StatusCode::OK
    );

    let app_id = client["app_id"].as_str().expect("app id");
    let secret = client["client_secret"].as_str().expect("secret");
    let json_reply = app
        .client
        .post(format!("{}/api/v1/oauth/token", app.base))
        .json(&json!({"grant_type": "client_credentials", "client_id": app_id, "client_secret": secret}))
        .send()
        .await
        .expect("json");
    assert_eq!(json_reply.status(), StatusCode::OK);
    let basic = app
        .client
        .post(format!("{}/api/v1/oauth/token", app.base))
        .basic_auth(app_id, Some(secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .expect("basic");
    assert_eq!(basic.status(), StatusCode::OK);

    let wrong = json!({"app_id": app_id, "client_secret": "rota_cs_wrong"});
    let reply = request_token(&app, &wrong, &[]).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.body["error"], "invalid_client");
    let unsupported = app
        .client
        .post(format!("{}/api/v1/oauth/token", app.base))
        .json(&json!({"grant_type": "password", "client_id": app_id, "client_secret": secret}))
        .send()
        .await
        .expect("grant");
    assert_eq!(unsupported.status(), StatusCode::BAD_REQUEST);
    let body: Value = unsupported.json().await.expect("json");
    assert_eq!(body["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn a_token_from_another_company_sees_nothing_of_this_one() {
    let app = TestApp::spawn().await;
    let home = app.company("Home Co").await;
    let away = app.company("Away Co").await;
    let away_token = token(&app, &enable(&app, &away).await).await;
    let reply = app
        .get(&format!("/api/v1/users/{}", home.owner.id), &away_token)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = app
        .patch(
            &format!("/api/v1/users/{}", home.owner.id),
            &away_token,
            json!({"job_title": "Spy"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let listed = app.get("/api/v1/users", &away_token).await;
    for user in listed.body["data"].as_array().expect("users") {
        assert_eq!(user["company_id"], away.id);
    }
}

#[tokio::test]
async fn a_revoked_clients_token_is_refused_and_revoking_access_stops_everything() {
    let app = TestApp::spawn().await;
    let company = app.company("Revoke Co").await;
    let first = enable(&app, &company).await;
    let second = new_client(
        &app,
        &company.owner.token,
        json!({"name": "Payroll", "scopes": ["people:read"]}),
    )
    .await;
    let (first_token, second_token) = (token(&app, &first).await, token(&app, &second).await);
    let key = app
        .post(
            "/api/v1/api-keys",
            &company.owner.token,
            json!({"name": "Reporting", "scopes": ["people:read"]}),
        )
        .await;
    let key = key.body["api_key"].as_str().expect("key").to_owned();
    assert_eq!(app.get("/api/v1/users", &key).await.status, StatusCode::OK);

    let path = format!("/api/v1/api-clients/{}/revoke", second["id"]);
    assert_eq!(
        app.post(&path, &company.owner.token, json!({}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/users", &second_token).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        request_token(&app, &second, &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/users", &first_token).await.status,
        StatusCode::OK
    );

    let reply = app
        .post("/api/v1/api-access/revoke", &company.owner.token, json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["enabled"], false);
    for credential in [&first_token, &key] {
        let reply = app.get("/api/v1/users", credential).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{credential}");
    }
    assert_eq!(
        request_token(&app, &first, &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let app = TestApp::spawn().await;
    let company = app.company("Expiry Co").await;
    let access = token(&app, &enable(&app, &company).await).await;
    assert_eq!(
        app.get("/api/v1/users", &access).await.status,
        StatusCode::OK
    );
    sqlx::query("UPDATE api_tokens SET expires_at = $1 WHERE company_id = $2")
        .bind(rota_core::db::now() - 1)
        .bind(company.id)
        .execute(app.db.pool())
        .await
        .expect("age the token");
    let reply = app.get("/api/v1/users", &access).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.code(), "unauthenticated");
}

#[tokio::test]
async fn a_regenerated_clients_old_secret_and_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let company = app.company("Rotate Co").await;
    let old = enable(&app, &company).await;
    let old_token = token(&app, &old).await;
    let path = format!("/api/v1/api-clients/{}/regenerate-secret", old["id"]);
    let fresh = app.post(&path, &company.owner.token, json!({})).await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert_eq!(fresh.body["app_id"], old["app_id"]);
    assert_ne!(fresh.body["client_secret"], old["client_secret"]);
    assert_eq!(
        app.get("/api/v1/users", &old_token).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        request_token(&app, &old, &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    let new_token = token(&app, &fresh.body).await;
    assert_eq!(
        app.get("/api/v1/users", &new_token).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_disallowed_ip_is_refused_by_the_client_list_and_by_the_company_list() {
    let app = TestApp::spawn().await;
    let company = app.company("Fence Co").await;
    enable(&app, &company).await;
    let owner = &company.owner.token;
    let elsewhere = new_client(
        &app,
        owner,
        json!({"name": "Office only", "scopes": ["people:read"], "ip_allow_list": ["10.0.0.0/8", "2001:db8::/32"]}),
    )
    .await;
    let reply = request_token(&app, &elsewhere, &[]).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.body["error"], "unauthorized_client");

    let here = new_client(
        &app,
        owner,
        json!({"name": "Loopback", "scopes": ["people:read"], "ip_allow_list": ["127.0.0.1/32"]}),
    )
    .await;
    let access = token(&app, &here).await;
    assert_eq!(
        app.get("/api/v1/users", &access).await.status,
        StatusCode::OK
    );

    // A token already issued stops at once when the client's list no longer admits us.
    let path = format!("/api/v1/api-clients/{}", here["id"]);
    let reply = app
        .patch(&path, owner, json!({"ip_allow_list": ["10.0.0.0/8"]}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(
        app.get("/api/v1/users", &access).await.status,
        StatusCode::FORBIDDEN
    );
    app.patch(&path, owner, json!({"ip_allow_list": []})).await;
    assert_eq!(
        app.get("/api/v1/users", &access).await.status,
        StatusCode::OK
    );

    // The company-wide list applies on top of every client's own.
    let reply = app
        .call(
            Method::PUT,
            "/api/v1/api-access/ip-allow-list",
            Some(owner),
            Some(json!({"ip_allow_list": ["10.0.0.0/8"]})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["ip_allow_list"], json!(["10.0.0.0/8"]));
    assert_eq!(
        app.get("/api/v1/users", &access).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        request_token(&app, &here, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    // Signing in as a person is not an API call: the list does not apply.
    assert_eq!(app.get("/api/v1/users", owner).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let app = TestApp::spawn().await;
    let company = app.company("Spoof Co").await;
    enable(&app, &company).await;
    let fenced =
        json!({"name": "Office", "scopes": ["people:read"], "ip_allow_list": ["10.0.0.0/8"]});
    let client = new_client(&app, &company.owner.token, fenced.clone()).await;
    let reply = request_token(&app, &client, &[("x-forwarded-for", "10.1.2.3")]).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{:?}", reply.body);

    // Behind a proxy Rota trusts, the same header is the client's address.
    let proxied = TestApp::spawn_with(HttpConfig {
        trusted_proxies: vec!["127.0.0.1/32".parse().expect("net")],
        ..HttpConfig::default()
    })
    .await;
    let company = proxied.company("Proxied Co").await;
    enable(&proxied, &company).await;
    let client = new_client(&proxied, &company.owner.token, fenced).await;
    let forwarded = [("x-forwarded-for", "6.6.6.6, 10.1.2.3")];
    let reply = request_token(&proxied, &client, &forwarded).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let access = reply.body["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let status = call_with(
        &proxied,
        Method::GET,
        "/api/v1/users",
        &access,
        &forwarded,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let status = call_with(&proxied, Method::GET, "/api/v1/users", &access, &[], None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let events = audit_actions(&proxied, &company.owner.token).await;
    let issued = events
        .iter()
        .find(|e| e["action"] == "token.issued")
        .expect("token.issued");
    assert_eq!(issued["source_ip"], "10.1.2.3");
    assert_eq!(issued["api_client_id"], client["id"]);
}

#[tokio::test]
async fn a_read_scoped_client_writing_is_refused() {
    let app = TestApp::spawn().await;
    let company = app.company("Scope Co").await;
    enable(&app, &company).await;
    let client = new_client(
        &app,
        &company.owner.token,
        json!({"name": "Reader", "scopes": ["people:read"]}),
    )
    .await;
    let access = token(&app, &client).await;
    assert_eq!(
        app.get("/api/v1/users", &access).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/departments", &access).await.status,
        StatusCode::OK
    );
    let reply = app
        .post("/api/v1/departments", &access, json!({"name": "Shadow"}))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let path = format!("/api/v1/users/{}", company.owner.id);
    let reply = app
        .patch(&path, &access, json!({"job_title": "Boss"}))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // Outside its areas it may not even read.
    assert_eq!(
        app.get("/api/v1/leave-requests", &access).await.status,
        StatusCode::FORBIDDEN
    );
    // API administration is for people signed in, never for API credentials.
    let reply = app
        .post("/api/v1/api-clients", &access, json!({"name": "Escalate"}))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/audit", &access).await.status,
        StatusCode::FORBIDDEN
    );
    // Nothing was written.
    let departments = app.get("/api/v1/departments", &company.owner.token).await;
    assert_eq!(departments.body["data"].as_array().expect("data").len(), 0);
}

#[tokio::test]
async fn a_client_acting_above_its_ceiling_is_limited_to_the_ceiling() {
    let app = TestApp::spawn().await;
    let company = app.company("Ceiling Co").await;
    let cast = app.cast(&company).await;
    enable(&app, &company).await;
    let client = new_client(
        &app,
        &company.owner.token,
        json!({"name": "Staff level", "scopes": ["people:write", "leave:write"], "role_ceiling": 100}),
    )
    .await;
    assert_eq!(client["role_ceiling"], 100);
    let access = token(&app, &client).await;
    let me = app.get("/api/v1/auth/me", &access).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["user_type_id"], 100);
    assert_eq!(me.body["user_id"], company.owner.id);
    assert_eq!(me.body["is_owner"], false);
    let reply = app
        .post(
            "/api/v1/users",
            &access,
            json!({"email": "new@ceiling.test", "first_name": "New", "last_name": "Person"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/users/approvers", &access).await.status,
        StatusCode::FORBIDDEN
    );

    // Nobody hands out more than they hold: a super user (300) may not mint a 310 client,
    // nor one that acts as the owner.
    let reply = app
        .post(
            "/api/v1/api-clients",
            &cast.super_user.token,
            json!({"name": "Too high", "role_ceiling": 310}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.field(), Some("role_ceiling"));
    let reply = app
        .post(
            "/api/v1/api-clients",
            &cast.super_user.token,
            json!({"name": "As owner", "acts_as_user_id": company.owner.id}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // A client acting as a staff member is no more than that staff member.
    let as_staff = new_client(
        &app,
        &company.owner.token,
        json!({"name": "As staff", "scopes": ["people:write"], "acts_as_user_id": cast.staff.id}),
    )
    .await;
    let access = token(&app, &as_staff).await;
    let me = app.get("/api/v1/auth/me", &access).await;
    assert_eq!(me.body["user_id"], cast.staff.id);
    assert_eq!(me.body["user_type_id"], 100);
}

#[tokio::test]
async fn every_write_shows_up_in_the_audit_log() {
    let app = TestApp::spawn().await;
    let company = app.company("Audit Co").await;
    let owner = &company.owner.token;
    let staff = app.member(&company, "staff", json!({})).await;
    let path = format!("/api/v1/users/{}", staff.id);
    app.patch(
        &path,
        owner,
        json!({"job_title": "Clerk", "password": "another long password"}),
    )
    .await;
    app.delete(&path, owner).await;
    app.post(&format!("{path}/restore"), owner, json!({})).await;
    app.post(&format!("{path}/unlock"), owner, json!({})).await;
    let wrong = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": staff.email, "password": "not the password at all"})),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    app.patch("/api/v1/company", owner, json!({"name": "Audit Company"}))
        .await;
    let department = app
        .post("/api/v1/departments", owner, json!({"name": "Audited"}))
        .await;
    let department = format!("/api/v1/departments/{}", department.body["id"]);
    app.patch(&department, owner, json!({"min_user": 2})).await;
    app.delete(&department, owner).await;
    let types = app.get("/api/v1/leave-types", owner).await;
    let wfh = types.body["data"]
        .as_array()
        .expect("types")
        .iter()
        .find(|t| t["code"] == "W")
        .and_then(|t| t["id"].as_i64())
        .expect("work from home");
    let request = app
        .post(
            "/api/v1/leave-requests",
            owner,
            json!({"leave_type_id": wfh, "start_date": "2027-01-05", "end_date": "2027-01-05"}),
        )
        .await;
    assert_eq!(request.status, StatusCode::CREATED, "{:?}", request.body);
    let cancel = format!("/api/v1/leave-requests/{}/cancel", request.body["id"]);
    assert_eq!(
        app.post(&cancel, owner, json!({})).await.status,
        StatusCode::OK
    );
    app.post("/api/v1/ical-feeds", owner, json!({"scope": "user"}))
        .await;
    let first = enable(&app, &company).await;
    let regenerated = app
        .post(
            &format!("/api/v1/api-clients/{}/regenerate-secret", first["id"]),
            owner,
            json!({}),
        )
        .await;
    let access = token(&app, &regenerated.body).await;
    // A write through the API is recorded with its client and address.
    let created = app
        .post(
            "/api/v1/users",
            &access,
            json!({"email": "api@audit.test", "first_name": "Api", "last_name": "Made"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    app.post(
        &format!("/api/v1/api-clients/{}/revoke", first["id"]),
        owner,
        json!({}),
    )
    .await;
    app.post("/api/v1/api-access/revoke", owner, json!({}))
        .await;

    let events = audit_actions(&app, owner).await;
    let actions: Vec<&str> = events.iter().filter_map(|e| e["action"].as_str()).collect();
    for expected in [
        "login.succeeded",
        "login.failed",
        "user.created",
        "user.updated",
        "user.archived",
        "user.restored",
        "user.unlocked",
        "company.updated",
        "department.created",
        "department.updated",
        "department.deleted",
        "leave.requested",
        "leave.cancelled",
        "ical_feed.created",
        "api_access.enabled",
        "client.created",
        "client.secret_regenerated",
        "token.issued",
        "client.revoked",
        "api_access.revoked",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    let by_api = events
        .iter()
        .find(|e| e["action"] == "user.created" && e["target_id"] == created.body["id"])
        .expect("the API's user.created");
    assert_eq!(by_api["api_client_id"], first["id"]);
    assert_eq!(by_api["source_ip"], "127.0.0.1");
    let updated = events
        .iter()
        .find(|e| e["action"] == "user.updated")
        .expect("user.updated");
    assert_eq!(updated["actor_user_id"], company.owner.id);
    let fields = updated["details"]["fields"].as_array().expect("fields");
    assert!(fields.contains(&json!("job_title")) && fields.contains(&json!("password")));
    assert!(!updated.to_string().contains("another long password"));

    // Filters and paging.
    let filtered = app.get("/api/v1/audit?action=user.archived", owner).await;
    assert_eq!(filtered.body["data"].as_array().expect("data").len(), 1);
    let page = app.get("/api/v1/audit?limit=2", owner).await;
    let cursor = page.body["next_cursor"].as_str().expect("cursor");
    let next = app
        .get(&format!("/api/v1/audit?limit=2&cursor={cursor}"), owner)
        .await;
    assert!(next.body["data"][0]["id"].as_i64() < page.body["data"][1]["id"].as_i64());
    let later = app
        .get("/api/v1/audit?from=2999-01-01T00:00:00Z", owner)
        .await;
    assert_eq!(later.body["data"].as_array().expect("data").len(), 0);
    let by_staff = app
        .get(&format!("/api/v1/audit?actor_user_id={}", staff.id), owner)
        .await;
    for event in by_staff.body["data"].as_array().expect("data") {
        assert_eq!(event["actor_user_id"], staff.id);
    }
    // By subject: the events about one user, and about one kind of thing.
    let about = app
        .get(
            &format!(
                "/api/v1/audit?target_type=user&target_id={}",
                created.body["id"]
            ),
            owner,
        )
        .await;
    let about = about.body["data"].as_array().expect("data");
    assert!(!about.is_empty());
    for event in about {
        assert_eq!(event["target_type"], "user");
        assert_eq!(event["target_id"], created.body["id"]);
    }
    let clients = app
        .get("/api/v1/audit?target_type=api_client&limit=200", owner)
        .await;
    let clients = clients.body["data"].as_array().expect("data");
    assert!(clients.iter().any(|e| e["action"] == "client.revoked"));
    assert!(clients.iter().all(|e| e["target_type"] == "api_client"));
}

#[tokio::test]
async fn the_audit_log_refuses_non_super_users_and_cannot_be_edited() {
    let app = TestApp::spawn().await;
    let company = app.company("Private Co").await;
    let cast = app.cast(&company).await;
    for member in [&cast.staff, &cast.approver, &cast.approver_edit] {
        let reply = app.get("/api/v1/audit", &member.token).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", member.email);
    }
    assert_eq!(
        app.get("/api/v1/audit", &cast.super_user.token)
            .await
            .status,
        StatusCode::OK
    );
    for method in [Method::POST, Method::PATCH, Method::DELETE, Method::PUT] {
        let reply = app
            .call(
                method.clone(),
                "/api/v1/audit",
                Some(&company.owner.token),
                Some(json!({})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        let reply = app
            .call(
                method.clone(),
                "/api/v1/audit/1",
                Some(&company.owner.token),
                Some(json!({})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method}");
    }
}

#[tokio::test]
async fn a_mistyped_revoked_or_expired_api_key_is_refused() {
    let app = TestApp::spawn().await;
    let company = app.company("Key Co").await;
    enable(&app, &company).await;
    let owner = &company.owner.token;
    let reply = app
        .post(
            "/api/v1/api-keys",
            owner,
            json!({"name": "Dashboard", "scopes": ["leave:read"]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let key = reply.body["api_key"].as_str().expect("key").to_owned();
    assert!(key.starts_with("rota_k_"));
    assert_eq!(
        app.get("/api/v1/leave-requests", &key).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/users", &key).await.status,
        StatusCode::FORBIDDEN
    );
    let mut typo = key.clone().into_bytes();
    typo[12] = if typo[12] == b'a' { b'b' } else { b'a' };
    let typo = String::from_utf8(typo).expect("utf-8");
    assert_eq!(
        app.get("/api/v1/leave-requests", &typo).await.status,
        StatusCode::UNAUTHORIZED
    );
    let listed = app.get("/api/v1/api-keys", owner).await;
    assert!(!listed.body.to_string().contains(&key));

    let expiring = app
        .post(
            "/api/v1/api-keys",
            owner,
            json!({"name": "Short", "scopes": ["leave:read"], "expires_at": "2999-01-01T00:00:00Z"}),
        )
        .await;
    let short = expiring.body["api_key"].as_str().expect("key").to_owned();
    sqlx::query("UPDATE api_keys SET expires_at = $1 WHERE company_id = $2 AND id = $3")
        .bind(rota_core::db::now() - 1)
        .bind(company.id)
        .bind(expiring.body["id"].as_i64().expect("id"))
        .execute(app.db.pool())
        .await
        .expect("expire");
    assert_eq!(
        app.get("/api/v1/leave-requests", &short).await.status,
        StatusCode::UNAUTHORIZED
    );

    let path = format!("/api/v1/api-keys/{}/revoke", reply.body["id"]);
    assert_eq!(
        app.post(&path, owner, json!({})).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/leave-requests", &key).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn malformed_ranges_unknown_scopes_and_missing_access_are_refused_cleanly() {
    let app = TestApp::spawn().await;
    let company = app.company("Input Co").await;
    let owner = &company.owner.token;
    let reply = app
        .post("/api/v1/api-clients", owner, json!({"name": "Early"}))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    enable(&app, &company).await;
    assert_eq!(
        app.post("/api/v1/api-access/enable", owner, json!({}))
            .await
            .status,
        StatusCode::CONFLICT
    );
    for (body, field) in [
        (
            json!({"name": "A", "ip_allow_list": ["10.0.0.0/33"]}),
            "ip_allow_list",
        ),
        (
            json!({"name": "A", "ip_allow_list": ["not an address"]}),
            "ip_allow_list",
        ),
        (json!({"name": "A", "scopes": ["people:admin"]}), "scopes"),
        (json!({"name": "A", "scopes": ["wages:read"]}), "scopes"),
        (json!({"name": "A", "role_ceiling": 999}), "role_ceiling"),
        (json!({"name": "  "}), "name"),
        (json!({"name": "A", "secret_hash": "x"}), "secret_hash"),
        (
            json!({"name": "A", "acts_as_user_id": 999999}),
            "acts_as_user_id",
        ),
    ] {
        let reply = app.post("/api/v1/api-clients", owner, body.clone()).await;
        assert!(
            matches!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::NOT_FOUND
            ),
            "{body}: {:?}",
            reply.body
        );
        assert_eq!(reply.field(), Some(field), "{body}: {:?}", reply.body);
    }
    let reply = app
        .call(
            Method::PUT,
            "/api/v1/api-access/ip-allow-list",
            Some(owner),
            Some(json!({"ip_allow_list": ["300.1.1.1"]})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.field(), Some("ip_allow_list"));
    let reply = app
        .post(
            "/api/v1/api-keys",
            owner,
            json!({"name": "K", "expires_at": "yesterday"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.field(), Some("expires_at"));
    assert_eq!(
        app.get("/api/v1/audit?from=last-week", owner).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_database_dump_holds_no_usable_secret() {
    let app = TestApp::spawn().await;
    let company = app.company("Dump Co").await;
    let first = enable(&app, &company).await;
    let mut secrets = vec![first["client_secret"].as_str().expect("secret").to_owned()];
    secrets.push(token(&app, &first).await);
    let regenerated = app
        .post(
            &format!("/api/v1/api-clients/{}/regenerate-secret", first["id"]),
            &company.owner.token,
            json!({}),
        )
        .await;
    secrets.push(
        regenerated.body["client_secret"]
            .as_str()
            .expect("secret")
            .to_owned(),
    );
    secrets.push(token(&app, &regenerated.body).await);
    let key = app
        .post(
            "/api/v1/api-keys",
            &company.owner.token,
            json!({"name": "Leaky", "scopes": ["people:read"]}),
        )
        .await;
    secrets.push(key.body["api_key"].as_str().expect("key").to_owned());
    secrets.push(company.owner.token.clone());
    // MFA: recovery codes are tokens like the rest; the TOTP seed must appear in no form.
    let (device, recovery_codes) = crate::mfa::switch_on(&app, &company.owner).await;
    secrets.extend(recovery_codes);
    let seed_forms = [
        device.base32.clone(),
        rota_core::secret::hex(&device.seed),
        base64::engine::general_purpose::STANDARD.encode(&device.seed),
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(&device.seed),
    ];

    let mut cells = 0;
    for table in [
        "api_access",
        "api_clients",
        "api_tokens",
        "api_keys",
        "audit_events",
        "sessions",
        "mfa_factors",
        "mfa_recovery_codes",
        "mfa_challenges",
        "users",
    ] {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM {table}")))
            .fetch_all(app.db.pool())
            .await
            .expect("dump");
        for row in rows {
            for column in row.columns() {
                let Ok(Some(text)) = row.try_get::<Option<String>, _>(column.ordinal()) else {
                    continue;
                };
                cells += 1;
                for form in &seed_forms {
                    assert!(
                        !text.contains(form.as_str()),
                        "{table}.{} holds the TOTP seed in clear",
                        column.name()
                    );
                }
                for secret in &secrets {
                    // Neither the whole secret nor its random part appears anywhere.
                    let random = &secret[secret.len() - 40..];
                    assert!(
                        !text.contains(random),
                        "{table}.{} holds a secret in clear",
                        column.name()
                    );
                }
            }
        }
    }
    assert!(cells > 10, "the dump read only {cells} text cells");
}

#[tokio::test]
async fn a_super_user_cannot_take_over_a_client_that_acts_as_the_owner() {
    let app = TestApp::spawn().await;
    let company = app.company("Takeover Co").await;
    let cast = app.cast(&company).await;
    let owners = enable(&app, &company).await;
    let path = format!("/api/v1/api-clients/{}", owners["id"]);
    let reply = app
        .post(
            &format!("{path}/regenerate-secret"),
            &cast.super_user.token,
            json!({}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{:?}", reply.body);
    let reply = app
        .patch(&path, &cast.super_user.token, json!({"ip_allow_list": []}))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{:?}", reply.body);
    // Taking access away is always allowed.
    let reply = app
        .post(&format!("{path}/revoke"), &cast.super_user.token, json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}
