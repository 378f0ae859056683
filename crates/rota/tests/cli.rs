//! The operator commands, run as a person would: the real binary on a real database.

use std::io::Write;
use std::process::{Command, Stdio};

use rota_core::auth::{self, LoginRequest};
use rota_core::testing::scratch_database;

fn rota(url: &str, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rota"))
        .args(args)
        .env("ROTA_DATABASE_URL", url)
        .env("ROTA_TEST_SECRET", "an environment password")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rota");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().expect("wait");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn can_login(db: &rota_core::Db, email: &str, password: &str) -> bool {
    let request = LoginRequest {
        email: email.into(),
        password: password.into(),
        company_id: None,
    };
    auth::login(db, &request, Some("cli test")).await.is_ok()
}

#[tokio::test]
async fn an_operator_creates_a_company_resets_a_password_and_unlocks_a_user() {
    let scratch = scratch_database().await.expect("database");
    let url = scratch.url.as_str();

    let (ok, _, stderr) = rota(url, &["migrate"], None);
    assert!(ok, "migrate: {stderr}");

    let (ok, stdout, stderr) = rota(
        url,
        &[
            "admin",
            "create-company",
            "--name",
            "Ops Ltd",
            "--owner-email",
            "boss@ops.test",
        ],
        Some("a password from stdin\n"),
    );
    assert!(ok, "create-company: {stderr}");
    let created: serde_json::Value = serde_json::from_str(stdout.trim()).expect("JSON on stdout");
    let company_id = created["company_id"].as_i64().expect("company_id");
    assert!(created["owner_id"].as_i64().is_some());
    assert!(can_login(&scratch.db, "boss@ops.test", "a password from stdin").await);

    // The database may also be named after the task's own flags, as an operator types it.
    let (ok, _, stderr) = rota(
        "sqlite://not-this-one.db",
        &[
            "admin",
            "create-company",
            "--name",
            "Late Flag Ltd",
            "--owner-email",
            "late@ops.test",
            "--database-url",
            url,
        ],
        Some("a password from stdin\n"),
    );
    assert!(ok, "create-company with --database-url last: {stderr}");
    assert!(can_login(&scratch.db, "late@ops.test", "a password from stdin").await);

    let (ok, _, stderr) = rota(
        url,
        &[
            "admin",
            "create-company",
            "--name",
            "Env Ltd",
            "--owner-email",
            "env@ops.test",
            "--owner-password-env",
            "ROTA_TEST_SECRET",
        ],
        None,
    );
    assert!(ok, "create-company from env: {stderr}");
    assert!(can_login(&scratch.db, "env@ops.test", "an environment password").await);

    let (ok, _, stderr) = rota(
        url,
        &[
            "admin",
            "create-company",
            "--name",
            "Weak",
            "--owner-email",
            "w@ops.test",
        ],
        Some("short\n"),
    );
    assert!(!ok, "a weak password is refused");
    assert!(stderr.contains("at least 12"), "{stderr}");

    let company = company_id.to_string();
    let (ok, _, stderr) = rota(
        url,
        &[
            "admin",
            "reset-password",
            "--company-id",
            &company,
            "--email",
            "boss@ops.test",
            "--password-env",
            "ROTA_TEST_SECRET",
        ],
        None,
    );
    assert!(ok, "reset-password: {stderr}");
    assert!(!can_login(&scratch.db, "boss@ops.test", "a password from stdin").await);
    assert!(can_login(&scratch.db, "boss@ops.test", "an environment password").await);

    for _ in 0..5 {
        assert!(!can_login(&scratch.db, "boss@ops.test", "wrong password!!").await);
    }
    assert!(
        !can_login(&scratch.db, "boss@ops.test", "an environment password").await,
        "locked"
    );
    let (ok, stdout, stderr) = rota(
        url,
        &[
            "admin",
            "unlock-user",
            "--company-id",
            &company,
            "--email",
            "boss@ops.test",
        ],
        None,
    );
    assert!(ok, "unlock-user: {stderr}");
    assert!(stdout.contains("\"unlocked\":true"));
    assert!(can_login(&scratch.db, "boss@ops.test", "an environment password").await);

    let (ok, _, stderr) = rota(
        url,
        &[
            "admin",
            "unlock-user",
            "--company-id",
            &company,
            "--email",
            "nobody@ops.test",
        ],
        None,
    );
    assert!(!ok);
    assert!(stderr.contains("not found"), "{stderr}");
}

