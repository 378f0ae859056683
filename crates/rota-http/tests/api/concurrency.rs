//! Rules that check, then write, under concurrent requests: each test releases its requests
//! at once over two servers on one database and then asserts the rule's invariant. On
//! PostgreSQL these fail without the lock on the row that owns the rule (docs/architecture.md).

use reqwest::StatusCode;
use rota_core::people::model::UserInput;
use serde_json::{Value, json};

use crate::common::{PASSWORD, Reply, Shot, TestApp, tally};
use crate::leave::office;

/// How many requests race in each test: enough that, without the lock, several pass the
/// check together on nearly every run.
const RACERS: usize = 8;

/// The user's pending and approved requests that cover `date`.
async fn booked_on(app: &TestApp, token: &str, user_id: i64, date: &str) -> Vec<Value> {
    let list = app
        .get(
            &format!("/api/v1/leave-requests?user_id={user_id}&limit=200"),
            token,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
    list.body["data"]
        .as_array()
        .expect("requests")
        .iter()
        .filter(|r| {
            ["pending", "approved"].contains(&r["status"].as_str().unwrap_or_default())
                && r["start_date"].as_str() <= Some(date)
                && r["end_date"].as_str() >= Some(date)
        })
        .cloned()
        .collect()
}

/// Asks, as `token`, for a whole day of leave of `leave_type` for `user_id`; the request.
async fn request_day(app: &TestApp, token: &str, leave_type: i64, user_id: i64, date: &str) -> i64 {
    let reply = app
        .post(
            "/api/v1/leave-requests",
            token,
            json!({"leave_type_id": leave_type, "start_date": date, "end_date": date,
                   "user_id": user_id}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_i64().expect("id")
}

/// Approving each of `requests`, as `token`.
fn approvals<'a>(requests: impl IntoIterator<Item = &'a i64>, token: &str) -> Vec<Shot> {
    requests
        .into_iter()
        .map(|id| {
            Shot::post(
                format!("/api/v1/leave-requests/{id}/approve"),
                token,
                json!({}),
            )
        })
        .collect()
}

/// Exactly one of `replies` is `won`; every other is 409 `refused`.
fn assert_one_winner(replies: &[Reply], won: StatusCode, refused: &str) {
    assert_eq!(
        (
            tally(replies, won, None),
            tally(replies, StatusCode::CONFLICT, Some(refused))
        ),
        (1, replies.len() - 1),
        "{replies:?}"
    );
}

#[tokio::test]
async fn the_same_day_asked_for_many_times_at_once_is_booked_once() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let o = office(&app).await;
    let (owner, staff) = (&o.company.owner.token, &o.cast.staff);
    let day = json!({"leave_type_id": o.holiday, "start_date": "2027-03-01",
                     "end_date": "2027-03-01", "user_id": staff.id});
    let shots = (0..RACERS)
        .map(|_| Shot::post("/api/v1/leave-requests", owner, day.clone()))
        .collect();
    let replies = app.race(&other, shots).await;
    assert_one_winner(&replies, StatusCode::CREATED, "overlapping_leave");
    assert_eq!(
        booked_on(&app, owner, staff.id, "2027-03-01").await.len(),
        1
    );
}

#[tokio::test]
async fn edits_racing_onto_one_day_leave_one_request_there() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let o = office(&app).await;
    let (owner, staff) = (&o.company.owner.token, &o.cast.staff);
    // One pending request on each of RACERS Tuesdays, then every one moved to the same day.
    let mut requests = Vec::new();
    for week in 0..RACERS {
        let tuesday = jiff::civil::date(2027, 4, 6)
            .checked_add(jiff::Span::new().weeks(week as i64))
            .expect("date")
            .to_string();
        requests.push(request_day(&app, owner, o.holiday, staff.id, &tuesday).await);
    }
    let shots = requests
        .iter()
        .map(|id| {
            Shot::patch(
                format!("/api/v1/leave-requests/{id}"),
                owner,
                json!({"start_date": "2027-03-02", "end_date": "2027-03-02"}),
            )
        })
        .collect();
    let replies = app.race(&other, shots).await;
    assert_one_winner(&replies, StatusCode::OK, "overlapping_leave");
    assert_eq!(
        booked_on(&app, owner, staff.id, "2027-03-02").await.len(),
        1
    );
}

