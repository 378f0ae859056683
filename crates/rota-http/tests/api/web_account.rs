//! The account pages over HTTP, as a browser sees them: a super user demanding MFA of
//! everyone from the security page (which others may neither open nor see), a sign-in
//! that MFA demanded leads into enrolment with the QR code and a first code, and a person
//! enrolling, renewing recovery codes and switching MFA off on `/account/mfa`. Codes are
//! computed by the test's own TOTP (`crate::mfa::Device`).

use reqwest::StatusCode;
use reqwest::header;
use serde_json::json;

use crate::common::{PASSWORD, TestApp};
use crate::mfa::Device;
use crate::web::{Browser, browser, cookie_value, hidden, set_cookie, sign_in_form};

/// The seed an enrolment page shows.
fn seed_in(html: &str) -> String {
    let marker = r#"<code class="seed" id="seed">"#;
    let at = html.find(marker).expect("the seed") + marker.len();
    html[at..at + html[at..].find('<').expect("its end")].to_owned()
}

/// The recovery codes a page shows.
fn recovery_codes_in(html: &str) -> Vec<&str> {
    html.split("<li><code>")
        .skip(1)
        .map(|rest| &rest[..rest.find('<').expect("its end")])
        .collect()
}

#[tokio::test]
async fn a_super_user_demands_mfa_from_the_security_page_which_staff_may_not_open() {
    let app = TestApp::spawn().await;
    let company = app.company("Security Co").await;
    let cast = app.cast(&company).await;
    let staff = Browser::sign_in(&app, &cast.staff.email).await;
    assert!(
        !staff
            .get("/leave")
            .await
            .html
            .contains(r#"href="/company/security""#)
    );
    assert_eq!(
        staff.get("/company/security").await.status,
        StatusCode::FORBIDDEN
    );
    let refused = staff
        .post(
            "/company/security",
            &[("csrf", staff.csrf.as_str()), ("force_mfa", "1")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let settings = app.get("/api/v1/company", &company.owner.token).await;
    assert_eq!(
        settings.body["settings"]["force_mfa"], false,
        "staff changed nothing"
    );

    let boss = Browser::sign_in(&app, &cast.super_user.email).await;
    let page = boss.get("/company/security").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains(r#"href="/company/security""#));
    assert!(!page.html.contains(" checked"));
    let saved = boss
        .post(
            "/company/security",
            &[("csrf", boss.csrf.as_str()), ("force_mfa", "1")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        saved.headers()[header::LOCATION],
        "/company/security?done=on"
    );
    let company_now = app.get("/api/v1/company", &company.owner.token).await;
    assert_eq!(company_now.body["settings"]["force_mfa"], true);
    assert_eq!(
        company_now.body["settings"]["password_min_length"],
        settings.body["settings"]["password_min_length"],
        "the other settings stay"
    );
    let page = boss.get("/company/security?done=on").await;
    assert!(page.html.contains(" checked"));
    assert!(
        page.html
            .contains("Everyone now signs in with a second factor")
    );
    let audit = app
        .get("/api/v1/audit?action=company.updated", &company.owner.token)
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{:?}", audit.body);
    assert_eq!(audit.body["data"][0]["actor_user_id"], cast.super_user.id);
    // Unticked, the box stops the demand.
    let off = boss
        .post("/company/security", &[("csrf", boss.csrf.as_str())])
        .await;
    assert_eq!(
        off.headers()[header::LOCATION],
        "/company/security?done=off"
    );
    let company_now = app.get("/api/v1/company", &company.owner.token).await;
    assert_eq!(company_now.body["settings"]["force_mfa"], false);
}

#[tokio::test]
async fn a_sign_in_that_demands_mfa_leads_into_enrolment_and_on_to_the_page() {
    let app = TestApp::spawn().await;
    let company = app.company("Forced Co").await;
    let cast = app.cast(&company).await;
    let forced = app
        .patch(
            "/api/v1/company",
            &company.owner.token,
            json!({"settings": {"force_mfa": true}}),
        )
        .await;
    assert_eq!(forced.status, StatusCode::OK, "{:?}", forced.body);
    let client = browser();
    let (form_cookie, csrf) = sign_in_form(&client, &app.base).await;
    let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
        client
            .post(format!("{}{path}", app.base))
            .header(header::COOKIE, format!("rota_form={form_cookie}"))
            .form(&fields)
            .send()
    };
    let password = post(
        "/sign-in",
        vec![
            ("csrf", csrf.clone()),
            ("email", cast.staff.email.clone()),
            ("password", PASSWORD.into()),
            ("next", "/leave".into()),
        ],
    )
    .await
    .expect("password");
    assert_eq!(password.status(), StatusCode::OK);
    assert!(set_cookie(password.headers(), "rota_session").is_none());
    let html = password.text().await.expect("html");
    assert!(
        html.contains(r#"<img class="qr" src="data:image/svg+xml;base64,"#),
        "{html}"
    );
    assert!(
        !html.contains("<svg"),
        "no inline SVG for the CSP to refuse"
    );
    let device = Device::of_seed(&seed_in(&html));
    let challenge = hidden(&html, "mfa_token").expect("the challenge's token");
    assert!(challenge.starts_with("rota_mfa_"));

    let wrong = post(
        "/sign-in/enrol",
        vec![
            ("csrf", csrf.clone()),
            ("mfa_token", challenge.clone()),
            ("code", device.wrong()),
            ("next", "/leave".into()),
        ],
    )
    .await
    .expect("wrong code");
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(set_cookie(wrong.headers(), "rota_session").is_none());
    let html = wrong.text().await.expect("html");
    assert!(
        html.contains(r#"id="confirm-code-error""#),
        "the refusal next to the field: {html}"
    );
    assert_eq!(
        hidden(&html, "mfa_token").as_deref(),
        Some(challenge.as_str())
    );

    let right = post(
        "/sign-in/enrol",
        vec![
            ("csrf", csrf.clone()),
            ("mfa_token", challenge.clone()),
            ("code", device.current()),
            ("next", "/leave".into()),
        ],
    )
    .await
    .expect("code");
    assert_eq!(right.status(), StatusCode::OK);
    let session = cookie_value(set_cookie(right.headers(), "rota_session").expect("a session"));
    let html = right.text().await.expect("html");
    assert_eq!(recovery_codes_in(&html).len(), 10, "{html}");
    assert!(html.contains(r#"href="/leave""#), "the way on: {html}");
    let me = app.get("/api/v1/auth/mfa", &session).await;
    assert_eq!(me.body["enabled"], true);
    // The challenge opened its session once.
    let again = post(
        "/sign-in/enrol",
        vec![
            ("csrf", csrf),
            ("mfa_token", challenge),
            ("code", device.next()),
        ],
    )
    .await
    .expect("again");
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie(again.headers(), "rota_session").is_none());
}

#[tokio::test]
async fn a_person_enrols_renews_recovery_codes_and_switches_mfa_off_on_the_page() {
    let app = TestApp::spawn().await;
    let company = app.company("Own Factor Co").await;
    let cast = app.cast(&company).await;
    let staff = Browser::sign_in(&app, &cast.staff.email).await;
    let page = staff.get("/account/mfa").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("<strong>Off</strong>"));

    let enrolled = staff
        .post("/account/mfa/enrol", &[("csrf", staff.csrf.as_str())])
        .await;
    assert_eq!(enrolled.status(), StatusCode::OK);
    let html = enrolled.text().await.expect("html");
    assert!(html.contains(r#"src="data:image/svg+xml;base64,"#));
    let device = Device::of_seed(&seed_in(&html));

    let wrong = staff
        .post(
            "/account/mfa/confirm",
            &[("csrf", staff.csrf.as_str()), ("code", &device.wrong())],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = wrong.text().await.expect("html");
    assert!(html.contains(r#"id="confirm-code-error""#), "{html}");
    let status = app.get("/api/v1/auth/mfa", &cast.staff.token).await;
    assert_eq!(status.body["enabled"], false);
    assert_eq!(status.body["enrolment_pending"], true);

    let confirmed = staff
        .post(
            "/account/mfa/confirm",
            &[("csrf", staff.csrf.as_str()), ("code", &device.current())],
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let html = confirmed.text().await.expect("html");
    let first = recovery_codes_in(&html)
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    assert_eq!(first.len(), 10);
    assert!(html.contains("<strong>On</strong>"));
    assert!(
        !staff.get("/account/mfa").await.html.contains("<li><code>"),
        "shown once"
    );

    let renewed = staff
        .post(
            "/account/mfa/recovery-codes",
            &[("csrf", staff.csrf.as_str()), ("code", &device.next())],
        )
        .await;
    assert_eq!(renewed.status(), StatusCode::OK);
    let html = renewed.text().await.expect("html");
    let second = recovery_codes_in(&html);
    assert_eq!(second.len(), 10);
    assert!(
        second
            .iter()
            .all(|code| !first.contains(&(*code).to_owned()))
    );

    let wrong_password = staff
        .post(
            "/account/mfa/disable",
            &[
                ("csrf", staff.csrf.as_str()),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(wrong_password.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = wrong_password.text().await.expect("html");
    assert!(html.contains(r#"id="disable-password-error""#), "{html}");
    let off = staff
        .post(
            "/account/mfa/disable",
            &[("csrf", staff.csrf.as_str()), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        off.headers()[header::LOCATION],
        "/account/mfa?done=disabled"
    );
    let status = app.get("/api/v1/auth/mfa", &cast.staff.token).await;
    assert_eq!(status.body["enabled"], false);
}

#[tokio::test]
async fn mfa_demanded_cannot_be_switched_off_and_the_page_offers_no_way_to() {
    let app = TestApp::spawn().await;
    let company = app.company("Kept Co").await;
    let (device, _) = crate::mfa::switch_on(&app, &company.owner).await;
    app.patch(
        "/api/v1/company",
        &company.owner.token,
        json!({"settings": {"force_mfa": true}}),
    )
    .await;
    let client = browser();
    let (form_cookie, csrf) = sign_in_form(&client, &app.base).await;
    let signed = client
        .post(format!("{}/sign-in", app.base))
        .header(header::COOKIE, format!("rota_form={form_cookie}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", &company.owner.email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("password");
    let html = signed.text().await.expect("html");
    let token = hidden(&html, "mfa_token").expect("a code step, not an enrolment");
    assert!(!html.contains("data:image/svg+xml"));
    let session = client
        .post(format!("{}/sign-in", app.base))
        .header(header::COOKIE, format!("rota_form={form_cookie}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("mfa_token", &token),
            ("code", &device.next()),
        ])
        .send()
        .await
        .expect("code");
    assert_eq!(session.status(), StatusCode::SEE_OTHER);
    let session = cookie_value(set_cookie(session.headers(), "rota_session").expect("session"));
    let owner = Browser {
        client: browser(),
        base: app.base.clone(),
        csrf: rota_http::web::session::csrf_of(&session),
        session,
    };
    let page = owner.get("/account/mfa").await;
    assert!(page.html.contains("cannot be switched off"));
    assert!(!page.html.contains(r#"action="/account/mfa/disable""#));
    let refused = owner
        .post(
            "/account/mfa/disable",
            &[("csrf", owner.csrf.as_str()), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(
        refused
            .text()
            .await
            .expect("html")
            .contains("role=\"alert\"")
    );
}

/// A page opened before signing in: its status, its form cookie and CSRF token, and HTML.
struct Visit {
    status: StatusCode,
    cookie: Option<String>,
    csrf: Option<String>,
    html: String,
}

async fn visit(client: &reqwest::Client, url: &str) -> Visit {
    let response = client.get(url).send().await.expect("get");
    let status = response.status();
    let cookie = set_cookie(response.headers(), "rota_form").map(cookie_value);
    let html = response.text().await.expect("html");
    let csrf = html
        .contains(r#"name="csrf""#)
        .then(|| crate::web::csrf_in(&html));
    Visit {
        status,
        cookie,
        csrf,
        html,
    }
}

/// Posts `fields` (and the visit's CSRF token) with the visit's form cookie.
async fn post_form(
    client: &reqwest::Client,
    url: &str,
    visit: &Visit,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = vec![("csrf", visit.csrf.as_deref().expect("a form"))];
    form.extend_from_slice(fields);
    client
        .post(url)
        .header(
            header::COOKIE,
            format!(
                "rota_form={}",
                visit.cookie.as_deref().expect("a form cookie")
            ),
        )
        .form(&form)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn an_invitation_opens_a_page_that_sets_the_password_and_signs_in_once() {
    let app = TestApp::spawn().await;
    let company = app.company("Welcome Co").await;
    let email = format!("ivy-{:08x}@pages.test", rand::random::<u32>());
    let created = app
        .post(
            "/api/v1/users",
            &company.owner.token,
            json!({"email": email, "first_name": "Ivy", "last_name": "Page"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let token = crate::password_links::queued_token(&app, &email, "invitation").await;
    let url = format!("{}/invitation/{token}", app.base);
    let client = browser();
    let page = visit(&client, &url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Welcome, Ivy"), "{}", page.html);
    assert!(page.html.contains(&email));
    // Without its CSRF token the form is refused and nothing is spent.
    let forged = client
        .post(&url)
        .form(&[
            ("password", "a fine long password"),
            ("repeat", "a fine long password"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let differ = post_form(
        &client,
        &url,
        &page,
        &[
            ("password", "a fine long password"),
            ("repeat", "another one"),
        ],
    )
    .await;
    assert_eq!(differ.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        differ
            .text()
            .await
            .expect("html")
            .contains(r#"id="password-error""#)
    );
    let weak = post_form(
        &client,
        &url,
        &page,
        &[("password", "short"), ("repeat", "short")],
    )
    .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = weak.text().await.expect("html");
    assert!(html.contains("at least 12 characters"), "{html}");
    let done = post_form(
        &client,
        &url,
        &page,
        &[
            ("password", "a fine long password"),
            ("repeat", "a fine long password"),
        ],
    )
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()[header::LOCATION], "/leave?done=welcome");
    let session = cookie_value(set_cookie(done.headers(), "rota_session").expect("signed in"));
    let me = app.get("/api/v1/auth/me", &session).await;
    assert_eq!(me.body["user_id"], created.body["id"]);
    // The link worked once: its page now says so, with no form.
    let used = visit(&browser(), &url).await;
    assert_eq!(used.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(used.html.contains("used already"), "{}", used.html);
    assert!(!used.html.contains(r#"name="password""#));
}

#[tokio::test]
async fn a_forgotten_password_is_reset_from_the_pages_and_every_session_ends() {
    let app = TestApp::spawn().await;
    let company = app.company("Forgetful Co").await;
    let cast = app.cast(&company).await;
    let staff = Browser::sign_in(&app, &cast.staff.email).await;
    let sign_in = visit(&browser(), &format!("{}/sign-in", app.base)).await;
    assert!(sign_in.html.contains(r#"href="/forgot-password""#));

    let client = browser();
    let url = format!("{}/forgot-password", app.base);
    let form = visit(&client, &url).await;
    assert_eq!(form.status, StatusCode::OK);
    let nobody = format!("nobody-{:08x}@pages.test", rand::random::<u32>());
    let unknown = post_form(&client, &url, &form, &[("email", &nobody)]).await;
    let known = post_form(&client, &url, &form, &[("email", &cast.staff.email)]).await;
    for answer in [&unknown, &known] {
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            answer.headers()[header::LOCATION],
            "/forgot-password?done=sent"
        );
    }
    assert_eq!(crate::password_links::queued_for(&app, &nobody).await, 0);
    let sent = visit(&client, &format!("{url}?done=sent")).await;
    assert!(sent.html.contains("If that address has an account"));

    let token =
        crate::password_links::queued_token(&app, &cast.staff.email, "reset-password").await;
    let reset_url = format!("{}/reset-password/{token}", app.base);
    let page = visit(&client, &reset_url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains(&cast.staff.email));
    let done = post_form(
        &client,
        &reset_url,
        &page,
        &[
            ("password", "a new long password"),
            ("repeat", "a new long password"),
        ],
    )
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        done.headers()[header::LOCATION],
        "/forgot-password?done=reset"
    );
    let signed_out = staff.get("/leave").await;
    assert_eq!(
        signed_out.status,
        StatusCode::SEE_OTHER,
        "the old session ended"
    );
    app.login(&cast.staff.email, "a new long password").await;
    let again = visit(&browser(), &reset_url).await;
    assert!(again.html.contains("used already"));
    assert!(
        again.html.contains(r#"href="/forgot-password""#),
        "the way on"
    );
}

#[tokio::test]
async fn an_expired_or_unknown_link_says_so_on_its_page() {
    let app = TestApp::spawn().await;
    let company = app.company("Stale Co").await;
    let cast = app.cast(&company).await;
    let token = crate::password_links::reset_token(&app, &cast.staff.email).await;
    crate::password_links::expire_links(&app, company.id).await;
    let expired = visit(&browser(), &format!("{}/reset-password/{token}", app.base)).await;
    assert_eq!(expired.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(expired.html.contains("has expired"), "{}", expired.html);
    assert!(!expired.html.contains(r#"name="password""#));
    let unknown = visit(
        &browser(),
        &format!("{}/invitation/rota_inv_nothing", app.base),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.html.contains("not one Rota sent"));
}
