//! MFA (TOTP): enrolment, sign-in with a code or a recovery code, replays, the lock after
//! bad codes, MFA demanded by the company, switching off and resetting, and the audit
//! trail. Codes are computed here with HMAC-SHA1 (RFC 4226 and 6238), independently of
//! the server's TOTP library.

use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode};
use rota_http::HttpConfig;
use serde_json::{Value, json};

use crate::common::{Member, PASSWORD, Reply, TestApp, TestCompany};

/// RFC 4648 base32 without padding, as the server shows the seed.
fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut value, mut out) = (0u32, 0u32, Vec::new());
    for c in text.bytes() {
        let index = ALPHABET.iter().position(|a| *a == c).expect("base32") as u32;
        value = (value << 5) | index;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((value >> bits) as u8);
            value &= (1 << bits) - 1;
        }
    }
    out
}

/// The six-digit code of `seed` for time step `step`.
fn code_for_step(seed: &[u8], step: i64) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(seed).expect("key");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([
        digest[offset],
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]) & 0x7fff_ffff;
    format!("{:06}", value % 1_000_000)
}

/// The seed an enrolment showed, with the codes it allows now: the current step's and the
/// next step's (one step of drift). Both stay valid if the step turns over mid-test.
pub struct Device {
    pub seed: Vec<u8>,
    /// The seed as the server showed it.
    pub base32: String,
    step: i64,
}

impl Device {
    fn new(enrolment: &Value) -> Self {
        Self::of_seed(enrolment["secret"].as_str().expect("secret"))
    }
    /// The device of the seed `base32`, as a page shows it.
    pub fn of_seed(base32: &str) -> Self {
        Self {
            seed: base32_decode(base32),
            base32: base32.to_owned(),
            step: jiff::Timestamp::now().as_second() / 30,
        }
    }
    pub fn current(&self) -> String {
        code_for_step(&self.seed, self.step)
    }
    pub fn next(&self) -> String {
        code_for_step(&self.seed, self.step + 1)
    }
    /// A code valid for no step near now.
    pub fn wrong(&self) -> String {
        let near: Vec<String> = (-2..=2)
            .map(|d| code_for_step(&self.seed, self.step + d))
            .collect();
        (0..)
            .map(|n| format!("{:06}", 123_456 + n))
            .find(|code| !near.contains(code))
            .expect("a wrong code")
    }
}

/// Enrols `member` and confirms with the current code; the device and recovery codes.
pub async fn switch_on(app: &TestApp, member: &Member) -> (Device, Vec<String>) {
    let enrolment = app
        .post("/api/v1/auth/mfa/enrol", &member.token, json!({}))
        .await;
    assert_eq!(enrolment.status, StatusCode::OK, "{:?}", enrolment.body);
    let device = Device::new(&enrolment.body);
    let confirmed = app
        .post(
            "/api/v1/auth/mfa/confirm",
            &member.token,
            json!({"code": device.current()}),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
    let codes = confirmed.body["recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    (device, codes)
}

/// Signs in a user of whom MFA is demanded but who has none: the password, then
/// enrolment with the challenge's token; the session token.
pub async fn sign_in_enrolling(app: &TestApp, email: &str, password: &str) -> String {
    let challenge = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": email, "password": password})),
        )
        .await;
    assert_eq!(
        challenge.body["mfa_enrolment_required"], true,
        "{:?}",
        challenge.body
    );
    let mfa_token = challenge.body["mfa_token"].as_str().expect("mfa_token");
    let enrolment = app
        .post("/api/v1/auth/mfa/enrol", mfa_token, json!({}))
        .await;
    assert_eq!(enrolment.status, StatusCode::OK, "{:?}", enrolment.body);
    let confirmed = app
        .post(
            "/api/v1/auth/mfa/confirm",
            mfa_token,
            json!({"code": Device::new(&enrolment.body).current()}),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
    confirmed.body["session"]["token"]
        .as_str()
        .expect("session")
        .to_owned()
}

/// Signs in with the password and returns the challenge reply.
async fn password_step(app: &TestApp, email: &str) -> Reply {
    app.call(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"email": email, "password": PASSWORD})),
    )
    .await
}

async fn challenge_token(app: &TestApp, email: &str) -> String {
    let reply = password_step(app, email).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["mfa_required"], true, "{:?}", reply.body);
    assert!(
        reply.body.get("token").is_none(),
        "no session before the code"
    );
    reply.body["mfa_token"]
        .as_str()
        .expect("mfa_token")
        .to_owned()
}

async fn verify(app: &TestApp, body: Value) -> Reply {
    app.call(Method::POST, "/api/v1/auth/mfa/verify", None, Some(body))
        .await
}

async fn audit_actions(app: &TestApp, company: &TestCompany) -> Vec<String> {
    let reply = app
        .get("/api/v1/audit?limit=200", &company.owner.token)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["data"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["action"].as_str().expect("action").to_owned())
        .collect()
}

