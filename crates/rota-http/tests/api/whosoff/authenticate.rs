//! The Authenticate controller: `secret` is SHA-512 of the nonce followed by the client
//! secret, computed here with the `sha2` crate, independently of Rota's code.

use base64::Engine as _;
use reqwest::{Method, StatusCode};
use rota_http::HttpConfig;
use serde_json::{Value, json};
use sha2::{Digest, Sha512};

use super::{data, refused};
use crate::access::{enable, new_client, token};
use crate::common::{Member, PASSWORD, Reply, TestApp, TestCompany};

pub(super) const WITH_CREDENTIALS: &str = "/whosoff/v4/authenticate/with-credentials";
const WITH_ACCESS_TOKEN: &str = "/whosoff/v4/authenticate/with-access-token";

/// SHA-512 of the nonce followed by the client secret.
fn sha512(nonce: &str, client_secret: &str) -> Vec<u8> {
    Sha512::digest(format!("{nonce}{client_secret}").as_bytes()).to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh nonce, as an integration makes one.
fn nonce() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// An API client as WhosOff's API Access tab shows it: App ID and client secret.
pub(super) struct Client {
    id: i64,
    app_id: String,
    secret: String,
}

impl Client {
    fn of(created: &Value) -> Self {
        Self {
            id: created["id"].as_i64().expect("id"),
            app_id: created["app_id"].as_str().expect("app id").to_owned(),
            secret: created["client_secret"]
                .as_str()
                .expect("secret")
                .to_owned(),
        }
    }

    /// The body of `with-credentials` for `email`, with a fresh nonce and its secret.
    pub(super) fn credentials(&self, email: &str, password: &str) -> Value {
        let nonce = nonce();
        json!({"username": email, "password": password, "ip_address": "127.0.0.1",
               "nonce": nonce, "secret": hex(&sha512(&nonce, &self.secret)),
               "app_id": self.app_id, "delay": "false"})
    }

    pub(super) async fn authenticate(&self, app: &TestApp, path: &str, body: Value) -> Reply {
        self.authenticate_as(app, path, &self.app_id, body).await
    }

    /// Authenticates with `app_id` in the header.
    async fn authenticate_as(&self, app: &TestApp, path: &str, app_id: &str, body: Value) -> Reply {
        let response = app
            .client
            .post(format!("{}{path}/", app.base))
            .header("app-id", app_id)
            .json(&body)
            .send()
            .await
            .expect("request");
        Reply::read(response).await
    }

    /// Signs `member` in and returns the bearer token.
    async fn bearer(&self, app: &TestApp, member: &Member) -> String {
        let reply = self
            .authenticate(
                app,
                WITH_CREDENTIALS,
                self.credentials(&member.email, PASSWORD),
            )
            .await;
        data(&reply)["token"]["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// A WhosOff call with the bearer token and an `app-id`.
    async fn call(&self, app: &TestApp, bearer: &str, method: Method, path: &str) -> Reply {
        let response = app
            .client
            .request(method, format!("{}/whosoff{path}", app.base))
            .bearer_auth(bearer)
            .header("app-id", &self.app_id)
            .json(&json!({"name": "Night shift", "min_user": 0}))
            .send()
            .await
            .expect("request");
        Reply::read(response).await
    }

    async fn tokens(&self, app: &TestApp) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE client_id = $1")
            .bind(self.id)
            .fetch_one(app.db.pool())
            .await
            .expect("count")
    }
}

pub(super) async fn enabled(app: &TestApp, company: &TestCompany) -> Client {
    Client::of(&enable(app, company).await)
}

#[tokio::test]
async fn the_secret_in_hex_of_either_case_or_base64_gives_a_bearer_for_the_user() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let client = enabled(&app, &company).await;
    let encodings: [fn(&[u8]) -> String; 4] = [
        |d| hex(d),
        |d| hex(d).to_uppercase(),
        |d| base64::engine::general_purpose::STANDARD.encode(d),
        |d| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(d),
    ];
    for encode in encodings {
        let nonce = nonce();
        let body = json!({"username": company.owner.email, "password": PASSWORD,
            "ip_address": "127.0.0.1", "nonce": nonce, "secret": encode(&sha512(&nonce, &client.secret)),
            "app_id": client.app_id, "delay": true});

        let reply = client.authenticate(&app, WITH_CREDENTIALS, body).await;

        let data = data(&reply);
        assert_eq!(
            data["user"],
            json!({"user_id": company.owner.id, "first_name": "Owen", "last_name": "Owner",
                   "email_address": company.owner.email, "user_type_id": 300, "department_id": null})
        );
        let bearer = data["token"]["access_token"].as_str().expect("token");
        assert!(bearer.starts_with("rota_at_"), "{bearer}");
        let expiry = data["token"]["token_expiry_date"].as_str().expect("expiry");
        let expiry: jiff::civil::DateTime = expiry.parse().expect("a WhosOff DATETIME");
        let in_an_hour = jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .datetime()
            .checked_add(jiff::Span::new().hours(1))
            .expect("later");
        let off = expiry.duration_since(in_an_hour).as_secs().abs();
        assert!(off <= 5, "token_expiry_date {expiry} is an hour from now");
        let retrieved = client
            .call(&app, bearer, Method::GET, "/v4/department/retrieve")
            .await;
        assert!(super::data(&retrieved).is_array());
    }
}

#[tokio::test]
async fn refusals_are_in_the_envelope_with_their_code_and_mint_no_token() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let client = enabled(&app, &company).await;
    let good = || client.credentials(&company.owner.email, PASSWORD);
    let with = |changes: Value| {
        let mut body = good();
        for (key, value) in changes.as_object().expect("object") {
            body[key] = value.clone();
        }
        body
    };
    let replayed = good();
    data(
        &client
            .authenticate(&app, WITH_CREDENTIALS, replayed.clone())
            .await,
    );
    let minted = client.tokens(&app).await;

    let cases = [
        (
            with(json!({"secret": hex(&sha512("another nonce", &client.secret))})),
            StatusCode::UNAUTHORIZED,
            "invalid_secret",
        ),
        (
            with(json!({"secret": "not a digest"})),
            StatusCode::UNAUTHORIZED,
            "invalid_secret",
        ),
        (replayed, StatusCode::UNAUTHORIZED, "nonce_replayed"),
        (
            with(json!({"nonce": "short", "secret": hex(&sha512("short", &client.secret))})),
            StatusCode::UNAUTHORIZED,
            "invalid_nonce",
        ),
        (
            with(json!({"ip_address": "203.0.113.7"})),
            StatusCode::UNAUTHORIZED,
            "ip_address_mismatch",
        ),
        (
            with(json!({"password": "not the password"})),
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        ),
        (
            with(json!({"username": "nobody@acme.test"})),
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        ),
        (
            with(json!({"app_id": "rota_app_unknown"})),
            StatusCode::BAD_REQUEST,
            "app_id_mismatch",
        ),
        (
            with(json!({"password": 12})),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ),
        (
            with(json!({"access_token": "rota_at_x"})),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ),
        (
            with(json!({"unknown": 1})),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ),
    ];
    for (body, status, code) in cases {
        let reply = client
            .authenticate(&app, WITH_CREDENTIALS, body.clone())
            .await;
        assert_eq!(refused(&reply), (status, code), "{body}");
        assert_eq!(reply.body["Data"], Value::Null);
    }
    let mut missing = good();
    missing.as_object_mut().expect("object").remove("username");
    let reply = client.authenticate(&app, WITH_CREDENTIALS, missing).await;
    assert_eq!(
        refused(&reply),
        (StatusCode::BAD_REQUEST, "validation_failed")
    );
    assert_eq!(reply.body["Errors"][0]["Field"], "username");

    let unknown = Client {
        app_id: "rota_app_unknown".into(),
        ..Client::of(&json!({"id": 0, "app_id": "", "client_secret": client.secret}))
    };
    let reply = unknown
        .authenticate(
            &app,
            WITH_CREDENTIALS,
            unknown.credentials(&company.owner.email, PASSWORD),
        )
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::UNAUTHORIZED, "invalid_client")
    );
    assert_eq!(client.tokens(&app).await, minted, "no token minted");
    let audit = app
        .get("/api/v1/audit?action=token.refused", &company.owner.token)
        .await;
    let reasons: Vec<&str> = audit.body["data"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["details"]["reason"].as_str())
        .collect();
    for reason in [
        "invalid_secret",
        "nonce_replayed",
        "invalid_nonce",
        "ip_address_mismatch",
        "invalid_credentials",
    ] {
        assert!(reasons.contains(&reason), "{reason} audited: {reasons:?}");
    }
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_as_at_the_native_sign_in() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let client = enabled(&app, &company).await;
    for _ in 0..5 {
        let reply = client
            .authenticate(
                &app,
                WITH_CREDENTIALS,
                client.credentials(&company.owner.email, "wrong password!"),
            )
            .await;
        assert_eq!(
            refused(&reply),
            (StatusCode::UNAUTHORIZED, "invalid_credentials")
        );
    }
    let reply = client
        .authenticate(
            &app,
            WITH_CREDENTIALS,
            client.credentials(&company.owner.email, PASSWORD),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "account_locked"));
    let native = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": company.owner.email, "password": PASSWORD})),
        )
        .await;
    assert_eq!(native.code(), "account_locked");
}

