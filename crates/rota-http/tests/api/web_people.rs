//! The People pages over HTTP, as a browser without JavaScript uses them: who sees and
//! may open them, the list and its filters, adding, editing (a refusal next to its
//! field), archiving and restoring a person, adjusting an allowance, and importing a CSV
//! upload through its preview (whole, and in the script's parts).

use reqwest::StatusCode;
use reqwest::header;
use serde_json::{Value, json};

use crate::common::{PASSWORD, TestApp};
use crate::web::{Browser, Page};

/// Uploads `csv` as the import form does (multipart, with `csrf` as given).
async fn upload(browser: &Browser, csv: &str, csrf: &str) -> Page {
    let boundary = "rota-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let response = browser
        .client
        .post(format!("{}/people/import", browser.base))
        .header(header::COOKIE, format!("rota_session={}", browser.session))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload");
    Page::of(response).await
}

#[tokio::test]
async fn only_approvers_and_super_users_see_people_and_only_super_users_import() {
    let app = TestApp::spawn().await;
    let acme = app.company("Acme").await;
    let cast = app.cast(&acme).await;

    let staff = Browser::sign_in(&app, &cast.staff.email).await;
    let leave = staff.get("/leave").await;
    assert!(
        !leave.html.contains(r#"href="/people""#),
        "not in the navigation"
    );
    for path in [
        "/people",
        "/people/new",
        "/people/import",
        "/people/export.csv",
    ] {
        assert_eq!(
            staff.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let staff_page = format!("/people/{}", cast.staff.id);
    assert_eq!(staff.get(&staff_page).await.status, StatusCode::FORBIDDEN);

    let approver = Browser::sign_in(&app, &cast.approver.email).await;
    let list = approver.get("/people").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.html.contains(r#"href="/people" aria-current="page""#));
    assert!(
        !list.html.contains("Import from CSV"),
        "no import for approvers"
    );
    assert!(
        list.html
            .contains(&format!(r#"href="/people/{}""#, cast.staff.id))
    );
    for path in ["/people/new", "/people/import", "/people/export.csv"] {
        assert_eq!(
            approver.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    // The approver edits what they manage of their staff, and nothing privileged.
    let page = approver.get(&staff_page).await;
    assert!(page.html.contains(r#"name="job_title""#), "{}", page.html);
    assert!(!page.html.contains(r#"name="email""#));
    assert!(!page.html.contains("Archive"));
    let saved = approver
        .submit(
            &staff_page,
            &[("job_title", "Barista"), ("staff_code", "B-1")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let forced = approver
        .submit(&staff_page, &[("user_type_id", "300")])
        .await;
    assert_eq!(
        forced.status,
        StatusCode::FORBIDDEN,
        "the core refuses the rest"
    );
    let staff_now = app
        .get(
            &format!("/api/v1/users/{}", cast.staff.id),
            &acme.owner.token,
        )
        .await;
    assert_eq!(staff_now.body["job_title"], "Barista");
    assert_eq!(staff_now.body["user_type_id"], 100);

    let outsider = app.company("Other").await;
    let theirs = Browser::sign_in(&app, &outsider.owner.email).await;
    assert_eq!(theirs.get(&staff_page).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_super_user_adds_finds_edits_archives_and_restores_a_person() {
    let app = TestApp::spawn().await;
    let acme = app.company("Acme").await;
    let cast = app.cast(&acme).await;
    let owner = Browser::sign_in(&app, &acme.owner.email).await;
    let department = cast.department_id.to_string();

    let refused = owner
        .submit(
            "/people/new",
            &[
                ("first_name", "Nia"),
                ("last_name", "Ode"),
                ("email", "not-an-address"),
                ("department_id", &department),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains(
            r#"<p class="error" id="email-error">email is not a valid e-mail address</p>"#
        ),
        "{}",
        refused.html
    );
    assert!(refused.html.contains(r#"value="Nia""#), "the form as typed");

    let added = owner
        .submit(
            "/people/new",
            &[
                ("first_name", "Nia"),
                ("last_name", "Ode"),
                ("email", "nia@acme.test"),
                ("user_type_id", "100"),
                ("department_id", &department),
                ("employment_start_date", "2026-02-02"),
                ("has_working_days", "1"),
                ("working_days", "1"),
                ("working_days", "3"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);
    assert!(
        added.location().ends_with("?done=created"),
        "{}",
        added.location()
    );
    let page = owner.get(added.location()).await;
    assert!(page.html.contains("The person is added."));
    let id = added
        .location()
        .trim_start_matches("/people/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();
    let nia = app
        .get(&format!("/api/v1/users/{id}"), &acme.owner.token)
        .await;
    assert_eq!(nia.body["working_days"], json!(["monday", "wednesday"]));
    assert_eq!(nia.body["department_id"], cast.department_id);
    assert_eq!(nia.body["employment_start_date"], "2026-02-02");

    let found = owner.get("/people?q=ODE&status=pending").await;
    assert!(
        found
            .html
            .contains(&format!(r#"href="/people/{id}">Nia Ode"#))
    );
    let elsewhere = owner.get("/people?q=ode&user_type_id=300").await;
    assert!(!elsewhere.html.contains("Nia Ode"));

    let path = format!("/people/{id}");
    let too_early = owner
        .submit(&path, &[("employment_end_date", "2026-01-01")])
        .await;
    assert_eq!(too_early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_early.html.contains(r#"id="employment_end_date-error""#));
    let saved = owner.submit(&path, &[("job_title", "Chef")]).await;
    assert_eq!(saved.location(), format!("{path}?done=saved"));

    let archived = owner.submit(&format!("{path}/archive"), &[]).await;
    assert_eq!(archived.location(), "/people?done=archived");
    let list = owner.get("/people").await;
    assert!(
        !list.html.contains("Nia Ode"),
        "archived people are filtered out"
    );
    let archived_list = owner.get("/people?status=archived").await;
    assert!(archived_list.html.contains("Nia Ode"));
    let restored = owner.submit(&format!("{path}/restore"), &[]).await;
    assert_eq!(restored.location(), format!("{path}?done=restored"));
    let nia = app
        .get(&format!("/api/v1/users/{id}"), &acme.owner.token)
        .await;
    assert_eq!(nia.body["status"], "active");
}

#[tokio::test]
async fn a_super_user_demands_two_step_sign_in_of_one_person_and_an_approver_may_not() {
    let app = TestApp::spawn().await;
    let company = app.company("Demanding").await;
    let cast = app.cast(&company).await;
    let staff = cast.staff.id;
    let page = format!("/people/{staff}");
    let demand = format!("/people/{staff}/mfa");
    let user = format!("/api/v1/users/{staff}");
    let owner_token = company.owner.token.as_str();
    let demanded = || async { app.get(&user, owner_token).await.body["force_mfa"].clone() };

    // Their approver manages them but not their privileged fields: no button, and a post
    // is refused before it is read.
    let approver = Browser::sign_in(&app, &cast.approver.email).await;
    let html = approver.get(&page).await.html;
    assert!(!html.contains(&demand), "{html}");
    let refused = approver.submit(&demand, &[("demand", "on")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(demanded().await, json!(false));

    let owner = Browser::sign_in(&app, &company.owner.email).await;
    assert!(
        owner
            .get(&page)
            .await
            .html
            .contains("Demand two-step sign-in")
    );
    let done = owner.submit(&demand, &[("demand", "on")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), format!("{page}?done=mfa-demanded"));
    assert_eq!(demanded().await, json!(true));
    // Their next sign-in leads into enrolment rather than a session.
    let login = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": cast.staff.email, "password": PASSWORD})),
        )
        .await;
    assert!(login.body["mfa_token"].is_string(), "{:?}", login.body);
    assert!(login.body.get("token").is_none(), "{:?}", login.body);
    let html = owner.get(&page).await.html;
    assert!(html.contains("Stop demanding two-step sign-in"), "{html}");
    let stopped = owner.submit(&demand, &[("demand", "off")]).await;
    assert_eq!(stopped.location(), format!("{page}?done=mfa-not-demanded"));
    assert_eq!(demanded().await, json!(false));

    // Another company's super user finds no such person.
    let other = app.company("Elsewhere Demanding").await;
    let stranger = Browser::sign_in(&app, &other.owner.email).await;
    let foreign = stranger.submit(&demand, &[("demand", "on")]).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(demanded().await, json!(false));
}

#[tokio::test]
async fn a_super_user_sets_where_someones_holidays_come_from_their_zone_and_notes() {
    let app = TestApp::spawn().await;
    let company = app.company("Far Flung").await;
    let cast = app.cast(&company).await;
    let owner = Browser::sign_in(&app, &company.owner.email).await;
    let path = format!("/people/{}", cast.staff.id);
    let html = owner.get(&path).await.html;
    for field in [
        "holiday_country",
        "holiday_subdivision",
        "time_zone",
        "employment_type",
    ] {
        assert!(html.contains(&format!(r#"name="{field}""#)), "{field}");
    }
    assert!(html.contains(r#"<textarea id="notes""#));
    // The core's refusal stands next to its field, and nothing is written.
    let refused = owner.submit(&path, &[("holiday_country", "Narnia")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has_error_at("holiday_country"), "{}", refused.html);
    let saved = owner
        .submit(
            &path,
            &[
                ("holiday_country", "gb"),
                ("holiday_subdivision", "SCT"),
                ("time_zone", "Europe/London"),
                ("employment_type", "Part time"),
                ("notes", "Keys to the store"),
            ],
        )
        .await;
    assert_eq!(
        saved.location(),
        format!("{path}?done=saved"),
        "{}",
        saved.html
    );
    let user = app
        .get(
            &format!("/api/v1/users/{}", cast.staff.id),
            &company.owner.token,
        )
        .await
        .body;
    assert_eq!(
        (
            &user["holiday_country"],
            &user["holiday_subdivision"],
            &user["time_zone"],
            &user["employment_type"],
            &user["notes"]
        ),
        (
            &json!("GB"),
            &json!("SCT"),
            &json!("Europe/London"),
            &json!("Part time"),
            &json!("Keys to the store")
        )
    );
    // Their approver sees the notes they may change, but not where the holidays come from.
    let approver = Browser::sign_in(&app, &cast.approver.email).await;
    let html = approver.get(&path).await.html;
    assert!(html.contains("Keys to the store"));
    assert!(!html.contains(r#"name="holiday_country""#));
}

#[tokio::test]
async fn a_super_user_sets_the_fields_rarely_set_by_hand_and_a_refusal_writes_nothing() {
    let app = TestApp::spawn().await;
    let company = app.company("Rare Fields").await;
    let cast = app.cast(&company).await;
    let barista = app
        .post(
            "/api/v1/positions",
            &company.owner.token,
            json!({"name": "Barista"}),
        )
        .await;
    assert_eq!(barista.status, StatusCode::CREATED, "{:?}", barista.body);
    let barista = barista.body["id"].as_i64().expect("position").to_string();
    // Their manager is staff, not an approver: the form still shows them, so that saving
    // it keeps them.
    let colleague = app.member(&company, "colleague", json!({})).await;
    let set = app
        .patch(
            &format!("/api/v1/users/{}", cast.staff.id),
            &company.owner.token,
            json!({"manager_id": colleague.id}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);

    let owner = Browser::sign_in(&app, &company.owner.email).await;
    let path = format!("/people/{}", cast.staff.id);
    let html = owner.get(&path).await.html;
    for field in [
        "notifier_2_id",
        "notifier_3_role",
        "manager_id",
        "hourly_rate",
        "hours_max",
        "is_private",
        "positions",
        "email_type",
        "allowance_unit",
    ] {
        assert!(html.contains(&format!(r#"name="{field}""#)), "{field}");
    }
    assert!(html.contains(r#"<label for="hourly_rate">"#), "labelled");
    assert!(
        html.contains(&format!(
            r#"<option value="{}" selected>colleague Tester"#,
            colleague.id
        )),
        "{html}"
    );

    let user = || async {
        app.get(
            &format!("/api/v1/users/{}", cast.staff.id),
            &company.owner.token,
        )
        .await
        .body
    };
    let before = user().await;
    for (field, value, at) in [
        ("hourly_rate", "lots", "hourly_rate"),
        ("hours_max", "200", "hours_max"),
        ("notifier_2_id", &cast.staff.id.to_string(), "notifier_2_id"),
        ("image_url_small", "not an address", "image_url_small"),
        ("default_view", "region:1", "default_view"),
        ("position_rate", "a lot", "position_rates"),
    ] {
        let refused = owner
            .submit(
                &path,
                &[
                    (field, value),
                    ("hourly_rate", "9.99"),
                    ("has_positions", "1"),
                    ("positions", barista.as_str()),
                    ("has_position_rates", "1"),
                    ("position_rate_for", barista.as_str()),
                ],
            )
            .await;
        assert!(
            refused.status.is_client_error(),
            "{field}: {}",
            refused.status
        );
        assert!(refused.has_error_at(at), "{field}: {}", refused.html);
    }
    assert_eq!(user().await, before, "a refusal writes nothing");

    let approver = cast.approver.id.to_string();
    let saved = owner
        .submit(
            &path,
            &[
                ("notifier_2_id", approver.as_str()),
                ("notifier_2_role", "notifier_leave"),
                ("hourly_rate", "12.50"),
                ("hours_max", "37.5"),
                ("hours_preferred", ""),
                ("email_type", "text"),
                ("has_positions", "1"),
                ("positions", barista.as_str()),
                ("has_position_rates", "1"),
                ("position_rate_for", barista.as_str()),
                ("position_rate", "14"),
                ("has_flags", "1"),
                ("is_private", "on"),
                ("manager_id", &colleague.id.to_string()),
                (
                    "default_view",
                    &format!("department:{}", cast.department_id),
                ),
                ("default_sorting_id", "3"),
                ("image_url_small", "https://example.com/ann.png"),
            ],
        )
        .await;
    assert_eq!(
        saved.location(),
        format!("{path}?done=saved"),
        "{}",
        saved.html
    );
    let after = user().await;
    assert_eq!(after["notifier_2_id"], cast.approver.id);
    assert_eq!(after["notifier_2_role"], "notifier_leave");
    assert_eq!(after["hourly_rate_cents"], 1250);
    assert_eq!(
        after["position_rates"],
        json!([{"position_id": barista.parse::<i64>().expect("id"), "hourly_rate_cents": 1400}])
    );
    assert_eq!(after["hours_max_minutes"], 2250);
    assert_eq!(after["email_type"], "text");
    assert_eq!(
        after["positions"],
        json!([barista.parse::<i64>().expect("id")])
    );
    assert_eq!(
        (&after["is_private"], &after["is_hidden"]),
        (&json!(true), &json!(false))
    );
    assert_eq!(after["manager_id"], colleague.id, "kept");
    assert_eq!(
        (&after["default_view_type_id"], &after["default_view_id"]),
        (&json!(1), &json!(cast.department_id))
    );
    assert_eq!(after["default_sorting_id"], 3);
    assert_eq!(after["image_url_small"], "https://example.com/ann.png");
    let html = owner.get(&path).await.html;
    assert!(html.contains(r#"value="12.50""#), "as typed back: {html}");
    assert!(html.contains(r#"value="37.5""#));
    assert!(html.contains(r#"<label for="position_rate_"#), "labelled");
    assert!(
        html.contains(r#"value="14.00""#),
        "the position's rate: {html}"
    );
    assert!(html.contains(r#"name="is_private" value="on" checked"#));

    // Their approver changes the hours they may, not pay or privacy.
    let approver = Browser::sign_in(&app, &cast.approver.email).await;
    let html = approver.get(&path).await.html;
    assert!(html.contains(r#"name="hours_max""#));
    assert!(!html.contains(r#"name="hourly_rate""#));
    assert!(!html.contains(r#"name="is_private""#));
}

#[tokio::test]
async fn an_allowance_is_adjusted_with_a_reason() {
    let app = TestApp::spawn().await;
    let acme = app.company("Acme").await;
    let cast = app.cast(&acme).await;
    let owner = Browser::sign_in(&app, &acme.owner.email).await;
    let path = format!("/people/{}", cast.staff.id);
    let page = owner.get(&path).await;
    let select = page
        .html
        .find(r#"name="allowance">"#)
        .expect("the adjustment form");
    let at = select
        + page.html[select..]
            .find(r#"<option value=""#)
            .expect("an allowance");
    let key: String = page.html[at..]
        .trim_start_matches(r#"<option value=""#)
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let before: Value = app
        .get(
            &format!("/api/v1/users/{}/allowances", cast.staff.id),
            &acme.owner.token,
        )
        .await
        .body;

    let no_reason = owner
        .submit(
            &format!("{path}/allowance"),
            &[("allowance", &key), ("amount", "1.5"), ("reason", " ")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason.html.contains(r#"id="reason-error""#),
        "{}",
        no_reason.html
    );
    let adjusted = owner
        .submit(
            &format!("{path}/allowance"),
            &[
                ("allowance", &key),
                ("amount", "1.5"),
                ("reason", "Long service"),
            ],
        )
        .await;
    assert_eq!(adjusted.location(), format!("{path}?done=adjusted"));
    let after: Value = app
        .get(
            &format!("/api/v1/users/{}/allowances", cast.staff.id),
            &acme.owner.token,
        )
        .await
        .body;
    let adjustments = |v: &Value| {
        v.as_array()
            .expect("allowances")
            .iter()
            .map(|a| a["adjustments"].as_i64().expect("adjustments"))
            .sum::<i64>()
    };
    assert_eq!(adjustments(&after) - adjustments(&before), 150);
}

#[tokio::test]
async fn a_csv_upload_is_previewed_then_imported_whole_or_in_parts() {
    let app = TestApp::spawn().await;
    let acme = app.company("Acme").await;
    let owner = Browser::sign_in(&app, &acme.owner.email).await;
    let csv = "email,first_name,last_name\n\
               ann@acme.test,Ann,Able\n\
               bo@acme.test,Bo,Baker\n\
               bad address,Cy,Cole\n";

    assert_eq!(
        upload(&owner, csv, "forged").await.status,
        StatusCode::FORBIDDEN,
        "the upload carries the CSRF token"
    );
    let bad = upload(&owner, "first_name\nAnn\n", &owner.csrf).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains(r#"id="file-error""#), "{}", bad.html);

    let preview = upload(&owner, csv, &owner.csrf).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.html);
    assert!(
        preview.html.contains(
            "create <strong>2</strong>,\nupdate <strong>0</strong> and refuse <strong>1</strong>"
        ),
        "{}",
        preview.html
    );
    assert!(preview.html.contains("email is not a valid e-mail address"));
    assert!(preview.html.contains(r#"data-rows="3""#));

    // The script's parts: rows 0–1, then 2 (the refused one).
    let first = owner
        .submit(
            "/people/import/apply",
            &[("csv", csv), ("from", "0"), ("to", "2")],
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let first: Value = serde_json::from_str(&first.html).expect("json");
    assert_eq!(
        first,
        json!({"created": 2, "updated": 0, "unchanged": 0, "refused": 0})
    );
    let rest = owner
        .submit(
            "/people/import/apply",
            &[("csv", csv), ("from", "2"), ("to", "3")],
        )
        .await;
    let rest: Value = serde_json::from_str(&rest.html).expect("json");
    assert_eq!(rest["refused"], 1);

    // Without the script: one post, then the list with the counts.
    let again = "email,first_name,last_name\nann@acme.test,Anne,Able\ndi@acme.test,Di,Dee\n";
    let whole = owner
        .submit("/people/import/apply", &[("csv", again)])
        .await;
    assert_eq!(
        whole.location(),
        "/people?done=imported&created=1&updated=1&refused=0"
    );
    let list = owner.get(whole.location()).await;
    assert!(
        list.html
            .contains("Imported: 1 created, 1 updated, 0 refused.")
    );
    assert!(list.html.contains("Anne Able"));

    let export = owner.get("/people/export.csv").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(
        export.html.contains("di@acme.test,Di,Dee"),
        "{}",
        export.html
    );
}
