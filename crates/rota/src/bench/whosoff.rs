//! The WhosOff face under load, beside its native equivalent in the same run: `v4/user/
//! retrieve` of one department (map type 1: 40 people at 2,000) through the face's bearer
//! token and `app-id`, and `GET /api/v1/users?department_id=…&limit=50`, the same people
//! natively.

use anyhow::Context;
use serde_json::json;

use super::load::Scenario;
use super::{PAGE, fetch_json, scenario};

/// The face's bearer token and App ID, from the client API access was enabled with
/// (`enabled` is that answer), through the client-credentials grant: the owner's.
async fn bearer(
    client: &reqwest::Client,
    base: &str,
    enabled: &serde_json::Value,
) -> anyhow::Result<(String, String)> {
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
    let token = body["access_token"]
        .as_str()
        .context("the token answer has no access_token")?;
    Ok((token.to_owned(), app_id.to_owned()))
}

/// The scenarios, native first; `token` is the owner's session.
pub async fn scenarios(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    enabled: &serde_json::Value,
    concurrency: usize,
) -> anyhow::Result<Vec<Scenario>> {
    let (bearer, app_id) = bearer(client, base, enabled).await?;
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
    let face_url = format!("{base}/whosoff/v4/user/retrieve");
    let body = json!({"map_type_id": "1", "map_id": department.to_string(), "status_id": "1"});
    Ok(vec![
        scenario(
            format!("GET /api/v1/users?department_id=…&limit={PAGE}"),
            concurrency,
            move |client| client.get(&native_url).bearer_auth(&native_token),
        ),
        scenario(
            "POST /whosoff/v4/user/retrieve (map type 1, the same department)".into(),
            concurrency,
            move |client| {
                client
                    .post(&face_url)
                    .bearer_auth(&bearer)
                    .header("app-id", &app_id)
                    .json(&body)
            },
        ),
    ])
}
