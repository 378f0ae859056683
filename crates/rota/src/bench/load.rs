//! Driving load: a scenario's workers send requests back to back over loopback until its
//! time is up (or a per-worker cap is reached), timing each one from send to the last byte
//! of the body. Only 2xx answers count as served; anything else is an error, counted and
//! kept out of the latencies, so a run that measures refusals cannot pass for a fast one.

use std::sync::Arc;
use std::time::{Duration, Instant};

/// Makes the next request of a scenario; called once per request, so it may vary them.
pub type MakeRequest = Arc<dyn Fn(&reqwest::Client, Turn) -> reqwest::RequestBuilder + Send + Sync>;

/// Whose turn a request is: the worker sending it (from 0) and how many that worker sent
/// before. A worker waits for each answer, so its requests never overlap.
#[derive(Debug, Clone, Copy)]
pub struct Turn {
    pub worker: usize,
    pub sent: usize,
}

/// A bound on the requests one worker sends, besides the time.
const MAX_REQUESTS_PER_WORKER: usize = 1_000_000;

pub struct Scenario {
    pub name: String,
    pub concurrency: usize,
    pub request: MakeRequest,
}

/// What a scenario measured.
pub struct Outcome {
    pub name: String,
    pub concurrency: usize,
    pub elapsed: Duration,
    /// Latencies of the 2xx answers, shortest first.
    pub latencies: Vec<Duration>,
    pub errors: u64,
    /// The first error, to say what went wrong.
    pub first_error: Option<String>,
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: u64,
    first_error: Option<String>,
}

/// How long each turn of an interleaved pair lasts.
const TURN: Duration = Duration::from_secs(1);

/// Runs two scenarios by turns of a second, the first then the second, until each has
/// run `duration`: what drifts on the machine over a run (another process, the page
/// cache, PostgreSQL's autovacuum) falls on both alike, so their ratio holds where two
/// runs one after the other move it by a tenth.
pub async fn run_interleaved(
    client: &reqwest::Client,
    pair: &[Scenario; 2],
    duration: Duration,
) -> [Outcome; 2] {
    let mut outcomes = pair.each_ref().map(Outcome::none);
    let mut left = duration;
    while !left.is_zero() {
        let turn = left.min(TURN);
        for (outcome, scenario) in outcomes.iter_mut().zip(pair) {
            outcome.absorb(run(client, scenario, turn).await);
        }
        left -= turn;
    }
    for outcome in &mut outcomes {
        outcome.latencies.sort_unstable();
    }
    outcomes
}

impl Outcome {
    /// Nothing measured yet of `scenario`.
    fn none(scenario: &Scenario) -> Self {
        Self {
            name: scenario.name.clone(),
            concurrency: scenario.concurrency,
            elapsed: Duration::ZERO,
            latencies: Vec::new(),
            errors: 0,
            first_error: None,
        }
    }

    /// Adds another turn of the same scenario (its latencies left unsorted).
    fn absorb(&mut self, turn: Outcome) {
        self.elapsed += turn.elapsed;
        self.latencies.extend(turn.latencies);
        self.errors += turn.errors;
        self.first_error = self.first_error.take().or(turn.first_error);
    }
}

/// Runs `scenario` for `duration` and gathers what every worker measured.
pub async fn run(client: &reqwest::Client, scenario: &Scenario, duration: Duration) -> Outcome {
    let started = Instant::now();
    let deadline = started + duration;
    let workers: Vec<_> = (0..scenario.concurrency)
        .map(|n| {
            let request = scenario.request.clone();
            tokio::spawn(worker(client.clone(), request, n, deadline))
        })
        .collect();
    let mut total = Tally::default();
    for worker in workers {
        match worker.await {
            Ok(tally) => {
                total.latencies.extend(tally.latencies);
                total.errors += tally.errors;
                total.first_error = total.first_error.or(tally.first_error);
            }
            Err(failure) => {
                total.errors += 1;
                total
                    .first_error
                    .get_or_insert_with(|| format!("worker failed: {failure}"));
            }
        }
    }
    let elapsed = started.elapsed();
    total.latencies.sort_unstable();
    Outcome {
        name: scenario.name.clone(),
        concurrency: scenario.concurrency,
        elapsed,
        latencies: total.latencies,
        errors: total.errors,
        first_error: total.first_error,
    }
}

async fn worker(
    client: reqwest::Client,
    request: MakeRequest,
    n: usize,
    deadline: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut sent = 0;
    while sent < MAX_REQUESTS_PER_WORKER && Instant::now() < deadline {
        let turn = Turn { worker: n, sent };
        sent += 1;
        let started = Instant::now();
        match send(request(&client, turn)).await {
            Ok(()) => tally.latencies.push(started.elapsed()),
            Err(error) => {
                tally.errors += 1;
                tally.first_error.get_or_insert(error);
            }
        }
    }
    tally
}

/// Sends a request and reads its whole body; an error unless the status is 2xx.
async fn send(request: reqwest::RequestBuilder) -> Result<(), String> {
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(())
    } else {
        let shown = body.get(..200).unwrap_or(&body);
        Err(format!("{status}: {}", String::from_utf8_lossy(shown)))
    }
}
