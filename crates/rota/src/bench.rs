//! `rota bench`: seeds an empty database with one company of many people, serves the real
//! application on a loopback port in this process, and measures it under load: `/health`
//! as the baseline, the user list (first and a deep page), a user by id, sign-in, the
//! WhosOff face's user list beside its native equivalent, leave, the schedule and the time
//! clock; last, closing a month's payroll period (`--payroll-people` of the staff, a month of
//! time each).
//! It stops by itself; any answer that is not 2xx is an error and fails the run.

mod leave;
mod load;
mod payroll;
mod report;
mod schedule;
mod seed;
mod whosoff;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rand::seq::IndexedRandom;
use rota_core::access::limits::{Limits, Quota};
use rota_core::db::{Engine, Synchronous};
use rota_http::{AppState, HttpConfig};
use serde_json::{Value, json};

use load::{MakeRequest, Scenario};
use report::{BASELINE, Report};

/// Users per page in the list scenarios.
const PAGE: usize = 50;
/// Sign-in is argon2 on purpose; more workers than cores only queue.
const MAX_LOGIN_CONCURRENCY: usize = 4;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// An empty database: sqlite://path.db (created if absent) or postgres://user@host/db.
    #[arg(long)]
    database_url: String,
    /// People to seed besides the owner (at least 200, so a deep page exists).
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(200..=1_000_000))]
    users: u32,
    /// How long each scenario runs.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    seconds: u64,
    /// Requests in flight at once (sign-in uses at most 4).
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=1024))]
    concurrency: u32,
    /// Staff with a month of time entries (one a day) in the payroll period whose close is
    /// timed; at most the staff seeded. 10,000 makes about 300,000 entries.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    payroll_people: u32,
    /// Run only the scenarios whose name contains this text (`user`, `whosoff`); repeat it
    /// for several. The seeding and the steps timed once still run.
    #[arg(long)]
    only: Vec<String>,
    /// Also write the results here as JSON.
    #[arg(long)]
    json: Option<std::path::PathBuf>,
    #[command(flatten)]
    durability: crate::DurabilityArgs,
}

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    let users = args.users as usize;
    let concurrency = args.concurrency as usize;
    let db = crate::open(&args.database_url, args.durability).await?;
    let companies: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM companies")
        .fetch_one(db.pool())
        .await?;
    if companies > 0 {
        bail!(
            "{} already holds data; rota bench needs an empty database",
            args.database_url
        );
    }

    println!("seeding {users} users…");
    let started = Instant::now();
    let seeded = seed::seed(&db, users).await?;
    let seeding = started.elapsed();
    println!(
        "seeded {} users in {:.1} s",
        seeded.user_ids.len(),
        seeding.as_secs_f64()
    );

    println!("seeding five years of leave…");
    let started = Instant::now();
    let leave = leave::seed(&db, &seeded.user_ids, seeded.departments).await?;
    let leave_seeding = started.elapsed();
    println!(
        "seeded {} leave requests in {:.1} s",
        leave.requests,
        leave_seeding.as_secs_f64()
    );

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = AppState {
        db: db.clone(),
        // Sign-in and API keys are measured for their cost, limiter included, not for their
        // limits: every call comes from one address and one key.
        config: Arc::new(HttpConfig {
            limits: Limits {
                login: Quota::new(60_000, 1_000_000),
                api: Quota::new(60_000, 1_000_000),
                ..Limits::default()
            },
            ..HttpConfig::default()
        }),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(rota_http::serve(listener, state, async {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::new();
    let token = sign_in(&client, &base, seed::OWNER_EMAIL).await?;
    let deep_page = (seeded.user_ids.len() / PAGE) * 3 / 4;
    let cursor = cursor_to_page(&client, &base, &token, deep_page).await?;
    let approver = sign_in(&client, &base, &leave.approver_email).await?;
    let staff: Vec<i64> = seeded
        .user_ids
        .iter()
        .skip(1 + seeded.departments)
        .copied()
        .collect();
    let enabled = fetch_json(
        client
            .post(format!("{base}/api/v1/api-access/enable"))
            .bearer_auth(&token),
    )
    .await
    .context("enabling API access")?;
    let key = api_key(&client, &base, &token).await?;
    println!("building a location's week of shifts…");
    let started = Instant::now();
    let week = schedule::seed(&client, &base, &token, &seeded).await?;
    let schedule_seeding = started.elapsed();
    println!(
        "built {} shifts and {} occurrences of repeating shifts for {} people in {:.1} s",
        week.shifts,
        week.occurrences,
        week.people,
        schedule_seeding.as_secs_f64()
    );
    let mut scenarios = scenarios(
        &base,
        [&token, &key],
        &cursor,
        seeded.user_ids,
        users,
        concurrency,
    );
    let face = whosoff::Face::sign_in(&client, &base, &enabled).await?;
    let (session, people_pair) =
        whosoff::people_scenarios(&client, &base, &token, &face, concurrency).await?;
    scenarios.push(session);
    let payroll_people: Vec<i64> = staff
        .iter()
        .take(args.payroll_people as usize)
        .copied()
        .collect();
    let fresh = leave::FreshDays::new(staff.clone(), &leave);
    scenarios.extend(leave::scenarios(
        &base,
        &token,
        &approver,
        &leave,
        staff,
        fresh.clone(),
        concurrency,
    ));
    let mut pairs = vec![people_pair];
    pairs.extend(whosoff::leave_scenarios(
        &base,
        &face,
        &leave,
        fresh,
        concurrency,
    ));

    scenarios.push(schedule::read_scenario(&base, &token, &week, concurrency));
    scenarios.push(
        schedule::clock_scenario(&client, &base, seeded.departments..users, concurrency).await?,
    );

    let chosen = |name: &str| {
        args.only.is_empty() || args.only.iter().any(|text| name.contains(text.as_str()))
    };
    scenarios.retain(|scenario| scenario.name == BASELINE || chosen(&scenario.name));
    pairs.retain(|pair| pair.scenarios.iter().any(|s| chosen(&s.name)));
    let duration = Duration::from_secs(args.seconds);
    let mut outcomes = Vec::with_capacity(scenarios.len() + 2 * pairs.len());
    for scenario in &scenarios {
        println!(
            "{} ({} workers, {} s)…",
            scenario.name, scenario.concurrency, args.seconds
        );
        outcomes.push(load::run(&client, scenario, duration).await);
    }
    let mut face_costs = Vec::with_capacity(pairs.len());
    for pair in &pairs {
        println!(
            "{} beside its native equivalent, by turns ({} workers, {} s each)…",
            pair.call, concurrency, args.seconds
        );
        let [native, face] = load::run_interleaved(&client, &pair.scenarios, duration).await;
        face_costs.push(report::FaceCost::of(pair.call, &native, &face));
        outcomes.extend([native, face]);
    }
    println!("publishing the week and taking it back…");
    let once = schedule::publish_once(&client, &base, &token, &week).await?;
    println!(
        "closing a month's payroll for {} people…",
        payroll_people.len()
    );
    let payroll = payroll::run(&db, &client, &base, &token, &payroll_people).await?;
    let _ = stop.send(());
    server.await.context("the server task")??;

    let report = Report {
        engine: match (db.engine(), args.durability.sqlite_synchronous) {
            (Engine::Sqlite, Synchronous::Full) => "SQLite (synchronous = FULL)",
            (Engine::Sqlite, Synchronous::Normal) => "SQLite (synchronous = NORMAL)",
            (Engine::Postgres, _) => "PostgreSQL",
        },
        users,
        departments: seeded.departments,
        seconds: args.seconds,
        concurrency,
        seeding_seconds: seeding.as_secs_f64(),
        leave_requests: leave.requests,
        leave_seeding_seconds: leave_seeding.as_secs_f64(),
        deep_page,
        schedule: report::ScheduleFacts {
            people: week.people,
            shifts: week.shifts,
            occurrences: week.occurrences,
            seeding_seconds: schedule_seeding.as_secs_f64(),
        },
        scenarios: report::rows(outcomes),
        face_costs,
        once: once
            .into_iter()
            .map(|(operation, took)| report::Once {
                operation,
                ms: took.as_secs_f64() * 1000.0,
            })
            .collect(),
        payroll,
    };
    db.close().await;
    println!("\n{}", report.table());
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    match report.errors() {
        0 => Ok(()),
        errors => bail!("{errors} requests were not answered with 2xx; the figures are not valid"),
    }
}

/// The people scenarios, in the order they run; `[token, key]` are the owner's session and
/// an API key.
fn scenarios(
    base: &str,
    [token, key]: [&str; 2],
    deep_cursor: &str,
    user_ids: Vec<i64>,
    users: usize,
    concurrency: usize,
) -> Vec<Scenario> {
    let get = |name: String, url: String| {
        let token = token.to_owned();
        scenario(name, concurrency, move |client| {
            client.get(&url).bearer_auth(&token)
        })
    };
    let first_page = format!("/api/v1/users?limit={PAGE}");
    let deep_page = format!("{first_page}&cursor={deep_cursor}");
    let user_url = format!("{base}/api/v1/users/");
    let token_for_users = token.to_owned();
    let login_url = format!("{base}/api/v1/auth/login");
    vec![
        scenario(BASELINE.into(), concurrency, {
            let url = format!("{base}/health");
            move |client| client.get(&url)
        }),
        get(format!("GET {first_page}"), format!("{base}{first_page}")),
        get(
            format!("GET {first_page}&cursor=…"),
            format!("{base}{deep_page}"),
        ),
        scenario("GET /api/v1/users/{id}".into(), concurrency, {
            let user_ids = user_ids.clone();
            let user_url = user_url.clone();
            move |client| {
                let id = user_ids.choose(&mut rand::rng()).copied().unwrap_or(0);
                client
                    .get(format!("{user_url}{id}"))
                    .bearer_auth(&token_for_users)
            }
        }),
        scenario(
            "GET /api/v1/users/{id} (API key, rate-limited)".into(),
            concurrency,
            {
                let key = key.to_owned();
                move |client| {
                    let id = user_ids.choose(&mut rand::rng()).copied().unwrap_or(0);
                    client.get(format!("{user_url}{id}")).bearer_auth(&key)
                }
            },
        ),
        scenario(
            "POST /api/v1/auth/login".into(),
            concurrency.min(MAX_LOGIN_CONCURRENCY),
            move |client| {
                let n = rand::random_range(0..users);
                client
                    .post(&login_url)
                    .json(&json!({"email": seed::email(n), "password": seed::PASSWORD}))
            },
        ),
    ]
}

pub(crate) fn scenario(
    name: String,
    concurrency: usize,
    request: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync + 'static,
) -> Scenario {
    scenario_by_turn(name, concurrency, move |client, _| request(client))
}

/// A scenario whose requests depend on whose turn it is (see [`load::Turn`]).
pub(crate) fn scenario_by_turn(
    name: String,
    concurrency: usize,
    request: impl Fn(&reqwest::Client, load::Turn) -> reqwest::RequestBuilder + Send + Sync + 'static,
) -> Scenario {
    let request: MakeRequest = Arc::new(request);
    Scenario {
        name,
        concurrency,
        request,
    }
}

/// Signs in as `email` and returns the session token.
async fn sign_in(client: &reqwest::Client, base: &str, email: &str) -> anyhow::Result<String> {
    let body = fetch_json(
        client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"email": email, "password": seed::PASSWORD})),
    )
    .await
    .context("signing in")?;
    body["token"]
        .as_str()
        .map(str::to_owned)
        .context("the sign-in answer has no token")
}