#[tokio::test]
async fn a_user_with_mfa_passes_a_code_beside_the_password() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let client = enabled(&app, &company).await;
    let member = app.member(&company, "mia", json!({})).await;
    let (device, recovery_codes) = crate::mfa::switch_on(&app, &member).await;

    let reply = client
        .authenticate(
            &app,
            WITH_CREDENTIALS,
            client.credentials(&member.email, PASSWORD),
        )
        .await;
    assert_eq!(refused(&reply), (StatusCode::UNAUTHORIZED, "mfa_required"));
    let mut wrong = client.credentials(&member.email, PASSWORD);
    wrong["mfa_code"] = json!("000000");
    let reply = client.authenticate(&app, WITH_CREDENTIALS, wrong).await;
    if reply.status != StatusCode::OK {
        assert_eq!(
            refused(&reply),
            (StatusCode::UNAUTHORIZED, "invalid_mfa_code")
        );
    }
    let before = client.tokens(&app).await;

    for code in [device.next(), recovery_codes[0].clone()] {
        let mut body = client.credentials(&member.email, PASSWORD);
        body["mfa_code"] = json!(code);
        let reply = client.authenticate(&app, WITH_CREDENTIALS, body).await;
        assert_eq!(data(&reply)["user"]["user_id"], member.id);
    }
    assert_eq!(client.tokens(&app).await, before + 2);
}