#[tokio::test]
async fn approvals_at_once_never_take_a_department_below_its_minimum() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let company = app.company("Staffed").await;
    let owner = &company.owner.token;
    // RACERS people, of whom RACERS - 1 must be in: exactly one may be away.
    let department = app
        .post(
            "/api/v1/departments",
            owner,
            json!({"name": "Front desk", "min_user": RACERS - 1}),
        )
        .await;
    assert_eq!(
        department.status,
        StatusCode::CREATED,
        "{:?}",
        department.body
    );
    let department_id = department.body["id"].as_i64().expect("id");
    let holiday = app.leave_types(owner).await.id("H");
    let mut requests = Vec::new();
    for n in 0..RACERS {
        let user = app
            .insert_user(
                company.id,
                &format!("desk{n}@staffed.test"),
                UserInput {
                    department_id: Some(Some(department_id)),
                    ..UserInput::default()
                },
            )
            .await;
        requests.push(request_day(&app, owner, holiday, user, "2027-03-03").await);
    }
    let replies = app.race(&other, approvals(&requests, owner)).await;
    assert_one_winner(&replies, StatusCode::OK, "understaffed");
    let approved = app
        .get("/api/v1/leave-requests?status=approved&limit=200", owner)
        .await;
    assert_eq!(approved.body["data"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn restricted_colleagues_approved_at_once_are_never_away_together() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let o = office(&app).await;
    let owner = &o.company.owner.token;
    // RACERS / 2 pairs who should not be away together, each asking for the same day.
    let mut pairs = Vec::new();
    for pair in 0..RACERS / 2 {
        let mut requests = Vec::new();
        let mut people = Vec::new();
        for side in ["a", "b"] {
            let user = app
                .insert_user(
                    o.company.id,
                    &format!("pair{pair}{side}@{}.test", o.company.slug),
                    UserInput::default(),
                )
                .await;
            people.push(user);
            requests.push(request_day(&app, owner, o.holiday, user, "2027-03-04").await);
        }
        let restricted = app
            .post(
                &format!("/api/v1/users/{}/restrictions", people[0]),
                owner,
                json!({"restricted_user_id": people[1], "reverse_entry": true}),
            )
            .await;
        assert_eq!(
            restricted.status,
            StatusCode::CREATED,
            "{:?}",
            restricted.body
        );
        pairs.push(requests);
    }
    let replies = app
        .race(&other, approvals(pairs.iter().flatten(), owner))
        .await;
    for outcome in replies.chunks(2) {
        assert_one_winner(outcome, StatusCode::OK, "understaffed");
    }
}

#[tokio::test]
async fn a_department_deleted_while_people_join_it_is_either_kept_with_them_or_gone_without() {
    // Deleting counts the department's people and then deletes: people joining at that
    // moment either make it `in_use` or find it gone, and no one is left in a department
    // that no longer exists. The window between the count and the delete is short, so
    // several departments go through it at once, each deletion among its joins.
    const DEPARTMENTS: usize = 4;
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let company = app.company("Reorganised").await;
    let owner = &company.owner.token;
    let mut departments = Vec::new();
    let mut shots = Vec::new();
    for d in 0..DEPARTMENTS {
        let department = app
            .post(
                "/api/v1/departments",
                owner,
                json!({"name": format!("Going {d}")}),
            )
            .await;
        let department_id = department.body["id"].as_i64().expect("id");
        let mut joins = Vec::new();
        for n in 1..RACERS {
            let id = app
                .insert_user(
                    company.id,
                    &format!("joiner{d}.{n}@reorganised.test"),
                    UserInput::default(),
                )
                .await;
            joins.push(Shot::patch(
                format!("/api/v1/users/{id}"),
                owner,
                json!({"department_id": department_id}),
            ));
        }
        // The deletion goes out among its joins, half of them sent before it.
        joins.insert(
            RACERS / 2,
            Shot::delete(format!("/api/v1/departments/{department_id}"), owner),
        );
        shots.extend(joins);
        departments.push(department_id);
    }
    let replies = app.race(&other, shots).await;
    for (department_id, replies) in departments.into_iter().zip(replies.chunks(RACERS)) {
        let mut joins = replies.to_vec();
        let deletion = joins.remove(RACERS / 2);
        let joined = tally(&joins, StatusCode::OK, None);
        let members = app
            .get(
                &format!("/api/v1/users?department_id={department_id}&limit=200"),
                owner,
            )
            .await;
        let members = members.body["data"].as_array().map_or(0, Vec::len);
        let kept = app
            .get(&format!("/api/v1/departments/{department_id}"), owner)
            .await
            .status
            == StatusCode::OK;
        if kept {
            // Refused for the people who joined first (or, if one joined while it was
            // being deleted, for that conflict); then everyone joins.
            assert!(
                deletion.status == StatusCode::CONFLICT
                    && ["in_use", "conflict"].contains(&deletion.code()),
                "{deletion:?}"
            );
            assert_eq!((joined, members), (joins.len(), joins.len()), "{joins:?}");
        } else {
            // Deleted before anyone joined: every join found it gone or changed under it.
            assert_eq!(deletion.status, StatusCode::NO_CONTENT, "{deletion:?}");
            assert_eq!(
                tally(&joins, StatusCode::NOT_FOUND, None)
                    + tally(&joins, StatusCode::CONFLICT, None),
                joins.len(),
                "{joins:?}"
            );
            assert_eq!(members, 0);
        }
    }
}

#[tokio::test]
async fn wrong_passwords_sent_at_once_still_lock_the_account_at_the_threshold() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let company = app.company("Guarded").await;
    let member = app.member(&company, "target", json!({})).await;
    // The company's default threshold: five failures within the window lock the account.
    let wrong = json!({"email": member.email, "password": "not the password at all"});
    let shots = (0..5)
        .map(|_| Shot::anonymous_post("/api/v1/auth/login", wrong.clone()))
        .collect();
    let replies = app.race(&other, shots).await;
    // One that starts after the lock is taken is told so; none gets in.
    assert_eq!(
        tally(
            &replies,
            StatusCode::UNAUTHORIZED,
            Some("invalid_credentials")
        ) + tally(&replies, StatusCode::FORBIDDEN, Some("account_locked")),
        5,
        "{replies:?}"
    );
    let after = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": member.email, "password": PASSWORD})),
        )
        .await;
    assert_eq!(
        (after.status, after.code()),
        (StatusCode::FORBIDDEN, "account_locked"),
        "{:?}",
        after.body
    );
}

