//! The API access pages as a browser uses them: only super users see and open them; a
//! client secret, an API key and a webhook's signing secret are shown once and work; the
//! core's refusals stand beside their fields and write nothing, as a form without its CSRF
//! token writes nothing; a webhook's delivery log and the audit log with its filters.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::web::Browser;

/// The value of the readonly field `id` on a page.
fn field_value(html: &str, id: &str) -> String {
    let start = format!(r#"id="{id}" type="text" value=""#);
    let at = html
        .find(&start)
        .unwrap_or_else(|| panic!("no {id} in {html}"));
    let rest = &html[at + start.len()..];
    rest[..rest.find('"').expect("the end of the value")].to_owned()
}

/// A page's status and HTML after a form is posted.
async fn submit(browser: &Browser, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let mut with_csrf = vec![("csrf", browser.csrf.as_str())];
    with_csrf.extend_from_slice(fields);
    let response = browser.post(path, &with_csrf).await;
    (response.status(), response.text().await.expect("html"))
}

/// An access token for a client through the client-credentials grant, as docs/api-access.md
/// shows it.
async fn token(app: &TestApp, app_id: &str, secret: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/oauth/token", app.base))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", app_id),
            ("client_secret", secret),
        ])
        .send()
        .await
        .expect("token")
}

async fn access_enabled(app: &TestApp, owner: &str) -> bool {
    app.get("/api/v1/api-access", owner).await.body["enabled"] == json!(true)
}

fn count(reply: &Value) -> usize {
    reply["data"].as_array().expect("data").len()
}

