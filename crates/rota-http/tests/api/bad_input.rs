//! Bad input, table-driven per endpoint class: each case gets its documented status and
//! error code, never a 500, and writes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{TestApp, TestCompany};

struct Case {
    name: &'static str,
    method: Method,
    path: String,
    /// Raw body text sent as application/json, or a JSON value.
    body: Body,
    status: StatusCode,
    code: &'static str,
    field: Option<&'static str>,
}

enum Body {
    None,
    Json(Value),
    Raw(String, &'static str),
}

async fn send(app: &TestApp, token: &str, case: &Case) -> (StatusCode, Value) {
    let mut request = app
        .client
        .request(case.method.clone(), format!("{}{}", app.base, case.path))
        .bearer_auth(token);
    request = match &case.body {
        Body::None => request,
        Body::Json(value) => request.json(value),
        Body::Raw(text, content_type) => request
            .header("content-type", *content_type)
            .body(text.clone()),
    };
    let response = request.send().await.expect("send");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// Counts every row a company owns, so a case can show it wrote nothing.
async fn footprint(app: &TestApp, company: &TestCompany) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "users",
        "departments",
        "regions",
        "locations",
        "sites",
        "positions",
        "tags",
        "user_tags",
        "user_locations",
        "user_positions",
        "shifts",
        "shift_breaks",
        "shift_history",
        "shift_chains",
        "shift_chain_exceptions",
        "shift_chain_breaks",
        "availability_events",
        "time_entries",
        "time_entry_breaks",
        "time_clock_settings",
        "payroll_settings",
        "payroll_periods",
        "swaps",
        "swap_recipients",
        "messages",
        "schedule_settings",
        "open_shift_requests",
        "open_shift_bids",
        "shift_templates",
        "shift_template_breaks",
        "payroll_period_hours",
    ] {
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} WHERE company_id = $1"
        )))
        .bind(company.id)
        .fetch_one(app.db.pool())
        .await
        .expect("count");
        counts.push(count);
    }
    let updated: Vec<i64> =
        sqlx::query_scalar("SELECT updated_at FROM users WHERE company_id = $1 ORDER BY id")
            .bind(company.id)
            .fetch_all(app.db.pool())
            .await
            .expect("stamps");
    counts.extend(updated);
    counts
}