#[tokio::test]
async fn an_allowance_set_through_whosoff_while_approvals_spend_it_loses_no_approval() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let company = app.company("Balanced").await;
    let owner = &company.owner.token;
    let holiday = app.leave_types(owner).await.id("H");
    let user = app
        .insert_user(company.id, "spender@balanced.test", UserInput::default())
        .await;
    let integration = crate::whosoff::Integration::of(&app, &company, &company.owner).await;
    let created = integration
        .call(
            &app,
            reqwest::Method::POST,
            "/v4/user-allowance/create",
            Some(
                json!({"user_id": user, "start_date": "2027-03-01", "opening": 11250,
                "remaining": 11250, "carryover_opening": 0, "carryover_remaining": 0}),
            ),
        )
        .await;
    let allowance = crate::whosoff::data(&created)["user_allowance_id"]
        .as_i64()
        .expect("user_allowance_id");
    let days = ["2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04"];
    let mut requests = Vec::new();
    for day in days {
        requests.push(request_day(&app, owner, holiday, user, day).await);
    }
    // Each approval moves a day from pending to taken while WhosOff sets what remains:
    // a setting that read the allowance before an approval must not write it back over it.
    let mut shots = Vec::new();
    for approval in approvals(&requests, owner) {
        shots.push(approval);
        shots.push(Shot {
            method: reqwest::Method::PUT,
            path: "/whosoff/v4/user-allowance/update".into(),
            token: Some(integration.token.clone()),
            body: Some(json!({"user_allowance_id": allowance, "remaining": 9000})),
            app_id: Some(integration.app_id.clone()),
        });
    }
    let replies = app.race(&other, shots).await;
    assert_eq!(
        tally(&replies, StatusCode::OK, None),
        replies.len(),
        "{replies:?}"
    );
    let reply = app
        .get(
            &format!("/api/v1/users/{user}/allowances?date=2027-03-01"),
            owner,
        )
        .await;
    let held = reply
        .body
        .as_array()
        .expect("allowances")
        .iter()
        .find(|a| a["id"] == allowance)
        .cloned()
        .expect("the allowance");
    assert_eq!(
        [&held["taken"], &held["pending"], &held["opening"]],
        [&json!(400), &json!(0), &json!(2500)],
        "{held}"
    );
    let [opening, adjustments, taken, remaining] =
        ["opening", "adjustments", "taken", "remaining"].map(|k| held[k].as_i64().expect(k));
    assert_eq!(remaining, opening + adjustments - taken);
}

#[tokio::test]
async fn overlapping_shifts_assigned_to_one_user_at_once_leave_one_of_them() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let shop = crate::shifts::shop(&app, "Racing Deli").await;
    let (approver, staff) = (&shop.cast.approver.token, &shop.cast.staff);
    // Each starts a few minutes after the last, so every pair overlaps.
    let shots = (0..RACERS)
        .map(|n| {
            let start = format!("2055-03-01T09:{:02}:00Z", n * 5);
            let body = crate::shifts::shift(&shop, Some(staff.id), &start, "2055-03-01T17:00:00Z");
            Shot::post("/api/v1/shifts", approver, body)
        })
        .collect();
    let replies = app.race(&other, shots).await;
    assert_one_winner(&replies, StatusCode::CREATED, "shift_overlap");
    let held: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM shifts WHERE company_id = $1 AND user_id = $2 AND deleted_at IS NULL",
    )
    .bind(shop.company.id)
    .bind(staff.id)
    .fetch_one(app.db.pool())
    .await
    .expect("count");
    assert_eq!(held, 1);
}

