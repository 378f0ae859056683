//! E-mail: leave changes queue their messages in the outbox in the same transaction, and
//! the worker delivers them to a real SMTP server, the sink `scripts/test` starts
//! (`ROTA_TEST_SMTP_URL`), which writes each message it accepts to `ROTA_TEST_MAILDIR`.
//! Tests that need the sink say so and return when it is not there.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::StatusCode;
use rota_core::db::now;
use rota_core::mail::worker::{self, Mailer};
use rota_core::retry::Retry;
use serde_json::{Value, json};

use crate::common::{Member, TestApp, TestCompany};

const FROM: &str = "Rota <rota@rota.test>";

/// The SMTP server of the test run and the folder its messages land in.
pub struct Sink {
    pub mailer: Mailer,
    folder: PathBuf,
}

impl Sink {
    /// The sink, or `None` (and a line saying the test is skipped) when none was started.
    pub fn find(test: &str) -> Option<Self> {
        match (
            std::env::var("ROTA_TEST_SMTP_URL"),
            std::env::var("ROTA_TEST_MAILDIR"),
        ) {
            (Ok(url), Ok(folder)) => Some(Self {
                mailer: Mailer::new(&url, FROM).expect("ROTA_TEST_SMTP_URL is an smtp:// URL"),
                folder: folder.into(),
            }),
            _ => {
                // Straight to stderr, past the test harness's capture, so the skip is seen.
                let _ = writeln!(
                    std::io::stderr(),
                    "skipping {test}: ROTA_TEST_SMTP_URL and ROTA_TEST_MAILDIR are not set (scripts/test starts an SMTP sink)"
                );
                None
            }
        }
    }

    /// Every message the sink accepted for `address`, oldest first.
    pub fn messages_to(&self, address: &str) -> Vec<Value> {
        let mut found: Vec<(std::time::SystemTime, Value)> = Vec::new();
        let entries = std::fs::read_dir(&self.folder).expect("the sink's folder");
        for entry in entries {
            let path = entry.expect("a folder entry").path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a message record");
            let message: Value = serde_json::from_str(&text).expect("JSON");
            let to_address = message["rcpt_tos"]
                .as_array()
                .expect("recipients")
                .iter()
                .any(|r| r == address);
            if to_address {
                let modified = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .expect("a time");
                found.push((modified, message));
            }
        }
        found.sort_by_key(|(modified, _)| *modified);
        found.into_iter().map(|(_, message)| message).collect()
    }
}

/// A mailer whose server refuses every connection: a loopback port nobody listens on.
async fn unreachable(retry: Retry) -> Mailer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    Mailer::new(&format!("smtp://127.0.0.1:{port}"), FROM)
        .expect("a mailer")
        .with_retry(retry)
}

/// A company of its own, so that addresses never repeat across tests, runs and engines.
struct Office {
    company: TestCompany,
    approver: Member,
    staff: Member,
    holiday: i64,
}

