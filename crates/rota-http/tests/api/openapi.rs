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

/// The whole document, pinned: any change to a path, schema, parameter or response shows
/// up as a diff in review. A mismatch fails (insta leaves the new document beside the old
/// as `.snap.new`; CI never accepts one); after an intended change, accept it with `INSTA_UPDATE=always cargo test -p rota-http --test api openapi` (or
/// `cargo insta accept`) and commit the `.snap` file with the change.
#[test]
fn the_document_is_pinned_by_its_snapshot() {
    let value = serde_json::to_value(rota_http::openapi()).expect("serialise");
    insta::assert_json_snapshot!("openapi", value);
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

/// Follows `$ref`s into `components/schemas`.
fn resolve<'a>(
    document: &'a serde_json::Value,
    schema: &'a serde_json::Value,
) -> &'a serde_json::Value {
    let mut schema = schema;
    while let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        schema = &document["components"]["schemas"][name];
    }
    schema
}

/// Every operation's query and path parameters, as (operation, name, resolved schema).
fn parameters(document: &serde_json::Value) -> Vec<(String, String, &serde_json::Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("item") {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                found.push((
                    format!("{} {path}", method.to_uppercase()),
                    parameter["name"].as_str().unwrap_or_default().to_owned(),
                    resolve(document, &parameter["schema"]),
                ));
            }
        }
    }
    found
}

#[test]
fn every_limit_parameter_states_the_range_the_server_enforces() {
    let document = serde_json::to_value(rota_http::openapi()).expect("serialise");
    let limits: Vec<_> = parameters(&document)
        .into_iter()
        .filter(|(_, name, _)| name == "limit")
        .collect();
    assert!(limits.len() >= 14, "only {} limit parameters", limits.len());
    for (operation, _, schema) in limits {
        assert_eq!(schema["type"], "integer", "{operation}");
        assert_eq!(schema["minimum"], 1, "{operation}");
        assert_eq!(
            schema["maximum"],
            rota_core::paging::MAX_LIMIT,
            "{operation}"
        );
    }
}

/// Every string an input carries is constrained by a pattern or an enum. Those the server
/// otherwise takes as they come (secrets, tokens, opaque cursors, search text) carry the
/// pattern that refuses the NUL character, as every input does.
fn unconstrained_strings<'a>(
    document: &'a serde_json::Value,
    schema: &'a serde_json::Value,
    path: &str,
    found: &mut Vec<String>,
) {
    let schema = resolve(document, schema);
    for alternative in ["oneOf", "anyOf", "allOf"] {
        for item in schema[alternative].as_array().into_iter().flatten() {
            unconstrained_strings(document, item, path, found);
        }
    }
    let is_string = schema["type"] == "string"
        || schema["type"]
            .as_array()
            .is_some_and(|types| types.iter().any(|t| t == "string"));
    let constrained = ["pattern", "enum"]
        .iter()
        .any(|key| !schema[*key].is_null());
    if is_string && !constrained {
        found.push(path.to_owned());
    }
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        unconstrained_strings(document, property, &format!("{path}.{name}"), found);
    }
    if !schema["items"].is_null() {
        unconstrained_strings(document, &schema["items"], &format!("{path}[]"), found);
    }
}

#[test]
fn every_string_an_input_carries_states_its_form() {
    let document = serde_json::to_value(rota_http::openapi()).expect("serialise");
    let mut found = Vec::new();
    for (operation, name, schema) in parameters(&document) {
        unconstrained_strings(
            &document,
            schema,
            &format!("{operation} ?{name}"),
            &mut found,
        );
    }
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("item") {
            for (_, content) in operation["requestBody"]["content"]
                .as_object()
                .into_iter()
                .flatten()
            {
                let label = format!("{} {path} body", method.to_uppercase());
                unconstrained_strings(&document, &content["schema"], &label, &mut found);
            }
        }
    }
    assert!(found.is_empty(), "strings with no stated form: {found:#?}");
    let login = resolve(
        &document,
        &document["paths"]["/api/v1/auth/login"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"],
    );
    assert_eq!(
        login["properties"]["password"]["pattern"],
        rota_http::nul::NO_NUL_PATTERN
    );
}

