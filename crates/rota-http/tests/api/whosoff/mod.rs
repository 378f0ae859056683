//! The WhosOff face: its conventions (envelope, statuses, lenient values, trailing
//! slashes, unknown endpoints) and, one module per controller, its calls.

mod authenticate;
mod company_message;
mod department;
mod leave;
mod leave_type;
mod lookup;
mod matrix;
mod overtime;
mod overtime_type;
mod reporting;
mod shapes;
mod tag;
mod user;
mod user_allowance;
mod user_note;
mod user_restriction;
mod who_is_off;
mod work;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::access::{enable, new_client, token};
use crate::common::{Member, Reply, TestApp, TestCompany, send};

/// A WhosOff integration acting as one member of a company: an API client of that
/// company acting as the member, and a bearer token of that client.
pub struct Integration {
    pub app_id: String,
    pub token: String,
}

impl Integration {
    /// Switches the company's API access on (once) and gives `member` an integration.
    pub async fn of(app: &TestApp, company: &TestCompany, member: &Member) -> Self {
        let access = app.get("/api/v1/api-access", &company.owner.token).await;
        if access.body["enabled"] != json!(true) {
            enable(app, company).await;
        }
        let client = new_client(
            app,
            &company.owner.token,
            json!({"name": format!("WhosOff for {}", member.email), "acts_as_user_id": member.id,
                   "scopes": ["people:read", "people:write", "leave:read", "leave:write", "reports:read"]}),
        )
        .await;
        Self {
            app_id: client["app_id"].as_str().expect("app id").to_owned(),
            token: token(app, &client).await,
        }
    }

    /// A call with WhosOff's headers: the bearer token and `app-id`.
    pub async fn call(
        &self,
        app: &TestApp,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        let mut request = app
            .client
            .request(method, format!("{}/whosoff{path}", app.base))
            .bearer_auth(&self.token)
            .header("app-id", &self.app_id);
        if let Some(body) = body {
            request = request.json(&body);
        }
        Reply::read(request.send().await.expect("request")).await
    }
}

/// The face's own OpenAPI document, as `GET {root}/openapi.json` serves it.
pub async fn document(app: &TestApp) -> Reply {
    send(
        &app.client,
        &app.base,
        Method::GET,
        "/whosoff/openapi.json",
        None,
        None,
    )
    .await
}

/// The envelope of a successful call: no errors, the data.
pub fn data(reply: &Reply) -> &Value {
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["Errors"], json!([]), "{:?}", reply.body);
    &reply.body["Data"]
}

/// The envelope of a refused call: its status and its first error's code.
pub fn refused(reply: &Reply) -> (StatusCode, &str) {
    let errors = reply.body["Errors"].as_array().expect("Errors array");
    assert!(!errors.is_empty(), "{:?}", reply.body);
    assert!(reply.body.get("Data").is_some(), "{:?}", reply.body);
    (reply.status, errors[0]["Code"].as_str().expect("Code"))
}

#[tokio::test]
async fn an_unknown_call_is_404_in_the_envelope_and_a_wrong_method_405() {
    let app = TestApp::spawn().await;
    let reply = send(
        &app.client,
        &app.base,
        Method::GET,
        "/whosoff/v4/nothing/here",
        None,
        None,
    )
    .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::NOT_FOUND, "endpoint_not_found")
    );
    let reply = send(
        &app.client,
        &app.base,
        Method::GET,
        "/whosoff/v4/department/create",
        None,
        None,
    )
    .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
}

#[tokio::test]
async fn calls_need_the_bearer_token_and_the_app_id_of_its_client() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let owner = Integration::of(&app, &company, &company.owner).await;
    let other = Integration::of(&app, &company, &company.owner).await;

    let reply = send(
        &app.client,
        &app.base,
        Method::GET,
        "/whosoff/v4/department/retrieve",
        None,
        None,
    )
    .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );

    let without_app_id = app
        .get("/whosoff/v4/department/retrieve", &owner.token)
        .await;
    assert_eq!(
        refused(&without_app_id),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );

    let crossed = Integration {
        app_id: other.app_id.clone(),
        token: owner.token.clone(),
    };
    let reply = crossed
        .call(&app, Method::GET, "/v4/department/retrieve", None)
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );

    // A person's session is the native API's, not a WhosOff bearer.
    let session = Integration {
        app_id: owner.app_id.clone(),
        token: company.owner.token.clone(),
    };
    let reply = session
        .call(&app, Method::GET, "/v4/department/retrieve", None)
        .await;
    assert_eq!(
        refused(&reply),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );

    let reply = owner
        .call(&app, Method::GET, "/v4/department/retrieve", None)
        .await;
    assert!(data(&reply).is_array());
}

#[tokio::test]
async fn answers_are_gzipped_when_asked() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(format!("{}/whosoff/openapi.json", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("request");
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn the_face_documents_itself_apart_from_the_native_document() {
    let app = TestApp::spawn().await;
    let reply = document(&app).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["servers"][0]["url"], "/whosoff");
    assert!(reply.body["paths"]["/v4/department/create"]["post"].is_object());
    let native = send(
        &app.client,
        &app.base,
        Method::GET,
        "/api/v1/openapi.json",
        None,
        None,
    )
    .await;
    let paths = native.body["paths"].as_object().expect("paths");
    assert!(paths.keys().all(|path| !path.contains("v4/")));
}
