//! The test app: the real router served on a random loopback port over a fresh database,
//! SQLite by default or PostgreSQL when `ROTA_TEST_POSTGRES_URL` names a server.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use rota_core::Db;
use rota_core::people::model::UserInput;
use rota_core::people::record::UserRecord;
use rota_core::people::types::{ApproverRole, UserType};
use rota_core::signup::{CompanyForCreate, CreatedCompany};
use rota_core::testing::{Scratch, scratch_database};
use rota_http::{AppState, HttpConfig};
use serde_json::{Value, json};

pub const PASSWORD: &str = "a long test password";

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub client: reqwest::Client,
    /// The database this app was spawned over: owned (dropped with the app), or shared
    /// with the app that owns it.
    database: Database,
}

enum Database {
    Owned(Scratch),
    Shared(String),
}

/// A response as tests read it.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

impl Reply {
    /// The error code of an error reply.
    pub fn code(&self) -> &str {
        self.body["error"]["code"]
            .as_str()
            .unwrap_or("<no error code>")
    }
    pub fn field(&self) -> Option<&str> {
        self.body["error"]["field"].as_str()
    }

    /// Reads a response: its body as JSON, as text when it is not JSON, `null` when empty.
    pub async fn read(response: reqwest::Response) -> Self {
        let status = response.status();
        let text = response.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Reply { status, body }
    }
}

impl TestApp {
    /// The app as a server runs it: with a secret key, so MFA is available.
    pub async fn spawn() -> Self {
        Self::spawn_with(HttpConfig {
            secret_key: Some(rota_core::sealing::SecretKey::random()),
            ..HttpConfig::default()
        })
        .await
    }

    pub async fn spawn_with(config: HttpConfig) -> Self {
        let scratch = scratch_database().await.expect("a scratch database");
        let db = scratch.db.clone();
        Self::serve(db, config, Database::Owned(scratch)).await
    }

    /// A second server on this app's database, with a pool of its own: another Rota
    /// process, or this one after a restart.
    pub async fn beside(&self, config: HttpConfig) -> Self {
        let url = match &self.database {
            Database::Owned(scratch) => scratch.url.clone(),
            Database::Shared(url) => url.clone(),
        };
        let db = Db::connect(&url).await.expect("a second pool");
        Self::serve(db, config, Database::Shared(url)).await
    }

    async fn serve(db: Db, config: HttpConfig, database: Database) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let state = AppState {
            db: db.clone(),
            config: Arc::new(config),
        };
        tokio::spawn(rota_http::serve(listener, state, std::future::pending()));
        Self {
            base: format!("http://{address}"),
            db,
            client: reqwest::Client::new(),
            database,
        }
    }

    /// Sends a request; `body` goes as JSON when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        send(&self.client, &self.base, method, path, token, body).await
    }

    /// Sends every request at the same moment, each on its own task and connection,
    /// alternately to this server and to `other` (another process on the same database),
    /// and returns the replies in the order of `shots`: the way to prove a rule that
    /// checks, then writes, holds under concurrency.
    pub async fn race(&self, other: &TestApp, shots: Vec<Shot>) -> Vec<Reply> {
        let start = Arc::new(tokio::sync::Barrier::new(shots.len()));
        let tasks: Vec<_> = shots
            .into_iter()
            .enumerate()
            .map(|(i, shot)| {
                let server = if i % 2 == 0 { self } else { other };
                let (client, base, start) =
                    (server.client.clone(), server.base.clone(), start.clone());
                tokio::spawn(async move {
                    start.wait().await;
                    let token = shot.token.as_deref();
                    let headers: Vec<(&str, &str)> = shot
                        .app_id
                        .iter()
                        .map(|id| ("app-id", id.as_str()))
                        .collect();
                    send_with(
                        &client,
                        &base,
                        shot.method,
                        &shot.path,
                        token,
                        &headers,
                        shot.body,
                    )
                    .await
                })
            })
            .collect();
        let mut replies = Vec::new();
        for task in tasks {
            replies.push(task.await.expect("task"));
        }
        replies
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }
    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }
    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }
    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// Signs in and returns the session token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let reply = self
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login of {email} failed: {:?}",
            reply.body
        );
        reply.body["token"].as_str().expect("token").to_owned()
    }

    /// A company with its owner signed in.
    pub async fn company(&self, name: &str) -> TestCompany {
        let slug = name.to_lowercase().replace(' ', "-");
        let owner_email = format!("owner@{slug}.test");
        let CreatedCompany {
            company_id,
            owner_id,
        } = rota_core::signup::create_company(
            &self.db,
            CompanyForCreate {
                name: name.into(),
                time_zone: Some("Europe/London".into()),
                holiday_country: Some("GB".into()),
                owner_email: owner_email.clone(),
                owner_password: PASSWORD.into(),
                owner_first_name: Some("Owen".into()),
                owner_last_name: Some("Owner".into()),
            },
        )
        .await
        .expect("create company");
        let owner_token = self.login(&owner_email, PASSWORD).await;
        TestCompany {
            id: company_id,
            slug,
            owner: Member {
                id: owner_id,
                email: owner_email,
                token: owner_token,
            },
        }
    }

    /// Creates a user through the API as the company's owner and signs them in.
    pub async fn member(&self, company: &TestCompany, handle: &str, fields: Value) -> Member {
        let email = format!("{handle}@{}.test", company.slug);
        let mut body = json!({"email": email, "first_name": handle, "last_name": "Tester", "password": PASSWORD});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), fields.as_object()) {
            body.extend(extra.clone());
        }
        let reply = self.post("/api/v1/users", &company.owner.token, body).await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "creating {handle}: {:?}",
            reply.body
        );
        let id = reply.body["id"].as_i64().expect("id");
        let token = self.login(&email, PASSWORD).await;
        Member { id, email, token }
    }

    /// Inserts a user straight into the database (no password), for bulk fixtures.
    pub async fn insert_user(&self, company_id: i64, email: &str, input: UserInput) -> i64 {
        let mut record = UserRecord::new(company_id, email.into(), "Bulk".into(), "User".into(), 0);
        input.apply_to(&mut record).expect("valid fixture");
        let mut tx = self.db.begin_write().await.expect("tx");
        let id = record.insert(&mut tx).await.expect("insert");
        tx.commit().await.expect("commit");
        id
    }
}

