//! Hostile input that once reached the database and came back as a 500: the NUL
//! character in every kind of input, dates far outside any calendar a company keeps, and
//! deleting a leave type that only allowances refer to. Each gets a 4xx in the envelope.

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

#[tokio::test]
async fn a_leave_type_with_only_allowances_is_in_use_and_goes_with_them_by_force() {
    let app = TestApp::spawn().await;
    let company = app.company("Types Co").await;
    let owner = &company.owner.token;
    let types = app.leave_types(&company.owner.token).await;
    let (holiday, unpaid) = (types.id("H"), types.id("U"));
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

#[tokio::test]
async fn dates_outside_1900_to_2200_are_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let company = app.company("Dates Co").await;
    let owner = &company.owner.token;
    let me = company.owner.id;
    let types = app.leave_types(&company.owner.token).await;
    let (holiday, unpaid) = (types.id("H"), types.id("U"));
    let week = json!({"monday": 480, "tuesday": 480, "wednesday": 480, "thursday": 480,
                      "friday": 480, "saturday": 0, "sunday": 0});
    let with = |base: &Value, extra: Value| {
        let mut body = base.clone();
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        body
    };
    let allowances = format!("/api/v1/users/{me}/allowances");
    let cases: Vec<(Method, String, Option<Value>, &str)> = vec![
        (
            Method::POST,
            "/api/v1/leave-requests".into(),
            Some(
                json!({"leave_type_id": unpaid, "start_date": "9999-12-31", "end_date": "9999-12-31"}),
            ),
            "start_date",
        ),
        (
            Method::POST,
            "/api/v1/leave-requests".into(),
            Some(
                json!({"leave_type_id": unpaid, "start_date": "0001-01-01", "end_date": "0001-01-01"}),
            ),
            "start_date",
        ),
        (
            Method::POST,
            "/api/v1/leave-requests/quote".into(),
            Some(
                json!({"leave_type_id": holiday, "start_date": "2200-12-31", "end_date": "2201-01-01"}),
            ),
            "end_date",
        ),
        (
            Method::GET,
            format!("{allowances}?date=9999-12-31"),
            None,
            "date",
        ),
        (
            Method::GET,
            format!("{allowances}?date=1899-12-31"),
            None,
            "date",
        ),
        (
            Method::POST,
            format!("{allowances}/adjustments"),
            Some(
                json!({"leave_type_id": holiday, "date": "9999-12-31", "amount": 1, "reason": "x"}),
            ),
            "date",
        ),
        (
            Method::PUT,
            format!("{allowances}/opening"),
            Some(
                json!({"leave_type_id": holiday, "opening": 2500, "carryover_expiry_date": "9999-12-31"}),
            ),
            "carryover_expiry_date",
        ),
        (
            Method::GET,
            "/api/v1/leave-requests?from=9999-12-31".into(),
            None,
            "from",
        ),
        (
            Method::GET,
            "/api/v1/calendar?from=9999-12-01&to=9999-12-31".into(),
            None,
            "from",
        ),
        (
            Method::GET,
            "/api/v1/reports/my-staff?from=2026-01-01&to=9999-12-31".into(),
            None,
            "to",
        ),
        (
            Method::GET,
            "/api/v1/public-holidays?country=GB&from=0001-01-01&to=2026-12-31".into(),
            None,
            "from",
        ),
        (
            Method::POST,
            "/api/v1/leave-years/roll".into(),
            Some(json!({"date": "9999-12-31"})),
            "date",
        ),
        (
            Method::POST,
            "/api/v1/company-holidays".into(),
            Some(json!({"date": "9999-12-31", "name": "Far off"})),
            "date",
        ),
        (
            Method::POST,
            "/api/v1/annotations".into(),
            Some(
                json!({"kind": "announcement", "title": "Far", "start_date": "2026-01-01", "end_date": "9999-12-31"}),
            ),
            "end_date",
        ),
        (
            Method::POST,
            "/api/v1/company/work-patterns".into(),
            Some(with(&week, json!({"start_date": "0001-01-01"}))),
            "start_date",
        ),
        (
            Method::POST,
            format!("/api/v1/users/{me}/work-patterns"),
            Some(with(&week, json!({"start_date": "9999-12-31"}))),
            "start_date",
        ),
        (
            Method::PATCH,
            format!("/api/v1/users/{me}"),
            Some(json!({"employment_start_date": "9999-12-31"})),
            "employment_start_date",
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, field) in cases {
        let reply = app
            .call(method.clone(), &path, Some(owner), body.clone())
            .await;
        if reply.status != StatusCode::UNPROCESSABLE_ENTITY
            || reply.code() != "validation_failed"
            || reply.field() != Some(field)
        {
            failures.push(format!(
                "{method} {path} {body:?}: expected 422 on {field}, got {} {:?}",
                reply.status, reply.body
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The last supported day works: its leave year ends, and the next begins, in range.
    let edge = app
        .get(&format!("{allowances}?date=2200-12-31"), owner)
        .await;
    assert_eq!(edge.status, StatusCode::OK, "{edge:?}");
    let quote = app
        .post(
            "/api/v1/leave-requests/quote",
            owner,
            json!({"leave_type_id": unpaid, "start_date": "2200-12-31", "end_date": "2200-12-31"}),
        )
        .await;
    assert!(quote.status.is_success(), "{quote:?}");
    let first = app
        .post(
            "/api/v1/company-holidays",
            owner,
            json!({"date": "1900-01-01", "name": "First day"}),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{first:?}");
}