#[tokio::test]
async fn enrolling_and_confirming_makes_sign_in_need_a_code() {
    let app = TestApp::spawn().await;
    let company = app.company("Enrol Co").await;
    let owner = &company.owner;
    let enrolment = app
        .post("/api/v1/auth/mfa/enrol", &owner.token, json!({}))
        .await;
    assert_eq!(enrolment.status, StatusCode::OK, "{:?}", enrolment.body);
    let secret = enrolment.body["secret"].as_str().expect("secret");
    assert_eq!(secret.len(), 32, "160 bits in base32");
    let uri = enrolment.body["otpauth_uri"].as_str().expect("uri");
    assert!(
        uri.starts_with("otpauth://totp/Rota:owner%40enrol-co.test?"),
        "{uri}"
    );
    assert!(uri.contains(&format!("secret={secret}")), "{uri}");
    assert!(
        enrolment.body["qr_code_svg"]
            .as_str()
            .expect("svg")
            .starts_with("<svg")
    );
    // Pending: sign-in is unchanged until the first code confirms.
    assert!(password_step(&app, &owner.email).await.body["token"].is_string());

    let device = Device::new(&enrolment.body);
    let confirmed = app
        .post(
            "/api/v1/auth/mfa/confirm",
            &owner.token,
            json!({"code": device.current()}),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
    let codes = confirmed.body["recovery_codes"].as_array().expect("codes");
    assert_eq!(codes.len(), 10);
    assert!(
        codes
            .iter()
            .all(|c| c.as_str().is_some_and(|c| c.starts_with("rota_rc_")))
    );
    let status = app.get("/api/v1/auth/mfa", &owner.token).await.body;
    assert_eq!(status["enabled"], true);
    assert_eq!(status["recovery_codes_left"], 10);
    assert_eq!(
        app.post("/api/v1/auth/mfa/enrol", &owner.token, json!({}))
            .await
            .code(),
        "mfa_already_enabled"
    );

    let mfa_token = challenge_token(&app, &owner.email).await;
    assert_eq!(
        app.get("/api/v1/auth/me", &mfa_token).await.status,
        StatusCode::UNAUTHORIZED,
        "a challenge is not a session"
    );
    let session = verify(&app, json!({"mfa_token": mfa_token, "code": device.next()})).await;
    assert_eq!(session.status, StatusCode::OK, "{:?}", session.body);
    let token = session.body["token"].as_str().expect("session token");
    assert_eq!(
        app.get("/api/v1/auth/me", token).await.status,
        StatusCode::OK
    );
    // The challenge is spent with its sign-in.
    let again = verify(&app, json!({"mfa_token": mfa_token, "code": device.next()})).await;
    assert_eq!(again.code(), "invalid_mfa_token");
}

#[tokio::test]
async fn a_replayed_totp_code_fails() {
    let app = TestApp::spawn().await;
    let company = app.company("Replay Co").await;
    let owner = &company.owner;
    let (device, _) = switch_on(&app, owner).await;

    // The code that confirmed the enrolment does not also sign in.
    let mfa_token = challenge_token(&app, &owner.email).await;
    let replay = verify(
        &app,
        json!({"mfa_token": mfa_token, "code": device.current()}),
    )
    .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED, "{:?}", replay.body);
    assert_eq!(replay.code(), "invalid_mfa_code");

    let fresh = verify(&app, json!({"mfa_token": mfa_token, "code": device.next()})).await;
    assert_eq!(fresh.status, StatusCode::OK, "{:?}", fresh.body);

    // Nor does a code that signed in once sign in again.
    let mfa_token = challenge_token(&app, &owner.email).await;
    let replay = verify(&app, json!({"mfa_token": mfa_token, "code": device.next()})).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED, "{:?}", replay.body);
    assert_eq!(replay.code(), "invalid_mfa_code");
}

#[tokio::test]
async fn a_recovery_code_works_once_and_regenerating_replaces_them_all() {
    let app = TestApp::spawn().await;
    let company = app.company("Recovery Co").await;
    let owner = &company.owner;
    let (device, codes) = switch_on(&app, owner).await;

    let mfa_token = challenge_token(&app, &owner.email).await;
    let used = verify(
        &app,
        json!({"mfa_token": mfa_token, "recovery_code": codes[0]}),
    )
    .await;
    assert_eq!(used.status, StatusCode::OK, "{:?}", used.body);
    let mfa_token = challenge_token(&app, &owner.email).await;
    let again = verify(
        &app,
        json!({"mfa_token": mfa_token, "recovery_code": codes[0]}),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "{:?}", again.body);
    let status = app.get("/api/v1/auth/mfa", &owner.token).await.body;
    assert_eq!(status["recovery_codes_left"], 9);

    let regenerated = app
        .post(
            "/api/v1/auth/mfa/recovery-codes",
            &owner.token,
            json!({"code": device.next()}),
        )
        .await;
    assert_eq!(regenerated.status, StatusCode::OK, "{:?}", regenerated.body);
    let fresh = regenerated.body["recovery_codes"]
        .as_array()
        .expect("codes");
    assert_eq!(fresh.len(), 10);
    let old = verify(
        &app,
        json!({"mfa_token": mfa_token, "recovery_code": codes[1]}),
    )
    .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED, "old codes are void");
    let new = verify(
        &app,
        json!({"mfa_token": mfa_token, "recovery_code": fresh[0]}),
    )
    .await;
    assert_eq!(new.status, StatusCode::OK, "{:?}", new.body);
}

