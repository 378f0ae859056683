//! Hostile input that once reached the database and came back as a 500: the NUL
//! character in every kind of input, and deleting a leave type that only allowances refer
//! to. Each gets a 4xx in the envelope.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{Reply, TestApp, TestCompany};

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

/// The id of one of the company's default leave types, by code.
async fn leave_type(app: &TestApp, company: &TestCompany, code: &str) -> i64 {
    let types = app
        .get("/api/v1/leave-types?limit=100", &company.owner.token)
        .await
        .body;
    types["data"]
        .as_array()
        .expect("types")
        .iter()
        .find(|t| t["code"] == code)
        .and_then(|t| t["id"].as_i64())
        .expect("a default leave type")
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

#[tokio::test]
async fn a_leave_type_with_only_allowances_is_in_use_and_goes_with_them_by_force() {
    let app = TestApp::spawn().await;
    let company = app.company("Types Co").await;
    let owner = &company.owner.token;
    let holiday = leave_type(&app, &company, "H").await;
    let unpaid = leave_type(&app, &company, "U").await;
    // Reading balances opens an allowance of every deducting type; an adjustment hangs on one.
    let allowances = app
        .get(
            &format!("/api/v1/users/{}/allowances", company.owner.id),
            owner,
        )
        .await;
    assert_eq!(allowances.status, StatusCode::OK, "{allowances:?}");
    let adjusted = app
        .post(
            &format!("/api/v1/users/{}/allowances/adjustments", company.owner.id),
            owner,
            json!({"leave_type_id": holiday, "amount": 100, "reason": "Long service"}),
        )
        .await;
    assert_eq!(adjusted.status, StatusCode::OK, "{adjusted:?}");

    let path = format!("/api/v1/leave-types/{holiday}");
    let refused = app.delete(&path, owner).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{refused:?}");
    assert_eq!(refused.code(), "in_use");
    assert_eq!(app.get(&path, owner).await.status, StatusCode::OK);

    let forced = app.delete(&format!("{path}?force=true"), owner).await;
    assert_eq!(forced.status, StatusCode::NO_CONTENT, "{forced:?}");
    assert_eq!(app.get(&path, owner).await.status, StatusCode::NOT_FOUND);
    let left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM allowances WHERE company_id = $1 AND leave_type_id = $2",
    )
    .bind(company.id)
    .bind(holiday)
    .fetch_one(app.db.pool())
    .await
    .expect("count");
    assert_eq!(left, 0, "the type's allowances went with it");
    let balances = app
        .get(
            &format!("/api/v1/users/{}/allowances", company.owner.id),
            owner,
        )
        .await;
    assert_eq!(balances.status, StatusCode::OK, "{balances:?}");

    // A type that a request uses stays, even by force: it is switched off instead.
    let request = app
        .post(
            "/api/v1/leave-requests",
            owner,
            json!({"leave_type_id": unpaid, "start_date": "2027-03-03", "end_date": "2027-03-03"}),
        )
        .await;
    assert_eq!(request.status, StatusCode::CREATED, "{request:?}");
    let path = format!("/api/v1/leave-types/{unpaid}");
    for attempt in [path.clone(), format!("{path}?force=true")] {
        let refused = app.delete(&attempt, owner).await;
        assert_eq!(
            refused.status,
            StatusCode::CONFLICT,
            "{attempt}: {refused:?}"
        );
        assert_eq!(refused.code(), "in_use");
    }
    assert_eq!(app.get(&path, owner).await.status, StatusCode::OK);
}