#[tokio::test]
async fn an_operator_enables_api_access_manages_a_client_reads_the_audit_log_and_revokes() {
    use rota_core::access::tokens::{ClientCredentials, issue};
    let scratch = scratch_database().await.expect("database");
    let url = scratch.url.as_str();
    let (ok, stdout, stderr) = rota(
        url,
        &[
            "admin",
            "create-company",
            "--name",
            "Api Ltd",
            "--owner-email",
            "boss@api.test",
            "--owner-password-env",
            "ROTA_TEST_SECRET",
        ],
        None,
    );
    assert!(ok, "create-company: {stderr}");
    let created: serde_json::Value = serde_json::from_str(stdout.trim()).expect("JSON");
    let company = created["company_id"].as_i64().expect("id").to_string();

    let (ok, stdout, stderr) = rota(
        url,
        &["admin", "enable-api-access", "--company-id", &company],
        None,
    );
    assert!(ok, "enable-api-access: {stderr}");
    let client: serde_json::Value = serde_json::from_str(stdout.trim()).expect("JSON");
    let credentials = ClientCredentials {
        grant_type: "client_credentials".into(),
        client_id: client["app_id"].as_str().expect("app id").into(),
        client_secret: client["client_secret"].as_str().expect("secret").into(),
        nonce: None,
        timestamp: None,
    };
    assert!(credentials.client_secret.expose().starts_with("rota_cs_"));
    assert!(issue(&scratch.db, &credentials, None).await.is_ok());

    // A client for one office range, rotated, then revoked; all of it in the audit log.
    let (ok, stdout, stderr) = rota(
        url,
        &[
            "admin",
            "create-api-client",
            "--company-id",
            &company,
            "--name",
            "Payroll bureau",
            "--scope",
            "people:read",
            "--scope",
            "leave:read",
            "--role-ceiling",
            "200",
            "--allow-ip",
            "203.0.113.0/24",
        ],
        None,
    );
    assert!(ok, "create-api-client: {stderr}");
    let bureau: serde_json::Value = serde_json::from_str(stdout.trim()).expect("JSON");
    assert_eq!(
        bureau["ip_allow_list"],
        serde_json::json!(["203.0.113.0/24"])
    );
    assert_eq!(bureau["role_ceiling"], 200);
    let bureau_id = bureau["id"].as_i64().expect("id").to_string();
    let from_office = Some("203.0.113.7".parse().expect("ip"));
    let mut bureau_credentials = ClientCredentials {
        client_id: bureau["app_id"].as_str().expect("app id").into(),
        client_secret: bureau["client_secret"].as_str().expect("secret").into(),
        ..credentials.clone()
    };
    assert!(
        issue(&scratch.db, &bureau_credentials, from_office)
            .await
            .is_ok()
    );
    assert!(issue(&scratch.db, &bureau_credentials, None).await.is_err());
    let (ok, stdout, stderr) = rota(
        url,
        &[
            "admin",
            "regenerate-api-secret",
            "--company-id",
            &company,
            "--client-id",
            &bureau_id,
        ],
        None,
    );
    assert!(ok, "regenerate-api-secret: {stderr}");
    let rotated: serde_json::Value = serde_json::from_str(stdout.trim()).expect("JSON");
    assert!(
        issue(&scratch.db, &bureau_credentials, from_office)
            .await
            .is_err()
    );
    bureau_credentials.client_secret = rotated["client_secret"].as_str().expect("secret").into();
    assert!(
        issue(&scratch.db, &bureau_credentials, from_office)
            .await
            .is_ok()
    );
    let (ok, _, stderr) = rota(
        url,
        &[
            "admin",
            "revoke-api-client",
            "--company-id",
            &company,
            "--client-id",
            &bureau_id,
        ],
        None,
    );
    assert!(ok, "revoke-api-client: {stderr}");
    assert!(
        issue(&scratch.db, &bureau_credentials, from_office)
            .await
            .is_err()
    );
    let (ok, stdout, stderr) = rota(
        url,
        &["admin", "audit", "--company-id", &company, "--limit", "50"],
        None,
    );
    assert!(ok, "audit: {stderr}");
    let actions: Vec<String> = stdout
        .lines()
        .map(|line| {
            let event: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            event["action"].as_str().expect("action").to_owned()
        })
        .collect();
    for action in [
        "client.created",
        "client.secret_regenerated",
        "client.revoked",
        "token.issued",
        "token.refused",
        "api_access.enabled",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }

    let (ok, stdout, stderr) = rota(
        url,
        &["admin", "revoke-api-access", "--company-id", &company],
        None,
    );
    assert!(ok, "revoke-api-access: {stderr}");
    assert!(stdout.contains("\"enabled\":false"), "{stdout}");
    assert!(issue(&scratch.db, &credentials, None).await.is_err());
}

