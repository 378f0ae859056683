//! The benchmark's results: requests per second and latency percentiles per scenario, each
//! scenario's throughput as a share of `/health`'s, as a table and as JSON.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use super::load::Outcome;

/// The scenario every other is compared with.
pub const BASELINE: &str = "GET /health";

#[derive(Debug, Serialize)]
pub struct Report {
    pub engine: &'static str,
    pub users: usize,
    pub departments: usize,
    pub seconds: u64,
    pub concurrency: usize,
    pub seeding_seconds: f64,
    /// Leave requests seeded (five years of history).
    pub leave_requests: usize,
    pub leave_seeding_seconds: f64,
    /// The page (of 50) the deep-page scenario reads.
    pub deep_page: usize,
    pub schedule: ScheduleFacts,
    pub scenarios: Vec<Row>,
    /// The WhosOff face's calls beside their native equivalents.
    pub face_costs: Vec<FaceCost>,
    /// Closing a month's payroll period, timed once.
    pub payroll: super::payroll::PayrollRun,
    /// Operations timed once, after the scenarios.
    pub once: Vec<Once>,
}

/// The week of shifts the schedule scenarios read and publish.
#[derive(Debug, Serialize)]
pub struct ScheduleFacts {
    pub people: usize,
    /// Stored shifts, and occurrences of repeating shifts, in the week.
    pub shifts: usize,
    pub occurrences: usize,
    pub seeding_seconds: f64,
}

/// A face call beside its native equivalent, the two run by turns in the same run.
#[derive(Debug, Serialize)]
pub struct FaceCost {
    pub call: &'static str,
    pub native_requests_per_second: f64,
    pub face_requests_per_second: f64,
    /// What a face call costs for a native one: the native rate over the face's (1.10 is
    /// a tenth dearer); 0 when the face served nothing.
    pub cost: f64,
}

impl FaceCost {
    pub fn of(call: &'static str, native: &Outcome, face: &Outcome) -> Self {
        let (native_rps, face_rps) = (native.served_per_second(), face.served_per_second());
        Self {
            call,
            native_requests_per_second: native_rps,
            face_requests_per_second: face_rps,
            cost: if face_rps > 0.0 {
                native_rps / face_rps
            } else {
                0.0
            },
        }
    }
}

/// An operation timed once.
#[derive(Debug, Serialize)]
pub struct Once {
    pub operation: String,
    pub ms: f64,
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub scenario: String,
    pub concurrency: usize,
    /// Every request sent, errors included.
    pub requests: u64,
    pub errors: u64,
    /// 2xx answers per second.
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// `requests_per_second` divided by the baseline's.
    pub vs_health: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
}

impl Outcome {
    /// The 2xx answers per second.
    fn served_per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }
}

impl Row {
    fn of(outcome: Outcome, baseline_rps: f64) -> Self {
        let requests_per_second = outcome.served_per_second();
        Self {
            requests: outcome.latencies.len() as u64 + outcome.errors,
            errors: outcome.errors,
            requests_per_second,
            p50_ms: millis(percentile(&outcome.latencies, 50.0)),
            p99_ms: millis(percentile(&outcome.latencies, 99.0)),
            vs_health: if baseline_rps > 0.0 {
                requests_per_second / baseline_rps
            } else {
                0.0
            },
            scenario: outcome.name,
            concurrency: outcome.concurrency,
            first_error: outcome.first_error,
        }
    }
}

/// The rows of `outcomes`, each compared with the baseline's throughput.
pub fn rows(outcomes: Vec<Outcome>) -> Vec<Row> {
    let baseline_rps = outcomes
        .iter()
        .find(|o| o.name == BASELINE)
        .map_or(0.0, Outcome::served_per_second);
    outcomes
        .into_iter()
        .map(|o| Row::of(o, baseline_rps))
        .collect()
}

/// The nearest-rank percentile of latencies sorted shortest first; zero when there are none.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.saturating_sub(1))
        .copied()
        .unwrap_or_default()
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

impl Report {
    pub fn errors(&self) -> u64 {
        self.scenarios.iter().map(|r| r.errors).sum()
    }

