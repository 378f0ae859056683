//! Guards on API calls, one test per threat: replayed nonces and stale timestamps (also
//! against a second Rota process on the same database), rate limits (shared by processes,
//! answered 429 with `Retry-After`), acting as another user with `X-Act-As-User`, and the
//! overlap window of a rotated secret.

use reqwest::{Method, StatusCode};
use rota_core::access::limits::{Limits, Quota};
use rota_http::HttpConfig;
use serde_json::{Value, json};

use crate::access::{audit_actions, call_with, enable, new_client, request_token, token};
use crate::common::{Reply, TestApp};

/// 256 random bits, base64url: a nonce as a client would make one.
fn fresh_nonce() -> String {
    rota_core::secret::new_token("")
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// A GET with extra headers, read whole.
async fn get_with(app: &TestApp, path: &str, token: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = app
        .client
        .get(format!("{}{path}", app.base))
        .bearer_auth(token);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    Reply { status, body }
}

/// A config whose API credentials may make `burst` calls at once, one a second after.
fn tight_api_limit(burst: u32) -> HttpConfig {
    HttpConfig {
        limits: Limits {
            api: Quota::new(60, burst),
            ..Limits::default()
        },
        ..HttpConfig::default()
    }
}

/// A company with API access and a client that reads people and requires nonces.
async fn strict_client(app: &TestApp, company: &str) -> Value {
    let company = app.company(company).await;
    enable(app, &company).await;
    new_client(
        app,
        &company.owner.token,
        json!({"name": "Strict", "scopes": ["people:read"], "requires_nonce": true}),
    )
    .await
}

#[tokio::test]
async fn a_replayed_nonce_is_refused_by_this_process_and_by_another_after_a_restart() {
    let app = TestApp::spawn().await;
    let client = strict_client(&app, "Nonce Co").await;
    assert_eq!(client["requires_nonce"], true);
    let stamp = now().to_string();

    // The token request owes a nonce too.
    let reply = request_token(&app, &client, &[]).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.body["error"], "invalid_nonce");
    let first = fresh_nonce();
    let reply = request_token(&app, &client, &[("nonce", &first), ("timestamp", &stamp)]).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let access = reply.body["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let reply = request_token(&app, &client, &[("nonce", &first), ("timestamp", &stamp)]).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.body["error"], "nonce_replayed");

    // Every call owes one.
    let reply = get_with(&app, "/api/v1/users", &access, &[]).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.code(), "invalid_nonce");
    let call = fresh_nonce();
    let headers = [("nonce", call.as_str()), ("timestamp", stamp.as_str())];
    assert_eq!(
        get_with(&app, "/api/v1/users", &access, &headers)
            .await
            .status,
        StatusCode::OK
    );
    let replay = get_with(&app, "/api/v1/users", &access, &headers).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(replay.code(), "nonce_replayed");

    // Another process on the same database (or this one restarted) remembers it too.
    let other = app.beside(HttpConfig::default()).await;
    let replay = get_with(&other, "/api/v1/users", &access, &headers).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(replay.code(), "nonce_replayed");
    let next = fresh_nonce();
    assert_eq!(
        get_with(
            &other,
            "/api/v1/users",
            &access,
            &[("nonce", &next), ("timestamp", &stamp)]
        )
        .await
        .status,
        StatusCode::OK
    );

    // Fewer than 128 bits is no nonce.
    let short = get_with(
        &app,
        "/api/v1/users",
        &access,
        &[("nonce", "0123456789abcdef"), ("timestamp", &stamp)],
    )
    .await;
    assert_eq!(short.status, StatusCode::UNAUTHORIZED);
    assert_eq!(short.code(), "invalid_nonce");
}

