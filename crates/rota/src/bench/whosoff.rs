//! The WhosOff face under load, each call beside its native equivalent with the same
//! credential (the client's token, rate-limited alike), the two run by turns
//! ([`super::load::run_interleaved`]) so the report can set the face's cost beside the
//! native call's: `v4/user/retrieve` of one department (map type 1: 40 people at 2,000)
//! beside `GET /api/v1/users?department_id=…&limit=50`; `v4/whosoff/retrieve` of a
//! department's month beside the department calendar; and `v4/leave/submit` of a day
//! approved at once beside `POST /api/v1/leave-requests`.

use anyhow::Context;
use serde_json::json;

use super::leave::{FreshDays, LeaveSeeded};
use super::load::Scenario;
use super::{PAGE, fetch_json, scenario};

/// A face call and its native equivalent with the same credential, measured by turns.
pub struct Pair {
    /// The face's call, as WhosOff names it (`user/retrieve`).
    pub call: &'static str,
    /// The native equivalent, then the face's.
    pub scenarios: [Scenario; 2],
}

/// How the face's calls are made: its bearer token and App ID.
#[derive(Clone)]
pub struct Face {
    bearer: String,
    app_id: String,
}

impl Face {
    /// The face's bearer token and App ID, from the client API access was enabled with
    /// (`enabled` is that answer), through the client-credentials grant: the owner's.
    pub async fn sign_in(
        client: &reqwest::Client,
        base: &str,
        enabled: &serde_json::Value,
    ) -> anyhow::Result<Self> {
        let app_id = enabled["app_id"]
            .as_str()
            .context("the enable answer has no app_id")?;
        let secret = enabled["client_secret"]
            .as_str()
            .context("the enable answer has no client_secret")?;
        let body = fetch_json(
            client
                .post(format!("{base}/api/v1/oauth/token"))
                .basic_auth(app_id, Some(secret))
                .form(&[("grant_type", "client_credentials")]),
        )
        .await
        .context("the client-credentials grant")?;
        let bearer = body["access_token"]
            .as_str()
            .context("the token answer has no access_token")?;
        Ok(Self {
            bearer: bearer.to_owned(),
            app_id: app_id.to_owned(),
        })
    }

    /// A scenario that posts a fresh `body()` to `{base}/whosoff/v4/{call}`.
    fn post(
        &self,
        name: &str,
        base: &str,
        call: &str,
        concurrency: usize,
        body: impl Fn() -> serde_json::Value + Send + Sync + 'static,
    ) -> Scenario {
        let face = self.clone();
        let url = format!("{base}/whosoff/v4/{call}");
        scenario(name.into(), concurrency, move |client| {
            client
                .post(&url)
                .bearer_auth(&face.bearer)
                .header("app-id", &face.app_id)
                .json(&body())
        })
    }

    /// The native equivalent of a face call with the same credential (the client's
    /// token, rate-limited as the face's calls are): `request` is sent with it.
    fn native(
        &self,
        name: &str,
        concurrency: usize,
        request: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync + 'static,
    ) -> Scenario {
        let bearer = self.bearer.clone();
        scenario(
            format!("{name} (the client's token)"),
            concurrency,
            move |client| request(client).bearer_auth(&bearer),
        )
    }
}

/// The user list of one department: natively with the owner's session (`token`), and
/// with the client's token beside the face's.
pub async fn people_scenarios(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    face: &Face,
    concurrency: usize,
) -> anyhow::Result<(Scenario, Pair)> {
    let departments = fetch_json(
        client
            .get(format!("{base}/api/v1/departments?limit=1"))
            .bearer_auth(token),
    )
    .await
    .context("finding a department")?;
    let department = departments["data"][0]["id"]
        .as_i64()
        .context("the company has no department")?;
    let native_url = format!("{base}/api/v1/users?department_id={department}&limit={PAGE}");
    let native_token = token.to_owned();
    let name = format!("GET /api/v1/users?department_id=…&limit={PAGE}");
    let body = json!({"map_type_id": "1", "map_id": department.to_string(), "status_id": "1"});
    let session = scenario(name.clone(), concurrency, {
        let url = native_url.clone();
        move |client| client.get(&url).bearer_auth(&native_token)
    });
    let pair = Pair {
        call: "user/retrieve",
        scenarios: [
            face.native(&name, concurrency, move |client| client.get(&native_url)),
            face.post(
                "POST /whosoff/v4/user/retrieve (map type 1, the same department)",
                base,
                "user/retrieve",
                concurrency,
                move || body.clone(),
            ),
        ],
    };
    Ok((session, pair))
}

/// The leave calls, each beside its native equivalent with the client's token: who is
/// off in the department month [`super::leave::scenarios`] reads, and a day of leave of
/// the type approved at once, from the same supply of fresh days.
pub fn leave_scenarios(
    base: &str,
    face: &Face,
    seeded: &LeaveSeeded,
    fresh: FreshDays,
    concurrency: usize,
) -> [Pair; 2] {
    let year = seeded.year;
    let month = json!({
        "map_type_id": "1", "map_id": seeded.department_id.to_string(),
        "start_date": format!("{year}-06-01"), "end_date": format!("{year}-06-30"),
        "include_free_restricted": false, "include_only_whosoff": true,
    });
    let type_id = seeded.instant_type_id;
    let calendar = format!(
        "{base}/api/v1/calendar?from={year}-06-01&to={year}-06-30&department_id={}",
        seeded.department_id
    );
    let create = format!("{base}/api/v1/leave-requests");
    let native_fresh = fresh.clone();
    [
        Pair {
            call: "whosoff/retrieve",
            scenarios: [
                face.native(
                    "GET /api/v1/calendar?…&department_id=…",
                    concurrency,
                    move |client| client.get(&calendar),
                ),
                face.post(
                    "POST /whosoff/v4/whosoff/retrieve (the department's month)",
                    base,
                    "whosoff/retrieve",
                    concurrency,
                    move || month.clone(),
                ),
            ],
        },
        Pair {
            call: "leave/submit",
            scenarios: [
                face.native(
                    "POST /api/v1/leave-requests (approved at once)",
                    concurrency,
                    move |client| {
                        let (user_id, day) = native_fresh.take();
                        client.post(&create).json(&json!({"user_id": user_id,
                            "leave_type_id": type_id, "start_date": day, "end_date": day}))
                    },
                ),
                face.post(
                    "POST /whosoff/v4/leave/submit (approved at once)",
                    base,
                    "leave/submit",
                    concurrency,
                    move || {
                        // A whole day: from its midnight to the next (WhosOff's end is
                        // exclusive).
                        let (user_id, day) = fresh.take();
                        let next = day.tomorrow().unwrap_or(day);
                        json!({"user_id": user_id, "leave_type_id": type_id,
                            "start_date": format!("{day}T00:00"), "end_date": format!("{next}T00:00")})
                    },
                ),
            ],
        },
    ]
}
