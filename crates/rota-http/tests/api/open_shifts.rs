//! Open shifts that require approval: taking one bids for it, a manager approves one
//! bidder or denies them all, bidders withdraw, and a request expires when its shift
//! starts; the company's schedule settings (approval by default, conflicts that only warn).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Reply, TestApp};
use crate::shifts::{Shop, shift, shop};

/// A published open shift at `shop` that requires approval, on 2054-12-15; its id.
async fn open_for_bids(app: &TestApp, s: &Shop) -> i64 {
    let mut body = shift(s, None, "2054-12-15T14:00:00Z", "2054-12-15T22:00:00Z");
    body["published"] = json!(true);
    body["requires_approval"] = json!(true);
    let made = app
        .post("/api/v1/shifts", &s.company.owner.token, body)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_eq!(made.body["requires_approval"], true);
    made.body["id"].as_i64().expect("shift")
}

async fn take(app: &TestApp, shift_id: i64, token: &str) -> Reply {
    app.post(&format!("/api/v1/shifts/{shift_id}/take"), token, json!({}))
        .await
}

fn bidders(request: &Value) -> Vec<i64> {
    request["bids"]
        .as_array()
        .expect("bids")
        .iter()
        .filter(|b| b["withdrawn_at"].is_null())
        .filter_map(|b| b["user_id"].as_i64())
        .collect()
}

async fn audit(app: &TestApp, company_id: i64) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT action FROM audit_events WHERE company_id = $1 AND action LIKE 'open_shift%' ORDER BY id",
    )
    .bind(company_id)
    .fetch_all(app.db.pool())
    .await
    .expect("audit")
}

#[tokio::test]
async fn bids_for_an_open_shift_that_requires_approval_go_to_a_manager_who_picks_one() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Bidding Deli").await;
    let owner = &s.company.owner.token;
    let staff = &s.cast.staff;
    let second = app.member(&s.company, "second", json!({})).await;
    let bystander = app.member(&s.company, "bystander", json!({})).await;
    let shift_id = open_for_bids(&app, &s).await;

    // Taking it bids for it: 202 with the request; the shift stays open.
    let bid = take(&app, shift_id, &staff.token).await;
    assert_eq!(bid.status, StatusCode::ACCEPTED, "{:?}", bid.body);
    assert_eq!(bid.body["status"], "pending");
    assert_eq!(bid.body["shift_id"], shift_id);
    assert_eq!(bidders(&bid.body), [staff.id]);
    let request_id = bid.body["id"].as_i64().expect("request");
    let still = app
        .get(&format!("/api/v1/shifts/{shift_id}"), &staff.token)
        .await;
    assert_eq!(still.body["is_open"], true, "{:?}", still.body);
    let twice = take(&app, shift_id, &staff.token).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{:?}", twice.body);
    assert_eq!(twice.code(), "duplicate");
    let other = take(&app, shift_id, &second.token).await;
    assert_eq!(other.status, StatusCode::ACCEPTED, "{:?}", other.body);
    assert_eq!(other.body["id"], request_id, "one request per shift");

    // A bidder sees their own bid only; a manager every bid; anyone else nothing.
    let path = format!("/api/v1/open-shift-requests/{request_id}");
    let mine = app.get(&path, &staff.token).await;
    assert_eq!(mine.status, StatusCode::OK, "{:?}", mine.body);
    assert_eq!(bidders(&mine.body), [staff.id]);
    let all = app.get(&path, owner).await;
    assert_eq!(bidders(&all.body), [staff.id, second.id]);
    let hidden = app.get(&path, &bystander.token).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{:?}", hidden.body);
    let listed = app
        .get(
            "/api/v1/open-shift-requests?status=pending",
            &bystander.token,
        )
        .await;
    assert_eq!(listed.body["data"], json!([]), "{:?}", listed.body);
    let listed = app
        .get(
            &format!(
                "/api/v1/open-shift-requests?status=pending&user_id={}",
                second.id
            ),
            owner,
        )
        .await;
    assert_eq!(
        listed.body["data"][0]["id"], request_id,
        "{:?}",
        listed.body
    );

    // Staff do not decide; a manager picks only among the standing bidders.
    let approve = format!("{path}/approve");
    let by_staff = app
        .post(&approve, &staff.token, json!({"user_id": staff.id}))
        .await;
    assert_eq!(
        by_staff.status,
        StatusCode::FORBIDDEN,
        "{:?}",
        by_staff.body
    );
    let stranger = app
        .post(&approve, owner, json!({"user_id": bystander.id}))
        .await;
    assert_eq!(
        stranger.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        stranger.body
    );
    assert_eq!(stranger.field(), Some("user_id"));

    let approved = app
        .post(&approve, owner, json!({"user_id": second.id}))
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    assert_eq!(approved.body["status"], "approved");
    assert_eq!(approved.body["approved_user_id"], second.id);
    assert_eq!(approved.body["shift"]["user_id"], second.id);
    let history = app
        .get(&format!("/api/v1/shifts/{shift_id}/history"), owner)
        .await;
    let last = history.body["data"]
        .as_array()
        .and_then(|h| h.last())
        .cloned();
    assert_eq!(
        last.as_ref().map(|l| &l["reason"]),
        Some(&json!("assign_approve"))
    );

    // Decided once: neither a second approval, a denial nor a withdrawal changes it.
    for reply in [
        app.post(&approve, owner, json!({"user_id": staff.id}))
            .await,
        app.post(&format!("{path}/deny"), owner, json!({})).await,
        app.delete(&format!("{path}/bid"), &staff.token).await,
    ] {
        assert_eq!(reply.status, StatusCode::CONFLICT, "{:?}", reply.body);
        assert_eq!(reply.code(), "already_decided");
    }

    // Both bidders are told; the change is audited.
    let mail: Vec<(String, String)> = sqlx::query_as(
        "SELECT recipient_address, subject FROM outbox WHERE company_id = $1 AND subject LIKE 'The open shift%' ORDER BY id",
    )
    .bind(s.company.id)
    .fetch_all(app.db.pool())
    .await
    .expect("mail");
    assert_eq!(
        mail,
        [
            (
                staff.email.clone(),
                "The open shift went to someone else".to_owned()
            ),
            (second.email.clone(), "The open shift is yours".to_owned()),
        ]
    );
    assert_eq!(
        audit(&app, s.company.id).await,
        [
            "open_shift_request.bid",
            "open_shift_request.bid",
            "open_shift_request.approved"
        ]
    );
}

