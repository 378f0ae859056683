//! Links mailed to set one's own password: the invitation a person created without a
//! password is sent (and sent again), accepted once to set the password and sign in; the
//! reset link asked for by address (the same answer for an address nobody has), used once
//! to set a new password, which ends every session; an expired link refused; and the
//! invitation as the SMTP sink receives it, its link pointing at the server's public URL.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{PASSWORD, Reply, TestApp, TestCompany};
use crate::mail::Sink;

const NEW_PASSWORD: &str = "a brand new password";

/// The token of the last link of `kind` (`invitation`, `reset-password`) queued for
/// `address`, read from the outbox as the mail worker would send it.
pub async fn queued_token(app: &TestApp, address: &str, kind: &str) -> String {
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT text_body FROM outbox WHERE recipient_address = $1 ORDER BY id DESC",
    )
    .bind(address)
    .fetch_all(app.db.pool())
    .await
    .expect("the outbox");
    let marker = format!("{{rota-site}}/{kind}/");
    bodies
        .iter()
        .find_map(|body| token_after(body, &marker))
        .unwrap_or_else(|| panic!("no {kind} link queued for {address}: {bodies:?}"))
}

/// The token that follows `marker` in `text`.
fn token_after(text: &str, marker: &str) -> Option<String> {
    let at = text.find(marker)? + marker.len();
    Some(
        text[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect(),
    )
}

/// Mail queued for `address`.
pub async fn queued_for(app: &TestApp, address: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE recipient_address = $1")
        .bind(address)
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

/// Asks for a reset link for `address` and returns its token, as the message carries it.
pub async fn reset_token(app: &TestApp, address: &str) -> String {
    let asked = anonymous(
        app,
        "/api/v1/auth/password/forgot",
        json!({"email": address}),
    )
    .await;
    assert_eq!(asked.status, StatusCode::ACCEPTED, "{:?}", asked.body);
    queued_token(app, address, "reset-password").await
}

/// Every link of the company past its expiry.
pub async fn expire_links(app: &TestApp, company_id: i64) {
    sqlx::query("UPDATE password_links SET expires_at = $1 WHERE company_id = $2")
        .bind(rota_core::db::now() - 1)
        .bind(company_id)
        .execute(app.db.pool())
        .await
        .expect("expire");
}

async fn anonymous(app: &TestApp, path: &str, body: Value) -> Reply {
    app.call(Method::POST, path, None, Some(body)).await
}

/// A person created without a password, with their id.
async fn invitee(app: &TestApp, company: &TestCompany, handle: &str) -> (i64, String) {
    let email = format!("{handle}-{:08x}@links.test", rand::random::<u32>());
    let created = app
        .post(
            "/api/v1/users",
            &company.owner.token,
            json!({"email": email, "first_name": "Ivy", "last_name": "Invited"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["status"], "pending");
    (created.body["id"].as_i64().expect("id"), email)
}

async fn audited(app: &TestApp, company: &TestCompany, action: &str) -> Vec<Value> {
    let reply = app
        .get(
            &format!("/api/v1/audit?action={action}"),
            &company.owner.token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["data"].as_array().expect("entries").clone()
}

#[tokio::test]
async fn a_person_created_without_a_password_is_invited_and_the_link_works_once() {
    let app = TestApp::spawn().await;
    let company = app.company("Invites Co").await;
    let (id, email) = invitee(&app, &company, "ivy").await;
    let token = queued_token(&app, &email, "invitation").await;
    assert!(token.starts_with("rota_inv_"), "{token}");
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM password_links WHERE token_hash = $1")
            .bind(&token)
            .fetch_one(app.db.pool())
            .await
            .expect("count");
    assert_eq!(stored, 0, "only the token's digest is stored");
    // Pending, nobody can sign in with any password yet.
    let refused = anonymous(
        &app,
        "/api/v1/auth/login",
        json!({"email": email, "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);

    let weak = anonymous(
        &app,
        "/api/v1/auth/invitation/accept",
        json!({"token": token, "password": "short"}),
    )
    .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(weak.code(), "weak_password");
    let accepted = anonymous(
        &app,
        "/api/v1/auth/invitation/accept",
        json!({"token": token, "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(
        accepted.status,
        StatusCode::OK,
        "a weak password spent nothing: {:?}",
        accepted.body
    );
    let session = accepted.body["token"].as_str().expect("a session");
    let me = app.get("/api/v1/auth/me", session).await;
    assert_eq!(me.body["user_id"], id);
    let user = app
        .get(&format!("/api/v1/users/{id}"), &company.owner.token)
        .await;
    assert_eq!(user.body["status"], "active");
    app.login(&email, NEW_PASSWORD).await;

    let again = anonymous(
        &app,
        "/api/v1/auth/invitation/accept",
        json!({"token": token, "password": "another long password"}),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.code(), "link_used");
    assert_eq!(again.field(), Some("token"));
    let resend = app
        .post(
            &format!("/api/v1/users/{id}/invitation"),
            &company.owner.token,
            json!({}),
        )
        .await;
    assert_eq!(resend.status, StatusCode::CONFLICT);
    assert_eq!(resend.code(), "already_has_password");
    assert_eq!(audited(&app, &company, "user.invited").await.len(), 1);
    let accepted = audited(&app, &company, "user.invitation_accepted").await;
    assert_eq!(accepted[0]["actor_user_id"], id);
}

#[tokio::test]
async fn a_new_invitation_replaces_the_last_and_an_expired_one_is_refused() {
    let app = TestApp::spawn().await;
    let company = app.company("Resend Co").await;
    let cast = app.cast(&company).await;
    let (id, email) = invitee(&app, &company, "ned").await;
    let first = queued_token(&app, &email, "invitation").await;
    // Staff may not invite; a super user may, and the old link stops working.
    let staff = app
        .post(
            &format!("/api/v1/users/{id}/invitation"),
            &cast.staff.token,
            json!({}),
        )
        .await;
    assert!(
        matches!(staff.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{:?}",
        staff.status
    );
    let sent = app
        .post(
            &format!("/api/v1/users/{id}/invitation"),
            &cast.super_user.token,
            json!({}),
        )
        .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED, "{:?}", sent.body);
    assert_eq!(sent.body["user_id"], id);
    let second = queued_token(&app, &email, "invitation").await;
    assert_ne!(first, second);
    assert_eq!(queued_for(&app, &email).await, 2);
    let old = anonymous(
        &app,
        "/api/v1/auth/invitation/accept",
        json!({"token": first, "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(old.code(), "invalid_link");
    // Past its expiry, the newer one is refused too, and says why.
    expire_links(&app, company.id).await;
    let expired = anonymous(
        &app,
        "/api/v1/auth/invitation/accept",
        json!({"token": second, "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(expired.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(expired.code(), "link_expired");
    let user = app
        .get(&format!("/api/v1/users/{id}"), &company.owner.token)
        .await;
    assert_eq!(user.body["status"], "pending", "nothing changed");
}

#[tokio::test]
async fn asking_for_a_reset_answers_the_same_whether_the_address_has_an_account_or_not() {
    let app = TestApp::spawn().await;
    let company = app.company("Forgot Co").await;
    let cast = app.cast(&company).await;
    let nobody = format!("nobody-{:08x}@links.test", rand::random::<u32>());
    let unknown = anonymous(
        &app,
        "/api/v1/auth/password/forgot",
        json!({"email": nobody}),
    )
    .await;
    let known = anonymous(
        &app,
        "/api/v1/auth/password/forgot",
        json!({"email": cast.staff.email.to_uppercase()}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.body, unknown.body);
    assert_eq!(queued_for(&app, &nobody).await, 0);
    assert_eq!(queued_for(&app, &cast.staff.email).await, 1);
    let requested = audited(&app, &company, "user.password_reset_requested").await;
    assert_eq!(requested[0]["target_id"], cast.staff.id);
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session() {
    let app = TestApp::spawn().await;
    let company = app.company("Reset Co").await;
    let cast = app.cast(&company).await;
    let other_session = app.login(&cast.staff.email, PASSWORD).await;
    let token = reset_token(&app, &cast.staff.email).await;
    assert!(token.starts_with("rota_pw_"));
    // An invitation's page does not take a reset link.
    let crossed = anonymous(
        &app,
        "/api/v1/auth/invitation/accept",
        json!({"token": token, "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(crossed.code(), "invalid_link");
    let weak = anonymous(
        &app,
        "/api/v1/auth/password/reset",
        json!({"token": token, "password": "short"}),
    )
    .await;
    assert_eq!(weak.code(), "weak_password");
    assert_eq!(weak.field(), Some("password"));
    let reset = anonymous(
        &app,
        "/api/v1/auth/password/reset",
        json!({"token": token, "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{:?}", reset.body);
    for session in [&cast.staff.token, &other_session] {
        assert_eq!(
            app.get("/api/v1/auth/me", session).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let old = anonymous(
        &app,
        "/api/v1/auth/login",
        json!({"email": cast.staff.email, "password": PASSWORD}),
    )
    .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    app.login(&cast.staff.email, NEW_PASSWORD).await;
    let again = anonymous(
        &app,
        "/api/v1/auth/password/reset",
        json!({"token": token, "password": "yet another password"}),
    )
    .await;
    assert_eq!(again.code(), "link_used");
    let audit = audited(&app, &company, "user.password_reset").await;
    assert_eq!(audit[0]["details"]["via"], "link");
}

#[tokio::test]
async fn an_expired_reset_link_is_refused() {
    let app = TestApp::spawn().await;
    let company = app.company("Late Co").await;
    let cast = app.cast(&company).await;
    let token = reset_token(&app, &cast.staff.email).await;
    expire_links(&app, company.id).await;
    let late = anonymous(
        &app,
        "/api/v1/auth/password/reset",
        json!({"token": token, "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(late.code(), "link_expired");
    app.login(&cast.staff.email, PASSWORD).await;
}

#[tokio::test]
async fn the_invitation_arrives_by_smtp_with_a_link_to_the_public_url_that_works_once() {
    let Some(sink) = Sink::find("the_invitation_arrives_by_smtp") else {
        return;
    };
    let app = TestApp::spawn().await;
    let company = app
        .company(&format!("Sink Invites {:08x}", rand::random::<u32>()))
        .await;
    let (_, email) = invitee(&app, &company, "sunny").await;
    let mailer = sink.mailer.clone().with_site("https://rota.example.test/");
    rota_core::mail::worker::deliver_due(&app.db, &mailer)
        .await
        .expect("delivered");
    let messages = sink.messages_to(&email);
    assert_eq!(messages.len(), 1, "{messages:?}");
    let text = messages[0]["text"].as_str().expect("a text part");
    assert!(!text.contains("{rota-site}"), "{text}");
    let token = token_after(text, "https://rota.example.test/invitation/").expect("the link");
    // Sent, the outbox no longer holds the working link, only its subject and a line.
    let kept: Vec<(String, String)> = sqlx::query_as(
        "SELECT subject, text_body FROM outbox WHERE recipient_address = $1 AND sent_at IS NOT NULL",
    )
    .bind(&email)
    .fetch_all(app.db.pool())
    .await
    .expect("the outbox");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].1, rota_core::mail::SECRET_SENT);
    assert!(!kept[0].1.contains(&token));
    let accepted = anonymous(
        &app,
        "/api/v1/auth/invitation/accept",
        json!({"token": token, "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
    let again = anonymous(
        &app,
        "/api/v1/auth/invitation/accept",
        json!({"token": token, "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(again.code(), "link_used");
}