#[tokio::test]
async fn one_user_clocking_in_many_times_at_once_gets_one_entry() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let s = crate::times::shop(&app).await;
    let staff = &s.cast.staff;
    let shots = (0..RACERS)
        .map(|_| Shot::post("/api/v1/times/clock-in", &staff.token, json!({})))
        .collect();
    let replies = app.race(&other, shots).await;
    assert_one_winner(&replies, StatusCode::CREATED, "already_clocked_in");
    let entries = app
        .get(
            &format!("/api/v1/times?user_id={}", staff.id),
            &s.company.owner.token,
        )
        .await;
    assert_eq!(entries.body["data"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn overlapping_entries_made_at_once_leave_one() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let s = crate::times::shop(&app).await;
    let (owner, staff) = (&s.company.owner.token, &s.cast.staff);
    // Each starts a minute after the last: every pair overlaps, none is the same.
    let shots = (0..RACERS as i64)
        .map(|i| {
            let start = jiff::Timestamp::from_second(1_780_304_400 + i * 60).expect("instant");
            let end = jiff::Timestamp::from_second(1_780_304_400 + 4 * 3600 + i * 60).expect("instant");
            Shot::post(
                "/api/v1/times",
                owner,
                json!({"user_id": staff.id, "start_time": start.to_string(), "end_time": end.to_string()}),
            )
        })
        .collect();
    let replies = app.race(&other, shots).await;
    assert_one_winner(&replies, StatusCode::CREATED, "time_entry_overlap");
    let entries = app
        .get(&format!("/api/v1/times?user_id={}", staff.id), owner)
        .await;
    assert_eq!(entries.body["data"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn many_people_taking_one_open_shift_at_once_leave_one_holder() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let shop = crate::shifts::shop(&app, "Open Deli").await;
    let mut body =
        crate::shifts::shift(&shop, None, "2055-03-02T09:00:00Z", "2055-03-02T17:00:00Z");
    body["published"] = json!(true);
    let made = app
        .post("/api/v1/shifts", &shop.company.owner.token, body)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let path = format!("/api/v1/shifts/{}/take", made.body["id"]);
    let mut takers = Vec::new();
    for n in 0..RACERS {
        takers.push(
            app.member(&shop.company, &format!("taker{n}"), json!({}))
                .await,
        );
    }
    let shots = takers
        .iter()
        .map(|taker| Shot::post(&path, &taker.token, json!({})))
        .collect();
    let replies = app.race(&other, shots).await;
    assert_one_winner(&replies, StatusCode::OK, "shift_not_open");
    let holders: Vec<Option<i64>> =
        sqlx::query_scalar("SELECT user_id FROM shifts WHERE company_id = $1 AND id = $2")
            .bind(shop.company.id)
            .bind(made.body["id"].as_i64())
            .fetch_all(app.db.pool())
            .await
            .expect("holder");
    let winner = replies
        .iter()
        .find(|r| r.status == StatusCode::OK)
        .and_then(|r| r.body["user_id"].as_i64());
    assert_eq!(holders, [winner]);
    let takes: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM shift_history WHERE company_id = $1 AND reason = 'take'",
    )
    .bind(shop.company.id)
    .fetch_one(app.db.pool())
    .await
    .expect("history");
    assert_eq!(takes, 1);
}

#[tokio::test]
async fn managers_approving_different_bidders_at_once_assign_the_open_shift_once() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let shop = crate::shifts::shop(&app, "Bidding Deli").await;
    let owner = &shop.company.owner.token;
    let mut body =
        crate::shifts::shift(&shop, None, "2055-03-03T09:00:00Z", "2055-03-03T17:00:00Z");
    body["published"] = json!(true);
    body["requires_approval"] = json!(true);
    let made = app.post("/api/v1/shifts", owner, body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let mut bidders = Vec::new();
    let mut request_id = Value::Null;
    for n in 0..RACERS {
        let bidder = app
            .member(&shop.company, &format!("bidder{n}"), json!({}))
            .await;
        let bid = app
            .post(
                &format!("/api/v1/shifts/{}/take", made.body["id"]),
                &bidder.token,
                json!({}),
            )
            .await;
        assert_eq!(bid.status, StatusCode::ACCEPTED, "{:?}", bid.body);
        request_id = bid.body["id"].clone();
        bidders.push(bidder.id);
    }
    // Every manager picks a different bidder, at the same moment, over two servers.
    let path = format!("/api/v1/open-shift-requests/{request_id}/approve");
    let shots = bidders
        .iter()
        .map(|id| Shot::post(&path, owner, json!({"user_id": id})))
        .collect();
    let replies = app.race(&other, shots).await;
    assert_one_winner(&replies, StatusCode::OK, "already_decided");
    let holders: Vec<Option<i64>> =
        sqlx::query_scalar("SELECT user_id FROM shifts WHERE company_id = $1 AND id = $2")
            .bind(shop.company.id)
            .bind(made.body["id"].as_i64())
            .fetch_all(app.db.pool())
            .await
            .expect("holder");
    let winner = replies
        .iter()
        .find(|r| r.status == StatusCode::OK)
        .and_then(|r| r.body["approved_user_id"].as_i64());
    assert_eq!(holders, [winner]);
    let assignments: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM shift_history WHERE company_id = $1 AND reason = 'assign_approve'",
    )
    .bind(shop.company.id)
    .fetch_one(app.db.pool())
    .await
    .expect("history");
    assert_eq!(assignments, 1);
}

#[tokio::test]
async fn payroll_periods_cut_while_the_pay_rule_changes_never_overlap() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    // Two weekly rules three days apart: each would cut this week from another day.
    let today = jiff::Zoned::now().date();
    let rules = [0, 3].map(|back| {
        let first = today.saturating_sub(jiff::Span::new().days(back));
        json!({"frequency": "weekly", "first_day": first.to_string(), "daily_overtime_minutes": 0,
               "weekly_overtime_minutes": 0, "week_starts_on": "monday", "overtime_multiplier": 150})
    });
    for round in 0..16 {
        let company = app.company(&format!("Paydays {round}")).await;
        let owner = &company.owner.token;
        // The first rule is set and nothing is cut yet; then the rule changes while the
        // periods are listed (and so cut) under both rules at once.
        let set = app
            .call(
                reqwest::Method::PUT,
                "/api/v1/company/payroll",
                Some(owner),
                Some(rules[0].clone()),
            )
            .await;
        assert!(set.status.is_success(), "{:?}", set.body);
        let mut shots = vec![Shot::put(
            "/api/v1/company/payroll",
            owner,
            rules[1].clone(),
        )];
        shots.extend((1..2 * RACERS).map(|_| Shot::get("/api/v1/payroll-periods", owner)));
        let replies = app.race(&other, shots).await;
        assert!(replies.iter().all(|r| r.status.is_success()), "{replies:?}");
        let periods: Vec<(String, String)> = sqlx::query_as(
            "SELECT start_date, end_date FROM payroll_periods WHERE company_id = $1 ORDER BY start_date",
        )
        .bind(company.id)
        .fetch_all(app.db.pool())
        .await
        .expect("periods");
        assert!(!periods.is_empty());
        for pair in periods.windows(2) {
            assert!(pair[0].1 < pair[1].0, "overlapping periods: {periods:?}");
        }
    }
}

