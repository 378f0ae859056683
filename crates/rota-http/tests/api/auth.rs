//! Signing in, sessions, lockout and the password policy.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{PASSWORD, TestApp};

async fn attempt(app: &TestApp, email: &str, password: &str) -> crate::common::Reply {
    app.call(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"email": email, "password": password})),
    )
    .await
}

#[tokio::test]
async fn signing_in_returns_a_prefixed_token_that_identifies_the_user() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let reply = attempt(&app, &company.owner.email.to_uppercase(), PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK);
    let token = reply.body["token"].as_str().expect("token");
    assert!(token.starts_with("rota_s_"));
    let me = app.get("/api/v1/auth/me", token).await;
    assert_eq!(me.body["user_id"].as_i64(), Some(company.owner.id));
    assert_eq!(me.body["company_id"].as_i64(), Some(company.id));
    assert_eq!(me.body["user_type_id"], 300);
    assert_eq!(me.body["is_owner"], true);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let wrong = attempt(&app, &company.owner.email, "not the password at all").await;
    let unknown = attempt(&app, "nobody@nowhere.test", PASSWORD).await;
    for reply in [wrong, unknown] {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.code(), "invalid_credentials");
    }
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let token = app.login(&company.owner.email, PASSWORD).await;
    let out = app
        .call(Method::POST, "/api/v1/auth/logout", Some(&token), None)
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/auth/me", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    // The owner's other session is untouched.
    assert_eq!(
        app.get("/api/v1/auth/me", &company.owner.token)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn five_failed_sign_ins_lock_the_account_until_a_super_user_unlocks_it() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    for _ in 0..5 {
        assert_eq!(
            attempt(&app, &cast.staff.email, "wrong password 123")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = attempt(&app, &cast.staff.email, PASSWORD).await;
    assert_eq!(locked.status, StatusCode::FORBIDDEN);
    assert_eq!(locked.code(), "account_locked");
    let seen = app
        .get(
            &format!("/api/v1/users/{}", cast.staff.id),
            &company.owner.token,
        )
        .await;
    assert!(
        seen.body["lockout_date"].is_string(),
        "lockout_date is set: {:?}",
        seen.body
    );

    // Staff cannot unlock themselves; a super user can.
    let refused = app
        .call(
            Method::POST,
            &format!("/api/v1/users/{}/unlock", cast.staff.id),
            Some(&cast.staff.token),
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let unlocked = app
        .call(
            Method::POST,
            &format!("/api/v1/users/{}/unlock", cast.staff.id),
            Some(&cast.super_user.token),
            None,
        )
        .await;
    assert_eq!(unlocked.status, StatusCode::OK);
    assert!(unlocked.body["lockout_date"].is_null());
    assert_eq!(
        attempt(&app, &cast.staff.email, PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_lockout_threshold_is_a_company_setting() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let patched = app
        .patch(
            "/api/v1/company",
            &company.owner.token,
            json!({"settings": {"lockout_threshold": 2}}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
    assert_eq!(patched.body["settings"]["lockout_threshold"], 2);
    assert_eq!(
        patched.body["settings"]["password_min_length"], 12,
        "omitted settings keep their defaults"
    );
    for _ in 0..2 {
        attempt(&app, &cast.staff.email, "wrong password 123").await;
    }
    assert_eq!(
        attempt(&app, &cast.staff.email, PASSWORD).await.code(),
        "account_locked"
    );
}

#[tokio::test]
async fn archived_users_cannot_sign_in_and_lose_their_sessions() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let archived = app
        .delete(
            &format!("/api/v1/users/{}", cast.staff.id),
            &company.owner.token,
        )
        .await;
    assert_eq!(archived.status, StatusCode::OK);
    assert_eq!(archived.body["status"], "archived");
    assert_eq!(
        app.get("/api/v1/auth/me", &cast.staff.token).await.status,
        StatusCode::UNAUTHORIZED
    );
    let reply = attempt(&app, &cast.staff.email, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "account_archived");
    // Restored, they sign in again with the same password: their data was kept.
    let restored = app
        .call(
            Method::POST,
            &format!("/api/v1/users/{}/restore", cast.staff.id),
            Some(&company.owner.token),
            None,
        )
        .await;
    assert_eq!(restored.body["status"], "active");
    assert_eq!(
        attempt(&app, &cast.staff.email, PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_password_policy_applies_on_create_update_and_sign_up() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let short = app
        .post("/api/v1/users", &company.owner.token, json!({"email": "a@acme.test", "first_name": "A", "last_name": "B", "password": "short"}))
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.code(), "weak_password");
    assert_eq!(short.field(), Some("password"));
    let update = app
        .patch(
            &format!("/api/v1/users/{}", company.owner.id),
            &company.owner.token,
            json!({"password": "tiny", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(update.code(), "weak_password");
    let signup = app
        .call(
            Method::POST,
            "/api/v1/companies",
            None,
            Some(json!({"name": "New", "owner_email": "o@new.test", "owner_password": "tiny"})),
        )
        .await;
    assert_eq!(signup.code(), "weak_password");
    assert_eq!(signup.field(), Some("owner_password"));
    // A user changes their own password, and the new one works.
    let changed = app
        .patch(
            &format!("/api/v1/users/{}", company.owner.id),
            &company.owner.token,
            json!({"password": "a brand new passphrase", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    app.login(&company.owner.email, "a brand new passphrase")
        .await;
}

#[tokio::test]
async fn changing_your_own_password_needs_the_current_one_and_ends_your_other_sessions() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let staff = app.member(&company, "staff", json!({})).await;
    let elsewhere = app.login(&staff.email, PASSWORD).await;
    let path = format!("/api/v1/users/{}", staff.id);

    let without = app
        .patch(
            &path,
            &staff.token,
            json!({"password": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(without.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(without.code(), "validation_failed");
    assert_eq!(without.field(), Some("current_password"));
    let wrong = app
        .patch(&path, &staff.token, json!({"password": "a brand new passphrase", "current_password": "not the password at all"}))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.code(), "wrong_password");
    assert_eq!(wrong.field(), Some("current_password"));
    let alone = app
        .patch(&path, &staff.token, json!({"current_password": PASSWORD}))
        .await;
    assert_eq!(alone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(alone.field(), Some("current_password"));
    // Nothing refused changed anything: the old password still works, both sessions live.
    assert_eq!(
        attempt(&app, &staff.email, PASSWORD).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/users/me", &elsewhere).await.status,
        StatusCode::OK
    );

    let changed = app
        .patch(
            &path,
            &staff.token,
            json!({"password": "a brand new passphrase", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    assert_eq!(
        app.get("/api/v1/users/me", &staff.token).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/users/me", &elsewhere).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        attempt(&app, &staff.email, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    app.login(&staff.email, "a brand new passphrase").await;
}

#[tokio::test]
async fn a_super_user_resets_someone_elses_password_without_theirs_and_ends_every_session() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let owner = &company.owner.token;
    let staff = app.member(&company, "staff", json!({})).await;
    let path = format!("/api/v1/users/{}", staff.id);
    let with_current = app
        .patch(
            &path,
            owner,
            json!({"password": "a brand new passphrase", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(with_current.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(with_current.field(), Some("current_password"));
    assert_eq!(
        app.get("/api/v1/users/me", &staff.token).await.status,
        StatusCode::OK
    );

    let reset = app
        .patch(&path, owner, json!({"password": "a brand new passphrase"}))
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{:?}", reset.body);
    assert_eq!(
        app.get("/api/v1/users/me", &staff.token).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/users/me", owner).await.status,
        StatusCode::OK
    );
    app.login(&staff.email, "a brand new passphrase").await;
}

#[tokio::test]
async fn wrong_current_passwords_count_towards_the_lock() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let staff = app.member(&company, "staff", json!({})).await;
    let path = format!("/api/v1/users/{}", staff.id);
    let guess = json!({"password": "a brand new passphrase", "current_password": "a guess at it"});
    // The company's threshold (five) of wrong ones lock the account ...
    for _ in 0..5 {
        let wrong = app.patch(&path, &staff.token, guess.clone()).await;
        assert_eq!(wrong.code(), "wrong_password");
    }
    // ... after which even the right one is refused, here and at sign-in.
    let right = app
        .patch(
            &path,
            &staff.token,
            json!({"password": "a brand new passphrase", "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(right.status, StatusCode::FORBIDDEN);
    assert_eq!(right.code(), "account_locked");
    assert_eq!(
        attempt(&app, &staff.email, PASSWORD).await.code(),
        "account_locked"
    );
}

#[tokio::test]
async fn sign_up_creates_a_company_whose_owner_can_sign_in_unless_switched_off() {
    let app = TestApp::spawn().await;
    let reply = app
        .call(Method::POST, "/api/v1/companies", None, Some(json!({"name": "Fresh Ltd", "owner_email": "boss@fresh.test", "owner_password": PASSWORD, "time_zone": "Europe/Paris"})))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let token = app.login("boss@fresh.test", PASSWORD).await;
    let company = app.get("/api/v1/company", &token).await;
    assert_eq!(company.body["name"], "Fresh Ltd");
    assert_eq!(company.body["time_zone"], "Europe/Paris");
    assert_eq!(company.body["owner_id"], reply.body["owner_id"]);

    let closed = TestApp::spawn_with(rota_http::HttpConfig {
        signup_enabled: false,
        ..Default::default()
    })
    .await;
    let refused = closed
        .call(
            Method::POST,
            "/api/v1/companies",
            None,
            Some(json!({"name": "X", "owner_email": "x@x.test", "owner_password": PASSWORD})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "signup_disabled");
}

#[tokio::test]
async fn health_and_readiness_need_no_session() {
    let app = TestApp::spawn().await;
    for path in ["/health", "/ready"] {
        let reply = app.call(Method::GET, path, None, None).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.body["status"], "ok");
    }
}