pub async fn send(
    client: &reqwest::Client,
    base: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Reply {
    send_with(client, base, method, path, token, &[], body).await
}

/// [`send`] with more headers (a WhosOff call's `app-id`).
pub async fn send_with(
    client: &reqwest::Client,
    base: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Reply {
    let mut request = client.request(method, format!("{base}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    Reply::read(request.send().await.expect("request")).await
}

/// A company's leave types, read once, looked up by code (`H`, `S`, `U`, `W`, `T`, `O`).
pub struct LeaveTypes(Value);

impl LeaveTypes {
    pub fn id(&self, code: &str) -> i64 {
        self.0["data"]
            .as_array()
            .expect("types")
            .iter()
            .find(|t| t["code"] == code)
            .and_then(|t| t["id"].as_i64())
            .unwrap_or_else(|| panic!("no leave type {code}"))
    }
}

impl TestApp {
    pub async fn leave_types(&self, token: &str) -> LeaveTypes {
        LeaveTypes(self.get("/api/v1/leave-types?limit=100", token).await.body)
    }
}

/// One request of a [`TestApp::race`].
pub struct Shot {
    pub method: Method,
    pub path: String,
    pub token: Option<String>,
    pub body: Option<Value>,
    /// The `app-id` header a WhosOff call sends with its bearer token.
    pub app_id: Option<String>,
}

impl Shot {
    pub fn post(path: impl Into<String>, token: &str, body: Value) -> Self {
        Self {
            method: Method::POST,
            path: path.into(),
            token: Some(token.to_owned()),
            body: Some(body),
            app_id: None,
        }
    }
    /// A POST without credentials (sign-in).
    pub fn anonymous_post(path: impl Into<String>, body: Value) -> Self {
        Self {
            method: Method::POST,
            path: path.into(),
            token: None,
            body: Some(body),
            app_id: None,
        }
    }
    pub fn delete(path: impl Into<String>, token: &str) -> Self {
        Self {
            method: Method::DELETE,
            path: path.into(),
            token: Some(token.to_owned()),
            body: None,
            app_id: None,
        }
    }
    pub fn patch(path: impl Into<String>, token: &str, body: Value) -> Self {
        Self {
            method: Method::PATCH,
            ..Self::post(path, token, body)
        }
    }
    pub fn put(path: impl Into<String>, token: &str, body: Value) -> Self {
        Self {
            method: Method::PUT,
            ..Self::post(path, token, body)
        }
    }
    pub fn get(path: impl Into<String>, token: &str) -> Self {
        Self {
            method: Method::GET,
            ..Self::delete(path, token)
        }
    }
}

/// How many replies have `status` and (when given) the error `code`.
pub fn tally(replies: &[Reply], status: StatusCode, code: Option<&str>) -> usize {
    replies
        .iter()
        .filter(|r| r.status == status && code.is_none_or(|c| r.code() == c))
        .count()
}

pub struct TestCompany {
    pub id: i64,
    pub slug: String,
    pub owner: Member,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub id: i64,
    pub email: String,
    pub token: String,
}

/// One person of every role in a company: staff (reporting to the approver), the three
/// approver levels, a super user and the owner, plus a department they share.
pub struct Cast {
    pub department_id: i64,
    pub staff: Member,
    pub approver: Member,
    pub approver_add: Member,
    pub approver_edit: Member,
    pub super_user: Member,
}

impl TestApp {
    pub async fn cast(&self, company: &TestCompany) -> Cast {
        let department = self
            .post(
                "/api/v1/departments",
                &company.owner.token,
                json!({"name": "Operations"}),
            )
            .await;
        let department_id = department.body["id"].as_i64().expect("department id");
        let approver = self
            .member(
                company,
                "approver",
                json!({"user_type_id": UserType::Approver.code(), "department_id": department_id}),
            )
            .await;
        let approver_add = self
            .member(company, "approver-add", json!({"user_type_id": UserType::ApproverPlusAdd.code(), "department_id": department_id}))
            .await;
        let approver_edit = self
            .member(
                company,
                "approver-edit",
                json!({"user_type_id": UserType::ApproverPlusAddEditCancel.code()}),
            )
            .await;
        let super_user = self
            .member(
                company,
                "super",
                json!({"user_type_id": UserType::SuperUser.code()}),
            )
            .await;
        let staff = self
            .member(
                company,
                "staff",
                json!({"department_id": department_id, "approver_id": approver.id,
                       "approver_role": ApproverRole::ApproverBoth.as_str()}),
            )
            .await;
        Cast {
            department_id,
            staff,
            approver,
            approver_add,
            approver_edit,
            super_user,
        }
    }
}