    /// The results as a plain-text table, with a line per scenario that had errors.
    pub fn table(&self) -> String {
        let mut out = format!(
            "Rota bench on {}: {} users in {} departments, seeded in {:.1} s; {} leave requests, seeded in {:.1} s; {} s per scenario; deep page = page {}\n",
            self.engine,
            self.users,
            self.departments,
            self.seeding_seconds,
            self.leave_requests,
            self.leave_seeding_seconds,
            self.seconds,
            self.deep_page
        );
        let _ = writeln!(
            out,
            "The schedule: a location's week of {} shifts and {} occurrences of repeating shifts for {} people, built through the API in {:.1} s",
            self.schedule.shifts,
            self.schedule.occurrences,
            self.schedule.people,
            self.schedule.seeding_seconds
        );
        let _ = writeln!(
            out,
            "{:<70} {:>4} {:>9} {:>7} {:>9} {:>8} {:>8} {:>9}",
            "scenario", "conc", "requests", "errors", "req/s", "p50 ms", "p99 ms", "vs health"
        );
        for row in &self.scenarios {
            let _ = writeln!(
                out,
                "{:<70} {:>4} {:>9} {:>7} {:>9.0} {:>8.2} {:>8.2} {:>9.3}",
                row.scenario,
                row.concurrency,
                row.requests,
                row.errors,
                row.requests_per_second,
                row.p50_ms,
                row.p99_ms,
                row.vs_health
            );
        }
        if !self.face_costs.is_empty() {
            let _ = writeln!(
                out,
                "The WhosOff face beside the native API, by turns (cost = native req/s ÷ face req/s):\n{:<20} {:>12} {:>12} {:>6}",
                "call", "native req/s", "face req/s", "cost"
            );
            for cost in &self.face_costs {
                let _ = writeln!(
                    out,
                    "{:<20} {:>12.0} {:>12.0} {:>6.2}",
                    cost.call,
                    cost.native_requests_per_second,
                    cost.face_requests_per_second,
                    cost.cost
                );
            }
        }
        for once in &self.once {
            let _ = writeln!(out, "{}: {:.0} ms", once.operation, once.ms);
        }
        let p = &self.payroll;
        let _ = writeln!(
            out,
            "payroll period {}: {} people, {} time entries seeded in {:.1} s; read while open {:.2} s, \
             closed in {:.2} s, CSV of {} rows in {:.2} s",
            p.period,
            p.people,
            p.time_entries,
            p.seeding_seconds,
            p.read_open_seconds,
            p.close_seconds,
            p.csv_rows,
            p.export_seconds
        );
        for row in self.scenarios.iter().filter(|r| r.errors > 0) {
            let _ = writeln!(
                out,
                "{}: {} errors, the first: {}",
                row.scenario,
                row.errors,
                row.first_error.as_deref().unwrap_or("?")
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|v| Duration::from_millis(*v)).collect()
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let latencies = ms(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&latencies, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&latencies, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&ms(&[7]), 99.0), Duration::from_millis(7));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }

    #[test]
    fn throughput_is_compared_with_the_health_baseline() {
        let outcome = |name: &str, served: u64, errors: u64| Outcome {
            name: name.into(),
            concurrency: 4,
            elapsed: Duration::from_secs(2),
            latencies: ms(&vec![1; served as usize]),
            errors,
            first_error: (errors > 0).then(|| "401 Unauthorized".into()),
        };
        let rows = rows(vec![
            outcome(BASELINE, 1000, 0),
            outcome("GET /api/v1/users", 250, 3),
        ]);
        assert_eq!(rows[0].vs_health, 1.0);
        assert_eq!(rows[1].requests_per_second, 125.0);
        assert_eq!(rows[1].vs_health, 0.25);
        assert_eq!(rows[1].requests, 253);
        assert_eq!(rows[1].errors, 3);
    }

    #[test]
    fn a_face_costs_the_native_rate_over_its_own() {
        let outcome = |served: u64| Outcome {
            name: "call".into(),
            concurrency: 1,
            elapsed: Duration::from_secs(4),
            latencies: ms(&vec![1; served as usize]),
            errors: 0,
            first_error: None,
        };
        let cost = FaceCost::of("user/retrieve", &outcome(1100), &outcome(1000));
        assert_eq!(cost.native_requests_per_second, 275.0);
        assert_eq!(cost.face_requests_per_second, 250.0);
        assert!((cost.cost - 1.1).abs() < 1e-9, "{}", cost.cost);
        assert_eq!(
            FaceCost::of("leave/submit", &outcome(10), &outcome(0)).cost,
            0.0
        );
    }
}