#[tokio::test]
async fn an_operator_resets_the_mfa_of_an_owner_who_lost_their_device() {
    let scratch = scratch_database().await.expect("database");
    let db = &scratch.db;
    let created = rota_core::signup::create_company(
        db,
        rota_core::signup::CompanyForCreate {
            name: "Lost Phone Ltd".into(),
            time_zone: None,
            holiday_country: None,
            owner_email: "boss@lost.test".into(),
            owner_password: "an environment password".into(),
            owner_first_name: None,
            owner_last_name: None,
        },
    )
    .await
    .expect("company");
    let owner = rota_core::mfa::Subject {
        company_id: created.company_id,
        user_id: created.owner_id,
        origin: Default::default(),
    };
    let key = rota_core::sealing::SecretKey::random();
    rota_core::mfa::enrol(db, Some(&key), &owner)
        .await
        .expect("enrol");
    // Confirmed long ago on the device now lost.
    sqlx::query("UPDATE mfa_factors SET confirmed_at = 1")
        .execute(db.pool())
        .await
        .expect("confirm fixture");
    let sign_in = || async {
        let request = LoginRequest {
            email: "boss@lost.test".into(),
            password: "an environment password".into(),
            company_id: None,
        };
        auth::login(db, &request, None)
            .await
            .expect("password step")
    };
    assert!(matches!(sign_in().await, auth::SignIn::Challenge(_)));

    let company = created.company_id.to_string();
    let args = [
        "admin",
        "reset-mfa",
        "--company-id",
        &company,
        "--email",
        "boss@lost.test",
    ];
    let (ok, stdout, stderr) = rota(&scratch.url, &args, None);
    assert!(ok, "reset-mfa: {stderr}");
    assert!(stdout.contains("\"mfa_reset\":true"), "{stdout}");
    assert!(matches!(sign_in().await, auth::SignIn::Session(_)));
    let recorded: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'mfa.reset' AND actor_user_id IS NULL",
    )
    .fetch_one(db.pool())
    .await
    .expect("audit");
    assert_eq!(recorded, 1);
}

#[test]
fn help_never_prints_a_secret_from_the_environment() {
    for command in ["serve", "demo"] {
        let output = Command::new(env!("CARGO_BIN_EXE_rota"))
            .args([command, "--help"])
            .env("ROTA_SMTP_URL", "smtp://mailer:hunter2-smtp@relay.test")
            .env("ROTA_SECRET_KEY", "hunter2-key")
            .output()
            .expect("run rota");
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{command} --help");
        assert!(help.contains("--smtp-url"), "{help}");
        assert!(
            !help.contains("hunter2"),
            "{command} --help shows a secret: {help}"
        );
    }
}

/// Runs `rota` with exactly these `ROTA_…` variables (none inherited), and `stdin`.
fn rota_with_env(env: &[(&str, &str)], args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rota"));
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("ROTA_")) {
        command.env_remove(name);
    }
    let mut child = command
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rota");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("wait");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A configuration file with `text`, in a directory of its own, removed when dropped.
struct ConfigFile(std::path::PathBuf);

impl ConfigFile {
    fn path(&self) -> &str {
        self.0.to_str().expect("utf-8 path")
    }
}

impl Drop for ConfigFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn config_file(name: &str, text: &str) -> ConfigFile {
    let dir = std::env::temp_dir().join(format!("rota-config-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("config dir");
    let path = dir.join("rota.toml");
    std::fs::write(&path, text).expect("write config");
    ConfigFile(path)
}

fn create_company_args<'a>(email: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "admin",
        "create-company",
        "--name",
        "Configured Ltd",
        "--owner-email",
        email,
    ];
    args.extend_from_slice(extra);
    args
}

