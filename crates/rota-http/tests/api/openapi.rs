//! The OpenAPI document lists every route the server answers, and nothing it does not.

use std::collections::BTreeSet;

use reqwest::StatusCode;

use crate::authz::{PUBLIC, table};
use crate::common::TestApp;

fn documented() -> BTreeSet<(String, String)> {
    let document = rota_http::openapi();
    let value = serde_json::to_value(&document).expect("serialise");
    let mut routes = BTreeSet::new();
    for (path, item) in value["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                routes.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes
}

#[test]
fn every_route_in_the_matrix_is_documented_and_every_documented_route_is_in_the_matrix() {
    let mut tested: BTreeSet<(String, String)> = table()
        .iter()
        .map(|row| {
            (
                row.method.to_string(),
                row.path.split('?').next().unwrap_or(row.path).to_owned(),
            )
        })
        .collect();
    tested.extend(PUBLIC.iter().map(|(m, p)| (m.to_string(), p.to_string())));
    let mut documented = documented();
    // The document itself is served beside the API rather than described in it.
    documented.insert(("GET".into(), "/api/v1/openapi.json".into()));
    let missing: Vec<_> = tested.difference(&documented).collect();
    let untested: Vec<_> = documented.difference(&tested).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the OpenAPI document: {missing:?}"
    );
    assert!(
        untested.is_empty(),
        "documented routes missing from the authorisation matrix: {untested:?}"
    );
}

#[test]
fn every_operation_documents_its_errors_and_every_schema_it_names_exists() {
    let value = serde_json::to_value(rota_http::openapi()).expect("serialise");
    let schemas = value["components"]["schemas"].as_object().expect("schemas");
    let text = value.to_string();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap_or_default();
        assert!(
            schemas.contains_key(name),
            "schema {name} is referenced but not defined"
        );
    }
    for (path, item) in value["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("item") {
            let responses = operation["responses"].as_object().expect("responses");
            // The token endpoint answers in RFC 6749's own error shape (§5.2).
            if path == "/api/v1/oauth/token" {
                for status in ["400", "401"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path} does not document {status}"
                    );
                }
            } else if path.starts_with("/api/v1") {
                for status in ["400", "401", "403", "404", "422"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path} does not document {status}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn the_document_and_the_browsable_reference_are_served() {
    let app = TestApp::spawn().await;
    let document = app
        .client
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .await
        .expect("get");
    assert_eq!(document.status(), StatusCode::OK);
    let body: serde_json::Value = document.json().await.expect("json");
    assert_eq!(body["openapi"], "3.1.0");
    assert!(body["paths"]["/api/v1/users/{id}"]["patch"].is_object());
    let docs = app
        .client
        .get(format!("{}/api/docs/", app.base))
        .send()
        .await
        .expect("get");
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.expect("html").contains("swagger"));
}