#[tokio::test]
async fn staff_and_approvers_may_not_open_the_access_pages_nor_see_their_link() {
    let app = TestApp::spawn().await;
    let company = app.company("Fenced Co").await;
    let cast = app.cast(&company).await;
    for member in [&cast.staff, &cast.approver, &cast.approver_edit] {
        let browser = Browser::sign_in(&app, &member.email).await;
        assert!(
            !browser
                .get("/whos-off")
                .await
                .html
                .contains(r#"href="/access""#),
            "{} sees the link",
            member.email
        );
        for path in [
            "/access",
            "/access/webhooks",
            "/access/webhooks/1",
            "/access/clients/1",
            "/access/audit",
        ] {
            let page = browser.get(path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
            assert!(page.html.contains("forbidden"), "{path}");
        }
        for path in [
            "/access/enable",
            "/access/clients",
            "/access/clients/1",
            "/access/webhooks",
        ] {
            let (status, _) = submit(&browser, path, &[("name", "Sneaky")]).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        }
    }
    assert!(!access_enabled(&app, &company.owner.token).await);
    let super_user = Browser::sign_in(&app, &cast.super_user.email).await;
    let page = super_user.get("/access").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains(r#"href="/access""#));
    assert!(page.html.contains("API access is off"));
    for path in ["/access/webhooks", "/access/audit"] {
        assert_eq!(super_user.get(path).await.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn a_client_secret_is_shown_once_and_a_call_with_it_succeeds() {
    let app = TestApp::spawn().await;
    let company = app.company("Secret Co").await;
    let owner = Browser::sign_in(&app, &company.owner.email).await;

    // Enabling issues the first client, its secret on the answer alone.
    let (status, html) = submit(&owner, "/access/enable", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let first = field_value(&html, "issued-secret");
    assert!(first.starts_with("rota_cs_"), "{first}");
    assert!(html.contains("only time it is shown"));
    assert!(access_enabled(&app, &company.owner.token).await);

    // A client of our own: people read only, from this machine.
    let (status, html) = submit(
        &owner,
        "/access/clients",
        &[
            ("name", "Payroll bureau"),
            ("scopes", "people:read"),
            ("scopes", "leave:read"),
            ("role_ceiling", "200"),
            ("ip_allow_list", "127.0.0.1\r\n2001:db8::/32"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let app_id = field_value(&html, "app-id");
    let secret = field_value(&html, "issued-secret");
    assert!(secret.starts_with("rota_cs_") && secret != first);

    // Never again: not on the list, not on a reload.
    let list = owner.get("/access").await;
    assert!(list.html.contains(&app_id), "the App ID is listed");
    assert!(list.html.contains("Payroll bureau"));
    assert!(!list.html.contains(&secret) && !list.html.contains(&first));
    assert!(!list.html.contains("issued-secret"));

    // The system calls the API with it, within its scopes.
    let response = token(&app, &app_id, &secret).await;
    assert_eq!(response.status(), StatusCode::OK);
    let access: Value = response.json().await.expect("token");
    let access = access["access_token"].as_str().expect("access token");
    assert_eq!(
        app.get("/api/v1/users", access).await.status,
        StatusCode::OK
    );
    let write = app
        .post("/api/v1/departments", access, json!({"name": "Nope"}))
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);

    // Regenerating shows a new secret once; the old one stops at once.
    let client_id = app
        .get("/api/v1/api-clients", &company.owner.token)
        .await
        .body["data"][1]["id"]
        .as_i64()
        .expect("id");
    let (status, html) = submit(
        &owner,
        &format!("/access/clients/{client_id}/regenerate"),
        &[("overlap_seconds", "0")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let renewed = field_value(&html, "issued-secret");
    assert_ne!(renewed, secret);
    assert_eq!(
        token(&app, &app_id, &secret).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        token(&app, &app_id, &renewed).await.status(),
        StatusCode::OK
    );

    // Revoked, it stops, and the list says so.
    let response = owner
        .post(
            &format!("/access/clients/{client_id}/revoke"),
            &[("csrf", owner.csrf.as_str())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        token(&app, &app_id, &renewed).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert!(
        owner
            .get("/access?done=client-revoked")
            .await
            .html
            .contains("revoked")
    );
}

#[tokio::test]
async fn an_api_key_is_shown_once_and_works_until_revoked() {
    let app = TestApp::spawn().await;
    let company = app.company("Key Co").await;
    let owner = Browser::sign_in(&app, &company.owner.email).await;
    submit(&owner, "/access/enable", &[]).await;
    let (status, html) = submit(
        &owner,
        "/access/keys",
        &[
            ("name", "Wallboard"),
            ("scopes", "leave:read"),
            ("expires_on", "2099-12-31"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let key = field_value(&html, "issued-secret");
    assert!(key.starts_with("rota_k_"), "{key}");
    let list = owner.get("/access").await.html;
    assert!(list.contains("Wallboard") && !list.contains(&key));
    assert!(list.contains("2099-12-3"), "the expiry is listed");
    assert_eq!(
        app.get("/api/v1/leave-types", &key).await.status,
        StatusCode::OK
    );
    let id = app.get("/api/v1/api-keys", &company.owner.token).await.body["data"][0]["id"]
        .as_i64()
        .expect("id");
    let response = owner
        .post(
            &format!("/access/keys/{id}/revoke"),
            &[("csrf", owner.csrf.as_str())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/api/v1/leave-types", &key).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_refused_form_shows_the_cores_message_beside_its_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let company = app.company("Refusal Co").await;
    let owner_token = &company.owner.token;
    let owner = Browser::sign_in(&app, &company.owner.email).await;
    submit(&owner, "/access/enable", &[]).await;
    let clients_before = count(&app.get("/api/v1/api-clients", owner_token).await.body);

    let (status, html) = submit(
        &owner,
        "/access/clients",
        &[
            ("name", "Typo"),
            ("scopes", "people:read"),
            ("ip_allow_list", "10.0.0.0/8\nnot-an-address"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="c-ip_allow_list-error""#), "{html}");
    assert!(html.contains("is not an IP address or CIDR range"));
    assert!(
        html.contains("not-an-address"),
        "the form comes back as typed"
    );
    let (status, html) = submit(&owner, "/access/clients", &[("name", " ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="c-name-error""#), "{html}");
    assert_eq!(
        count(&app.get("/api/v1/api-clients", owner_token).await.body),
        clients_before
    );

    let (status, html) = submit(
        &owner,
        "/access/ip-allow-list",
        &[("ip_allow_list", "203.0.113.0/24\n300.1.1.1")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="ip_allow_list-error""#), "{html}");
    let status = app.get("/api/v1/api-access", owner_token).await;
    assert_eq!(status.body["ip_allow_list"], json!([]));
    let response = owner
        .post(
            "/access/ip-allow-list",
            &[
                ("csrf", owner.csrf.as_str()),
                ("ip_allow_list", "203.0.113.0/24\n127.0.0.1"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let status = app.get("/api/v1/api-access", owner_token).await;
    assert_eq!(
        status.body["ip_allow_list"],
        json!(["127.0.0.1/32", "203.0.113.0/24"])
    );

    let (status, html) = submit(
        &owner,
        "/access/keys",
        &[("name", "Old"), ("expires_on", "2001-01-01")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="k-expires_on-error""#), "{html}");
    assert_eq!(
        count(&app.get("/api/v1/api-keys", owner_token).await.body),
        0
    );
}

#[tokio::test]
async fn a_form_without_its_csrf_token_writes_nothing() {
    let app = TestApp::spawn().await;
    let company = app.company("Forged Co").await;
    let owner_token = &company.owner.token;
    let owner = Browser::sign_in(&app, &company.owner.email).await;
    let response = owner.post("/access/enable", &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.expect("html").contains("csrf_failed"));
    assert!(!access_enabled(&app, owner_token).await);
    submit(&owner, "/access/enable", &[]).await;
    let clients = count(&app.get("/api/v1/api-clients", owner_token).await.body);
    let other = Browser::sign_in(&app, &company.owner.email).await;
    for (path, fields) in [
        ("/access/clients", vec![("name", "Forged")]),
        ("/access/keys", vec![("name", "Forged")]),
        ("/access/revoke", vec![]),
        (
            "/access/webhooks",
            vec![("url", "https://203.0.113.10/x"), ("events", "*")],
        ),
    ] {
        // Another session's token is no better than none.
        let mut forged = vec![("csrf", other.csrf.as_str())];
        forged.extend(fields);
        assert_eq!(
            owner.post(path, &forged).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert!(access_enabled(&app, owner_token).await);
    assert_eq!(
        count(&app.get("/api/v1/api-clients", owner_token).await.body),
        clients
    );
    assert_eq!(
        count(&app.get("/api/v1/api-keys", owner_token).await.body),
        0
    );
    assert_eq!(
        count(&app.get("/api/v1/webhooks", owner_token).await.body),
        0
    );
}

#[tokio::test]
async fn a_webhook_is_created_changed_and_pinged_and_its_delivery_log_shown() {
    let app = TestApp::spawn().await;
    let company = app.company("Hook Co").await;
    let owner_token = &company.owner.token;
    let owner = Browser::sign_in(&app, &company.owner.email).await;

    // Refusals beside their fields, nothing written.
    let (status, html) = submit(
        &owner,
        "/access/webhooks",
        &[
            ("url", "http://127.0.0.1/hook"),
            ("events", "*"),
            ("enabled", "on"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="url-error""#), "{html}");
    let (status, html) = submit(
        &owner,
        "/access/webhooks",
        &[("url", "https://203.0.113.10/rota")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="events-error""#), "{html}");
    assert_eq!(
        count(&app.get("/api/v1/webhooks", owner_token).await.body),
        0
    );

    let (status, html) = submit(
        &owner,
        "/access/webhooks",
        &[
            ("url", "https://203.0.113.10/rota"),
            ("description", "Payroll bureau"),
            ("events", "leave.approved"),
            ("events", "user.archived"),
            ("enabled", "on"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let secret = field_value(&html, "issued-secret");
    assert!(secret.starts_with("rota_whsec_"), "{secret}");
    let hooks = app.get("/api/v1/webhooks", owner_token).await;
    let hook = &hooks.body["data"][0];
    assert_eq!(hook["events"], json!(["leave.approved", "user.archived"]));
    let id = hook["id"].as_i64().expect("id");
    let list = owner.get("/access/webhooks").await.html;
    assert!(list.contains("https://203.0.113.10/rota") && !list.contains(&secret));
    let page = owner.get(&format!("/access/webhooks/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Nothing delivered yet"));
    assert!(!page.html.contains(&secret));

    // A ping lands in the log.
    let response = owner
        .post(
            &format!("/access/webhooks/{id}/test"),
            &[("csrf", owner.csrf.as_str())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = owner
        .get(&format!("/access/webhooks/{id}?done=pinged"))
        .await;
    assert!(page.html.contains("<code>ping</code>"), "{}", page.html);

    // Changed: paused, every event.
    let (status, _) = submit(
        &owner,
        &format!("/access/webhooks/{id}"),
        &[("url", "https://203.0.113.10/rota"), ("events", "*")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let hook = app
        .get(&format!("/api/v1/webhooks/{id}"), owner_token)
        .await;
    assert_eq!(hook.body["enabled"], json!(false));
    assert_eq!(hook.body["events"], json!(["*"]));
    // Paused, it refuses a ping, with the core's reason.
    let (status, html) = submit(&owner, &format!("/access/webhooks/{id}/test"), &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("this webhook is disabled"), "{html}");

    let (status, _) = submit(&owner, &format!("/access/webhooks/{id}/delete"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        owner.get(&format!("/access/webhooks/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_audit_log_shows_a_clients_creation_filtered_by_action_subject_and_person() {
    let app = TestApp::spawn().await;
    let company = app.company("Audit Page Co").await;
    let owner = Browser::sign_in(&app, &company.owner.email).await;
    submit(&owner, "/access/enable", &[]).await;
    submit(
        &owner,
        "/access/clients",
        &[("name", "Audited"), ("scopes", "people:read")],
    )
    .await;
    let clients = app.get("/api/v1/api-clients", &company.owner.token).await;
    let id = clients.body["data"][1]["id"].as_i64().expect("id");

    let all = owner.get("/access/audit").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.html.contains("api_access.enabled"));
    assert!(all.html.contains("login.succeeded"));

    let created = owner.get("/access/audit?action=client.created").await.html;
    assert_eq!(created.matches("<code>client.created</code>").count(), 2);
    assert!(!created.contains("login.succeeded"));
    assert!(created.contains("Audited"));

    let about = owner
        .get(&format!(
            "/access/audit?target_type=api_client&target_id={id}"
        ))
        .await
        .html;
    assert_eq!(about.matches("<code>client.created</code>").count(), 1);
    assert!(
        about.contains(r#"value="api_client""#),
        "the filter stays filled"
    );

    let mine = owner
        .get(&format!(
            "/access/audit?actor_user_id={}&from=2000-01-01&to=2999-12-31",
            company.owner.id
        ))
        .await
        .html;
    assert!(mine.contains("client.created"));
    let future = owner.get("/access/audit?from=2999-01-01").await.html;
    assert!(future.contains("No event matches"));

    let refused = owner.get("/access/audit?target_id=twelve").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains(r#"id="target_id-error""#));
}

/// A client made through the API: its id, its page and its role ceiling as a form sends it.
struct Bureau {
    id: i64,
    path: String,
    ceiling: String,
}

/// Makes the client "Bureau", reading people from `allow_list` (any address when empty).
async fn bureau(app: &TestApp, owner_token: &str, allow_list: &[&str]) -> Bureau {
    let created = app
        .post(
            "/api/v1/api-clients",
            owner_token,
            json!({"name": "Bureau", "scopes": ["people:read"], "ip_allow_list": allow_list}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().expect("id");
    Bureau {
        id,
        path: format!("/access/clients/{id}"),
        ceiling: created.body["role_ceiling"].to_string(),
    }
}

#[tokio::test]
async fn a_client_changes_through_its_page_and_only_what_changed_is_audited() {
    let app = TestApp::spawn().await;
    let company = app.company("Change Co").await;
    let owner_token = &company.owner.token;
    let owner = Browser::sign_in(&app, &company.owner.email).await;
    submit(&owner, "/access/enable", &[]).await;
    let Bureau { id, path, ceiling } = bureau(&app, owner_token, &["127.0.0.1"]).await;
    let page = owner.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains(r#"value="people:read" checked"#));
    assert!(page.html.contains("127.0.0.1/32"));

    let (status, html) = submit(
        &owner,
        &path,
        &[
            ("name", "Bureau"),
            ("scopes", "people:read"),
            ("ip_allow_list", "127.0.0.1/32\n10.0.0.0/33"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="e-ip_allow_list-error""#), "{html}");
    let (status, _) = submit(
        &owner,
        &path,
        &[
            ("name", "Bureau"),
            ("scopes", "people:read"),
            ("scopes", "leave:write"),
            ("role_ceiling", &ceiling),
            ("ip_allow_list", "127.0.0.1/32"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let client = app
        .get(&format!("/api/v1/api-clients/{id}"), owner_token)
        .await;
    assert_eq!(client.body["scopes"], json!(["people:read", "leave:write"]));
    assert_eq!(client.body["ip_allow_list"], json!(["127.0.0.1/32"]));
    let updated = app
        .get("/api/v1/audit?action=client.updated", owner_token)
        .await;
    assert_eq!(
        updated.body["data"][0]["details"],
        json!({"scopes": ["people:read", "leave:write"]})
    );

    // Revoked, it may be deleted; its events stay.
    submit(&owner, &format!("{path}/revoke"), &[]).await;
    assert!(owner.get(&path).await.html.contains("Delete the client"));
    let (status, _) = submit(&owner, &format!("{path}/delete"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/api/v1/api-clients/{id}"), owner_token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(owner.get(&path).await.status, StatusCode::NOT_FOUND);
    let about = app
        .get(
            &format!("/api/v1/audit?target_type=api_client&target_id={id}"),
            owner_token,
        )
        .await;
    assert!(
        count(&about.body) >= 3,
        "created, updated, revoked, deleted"
    );
}

#[tokio::test]
async fn a_credential_gets_its_own_rate_limit_from_the_forms_and_back_to_the_servers() {
    let app = TestApp::spawn().await;
    let company = app.company("Rate Co").await;
    let owner_token = &company.owner.token;
    let owner = Browser::sign_in(&app, &company.owner.email).await;
    submit(&owner, "/access/enable", &[]).await;
    let key = |per_minute: &'static str, burst: &'static str| {
        [
            ("name", "Kiosk"),
            ("scopes", "leave:read"),
            ("rate_per_minute", per_minute),
            ("rate_burst", burst),
        ]
    };
    // Half a limit, or one the core refuses, stands beside the fields and makes no key.
    for (per_minute, burst) in [("120", ""), ("0", "10")] {
        let refused = owner.submit("/access/keys", &key(per_minute, burst)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.has_error_at("k-rate_limit"), "{}", refused.html);
    }
    assert_eq!(
        count(&app.get("/api/v1/api-keys", owner_token).await.body),
        0
    );
    let made = owner.submit("/access/keys", &key("120", "10")).await;
    assert_eq!(made.status, StatusCode::OK);
    let keys = app.get("/api/v1/api-keys", owner_token).await.body;
    assert_eq!(
        keys["data"][0]["rate_limit"],
        json!({"per_minute": 120, "burst": 10})
    );

    let Bureau { id, path, ceiling } = bureau(&app, owner_token, &[]).await;
    let (owner, app, path, ceiling) = (&owner, &app, &path, &ceiling);
    let client = |per_minute: &'static str, burst: &'static str| async move {
        let fields = [
            ("name", "Bureau"),
            ("scopes", "people:read"),
            ("role_ceiling", ceiling.as_str()),
            ("rate_per_minute", per_minute),
            ("rate_burst", burst),
        ];
        let saved = owner.submit(path, &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
        app.get(&format!("/api/v1/api-clients/{id}"), owner_token)
            .await
            .body["rate_limit"]
            .clone()
    };
    assert_eq!(
        client("60", "5").await,
        json!({"per_minute": 60, "burst": 5})
    );
    let page = owner.get(path).await.html;
    assert!(page.contains(r#"name="rate_per_minute" inputmode="numeric" value="60""#));
    assert_eq!(client("", "").await, json!(null), "the server's again");
}

#[tokio::test]
async fn a_credential_acts_as_the_person_picked_and_a_client_changes_whom() {
    let app = TestApp::spawn().await;
    let company = app.company("Acting Co").await;
    let cast = app.cast(&company).await;
    let owner_token = &company.owner.token;
    let owner = Browser::sign_in(&app, &company.owner.email).await;
    submit(&owner, "/access/enable", &[]).await;
    let overview = owner.get("/access").await.html;
    let approver = cast.approver.id.to_string();
    assert!(
        overview.contains(&format!(r#"<option value="{approver}">"#)),
        "{overview}"
    );

    let made = owner
        .submit(
            "/access/keys",
            &[
                ("name", "Rota board"),
                ("scopes", "leave:read"),
                ("acts_as_user_id", &approver),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.html);
    let keys = app.get("/api/v1/api-keys", owner_token).await.body;
    assert_eq!(keys["data"][0]["acts_as_user_id"], cast.approver.id);
    let refused = owner
        .submit(
            "/access/keys",
            &[
                ("name", "Bad"),
                ("scopes", "leave:read"),
                ("acts_as_user_id", "someone"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.has_error_at("k-acts_as_user_id"),
        "{}",
        refused.html
    );

    let Bureau { id, path, ceiling } = bureau(&app, owner_token, &[]).await;
    let saved = owner
        .submit(
            &path,
            &[
                ("name", "Bureau"),
                ("scopes", "people:read"),
                ("role_ceiling", &ceiling),
                ("acts_as_user_id", &approver),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let client = app
        .get(&format!("/api/v1/api-clients/{id}"), owner_token)
        .await;
    assert_eq!(client.body["acts_as_user_id"], cast.approver.id);
    let page = owner.get(&path).await.html;
    assert!(
        page.contains(&format!(r#"<option value="{approver}" selected>"#)),
        "{page}"
    );

    // Someone the list does not offer (staff) is named by e-mail, and then shown picked.
    let unknown = owner
        .submit(
            &path,
            &[
                ("name", "Bureau"),
                ("scopes", "people:read"),
                ("role_ceiling", &ceiling),
                ("acts_as_email", "nobody@acting-co.test"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.has_error_at("e-acts_as_email"), "{}", unknown.html);
    let other = app.company("Other Acting Co").await;
    let stranger = owner
        .submit(
            &path,
            &[
                ("name", "Bureau"),
                ("scopes", "people:read"),
                ("role_ceiling", &ceiling),
                ("acts_as_email", &other.owner.email),
            ],
        )
        .await;
    assert!(
        stranger.has_error_at("e-acts_as_email"),
        "another company's: {}",
        stranger.html
    );
    let client = app
        .get(&format!("/api/v1/api-clients/{id}"), owner_token)
        .await;
    assert_eq!(
        client.body["acts_as_user_id"], cast.approver.id,
        "unchanged"
    );
    let saved = owner
        .submit(
            &path,
            &[
                ("name", "Bureau"),
                ("scopes", "people:read"),
                ("role_ceiling", &ceiling),
                ("acts_as_email", &cast.staff.email.to_uppercase()),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let client = app
        .get(&format!("/api/v1/api-clients/{id}"), owner_token)
        .await;
    assert_eq!(client.body["acts_as_user_id"], cast.staff.id);
    let page = owner.get(&path).await.html;
    assert!(
        page.contains(&format!(r#"<option value="{}" selected>"#, cast.staff.id)),
        "shown as picked, not as me: {page}"
    );
    let made = owner
        .submit(
            "/access/keys",
            &[
                ("name", "Staff board"),
                ("scopes", "leave:read"),
                ("acts_as_email", &cast.staff.email),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.html);
    let keys = app.get("/api/v1/api-keys", owner_token).await.body;
    let board = (keys["data"].as_array().expect("keys").iter())
        .find(|k| k["name"] == "Staff board")
        .expect("the key");
    assert_eq!(board["acts_as_user_id"], cast.staff.id);
}
