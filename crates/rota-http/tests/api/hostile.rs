//! Hostile input that once reached the database and came back as a 500: the NUL
//! character in every kind of input. Each gets a 4xx in the envelope.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{Reply, TestApp};

async fn form(app: &TestApp, path: &str, body: &str, basic: Option<&str>) -> Reply {
    let mut request = app
        .client
        .post(format!("{}{path}", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned());
    if let Some(credentials) = basic {
        request = request.header("authorization", format!("Basic {credentials}"));
    }
    let response = request.send().await.expect("send");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    Reply { status, body }
}

#[tokio::test]
async fn a_nul_character_is_refused_wherever_it_arrives() {
    let app = TestApp::spawn().await;
    let company = app.company("Nul Co").await;
    let owner = &company.owner.token;

    // Before authentication: sign-in, and the token endpoint in both its encodings and
    // through HTTP Basic (whose parts are percent-decoded).
    let login = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "a@b.test\u{0}", "password": "a long test password"})),
        )
        .await;
    assert_eq!(login.status, StatusCode::UNPROCESSABLE_ENTITY, "{login:?}");
    assert_eq!(login.code(), "validation_failed");
    assert_eq!(login.field(), Some("email"));
    let password = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "a@b.test", "password": "x\u{0}"})),
        )
        .await;
    assert_eq!(password.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(password.field(), Some("password"));

    let token_form = form(
        &app,
        "/api/v1/oauth/token",
        "grant_type=client_credentials&client_id=a%00b&client_secret=s",
        None,
    )
    .await;
    let token_json = app
        .call(
            Method::POST,
            "/api/v1/oauth/token",
            None,
            Some(
                json!({"grant_type": "client_credentials", "client_id": "a\u{0}b", "client_secret": "s"}),
            ),
        )
        .await;
    // base64("a%00b:s")
    let token_basic = form(
        &app,
        "/api/v1/oauth/token",
        "grant_type=client_credentials",
        Some("YSUwMGI6cw=="),
    )
    .await;
    for (how, reply) in [
        ("form", &token_form),
        ("JSON", &token_json),
        ("HTTP Basic", &token_basic),
    ] {
        // The token endpoint answers in RFC 6749's shape, not the envelope.
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{how}: {reply:?}");
        assert_eq!(reply.body["error"], "invalid_request", "{how}: {reply:?}");
    }

    // Query strings, path segments and bodies of signed-in calls.
    for (path, status, code, field) in [
        ("/api/v1/users?q=%00", 400, "invalid_query", "q"),
        (
            "/api/v1/users?last_name=a%00b",
            400,
            "invalid_query",
            "last_name",
        ),
        ("/api/v1/audit?action=a%00b", 400, "invalid_query", "action"),
        (
            "/api/v1/audit?limit=5&action=token.issued%00",
            400,
            "invalid_query",
            "action",
        ),
        ("/api/v1/users/1%00", 400, "invalid_path_parameter", "id"),
        (
            "/ical/rota_ical_a%00b",
            400,
            "invalid_path_parameter",
            "token",
        ),
    ] {
        let reply = app.get(path, owner).await;
        assert_eq!(reply.status.as_u16(), status, "{path}: {reply:?}");
        assert_eq!(reply.code(), code, "{path}");
        assert_eq!(reply.field(), Some(field), "{path}");
    }
    for (method, path, body, field) in [
        (
            Method::POST,
            "/api/v1/departments",
            json!({"name": "Ops\u{0}"}),
            "name",
        ),
        (
            Method::PATCH,
            "/api/v1/company",
            json!({"settings": {"password_min_length": 12}, "name": "A\u{0}"}),
            "name",
        ),
        (
            Method::POST,
            "/api/v1/api-keys",
            json!({"name": "Key", "scopes": ["people:read", "leave\u{0}:read"]}),
            "scopes[1]",
        ),
        (
            Method::POST,
            "/api/v1/departments",
            json!({"name": "Ops", "x\u{0}": 1}),
            "x\\0",
        ),
    ] {
        let reply = app.call(method, path, Some(owner), Some(body)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {reply:?}"
        );
        assert_eq!(reply.code(), "validation_failed");
        assert_eq!(reply.field(), Some(field), "{path}");
    }
    // Nothing was written, and the escape spelled out as text is ordinary text.
    assert_eq!(
        app.get("/api/v1/departments", owner).await.body["data"],
        json!([])
    );
    let literal = app
        .post("/api/v1/departments", owner, json!({"name": "Ops \\u0000"}))
        .await;
    assert_eq!(literal.status, StatusCode::CREATED, "{literal:?}");
    assert_eq!(literal.body["name"], "Ops \\u0000");
}
