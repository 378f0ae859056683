//! The real binary serving: the demo a newcomer runs, signed in to with the credentials it
//! prints, and an operator command run beside the running server on the same database.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rota_core::testing::scratch_database;
use serde_json::{Value, json};

struct Server {
    child: Child,
    base: String,
    printed: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Starts `rota demo` and reads what it prints up to the list of sign-ins.
fn start_demo(url: &str) -> Server {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rota"))
        .args(["demo", "--bind", &format!("127.0.0.1:{port}")])
        .env("ROTA_DATABASE_URL", url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start rota demo");
    let stdout = child.stdout.take().expect("stdout");
    let mut printed = Vec::new();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        let done = line.contains("staff@");
        printed.push(line);
        if done {
            break;
        }
    }
    Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
        printed,
    }
}

async fn wait_until_ready(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(response) = client.get(format!("{base}/ready")).send().await
            && response.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready at {base}");
}

async fn login(client: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    let reply: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    reply["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token for {email}: {reply}"))
        .to_owned()
}

async fn user_count(client: &reqwest::Client, base: &str, token: &str) -> usize {
    let page: Value = client
        .get(format!("{base}/api/v1/users?limit=200"))
        .bearer_auth(token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    page["data"].as_array().expect("data").len()
}

#[tokio::test]
async fn a_newcomer_runs_the_demo_signs_in_with_what_it_prints_and_lists_people() {
    let scratch = scratch_database().await.expect("database");
    let client = reqwest::Client::new();
    let server = start_demo(&scratch.url);
    wait_until_ready(&client, &server.base).await;
    let text = server.printed.join("\n");
    assert!(text.contains(&server.base), "prints its address: {text}");
    let password = text.split('"').nth(1).expect("the printed password");
    let emails: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.ends_with("@demo.rota.test"))
        .collect();
    assert_eq!(emails.len(), 3, "{text}");
    for email in &emails {
        login(&client, &server.base, email, password).await;
    }
    let owner = login(&client, &server.base, emails[0], password).await;
    assert_eq!(user_count(&client, &server.base, &owner).await, 60);
    let staff = login(&client, &server.base, emails[2], password).await;
    let seen = user_count(&client, &server.base, &staff).await;
    assert!(
        seen > 1 && seen < 60,
        "staff see their department, not the company: {seen}"
    );

    // An operator creates a company beside the running server, on the same database.
    let output = Command::new(env!("CARGO_BIN_EXE_rota"))
        .args([
            "admin",
            "create-company",
            "--name",
            "Beside Ltd",
            "--owner-email",
            "beside@ops.test",
            "--owner-password-env",
            "BESIDE",
        ])
        .env("ROTA_DATABASE_URL", &scratch.url)
        .env("BESIDE", "a password set beside")
        .output()
        .expect("run admin");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    login(
        &client,
        &server.base,
        "beside@ops.test",
        "a password set beside",
    )
    .await;
    drop(server);

    // Running the demo again reuses the company rather than seeding a second.
    let again = start_demo(&scratch.url);
    wait_until_ready(&client, &again.base).await;
    let owner = login(&client, &again.base, emails[0], password).await;
    assert_eq!(user_count(&client, &again.base, &owner).await, 60);
}