/// Sends every case as `token` and fails listing each that did not get its status, code,
/// field and a message, or that wrote anything of `company`'s.
async fn check_all(app: &TestApp, company: &TestCompany, token: &str, cases: &[Case]) {
    let mut failures = Vec::new();
    for case in cases {
        let before = footprint(app, company).await;
        let (status, body) = send(app, token, case).await;
        let after = footprint(app, company).await;
        let code = body["error"]["code"].as_str().unwrap_or_default();
        let field = body["error"]["field"].as_str();
        let message = body["error"]["message"].as_str().unwrap_or_default();
        if status != case.status
            || code != case.code
            || field != case.field
            || message.is_empty()
            || before != after
        {
            failures.push(format!(
                "{}: expected {} {} {:?}, got {status} {code} {field:?} (wrote: {})",
                case.name,
                case.status,
                case.code,
                case.field,
                before != after
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A JSON body: `base` with the fields of `extra` added or replaced.
fn merged(mut base: Value, extra: Value) -> Body {
    if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
        base.extend(extra.clone());
    }
    Body::Json(base)
}

fn case(
    name: &'static str,
    method: Method,
    path: &str,
    body: Body,
    status: StatusCode,
    code: &'static str,
    field: Option<&'static str>,
) -> Case {
    Case {
        name,
        method,
        path: path.to_owned(),
        body,
        status,
        code,
        field,
    }
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_writes_nothing() {
    use Body::{Json, Raw};
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let other = app.company("Other").await;
    let token = company.owner.token.clone();
    let foreign_department = app
        .post(
            "/api/v1/departments",
            &other.owner.token,
            json!({"name": "Theirs"}),
        )
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let foreign_user = other.owner.id;
    let department = app
        .post("/api/v1/departments", &token, json!({"name": "Ours"}))
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let existing = app.member(&company, "existing", json!({})).await;
    let foreign_location = app
        .post(
            "/api/v1/locations",
            &other.owner.token,
            json!({"name": "Theirs"}),
        )
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let entry = app
        .post(
            "/api/v1/times",
            &token,
            json!({"user_id": existing.id, "start_time": "2026-06-01T09:00:00Z",
                   "end_time": "2026-06-01T17:00:00Z"}),
        )
        .await;
    assert_eq!(entry.status, StatusCode::CREATED, "{:?}", entry.body);
    let entry_path = format!("/api/v1/times/{}", entry.body["id"]);
    let time = |extra: Value| {
        merged(
            json!({"user_id": existing.id, "start_time": "2026-06-02T09:00:00Z",
                   "end_time": "2026-06-02T17:00:00Z"}),
            extra,
        )
    };
    let rules = |extra: Value| {
        merged(
            json!({"clock_in_increment": 5, "clock_in_rounding": "nearest",
                   "clock_out_increment": 5, "clock_out_rounding": "nearest"}),
            extra,
        )
    };
    let pay_rule = |extra: Value| {
        merged(
            json!({"frequency": "weekly", "first_day": "2026-01-05", "daily_overtime_minutes": 480,
                   "weekly_overtime_minutes": 2400, "week_starts_on": "monday", "overtime_multiplier": 150}),
            extra,
        )
    };
    // The current payroll period (cut by listing), with an entry in it not yet approved;
    // another company's.
    let periods = app.get("/api/v1/payroll-periods", &token).await;
    assert_eq!(periods.status, StatusCode::OK, "{:?}", periods.body);
    let period_path = format!("/api/v1/payroll-periods/{}", periods.body["data"][0]["id"]);
    let today = crate::payroll::london_today();
    let unapproved = app
        .post(
            "/api/v1/times",
            &token,
            json!({"user_id": existing.id, "start_time": format!("{today}T00:00:00Z"),
                   "end_time": format!("{today}T00:30:00Z")}),
        )
        .await;
    assert_eq!(
        unapproved.status,
        StatusCode::CREATED,
        "{:?}",
        unapproved.body
    );
    let theirs = app.get("/api/v1/payroll-periods", &other.owner.token).await;
    let their_period = format!("/api/v1/payroll-periods/{}", theirs.body["data"][0]["id"]);
    let user_path = format!("/api/v1/users/{}", existing.id);
    let huge = format!("{{\"first_name\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let valid_user = |extra: Value| {
        merged(
            json!({"email": "new@acme.test", "first_name": "New", "last_name": "Person"}),
            extra,
        )
    };
    let s400 = StatusCode::BAD_REQUEST;
    let s404 = StatusCode::NOT_FOUND;
    let s409 = StatusCode::CONFLICT;
    let s413 = StatusCode::PAYLOAD_TOO_LARGE;
    let s415 = StatusCode::UNSUPPORTED_MEDIA_TYPE;
    let s422 = StatusCode::UNPROCESSABLE_ENTITY;
    let post = Method::POST;
    let patch = Method::PATCH;
    let get = Method::GET;
    let put = Method::PUT;
    let cases = vec![
        // Users: create.
        case(
            "malformed JSON",
            post.clone(),
            "/api/v1/users",
            Raw("{\"email\": ".into(), "application/json"),
            s400,
            "malformed_json",
            None,
        ),
        case(
            "trailing garbage",
            post.clone(),
            "/api/v1/users",
            Raw("{} {}".into(), "application/json"),
            s400,
            "malformed_json",
            None,
        ),
        case(
            "not JSON content type",
            post.clone(),
            "/api/v1/users",
            Raw("email=a".into(), "application/x-www-form-urlencoded"),
            s415,
            "unsupported_media_type",
            None,
        ),
        case(
            "wrong type",
            post.clone(),
            "/api/v1/users",
            valid_user(json!({"department_id": "ops"})),
            s422,
            "validation_failed",
            Some("department_id"),
        ),
        case(
            "wrong enum",
            post.clone(),
            "/api/v1/users",
            valid_user(json!({"user_type_id": 150})),
            s422,
            "validation_failed",
            Some("user_type_id"),
        ),
        case(
            "missing required",
            post.clone(),
            "/api/v1/users",
            Json(json!({"email": "x@acme.test", "first_name": "X"})),
            s422,
            "validation_failed",
            Some("last_name"),
        ),
        case(
            "unknown field",
            post.clone(),
            "/api/v1/users",
            valid_user(json!({"is_admin": true})),
            s422,
            "validation_failed",
            Some("is_admin"),
        ),
        case(
            "body over 1 MiB",
            post.clone(),
            "/api/v1/users",
            Raw(huge.clone(), "application/json"),
            s413,
            "payload_too_large",
            None,
        ),
        case(
            "invalid e-mail",
            post.clone(),
            "/api/v1/users",
            Json(json!({"email": "not-an-email", "first_name": "A", "last_name": "B"})),
            s422,
            "validation_failed",
            Some("email"),
        ),
        case(
            "invalid date",
            post.clone(),
            "/api/v1/users",
            valid_user(json!({"employment_start_date": "2026-02-30"})),
            s422,
            "validation_failed",
            Some("employment_start_date"),
        ),
        case(
            "end before start",
            post.clone(),
            "/api/v1/users",
            valid_user(
                json!({"employment_start_date": "2026-02-01", "employment_end_date": "2026-01-01"}),
            ),
            s422,
            "validation_failed",
            Some("employment_end_date"),
        ),
        case(
            "duplicate e-mail",
            post.clone(),
            "/api/v1/users",
            Json(
                json!({"email": existing.email.to_uppercase(), "first_name": "A", "last_name": "B"}),
            ),
            s409,
            "duplicate",
            Some("email"),
        ),
        case(
            "another company's department",
            post.clone(),
            "/api/v1/users",
            valid_user(json!({"department_id": foreign_department})),
            s404,
            "not_found",
            Some("department_id"),
        ),
        case(
            "another company's approver",
            post.clone(),
            "/api/v1/users",
            valid_user(json!({"approver_id": foreign_user})),
            s404,
            "not_found",
            Some("approver_id"),
        ),
        case(
            "bad time zone",
            post.clone(),
            "/api/v1/users",
            valid_user(json!({"time_zone": "Mars/Base"})),
            s422,
            "validation_failed",
            Some("time_zone"),
        ),
        case(
            "bad country",
            post.clone(),
            "/api/v1/users",
            valid_user(json!({"holiday_country": "GBR"})),
            s422,
            "validation_failed",
            Some("holiday_country"),
        ),
        case(
            "unknown holiday region",
            post.clone(),
            "/api/v1/users",
            valid_user(json!({"holiday_country": "GB", "holiday_subdivision": "XX"})),
            s422,
            "validation_failed",
            Some("holiday_subdivision"),
        ),
        case(
            "negative rate",
            post.clone(),
            "/api/v1/users",
            valid_user(json!({"hourly_rate_cents": -1})),
            s422,
            "validation_failed",
            Some("hourly_rate_cents"),
        ),
        // Users: update.
        case(
            "update: wrong type",
            patch.clone(),
            &user_path,
            Json(json!({"is_private": "yes"})),
            s422,
            "validation_failed",
            Some("is_private"),
        ),
        case(
            "update: another company's region",
            patch.clone(),
            &user_path,
            Json(json!({"region_id": 999_999})),
            s404,
            "not_found",
            Some("region_id"),
        ),
        case(
            "update: partial then invalid",
            patch.clone(),
            &user_path,
            Json(json!({"first_name": "Changed", "email": "broken"})),
            s422,
            "validation_failed",
            Some("email"),
        ),
        case(
            "update: self as approver",
            patch.clone(),
            &user_path,
            Json(json!({"approver_id": existing.id})),
            s422,
            "validation_failed",
            Some("approver_id"),
        ),
        case(
            "update: duplicate e-mail",
            patch.clone(),
            &user_path,
            Json(json!({"email": company.owner.email})),
            s409,
            "duplicate",
            Some("email"),
        ),
        // Paths and queries.
        case(
            "path id not a number",
            get.clone(),
            "/api/v1/users/abc",
            Body::None,
            s400,
            "invalid_path_parameter",
            Some("id"),
        ),
        case(
            "path id too large",
            get.clone(),
            "/api/v1/users/99999999999999999999",
            Body::None,
            s400,
            "invalid_path_parameter",
            Some("id"),
        ),
        case(
            "absent user",
            get.clone(),
            "/api/v1/users/424242",
            Body::None,
            s404,
            "not_found",
            None,
        ),
        case(
            "another company's user",
            get.clone(),
            &format!("/api/v1/users/{foreign_user}"),
            Body::None,
            s404,
            "not_found",
            None,
        ),
        case(
            "tampered cursor",
            get.clone(),
            "/api/v1/users?cursor=MTAuAAAAAAAAAAAAAAAA",
            Body::None,
            s400,
            "invalid_cursor",
            Some("cursor"),
        ),
        case(
            "limit out of range",
            get.clone(),
            "/api/v1/users?limit=0",
            Body::None,
            s400,
            "validation_failed",
            Some("limit"),
        ),
        case(
            "limit not a number",
            get.clone(),
            "/api/v1/users?limit=many",
            Body::None,
            s400,
            "invalid_query",
            Some("limit"),
        ),
        case(
            "payroll periods: tampered cursor",
            get.clone(),
            "/api/v1/payroll-periods?cursor=MTAuAAAAAAAAAAAAAAAA",
            Body::None,
            s400,
            "invalid_cursor",
            Some("cursor"),
        ),
        case(
            "payroll periods: limit out of range",
            get.clone(),
            "/api/v1/payroll-periods?limit=0",
            Body::None,
            s400,
            "validation_failed",
            Some("limit"),
        ),
        case(
            "payroll period: closed with an unknown field",
            post.clone(),
            &format!("{period_path}/close"),
            Json(json!({"force": true})),
            s422,
            "validation_failed",
            Some("force"),
        ),
        case(
            "payroll period: closed with a flag that is not a boolean",
            post.clone(),
            &format!("{period_path}/close"),
            Json(json!({"include_unapproved": "yes"})),
            s422,
            "validation_failed",
            Some("include_unapproved"),
        ),
        case(
            "payroll period: closed with a note too long",
            post.clone(),
            &format!("{period_path}/close"),
            Json(json!({"include_unapproved": true, "note": "x".repeat(501)})),
            s422,
            "validation_failed",
            Some("note"),
        ),
        case(
            "payroll period: closed with an entry not approved",
            post.clone(),
            &format!("{period_path}/close"),
            Json(json!({})),
            s409,
            "payroll_period_unsettled",
            None,
        ),
        case(
            "payroll period: another company's closed",
            post.clone(),
            &format!("{their_period}/close"),
            Json(json!({"include_unapproved": true})),
            s404,
            "not_found",
            None,
        ),
        case(
            "payroll period: closed by a bad id",
            post.clone(),
            "/api/v1/payroll-periods/first/close",
            Json(json!({})),
            s400,
            "invalid_path_parameter",
            Some("id"),
        ),
        case(
            "payroll period: reopened without a reason",
            post.clone(),
            &format!("{period_path}/reopen"),
            Json(json!({})),
            s422,
            "validation_failed",
            Some("reason"),
        ),
        case(
            "payroll period: reopened with a reason too long",
            post.clone(),
            &format!("{period_path}/reopen"),
            Json(json!({"reason": "x".repeat(501)})),
            s422,
            "validation_failed",
            Some("reason"),
        ),
        case(
            "payroll period: an open one reopened",
            post.clone(),
            &format!("{period_path}/reopen"),
            Json(json!({"reason": "Mistake"})),
            s409,
            "payroll_period_not_closed",
            None,
        ),
        case(
            "payroll period: an open one finalised",
            post.clone(),
            &format!("{period_path}/finalise"),
            Body::None,
            s409,
            "payroll_period_not_closed",
            None,
        ),
        case(
            "payroll period: another company's exported",
            get.clone(),
            &format!("{their_period}/export.csv"),
            Body::None,
            s404,
            "not_found",
            None,
        ),
        case(
            "payroll period: not a number",
            get.clone(),
            "/api/v1/payroll-periods/first",
            Body::None,
            s400,
            "invalid_path_parameter",
            Some("id"),
        ),
        case(
            "unknown status filter",
            get.clone(),
            "/api/v1/users?status=disabled",
            Body::None,
            s400,
            "invalid_query",
            Some("status"),
        ),
        case(
            "unknown query parameter",
            get.clone(),
            "/api/v1/users?colour=red",
            Body::None,
            s400,
            "invalid_query",
            Some("colour"),
        ),
        // People as CSV: a file refused whole writes nothing.
        case(
            "import: not sent as CSV",
            post.clone(),
            "/api/v1/users/import",
            Raw("email\na@acme.test".into(), "application/json"),
            s415,
            "unsupported_media_type",
            None,
        ),
        case(
            "import: an unknown column",
            post.clone(),
            "/api/v1/users/import",
            Raw("email,shoe_size\nnew@acme.test,9".into(), "text/csv"),
            s422,
            "validation_failed",
            Some("csv"),
        ),
        case(
            "import: no email column",
            post.clone(),
            "/api/v1/users/import",
            Raw("first_name,last_name\nNew,Person".into(), "text/csv"),
            s422,
            "validation_failed",
            Some("csv"),
        ),
        case(
            "import: an empty file",
            post.clone(),
            "/api/v1/users/import",
            Raw(String::new(), "text/csv"),
            s422,
            "validation_failed",
            Some("csv"),
        ),
        case(
            "import: a quote left open",
            post.clone(),
            "/api/v1/users/import",
            Raw(
                "email,first_name,last_name\nnew@acme.test,\"New,Person".into(),
                "text/csv",
            ),
            s422,
            "validation_failed",
            Some("csv"),
        ),
        case(
            "import: over 1 MiB",
            post.clone(),
            "/api/v1/users/import",
            Raw(
                format!("email\n{}", "x".repeat(1024 * 1024 + 10)),
                "text/csv",
            ),
            s413,
            "payload_too_large",
            None,
        ),
        case(
            "import: dry_run not a boolean",
            post.clone(),
            "/api/v1/users/import?dry_run=perhaps",
            Raw(
                "email,first_name,last_name\nnew@acme.test,New,Person".into(),
                "text/csv",
            ),
            s400,
            "invalid_query",
            Some("dry_run"),
        ),
        case(
            "import: an unknown query parameter",
            post.clone(),
            "/api/v1/users/import?preview=true",
            Raw(
                "email,first_name,last_name\nnew@acme.test,New,Person".into(),
                "text/csv",
            ),
            s400,
            "invalid_query",
            Some("preview"),
        ),
        // Organisation.
        case(
            "department: missing name",
            post.clone(),
            "/api/v1/departments",
            Json(json!({"min_user": 1})),
            s422,
            "validation_failed",
            Some("name"),
        ),
        case(
            "department: blank name",
            post.clone(),
            "/api/v1/departments",
            Json(json!({"name": "   "})),
            s422,
            "validation_failed",
            Some("name"),
        ),
        case(
            "department: max below min",
            post.clone(),
            "/api/v1/departments",
            Json(json!({"name": "X", "min_user": 5, "max_user": 2})),
            s422,
            "validation_failed",
            Some("max_user"),
        ),
        case(
            "department: duplicate name",
            post.clone(),
            "/api/v1/departments",
            Json(json!({"name": "Ours"})),
            s409,
            "duplicate",
            Some("name"),
        ),
        case(
            "department: foreign manager",
            post.clone(),
            "/api/v1/departments",
            Json(json!({"name": "Y", "manager_id": foreign_user})),
            s404,
            "not_found",
            Some("manager_id"),
        ),
        case(
            "department: delete of another company's",
            Method::DELETE,
            &format!("/api/v1/departments/{foreign_department}"),
            Body::None,
            s404,
            "not_found",
            None,
        ),
        case(
            "department: bad force flag",
            Method::DELETE,
            &format!("/api/v1/departments/{department}?force=maybe"),
            Body::None,
            s400,
            "invalid_query",
            Some("force"),
        ),
        case(
            "site: foreign location",
            post.clone(),
            "/api/v1/sites",
            Json(json!({"name": "Room", "location_id": 999_999})),
            s404,
            "not_found",
            Some("location_id"),
        ),
        case(
            "position: bad colour",
            post.clone(),
            "/api/v1/positions",
            Json(json!({"name": "Cook", "color": "red"})),
            s422,
            "validation_failed",
            Some("color"),
        ),
        case(
            "position: a negative rate",
            post.clone(),
            "/api/v1/positions",
            Json(json!({"name": "Cook", "hourly_rate_cents": -1})),
            s422,
            "validation_failed",
            Some("hourly_rate_cents"),
        ),
        case(
            "position: a rate in fractions of a cent",
            post.clone(),
            "/api/v1/positions",
            Json(json!({"name": "Cook", "hourly_rate_cents": 12.5})),
            s422,
            "validation_failed",
            Some("hourly_rate_cents"),
        ),
        case(
            "location: latitude out of range",
            post.clone(),
            "/api/v1/locations",
            Json(json!({"name": "Pole", "latitude": 91.0})),
            s422,
            "validation_failed",
            Some("latitude"),
        ),
        // Company.
        case(
            "company: bad leave-year month",
            patch.clone(),
            "/api/v1/company",
            Json(json!({"leave_year_start_month": 13})),
            s422,
            "validation_failed",
            Some("leave_year_start_month"),
        ),
        case(
            "company: unknown setting",
            patch.clone(),
            "/api/v1/company",
            Json(json!({"settings": {"be_nice": true}})),
            s422,
            "validation_failed",
            Some("settings.be_nice"),
        ),
        case(
            "company: setting out of range",
            patch.clone(),
            "/api/v1/company",
            Json(json!({"settings": {"password_min_length": 4}})),
            s422,
            "validation_failed",
            Some("settings.password_min_length"),
        ),
        // The time clock.
        case(
            "time: end before start",
            post.clone(),
            "/api/v1/times",
            time(json!({"end_time": "2026-06-02T08:00:00Z"})),
            s422,
            "end_before_start",
            Some("end_time"),
        ),
        case(
            "time: longer than a day",
            post.clone(),
            "/api/v1/times",
            time(json!({"end_time": "2026-06-03T09:00:01Z"})),
            s422,
            "time_entry_too_long",
            Some("end_time"),
        ),
        case(
            "time: overlapping another",
            post.clone(),
            "/api/v1/times",
            time(json!({"start_time": "2026-06-01T16:00:00Z", "end_time": "2026-06-01T18:00:00Z"})),
            s409,
            "time_entry_overlap",
            Some("start_time"),
        ),
        case(
            "time: break outside the entry",
            post.clone(),
            "/api/v1/times",
            time(
                json!({"breaks": [{"start_time": "2026-06-02T08:00:00Z", "end_time": "2026-06-02T08:30:00Z"}]}),
            ),
            s422,
            "break_outside_entry",
            Some("breaks"),
        ),
        case(
            "time: overlapping breaks",
            post.clone(),
            "/api/v1/times",
            time(
                json!({"breaks": [{"start_time": "2026-06-02T12:00:00Z", "end_time": "2026-06-02T13:00:00Z"},
                                   {"start_time": "2026-06-02T12:30:00Z", "end_time": "2026-06-02T14:00:00Z"}]}),
            ),
            s422,
            "break_overlap",
            Some("breaks"),
        ),
        case(
            "time: not an instant",
            post.clone(),
            "/api/v1/times",
            time(json!({"start_time": "tomorrow"})),
            s422,
            "validation_failed",
            Some("start_time"),
        ),
        case(
            "time: negative tips",
            post.clone(),
            "/api/v1/times",
            time(json!({"cash_tips": -5})),
            s422,
            "validation_failed",
            Some("cash_tips"),
        ),
        case(
            "time: another company's user",
            post.clone(),
            "/api/v1/times",
            time(json!({"user_id": foreign_user})),
            s404,
            "not_found",
            Some("user_id"),
        ),
        case(
            "time: another company's location",
            post.clone(),
            "/api/v1/times",
            time(json!({"location_id": foreign_location})),
            s404,
            "not_found",
            Some("location_id"),
        ),
        case(
            "time: edited to end before it starts",
            patch.clone(),
            &entry_path,
            Json(json!({"end_time": "2026-06-01T08:00:00Z", "notes": "Moved"})),
            s422,
            "end_before_start",
            Some("end_time"),
        ),
        case(
            "time: edited with an unknown field",
            patch.clone(),
            &entry_path,
            Json(json!({"user_id": existing.id})),
            s422,
            "validation_failed",
            Some("user_id"),
        ),
        case(
            "time: list backwards",
            get.clone(),
            "/api/v1/times?from=2026-06-02&to=2026-06-01",
            Body::None,
            s422,
            "validation_failed",
            Some("to"),
        ),
        case(
            "time: list from a bad date",
            get.clone(),
            "/api/v1/times?from=2026-02-30",
            Body::None,
            s422,
            "validation_failed",
            Some("from"),
        ),
        case(
            "time: clocking out unclocked",
            post.clone(),
            "/api/v1/times/clock-out",
            Json(json!({})),
            s409,
            "not_clocked_in",
            None,
        ),
        case(
            "time: a break unclocked",
            post.clone(),
            "/api/v1/times/breaks/start",
            Body::None,
            s409,
            "not_clocked_in",
            None,
        ),
        case(
            "time: clocking in at another company's location",
            post.clone(),
            "/api/v1/times/clock-in",
            Json(json!({"location_id": foreign_location})),
            s404,
            "not_found",
            Some("location_id"),
        ),
        case(
            "time clock: increment off the list",
            put.clone(),
            "/api/v1/company/time-clock",
            rules(json!({"clock_out_increment": 20})),
            s422,
            "validation_failed",
            Some("clock_out_increment"),
        ),
        case(
            "time clock: unknown rounding",
            put.clone(),
            "/api/v1/company/time-clock",
            rules(json!({"clock_in_rounding": "sideways"})),
            s422,
            "validation_failed",
            Some("clock_in_rounding"),
        ),
        case(
            "payroll rule: a negative daily threshold",
            put.clone(),
            "/api/v1/company/payroll",
            pay_rule(json!({"daily_overtime_minutes": -1})),
            s422,
            "validation_failed",
            Some("daily_overtime_minutes"),
        ),
        case(
            "payroll rule: a weekly threshold over a week",
            put.clone(),
            "/api/v1/company/payroll",
            pay_rule(json!({"weekly_overtime_minutes": 10081})),
            s422,
            "validation_failed",
            Some("weekly_overtime_minutes"),
        ),
        case(
            "payroll rule: a multiplier under 100",
            put.clone(),
            "/api/v1/company/payroll",
            pay_rule(json!({"overtime_multiplier": 99})),
            s422,
            "validation_failed",
            Some("overtime_multiplier"),
        ),
        case(
            "payroll rule: an unknown frequency",
            put.clone(),
            "/api/v1/company/payroll",
            pay_rule(json!({"frequency": "daily"})),
            s422,
            "validation_failed",
            Some("frequency"),
        ),
        case(
            "payroll rule: an impossible first day",
            put.clone(),
            "/api/v1/company/payroll",
            pay_rule(json!({"first_day": "2026-02-30"})),
            s422,
            "validation_failed",
            Some("first_day"),
        ),
        case(
            "payroll rule: a half month from the 2nd",
            put.clone(),
            "/api/v1/company/payroll",
            pay_rule(json!({"frequency": "semi_monthly", "first_day": "2026-01-02"})),
            s422,
            "validation_failed",
            Some("first_day"),
        ),
        case(
            "payroll rule: an unknown week start",
            put.clone(),
            "/api/v1/company/payroll",
            pay_rule(json!({"week_starts_on": "someday"})),
            s422,
            "validation_failed",
            Some("week_starts_on"),
        ),
    ];
    check_all(&app, &company, &token, &cases).await;
}

#[tokio::test]
async fn bad_shift_input_gets_a_clear_error_and_writes_nothing() {
    use Body::Json;
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let other = app.company("Other").await;
    let token = company.owner.token.clone();
    let location = |token: &str| {
        let app = &app;
        let token = token.to_owned();
        async move {
            app.post("/api/v1/locations", &token, json!({"name": "Store"}))
                .await
                .body["id"]
                .as_i64()
                .expect("location")
        }
    };
    let ours = location(&token).await;
    let theirs = location(&other.owner.token).await;
    let shift = |extra: Value| {
        let mut body = json!({"location_id": ours, "starts_at": "2054-12-07T09:00:00Z",
                              "ends_at": "2054-12-07T17:00:00Z"});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        body
    };
    let existing = app.post("/api/v1/shifts", &token, shift(json!({}))).await;
    assert_eq!(existing.status, StatusCode::CREATED, "{:?}", existing.body);
    let existing = format!("/api/v1/shifts/{}", existing.body["id"]);
    let held = app
        .post(
            "/api/v1/shifts",
            &token,
            shift(json!({"user_id": company.owner.id, "published": true})),
        )
        .await;
    assert_eq!(held.status, StatusCode::CREATED, "{:?}", held.body);
    let take_held = format!("/api/v1/shifts/{}/take", held.body["id"]);
    let theirs_open = app
        .post(
            "/api/v1/shifts",
            &other.owner.token,
            json!({"location_id": theirs, "starts_at": "2054-12-08T09:00:00Z",
                   "ends_at": "2054-12-08T17:00:00Z", "published": true}),
        )
        .await;
    assert_eq!(
        theirs_open.status,
        StatusCode::CREATED,
        "{:?}",
        theirs_open.body
    );
    let take_theirs = format!("/api/v1/shifts/{}/take", theirs_open.body["id"]);
    let (s404, s422) = (StatusCode::NOT_FOUND, StatusCode::UNPROCESSABLE_ENTITY);
    let (post, patch, get) = (Method::POST, Method::PATCH, Method::GET);
    let week = |extra: Value| {
        let mut body = json!({"location_id": ours, "from": "2054-12-07T00:00:00Z", "to": "2054-12-14T00:00:00Z"});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        Json(body)
    };
    let cases = vec![
        case(
            "shift: end before start",
            post.clone(),
            "/api/v1/shifts",
            Json(shift(json!({"ends_at": "2054-12-07T08:00:00Z"}))),
            s422,
            "validation_failed",
            Some("ends_at"),
        ),
        case(
            "shift: longer than a day",
            post.clone(),
            "/api/v1/shifts",
            Json(shift(json!({"ends_at": "2054-12-08T09:01:00Z"}))),
            s422,
            "validation_failed",
            Some("ends_at"),
        ),
        case(
            "shift: not an instant",
            post.clone(),
            "/api/v1/shifts",
            Json(shift(json!({"starts_at": "2054-12-07 09:00"}))),
            s422,
            "validation_failed",
            Some("starts_at"),
        ),
        case(
            "shift: missing location",
            post.clone(),
            "/api/v1/shifts",
            Json(json!({"starts_at": "2054-12-07T09:00:00Z", "ends_at": "2054-12-07T17:00:00Z"})),
            s422,
            "validation_failed",
            Some("location_id"),
        ),
        case(
            "shift: break outside it",
            post.clone(),
            "/api/v1/shifts",
            Json(shift(
                json!({"breaks": [{"length_minutes": 30, "starts_at": "2054-12-07T16:45:00Z"}]}),
            )),
            s422,
            "validation_failed",
            Some("breaks[0].starts_at"),
        ),
        case(
            "shift: breaks as long as it",
            post.clone(),
            "/api/v1/shifts",
            Json(shift(
                json!({"breaks": [{"length_minutes": 240}, {"length_minutes": 240}]}),
            )),
            s422,
            "validation_failed",
            Some("breaks"),
        ),
        case(
            "shift: a break of no length",
            post.clone(),
            "/api/v1/shifts",
            Json(shift(json!({"breaks": [{"length_minutes": 0}]}))),
            s422,
            "validation_failed",
            Some("breaks[0].length_minutes"),
        ),
        case(
            "shift: bad colour",
            post.clone(),
            "/api/v1/shifts",
            Json(shift(json!({"colour": "blue"}))),
            s422,
            "validation_failed",
            Some("colour"),
        ),
        case(
            "shift: notes too long",
            post.clone(),
            "/api/v1/shifts",
            Json(shift(json!({"notes": "x".repeat(2001)}))),
            s422,
            "validation_failed",
            Some("notes"),
        ),
        case(
            "shift: unknown field",
            post.clone(),
            "/api/v1/shifts",
            Json(shift(json!({"is_open": true}))),
            s422,
            "validation_failed",
            Some("is_open"),
        ),
        case(
            "shift: another company's location",
            post.clone(),
            "/api/v1/shifts",
            Json(shift(json!({"location_id": theirs}))),
            s404,
            "not_found",
            Some("location_id"),
        ),
        case(
            "shift: another company's user",
            post.clone(),
            "/api/v1/shifts",
            Json(shift(json!({"user_id": other.owner.id}))),
            s404,
            "not_found",
            Some("user_id"),
        ),
        case(
            "shifts: none",
            post.clone(),
            "/api/v1/shifts/bulk",
            Json(json!([])),
            s422,
            "validation_failed",
            Some("shifts"),
        ),
        case(
            "shifts: the second is bad, the first is not written",
            post.clone(),
            "/api/v1/shifts/bulk",
            Json(json!([
                shift(json!({})),
                shift(json!({"ends_at": "2054-12-07T09:00:00Z"}))
            ])),
            s422,
            "validation_failed",
            Some("[1].ends_at"),
        ),
        case(
            "shift patch: end before start",
            patch.clone(),
            &existing,
            Json(json!({"ends_at": "2054-12-07T08:00:00Z"})),
            s422,
            "validation_failed",
            Some("ends_at"),
        ),
        case(
            "shift patch: absent",
            patch.clone(),
            "/api/v1/shifts/999999999",
            Json(json!({"notes": "x"})),
            s404,
            "not_found",
            None,
        ),
        case(
            "take: absent",
            post.clone(),
            "/api/v1/shifts/999999999/take",
            Body::None,
            s404,
            "not_found",
            None,
        ),
        case(
            "take: another company's open shift",
            post.clone(),
            &take_theirs,
            Body::None,
            s404,
            "not_found",
            None,
        ),
        case(
            "swap candidates: absent",
            get.clone(),
            "/api/v1/shifts/999999999/swap-candidates",
            Body::None,
            s404,
            "not_found",
            None,
        ),
        case(
            "take: held already",
            post.clone(),
            &take_held,
            Body::None,
            StatusCode::CONFLICT,
            "shift_not_open",
            None,
        ),
        case(
            "publish: range backwards",
            post.clone(),
            "/api/v1/shifts/publish",
            week(json!({"to": "2054-12-01T00:00:00Z"})),
            s422,
            "validation_failed",
            Some("to"),
        ),
        case(
            "publish: range over a year",
            post.clone(),
            "/api/v1/shifts/publish",
            week(json!({"to": "2056-01-01T00:00:00Z"})),
            s422,
            "validation_failed",
            Some("to"),
        ),
        case(
            "publish: another company's location",
            post.clone(),
            "/api/v1/shifts/unpublish",
            week(json!({"location_id": theirs})),
            s404,
            "not_found",
            Some("location_id"),
        ),
        case(
            "bulk delete: not an instant",
            post.clone(),
            "/api/v1/shifts/bulk-delete",
            Json(json!({"from": "monday", "to": "2054-12-14T00:00:00Z"})),
            s422,
            "validation_failed",
            Some("from"),
        ),
        case(
            "shift list: range backwards",
            get.clone(),
            "/api/v1/shifts?from=2054-12-07T00:00:00Z&to=2054-12-01T00:00:00Z",
            Body::None,
            s422,
            "validation_failed",
            Some("to"),
        ),
    ];
    check_all(&app, &company, &token, &cases).await;
}

#[tokio::test]
async fn bad_open_shift_and_schedule_settings_input_gets_a_clear_error_and_writes_nothing() {
    use Body::Json;
    let app = TestApp::spawn().await;
    let company = app.company("Bids").await;
    let other = app.company("Other Bids").await;
    let token = company.owner.token.clone();
    let location = app
        .post("/api/v1/locations", &token, json!({"name": "Store"}))
        .await
        .body["id"]
        .clone();
    let open = |day: &str| {
        json!({"location_id": location, "starts_at": format!("{day}T09:00:00Z"),
               "ends_at": format!("{day}T17:00:00Z"), "published": true, "requires_approval": true})
    };
    let shift = app.post("/api/v1/shifts", &token, open("2054-12-07")).await;
    assert_eq!(shift.status, StatusCode::CREATED, "{:?}", shift.body);
    let bidder = app.member(&company, "bidder", json!({})).await;
    let take = format!("/api/v1/shifts/{}/take", shift.body["id"]);
    let bid = app.post(&take, &bidder.token, json!({})).await;
    assert_eq!(bid.status, StatusCode::ACCEPTED, "{:?}", bid.body);
    let request = format!("/api/v1/open-shift-requests/{}", bid.body["id"]);
    let (s400, s404, s409, s422) = (
        StatusCode::BAD_REQUEST,
        StatusCode::NOT_FOUND,
        StatusCode::CONFLICT,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    let (post, put, get, delete) = (Method::POST, Method::PUT, Method::GET, Method::DELETE);
    let settings = |warnings: Value| {
        Json(json!({"open_shifts_require_approval": true, "conflict_warnings": warnings}))
    };
    let cases = vec![
        case(
            "approve: not a bidder",
            post.clone(),
            &format!("{request}/approve"),
            Json(json!({"user_id": company.owner.id})),
            s422,
            "validation_failed",
            Some("user_id"),
        ),
        case(
            "approve: another company's user",
            post.clone(),
            &format!("{request}/approve"),
            Json(json!({"user_id": other.owner.id})),
            s422,
            "validation_failed",
            Some("user_id"),
        ),
        case(
            "approve: no user",
            post.clone(),
            &format!("{request}/approve"),
            Json(json!({})),
            s422,
            "validation_failed",
            Some("user_id"),
        ),
        case(
            "approve: absent",
            post.clone(),
            "/api/v1/open-shift-requests/999999999/approve",
            Json(json!({"user_id": bidder.id})),
            s404,
            "not_found",
            None,
        ),
        case(
            "deny: absent",
            post.clone(),
            "/api/v1/open-shift-requests/999999999/deny",
            Body::None,
            s404,
            "not_found",
            None,
        ),
        case(
            "withdraw: no bid of one's own",
            delete.clone(),
            &format!("{request}/bid"),
            Body::None,
            s404,
            "not_found",
            None,
        ),
        case(
            "request list: unknown status",
            get.clone(),
            "/api/v1/open-shift-requests?status=open",
            Body::None,
            s400,
            "invalid_query",
            Some("status"),
        ),
        case(
            "request list: to before from",
            get.clone(),
            "/api/v1/open-shift-requests?from=2054-12-08T00:00:00Z&to=2054-12-07T00:00:00Z",
            Body::None,
            s422,
            "validation_failed",
            Some("to"),
        ),
        case(
            "shift: requires_approval not a flag",
            post.clone(),
            "/api/v1/shifts",
            merged(open("2054-12-08"), json!({"requires_approval": "yes"})),
            s422,
            "validation_failed",
            Some("requires_approval"),
        ),
        case(
            "schedule settings: an unknown conflict",
            put.clone(),
            "/api/v1/company/schedule",
            settings(json!(["double_booked"])),
            s422,
            "validation_failed",
            Some("conflict_warnings[0]"),
        ),
        case(
            "schedule settings: more than four conflicts",
            put.clone(),
            "/api/v1/company/schedule",
            settings(json!([
                "shift_overlap",
                "shift_overlap",
                "shift_over_leave",
                "business_closed",
                "outside_availability"
            ])),
            s422,
            "validation_failed",
            Some("conflict_warnings"),
        ),
        case(
            "schedule settings: a field missing",
            put.clone(),
            "/api/v1/company/schedule",
            Json(json!({"conflict_warnings": []})),
            s422,
            "validation_failed",
            Some("open_shifts_require_approval"),
        ),
    ];
    check_all(&app, &company, &token, &cases).await;
    // The bidder bids once; the bid already standing writes nothing more.
    let twice = vec![case(
        "take: bid already",
        post.clone(),
        &take,
        Body::None,
        s409,
        "duplicate",
        None,
    )];
    check_all(&app, &company, &bidder.token, &twice).await;
}

#[tokio::test]
async fn bad_template_and_copy_input_gets_a_clear_error_and_writes_nothing() {
    use Body::Json;
    let app = TestApp::spawn().await;
    let company = app.company("Blocks").await;
    let other = app.company("Other Blocks").await;
    let token = company.owner.token.clone();
    let location = |token: String| {
        let app = &app;
        async move {
            app.post("/api/v1/locations", &token, json!({"name": "Store"}))
                .await
                .body["id"]
                .as_i64()
                .expect("location")
        }
    };
    let ours = location(token.clone()).await;
    let theirs = location(other.owner.token.clone()).await;
    let template = json!({"name": "Early", "start_time": "06:00", "end_time": "14:00"});
    let made = app
        .post("/api/v1/shift-templates", &token, template.clone())
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let template_id = made.body["id"].clone();
    let theirs_template = app
        .post(
            "/api/v1/shift-templates",
            &other.owner.token,
            template.clone(),
        )
        .await
        .body["id"]
        .clone();
    let (s404, s422) = (StatusCode::NOT_FOUND, StatusCode::UNPROCESSABLE_ENTITY);
    let (post, put) = (Method::POST, Method::PUT);
    let from_template = |extra: Value| {
        merged(
            json!({"template_id": template_id, "date": "2055-01-04", "location_id": ours}),
            extra,
        )
    };
    let copy = |extra: Value| {
        merged(
            json!({"location_id": ours, "from": "2055-01-04", "to": "2055-01-11"}),
            extra,
        )
    };
    let cases = vec![
        case(
            "template: blank name",
            post.clone(),
            "/api/v1/shift-templates",
            merged(template.clone(), json!({"name": " "})),
            s422,
            "validation_failed",
            Some("name"),
        ),
        case(
            "template: not a time of day",
            post.clone(),
            "/api/v1/shift-templates",
            merged(template.clone(), json!({"start_time": "6am"})),
            s422,
            "validation_failed",
            Some("start_time"),
        ),
        case(
            "template: a break outside its times",
            post.clone(),
            "/api/v1/shift-templates",
            merged(
                template.clone(),
                json!({"breaks": [{"length_minutes": 30, "start_time": "15:00"}]}),
            ),
            s422,
            "validation_failed",
            Some("breaks[0].start_time"),
        ),
        case(
            "template: breaks as long as it",
            post.clone(),
            "/api/v1/shift-templates",
            merged(
                template.clone(),
                json!({"breaks": [{"length_minutes": 480}]}),
            ),
            s422,
            "validation_failed",
            Some("breaks"),
        ),
        case(
            "template: another company's location",
            post.clone(),
            "/api/v1/shift-templates",
            merged(template.clone(), json!({"location_id": theirs})),
            s404,
            "not_found",
            Some("location_id"),
        ),
        case(
            "template: replace another company's",
            put.clone(),
            &format!("/api/v1/shift-templates/{theirs_template}"),
            Json(template.clone()),
            s404,
            "not_found",
            None,
        ),
        case(
            "shift from a template: no date",
            post.clone(),
            "/api/v1/shifts",
            merged(
                json!({"template_id": template_id, "location_id": ours}),
                json!({}),
            ),
            s422,
            "validation_failed",
            Some("date"),
        ),
        case(
            "shift from a template: with its own instants",
            post.clone(),
            "/api/v1/shifts",
            from_template(json!({"starts_at": "2055-01-04T06:00:00Z"})),
            s422,
            "validation_failed",
            Some("template_id"),
        ),
        case(
            "shift from another company's template",
            post.clone(),
            "/api/v1/shifts",
            from_template(json!({"template_id": theirs_template})),
            s404,
            "not_found",
            Some("template_id"),
        ),
        case(
            "shift: a date without a template",
            post.clone(),
            "/api/v1/shifts",
            Json(json!({"date": "2055-01-04", "location_id": ours,
                        "starts_at": "2055-01-04T06:00:00Z", "ends_at": "2055-01-04T14:00:00Z"})),
            s422,
            "validation_failed",
            Some("date"),
        ),
        case(
            "shift: no start",
            post.clone(),
            "/api/v1/shifts",
            Json(json!({"location_id": ours, "ends_at": "2055-01-04T14:00:00Z"})),
            s422,
            "validation_failed",
            Some("starts_at"),
        ),
        case(
            "copy: the same week",
            post.clone(),
            "/api/v1/shifts/copy",
            copy(json!({"to": "2055-01-04"})),
            s422,
            "validation_failed",
            Some("to"),
        ),
        case(
            "copy: not a date",
            post.clone(),
            "/api/v1/shifts/copy",
            copy(json!({"from": "next monday"})),
            s422,
            "validation_failed",
            Some("from"),
        ),
        case(
            "copy: another company's location",
            post.clone(),
            "/api/v1/shifts/copy",
            copy(json!({"location_id": theirs})),
            s404,
            "not_found",
            Some("location_id"),
        ),
    ];
    check_all(&app, &company, &token, &cases).await;
}

#[tokio::test]
async fn bad_repeating_shift_input_gets_a_clear_error_and_writes_nothing() {
    use Body::Json;
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let other = app.company("Other").await;
    let token = company.owner.token.clone();
    let location = |token: &str| {
        let app = &app;
        let token = token.to_owned();
        async move {
            app.post("/api/v1/locations", &token, json!({"name": "Store"}))
                .await
                .body["id"]
                .as_i64()
                .expect("location")
        }
    };
    let ours = location(&token).await;
    let theirs = location(&other.owner.token).await;
    // Monday 2054-12-07, Monday to Friday until Christmas.
    let chain = |extra: Value| {
        let mut body = json!({"location_id": ours, "starts_at": "2054-12-07T09:00:00Z",
                              "ends_at": "2054-12-07T17:00:00Z", "weekdays": 31, "until": "2054-12-25"});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        body
    };
    let existing = app
        .post("/api/v1/shift-chains", &token, chain(json!({})))
        .await;
    assert_eq!(existing.status, StatusCode::CREATED, "{:?}", existing.body);
    let existing = format!("/api/v1/shift-chains/{}", existing.body["id"]);
    let (s404, s422) = (StatusCode::NOT_FOUND, StatusCode::UNPROCESSABLE_ENTITY);
    let (post, patch, get, delete) = (Method::POST, Method::PATCH, Method::GET, Method::DELETE);
    let without_until = {
        let mut body = chain(json!({}));
        body.as_object_mut().map(|b| b.remove("until"));
        body
    };
    let cases = vec![
        case(
            "chain: end before start",
            post.clone(),
            "/api/v1/shift-chains",
            Json(chain(json!({"ends_at": "2054-12-07T08:00:00Z"}))),
            s422,
            "validation_failed",
            Some("ends_at"),
        ),
        case(
            "chain: weekday mask out of range",
            post.clone(),
            "/api/v1/shift-chains",
            Json(chain(json!({"weekdays": 128}))),
            s422,
            "validation_failed",
            Some("weekdays"),
        ),
        case(
            "chain: no weekday",
            post.clone(),
            "/api/v1/shift-chains",
            Json(chain(json!({"weekdays": 0}))),
            s422,
            "validation_failed",
            Some("weekdays"),
        ),
        case(
            "chain: the mask misses the first shift's day",
            post.clone(),
            "/api/v1/shift-chains",
            Json(chain(json!({"weekdays": 96}))),
            s422,
            "validation_failed",
            Some("weekdays"),
        ),
        case(
            "chain: without until",
            post.clone(),
            "/api/v1/shift-chains",
            Json(without_until),
            s422,
            "validation_failed",
            Some("until"),
        ),
        case(
            "chain: until beyond a year",
            post.clone(),
            "/api/v1/shift-chains",
            Json(chain(json!({"until": "2055-12-09"}))),
            s422,
            "validation_failed",
            Some("until"),
        ),
        case(
            "chain: until before the first shift",
            post.clone(),
            "/api/v1/shift-chains",
            Json(chain(json!({"until": "2054-12-06"}))),
            s422,
            "validation_failed",
            Some("until"),
        ),
        case(
            "chain: interval of no weeks",
            post.clone(),
            "/api/v1/shift-chains",
            Json(chain(json!({"interval_weeks": 0}))),
            s422,
            "validation_failed",
            Some("interval_weeks"),
        ),
        case(
            "chain: unknown time zone",
            post.clone(),
            "/api/v1/shift-chains",
            Json(chain(json!({"time_zone": "Mars/Olympus_Mons"}))),
            s422,
            "validation_failed",
            Some("time_zone"),
        ),
        case(
            "chain: not on a whole minute",
            post.clone(),
            "/api/v1/shift-chains",
            Json(chain(json!({"starts_at": "2054-12-07T09:00:30Z"}))),
            s422,
            "validation_failed",
            Some("starts_at"),
        ),
        case(
            "chain: another company's location",
            post.clone(),
            "/api/v1/shift-chains",
            Json(chain(json!({"location_id": theirs}))),
            s404,
            "not_found",
            Some("location_id"),
        ),
        case(
            "chain patch: start time not HH:MM",
            patch.clone(),
            &existing,
            Json(json!({"start_time": "9am"})),
            s422,
            "validation_failed",
            Some("start_time"),
        ),
        case(
            "chain patch: until beyond a year",
            patch.clone(),
            &existing,
            Json(json!({"until": "2056-01-01"})),
            s422,
            "validation_failed",
            Some("until"),
        ),
        case(
            "chain patch: from a day it does not fall on",
            patch.clone(),
            &format!("{existing}?from=2054-12-12"),
            Json(json!({"notes": "x"})),
            s404,
            "not_found",
            None,
        ),
        case(
            "chain delete: from is not a date",
            delete.clone(),
            &format!("{existing}?from=saturday"),
            Body::None,
            s422,
            "validation_failed",
            Some("from"),
        ),
        case(
            "occurrence: a day the chain does not fall on",
            patch.clone(),
            &format!("{existing}/occurrences/2054-12-13"),
            Json(json!({"notes": "x"})),
            s404,
            "not_found",
            None,
        ),
        case(
            "occurrence: not a date",
            delete.clone(),
            &format!("{existing}/occurrences/13-12-2026"),
            Body::None,
            s422,
            "validation_failed",
            Some("date"),
        ),
        case(
            "occurrence patch: end before start",
            patch.clone(),
            &format!("{existing}/occurrences/2054-12-08"),
            Json(json!({"ends_at": "2054-12-08T08:00:00Z"})),
            s422,
            "validation_failed",
            Some("ends_at"),
        ),
        case(
            "occurrences: range backwards",
            get.clone(),
            "/api/v1/shift-chains/occurrences?from=2054-12-07T00:00:00Z&to=2054-12-01T00:00:00Z",
            Body::None,
            s422,
            "validation_failed",
            Some("to"),
        ),
        case(
            "availability: end before start",
            post.clone(),
            "/api/v1/availability-events",
            Json(
                json!({"kind": "unavailable", "starts_at": "2054-12-07T09:00:00Z",
                         "ends_at": "2054-12-07T08:00:00Z"}),
            ),
            s422,
            "validation_failed",
            Some("ends_at"),
        ),
        case(
            "availability: an unknown kind",
            post.clone(),
            "/api/v1/availability-events",
            Json(json!({"kind": "busy", "starts_at": "2054-12-07T09:00:00Z",
                         "ends_at": "2054-12-07T10:00:00Z"})),
            s422,
            "validation_failed",
            Some("kind"),
        ),
        case(
            "availability: weekly without until",
            post.clone(),
            "/api/v1/availability-events",
            Json(
                json!({"kind": "available", "starts_at": "2054-12-07T09:00:00Z",
                         "ends_at": "2054-12-07T10:00:00Z", "weekdays": 1}),
            ),
            s422,
            "validation_failed",
            Some("until"),
        ),
        case(
            "availability: weekday mask out of range",
            post.clone(),
            "/api/v1/availability-events",
            Json(
                json!({"kind": "available", "starts_at": "2054-12-07T09:00:00Z",
                         "ends_at": "2054-12-07T10:00:00Z", "weekdays": 200, "until": "2054-12-31"}),
            ),
            s422,
            "validation_failed",
            Some("weekdays"),
        ),
        case(
            "availability: unknown time zone",
            post.clone(),
            "/api/v1/availability-events",
            Json(
                json!({"kind": "available", "starts_at": "2054-12-07T09:00:00Z",
                         "ends_at": "2054-12-07T10:00:00Z", "time_zone": "Atlantis/Capital"}),
            ),
            s422,
            "validation_failed",
            Some("time_zone"),
        ),
        case(
            "availability: another company's user",
            post.clone(),
            "/api/v1/availability-events",
            Json(
                json!({"user_id": other.owner.id, "kind": "available", "starts_at": "2054-12-07T09:00:00Z",
                         "ends_at": "2054-12-07T10:00:00Z"}),
            ),
            s404,
            "not_found",
            None,
        ),
        case(
            "schedule: more than six weeks",
            get.clone(),
            "/api/v1/schedule?from=2054-10-01T00:00:00Z&to=2054-11-12T00:00:01Z",
            Body::None,
            s422,
            "validation_failed",
            Some("to"),
        ),
        case(
            "schedule: no range",
            get.clone(),
            "/api/v1/schedule?location_id=1",
            Body::None,
            StatusCode::BAD_REQUEST,
            "invalid_query",
            Some("from"),
        ),
        case(
            "occurrences: no range",
            get.clone(),
            "/api/v1/shift-chains/occurrences",
            Body::None,
            StatusCode::BAD_REQUEST,
            "invalid_query",
            Some("from"),
        ),
    ];
    check_all(&app, &company, &token, &cases).await;
}

#[tokio::test]
async fn sign_in_with_bad_input_is_refused_cleanly() {
    let app = TestApp::spawn().await;
    for (body, status) in [
        (
            json!({"email": "a@b.test"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"email": 5, "password": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"email": "a@b.test", "password": "x", "remember": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"email": "a@b.test", "password": "x"}),
            StatusCode::UNAUTHORIZED,
        ),
    ] {
        let reply = app
            .call(Method::POST, "/api/v1/auth/login", None, Some(body.clone()))
            .await;
        assert_eq!(reply.status, status, "{body}");
    }
}

#[tokio::test]
async fn mailed_link_calls_with_bad_input_are_refused_cleanly() {
    let app = TestApp::spawn().await;
    let company = app.company("Links Co").await;
    for (path, body, code, field) in [
        (
            "/api/v1/auth/password/forgot",
            json!({}),
            "validation_failed",
            Some("email"),
        ),
        (
            "/api/v1/auth/password/forgot",
            json!({"email": "not an address"}),
            "validation_failed",
            Some("email"),
        ),
        (
            "/api/v1/auth/password/forgot",
            json!({"email": "a@b.test", "extra": 1}),
            "validation_failed",
            None,
        ),
        (
            "/api/v1/auth/password/reset",
            json!({"token": "rota_pw_x"}),
            "validation_failed",
            Some("password"),
        ),
        (
            "/api/v1/auth/password/reset",
            json!({"token": "rota_pw_nothing", "password": "a long enough password"}),
            "invalid_link",
            Some("token"),
        ),
        (
            "/api/v1/auth/password/reset",
            json!({"token": "rota_inv_other_kind", "password": "a long enough password"}),
            "invalid_link",
            Some("token"),
        ),
        (
            "/api/v1/auth/invitation/accept",
            json!({"password": "a long enough password"}),
            "validation_failed",
            Some("token"),
        ),
        (
            "/api/v1/auth/invitation/accept",
            json!({"token": 7, "password": "a long enough password"}),
            "validation_failed",
            Some("token"),
        ),
        (
            "/api/v1/auth/invitation/accept",
            json!({"token": "rota_inv_nothing", "password": "a long enough password"}),
            "invalid_link",
            Some("token"),
        ),
    ] {
        let reply = app.call(Method::POST, path, None, Some(body.clone())).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} {body}: {:?}",
            reply.body
        );
        assert_eq!(reply.code(), code, "{path} {body}");
        if field.is_some() {
            assert_eq!(reply.field(), field, "{path} {body}");
        }
    }
    // An invitation to nobody, or to an id that is not a number, writes nothing.
    let token = &company.owner.token;
    let absent = app
        .post("/api/v1/users/999999/invitation", token, json!({}))
        .await;
    assert_eq!(absent.status, StatusCode::NOT_FOUND);
    let bad_id = app
        .post("/api/v1/users/abc/invitation", token, json!({}))
        .await;
    assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);
    let queued: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM password_links WHERE company_id = $1")
            .bind(company.id)
            .fetch_one(app.db.pool())
            .await
            .expect("count");
    assert_eq!(queued, 0);
}

/// `2500.0` is an integer under JSON Schema 2020-12, which OpenAPI 3.1 uses: an integer
/// field takes it as 2500. A real fraction is still refused, naming the field.
#[tokio::test]
async fn integers_written_with_a_zero_fraction_are_accepted() {
    let app = TestApp::spawn().await;
    let company = app.company("Floats").await;
    let created = app
        .post(
            "/api/v1/departments",
            &company.owner.token,
            json!({"name": "Kitchen", "default_allowance": 2500.0, "min_user": 1e0}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["default_allowance"], 2500);
    assert_eq!(created.body["min_user"], 1);
    let refused = app
        .post(
            "/api/v1/departments",
            &company.owner.token,
            json!({"name": "Bar", "default_allowance": 2500.5}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.code(), "validation_failed");
    assert_eq!(refused.field(), Some("default_allowance"));
}

#[tokio::test]
async fn a_wrong_method_gets_405_with_the_envelope_and_the_allowed_methods() {
    let app = TestApp::spawn().await;
    let company = app.company("Methodical").await;
    let reply = app
        .client
        .put(format!("{}/api/v1/leave-types", app.base))
        .bearer_auth(&company.owner.token)
        .json(&json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(reply.status(), StatusCode::METHOD_NOT_ALLOWED);
    let allow = reply
        .headers()
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        allow.contains("GET") && allow.contains("POST"),
        "Allow: {allow}"
    );
    let body: Value = reply.json().await.expect("a JSON body");
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn bad_swap_and_message_input_gets_a_clear_error_and_writes_nothing() {
    use Body::Json;
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let other = app.company("Other").await;
    let token = company.owner.token.clone();
    let colleague = app.member(&company, "colleague", json!({})).await;
    let location = |token: &str| {
        let app = &app;
        let token = token.to_owned();
        async move {
            app.post("/api/v1/locations", &token, json!({"name": "Store"}))
                .await
                .body["id"]
                .as_i64()
                .expect("location")
        }
    };
    let ours = location(&token).await;
    let theirs = location(&other.owner.token).await;
    let shift = |token: &str, location: i64, user: i64, day: &str| {
        let app = &app;
        let (token, day) = (token.to_owned(), day.to_owned());
        async move {
            let body = json!({"location_id": location, "user_id": user, "published": true,
                              "starts_at": format!("{day}T09:00:00Z"), "ends_at": format!("{day}T17:00:00Z")});
            let reply = app.post("/api/v1/shifts", &token, body).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
            reply.body["id"].as_i64().expect("shift")
        }
    };
    let mine = shift(&token, ours, company.owner.id, "2055-06-01").await;
    let offered = shift(&token, ours, company.owner.id, "2055-06-02").await;
    let started = shift(&token, ours, company.owner.id, "2020-06-03").await;
    let colleagues = shift(&token, ours, colleague.id, "2055-06-04").await;
    let foreign = shift(&other.owner.token, theirs, other.owner.id, "2055-06-01").await;
    let pending = app
        .post(
            "/api/v1/swaps",
            &token,
            json!({"shift_id": offered, "kind": "drop"}),
        )
        .await;
    assert_eq!(pending.status, StatusCode::CREATED, "{:?}", pending.body);
    let pending = pending.body["id"].as_i64().expect("swap");
    // Offered by the owner for a colleague, so that the owner may decide it.
    let theirs_offered = app
        .post(
            "/api/v1/swaps",
            &token,
            json!({"shift_id": colleagues, "kind": "drop"}),
        )
        .await;
    assert_eq!(
        theirs_offered.status,
        StatusCode::CREATED,
        "{:?}",
        theirs_offered.body
    );
    let theirs_offered = theirs_offered.body["id"].as_i64().expect("swap");
    let cancelled = app
        .post(
            "/api/v1/swaps",
            &token,
            json!({"shift_id": mine, "kind": "drop"}),
        )
        .await;
    let cancelled = cancelled.body["id"].as_i64().expect("swap");
    let undone = app
        .post(
            &format!("/api/v1/swaps/{cancelled}/cancel"),
            &token,
            json!({}),
        )
        .await;
    assert_eq!(undone.status, StatusCode::OK, "{:?}", undone.body);
    let drop = |extra: Value| {
        let mut body = json!({"shift_id": mine, "kind": "drop"});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        Json(body)
    };
    let (s404, s409, s422) = (
        StatusCode::NOT_FOUND,
        StatusCode::CONFLICT,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    let (post, get) = (Method::POST, Method::GET);
    let many: Vec<i64> = (1..=21).collect();
    let cases = vec![
        case(
            "swap: unknown field",
            post.clone(),
            "/api/v1/swaps",
            drop(json!({"users": []})),
            s422,
            "validation_failed",
            Some("users"),
        ),
        case(
            "swap: unknown kind",
            post.clone(),
            "/api/v1/swaps",
            drop(json!({"kind": "alert"})),
            s422,
            "validation_failed",
            Some("kind"),
        ),
        case(
            "swap: nothing in exchange",
            post.clone(),
            "/api/v1/swaps",
            drop(json!({"kind": "swap"})),
            s422,
            "validation_failed",
            Some("shift_ids"),
        ),
        case(
            "drop: a shift in exchange",
            post.clone(),
            "/api/v1/swaps",
            drop(json!({"shift_ids": [colleagues]})),
            s422,
            "validation_failed",
            Some("shift_ids"),
        ),
        case(
            "drop: too many people",
            post.clone(),
            "/api/v1/swaps",
            drop(json!({"user_ids": many})),
            s422,
            "validation_failed",
            Some("user_ids"),
        ),
        case(
            "drop: its holder",
            post.clone(),
            "/api/v1/swaps",
            drop(json!({"user_ids": [company.owner.id]})),
            s422,
            "validation_failed",
            Some("user_ids[0]"),
        ),
        case(
            "drop: another company's user",
            post.clone(),
            "/api/v1/swaps",
            drop(json!({"user_ids": [other.owner.id]})),
            s422,
            "validation_failed",
            Some("user_ids[0]"),
        ),
        case(
            "swap: another company's shift in exchange",
            post.clone(),
            "/api/v1/swaps",
            drop(json!({"kind": "swap", "shift_ids": [foreign]})),
            s404,
            "not_found",
            None,
        ),
        case(
            "swap: another company's shift",
            post.clone(),
            "/api/v1/swaps",
            drop(json!({"shift_id": foreign})),
            s404,
            "not_found",
            None,
        ),
        case(
            "swap: absent shift",
            post.clone(),
            "/api/v1/swaps",
            drop(json!({"shift_id": 999_999_999})),
            s404,
            "not_found",
            None,
        ),
        case(
            "swap: a started shift",
            post.clone(),
            "/api/v1/swaps",
            drop(json!({"shift_id": started})),
            s422,
            "validation_failed",
            Some("shift_id"),
        ),
        case(
            "swap: offered already",
            post.clone(),
            "/api/v1/swaps",
            drop(json!({"shift_id": offered})),
            s409,
            "swap_pending",
            Some("shift_id"),
        ),
        case(
            "swap: absent",
            get.clone(),
            "/api/v1/swaps/999999999",
            Body::None,
            s404,
            "not_found",
            None,
        ),
        case(
            "accept: absent",
            post.clone(),
            "/api/v1/swaps/999999999/accept",
            Body::None,
            s404,
            "not_found",
            None,
        ),
        case(
            "approve: nobody accepted yet",
            post.clone(),
            &format!("/api/v1/swaps/{theirs_offered}/approve"),
            Body::None,
            s409,
            "swap_not_pending",
            None,
        ),
        case(
            "cancel: cancelled already",
            post.clone(),
            &format!("/api/v1/swaps/{cancelled}/cancel"),
            Body::None,
            s409,
            "swap_not_pending",
            None,
        ),
        case(
            "swaps: unknown status",
            get.clone(),
            "/api/v1/swaps?status=open",
            Body::None,
            StatusCode::BAD_REQUEST,
            "invalid_query",
            Some("status"),
        ),
        case(
            "swaps: not an instant",
            get.clone(),
            "/api/v1/swaps?from=monday",
            Body::None,
            s422,
            "validation_failed",
            Some("from"),
        ),
        case(
            "swaps: range backwards",
            get.clone(),
            "/api/v1/swaps?from=2055-06-02T00:00:00Z&to=2055-06-01T00:00:00Z",
            Body::None,
            s422,
            "validation_failed",
            Some("to"),
        ),
        case(
            "message: empty",
            post.clone(),
            &format!("/api/v1/shifts/{mine}/messages"),
            Json(json!({"content": " "})),
            s422,
            "validation_failed",
            Some("content"),
        ),
        case(
            "message: too long",
            post.clone(),
            &format!("/api/v1/swaps/{pending}/messages"),
            Json(json!({"content": "x".repeat(2001)})),
            s422,
            "validation_failed",
            Some("content"),
        ),
        case(
            "message: unknown field",
            post.clone(),
            &format!("/api/v1/shifts/{mine}/messages"),
            Json(json!({"content": "Hi", "title": "x"})),
            s422,
            "validation_failed",
            Some("title"),
        ),
        case(
            "message: another company's shift",
            post.clone(),
            &format!("/api/v1/shifts/{foreign}/messages"),
            Json(json!({"content": "Hi"})),
            s404,
            "not_found",
            None,
        ),
        case(
            "messages: absent swap",
            get.clone(),
            "/api/v1/swaps/999999999/messages",
            Body::None,
            s404,
            "not_found",
            None,
        ),
    ];
    check_all(&app, &company, &token, &cases).await;
}