#[tokio::test]
async fn a_requests_thread_is_for_its_bidders_and_managers_and_tells_the_others() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Thread Deli").await;
    let staff = &s.cast.staff;
    let second = app.member(&s.company, "second", json!({})).await;
    let bystander = app.member(&s.company, "bystander", json!({})).await;
    let shift_id = open_for_bids(&app, &s).await;
    let bid = take(&app, shift_id, &staff.token).await;
    let request_id = bid.body["id"].as_i64().expect("request");
    take(&app, shift_id, &second.token).await;
    let thread = format!("/api/v1/open-shift-requests/{request_id}/messages");

    let posted = app
        .post(
            &thread,
            &staff.token,
            json!({"content": "I can also stay late."}),
        )
        .await;
    assert_eq!(posted.status, StatusCode::CREATED, "{:?}", posted.body);
    assert_eq!(posted.body["subject"], "open_shift_request");
    assert_eq!(posted.body["subject_id"], request_id);
    let blank = app
        .post(&thread, &staff.token, json!({"content": " "}))
        .await;
    assert_eq!(
        blank.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        blank.body
    );
    for token in [&s.company.owner.token, &second.token] {
        let read = app.get(&thread, token).await;
        assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);
        assert_eq!(read.body["data"][0]["content"], "I can also stay late.");
    }
    // Someone who neither bid nor manages it finds no thread, nor does another company.
    let other = app.company("Other Thread Deli").await;
    for token in [&bystander.token, &other.owner.token] {
        let read = app.get(&thread, token).await;
        assert_eq!(read.status, StatusCode::NOT_FOUND, "{:?}", read.body);
        let post = app.post(&thread, token, json!({"content": "Hi"})).await;
        assert_eq!(post.status, StatusCode::NOT_FOUND, "{:?}", post.body);
    }
    // Whoever made the shift and the other bidder are told; the author is not.
    let told: Vec<String> = sqlx::query_scalar(
        "SELECT recipient_address FROM outbox WHERE company_id = $1 \
         AND subject = 'A message about a request for an open shift' ORDER BY recipient_address",
    )
    .bind(s.company.id)
    .fetch_all(app.db.pool())
    .await
    .expect("outbox");
    let mut expected = vec![s.company.owner.email.clone(), second.email.clone()];
    expected.sort();
    assert_eq!(told, expected);
    let body: String = sqlx::query_scalar(
        "SELECT text_body FROM outbox WHERE company_id = $1 AND recipient_address = $2 \
         AND subject = 'A message about a request for an open shift'",
    )
    .bind(s.company.id)
    .bind(&second.email)
    .fetch_one(app.db.pool())
    .await
    .expect("mail");
    assert!(body.contains(&thread), "{body}");
}