#[test]
fn dates_text_and_numbers_state_the_rules_validate_applies() {
    let document = serde_json::to_value(rota_http::openapi()).expect("serialise");
    let schemas = &document["components"]["schemas"];
    assert_eq!(schemas["Date"]["format"], "date");
    assert_eq!(schemas["Date"]["pattern"], rota_core::openapi::DATE_PATTERN);
    assert_eq!(
        schemas["Text100"]["pattern"],
        rota_core::openapi::required_text_pattern(100)
    );
    assert_eq!(schemas["MfaCode"]["pattern"], "^[0-9]{6}$");
    assert!(
        schemas["TimeZone"]["enum"]
            .as_array()
            .is_some_and(|zones| zones.iter().any(|z| z == "Europe/London"))
    );
    let patch = &schemas["CompanyPatch"]["properties"];
    assert_eq!(patch["leave_year_start_month"]["minimum"], 1);
    assert_eq!(patch["leave_year_start_month"]["maximum"], 12);
    assert_eq!(
        schemas["Quota"]["properties"]["per_minute"]["maximum"],
        60000
    );
    // Creates state the fields they need; the shared update body leaves them optional.
    for (body, field) in [
        ("DepartmentInputForCreate", "name"),
        ("SiteInputForCreate", "location_id"),
        ("LeaveTypeInputForCreate", "code"),
        ("AnnotationInputForCreate", "start_date"),
        ("UserInputForCreate", "email"),
    ] {
        assert!(
            schemas[body]["required"]
                .as_array()
                .is_some_and(|required| required.iter().any(|r| r == field)),
            "{body} does not require {field}"
        );
    }
    assert!(schemas["DepartmentInput"]["required"].is_null());
}

#[test]
fn business_rule_refusals_are_documented_with_their_codes() {
    let document = serde_json::to_value(rota_http::openapi()).expect("serialise");
    let paths = &document["paths"];
    for (path, method, status, code) in [
        ("/api/v1/leave-requests", "post", "409", "overlapping_leave"),
        (
            "/api/v1/leave-requests/{id}/approve",
            "post",
            "409",
            "understaffed",
        ),
        (
            "/api/v1/leave-requests/{id}/approve",
            "post",
            "409",
            "insufficient_allowance",
        ),
        (
            "/api/v1/leave-requests/{id}/decline",
            "post",
            "409",
            "already_decided",
        ),
        ("/api/v1/departments/{id}", "delete", "409", "in_use"),
        ("/api/v1/leave-types/{id}", "delete", "409", "in_use"),
        ("/api/v1/users", "post", "422", "weak_password"),
        ("/api/v1/users/{id}", "patch", "422", "wrong_password"),
        (
            "/api/v1/auth/mfa/confirm",
            "post",
            "422",
            "invalid_mfa_code",
        ),
        ("/api/v1/webhooks", "post", "422", "webhook_url_not_allowed"),
        ("/api/v1/api-keys", "post", "409", "conflict"),
        ("/api/v1/times", "post", "409", "time_entry_overlap"),
        ("/api/v1/times", "post", "422", "end_before_start"),
        ("/api/v1/times/{id}", "patch", "422", "time_entry_too_long"),
        (
            "/api/v1/times/clock-in",
            "post",
            "409",
            "already_clocked_in",
        ),
        ("/api/v1/times/clock-out", "post", "409", "not_clocked_in"),
        (
            "/api/v1/times/{id}/approve",
            "post",
            "409",
            "time_entry_running",
        ),
    ] {
        let description = paths[path][method]["responses"][status]["description"]
            .as_str()
            .unwrap_or_default();
        assert!(
            description.contains(code),
            "{method} {path} {status} does not name {code}: {description:?}"
        );
    }
}

/// A client generated from the document names each operation by its id: a shared id makes
/// generators drop or merge operations.
#[test]
fn every_operation_has_its_own_operation_id() {
    let document = serde_json::to_value(rota_http::openapi()).expect("serialise");
    let mut named: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("item") {
            let id = operation["operationId"].as_str().unwrap_or_default();
            named
                .entry(id.to_owned())
                .or_default()
                .push(format!("{method} {path}"));
        }
    }
    named.retain(|id, operations| id.is_empty() || operations.len() > 1);
    assert!(named.is_empty(), "ids shared or missing: {named:#?}");
}

/// The error body's documentation lists every code the API answers with: the core's and
/// those the HTTP face gives while reading a request.
#[test]
fn the_error_body_lists_every_code() {
    let document = serde_json::to_value(rota_http::openapi()).expect("serialise");
    let listed =
        document["components"]["schemas"]["ErrorDetail"]["properties"]["code"]["description"]
            .as_str()
            .expect("the code's description")
            .to_owned();
    let face = [
        "malformed_json",
        "invalid_path_parameter",
        "invalid_query",
        "invalid_header",
        "method_not_allowed",
        "payload_too_large",
        "unsupported_media_type",
        "internal_error",
    ];
    for code in rota_core::error::code::ALL.iter().chain(face.iter()) {
        assert!(
            listed.contains(&format!("`{code}`")),
            "{code} is not listed"
        );
    }
}