async fn office(app: &TestApp) -> Office {
    let company = app
        .company(&format!("Mail {:08x}", rand::random::<u32>()))
        .await;
    let approver = app
        .member(&company, "approver", json!({"user_type_id": 200}))
        .await;
    let staff = app
        .member(
            &company,
            "staff",
            json!({"approver_id": approver.id, "approver_role": "approver_both", "email_type": "text"}),
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
        .expect("the holiday type");
    Office {
        company,
        approver,
        staff,
        holiday,
    }
}

async fn request(app: &TestApp, o: &Office, date: &str) -> i64 {
    let reply = app
        .post(
            "/api/v1/leave-requests",
            &o.staff.token,
            json!({"leave_type_id": o.holiday, "start_date": date, "end_date": date, "note": "Dentist"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_i64().expect("id")
}

/// One outbox row, as the tests look at it.
#[derive(Debug, PartialEq, sqlx::FromRow)]
struct Queued {
    recipient_address: String,
    subject: String,
    attempts: i64,
    sent_at: Option<i64>,
    failed_at: Option<i64>,
}

/// The company's outbox, oldest first.
async fn outbox(app: &TestApp, company_id: i64) -> Vec<Queued> {
    sqlx::query_as(
        "SELECT recipient_address, subject, attempts, sent_at, failed_at FROM outbox WHERE company_id = $1 ORDER BY id",
    )
    .bind(company_id)
    .fetch_all(app.db.pool())
    .await
    .expect("the outbox")
}

#[tokio::test]
async fn the_approver_is_asked_in_html_and_the_requester_hears_the_decision_in_text() {
    let Some(sink) =
        Sink::find("the_approver_is_asked_in_html_and_the_requester_hears_the_decision_in_text")
    else {
        return;
    };
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let id = request(&app, &o, "2026-03-02").await;
    assert_eq!(
        worker::deliver_due(&app.db, &sink.mailer)
            .await
            .expect("a pass"),
        1
    );

    let asked = sink.messages_to(&o.approver.email);
    assert_eq!(asked.len(), 1, "{asked:?}");
    let subject = asked[0]["subject"].as_str().expect("subject");
    assert!(
        subject.ends_with("Please decide: Holiday for staff Tester, Mon 2 Mar 2026"),
        "{subject}"
    );
    assert_eq!(asked[0]["content_type"], "multipart/alternative");
    assert_eq!(asked[0]["from"], FROM);
    assert!(
        asked[0]["message_id"]
            .as_str()
            .is_some_and(|id| id.ends_with(".outbox@rota.test>")),
        "{:?}",
        asked[0]["message_id"]
    );
    let text = asked[0]["text"].as_str().expect("a text part");
    assert!(
        text.starts_with("Hello approver,\n\nstaff Tester has asked for Holiday."),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Approve or decline it in Rota: {}/approvals\n",
            rota_core::mail::worker::DEFAULT_SITE
        )),
        "a link to the page where they decide: {text}"
    );
    assert!(
        text.contains("Note:   Dentist"),
        "approvers see notes: {text}"
    );
    let html = asked[0]["html"].as_str().expect("an HTML part");
    assert!(html.contains("<td>Mon 2 Mar 2026</td>"), "{html}");
    assert!(
        sink.messages_to(&o.staff.email).is_empty(),
        "submitting tells the requester nothing"
    );

    let approved = app
        .post(
            &format!("/api/v1/leave-requests/{id}/approve"),
            &o.approver.token,
            json!({"reason": "Get well"}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    assert_eq!(
        worker::deliver_due(&app.db, &sink.mailer)
            .await
            .expect("a pass"),
        1
    );
    let told = sink.messages_to(&o.staff.email);
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0]["subject"]
            .as_str()
            .is_some_and(|s| s.ends_with("Approved: your Holiday, Mon 2 Mar 2026")),
        "{:?}",
        told[0]["subject"]
    );
    assert_eq!(told[0]["content_type"], "text/plain", "staff chose text");
    assert_eq!(told[0]["html"], Value::Null);
    let text = told[0]["text"].as_str().expect("text");
    assert!(text.contains("Your Holiday has been approved."), "{text}");
    assert!(text.contains("Reason: Get well"), "{text}");
    assert_eq!(
        sink.messages_to(&o.approver.email).len(),
        1,
        "the approver knows already"
    );
    assert!(
        outbox(&app, o.company.id)
            .await
            .iter()
            .all(|row| row.sent_at.is_some() && row.attempts == 1),
        "every row sent at the first attempt"
    );
}

#[tokio::test]
async fn notifiers_in_scope_are_told_and_super_users_decide_when_nobody_approves() {
    let Some(sink) =
        Sink::find("notifiers_in_scope_are_told_and_super_users_decide_when_nobody_approves")
    else {
        return;
    };
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let leave_notifier = app.member(&o.company, "leave-notifier", json!({})).await;
    let overtime_notifier = app.member(&o.company, "overtime-notifier", json!({})).await;
    let patched = app
        .patch(
            &format!("/api/v1/users/{}", o.staff.id),
            &o.company.owner.token,
            json!({"approver_role": "approver_overtime",
                   "notifier_2_id": leave_notifier.id, "notifier_2_role": "notifier_leave",
                   "notifier_3_id": overtime_notifier.id, "notifier_3_role": "notifier_overtime"}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
    let id = request(&app, &o, "2026-03-03").await;
    assert_eq!(
        worker::deliver_due(&app.db, &sink.mailer)
            .await
            .expect("a pass"),
        2
    );
    let owner = sink.messages_to(&o.company.owner.email);
    assert_eq!(
        owner.len(),
        1,
        "nobody approves the staff's leave, so the owner is asked"
    );
    assert!(
        owner[0]["subject"]
            .as_str()
            .is_some_and(|s| s.contains("Please decide"))
    );
    let informed = sink.messages_to(&leave_notifier.email);
    assert_eq!(informed.len(), 1);
    assert!(
        informed[0]["subject"]
            .as_str()
            .is_some_and(|s| s.contains("For your information: Holiday for staff Tester requested")),
        "{:?}",
        informed[0]["subject"]
    );
    assert!(
        sink.messages_to(&overtime_notifier.email).is_empty(),
        "leave is outside their scope"
    );
    assert!(
        sink.messages_to(&o.approver.email).is_empty(),
        "they approve overtime only"
    );

    let cancelled = app
        .post(
            &format!("/api/v1/leave-requests/{id}/cancel"),
            &o.staff.token,
            json!({"reason": "Feeling better"}),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{:?}", cancelled.body);
    assert_eq!(
        worker::deliver_due(&app.db, &sink.mailer)
            .await
            .expect("a pass"),
        2
    );
    assert_eq!(
        sink.messages_to(&o.staff.email).len(),
        1,
        "the requester hears of it"
    );
    let informed = sink.messages_to(&leave_notifier.email);
    assert_eq!(informed.len(), 2, "{informed:?}");
    assert!(
        informed.iter().any(|m| m["subject"]
            .as_str()
            .is_some_and(|s| s.contains("Holiday for staff Tester cancelled"))),
        "{informed:?}"
    );
}

#[tokio::test]
async fn a_user_whose_email_type_is_none_gets_nothing() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let set = app
        .patch(
            &format!("/api/v1/users/{}", o.staff.id),
            &o.company.owner.token,
            json!({"email_type": "none"}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
    let id = request(&app, &o, "2026-03-04").await;
    let declined = app
        .post(
            &format!("/api/v1/leave-requests/{id}/decline"),
            &o.approver.token,
            json!({"reason": "Audit week"}),
        )
        .await;
    assert_eq!(declined.status, StatusCode::OK, "{:?}", declined.body);
    let rows = outbox(&app, o.company.id).await;
    let recipients: Vec<&str> = rows.iter().map(|r| r.recipient_address.as_str()).collect();
    assert_eq!(
        recipients,
        [o.approver.email.as_str()],
        "only the approver's request mail"
    );
}

#[tokio::test]
async fn a_refused_change_queues_nothing() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let id = request(&app, &o, "2026-03-05").await;
    let approve = format!("/api/v1/leave-requests/{id}/approve");
    let approved = app.post(&approve, &o.approver.token, json!({})).await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    let before = outbox(&app, o.company.id).await;
    assert_eq!(before.len(), 2, "asked, then told: {before:?}");

    let again = app.post(&approve, &o.approver.token, json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let decline = app
        .post(
            &format!("/api/v1/leave-requests/{id}/decline"),
            &o.approver.token,
            json!({"reason": "Changed my mind"}),
        )
        .await;
    assert_eq!(decline.status, StatusCode::CONFLICT);
    let overlap = app
        .post(
            "/api/v1/leave-requests",
            &o.staff.token,
            json!({"leave_type_id": o.holiday, "start_date": "2026-03-05", "end_date": "2026-03-06"}),
        )
        .await;
    assert_eq!(overlap.status, StatusCode::CONFLICT);
    assert_eq!(overlap.code(), "overlapping_leave");
    let own = app.post(&approve, &o.staff.token, json!({})).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert_eq!(
        outbox(&app, o.company.id).await,
        before,
        "nothing new was queued"
    );
}

#[tokio::test]
async fn an_unreachable_server_leaves_mail_queued_and_a_later_pass_delivers_it() {
    let Some(sink) =
        Sink::find("an_unreachable_server_leaves_mail_queued_and_a_later_pass_delivers_it")
    else {
        return;
    };
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    request(&app, &o, "2026-03-09").await;
    let down = unreachable(Retry::default()).await;
    assert_eq!(
        worker::deliver_due(&app.db, &down).await.expect("a pass"),
        0
    );
    let (attempts, next, sent, error): (i64, i64, Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT attempts, next_attempt_at, sent_at, last_error FROM outbox WHERE company_id = $1",
    )
    .bind(o.company.id)
    .fetch_one(app.db.pool())
    .await
    .expect("the row");
    assert_eq!((attempts, sent), (1, None));
    assert!(error.is_some_and(|e| e.starts_with("SMTP:")));
    assert!(next >= now() + 50, "the next attempt waits about a minute");
    assert_eq!(
        worker::deliver_due(&app.db, &sink.mailer)
            .await
            .expect("a pass"),
        0,
        "not due yet, even with the server back"
    );
    assert!(sink.messages_to(&o.approver.email).is_empty());

    // The minute passes.
    sqlx::query("UPDATE outbox SET next_attempt_at = $1 WHERE company_id = $2")
        .bind(now())
        .bind(o.company.id)
        .execute(app.db.pool())
        .await
        .expect("time passes");
    assert_eq!(
        worker::deliver_due(&app.db, &sink.mailer)
            .await
            .expect("a pass"),
        1
    );
    assert_eq!(sink.messages_to(&o.approver.email).len(), 1);
    let rows = outbox(&app, o.company.id).await;
    assert_eq!(
        (rows[0].attempts, rows[0].sent_at.is_some()),
        (2, true),
        "sent at the second attempt"
    );
}

#[tokio::test]
async fn mail_is_given_up_after_its_last_attempt_and_kept() {
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    request(&app, &o, "2026-03-10").await;
    let down = unreachable(Retry {
        max_attempts: 2,
        first_delay: Duration::ZERO,
        longest_delay: Duration::ZERO,
    })
    .await;
    for _ in 0..3 {
        assert_eq!(
            worker::deliver_due(&app.db, &down).await.expect("a pass"),
            0
        );
    }
    let rows = outbox(&app, o.company.id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (
            rows[0].attempts,
            rows[0].sent_at.is_some(),
            rows[0].failed_at.is_some()
        ),
        (2, false, true),
        "two attempts, then given up; the third pass left it alone"
    );
}

#[tokio::test]
async fn two_workers_on_one_database_send_each_message_once() {
    let Some(sink) = Sink::find("two_workers_on_one_database_send_each_message_once") else {
        return;
    };
    let app = TestApp::spawn().await;
    let o = office(&app).await;
    let address = format!("crowd-{:08x}@mail.test", rand::random::<u32>());
    let messages: Vec<rota_core::mail::Message> = (0..12)
        .map(|n| rota_core::mail::Message {
            recipient_user_id: None,
            recipient_address: address.clone(),
            subject: format!("Message {n}"),
            text_body: format!("Number {n}"),
            html_body: None,
        })
        .collect();
    let mut tx = app.db.begin_write().await.expect("tx");
    rota_core::mail::enqueue(&mut tx, o.company.id, &messages)
        .await
        .expect("queued");
    tx.commit().await.expect("commit");

    let (first, second) = tokio::join!(
        worker::deliver_due(&app.db, &sink.mailer),
        worker::deliver_due(&app.db, &sink.mailer)
    );
    let sent = first.expect("a pass") + second.expect("a pass");
    assert_eq!(sent, 12);
    let mut subjects: Vec<String> = sink
        .messages_to(&address)
        .iter()
        .filter_map(|m| m["subject"].as_str().map(str::to_owned))
        .collect();
    subjects.sort();
    subjects.dedup();
    assert_eq!(sink.messages_to(&address).len(), 12, "none twice");
    assert_eq!(subjects.len(), 12, "none missing");
}