#[tokio::test]
async fn the_config_file_sits_under_the_environment_and_the_flags() {
    let from_file = scratch_database().await.expect("database");
    let from_env = scratch_database().await.expect("database");
    let from_flag = scratch_database().await.expect("database");
    let file = config_file(
        "layers",
        &format!(
            "database_url = {:?}\nsqlite_synchronous = \"normal\"\n",
            from_file.url
        ),
    );
    let path = file.path();
    let password = "a password from stdin\n";

    // The file alone names the database, by flag or by ROTA_CONFIG.
    let (ok, _, stderr) = rota_with_env(
        &[],
        &create_company_args("file@ops.test", &["--config", path]),
        password,
    );
    assert!(ok, "create-company with --config: {stderr}");
    assert!(can_login(&from_file.db, "file@ops.test", "a password from stdin").await);
    let (ok, _, stderr) = rota_with_env(
        &[("ROTA_CONFIG", path)],
        &create_company_args("config-env@ops.test", &[]),
        password,
    );
    assert!(ok, "create-company with ROTA_CONFIG: {stderr}");
    assert!(
        can_login(
            &from_file.db,
            "config-env@ops.test",
            "a password from stdin"
        )
        .await
    );

    // The environment overrides the file, and a flag the environment.
    let (ok, _, stderr) = rota_with_env(
        &[("ROTA_DATABASE_URL", &from_env.url)],
        &create_company_args("env@ops.test", &["--config", path]),
        password,
    );
    assert!(ok, "create-company with the environment: {stderr}");
    assert!(can_login(&from_env.db, "env@ops.test", "a password from stdin").await);
    assert!(!can_login(&from_file.db, "env@ops.test", "a password from stdin").await);
    let (ok, _, stderr) = rota_with_env(
        &[("ROTA_DATABASE_URL", &from_env.url)],
        &create_company_args(
            "flag@ops.test",
            &["--config", path, "--database-url", &from_flag.url],
        ),
        password,
    );
    assert!(ok, "create-company with the flag: {stderr}");
    assert!(can_login(&from_flag.db, "flag@ops.test", "a password from stdin").await);
    assert!(!can_login(&from_env.db, "flag@ops.test", "a password from stdin").await);
}

#[test]
fn the_config_file_sets_the_servers_defaults_and_keeps_its_secrets_out_of_help() {
    let file = config_file(
        "serve",
        "bind = \"127.0.0.1:9191\"\napi_rate_limit = \"60/10\"\nsmtp_url = \"smtp://rota:hunter2@mail.test\"\nsecret_key = \"a-secret-key-in-the-file\"\ndatabase_url = \"postgres://rota:db-password@db/rota\"\n",
    );
    let path = file.path();
    let (ok, help, stderr) = rota_with_env(&[], &["serve", "--config", path, "--help"], "");
    assert!(ok, "serve --help: {stderr}");
    assert!(help.contains("[default: 127.0.0.1:9191]"), "{help}");
    assert!(help.contains("[default: 60/10]"), "{help}");
    assert!(!help.contains("hunter2"), "{help}");
    assert!(!help.contains("a-secret-key-in-the-file"), "{help}");
    assert!(!help.contains("db-password"), "{help}");
    // A value the flag would refuse is refused from the file too.
    let bad = config_file("bad-value", "bind = \"not an address\"\n");
    let (ok, _, stderr) = rota_with_env(&[], &["serve", "--config", bad.path()], "");
    assert!(!ok);
    assert!(stderr.contains("not an address"), "{stderr}");
}

#[test]
fn an_unknown_key_in_the_config_file_is_an_error_that_names_it() {
    let file = config_file("unknown", "bind = \"127.0.0.1:9191\"\nbnid = \"x\"\n");
    let (ok, _, stderr) = rota_with_env(&[], &["migrate", "--config", file.path()], "");
    assert!(!ok);
    assert!(stderr.contains("bnid"), "{stderr}");
    assert!(stderr.contains("rota.toml"), "{stderr}");
}