#[tokio::test]
async fn a_repeating_shift_and_single_shifts_given_to_one_user_at_once_leave_one_of_them() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let shop = crate::shifts::shop(&app, "Racing Bakery").await;
    let (approver, staff) = (&shop.cast.approver.token, &shop.cast.staff);
    // A week of mornings as a chain, against single shifts on each of those mornings.
    let mut chain = crate::shifts::shift(
        &shop,
        Some(staff.id),
        "2055-03-01T09:00:00Z",
        "2055-03-01T13:00:00Z",
    );
    chain["weekdays"] = json!(31);
    chain["until"] = json!("2055-03-05");
    let mut shots = vec![Shot::post("/api/v1/shift-chains", approver, chain)];
    for day in 1..RACERS {
        let start = format!("2055-03-0{}T10:00:00Z", 1 + day % 5);
        let end = format!("2055-03-0{}T12:00:00Z", 1 + day % 5);
        let body = crate::shifts::shift(&shop, Some(staff.id), &start, &end);
        shots.push(Shot::post("/api/v1/shifts", approver, body));
    }
    let replies = app.race(&other, shots).await;
    let won = tally(&replies, StatusCode::CREATED, None);
    // Either the chain won, alone, or single shifts won, at most one a day, and the chain lost.
    let chains: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM shift_chains WHERE company_id = $1 AND user_id = $2 AND deleted_at IS NULL",
    )
    .bind(shop.company.id)
    .bind(staff.id)
    .fetch_one(app.db.pool())
    .await
    .expect("chains");
    let shifts: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT starts_at, ends_at FROM shifts WHERE company_id = $1 AND user_id = $2 AND deleted_at IS NULL",
    )
    .bind(shop.company.id)
    .bind(staff.id)
    .fetch_all(app.db.pool())
    .await
    .expect("shifts");
    assert_eq!(won as i64, chains + shifts.len() as i64, "{replies:?}");
    assert!(
        chains == 0 || shifts.is_empty(),
        "a chain and {} shifts over it: {replies:?}",
        shifts.len()
    );
    assert_eq!(
        tally(&replies, StatusCode::CONFLICT, Some("shift_overlap")),
        replies.len() - won,
        "{replies:?}"
    );
}

/// A published shift of `user_id` at `shop` on `day` (09:00 to 17:00 UTC), offered as a
/// drop by its holder (`holder`'s token) to `to` (none: to anyone it fits); the swap.
async fn dropped(
    app: &TestApp,
    shop: &crate::shifts::Shop,
    (user_id, holder): (i64, &str),
    day: &str,
    to: &[i64],
) -> (i64, i64) {
    let mut body = crate::shifts::shift(
        shop,
        Some(user_id),
        &format!("{day}T09:00:00Z"),
        &format!("{day}T17:00:00Z"),
    );
    body["published"] = json!(true);
    let made = app
        .post("/api/v1/shifts", &shop.company.owner.token, body)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let shift = made.body["id"].as_i64().expect("shift");
    let offer = app
        .post(
            "/api/v1/swaps",
            holder,
            json!({"shift_id": shift, "kind": "drop", "user_ids": to}),
        )
        .await;
    assert_eq!(offer.status, StatusCode::CREATED, "{:?}", offer.body);
    (shift, offer.body["id"].as_i64().expect("swap"))
}

#[tokio::test]
async fn colleagues_accepting_one_drop_at_once_leave_one_taker() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let shop = crate::shifts::shop(&app, "Drop Deli").await;
    let owner = &shop.company.owner.token;
    let settings = json!({"settings": {"swaps_require_approval": false}});
    assert_eq!(
        app.patch("/api/v1/company", owner, settings).await.status,
        StatusCode::OK
    );
    let staff = &shop.cast.staff;
    let (shift, swap) = dropped(&app, &shop, (staff.id, &staff.token), "2055-03-09", &[]).await;
    let mut takers = Vec::new();
    for n in 0..RACERS {
        takers.push(
            app.member(&shop.company, &format!("picker{n}"), json!({}))
                .await,
        );
    }
    let path = format!("/api/v1/swaps/{swap}/accept");
    let shots = takers
        .iter()
        .map(|taker| Shot::post(&path, &taker.token, json!({})))
        .collect();
    let replies = app.race(&other, shots).await;
    assert_one_winner(&replies, StatusCode::OK, "swap_not_pending");
    let winner = replies
        .iter()
        .find(|r| r.status == StatusCode::OK)
        .and_then(|r| r.body["accepted_user_id"].as_i64());
    let holder: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM shifts WHERE company_id = $1 AND id = $2")
            .bind(shop.company.id)
            .bind(shift)
            .fetch_one(app.db.pool())
            .await
            .expect("holder");
    assert_eq!(holder, winner);
    let drops: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM shift_history WHERE company_id = $1 AND reason = 'drop'",
    )
    .bind(shop.company.id)
    .fetch_one(app.db.pool())
    .await
    .expect("history");
    assert_eq!(drops, 1);
    let recipients: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM swap_recipients WHERE company_id = $1 AND swap_id = $2",
    )
    .bind(shop.company.id)
    .bind(swap)
    .fetch_one(app.db.pool())
    .await
    .expect("recipients");
    assert_eq!(recipients, 1);
}