#[tokio::test]
async fn a_stale_timestamp_is_refused() {
    let app = TestApp::spawn().await;
    let client = strict_client(&app, "Clock Co").await;
    let stamp = now().to_string();
    let nonce = fresh_nonce();
    let reply = request_token(&app, &client, &[("nonce", &nonce), ("timestamp", &stamp)]).await;
    let access = reply.body["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let past = (now() - 301).to_string();
    // A minute past the window's edge: the server reads its clock after the test does,
    // and on a loaded machine a second or more later, which would bring `now() + 301`
    // back inside the 300 s window.
    let future = (now() + 360).to_string();
    for timestamp in [past.as_str(), future.as_str(), "", "yesterday"] {
        let nonce = fresh_nonce();
        let reply = get_with(
            &app,
            "/api/v1/users",
            &access,
            &[("nonce", &nonce), ("timestamp", timestamp)],
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{timestamp}");
        assert_eq!(reply.code(), "stale_timestamp", "{timestamp}");
    }
    // An RFC 3339 instant inside the window is as good as Unix seconds.
    let instant = jiff::Timestamp::now().to_string();
    let nonce = fresh_nonce();
    let reply = get_with(
        &app,
        "/api/v1/users",
        &access,
        &[("nonce", &nonce), ("timestamp", &instant)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

#[tokio::test]
async fn an_app_id_header_naming_another_client_is_refused() {
    let app = TestApp::spawn().await;
    let company = app.company("App Id Co").await;
    let first = enable(&app, &company).await;
    let second = new_client(
        &app,
        &company.owner.token,
        json!({"name": "Second", "scopes": ["people:read"]}),
    )
    .await;
    let access = token(&app, &second).await;
    let right = second["app_id"].as_str().expect("app id");
    let wrong = first["app_id"].as_str().expect("app id");
    let ok = get_with(&app, "/api/v1/users", &access, &[("app-id", right)]).await;
    assert_eq!(ok.status, StatusCode::OK);
    let refused = get_with(&app, "/api/v1/users", &access, &[("app-id", wrong)]).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn rate_limits_return_429_with_retry_after_and_hold_across_processes() {
    let app = TestApp::spawn_with(tight_api_limit(5)).await;
    let company = app.company("Busy Co").await;
    enable(&app, &company).await;
    let key = |name: &str| json!({"name": name, "scopes": ["people:read"]});
    let first = app
        .post("/api/v1/api-keys", &company.owner.token, key("First"))
        .await;
    let first = first.body["api_key"].as_str().expect("key").to_owned();
    let second = app
        .post("/api/v1/api-keys", &company.owner.token, key("Second"))
        .await;
    let second = second.body["api_key"].as_str().expect("key").to_owned();
    let other = app.beside(tight_api_limit(5)).await;

    let mut remaining = Vec::new();
    for server in [&app, &app, &app, &other, &other] {
        let response = server
            .client
            .get(format!("{}/api/v1/users", server.base))
            .bearer_auth(&first)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK);
        // The quota is 60 a minute in bursts of 5: the limit is the rate, the burst apart.
        assert_eq!(response.headers()["x-ratelimit-limit"], "60");
        assert_eq!(response.headers()["x-ratelimit-burst"], "5");
        remaining.push(
            response.headers()["x-ratelimit-remaining"]
                .to_str()
                .expect("header")
                .to_owned(),
        );
    }
    assert_eq!(remaining, ["4", "3", "2", "1", "0"]);
    for server in [&app, &other] {
        let response = server
            .client
            .get(format!("{}/api/v1/users", server.base))
            .bearer_auth(&first)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry_after: u64 = response.headers()["retry-after"]
            .to_str()
            .expect("header")
            .parse()
            .expect("seconds");
        assert!((1..=2).contains(&retry_after), "{retry_after}");
        let body: Value = response.json().await.expect("body");
        assert_eq!(body["error"]["code"], "rate_limited");
    }
    // Another key has a bucket of its own; people signed in are not counted.
    assert_eq!(
        app.get("/api/v1/users", &second).await.status,
        StatusCode::OK
    );
    for _ in 0..10 {
        assert_eq!(
            app.get("/api/v1/users", &company.owner.token).await.status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn the_token_endpoint_allows_ten_requests_a_minute_per_app_id() {
    let app = TestApp::spawn().await;
    let company = app.company("Token Rush Co").await;
    let client = enable(&app, &company).await;
    for _ in 0..10 {
        assert_eq!(
            request_token(&app, &client, &[]).await.status,
            StatusCode::OK
        );
    }
    let response = app
        .client
        .post(format!("{}/api/v1/oauth/token", app.base))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client["app_id"].as_str().expect("app id")),
            ("client_secret", "a wrong secret is limited just the same"),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.expect("body");
    assert_eq!(body["error"], "rate_limited");
    // Another client is not held up.
    let other = new_client(
        &app,
        &company.owner.token,
        json!({"name": "Other", "scopes": ["people:read"]}),
    )
    .await;
    assert_eq!(
        request_token(&app, &other, &[]).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_address() {
    let config = HttpConfig {
        limits: Limits {
            login: Quota::new(3, 3),
            ..Limits::default()
        },
        ..HttpConfig::default()
    };
    let app = TestApp::spawn_with(config).await;
    let attempt = json!({"email": "nobody@limited.test", "password": "a wrong password"});
    for _ in 0..3 {
        let reply = app
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(attempt.clone()),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let reply = app
        .call(Method::POST, "/api/v1/auth/login", None, Some(attempt))
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.code(), "rate_limited");
}

/// A key of the company that may act as users, with a ceiling.
async fn acting_key(app: &TestApp, owner: &str, ceiling: i64, may_act: bool) -> String {
    let reply = app
        .post(
            "/api/v1/api-keys",
            owner,
            json!({"name": "Integration", "scopes": ["people:write", "leave:write"],
                   "role_ceiling": ceiling, "may_act_as_users": may_act}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_eq!(reply.body["may_act_as_users"], may_act);
    reply.body["api_key"].as_str().expect("key").to_owned()
}

async fn me_as(app: &TestApp, key: &str, user_id: i64) -> Reply {
    get_with(
        app,
        "/api/v1/auth/me",
        key,
        &[("x-act-as-user", &user_id.to_string())],
    )
    .await
}

#[tokio::test]
async fn acting_as_a_user_takes_that_users_permissions_and_is_audited() {
    let app = TestApp::spawn().await;
    let company = app.company("Act Co").await;
    let cast = app.cast(&company).await;
    enable(&app, &company).await;
    let owner = &company.owner.token;
    let key = acting_key(&app, owner, 300, true).await;

    let me = me_as(&app, &key, cast.staff.id).await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    assert_eq!(me.body["user_id"], cast.staff.id);
    assert_eq!(me.body["user_type_id"], 100);
    // As the staff member, creating a user is refused; as the key's own user it is not.
    let person = json!({"email": "new@act.test", "first_name": "New", "last_name": "Person"});
    let staff_id = cast.staff.id.to_string();
    assert_eq!(
        call_with(
            &app,
            Method::POST,
            "/api/v1/users",
            &key,
            &[("x-act-as-user", &staff_id)],
            Some(person.clone())
        )
        .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call_with(&app, Method::POST, "/api/v1/users", &key, &[], Some(person)).await,
        StatusCode::CREATED
    );

    let acted: Vec<Value> = audit_actions(&app, owner)
        .await
        .into_iter()
        .filter(|e| e["action"] == "api.acted_as_user")
        .collect();
    assert_eq!(acted.len(), 2, "{acted:?}");
    assert!(acted.iter().all(|e| e["target_id"] == cast.staff.id));
    assert!(acted.iter().all(|e| e["api_key_id"].is_i64()));
}

#[tokio::test]
async fn a_staff_user_acting_as_a_super_user_is_refused() {
    let app = TestApp::spawn().await;
    let company = app.company("Climb Co").await;
    let cast = app.cast(&company).await;
    enable(&app, &company).await;
    let owner = &company.owner.token;
    let super_id = cast.super_user.id.to_string();

    // A credential capped at staff stays staff whoever it acts as.
    let staff_key = acting_key(&app, owner, 100, true).await;
    let me = me_as(&app, &staff_key, cast.super_user.id).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["user_type_id"], 100);
    assert_eq!(
        call_with(
            &app,
            Method::GET,
            "/api/v1/users/approvers",
            &staff_key,
            &[("x-act-as-user", &super_id)],
            None
        )
        .await,
        StatusCode::FORBIDDEN
    );
    // A person signed in acts only as themselves.
    let reply = get_with(
        &app,
        "/api/v1/auth/me",
        &cast.staff.token,
        &[("x-act-as-user", &super_id)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "act_as_not_allowed");
    // A credential not allowed to act as others.
    let plain = acting_key(&app, owner, 300, false).await;
    let reply = me_as(&app, &plain, cast.staff.id).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "act_as_not_allowed");
    // A super user's credential may not become the owner.
    let reply = app
        .post(
            "/api/v1/api-keys",
            &cast.super_user.token,
            json!({"name": "Super's", "scopes": ["people:read"], "may_act_as_users": true}),
        )
        .await;
    let supers = reply.body["api_key"].as_str().expect("key").to_owned();
    let reply = me_as(&app, &supers, company.owner.id).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "act_as_not_allowed");
    // Nobody of another company, nobody archived, nobody at all; and a garbled header.
    let elsewhere = app.company("Elsewhere Co").await;
    let archived = app
        .delete(&format!("/api/v1/users/{}", cast.approver.id), owner)
        .await;
    assert!(archived.status.is_success(), "{:?}", archived.body);
    for user_id in [elsewhere.owner.id, cast.approver.id, 999_999] {
        let reply = me_as(&app, &staff_key, user_id).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{user_id}");
        assert_eq!(reply.code(), "act_as_not_allowed");
    }
    let reply = get_with(
        &app,
        "/api/v1/auth/me",
        &staff_key,
        &[("x-act-as-user", "the boss")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.field(), Some("X-Act-As-User"));
}

#[tokio::test]
async fn a_rotation_with_an_overlap_keeps_the_old_secret_until_the_window_ends() {
    let app = TestApp::spawn().await;
    let company = app.company("Overlap Co").await;
    let old = enable(&app, &company).await;
    let old_token = token(&app, &old).await;
    let owner = &company.owner.token;
    let path = format!("/api/v1/api-clients/{}/regenerate-secret", old["id"]);

    for (query, status, field) in [
        (
            "?overlap_seconds=604801",
            StatusCode::UNPROCESSABLE_ENTITY,
            "overlap_seconds",
        ),
        (
            "?overlap_seconds=-1",
            StatusCode::UNPROCESSABLE_ENTITY,
            "overlap_seconds",
        ),
        (
            "?overlap_seconds=soon",
            StatusCode::BAD_REQUEST,
            "overlap_seconds",
        ),
    ] {
        let reply = app.post(&format!("{path}{query}"), owner, json!({})).await;
        assert_eq!(reply.status, status, "{query}");
        assert_eq!(reply.field(), Some(field), "{query}");
    }

    let fresh = app
        .post(&format!("{path}?overlap_seconds=600"), owner, json!({}))
        .await;
    assert_eq!(fresh.status, StatusCode::OK, "{:?}", fresh.body);
    // Both secrets mint tokens; the old secret's tokens end with the window.
    assert_eq!(
        app.get("/api/v1/users", &old_token).await.status,
        StatusCode::OK
    );
    let during = request_token(&app, &old, &[]).await;
    assert_eq!(during.status, StatusCode::OK);
    let lifetime = during.body["expires_in"].as_i64().expect("expires_in");
    assert!((595..=600).contains(&lifetime), "{lifetime}");
    token(&app, &fresh.body).await;

    // Once the window has passed (moved into the past here), the old secret is refused.
    sqlx::query("UPDATE api_clients SET previous_secret_expires_at = $1 WHERE id = $2")
        .bind(now() - 1)
        .bind(old["id"].as_i64().expect("id"))
        .execute(app.db.pool())
        .await
        .expect("update");
    assert_eq!(
        request_token(&app, &old, &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    token(&app, &fresh.body).await;
    let rotated: Vec<Value> = audit_actions(&app, owner)
        .await
        .into_iter()
        .filter(|e| e["action"] == "client.secret_regenerated")
        .collect();
    assert_eq!(rotated.len(), 1);
    assert_eq!(rotated[0]["details"]["overlap_seconds"], 600);
}

#[tokio::test]
async fn a_credential_with_its_own_rate_limit_is_held_to_it() {
    let app = TestApp::spawn().await;
    let company = app.company("Own Limit Co").await;
    let client = enable(&app, &company).await;
    let owner = &company.owner.token;
    let reply = app
        .post(
            "/api/v1/api-keys",
            owner,
            json!({"name": "Trickle", "scopes": ["people:read"],
                   "rate_limit": {"per_minute": 60, "burst": 2}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_eq!(
        reply.body["rate_limit"],
        json!({"per_minute": 60, "burst": 2})
    );
    let key = reply.body["api_key"].as_str().expect("key").to_owned();
    for expected in [
        StatusCode::OK,
        StatusCode::OK,
        StatusCode::TOO_MANY_REQUESTS,
    ] {
        assert_eq!(app.get("/api/v1/users", &key).await.status, expected);
    }

    // A client's limit can be set and given back to the server's default.
    let path = format!("/api/v1/api-clients/{}", client["id"]);
    let reply = app
        .patch(
            &path,
            owner,
            json!({"rate_limit": {"per_minute": 1200, "burst": 200}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["rate_limit"]["burst"], 200);
    let reply = app.patch(&path, owner, json!({"name": "Renamed"})).await;
    assert_eq!(reply.body["rate_limit"]["burst"], 200);
    let reply = app.patch(&path, owner, json!({"rate_limit": null})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["rate_limit"], Value::Null);

    for limit in [
        json!({"per_minute": 0, "burst": 10}),
        json!({"per_minute": 600, "burst": 10001}),
        json!({"per_minute": 600}),
        json!({"per_minute": 600, "burst": 10, "window": 5}),
    ] {
        let reply = app
            .post(
                "/api/v1/api-keys",
                owner,
                json!({"name": "Bad", "rate_limit": limit}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{limit}");
        assert!(
            reply.field().is_some_and(|f| f.starts_with("rate_limit")),
            "{limit}: {:?}",
            reply.body
        );
    }
}