#[tokio::test]
async fn the_default_config_changes_nothing() {
    let scratch = scratch_database().await.expect("database");
    let (ok, example, stderr) = rota_with_env(&[], &["default-config"], "");
    assert!(ok, "default-config: {stderr}");
    assert!(example.contains("# bind = \"127.0.0.1:8080\""), "{example}");
    let file = config_file("default", &example);
    let path = file.path();
    // Its commented defaults are those of the flags: help reads the same with it as without.
    let (_, with, _) = rota_with_env(&[], &["serve", "--config", path, "--help"], "");
    let (_, without, _) = rota_with_env(&[], &["serve", "--help"], "");
    assert_eq!(with, without);
    let (ok, _, stderr) = rota_with_env(
        &[("ROTA_DATABASE_URL", &scratch.url)],
        &create_company_args("default@ops.test", &["--config", path]),
        "a password from stdin\n",
    );
    assert!(ok, "create-company with the default config: {stderr}");
    assert!(can_login(&scratch.db, "default@ops.test", "a password from stdin").await);
}

/// The key both servers and the operator's commands share.
const SHARED_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

/// A `rota serve` on `url` at a free loopback port, stopped when dropped.
struct Server {
    child: std::process::Child,
    base: String,
}

impl Server {
    /// Starts the server and waits until `GET /ready` answers.
    async fn start(url: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("address")
            .port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_rota"));
        for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("ROTA_")) {
            command.env_remove(name);
        }
        let child = command
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("ROTA_DATABASE_URL", url)
            .env("ROTA_SECRET_KEY", SHARED_KEY)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("rota serve");
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        for _ in 0..1200 {
            let ready = client.get(format!("{}/ready", server.base)).send().await;
            if ready.is_ok_and(|reply| reply.status().is_success()) {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("rota serve was not ready within a minute");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two `rota serve` processes on one database: a WhosOff authenticate nonce used on one
/// is refused by the other, as the nonce store is the database.
#[tokio::test]
async fn a_whosoff_nonce_used_on_one_server_is_refused_by_another_on_the_same_database() {
    use sha2::{Digest, Sha512};
    let scratch = scratch_database().await.expect("database");
    let env = [
        ("ROTA_DATABASE_URL", scratch.url.as_str()),
        ("ROTA_SECRET_KEY", SHARED_KEY),
        ("ROTA_TEST_SECRET", "a long owner password"),
    ];
    let (ok, stdout, stderr) = rota_with_env(
        &env,
        &create_company_args(
            "boss@two.test",
            &["--owner-password-env", "ROTA_TEST_SECRET"],
        ),
        "",
    );
    assert!(ok, "create-company: {stderr}");
    let created: serde_json::Value = serde_json::from_str(stdout.trim()).expect("JSON");
    let company = created["company_id"].as_i64().expect("id").to_string();
    let (ok, stdout, stderr) = rota_with_env(
        &env,
        &["admin", "enable-api-access", "--company-id", &company],
        "",
    );
    assert!(ok, "enable-api-access: {stderr}");
    let client: serde_json::Value = serde_json::from_str(stdout.trim()).expect("JSON");
    let app_id = client["app_id"].as_str().expect("app id");
    let nonce = "a nonce for two servers";
    let secret: String = Sha512::digest(
        format!(
            "{nonce}{}",
            client["client_secret"].as_str().expect("secret")
        )
        .as_bytes(),
    )
    .iter()
    .map(|b| format!("{b:02x}"))
    .collect();
    let body = serde_json::json!({"username": "boss@two.test", "password": "a long owner password",
        "ip_address": "127.0.0.1", "nonce": nonce, "secret": secret, "app_id": app_id, "delay": false});
    let first = Server::start(&scratch.url).await;
    let second = Server::start(&scratch.url).await;
    let authenticate = |server: &Server| {
        reqwest::Client::new()
            .post(format!(
                "{}/whosoff/v4/authenticate/with-credentials/",
                server.base
            ))
            .header("app-id", app_id)
            .json(&body)
            .send()
    };

    let reply = authenticate(&first).await.expect("first server");
    assert_eq!(reply.status(), reqwest::StatusCode::OK);
    let reply: serde_json::Value = reply.json().await.expect("JSON");
    assert!(
        reply["Data"]["token"]["access_token"].is_string(),
        "{reply}"
    );

    let reply = authenticate(&second).await.expect("second server");
    assert_eq!(reply.status(), reqwest::StatusCode::UNAUTHORIZED);
    let reply: serde_json::Value = reply.json().await.expect("JSON");
    assert_eq!(reply["Errors"][0]["Code"], "nonce_replayed", "{reply}");
}