#[tokio::test]
async fn swaps_approved_while_their_shifts_are_edited_end_one_way_or_the_other() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let shop = crate::shifts::shop(&app, "Edited Deli").await;
    let owner = &shop.company.owner.token;
    let staff = &shop.cast.staff;
    let colleague = &shop.cast.approver_add;
    // RACERS swaps, each accepted and waiting; each approved while its shift is moved.
    let mut swaps = Vec::new();
    let mut shots = Vec::new();
    for n in 0..RACERS {
        let day = format!("2055-03-{:02}", 10 + n);
        let to = [colleague.id];
        let (shift, swap) = dropped(&app, &shop, (staff.id, &staff.token), &day, &to).await;
        let accepted = app
            .post(
                &format!("/api/v1/swaps/{swap}/accept"),
                &colleague.token,
                json!({}),
            )
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
        shots.push(Shot::post(
            format!("/api/v1/swaps/{swap}/approve"),
            owner,
            json!({}),
        ));
        shots.push(Shot::patch(
            format!("/api/v1/shifts/{shift}"),
            owner,
            json!({"ends_at": format!("{day}T18:00:00Z")}),
        ));
        swaps.push((shift, swap));
    }
    let replies = app.race(&other, shots).await;
    for reply in &replies {
        assert!(
            reply.status == StatusCode::OK || reply.status == StatusCode::CONFLICT,
            "{replies:?}"
        );
    }
    // Approved: the colleague holds the shift (moved too, if the edit came after).
    // Otherwise the edit came first: the holder keeps it, moved, and the swap expired.
    for (shift, swap) in swaps {
        let (user_id, ends_at): (Option<i64>, i64) =
            sqlx::query_as("SELECT user_id, ends_at FROM shifts WHERE company_id = $1 AND id = $2")
                .bind(shop.company.id)
                .bind(shift)
                .fetch_one(app.db.pool())
                .await
                .expect("shift");
        let (status, offered_end): (String, i64) =
            sqlx::query_as("SELECT status, ends_at FROM swaps WHERE company_id = $1 AND id = $2")
                .bind(shop.company.id)
                .bind(swap)
                .fetch_one(app.db.pool())
                .await
                .expect("swap");
        let outcome = (status.as_str(), user_id, ends_at == offered_end);
        assert!(
            matches!(outcome, ("approved", Some(id), _) if id == colleague.id)
                || outcome == ("expired", Some(staff.id), false),
            "shift {shift}, swap {swap}: {outcome:?}"
        );
    }
}

#[tokio::test]
async fn time_entries_racing_a_payroll_close_are_refused_or_in_its_snapshot() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    for round in 0..4 {
        let company = app.company(&format!("Closing {round}")).await;
        let owner = &company.owner.token;
        let (first, id) = crate::payroll::weekly_periods(&app, &company).await;
        let mut people = Vec::new();
        for n in 0..5 {
            let email = format!("clock{n}@{}.test", company.slug);
            people.push(
                app.insert_user(company.id, &email, UserInput::default())
                    .await,
            );
        }
        // Entries of a quarter of an hour each, for five people, on the period's first
        // day; the close in the middle of them.
        let users: Vec<i64> = (0..4 * RACERS).map(|i| people[i % people.len()]).collect();
        let mut shots: Vec<Shot> = users
            .iter()
            .enumerate()
            .map(|(i, user)| {
                let start = 8 * 60 + 15 * (i / people.len()) as i64;
                let at =
                    |minutes: i64| format!("{first}T{:02}:{:02}:00Z", minutes / 60, minutes % 60);
                let body =
                    json!({"user_id": user, "start_time": at(start), "end_time": at(start + 15)});
                Shot::post("/api/v1/times", owner, body)
            })
            .collect();
        let close = 2 * RACERS;
        shots.insert(
            close,
            Shot::post(
                format!("/api/v1/payroll-periods/{id}/close"),
                owner,
                json!({"include_unapproved": true}),
            ),
        );
        let mut replies = app.race(&other, shots).await;
        let closed = replies.remove(close);
        assert_eq!(closed.status, StatusCode::OK, "{:?}", closed.body);
        // Every write either went in before the close, and is in its snapshot, or was
        // refused because the period had closed.
        let mut made: std::collections::BTreeMap<i64, i64> = Default::default();
        for (user, reply) in users.iter().zip(&replies) {
            match reply.status {
                StatusCode::CREATED => *made.entry(*user).or_default() += 15,
                _ => assert_eq!(
                    (reply.status, reply.code()),
                    (StatusCode::CONFLICT, "payroll_period_closed"),
                    "{:?}",
                    reply.body
                ),
            }
        }
        let frozen: std::collections::BTreeMap<i64, i64> = closed.body["hours"]
            .as_array()
            .expect("hours")
            .iter()
            .map(|h| {
                (
                    h["user_id"].as_i64().expect("user"),
                    h["minutes"].as_i64().expect("minutes"),
                )
            })
            .collect();
        assert_eq!(frozen, made, "round {round}: the snapshot misses a write");
        let stored: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM time_entries WHERE company_id = $1")
                .bind(company.id)
                .fetch_one(app.db.pool())
                .await
                .expect("entries");
        assert_eq!(stored * 15, made.values().sum::<i64>());
    }
}

#[tokio::test]
async fn one_reset_link_used_many_times_at_once_sets_one_password() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let company = app.company("Linked").await;
    let member = app.member(&company, "forgetful", json!({})).await;
    let token = crate::password_links::reset_token(&app, &member.email).await;
    // Each racer sets a password of its own; the link is spent by one of them only.
    let shots = (0..RACERS)
        .map(|n| {
            Shot::anonymous_post(
                "/api/v1/auth/password/reset",
                json!({"token": token, "password": format!("racer number {n} password")}),
            )
        })
        .collect();
    let replies = app.race(&other, shots).await;
    assert_eq!(
        tally(&replies, StatusCode::NO_CONTENT, None),
        1,
        "{replies:?}"
    );
    assert_eq!(
        tally(
            &replies,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("link_used")
        ),
        RACERS - 1,
        "{replies:?}"
    );
    // The password set is the winner's.
    let winner = replies
        .iter()
        .position(|r| r.status == StatusCode::NO_CONTENT)
        .expect("a winner");
    app.login(&member.email, &format!("racer number {winner} password"))
        .await;
}