/// A fresh key that reads people (API access enabled): its calls pass the scope check and
/// the rate limiter, a write per call.
async fn api_key(client: &reqwest::Client, base: &str, token: &str) -> anyhow::Result<String> {
    let body = fetch_json(
        client
            .post(format!("{base}/api/v1/api-keys"))
            .bearer_auth(token)
            .json(&json!({"name": "Benchmark", "scopes": ["people:read"]})),
    )
    .await
    .context("creating an API key")?;
    body["api_key"]
        .as_str()
        .map(str::to_owned)
        .context("the API key answer has no key")
}

/// Walks the user list a page at a time and returns the `next_cursor` that leads to page
/// `page` (counting from 1), exactly as a client paging that far would hold it.
async fn cursor_to_page(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    page: usize,
) -> anyhow::Result<String> {
    let mut cursor: Option<String> = None;
    for _ in 1..page {
        let mut request = client
            .get(format!("{base}/api/v1/users"))
            .bearer_auth(token)
            .query(&[("limit", PAGE.to_string())]);
        if let Some(cursor) = &cursor {
            request = request.query(&[("cursor", cursor)]);
        }
        let body = fetch_json(request).await.context("walking the user list")?;
        cursor = Some(
            body["next_cursor"]
                .as_str()
                .context("the user list ended before the deep page")?
                .to_owned(),
        );
    }
    cursor.context("the deep page is the first page")
}

async fn fetch_json(request: reqwest::RequestBuilder) -> anyhow::Result<Value> {
    let response = request.send().await?;
    let status = response.status();
    let body: Value = response.json().await?;
    if !status.is_success() {
        bail!("{status}: {body}");
    }
    Ok(body)
}