#[tokio::test]
async fn five_bad_codes_lock_verification_for_fifteen_minutes() {
    let app = TestApp::spawn().await;
    let company = app.company("Lock Co").await;
    let cast = app.cast(&company).await;
    let staff = &cast.staff;
    let (device, _) = switch_on(&app, staff).await;

    let mfa_token = challenge_token(&app, &staff.email).await;
    for attempt in 1..=5 {
        let reply = verify(
            &app,
            json!({"mfa_token": mfa_token, "code": device.wrong()}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        assert_eq!(reply.code(), "invalid_mfa_code");
    }
    let locked = verify(&app, json!({"mfa_token": mfa_token, "code": device.next()})).await;
    assert_eq!(locked.status, StatusCode::FORBIDDEN, "{:?}", locked.body);
    assert_eq!(locked.code(), "mfa_locked");
    let status = app.get("/api/v1/auth/mfa", &staff.token).await.body;
    assert!(status["locked_until"].is_string(), "{status}");

    let actions = audit_actions(&app, &company).await;
    assert_eq!(actions.iter().filter(|a| *a == "mfa.failed").count(), 5);
    assert!(actions.contains(&"mfa.locked".to_owned()));

    // A super user's reset clears the factor with its lock.
    let reset = app
        .post(
            &format!("/api/v1/users/{}/mfa/reset", staff.id),
            &company.owner.token,
            json!({}),
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{:?}", reset.body);
    assert_eq!(reset.body["enabled"], false);
    assert!(password_step(&app, &staff.email).await.body["token"].is_string());
}

#[tokio::test]
async fn a_company_that_demands_mfa_enrols_people_as_they_sign_in() {
    let app = TestApp::spawn().await;
    let company = app.company("Strict Co").await;
    let cast = app.cast(&company).await;
    let reply = app
        .patch(
            "/api/v1/company",
            &company.owner.token,
            json!({"settings": {"force_mfa": true}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);

    let challenge = password_step(&app, &cast.staff.email).await;
    assert_eq!(
        challenge.body["mfa_enrolment_required"], true,
        "{:?}",
        challenge.body
    );
    let mfa_token = challenge.body["mfa_token"].as_str().expect("token");
    // The enrolment token opens enrolment and nothing else.
    assert_eq!(
        app.get("/api/v1/auth/me", mfa_token).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        verify(&app, json!({"mfa_token": mfa_token, "code": "123456"}))
            .await
            .code(),
        "invalid_mfa_token"
    );
    let enrolment = app
        .post("/api/v1/auth/mfa/enrol", mfa_token, json!({}))
        .await;
    assert_eq!(enrolment.status, StatusCode::OK, "{:?}", enrolment.body);
    let device = Device::new(&enrolment.body);
    let confirmed = app
        .post(
            "/api/v1/auth/mfa/confirm",
            mfa_token,
            json!({"code": device.current()}),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
    assert_eq!(
        confirmed.body["recovery_codes"].as_array().map(Vec::len),
        Some(10)
    );
    let session = confirmed.body["session"]["token"]
        .as_str()
        .expect("session");
    let me = app.get("/api/v1/auth/me", session).await;
    assert_eq!(me.body["user_id"].as_i64(), Some(cast.staff.id));

    // Demanded MFA cannot be switched off.
    let refused = app
        .post(
            "/api/v1/auth/mfa/disable",
            session,
            json!({"password": PASSWORD}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.code(), "mfa_required");
    // The next sign-in asks for a code.
    let next = password_step(&app, &cast.staff.email).await;
    assert_eq!(
        next.body["mfa_enrolment_required"], false,
        "{:?}",
        next.body
    );
}

#[tokio::test]
async fn switching_off_and_resetting_are_audited_and_the_owner_is_protected() {
    let app = TestApp::spawn().await;
    let company = app.company("Audit Co").await;
    let cast = app.cast(&company).await;
    let staff = &cast.staff;
    switch_on(&app, staff).await;

    let wrong = app
        .post(
            "/api/v1/auth/mfa/disable",
            &staff.token,
            json!({"password": "not the password"}),
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        wrong.body
    );
    assert_eq!(wrong.code(), "invalid_mfa_code");
    assert_eq!(wrong.field(), Some("password"));
    let off = app
        .post(
            "/api/v1/auth/mfa/disable",
            &staff.token,
            json!({"password": PASSWORD}),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{:?}", off.body);
    assert_eq!(off.body["enabled"], false);
    assert!(password_step(&app, &staff.email).await.body["token"].is_string());

    switch_on(&app, staff).await;
    let reset = app
        .post(
            &format!("/api/v1/users/{}/mfa/reset", staff.id),
            &cast.super_user.token,
            json!({}),
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{:?}", reset.body);
    switch_on(&app, &company.owner).await;
    let owner_reset = app
        .post(
            &format!("/api/v1/users/{}/mfa/reset", company.owner.id),
            &cast.super_user.token,
            json!({}),
        )
        .await;
    assert_eq!(
        owner_reset.status,
        StatusCode::FORBIDDEN,
        "{:?}",
        owner_reset.body
    );

    let actions = audit_actions(&app, &company).await;
    for action in [
        "mfa.enrolment_started",
        "mfa.enabled",
        "mfa.failed",
        "mfa.disabled",
        "mfa.reset",
    ] {
        assert!(
            actions.contains(&action.to_owned()),
            "{action} missing from {actions:?}"
        );
    }
}

#[tokio::test]
async fn bad_mfa_input_is_refused_with_the_field_named() {
    let app = TestApp::spawn().await;
    let company = app.company("Input Co").await;
    let owner = &company.owner;
    app.post("/api/v1/auth/mfa/enrol", &owner.token, json!({}))
        .await;
    for (body, field) in [
        (json!({}), "code"),
        (json!({"code": "12a456"}), "code"),
        (json!({"code": "1234567"}), "code"),
        (json!({"code": 123456}), "code"),
        (json!({"code": "123456", "extra": 1}), "extra"),
    ] {
        let reply = app
            .post("/api/v1/auth/mfa/confirm", &owner.token, body.clone())
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            reply.body
        );
        assert_eq!(reply.field(), Some(field), "{body}: {:?}", reply.body);
    }
    let both = app
        .post(
            "/api/v1/auth/mfa/disable",
            &owner.token,
            json!({"code": "123456", "password": PASSWORD}),
        )
        .await;
    assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(both.field(), Some("code"));
    let neither = verify(&app, json!({"mfa_token": "rota_mfa_x"})).await;
    assert_eq!(neither.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(neither.field(), Some("code"));
    let no_token = verify(&app, json!({"code": "123456"})).await;
    assert_eq!(no_token.field(), Some("mfa_token"));
    let forged = verify(
        &app,
        json!({"mfa_token": "rota_mfa_forged", "code": "123456"}),
    )
    .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    assert_eq!(forged.code(), "invalid_mfa_token");
}

#[tokio::test]
async fn without_a_secret_key_mfa_is_unavailable_and_demanding_it_locks_nobody_out() {
    let app = TestApp::spawn_with(HttpConfig::default()).await;
    let company = app.company("Keyless Co").await;
    let reply = app
        .post("/api/v1/auth/mfa/enrol", &company.owner.token, json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{:?}", reply.body);
    assert_eq!(reply.code(), "mfa_unavailable");
    // Demanded MFA that nobody could enrol in locks nobody out.
    let reply = app
        .patch(
            "/api/v1/company",
            &company.owner.token,
            json!({"settings": {"force_mfa": true}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert!(password_step(&app, &company.owner.email).await.body["token"].is_string());
}

#[tokio::test]
async fn api_credentials_cannot_manage_anyones_mfa() {
    let app = TestApp::spawn().await;
    let company = app.company("Machine Co").await;
    let cast = app.cast(&company).await;
    let enabled = app
        .post("/api/v1/api-access/enable", &company.owner.token, json!({}))
        .await;
    assert_eq!(enabled.status, StatusCode::CREATED, "{:?}", enabled.body);
    let key = app
        .post(
            "/api/v1/api-keys",
            &company.owner.token,
            json!({"name": "Admin bot", "scopes": ["people:write"]}),
        )
        .await;
    assert_eq!(key.status, StatusCode::CREATED, "{:?}", key.body);
    let key = key.body["api_key"].as_str().expect("key");
    for (path, body) in [
        ("/api/v1/auth/mfa/enrol", json!({})),
        (
            &*format!("/api/v1/users/{}/mfa/reset", cast.staff.id),
            json!({}),
        ),
    ] {
        let reply = app.post(path, key, body).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{path}: {:?}",
            reply.body
        );
    }
    assert_eq!(
        app.get("/api/v1/auth/mfa", key).await.status,
        StatusCode::FORBIDDEN
    );
}