#[tokio::test]
async fn bidders_withdraw_and_a_denied_shift_stays_open_for_a_new_round() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Denying Deli").await;
    let owner = &s.company.owner.token;
    let staff = &s.cast.staff;
    let shift_id = open_for_bids(&app, &s).await;
    let bid = take(&app, shift_id, &staff.token).await;
    let path = format!("/api/v1/open-shift-requests/{}", bid.body["id"]);

    let withdrawn = app.delete(&format!("{path}/bid"), &staff.token).await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{:?}", withdrawn.body);
    assert!(withdrawn.body["bids"][0]["withdrawn_at"].is_string());
    let again = app.delete(&format!("{path}/bid"), &staff.token).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{:?}", again.body);
    let owner_has_none = app.delete(&format!("{path}/bid"), owner).await;
    assert_eq!(owner_has_none.status, StatusCode::NOT_FOUND);

    // A withdrawn bidder may bid again; a denial closes the round, the shift stays open.
    let rebid = take(&app, shift_id, &staff.token).await;
    assert_eq!(rebid.status, StatusCode::ACCEPTED, "{:?}", rebid.body);
    assert_eq!(bidders(&rebid.body), [staff.id]);
    let denied = app.post(&format!("{path}/deny"), owner, json!({})).await;
    assert_eq!(denied.status, StatusCode::OK, "{:?}", denied.body);
    assert_eq!(denied.body["status"], "denied");
    assert_eq!(denied.body["shift"]["is_open"], true);
    let next_round = take(&app, shift_id, &staff.token).await;
    assert_eq!(
        next_round.status,
        StatusCode::ACCEPTED,
        "{:?}",
        next_round.body
    );
    assert_eq!(next_round.body["status"], "pending");
    assert_eq!(bidders(&next_round.body), [staff.id]);
    assert_eq!(
        audit(&app, s.company.id).await,
        [
            "open_shift_request.bid",
            "open_shift_request.withdrawn",
            "open_shift_request.bid",
            "open_shift_request.denied",
            "open_shift_request.bid"
        ]
    );
}

