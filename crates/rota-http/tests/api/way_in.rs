//! The way in: what each route admits API credentials to is what its router declares.
//! Every native route admits them exactly as it did when the area came from its path, a
//! face outside `/api/v1` declares its own area and is held to it, and a route that
//! declares nothing refuses every API credential.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::routing::get;
use reqwest::{Method, StatusCode};
use rota_core::access::Area;
use rota_core::access::limits::{Limits, Quota};
use rota_http::auth::{AuthUser, Declared, declare};
use rota_http::{AppState, HttpConfig};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;

use crate::access::enable;
use crate::authz::PUBLIC;
use crate::common::{TestApp, TestCompany, send};

/// Room for one call to every route and then some.
fn roomy() -> HttpConfig {
    HttpConfig {
        limits: Limits {
            api: Quota::new(6000, 1000),
            ..Limits::default()
        },
        ..HttpConfig::default()
    }
}

async fn key(app: &TestApp, company: &TestCompany, scopes: &[&str]) -> String {
    let reply = app
        .post(
            "/api/v1/api-keys",
            &company.owner.token,
            json!({"name": format!("Key {}", scopes.join(" ")), "scopes": scopes}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["api_key"].as_str().expect("key").to_owned()
}

/// The area each native route had when it was read from the path (`None`: no API
/// credential may call it), kept as the specification the declarations must meet.
fn area_by_path(path: &str) -> Option<Area> {
    let path = path.strip_prefix("/api/v1")?;
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let leave_under_users = ["allowances", "work-patterns", "notes", "restrictions"];
    match segments.first().copied().unwrap_or("") {
        "users" if segments.get(2) == Some(&"mfa") => None,
        "users"
            if segments
                .get(2)
                .is_some_and(|s| leave_under_users.contains(s)) =>
        {
            Some(Area::Leave)
        }
        "users" => Some(Area::People),
        "leave-requests" if segments.get(2) == Some(&"shifts") => Some(Area::Schedule),
        "company" if segments.get(1) == Some(&"work-patterns") => Some(Area::Leave),
        "company" if segments.get(1) == Some(&"time-clock") => Some(Area::Time),
        "company" if segments.get(1) == Some(&"payroll") => Some(Area::Payroll),
        "company" if segments.get(1) == Some(&"schedule") => Some(Area::Schedule),
        "company" | "departments" | "regions" | "locations" | "sites" | "positions" | "tags" => {
            Some(Area::People)
        }
        "leave-requests" | "leave-types" | "leave-years" | "calendar" | "ical-feeds"
        | "annotations" | "company-holidays" | "public-holidays" => Some(Area::Leave),
        "reports" => Some(Area::Reports),
        "shifts"
        | "shift-chains"
        | "shift-templates"
        | "swaps"
        | "availability-events"
        | "open-shift-requests"
        | "schedule" => Some(Area::Schedule),
        "times" => Some(Area::Time),
        "payroll-periods" => Some(Area::Payroll),
        _ => None,
    }
}

/// Every documented native route that takes a credential, with ids filled in.
fn native_routes() -> Vec<(Method, String, String)> {
    let document = serde_json::to_value(rota_http::openapi()).expect("serialise");
    let mut routes = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("item").keys() {
            let method = method.to_uppercase();
            let public = PUBLIC.iter().any(|(m, p)| *m == method && p == path);
            if public || !path.starts_with("/api/v1/") {
                continue;
            }
            let called = path
                .replace("{id}", "1")
                .replace("{restriction_id}", "1")
                .replace("{date}", "2030-01-01");
            let method = Method::from_bytes(method.as_bytes()).expect("method");
            routes.push((method, path.clone(), called));
        }
    }
    routes
}

#[tokio::test]
async fn every_native_route_admits_api_credentials_to_the_area_its_path_gave_it() {
    let app = TestApp::spawn_with(roomy()).await;
    let company = app.company("Areas Co").await;
    enable(&app, &company).await;
    // No route declares compliance: this key shows each route's declaration in its refusal.
    let outsider = key(&app, &company, &["compliance:read"]).await;
    let everything = key(
        &app,
        &company,
        &[
            "people:write",
            "leave:write",
            "reports:write",
            "schedule:write",
            "time:write",
            "payroll:write",
        ],
    )
    .await;
    let routes = native_routes();
    assert!(routes.len() > 80, "only {} routes", routes.len());
    for (method, path, called) in routes {
        let write = method != Method::GET;
        let body = write.then(|| json!({}));
        let refused = app
            .call(method.clone(), &called, Some(&outsider), body.clone())
            .await;
        let admitted = app
            .call(method.clone(), &called, Some(&everything), body)
            .await;
        let message = refused.body["error"]["message"]
            .as_str()
            .unwrap_or_default();
        let unscoped = "API credentials may not call this route";
        if path == "/api/v1/auth/me" {
            // Who am I: any credential, whatever its scopes.
            assert_eq!(refused.status, StatusCode::OK, "{method} {path}");
            continue;
        }
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{method} {path}: {:?}",
            refused.body
        );
        match area_by_path(&path) {
            Some(area) => {
                let scope = format!("{}:{}", area.as_str(), if write { "write" } else { "read" });
                assert!(
                    message.contains(&scope),
                    "{method} {path} should need {scope}: {message}"
                );
                let admitted_message = admitted.body["error"]["message"]
                    .as_str()
                    .unwrap_or_default();
                assert!(
                    !admitted_message.contains("lacks the scope")
                        && !admitted_message.contains(unscoped),
                    "{method} {path} refused a key with {scope}: {admitted_message}"
                );
            }
            None => {
                assert!(
                    message.contains(unscoped),
                    "{method} {path} should refuse API credentials: {message}"
                );
                assert_eq!(admitted.status, StatusCode::FORBIDDEN, "{method} {path}");
            }
        }
    }
}

