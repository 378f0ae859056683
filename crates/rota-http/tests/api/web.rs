//! The web app over HTTP, as a browser sees it: the way in by cookie, its flags, the
//! redirect when signed out, CSRF, the security headers, who may open which page, and the
//! leave journey (ask, approve) through the forms. Browser journeys are in `e2e/`.

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use rota_http::HttpConfig;
use rota_http::web::CONTENT_SECURITY_POLICY;
use serde_json::json;

use crate::common::{PASSWORD, TestApp};

/// A browser without redirects, so that tests see them.
pub(crate) fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The value of cookie `name` among the `Set-Cookie` headers, with its attributes.
pub(crate) fn set_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
}

pub(crate) fn cookie_value(set_cookie: &str) -> String {
    let pair = set_cookie.split(';').next().expect("a pair");
    pair.split_once('=').expect("name=value").1.to_owned()
}

/// The CSRF token of the first form on a page.
pub(crate) fn csrf_in(html: &str) -> String {
    let at = html
        .find(r#"name="csrf" value=""#)
        .expect("a form with a CSRF token");
    let rest = &html[at + r#"name="csrf" value=""#.len()..];
    rest[..rest.find('"').expect("the end of the value")].to_owned()
}

/// A browser signed in through the form, with its session and a page's CSRF token.
pub(crate) struct Browser {
    pub(crate) client: reqwest::Client,
    pub(crate) base: String,
    pub(crate) session: String,
    pub(crate) csrf: String,
}

impl Browser {
    pub(crate) async fn sign_in(app: &TestApp, email: &str) -> Self {
        let client = browser();
        let (form_cookie, form_csrf) = sign_in_form(&client, &app.base).await;
        let response = client
            .post(format!("{}/sign-in", app.base))
            .header(header::COOKIE, format!("rota_form={form_cookie}"))
            .form(&[
                ("csrf", form_csrf.as_str()),
                ("email", email),
                ("password", PASSWORD),
                ("next", "/leave"),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let session =
            cookie_value(set_cookie(response.headers(), "rota_session").expect("a session cookie"));
        let mut browser = Self {
            client,
            base: app.base.clone(),
            session,
            csrf: String::new(),
        };
        browser.csrf = csrf_in(&browser.get("/leave").await.html);
        browser
    }

    pub(crate) async fn get(&self, path: &str) -> Page {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header(header::COOKIE, format!("rota_session={}", self.session))
            .send()
            .await
            .expect("get");
        Page::of(response).await
    }

    pub(crate) async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header(header::COOKIE, format!("rota_session={}", self.session))
            .form(fields)
            .send()
            .await
            .expect("post")
    }

    /// Posts a form as it stands, and reads the answer: a redirect or a page.
    pub(crate) async fn post_page(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        Page::of(self.post(path, fields).await).await
    }

    /// Posts a form with the session's CSRF token, as the page's form sends it.
    pub(crate) async fn submit(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.post_page(path, &form).await
    }
}

/// A page as the browser got it.
pub(crate) struct Page {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) html: String,
}

impl Page {
    pub(crate) async fn of(response: reqwest::Response) -> Self {
        Self {
            status: response.status(),
            headers: response.headers().clone(),
            html: response.text().await.expect("body"),
        }
    }

    /// Where the answer redirects to; empty when it does not.
    pub(crate) fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// Whether the page shows an error next to the input `id` (`id="{id}-error"`).
    pub(crate) fn has_error_at(&self, id: &str) -> bool {
        self.html.contains(&format!(r#"id="{id}-error""#))
    }
}

/// The sign-in form's cookie and CSRF token.
pub(crate) async fn sign_in_form(client: &reqwest::Client, base: &str) -> (String, String) {
    let response = client
        .get(format!("{base}/sign-in"))
        .send()
        .await
        .expect("the form");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = cookie_value(set_cookie(response.headers(), "rota_form").expect("a form cookie"));
    let html = response.text().await.expect("html");
    (cookie, csrf_in(&html))
}

#[tokio::test]
async fn a_page_sends_someone_signed_out_to_the_sign_in_form_and_back() {
    let app = TestApp::spawn().await;
    let response = browser()
        .get(format!("{}/whos-off?month=2026-12", app.base))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()[header::LOCATION],
        "/sign-in?next=%2Fwhos-off%3Fmonth%3D2026-12"
    );
    // A stale cookie is no session either.
    let response = browser()
        .get(format!("{}/leave", app.base))
        .header(header::COOKIE, "rota_session=rota_s_stale")
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn signing_in_sets_a_session_cookie_only_scripts_cannot_read() {
    let app = TestApp::spawn().await;
    let company = app.company("Cookie Co").await;
    let client = browser();
    let (form_cookie, csrf) = sign_in_form(&client, &app.base).await;
    let response = client
        .post(format!("{}/sign-in", app.base))
        .header(header::COOKIE, format!("rota_form={form_cookie}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", company.owner.email.as_str()),
            ("password", PASSWORD),
            ("next", "//evil.test/"),
        ])
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // Only a local path is followed.
    assert_eq!(response.headers()[header::LOCATION], "/");
    let cookie = set_cookie(response.headers(), "rota_session").expect("session cookie");
    assert!(cookie.contains("; HttpOnly"), "{cookie}");
    assert!(cookie.contains("; SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("; Path=/"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP from no proxy: {cookie}"
    );
    // The cookie is a session like any other: the API knows it.
    let token = cookie_value(cookie);
    assert_eq!(
        app.get("/api/v1/auth/me", &token).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_that_says_https_the_cookie_is_secure() {
    let app = TestApp::spawn_with(HttpConfig {
        trusted_proxies: vec!["127.0.0.1/32".parse().expect("net")],
        ..HttpConfig::default()
    })
    .await;
    let response = browser()
        .get(format!("{}/sign-in", app.base))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .expect("the form");
    let cookie = set_cookie(response.headers(), "rota_form").expect("form cookie");
    assert!(cookie.ends_with("; Secure"), "{cookie}");
}

#[tokio::test]
async fn every_page_forbids_inline_scripts_and_framing() {
    let app = TestApp::spawn().await;
    let company = app.company("Header Co").await;
    let browser = Browser::sign_in(&app, &company.owner.email).await;
    for path in [
        "/whos-off",
        "/leave",
        "/overtime",
        "/approvals",
        "/account/password",
    ] {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let headers = &page.headers;
        let csp = headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp");
        assert_eq!(csp, CONTENT_SECURITY_POLICY);
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(headers[header::REFERRER_POLICY], "same-origin");
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    }
    // The assets are cached for long under a URL that changes with them.
    let html = browser.get("/leave").await.html;
    let at = html
        .find("/assets/app.css?v=")
        .expect("the stylesheet link");
    let href = &html[at..at + html[at..].find('"').expect("end")];
    let css = browser.get(href).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(
        css.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(
        css.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let company = app.company("Csrf Co").await;
    let cast = app.cast(&company).await;
    let staff = Browser::sign_in(&app, &cast.staff.email).await;
    let other = Browser::sign_in(&app, &cast.approver.email).await;
    let types = app.leave_types(&company.owner.token).await;
    let holiday = types.id("H").to_string();
    for csrf in [None, Some(other.csrf.as_str())] {
        let mut fields = vec![
            ("leave_type_id", holiday.as_str()),
            ("start_date", "2030-03-04"),
            ("end_date", "2030-03-05"),
        ];
        fields.extend(csrf.map(|csrf| ("csrf", csrf)));
        let response = staff.post("/leave", &fields).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(response.text().await.expect("html").contains("csrf_failed"));
    }
    // Signing out needs it too: the session lives on without it.
    assert_eq!(
        staff.post("/sign-out", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    let listed = app.get("/api/v1/leave-requests", &cast.staff.token).await;
    assert_eq!(listed.body["data"], json!([]), "nothing was asked");
    assert_eq!(staff.get("/leave").await.status, StatusCode::OK);
}

#[tokio::test]
async fn staff_may_not_open_the_approvals_page_nor_see_its_link() {
    let app = TestApp::spawn().await;
    let company = app.company("Approvals Co").await;
    let cast = app.cast(&company).await;
    let staff = Browser::sign_in(&app, &cast.staff.email).await;
    let page = staff.get("/approvals").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.html.contains("forbidden"));
    assert!(
        !staff
            .get("/leave")
            .await
            .html
            .contains(r#"href="/approvals""#)
    );
    let approve = staff
        .post("/approvals/1/approve", &[("csrf", staff.csrf.as_str())])
        .await;
    assert_eq!(approve.status(), StatusCode::FORBIDDEN);
    let approver = Browser::sign_in(&app, &cast.approver.email).await;
    let page = approver.get("/approvals").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains(r#"href="/approvals""#));
}

#[tokio::test]
async fn staff_ask_for_two_days_and_their_approver_approves_through_the_pages() {
    let app = TestApp::spawn().await;
    let company = app.company("Journey Co").await;
    let cast = app.cast(&company).await;
    let types = app.leave_types(&company.owner.token).await;
    let holiday = types.id("H").to_string();
    let staff = Browser::sign_in(&app, &cast.staff.email).await;
    // Checking shows the duration and writes nothing.
    let fields = staff_post_fields("check", &staff.csrf, &holiday);
    let check = staff.post("/leave", &staff_form(&fields)).await;
    assert_eq!(check.status(), StatusCode::OK);
    assert!(check.text().await.expect("html").contains("2 days"));
    // A refusal stands next to its field.
    let mut backwards = staff_post_fields("ask", &staff.csrf, &holiday);
    backwards[3] = ("end_date".into(), "2030-03-01".into());
    let refused = staff.post_page("/leave", &staff_form(&backwards)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has_error_at("end_date"), "{}", refused.html);
    let fields = staff_post_fields("ask", &staff.csrf, &holiday);
    let asked = staff.post("/leave", &staff_form(&fields)).await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    assert_eq!(asked.headers()[header::LOCATION], "/leave?done=requested");
    let listed = app.get("/api/v1/leave-requests", &cast.staff.token).await;
    let id = listed.body["data"][0]["id"].as_i64().expect("the request");
    assert_eq!(listed.body["data"][0]["status"], "pending");

    let approver = Browser::sign_in(&app, &cast.approver.email).await;
    let html = approver.get("/approvals").await.html;
    assert!(
        html.contains(&format!("/approvals/{id}/approve")),
        "waiting: {html}"
    );
    // Declining needs a reason, shown next to its field.
    let declined = approver
        .post_page(
            &format!("/approvals/{id}/decline"),
            &[("csrf", approver.csrf.as_str())],
        )
        .await;
    assert_eq!(declined.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        declined.has_error_at(&format!("reason-{id}")),
        "{}",
        declined.html
    );
    let approved = approver
        .post(
            &format!("/approvals/{id}/approve"),
            &[("csrf", approver.csrf.as_str())],
        )
        .await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let request = app
        .get(&format!("/api/v1/leave-requests/{id}"), &cast.staff.token)
        .await;
    assert_eq!(request.body["status"], "approved");
    let html = staff.get("/whos-off?month=2030-03").await.html;
    assert!(html.contains(r#"class="m lt-"#), "the days are in the grid");
}

fn staff_post_fields(action: &str, csrf: &str, holiday: &str) -> Vec<(String, String)> {
    vec![
        ("csrf".into(), csrf.into()),
        ("leave_type_id".into(), holiday.into()),
        ("start_date".into(), "2030-03-04".into()),
        ("end_date".into(), "2030-03-05".into()),
        ("start_part".into(), "full".into()),
        ("end_part".into(), "full".into()),
        ("note".into(), String::new()),
        ("action".into(), action.into()),
    ]
}

fn staff_form(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[tokio::test]
async fn failed_sign_ins_in_the_browser_lock_the_account_as_the_api_does() {
    let app = TestApp::spawn().await;
    let company = app.company("Lock Co").await;
    let client = browser();
    let (form_cookie, csrf) = sign_in_form(&client, &app.base).await;
    for _ in 0..5 {
        let response = client
            .post(format!("{}/sign-in", app.base))
            .header(header::COOKIE, format!("rota_form={form_cookie}"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", company.owner.email.as_str()),
                ("password", "wrong password"),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(set_cookie(response.headers(), "rota_session").is_none());
    }
    let reply = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": company.owner.email, "password": PASSWORD})),
        )
        .await;
    assert_eq!(reply.code(), "account_locked");
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = TestApp::spawn().await;
    let company = app.company("Sign Out Co").await;
    let browser = Browser::sign_in(&app, &company.owner.email).await;
    let response = browser
        .post("/sign-out", &[("csrf", browser.csrf.as_str())])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cleared = set_cookie(response.headers(), "rota_session").expect("cleared");
    assert!(cleared.contains("Max-Age=0"));
    let me = app.get("/api/v1/auth/me", &browser.session).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
}

/// The value of the hidden field `name` on a page.
pub(crate) fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!(r#"name="{name}" value=""#);
    let at = html.find(&marker)? + marker.len();
    Some(html[at..at + html[at..].find('"')?].to_owned())
}

#[tokio::test]
async fn a_person_with_mfa_gives_the_code_after_the_password() {
    let app = TestApp::spawn().await;
    let company = app.company("Code Co").await;
    let (device, _) = crate::mfa::switch_on(&app, &company.owner).await;
    let client = browser();
    let (form_cookie, csrf) = sign_in_form(&client, &app.base).await;
    let post = |fields: Vec<(&'static str, String)>| {
        client
            .post(format!("{}/sign-in", app.base))
            .header(header::COOKIE, format!("rota_form={form_cookie}"))
            .form(&fields)
            .send()
    };
    let password = post(vec![
        ("csrf", csrf.clone()),
        ("email", company.owner.email.clone()),
        ("password", PASSWORD.into()),
    ])
    .await
    .expect("password");
    assert_eq!(password.status(), StatusCode::OK);
    assert!(set_cookie(password.headers(), "rota_session").is_none());
    let html = password.text().await.expect("html");
    assert!(html.contains(r#"id="code""#), "the code field: {html}");
    let challenge = hidden(&html, "mfa_token").expect("the challenge's token");
    // A wrong code is refused with the core's message and the challenge kept.
    let wrong = post(vec![
        ("csrf", csrf.clone()),
        ("mfa_token", challenge.clone()),
        ("code", device.wrong()),
    ])
    .await
    .expect("wrong code");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let html = wrong.text().await.expect("html");
    assert!(html.contains("is wrong, expired or already used"));
    assert_eq!(
        hidden(&html, "mfa_token").as_deref(),
        Some(challenge.as_str())
    );
    let right = post(vec![
        ("csrf", csrf),
        ("mfa_token", challenge),
        ("code", device.next()),
    ])
    .await
    .expect("code");
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    let session = cookie_value(set_cookie(right.headers(), "rota_session").expect("session"));
    assert_eq!(
        app.get("/api/v1/auth/me", &session).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_reports_page_draws_the_approvers_staff_and_gives_them_as_csv() {
    let app = TestApp::spawn().await;
    let company = app.company("Reports Co").await;
    let cast = app.cast(&company).await;
    let other = app.company("Elsewhere Co").await;
    app.cast(&other).await;
    let types = app.leave_types(&company.owner.token).await;
    let body = json!({"leave_type_id": types.id("H"), "start_date": "2030-03-04", "end_date": "2030-03-06"});
    let created = app
        .post("/api/v1/leave-requests", &cast.staff.token, body)
        .await;
    let id = created.body["id"].as_i64().expect("a request");
    let approved = app
        .post(
            &format!("/api/v1/leave-requests/{id}/approve"),
            &cast.approver.token,
            json!({}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);

    // Staff have no staff: no link, and the page and its CSV are refused.
    let staff = Browser::sign_in(&app, &cast.staff.email).await;
    assert!(
        !staff
            .get("/leave")
            .await
            .html
            .contains(r#"href="/reports""#)
    );
    assert_eq!(staff.get("/reports").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        staff.get("/reports/staff.csv").await.status,
        StatusCode::FORBIDDEN
    );

    let approver = Browser::sign_in(&app, &cast.approver.email).await;
    let page = approver.get("/reports?from=2030-01-01&to=2030-12-31").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains(r#"href="/reports""#));
    for chart in ["chart-types", "chart-durations", "chart-months"] {
        assert!(
            page.html.contains(&format!(r#"aria-labelledby="{chart}""#)),
            "{chart} is drawn"
        );
    }
    assert!(
        page.html.contains("<title>2030-03: 3 days</title>"),
        "{}",
        page.html
    );
    assert!(page.html.contains("<title>Holiday: 1 absence</title>"));
    assert!(page.html.contains("staff Tester"), "the approver's staff");
    assert!(
        !page.html.contains("Elsewhere"),
        "nobody of another company"
    );

    let csv = approver
        .get("/reports/staff.csv?from=2030-01-01&to=2030-12-31&staff=with_leave")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let lines: Vec<&str> = csv.html.split("\r\n").collect();
    assert!(lines[0].starts_with("user_id,first_name,last_name,pending_requests"));
    assert_eq!(
        lines.len(),
        3,
        "the header and the one person with leave: {lines:?}"
    );
    assert!(lines[1].starts_with(&format!("{},staff,Tester,", cast.staff.id)));

    // A period that ends before it starts is refused next to its field.
    let refused = approver.get("/reports?from=2030-12-31&to=2030-01-01").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains(r#"id="to-error""#),
        "{}",
        refused.html
    );
    assert_eq!(
        approver.get("/reports?staff=everyone").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn only_super_users_open_the_settings_and_their_forms_write_through_the_core() {
    let app = TestApp::spawn().await;
    let company = app.company("Settings Co").await;
    let cast = app.cast(&company).await;
    let other = app.company("Other Settings Co").await;
    let theirs = app
        .post(
            "/api/v1/departments",
            &other.owner.token,
            json!({"name": "Theirs"}),
        )
        .await;
    let theirs = theirs.body["id"].as_i64().expect("their department");

    // Staff and approvers: no link, and every settings page and form refused.
    for member in [&cast.staff, &cast.approver] {
        let browser = Browser::sign_in(&app, &member.email).await;
        assert!(
            !browser
                .get("/leave")
                .await
                .html
                .contains(r#"href="/settings""#)
        );
        for path in ["/settings", "/settings/departments"] {
            assert_eq!(
                browser.get(path).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        let posted = browser
            .post(
                "/settings/departments",
                &[("csrf", browser.csrf.as_str()), ("name", "Sneaky")],
            )
            .await;
        assert_eq!(posted.status(), StatusCode::FORBIDDEN);
    }

    let owner = Browser::sign_in(&app, &company.owner.email).await;
    assert!(
        owner
            .get("/leave")
            .await
            .html
            .contains(r#"href="/settings""#)
    );
    assert_eq!(
        owner.get("/settings/nothing").await.status,
        StatusCode::NOT_FOUND
    );
    // A required field left empty is refused next to it, and nothing is written.
    let refused = owner
        .post_page(
            "/settings/departments",
            &[
                ("csrf", owner.csrf.as_str()),
                ("name", ""),
                ("min_user", "2"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has_error_at("name"), "{}", refused.html);
    let not_whole = owner
        .post_page(
            "/settings/departments",
            &[
                ("csrf", owner.csrf.as_str()),
                ("name", "Sales"),
                ("min_user", "two"),
            ],
        )
        .await;
    assert_eq!(not_whole.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_whole.has_error_at("min_user"), "{}", not_whole.html);
    let created = owner
        .post(
            "/settings/departments",
            &[
                ("csrf", owner.csrf.as_str()),
                ("name", "Sales"),
                ("min_user", "2"),
                ("default_allowance", "22.5"),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        created.headers()[header::LOCATION],
        "/settings/departments?done=created"
    );
    let listed = app.get("/api/v1/departments", &company.owner.token).await;
    let sales = listed.body["data"]
        .as_array()
        .expect("departments")
        .iter()
        .find(|d| d["name"] == "Sales")
        .expect("Sales was created")
        .clone();
    assert_eq!(
        (
            sales["min_user"].as_i64(),
            sales["default_allowance"].as_i64()
        ),
        (Some(2), Some(2250))
    );
    let id = sales["id"].as_i64().expect("id");
    let edit = owner.get(&format!("/settings/departments/{id}")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.html.contains(r#"value="22.5""#), "days as days");
    let updated = owner
        .post(
            &format!("/settings/departments/{id}"),
            &[
                ("csrf", owner.csrf.as_str()),
                ("name", "Sales"),
                ("min_user", "3"),
            ],
        )
        .await;
    assert_eq!(updated.status(), StatusCode::SEE_OTHER);
    let department = app
        .get(&format!("/api/v1/departments/{id}"), &company.owner.token)
        .await;
    assert_eq!(department.body["min_user"], 3);
    // Another company's department is no page of this one.
    assert_eq!(
        owner
            .get(&format!("/settings/departments/{theirs}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let deleted = owner
        .post(
            &format!("/settings/departments/{id}/delete"),
            &[("csrf", owner.csrf.as_str())],
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);

    // The company page changes what it shows and keeps the settings it does not.
    let before = app.get("/api/v1/company", &company.owner.token).await.body;
    let page = owner.get("/settings").await;
    assert_eq!(page.status, StatusCode::OK);
    let saved = owner
        .post(
            "/settings",
            &[
                ("csrf", owner.csrf.as_str()),
                ("name", "Settings Co Ltd"),
                ("time_zone", "Europe/London"),
                ("week_start", "monday"),
                ("leave_year_start_month", "4"),
                ("leave_year_start_day", "1"),
                ("settings.default_allowance", "25"),
                ("settings.carryover_cap", "7.5"),
                ("settings.carryover_expiry_months", "3"),
                ("settings.colleague_visibility", "company"),
                ("settings.pro_rata", "true"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let after = app.get("/api/v1/company", &company.owner.token).await.body;
    assert_eq!(after["name"], "Settings Co Ltd");
    assert_eq!(after["leave_year_start_month"], 4);
    assert_eq!(after["settings"]["carryover_cap"], 750);
    assert_eq!(after["settings"]["colleague_visibility"], "company");
    assert_eq!(after["settings"]["allow_negative_balance"], false);
    for kept in [
        "password_min_length",
        "lockout_threshold",
        "session_hours",
        "force_mfa",
    ] {
        assert_eq!(
            after["settings"][kept], before["settings"][kept],
            "{kept} is kept"
        );
    }
    let bad_zone = owner
        .post_page(
            "/settings",
            &[
                ("csrf", owner.csrf.as_str()),
                ("name", "Settings Co Ltd"),
                ("time_zone", "Mars/Olympus"),
            ],
        )
        .await;
    assert_eq!(bad_zone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_zone.has_error_at("time_zone"), "{}", bad_zone.html);
}

#[tokio::test]
async fn a_browser_opening_an_unknown_page_gets_a_page_and_api_clients_the_envelope() {
    let app = TestApp::spawn().await;
    let client = browser();
    let page = client
        .get(format!("{}/no-such-page", app.base))
        .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .expect("get");
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        page.headers()[header::CONTENT_SECURITY_POLICY],
        CONTENT_SECURITY_POLICY
    );
    assert!(
        page.text()
            .await
            .expect("html")
            .contains("There is no such page.")
    );
    for path in ["/no-such-page", "/api/v1/no-such-route"] {
        let json = client
            .get(format!("{}{path}", app.base))
            .header(header::ACCEPT, "application/json")
            .send()
            .await
            .expect("get");
        assert_eq!(json.status(), StatusCode::NOT_FOUND);
        let body: serde_json::Value = json.json().await.expect("the envelope");
        assert_eq!(body["error"]["code"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn a_request_has_a_message_thread_for_whoever_may_see_it() {
    let app = TestApp::spawn().await;
    let company = app.company("Thread Co").await;
    let cast = app.cast(&company).await;
    let other = app.company("Other Thread Co").await;
    let outsider = app.cast(&other).await;
    let types = app.leave_types(&company.owner.token).await;
    let body = json!({"leave_type_id": types.id("H"), "start_date": "2030-05-06", "end_date": "2030-05-07"});
    let created = app
        .post("/api/v1/leave-requests", &cast.staff.token, body)
        .await;
    let id = created.body["id"].as_i64().expect("a request");

    let staff = Browser::sign_in(&app, &cast.staff.email).await;
    assert!(
        staff
            .get("/leave")
            .await
            .html
            .contains(&format!(r#"href="/leave/{id}""#))
    );
    let empty = staff
        .post_page(
            &format!("/leave/{id}/comments"),
            &[("csrf", staff.csrf.as_str()), ("content", "  ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.has_error_at("content"), "{}", empty.html);
    let sent = staff
        .post(
            &format!("/leave/{id}/comments"),
            &[
                ("csrf", staff.csrf.as_str()),
                ("content", "Back on Wednesday <b>early</b>"),
            ],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);

    let approver = Browser::sign_in(&app, &cast.approver.email).await;
    assert!(
        approver
            .get("/approvals")
            .await
            .html
            .contains(&format!(r#"href="/leave/{id}""#))
    );
    let page = approver.get(&format!("/leave/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html
            .contains("Back on Wednesday &#60;b&#62;early&#60;/b&#62;"),
        "escaped: {}",
        page.html
    );
    assert!(page.html.contains("staff Tester"));
    let replied = approver
        .post(
            &format!("/leave/{id}/comments"),
            &[("csrf", approver.csrf.as_str()), ("content", "Fine by me")],
        )
        .await;
    assert_eq!(replied.status(), StatusCode::SEE_OTHER);
    let thread = app
        .get(
            &format!("/api/v1/leave-requests/{id}/comments"),
            &cast.staff.token,
        )
        .await;
    assert_eq!(
        thread.body["data"].as_array().map(Vec::len),
        Some(2),
        "the API sees both"
    );

    // Someone of another company finds no such request.
    let stranger = Browser::sign_in(&app, &outsider.approver.email).await;
    let page = stranger.get(&format!("/leave/{id}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let posted = stranger
        .post(
            &format!("/leave/{id}/comments"),
            &[("csrf", stranger.csrf.as_str()), ("content", "hello")],
        )
        .await;
    assert_eq!(posted.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn my_calendar_link_is_shown_once_and_a_new_one_replaces_it() {
    let app = TestApp::spawn().await;
    let company = app.company("Calendar Co").await;
    let cast = app.cast(&company).await;
    let staff = Browser::sign_in(&app, &cast.staff.email).await;
    assert!(
        staff
            .get("/leave")
            .await
            .html
            .contains(r#"action="/leave/calendar-link""#)
    );
    let address_in = |html: &str| {
        let at = html.find("/ical/rota_ical_").expect("the address");
        let start = html[..at].rfind('"').expect("its start") + 1;
        let end = at + html[at..].find('"').expect("its end");
        html[start..end].to_owned()
    };
    let made = staff
        .post("/leave/calendar-link", &[("csrf", staff.csrf.as_str())])
        .await;
    assert_eq!(made.status(), StatusCode::OK);
    let first = address_in(&made.text().await.expect("html"));
    assert!(first.starts_with(&format!("{}/ical/", app.base)), "{first}");
    let feed = reqwest::get(&first).await.expect("the feed");
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(
        feed.text()
            .await
            .expect("ics")
            .starts_with("BEGIN:VCALENDAR")
    );

    let again = staff
        .post("/leave/calendar-link", &[("csrf", staff.csrf.as_str())])
        .await;
    let html = again.text().await.expect("html");
    assert!(html.contains("Your earlier address has stopped working."));
    let second = address_in(&html);
    assert_ne!(first, second);
    assert_eq!(
        reqwest::get(&first).await.expect("old").status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        reqwest::get(&second).await.expect("new").status(),
        StatusCode::OK
    );
    let feeds = app.get("/api/v1/ical-feeds", &cast.staff.token).await;
    assert_eq!(
        feeds.body["data"].as_array().map(Vec::len),
        Some(1),
        "{:?}",
        feeds.body
    );
}

#[tokio::test]
async fn whos_off_opens_on_the_readers_default_view_sorted_as_they_chose() {
    let app = TestApp::spawn().await;
    let company = app.company("Views Co").await;
    let owner = &company.owner.token;
    let tag = app
        .post("/api/v1/tags", owner, json!({"name": "Night shift"}))
        .await
        .body["id"]
        .as_i64()
        .expect("tag");
    app.member(&company, "aaron", json!({"tags": [tag]})).await;
    app.member(&company, "zoe", json!({"tags": [tag]})).await;
    app.member(&company, "mike", json!({})).await;
    // The owner's preferences: the tag's people, first names Z to A.
    let set = app
        .patch(
            &format!("/api/v1/users/{}", company.owner.id),
            owner,
            json!({"default_view_type_id": 2, "default_view_id": tag, "default_sorting_id": 2}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);

    let browser = Browser::sign_in(&app, &company.owner.email).await;
    let html = browser.get("/whos-off?month=2030-03").await.html;
    assert!(
        html.contains(&format!(r#"<option value="t{tag}" selected>"#)),
        "{html}"
    );
    let (zoe, aaron) = (html.find("zoe Tester"), html.find("aaron Tester"));
    assert!(zoe.is_some() && aaron.is_some(), "{html}");
    assert!(zoe < aaron, "first names Z to A");
    assert!(!html.contains("mike Tester"), "not in the tag");
    // Picking everyone (an empty group) shows everyone; the month links keep it.
    let everyone = browser.get("/whos-off?month=2030-03&group=").await.html;
    assert!(everyone.contains("mike Tester"), "{everyone}");
    assert!(everyone.contains("/whos-off?month=2030-04&amp;group="));
}