#[tokio::test]
async fn a_request_expires_when_its_shift_starts_and_is_cancelled_when_approval_is_dropped() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Expiring Deli").await;
    let owner = &s.company.owner.token;
    let staff = &s.cast.staff;
    let first = open_for_bids(&app, &s).await;
    let second = open_for_bids(&app, &s).await;
    let expiring = take(&app, first, &staff.token).await.body["id"].clone();
    let dropped = take(&app, second, &s.cast.approver.token).await.body["id"].clone();

    // The first shift started an hour ago: its request reads expired, and nothing decides it.
    sqlx::query("UPDATE shifts SET starts_at = $2, ends_at = $3 WHERE id = $1")
        .bind(first)
        .bind(jiff::Timestamp::now().as_second() - 3600)
        .bind(jiff::Timestamp::now().as_second() + 3600)
        .execute(app.db.pool())
        .await
        .expect("moved");
    let path = format!("/api/v1/open-shift-requests/{expiring}");
    let read = app.get(&path, owner).await;
    assert_eq!(read.body["status"], "expired", "{:?}", read.body);
    let late = app
        .post(
            &format!("{path}/approve"),
            owner,
            json!({"user_id": staff.id}),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{:?}", late.body);
    assert_eq!(late.code(), "already_decided");
    let late_bid = take(&app, first, &s.cast.approver.token).await;
    assert_eq!(late_bid.status, StatusCode::CONFLICT, "{:?}", late_bid.body);
    assert_eq!(late_bid.code(), "already_decided");

    // No longer requiring approval cancels the second's request.
    let edited = app
        .patch(
            &format!("/api/v1/shifts/{second}"),
            owner,
            json!({"requires_approval": false}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    let cancelled = app
        .get(&format!("/api/v1/open-shift-requests/{dropped}"), owner)
        .await;
    assert_eq!(
        cancelled.body["status"], "cancelled",
        "{:?}",
        cancelled.body
    );

    let by_status = |status: &'static str| {
        let app = &app;
        async move {
            let page = app
                .get(
                    &format!("/api/v1/open-shift-requests?status={status}"),
                    owner,
                )
                .await;
            assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
            page.body["data"]
                .as_array()
                .expect("data")
                .iter()
                .map(|r| r["id"].clone())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(by_status("expired").await, [expiring]);
    assert_eq!(by_status("cancelled").await, [dropped]);
    assert_eq!(by_status("pending").await, Vec::<Value>::new());
}

#[tokio::test]
async fn the_company_decides_whether_open_shifts_require_approval_and_which_conflicts_warn() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Settings Deli").await;
    let owner = &s.company.owner.token;
    let staff = &s.cast.staff;
    let defaults = app.get("/api/v1/company/schedule", &staff.token).await;
    assert_eq!(
        defaults.body,
        json!({"open_shifts_require_approval": false, "conflict_warnings": []})
    );
    let wanted =
        json!({"open_shifts_require_approval": true, "conflict_warnings": ["shift_overlap"]});
    let refused = put(&app, &s.cast.approver.token, wanted.clone()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);

    // Today's behaviour first: an overlap refuses.
    let held = shift(
        &s,
        Some(staff.id),
        "2054-12-16T09:00:00Z",
        "2054-12-16T17:00:00Z",
    );
    let made = app.post("/api/v1/shifts", owner, held).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert!(made.body.get("warnings").is_none(), "{:?}", made.body);
    let over = shift(
        &s,
        Some(staff.id),
        "2054-12-16T16:00:00Z",
        "2054-12-16T20:00:00Z",
    );
    let clash = app.post("/api/v1/shifts", owner, over.clone()).await;
    assert_eq!(clash.status, StatusCode::CONFLICT, "{:?}", clash.body);
    assert_eq!(clash.code(), "shift_overlap");

    let set = put(&app, owner, wanted.clone()).await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
    assert_eq!(set.body, wanted);
    let warned = app.post("/api/v1/shifts", owner, over).await;
    assert_eq!(warned.status, StatusCode::CREATED, "{:?}", warned.body);
    assert_eq!(warned.body["warnings"][0]["code"], "shift_overlap");
    assert!(warned.body["warnings"][0]["message"].is_string());
    // A warning is the answer's alone: the shift read back carries none.
    let read = app
        .get(&format!("/api/v1/shifts/{}", warned.body["id"]), owner)
        .await;
    assert!(read.body.get("warnings").is_none(), "{:?}", read.body);

    // Other kinds still refuse; a new open shift requires approval unless it says not.
    let closed = app
        .post(
            "/api/v1/annotations",
            owner,
            json!({"kind": "business_closed", "title": "Stocktake", "start_date": "2054-12-17", "end_date": "2054-12-17"}),
        )
        .await;
    assert_eq!(closed.status, StatusCode::CREATED, "{:?}", closed.body);
    let on_closed = shift(
        &s,
        Some(staff.id),
        "2054-12-17T14:00:00Z",
        "2054-12-17T18:00:00Z",
    );
    let refused = app.post("/api/v1/shifts", owner, on_closed).await;
    assert_eq!(refused.code(), "business_closed", "{:?}", refused.body);
    let open = app
        .post(
            "/api/v1/shifts",
            owner,
            shift(&s, None, "2054-12-18T09:00:00Z", "2054-12-18T17:00:00Z"),
        )
        .await;
    assert_eq!(open.body["requires_approval"], true, "{:?}", open.body);
    let mut not = shift(&s, None, "2054-12-18T09:00:00Z", "2054-12-18T17:00:00Z");
    not["requires_approval"] = json!(false);
    let open = app.post("/api/v1/shifts", owner, not).await;
    assert_eq!(open.body["requires_approval"], false, "{:?}", open.body);
    let changed: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_events WHERE company_id = $1 AND action LIKE 'schedule%'",
    )
    .bind(s.company.id)
    .fetch_all(app.db.pool())
    .await
    .expect("audit");
    assert_eq!(changed, ["schedule.settings_changed"]);
}

async fn put(app: &TestApp, token: &str, body: Value) -> Reply {
    app.call(
        reqwest::Method::PUT,
        "/api/v1/company/schedule",
        Some(token),
        Some(body),
    )
    .await
}