#[tokio::test]
async fn the_token_acts_as_its_user_within_the_clients_ceiling() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let full = enabled(&app, &company).await;
    let staff = app.member(&company, "sam", json!({})).await;
    let capped = Client::of(
        &new_client(
            &app,
            &company.owner.token,
            json!({"name": "Staff level", "role_ceiling": 100, "scopes": ["people:write"]}),
        )
        .await,
    );

    // The client acts as the owner, but the token acts as the user who signed in.
    let bearer = full.bearer(&app, &staff).await;
    let reply = full
        .call(&app, &bearer, Method::POST, "/v4/department/create")
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "forbidden"));

    let owner_capped = capped.bearer(&app, &company.owner).await;
    let reply = capped
        .call(&app, &owner_capped, Method::POST, "/v4/department/create")
        .await;
    assert_eq!(refused(&reply), (StatusCode::BAD_REQUEST, "forbidden"));

    let owner_full = full.bearer(&app, &company.owner).await;
    let reply = full
        .call(&app, &owner_full, Method::POST, "/v4/department/create")
        .await;
    assert!(data(&reply)["department_id"].is_i64());
}

#[tokio::test]
async fn a_bearer_is_refused_with_another_app_id_once_its_client_is_revoked_or_access_is() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let client = enabled(&app, &company).await;
    let other = Client::of(
        &new_client(
            &app,
            &company.owner.token,
            json!({"name": "Other", "scopes": ["people:read"]}),
        )
        .await,
    );
    let bearer = client.bearer(&app, &company.owner).await;
    let crossed = Client {
        app_id: other.app_id.clone(),
        ..Client::of(&json!({"id": client.id, "app_id": "", "client_secret": ""}))
    };
    let reply = crossed
        .call(&app, &bearer, Method::GET, "/v4/department/retrieve")
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );

    let revoked = app
        .post(
            &format!("/api/v1/api-clients/{}/revoke", client.id),
            &company.owner.token,
            json!({}),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{:?}", revoked.body);
    let reply = client
        .call(&app, &bearer, Method::GET, "/v4/department/retrieve")
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
    let reply = client
        .authenticate(
            &app,
            WITH_CREDENTIALS,
            client.credentials(&company.owner.email, PASSWORD),
        )
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::UNAUTHORIZED, "invalid_client")
    );

    let other_bearer = other.bearer(&app, &company.owner).await;
    let revoked = app
        .post("/api/v1/api-access/revoke", &company.owner.token, json!({}))
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{:?}", revoked.body);
    let reply = other
        .call(&app, &other_bearer, Method::GET, "/v4/department/retrieve")
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
    let reply = other
        .authenticate(
            &app,
            WITH_CREDENTIALS,
            other.credentials(&company.owner.email, PASSWORD),
        )
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::UNAUTHORIZED, "invalid_client")
    );
    assert_eq!(other.tokens(&app).await, 0);
}

