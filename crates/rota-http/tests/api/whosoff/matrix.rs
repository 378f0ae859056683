//! The face's authorisation matrix, read from its own document: every call the face
//! answers is tried by each user level and by another company. Each operation's
//! description names its WhosOff user level ("User level STAFF."); a caller below it is
//! refused with 400 `forbidden` whatever the body holds (permission before validation),
//! nobody gets a 500, a call without credentials gets 401, and another company's ids are
//! answered as absent, never with data.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Integration, document, refused};
use crate::common::{TestApp, send};

/// An id that names nothing, so that no call of the level matrix changes what the next
/// one finds (a super user's `user/del` would archive whoever it named).
const NOTHING: i64 = 999_999;

/// WhosOff's user levels, lowest first.
const LEVELS: [&str; 4] = ["NONE", "STAFF", "APPROVER", "SUPER USER"];

/// One call of the face, as its document states it.
struct Call {
    method: Method,
    path: String,
    level: usize,
}

fn level_of(description: &str) -> Option<usize> {
    let words = description.split_whitespace().collect::<Vec<_>>().join(" ");
    let after = words.split("User level ").nth(1)?;
    // Longest first: "SUPER USER" before "STAFF".
    let mut named: Vec<(usize, &str)> = LEVELS.iter().copied().enumerate().collect();
    named.sort_by_key(|(_, name)| std::cmp::Reverse(name.len()));
    named
        .into_iter()
        .find(|(_, name)| after.starts_with(name))
        .map(|(level, _)| level)
}

async fn calls(app: &TestApp) -> Vec<Call> {
    let document = document(app).await;
    let mut calls = Vec::new();
    let paths = document.body["paths"].as_object().expect("paths");
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().expect("operations") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            if path.contains("/authenticate/") {
                continue;
            }
            let text = format!(
                "{} {}",
                operation["summary"].as_str().unwrap_or_default(),
                operation["description"].as_str().unwrap_or_default()
            );
            let level = level_of(&text)
                .unwrap_or_else(|| panic!("{method} {path} names no user level: {text:?}"));
            calls.push(Call {
                method,
                path: path.clone(),
                level,
            });
        }
    }
    assert!(calls.len() >= 10, "the document lists the face's calls");
    calls
}

/// The path with its parameters filled: ids with `id`, flags with `true`.
fn filled(path: &str, id: i64) -> String {
    path.split('/')
        .map(|segment| match segment {
            "{force_removal}" => "true".to_owned(),
            s if s.starts_with('{') => id.to_string(),
            s => s.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn body_for(method: &Method, id: i64) -> Option<Value> {
    (*method == Method::POST || *method == Method::PUT).then(
        || json!({"user_id": "not a number", "leave_id": id, "department_id": id, "tag_id": id}),
    )
}

#[tokio::test]
async fn each_user_level_gets_what_its_calls_allow_and_no_call_fails() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let by_level = [
        (1, Integration::of(&app, &company, &cast.staff).await),
        (2, Integration::of(&app, &company, &cast.approver).await),
        (3, Integration::of(&app, &company, &cast.super_user).await),
    ];
    let mut failures = Vec::new();
    for call in calls(&app).await {
        let path = filled(&call.path, NOTHING);
        let anonymous = send(
            &app.client,
            &app.base,
            call.method.clone(),
            &format!("/whosoff{path}"),
            None,
            body_for(&call.method, NOTHING),
        )
        .await;
        if anonymous.status != StatusCode::UNAUTHORIZED
            || anonymous.body["Errors"]
                .as_array()
                .is_none_or(Vec::is_empty)
        {
            failures.push(format!(
                "{} {path} without credentials: {} {:?}",
                call.method, anonymous.status, anonymous.body
            ));
        }
        for (level, integration) in &by_level {
            let reply = integration
                .call(
                    &app,
                    call.method.clone(),
                    &path,
                    body_for(&call.method, NOTHING),
                )
                .await;
            if reply.status.is_server_error() || reply.body.get("Errors").is_none() {
                failures.push(format!(
                    "{} {path} as {}: {} {:?}",
                    call.method, LEVELS[*level], reply.status, reply.body
                ));
                continue;
            }
            let forbidden = reply.status == StatusCode::BAD_REQUEST
                && reply.body["Errors"][0]["Code"] == "forbidden";
            if *level < call.level && !forbidden {
                failures.push(format!(
                    "{} {path} is for {}, yet {} got {} {:?}",
                    call.method, LEVELS[call.level], LEVELS[*level], reply.status, reply.body
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} calls disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn another_companys_ids_are_absent_to_every_call() {
    let app = TestApp::spawn().await;
    let home = app.company("Acme").await;
    let cast = app.cast(&home).await;
    let other = app.company("Other").await;
    let stranger = Integration::of(&app, &other, &other.owner).await;
    let mut failures = Vec::new();
    for call in calls(&app).await {
        // Home ids only: the staff member's, and the shared department's in bodies.
        let path = filled(&call.path, cast.staff.id);
        let body = (call.method == Method::POST || call.method == Method::PUT).then(|| {
            json!({"user_id": cast.staff.id, "department_id": cast.department_id,
                   "map_type_id": 1, "map_id": cast.department_id})
        });
        let reply = stranger.call(&app, call.method.clone(), &path, body).await;
        if reply.status.is_server_error() {
            failures.push(format!(
                "{} {path}: {} {:?}",
                call.method, reply.status, reply.body
            ));
            continue;
        }
        if reply.status == StatusCode::OK && !call.path.contains('{') {
            // A call without ids in its path may answer, but with nothing of Acme's.
            let text = reply.body.to_string();
            if text.contains(&cast.staff.email) {
                failures.push(format!(
                    "{} {path} showed Acme's staff: {text}",
                    call.method
                ));
            }
        } else if reply.status == StatusCode::OK {
            failures.push(format!(
                "{} {path} answered for another company's id: {:?}",
                call.method, reply.body
            ));
        } else {
            let (status, _) = refused(&reply);
            assert_eq!(
                status,
                StatusCode::BAD_REQUEST,
                "{} {path}: {:?}",
                call.method,
                reply.body
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} calls disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn user_levels_read_from_descriptions() {
    assert_eq!(level_of("Creates a tag. User level SUPER USER."), Some(3));
    assert_eq!(
        level_of("Lists. User level\nSTAFF (their own) and up."),
        Some(1)
    );
    assert_eq!(level_of("Countries. User level NONE."), Some(0));
    assert_eq!(level_of("Nothing said."), None);
}
