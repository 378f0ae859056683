//! Webhooks: subscriptions are admin-only and audited, events reach a real receiver on a
//! loopback port signed so that an independent HMAC verifies them, a failing receiver is
//! retried with back-off, a rolled-back change owes nothing, and internal addresses are
//! refused unless the server allows them. The worker is driven by calling `deliver_due`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode as AxumStatus};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use rota_core::retry::Retry;
use rota_core::sealing::SecretKey;
use rota_core::webhooks::WebhookSettings;
use rota_core::webhooks::events::Event;
use rota_core::webhooks::worker::{Dispatcher, deliver_due};
use rota_http::HttpConfig;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::common::{TestApp, TestCompany};

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    headers: HeaderMap,
    body: String,
}

/// A webhook receiver on a loopback port: it records every request and answers with the
/// statuses it was given, in turn, then 200.
#[derive(Clone)]
struct Receiver {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(statuses: &[u16]) -> Self {
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let script: Arc<Mutex<Vec<u16>>> =
            Arc::new(Mutex::new(statuses.iter().rev().copied().collect()));
        let log = received.clone();
        let handler = move |headers: HeaderMap, body: String| {
            let log = log.clone();
            let script = script.clone();
            async move {
                log.lock().expect("log").push(Received { headers, body });
                let status = script.lock().expect("script").pop().unwrap_or(200);
                AxumStatus::from_u16(status).expect("a status")
            }
        };
        let router = axum::Router::new().route("/hook", axum::routing::post(handler));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            url: format!("http://{address}/hook"),
            received,
        }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().expect("log").clone()
    }
}

/// The app with private addresses allowed, as a self-hosted setup with a local receiver.
async fn app_allowing_private() -> TestApp {
    TestApp::spawn_with(HttpConfig {
        webhooks: allowing_private(),
        ..HttpConfig::default()
    })
    .await
}

fn allowing_private() -> WebhookSettings {
    WebhookSettings {
        allow_private: true,
        secret_key: None,
    }
}

fn dispatcher(retry: Retry) -> Dispatcher {
    Dispatcher::new(allowing_private())
        .expect("a dispatcher")
        .with_retry(retry)
}