#[tokio::test]
async fn an_expired_bearer_is_refused() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let client = enabled(&app, &company).await;
    let bearer = client.bearer(&app, &company.owner).await;
    sqlx::query("UPDATE api_tokens SET expires_at = 1 WHERE client_id = $1")
        .bind(client.id)
        .execute(app.db.pool())
        .await
        .expect("expire");
    let reply = client
        .call(&app, &bearer, Method::GET, "/v4/department/retrieve")
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
}

/// Two servers on one database, each with a pool of its own, stand for two Rota
/// processes (or one before and after a restart): a nonce used on one is refused by the
/// other.
#[tokio::test]
async fn a_nonce_replayed_on_another_server_is_refused() {
    let key = rota_core::sealing::SecretKey::random();
    let config = || HttpConfig {
        secret_key: Some(key.clone()),
        ..HttpConfig::default()
    };
    let first = TestApp::spawn_with(config()).await;
    let second = first.beside(config()).await;
    let company = first.company("Acme").await;
    let client = enabled(&first, &company).await;
    let body = client.credentials(&company.owner.email, PASSWORD);

    data(
        &client
            .authenticate(&first, WITH_CREDENTIALS, body.clone())
            .await,
    );
    let reply = client.authenticate(&second, WITH_CREDENTIALS, body).await;

    assert_eq!(
        refused(&reply),
        (StatusCode::UNAUTHORIZED, "nonce_replayed")
    );
    let fresh = client.credentials(&company.owner.email, PASSWORD);
    data(&client.authenticate(&second, WITH_CREDENTIALS, fresh).await);
}

#[tokio::test]
async fn an_access_token_or_key_is_exchanged_for_a_bearer_of_the_same_user() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let enabled = enable(&app, &company).await;
    let client = Client::of(&enabled);
    let access_token = token(&app, &enabled).await;
    let exchange = |credential: &str| {
        let mut body = client.credentials("", "");
        let object = body.as_object_mut().expect("object");
        object.remove("username");
        object.remove("password");
        object.insert("access_token".into(), json!(credential));
        body
    };

    let reply = client
        .authenticate(&app, WITH_ACCESS_TOKEN, exchange(&access_token))
        .await;
    assert_eq!(data(&reply)["user"]["user_id"], company.owner.id);
    let bearer = data(&reply)["token"]["access_token"]
        .as_str()
        .expect("bearer");
    let retrieved = client
        .call(&app, bearer, Method::GET, "/v4/department/retrieve")
        .await;
    assert!(data(&retrieved).is_array());

    let reply = client
        .authenticate(&app, WITH_ACCESS_TOKEN, exchange("rota_at_not_a_token"))
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::UNAUTHORIZED, "invalid_access_token")
    );
    let reply = client
        .authenticate(
            &app,
            WITH_ACCESS_TOKEN,
            client.credentials(&company.owner.email, PASSWORD),
        )
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::BAD_REQUEST, "validation_failed")
    );

    // A staff-level key may not become the owner's full token.
    let key = app
        .post(
            "/api/v1/api-keys",
            &company.owner.token,
            json!({"name": "Read only", "scopes": ["people:read"], "role_ceiling": 100}),
        )
        .await;
    assert_eq!(key.status, StatusCode::CREATED, "{:?}", key.body);
    let reply = client
        .authenticate(
            &app,
            WITH_ACCESS_TOKEN,
            exchange(key.body["api_key"].as_str().expect("key")),
        )
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::BAD_REQUEST, "exchange_not_allowed")
    );
}