/// A face of its own outside `/api/v1`, served over the test app's database: one route
/// that declares the leave area and one that declares nothing.
async fn face_outside_the_native_api(app: &TestApp) -> String {
    async fn who(auth: AuthUser) -> Json<i64> {
        Json(auth.actor.user_id)
    }
    let declared = declare(
        Declared::Area(Area::Leave),
        OpenApiRouter::new().route("/vendor/absences", get(who).post(who)),
    );
    let (router, _) = OpenApiRouter::new()
        .merge(declared)
        .route("/vendor/settings", get(who))
        .split_for_parts();
    let state = AppState {
        db: app.db.clone(),
        config: Arc::new(HttpConfig::default()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let service = router
        .with_state(state)
        .into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    base
}

#[tokio::test]
async fn a_route_outside_the_native_api_admits_a_key_with_its_scope_and_refuses_one_without() {
    let app = TestApp::spawn().await;
    let company = app.company("Face Co").await;
    enable(&app, &company).await;
    let leave_reader = key(&app, &company, &["leave:read"]).await;
    let people_writer = key(&app, &company, &["people:write"]).await;
    let face = face_outside_the_native_api(&app).await;
    let call = async |method: Method, path: &str, token: &str| {
        send(&app.client, &face, method, path, Some(token), None).await
    };

    let admitted = call(Method::GET, "/vendor/absences", &leave_reader).await;
    assert_eq!(admitted.status, StatusCode::OK, "{:?}", admitted.body);
    assert_eq!(admitted.body, json!(company.owner.id));

    let refused = call(Method::GET, "/vendor/absences", &people_writer).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "forbidden");
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("leave:read")),
        "{:?}",
        refused.body
    );
    // Reading is not writing.
    let write = call(Method::POST, "/vendor/absences", &leave_reader).await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    assert_eq!(write.code(), "forbidden");

    // A route that declares nothing fails closed for API credentials, not for people.
    for key in [&leave_reader, &people_writer] {
        let undeclared = call(Method::GET, "/vendor/settings", key).await;
        assert_eq!(undeclared.status, StatusCode::FORBIDDEN);
        assert_eq!(undeclared.code(), "forbidden");
    }
    let person = call(Method::GET, "/vendor/settings", &company.owner.token).await;
    assert_eq!(person.status, StatusCode::OK, "{:?}", person.body);
}

/// Vendor faces get documents of their own: the native one holds the native API, its
/// probes and the iCal feeds, and nothing else.
#[test]
fn the_native_document_holds_no_route_of_another_face() {
    let document = rota_http::openapi();
    let outside: Vec<&str> = document
        .paths
        .paths
        .keys()
        .map(String::as_str)
        .filter(|path| !path.starts_with("/api/v1/"))
        .collect();
    assert_eq!(outside, ["/health", "/ical/{token}", "/ready"]);
}

/// The document states the headers an API credential's call reads and is answered with,
/// on the operations that admit API credentials and on no other.
#[test]
fn the_document_declares_the_headers_of_the_way_in_where_they_apply() {
    let document = serde_json::to_value(rota_http::openapi()).expect("serialise");
    let paths = &document["paths"];
    let read = ["app-id", "nonce", "timestamp", "X-Act-As-User"];
    let sent = [
        "X-RateLimit-Limit",
        "X-RateLimit-Burst",
        "X-RateLimit-Remaining",
    ];
    let header_parameters = |operation: &serde_json::Value| -> Vec<String> {
        operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "header")
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect()
    };
    for (path, method) in [
        ("/api/v1/users", "get"),
        ("/api/v1/leave-requests/{id}/approve", "post"),
        ("/api/v1/auth/me", "get"),
    ] {
        let operation = &paths[path][method];
        assert_eq!(header_parameters(operation), read, "{method} {path}");
        let act_as = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == "X-Act-As-User")
            .expect("X-Act-As-User");
        assert_eq!(act_as["schema"]["type"], "integer");
        assert_eq!(act_as["schema"]["minimum"], 1);
        for name in sent {
            assert_eq!(
                operation["responses"]["200"]["headers"][name]["schema"]["type"], "integer",
                "{method} {path} {name}"
            );
        }
        assert!(
            operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .all(|p| p["required"] != true || p["in"] != "header")
        );
    }
    for (path, method) in [
        ("/api/v1/webhooks", "get"),
        ("/api/v1/api-keys", "post"),
        ("/api/v1/auth/mfa", "get"),
        ("/api/v1/auth/logout", "post"),
        // Signing up takes no credential at all.
        ("/api/v1/companies", "post"),
    ] {
        let operation = &paths[path][method];
        assert!(header_parameters(operation).is_empty(), "{method} {path}");
        let responses = operation["responses"].as_object().expect("responses");
        for (status, response) in responses {
            assert!(
                response["headers"]["X-RateLimit-Limit"].is_null(),
                "{method} {path} {status}"
            );
        }
    }
    for (path, item) in paths.as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("item") {
            if let Some(response) = operation["responses"].get("429") {
                assert_eq!(
                    response["headers"]["Retry-After"]["schema"]["type"], "integer",
                    "{method} {path}"
                );
            }
        }
    }
}