/// Subscribes `url` to `events` and returns the subscription's id and secret.
async fn subscribe(
    app: &TestApp,
    company: &TestCompany,
    url: &str,
    events: Value,
) -> (i64, String) {
    let reply = app
        .post(
            "/api/v1/webhooks",
            &company.owner.token,
            json!({"url": url, "events": events, "description": "Payroll"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let secret = reply.body["secret"].as_str().expect("secret").to_owned();
    (reply.body["id"].as_i64().expect("id"), secret)
}

/// Checks `Rota-Signature` the way a receiver would, with HMAC-SHA256 computed here.
fn signature_verifies(secret: &str, received: &Received) -> bool {
    let header = received.headers["rota-signature"].to_str().expect("ascii");
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", t)) => timestamp = Some(t.to_owned()),
            Some(("v1", v)) => signature = Some(v.to_owned()),
            _ => {}
        }
    }
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("a key");
    mac.update(format!("{timestamp}.{}", received.body).as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let age = rota_core::db::now() - timestamp.parse::<i64>().expect("a time");
    expected == signature && (0..300).contains(&age)
}

async fn deliveries(app: &TestApp, company: &TestCompany, id: i64) -> Vec<Value> {
    let reply = app
        .get(
            &format!("/api/v1/webhooks/{id}/deliveries"),
            &company.owner.token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["data"].as_array().expect("data").clone()
}

#[tokio::test]
async fn a_delivery_is_signed_so_that_an_independent_hmac_verifies_it() {
    let app = app_allowing_private().await;
    let company = app.company("Signed Co").await;
    let receiver = Receiver::start(&[]).await;
    let (id, secret) = subscribe(&app, &company, &receiver.url, json!(["user.created"])).await;
    assert!(secret.starts_with("rota_whsec_"), "{secret}");
    let shown = app
        .get(&format!("/api/v1/webhooks/{id}"), &company.owner.token)
        .await;
    assert!(
        shown.body.get("secret").is_none(),
        "a read never shows the secret"
    );
    assert!(
        !app.get("/api/v1/webhooks", &company.owner.token)
            .await
            .body
            .to_string()
            .contains(&secret)
    );

    let created = app
        .post(
            "/api/v1/users",
            &company.owner.token,
            json!({"email": "new@signed.test", "first_name": "Nia", "last_name": "New", "password": crate::common::PASSWORD}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let sent = deliver_due(&app.db, &dispatcher(Retry::default()))
        .await
        .expect("a pass");
    assert_eq!(sent, 1);

    let received = receiver.received();
    assert_eq!(received.len(), 1);
    let delivery = &received[0];
    assert!(
        signature_verifies(&secret, delivery),
        "{:?}",
        delivery.headers
    );
    assert!(!signature_verifies("rota_whsec_another", delivery));
    assert_eq!(delivery.headers["rota-event"], "user.created");
    assert_eq!(delivery.headers["content-type"], "application/json");
    let body: Value = serde_json::from_str(&delivery.body).expect("JSON");
    assert_eq!(body["event"], "user.created");
    assert_eq!(body["company_id"], company.id);
    assert!(body["id"].as_str().expect("event id").starts_with("evt_"));
    assert_eq!(body["data"]["id"], created.body["id"]);
    assert_eq!(body["data"]["email"], "new@signed.test");
    assert!(body["data"].get("password_hash").is_none());

    let log = deliveries(&app, &company, id).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["status"], "delivered");
    assert_eq!(log[0]["event_id"], body["id"]);
    assert_eq!(
        delivery.headers["rota-delivery"].to_str().expect("id"),
        log[0]["id"].to_string()
    );
    assert_eq!(log[0]["attempts"][0]["status_code"], 200);
    // Nothing more is owed: a second pass sends nothing.
    assert_eq!(
        deliver_due(&app.db, &dispatcher(Retry::default()))
            .await
            .expect("a pass"),
        0
    );
    assert_eq!(receiver.received().len(), 1);
}

/// Makes every pending delivery due now, as if its back-off had passed.
async fn fast_forward(app: &TestApp) {
    sqlx::query("UPDATE webhook_deliveries SET next_attempt_at = 0 WHERE delivered_at IS NULL AND failed_at IS NULL")
        .execute(app.db.pool())
        .await
        .expect("fast forward");
}

#[tokio::test]
async fn a_receiver_that_fails_gets_retries_with_back_off_until_it_answers() {
    let app = app_allowing_private().await;
    let company = app.company("Retry Co").await;
    let receiver = Receiver::start(&[500, 503]).await;
    let (id, secret) = subscribe(&app, &company, &receiver.url, json!(["*"])).await;
    let retry = Retry {
        max_attempts: 5,
        first_delay: Duration::from_secs(60),
        longest_delay: Duration::from_secs(3600),
    };
    app.post(
        &format!("/api/v1/webhooks/{id}/test"),
        &company.owner.token,
        json!({}),
    )
    .await;

    assert_eq!(
        deliver_due(&app.db, &dispatcher(retry))
            .await
            .expect("pass"),
        0
    );
    let log = deliveries(&app, &company, id).await;
    assert_eq!(log[0]["status"], "pending");
    let next: jiff::Timestamp = log[0]["next_attempt_at"]
        .as_str()
        .expect("next")
        .parse()
        .expect("time");
    let wait = next.as_second() - rota_core::db::now();
    assert!(
        (55..=60).contains(&wait),
        "the first retry waits a minute, not {wait}s"
    );
    // Until the back-off has passed, nothing is sent again.
    assert_eq!(
        deliver_due(&app.db, &dispatcher(retry))
            .await
            .expect("pass"),
        0
    );
    assert_eq!(receiver.received().len(), 1);

    fast_forward(&app).await;
    assert_eq!(
        deliver_due(&app.db, &dispatcher(retry))
            .await
            .expect("pass"),
        0
    );
    let log = deliveries(&app, &company, id).await;
    let next: jiff::Timestamp = log[0]["next_attempt_at"]
        .as_str()
        .expect("next")
        .parse()
        .expect("time");
    let wait = next.as_second() - rota_core::db::now();
    assert!(
        (115..=120).contains(&wait),
        "the second retry waits twice as long, not {wait}s"
    );

    fast_forward(&app).await;
    assert_eq!(
        deliver_due(&app.db, &dispatcher(retry))
            .await
            .expect("pass"),
        1
    );
    let received = receiver.received();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|r| signature_verifies(&secret, r)));
    assert!(
        received.iter().all(|r| r.body == received[0].body),
        "every attempt sends the same body"
    );
    let log = deliveries(&app, &company, id).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["status"], "delivered");
    assert_eq!(log[0]["event"], "ping");
    let codes: Vec<&Value> = log[0]["attempts"]
        .as_array()
        .expect("attempts")
        .iter()
        .map(|a| &a["status_code"])
        .collect();
    assert_eq!(codes, [&json!(500), &json!(503), &json!(200)]);
    assert!(
        log[0]["attempts"][0]["error"]
            .as_str()
            .expect("error")
            .contains("500")
    );
}

#[tokio::test]
async fn a_receiver_that_keeps_failing_is_given_up_after_the_last_attempt() {
    let app = app_allowing_private().await;
    let company = app.company("Given Up Co").await;
    let receiver = Receiver::start(&[500, 500, 500]).await;
    let (id, _) = subscribe(&app, &company, &receiver.url, json!(["*"])).await;
    let retry = Retry {
        max_attempts: 2,
        first_delay: Duration::from_secs(60),
        longest_delay: Duration::from_secs(60),
    };
    app.post(
        &format!("/api/v1/webhooks/{id}/test"),
        &company.owner.token,
        json!({}),
    )
    .await;
    deliver_due(&app.db, &dispatcher(retry))
        .await
        .expect("pass");
    fast_forward(&app).await;
    deliver_due(&app.db, &dispatcher(retry))
        .await
        .expect("pass");
    fast_forward(&app).await;
    deliver_due(&app.db, &dispatcher(retry))
        .await
        .expect("pass");
    assert_eq!(receiver.received().len(), 2);
    let log = deliveries(&app, &company, id).await;
    assert_eq!(log[0]["status"], "failed");
    assert_eq!(log[0]["attempts"].as_array().expect("attempts").len(), 2);
    assert!(log[0]["next_attempt_at"].is_null());
}

#[tokio::test]
async fn an_event_from_a_rolled_back_change_is_never_delivered() {
    let app = app_allowing_private().await;
    let company = app.company("Rollback Co").await;
    let receiver = Receiver::start(&[]).await;
    let (id, _) = subscribe(&app, &company, &receiver.url, json!(["*"])).await;

    let mut tx = app.db.begin_write().await.expect("tx");
    rota_core::webhooks::emit(&mut tx, company.id, Event::UserUpdated, json!({"id": 1}))
        .await
        .expect("emit");
    tx.rollback().await.expect("rollback");
    // A write the API refuses (a duplicate e-mail) owes nothing either.
    let duplicate = app
        .post(
            "/api/v1/users",
            &company.owner.token,
            json!({"email": company.owner.email, "first_name": "Dup", "last_name": "Licate"}),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(
        deliver_due(&app.db, &dispatcher(Retry::default()))
            .await
            .expect("pass"),
        0
    );
    assert!(receiver.received().is_empty());
    assert!(deliveries(&app, &company, id).await.is_empty());

    let mut tx = app.db.begin_write().await.expect("tx");
    rota_core::webhooks::emit(&mut tx, company.id, Event::UserUpdated, json!({"id": 1}))
        .await
        .expect("emit");
    tx.commit().await.expect("commit");
    assert_eq!(
        deliver_due(&app.db, &dispatcher(Retry::default()))
            .await
            .expect("pass"),
        1
    );
}

#[tokio::test]
async fn leave_events_reach_the_subscriptions_that_want_them() {
    let app = app_allowing_private().await;
    let company = app.company("Leave Hooks Co").await;
    let approver = app
        .member(&company, "approver", json!({"user_type_id": 200}))
        .await;
    let staff = app
        .member(
            &company,
            "staff",
            json!({"approver_id": approver.id, "approver_role": "approver_both"}),
        )
        .await;
    let leave = Receiver::start(&[]).await;
    let people = Receiver::start(&[]).await;
    subscribe(
        &app,
        &company,
        &leave.url,
        json!([
            "leave.requested",
            "leave.approved",
            "leave.declined",
            "leave.cancelled"
        ]),
    )
    .await;
    subscribe(
        &app,
        &company,
        &people.url,
        json!(["user.updated", "user.archived", "user.restored"]),
    )
    .await;
    let types = app
        .get("/api/v1/leave-types", &company.owner.token)
        .await
        .body;
    let holiday = types["data"]
        .as_array()
        .expect("types")
        .iter()
        .find(|t| t["code"] == "H")
        .and_then(|t| t["id"].as_i64())
        .expect("holiday");
    let request = |date: &'static str| {
        let app = &app;
        let token = staff.token.clone();
        async move {
            let reply = app
                .post("/api/v1/leave-requests", &token, json!({"leave_type_id": holiday, "start_date": date, "end_date": date, "note": "Private"}))
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
            reply.body["id"].as_i64().expect("id")
        }
    };
    let first = request("2027-03-02").await;
    let second = request("2027-03-03").await;
    let path = |id: i64, action: &str| format!("/api/v1/leave-requests/{id}/{action}");
    assert_eq!(
        app.post(&path(first, "approve"), &approver.token, json!({}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.post(
            &path(second, "decline"),
            &approver.token,
            json!({"reason": "Busy"})
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        app.post(&path(first, "cancel"), &staff.token, json!({}))
            .await
            .status,
        StatusCode::OK
    );
    let renamed = app
        .patch(
            &format!("/api/v1/users/{}", staff.id),
            &company.owner.token,
            json!({"job_title": "Analyst"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    let archived = app
        .delete(&format!("/api/v1/users/{}", staff.id), &company.owner.token)
        .await;
    assert_eq!(archived.status, StatusCode::OK);
    let restored = app
        .post(
            &format!("/api/v1/users/{}/restore", staff.id),
            &company.owner.token,
            json!({}),
        )
        .await;
    assert_eq!(restored.status, StatusCode::OK, "{:?}", restored.body);
    deliver_due(&app.db, &dispatcher(Retry::default()))
        .await
        .expect("pass");

    let events = |receiver: &Receiver| -> Vec<(String, Value)> {
        receiver
            .received()
            .iter()
            .map(|r| {
                let body: Value = serde_json::from_str(&r.body).expect("JSON");
                (
                    body["event"].as_str().expect("event").to_owned(),
                    body["data"].clone(),
                )
            })
            .collect()
    };
    let leave_events = events(&leave);
    let names: Vec<&str> = leave_events.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "leave.requested",
            "leave.requested",
            "leave.approved",
            "leave.declined",
            "leave.cancelled"
        ]
    );
    assert_eq!(leave_events[2].1["id"], first);
    assert_eq!(leave_events[2].1["status"], "approved");
    assert_eq!(leave_events[3].1["status"], "declined");
    assert!(
        leave_events.iter().all(|(_, data)| data["note"].is_null()),
        "a note stays private"
    );
    let people_events = events(&people);
    let names: Vec<&str> = people_events
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(names, ["user.updated", "user.archived", "user.restored"]);
    assert_eq!(people_events[0].1["job_title"], "Analyst");
    assert_eq!(people_events[1].1["status"], "archived");
    assert_eq!(people_events[2].1["status"], "active");
}

#[tokio::test]
async fn two_workers_on_one_database_deliver_each_event_once() {
    let app = app_allowing_private().await;
    let company = app.company("Busy Co").await;
    let receiver = Receiver::start(&[]).await;
    let (id, _) = subscribe(&app, &company, &receiver.url, json!(["*"])).await;
    for _ in 0..20 {
        let reply = app
            .post(
                &format!("/api/v1/webhooks/{id}/test"),
                &company.owner.token,
                json!({}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::ACCEPTED);
    }
    let (one, two) = (dispatcher(Retry::default()), dispatcher(Retry::default()));
    let (a, b) = tokio::join!(deliver_due(&app.db, &one), deliver_due(&app.db, &two));
    assert_eq!(a.expect("first worker") + b.expect("second worker"), 20);
    let received = receiver.received();
    assert_eq!(received.len(), 20, "each delivery is sent once");
    let mut ids: Vec<String> = received
        .iter()
        .map(|r| r.headers["rota-delivery"].to_str().expect("id").to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 20);
}

#[tokio::test]
async fn internal_addresses_are_refused_unless_the_server_allows_them() {
    let app = TestApp::spawn().await;
    let company = app.company("Fenced Co").await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.0.0.8/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:192.168.0.1]/hook",
        "http://2130706433/hook",
    ] {
        let reply = app
            .post(
                "/api/v1/webhooks",
                &company.owner.token,
                json!({"url": url, "events": ["*"]}),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{url}: {:?}",
            reply.body
        );
        assert_eq!(reply.code(), "webhook_url_not_allowed", "{url}");
        assert_eq!(reply.field(), Some("url"));
    }
    let (id, _) = subscribe(&app, &company, "https://203.0.113.10/rota", json!(["*"])).await;
    let moved = app
        .patch(
            &format!("/api/v1/webhooks/{id}"),
            &company.owner.token,
            json!({"url": "http://127.0.0.1/"}),
        )
        .await;
    assert_eq!(moved.code(), "webhook_url_not_allowed");
    assert_eq!(
        app.get(&format!("/api/v1/webhooks/{id}"), &company.owner.token)
            .await
            .body["url"],
        "https://203.0.113.10/rota"
    );

    // Checked again at send time: a subscription saved while private addresses were
    // allowed is not called by a server that no longer allows them.
    let open = app_allowing_private().await;
    let company = open.company("Open Co").await;
    let receiver = Receiver::start(&[]).await;
    let (id, _) = subscribe(&open, &company, &receiver.url, json!(["*"])).await;
    let named = receiver.url.replace("127.0.0.1", "localhost");
    let (by_name, _) = subscribe(&open, &company, &named, json!(["*"])).await;
    open.post(
        &format!("/api/v1/webhooks/{id}/test"),
        &company.owner.token,
        json!({}),
    )
    .await;
    open.post(
        &format!("/api/v1/webhooks/{by_name}/test"),
        &company.owner.token,
        json!({}),
    )
    .await;
    let fenced = Dispatcher::new(WebhookSettings::default()).expect("a dispatcher");
    assert_eq!(deliver_due(&open.db, &fenced).await.expect("pass"), 0);
    assert!(receiver.received().is_empty());
    for subscription in [id, by_name] {
        let log = deliveries(&open, &company, subscription).await;
        let error = log[0]["attempts"][0]["error"]
            .as_str()
            .expect("an error")
            .to_owned();
        assert!(error.contains("public address"), "{error}");
    }
}

#[tokio::test]
async fn bad_input_is_refused_with_the_field_at_fault() {
    let app = TestApp::spawn().await;
    let company = app.company("Careful Co").await;
    let cases = [
        (json!({"url": "not a url", "events": ["*"]}), "url"),
        (
            json!({"url": "ftp://203.0.113.10/", "events": ["*"]}),
            "url",
        ),
        (
            json!({"url": "https://user:pw@203.0.113.10/", "events": ["*"]}),
            "url",
        ),
        (
            json!({"url": "https://203.0.113.10/", "events": ["leave.eaten"]}),
            "events",
        ),
        (
            json!({"url": "https://203.0.113.10/", "events": []}),
            "events",
        ),
        (
            json!({"url": "https://203.0.113.10/", "events": ["ping"]}),
            "events",
        ),
    ];
    for (body, field) in cases {
        let reply = app
            .post("/api/v1/webhooks", &company.owner.token, body.clone())
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            reply.body
        );
        assert_eq!(reply.field(), Some(field), "{body}");
    }
    let unknown = app
        .post(
            "/api/v1/webhooks",
            &company.owner.token,
            json!({"url": "https://203.0.113.10/", "events": ["*"], "secret": "mine"}),
        )
        .await;
    assert!(
        unknown.status.is_client_error() && unknown.status != StatusCode::CREATED,
        "{:?}",
        unknown.body
    );
    assert!(
        app.get("/api/v1/webhooks", &company.owner.token).await.body["data"]
            .as_array()
            .expect("list")
            .is_empty()
    );
}

#[tokio::test]
async fn every_webhook_write_is_audited_and_never_with_its_secret() {
    let app = app_allowing_private().await;
    let company = app.company("Audited Co").await;
    let receiver = Receiver::start(&[]).await;
    let (id, first_secret) = subscribe(&app, &company, &receiver.url, json!(["*"])).await;
    let owner = &company.owner.token;
    let patched = app
        .patch(
            &format!("/api/v1/webhooks/{id}"),
            owner,
            json!({"events": ["user.created"], "enabled": false}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
    assert_eq!(patched.body["events"], json!(["user.created"]));
    assert_eq!(patched.body["enabled"], false);
    // A disabled subscription is owed nothing, and cannot be pinged.
    let pinged = app
        .post(&format!("/api/v1/webhooks/{id}/test"), owner, json!({}))
        .await;
    assert_eq!(pinged.status, StatusCode::CONFLICT);
    app.patch(
        &format!("/api/v1/webhooks/{id}"),
        owner,
        json!({"enabled": true}),
    )
    .await;
    let rotated = app
        .post(
            &format!("/api/v1/webhooks/{id}/rotate-secret"),
            owner,
            json!({}),
        )
        .await;
    assert_eq!(rotated.status, StatusCode::OK);
    let second_secret = rotated.body["secret"].as_str().expect("secret").to_owned();
    assert_ne!(second_secret, first_secret);
    let pinged = app
        .post(&format!("/api/v1/webhooks/{id}/test"), owner, json!({}))
        .await;
    assert_eq!(pinged.status, StatusCode::ACCEPTED, "{:?}", pinged.body);
    deliver_due(&app.db, &dispatcher(Retry::default()))
        .await
        .expect("pass");
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    assert!(
        signature_verifies(&second_secret, &received[0]),
        "signed with the new secret"
    );
    assert!(!signature_verifies(&first_secret, &received[0]));
    assert_eq!(
        app.delete(&format!("/api/v1/webhooks/{id}"), owner)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/api/v1/webhooks/{id}"), owner)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let audit = app.get("/api/v1/audit?limit=200", owner).await;
    let text = audit.body.to_string();
    assert!(
        !text.contains(&first_secret) && !text.contains(&second_secret),
        "no secret in the audit log"
    );
    let mut actions: Vec<&str> = audit.body["data"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["target_type"] == "webhook" && e["target_id"] == id)
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    actions.reverse();
    assert_eq!(
        actions,
        [
            "webhook.created",
            "webhook.updated",
            "webhook.updated",
            "webhook.secret_rotated",
            "webhook.pinged",
            "webhook.deleted"
        ]
    );
}

#[tokio::test]
async fn api_credentials_cannot_manage_webhooks() {
    let app = TestApp::spawn().await;
    let company = app.company("Keyed Co").await;
    let owner = &company.owner.token;
    app.post("/api/v1/api-access/enable", owner, json!({}))
        .await;
    let key = app
        .post("/api/v1/api-keys", owner, json!({"name": "Everything", "scopes": ["people:write", "leave:write", "reports:read"]}))
        .await;
    let key = key.body["api_key"].as_str().expect("key").to_owned();
    assert_eq!(
        app.get("/api/v1/webhooks", &key).await.status,
        StatusCode::FORBIDDEN
    );
    let reply = app
        .post(
            "/api/v1/webhooks",
            &key,
            json!({"url": "https://203.0.113.10/", "events": ["*"]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn with_a_configured_key_secrets_are_sealed_at_rest_and_still_sign() {
    let key = SecretKey::random();
    let sealing = WebhookSettings {
        allow_private: true,
        secret_key: Some(key),
    };
    let app = TestApp::spawn_with(HttpConfig {
        webhooks: sealing.clone(),
        ..HttpConfig::default()
    })
    .await;
    let company = app.company("Sealed Co").await;
    let receiver = Receiver::start(&[]).await;
    let (id, secret) = subscribe(&app, &company, &receiver.url, json!(["*"])).await;
    let stored: String =
        sqlx::query_scalar("SELECT secret FROM webhook_subscriptions WHERE id = $1")
            .bind(id)
            .fetch_one(app.db.pool())
            .await
            .expect("the stored secret");
    assert!(rota_core::sealing::is_sealed(&stored), "{stored}");
    assert!(!stored.contains(secret.trim_start_matches("rota_whsec_")));

    app.post(
        &format!("/api/v1/webhooks/{id}/test"),
        &company.owner.token,
        json!({}),
    )
    .await;
    // A worker without the key cannot sign, says why, and tries again later.
    let keyless = dispatcher(Retry::default());
    assert_eq!(deliver_due(&app.db, &keyless).await.expect("pass"), 0);
    assert!(receiver.received().is_empty());
    let log = deliveries(&app, &company, id).await;
    let error = log[0]["attempts"][0]["error"].as_str().expect("error");
    assert!(error.contains("ROTA_SECRET_KEY"), "{error}");
    assert_eq!(log[0]["status"], "pending");

    fast_forward(&app).await;
    let keyed = Dispatcher::new(sealing).expect("a dispatcher");
    assert_eq!(deliver_due(&app.db, &keyed).await.expect("pass"), 1);
    let received = receiver.received();
    assert!(signature_verifies(&secret, &received[0]));
}