#[tokio::test]
async fn calendar_links_made_at_once_leave_one_working() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let company = app.company("Calendar Race Co").await;
    let cast = app.cast(&company).await;
    let staff = crate::web::Browser::sign_in(&app, &cast.staff.email).await;
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(RACERS));
    let tasks: Vec<_> = (0..RACERS)
        .map(|i| {
            let base = if i % 2 == 0 { &app.base } else { &other.base }.clone();
            let (client, start) = (staff.client.clone(), start.clone());
            let cookie = format!("rota_session={}", staff.session);
            let csrf = staff.csrf.clone();
            tokio::spawn(async move {
                start.wait().await;
                client
                    .post(format!("{base}/leave/calendar-link"))
                    .header(reqwest::header::COOKIE, cookie)
                    .form(&[("csrf", csrf.as_str())])
                    .send()
                    .await
                    .expect("post")
                    .status()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.expect("task"), StatusCode::OK);
    }
    let feeds = app.get("/api/v1/ical-feeds", &cast.staff.token).await;
    assert_eq!(
        feeds.body["data"].as_array().map(Vec::len),
        Some(1),
        "one address works: {:?}",
        feeds.body
    );
}

#[tokio::test]
async fn one_file_imported_many_times_at_once_creates_each_person_once() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let company = app.company("Imported").await;
    let owner = company.owner.token.clone();
    let emails = ["ada@imported.test", "bo@imported.test", "cy@imported.test"];
    let csv = emails
        .iter()
        .fold("email,first_name,last_name\n".to_owned(), |csv, email| {
            csv + email + ",New,Person\n"
        });
    // Each import plans every row as a person to create, then writes them one by one: the
    // core's write, not the plan, decides who is created.
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(RACERS));
    let tasks: Vec<_> = (0..RACERS)
        .map(|i| {
            let server = if i % 2 == 0 { &app } else { &other };
            let (client, base, start) = (server.client.clone(), server.base.clone(), start.clone());
            let (owner, csv) = (owner.clone(), csv.clone());
            tokio::spawn(async move {
                start.wait().await;
                let response = client
                    .post(format!("{base}/api/v1/users/import"))
                    .bearer_auth(owner)
                    .header("content-type", "text/csv")
                    .body(csv)
                    .send()
                    .await
                    .expect("send");
                Reply::read(response).await
            })
        })
        .collect();
    let mut created: Vec<String> = Vec::new();
    for task in tasks {
        let reply = task.await.expect("task");
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let outcome = &reply.body;
        created.extend(
            outcome["created"]
                .as_array()
                .expect("created")
                .iter()
                .map(|row| row["email"].as_str().expect("email").to_owned()),
        );
        // A row another import wrote first is unchanged (planned after it) or refused as
        // the core refuses a taken e-mail (planned before it): never a failure.
        for refusal in outcome["refused"].as_array().expect("refused") {
            assert_eq!(
                (refusal["field"].as_str(), refusal["code"].as_str()),
                (Some("email"), Some("duplicate")),
                "{refusal:?}"
            );
        }
        assert_eq!(
            outcome["created"].as_array().map(Vec::len).unwrap_or(0)
                + outcome["refused"].as_array().map(Vec::len).unwrap_or(0)
                + outcome["unchanged"].as_u64().expect("unchanged") as usize,
            emails.len(),
            "{outcome:?}"
        );
    }
    created.sort();
    assert_eq!(created, emails, "each person created by one import only");
    for email in emails {
        let stored: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE company_id = $1 AND LOWER(email) = $2",
        )
        .bind(company.id)
        .bind(email)
        .fetch_one(app.db.pool())
        .await
        .expect("count");
        assert_eq!(stored, 1, "{email}");
    }
}

#[tokio::test]
async fn entries_moved_onto_one_time_at_once_leave_one_there() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let s = crate::times::shop(&app).await;
    let (owner, staff) = (&s.company.owner.token, &s.cast.staff);
    // One entry a day, none overlapping; then each is moved onto the same morning.
    let mut ids = Vec::new();
    for day in 0..RACERS as i64 {
        let start = jiff::Timestamp::from_second(1_780_304_400 + day * 86_400).expect("instant");
        let end =
            jiff::Timestamp::from_second(1_780_304_400 + day * 86_400 + 3600).expect("instant");
        let made = crate::times::make(
            &app,
            owner,
            json!({"user_id": staff.id, "start_time": start.to_string(), "end_time": end.to_string()}),
        )
        .await;
        assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
        ids.push(made.body["id"].as_i64().expect("id"));
    }
    let morning = json!({"start_time": "2026-05-25T06:00:00Z", "end_time": "2026-05-25T07:00:00Z"});
    let shots = ids
        .iter()
        .map(|id| Shot::patch(format!("/api/v1/times/{id}"), owner, morning.clone()))
        .collect();
    let replies = app.race(&other, shots).await;
    assert_one_winner(&replies, StatusCode::OK, "time_entry_overlap");
    let there = app
        .get(
            &format!(
                "/api/v1/times?user_id={}&from=2026-05-24&to=2026-05-26",
                staff.id
            ),
            owner,
        )
        .await;
    assert_eq!(there.status, StatusCode::OK, "{:?}", there.body);
    assert_eq!(
        there.body["data"].as_array().map(Vec::len),
        Some(1),
        "{:?}",
        there.body
    );
}

