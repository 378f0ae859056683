//! `rota bench` as the benchmark script runs it, made small: the real binary seeds an empty
//! database, loads itself, and reports every scenario without a single error.

use std::process::Command;

use rota_core::testing::scratch_database;
use serde_json::Value;

fn bench(url: &str, json: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rota"))
        .args([
            "bench",
            "--database-url",
            url,
            "--users",
            "200",
            "--payroll-people",
            "20",
        ])
        .args(["--seconds", "1", "--concurrency", "2", "--json"])
        .arg(json)
        .output()
        .expect("run rota bench")
}

#[tokio::test]
async fn the_benchmark_measures_every_scenario_and_refuses_a_database_in_use() {
    let scratch = scratch_database().await.expect("database");
    let json = std::env::temp_dir().join(format!("rota-bench-{}.json", std::process::id()));

    let output = bench(&scratch.url, &json);
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("the JSON report"))
            .expect("JSON");
    let _ = std::fs::remove_file(&json);

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "rota bench failed: {stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("vs health"), "no table in {stdout}");
    let scenarios = report["scenarios"].as_array().expect("scenarios");
    let names: Vec<&str> = scenarios
        .iter()
        .map(|s| s["scenario"].as_str().expect("name"))
        .collect();
    // The leave is seeded in the current year, whose June the month scenarios read.
    let year = jiff::Zoned::now().year();
    let month = format!("from={year}-06-01&to={year}-06-30");
    let company_month = format!("GET /api/v1/calendar?{month} (company)");
    let department_month = format!("GET /api/v1/calendar?{month}&department_id=…");
    let page = format!("GET /whos-off?month={year}-06&group=d… (the web page, the department)");
    assert_eq!(
        names,
        [
            "GET /health",
            "GET /api/v1/users?limit=50",
            "GET /api/v1/users?limit=50&cursor=…",
            "GET /api/v1/users/{id}",
            "GET /api/v1/users/{id} (API key, rate-limited)",
            "POST /api/v1/auth/login",
            "GET /api/v1/users?department_id=…&limit=50",
            company_month.as_str(),
            department_month.as_str(),
            page.as_str(),
            "GET /api/v1/users/{id}/allowances",
            "GET /api/v1/reports/my-staff (approver of 500)",
            "GET /api/v1/reports/my-staff (company)",
            "POST /api/v1/leave-requests (approved at once)",
            "GET /api/v1/schedule (a location's week)",
            "POST /api/v1/times/clock-in, then clock-out (a person per worker)",
            // The face's calls, each beside its native equivalent, run by turns.
            "GET /api/v1/users?department_id=…&limit=50 (the client's token)",
            "POST /whosoff/v4/user/retrieve (map type 1, the same department)",
            "GET /api/v1/calendar?…&department_id=… (the client's token)",
            "POST /whosoff/v4/whosoff/retrieve (the department's month)",
            "POST /api/v1/leave-requests (approved at once) (the client's token)",
            "POST /whosoff/v4/leave/submit (approved at once)",
        ]
    );
    let costs = report["face_costs"].as_array().expect("face_costs");
    let calls: Vec<&str> = costs.iter().filter_map(|c| c["call"].as_str()).collect();
    assert_eq!(calls, ["user/retrieve", "whosoff/retrieve", "leave/submit"]);
    for cost in costs {
        assert!(cost["cost"].as_f64() > Some(0.0), "{cost}");
    }
    assert!(
        stdout.contains("The WhosOff face beside the native API"),
        "{stdout}"
    );
    for scenario in scenarios {
        assert_eq!(scenario["errors"], 0, "{scenario}");
        assert!(scenario["requests"].as_u64() > Some(0), "{scenario}");
    }
    assert_eq!(
        report["leave_requests"],
        200 * 5 * 8,
        "eight absences a person a year, five years"
    );
    assert_eq!(
        (
            &report["schedule"]["people"],
            &report["schedule"]["shifts"],
            &report["schedule"]["occurrences"]
        ),
        (&40.into(), &(32 * 7).into(), &(8 * 7).into()),
        "a shift a day for the 40 people of the first location, 8 of them repeating"
    );
    let once = report["once"].as_array().expect("once");
    assert_eq!(
        once.len(),
        4,
        "the week published and taken back, each followed by a read"
    );
    assert!(
        once[0]["operation"]
            .as_str()
            .is_some_and(|o| o.contains("224 shifts")),
        "{once:?}"
    );
    assert!(
        once[1]["operation"]
            .as_str()
            .is_some_and(|o| o.contains("first read after the publish")),
        "{once:?}"
    );
    assert_eq!(
        report["deep_page"], 3,
        "three quarters of 201 users in pages of 50"
    );
    let payroll = &report["payroll"];
    assert_eq!(payroll["people"], 20, "{payroll}");
    let entries = payroll["time_entries"].as_u64().expect("entries");
    assert!(
        (20 * 28..=20 * 31).contains(&entries),
        "a month a day each: {payroll}"
    );
    assert!(payroll["close_seconds"].as_f64() > Some(0.0), "{payroll}");
    // Regular time for everyone, and overtime for those whose days run past 8 hours.
    assert!(payroll["csv_rows"].as_u64() >= Some(20), "{payroll}");

    let again = bench(&scratch.url, &json);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("needs an empty database"));
}