#[tokio::test]
async fn one_week_copied_many_times_at_once_gives_each_person_one_copy() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let s = crate::shifts::shop(&app, "Copied").await;
    let owner = &s.company.owner.token;
    for (user, start, end) in [
        (
            s.cast.staff.id,
            "2055-03-01T14:00:00Z",
            "2055-03-01T22:00:00Z",
        ),
        (
            s.cast.approver.id,
            "2055-03-02T14:00:00Z",
            "2055-03-02T22:00:00Z",
        ),
    ] {
        let made = app
            .post(
                "/api/v1/shifts",
                owner,
                crate::shifts::shift(&s, Some(user), start, end),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    }
    let copy = json!({"location_id": s.location_id, "from": "2055-03-01", "to": "2055-03-08",
                      "include_open": false});
    let shots = (0..RACERS)
        .map(|_| Shot::post("/api/v1/shifts/copy", owner, copy.clone()))
        .collect();
    let replies = app.race(&other, shots).await;
    let mut copied = 0;
    for reply in &replies {
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
        copied += reply.body["copied"].as_array().map_or(0, Vec::len);
        for skip in reply.body["skipped"].as_array().expect("skipped") {
            assert_eq!(skip["code"], "shift_overlap", "{skip:?}");
        }
    }
    assert_eq!(copied, 2, "{replies:?}");
    let week = app
        .get(
            &format!(
                "/api/v1/shifts?location_id={}&from=2055-03-08T00:00:00Z&to=2055-03-15T00:00:00Z",
                s.location_id
            ),
            owner,
        )
        .await;
    assert_eq!(
        week.body["data"].as_array().map(Vec::len),
        Some(2),
        "{:?}",
        week.body
    );
}

#[tokio::test]
async fn shifts_given_while_leave_is_approved_with_its_shifts_opened_never_stay_on_the_leave() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let o = office(&app).await;
    let (owner, staff) = (&o.company.owner.token, &o.cast.staff);
    let location = app
        .post(
            "/api/v1/locations",
            owner,
            json!({"name": "Front desk", "time_zone": "UTC"}),
        )
        .await;
    assert_eq!(location.status, StatusCode::CREATED, "{:?}", location.body);
    let location_id = location.body["id"].as_i64().expect("location");
    let request = request_day(&app, owner, o.holiday, staff.id, "2055-03-01").await;
    // The approval opens the staff member's shifts on the day; at the same time shifts of
    // an hour each are given to them that day. Each shift is either given before the
    // approval (and opened by it) or refused over the approved leave: none stays theirs.
    let mut shots = vec![Shot::post(
        format!("/api/v1/leave-requests/{request}/approve"),
        owner,
        json!({"open_shifts": true}),
    )];
    shots.extend((1..RACERS).map(|n| {
        let body = json!({"user_id": staff.id, "location_id": location_id, "published": true,
            "starts_at": format!("2055-03-01T{:02}:00:00Z", 8 + n),
            "ends_at": format!("2055-03-01T{:02}:00:00Z", 9 + n)});
        Shot::post("/api/v1/shifts", owner, body)
    }));
    let replies = app.race(&other, shots).await;
    assert_eq!(replies[0].status, StatusCode::OK, "{:?}", replies[0].body);
    let given = &replies[1..];
    assert_eq!(
        tally(given, StatusCode::CREATED, None)
            + tally(given, StatusCode::CONFLICT, Some("shift_over_leave")),
        given.len(),
        "{given:?}"
    );
    let held: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM shifts WHERE company_id = $1 AND user_id = $2 AND deleted_at IS NULL",
    )
    .bind(o.company.id)
    .bind(staff.id)
    .fetch_one(app.db.pool())
    .await
    .expect("count");
    assert_eq!(held, 0, "{given:?}");
    let opened: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM shifts WHERE company_id = $1 AND user_id IS NULL AND deleted_at IS NULL",
    )
    .bind(o.company.id)
    .fetch_one(app.db.pool())
    .await
    .expect("count");
    assert_eq!(
        opened as usize,
        tally(given, StatusCode::CREATED, None),
        "every shift given before the approval is open now"
    );
}

#[tokio::test]
async fn invitations_sent_again_at_once_leave_one_working_link() {
    let app = TestApp::spawn().await;
    let other = app.beside(rota_http::HttpConfig::default()).await;
    let company = app.company("Inviting Co").await;
    let created = app
        .post(
            "/api/v1/users",
            &company.owner.token,
            json!({"email": "ivy@inviting.test", "first_name": "Ivy", "last_name": "Invited"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().expect("id");
    let shots = (0..RACERS)
        .map(|_| {
            Shot::post(
                format!("/api/v1/users/{id}/invitation"),
                &company.owner.token,
                json!({}),
            )
        })
        .collect();
    let replies = app.race(&other, shots).await;
    assert_eq!(
        tally(&replies, StatusCode::ACCEPTED, None),
        RACERS,
        "{replies:?}"
    );
    let live: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM password_links WHERE company_id = $1 AND user_id = $2 AND used_at IS NULL",
    )
    .bind(company.id)
    .bind(id)
    .fetch_one(app.db.pool())
    .await
    .expect("count");
    assert_eq!(live, 1, "each new link replaces the last");
}
