//! Swaps and drops: a staff member offers a shift, a colleague accepts, the manager
//! approves (or the shifts change hands at once where the company needs no approval);
//! open drops picked up by whom they fit; declines, denials and cancellations; a swap
//! whose shift changed meanwhile expires; the message threads of shifts and swaps.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Member, Reply, TestApp};
use crate::shifts::{Shop, shift, shop};

/// A shop whose staff member has a colleague with the same approver.
struct Team {
    shop: Shop,
    colleague: Member,
}

async fn team(app: &TestApp, name: &str) -> Team {
    let shop = shop(app, name).await;
    let colleague = app
        .member(
            &shop.company,
            "colleague",
            json!({"department_id": shop.cast.department_id, "approver_id": shop.cast.approver.id,
                   "approver_role": "approver_both"}),
        )
        .await;
    Team { shop, colleague }
}

/// A published shift of `user_id` at the shop, made by its owner; its id.
async fn published(app: &TestApp, shop: &Shop, user_id: i64, start: &str, end: &str) -> i64 {
    let mut body = shift(shop, Some(user_id), start, end);
    body["published"] = json!(true);
    let reply = app
        .post("/api/v1/shifts", &shop.company.owner.token, body)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_i64().expect("shift id")
}

async fn offer(app: &TestApp, token: &str, body: Value) -> Reply {
    app.post("/api/v1/swaps", token, body).await
}

fn step(swap: i64, what: &str) -> String {
    format!("/api/v1/swaps/{swap}/{what}")
}

fn refused(reply: &Reply, status: StatusCode, code: &str) {
    assert_eq!(
        (reply.status, reply.code()),
        (status, code),
        "{:?}",
        reply.body
    );
}

async fn holder(app: &TestApp, token: &str, shift: i64) -> Value {
    app.get(&format!("/api/v1/shifts/{shift}"), token)
        .await
        .body["user_id"]
        .clone()
}

async fn last_reason(app: &TestApp, token: &str, shift: i64) -> Value {
    let history = app
        .get(&format!("/api/v1/shifts/{shift}/history"), token)
        .await;
    history.body["data"]
        .as_array()
        .and_then(|h| h.last())
        .map(|h| h["reason"].clone())
        .unwrap_or_default()
}

/// Lets colleagues' acceptances complete a swap at once.
async fn without_approval(app: &TestApp, shop: &Shop) {
    let reply = app
        .patch(
            "/api/v1/company",
            &shop.company.owner.token,
            json!({"settings": {"swaps_require_approval": false}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

#[tokio::test]
async fn a_staff_member_offers_a_shift_a_colleague_accepts_and_the_manager_approves() {
    let app = TestApp::spawn().await;
    let t = team(&app, "Swap Deli").await;
    let (staff, approver) = (&t.shop.cast.staff, &t.shop.cast.approver);
    let shift = published(
        &app,
        &t.shop,
        staff.id,
        "2055-04-06T09:00:00Z",
        "2055-04-06T17:00:00Z",
    )
    .await;

    let made = offer(
        &app,
        &staff.token,
        json!({"shift_id": shift, "kind": "drop", "user_ids": [t.colleague.id]}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let swap = made.body["id"].as_i64().expect("swap");
    assert_eq!(made.body["status"], "pending");
    assert_eq!(made.body["requires_approval"], true);
    assert_eq!(made.body["user_id"], staff.id);
    assert_eq!(made.body["starts_at"], "2055-04-06T05:00:00-04:00");
    assert_eq!(
        made.body["recipients"],
        json!([{"user_id": t.colleague.id, "shift_id": null, "status": "pending_acceptance"}])
    );
    // Offered once at a time.
    let again = offer(
        &app,
        &staff.token,
        json!({"shift_id": shift, "kind": "drop"}),
    )
    .await;
    refused(&again, StatusCode::CONFLICT, "swap_pending");
    // Nobody approves before a colleague accepts; the holder accepts nothing of theirs.
    refused(
        &app.post(&step(swap, "approve"), &approver.token, json!({}))
            .await,
        StatusCode::CONFLICT,
        "swap_not_pending",
    );
    refused(
        &app.post(&step(swap, "accept"), &staff.token, json!({}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );

    let accepted = app
        .post(&step(swap, "accept"), &t.colleague.token, json!({}))
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
    assert_eq!(accepted.body["status"], "pending");
    assert_eq!(accepted.body["accepted_user_id"], t.colleague.id);
    assert_eq!(accepted.body["recipients"][0]["status"], "pending_approval");
    assert_eq!(holder(&app, &staff.token, shift).await, staff.id, "not yet");

    // The holder never approves their own; another approver does not manage them.
    let owner = &t.shop.company.owner.token;
    for (token, status) in [
        (&staff.token, StatusCode::FORBIDDEN),
        (&t.shop.cast.approver_add.token, StatusCode::NOT_FOUND),
    ] {
        let reply = app.post(&step(swap, "approve"), token, json!({})).await;
        assert_eq!(reply.status, status, "{:?}", reply.body);
    }
    let approved = app
        .post(&step(swap, "approve"), &approver.token, json!({}))
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    assert_eq!(approved.body["status"], "approved");
    assert_eq!(approved.body["decided_by"], approver.id);
    assert_eq!(approved.body["recipients"][0]["status"], "accepted");
    assert!(approved.body["completed_at"].is_string());
    assert_eq!(holder(&app, owner, shift).await, t.colleague.id);
    assert_eq!(last_reason(&app, owner, shift).await, "drop");
    refused(
        &app.post(&step(swap, "cancel"), &staff.token, json!({}))
            .await,
        StatusCode::CONFLICT,
        "swap_not_pending",
    );

    // Each step was audited and announced, and the people concerned were told.
    let audit: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_events WHERE company_id = $1 AND action LIKE 'swap.%' ORDER BY id",
    )
    .bind(t.shop.company.id)
    .fetch_all(app.db.pool())
    .await
    .expect("audit");
    assert_eq!(audit, ["swap.created", "swap.updated", "swap.updated"]);
    let mailed: Vec<(String, String)> = sqlx::query_as(
        "SELECT recipient_address, subject FROM outbox WHERE company_id = $1 AND subject LIKE 'Shift drop%' ORDER BY id",
    )
    .bind(t.shop.company.id)
    .fetch_all(app.db.pool())
    .await
    .expect("outbox");
    let to = |m: &Member, what: &str| (m.email.clone(), format!("Shift drop {swap}: {what}"));
    assert_eq!(
        mailed,
        [
            to(&t.colleague, "offered"),
            to(approver, "accepted"),
            to(staff, "accepted"),
            to(staff, "approved"),
            to(&t.colleague, "approved"),
        ]
    );
    // Each mail sends its reader to the page where they act: an offer and an accepted
    // swap to the open shifts and swaps page, the outcome to their shifts.
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT text_body FROM outbox WHERE company_id = $1 AND subject LIKE 'Shift drop%' ORDER BY id",
    )
    .bind(t.shop.company.id)
    .fetch_all(app.db.pool())
    .await
    .expect("outbox");
    // (The outbox holds the site's place; the worker puts the server's address in.)
    assert!(
        bodies[0].contains("Accept or decline it in Rota: {rota-site}/schedule/open\n"),
        "{}",
        bodies[0]
    );
    assert!(
        bodies[1].contains("Approve or deny it in Rota: "),
        "{}",
        bodies[1]
    );
    assert!(
        bodies[4].contains("{rota-site}/schedule\n"),
        "{}",
        bodies[4]
    );
    let seen = app
        .get(&format!("/api/v1/swaps/{swap}"), &t.colleague.token)
        .await;
    assert_eq!(seen.body["status"], "approved", "{:?}", seen.body);
}

#[tokio::test]
async fn shifts_are_exchanged_at_once_where_the_company_needs_no_approval() {
    let app = TestApp::spawn().await;
    let t = team(&app, "Exchange Deli").await;
    without_approval(&app, &t.shop).await;
    let staff = &t.shop.cast.staff;
    let mine = published(
        &app,
        &t.shop,
        staff.id,
        "2055-04-07T09:00:00Z",
        "2055-04-07T17:00:00Z",
    )
    .await;
    let theirs = published(
        &app,
        &t.shop,
        t.colleague.id,
        "2055-04-08T09:00:00Z",
        "2055-04-08T17:00:00Z",
    )
    .await;
    // A swap names colleagues by the shifts they would give; the holder's own is no offer.
    for (body, field) in [
        (json!({"shift_id": mine, "kind": "swap"}), "shift_ids"),
        (
            json!({"shift_id": mine, "kind": "swap", "shift_ids": [theirs], "user_ids": [t.colleague.id]}),
            "user_ids",
        ),
        (
            json!({"shift_id": mine, "kind": "swap", "shift_ids": [mine]}),
            "shift_ids[0]",
        ),
        (
            json!({"shift_id": mine, "kind": "drop", "shift_ids": [theirs]}),
            "shift_ids",
        ),
    ] {
        let reply = offer(&app, &staff.token, body).await;
        refused(
            &reply,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(reply.field(), Some(field), "{:?}", reply.body);
    }
    let made = offer(
        &app,
        &staff.token,
        json!({"shift_id": mine, "kind": "swap", "shift_ids": [theirs]}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_eq!(made.body["requires_approval"], false);
    let swap = made.body["id"].as_i64().expect("swap");
    let done = app
        .post(&step(swap, "accept"), &t.colleague.token, json!({}))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    assert_eq!(done.body["status"], "completed");
    assert_eq!(
        done.body["recipients"],
        json!([{"user_id": t.colleague.id, "shift_id": theirs, "status": "accepted"}])
    );
    let owner = &t.shop.company.owner.token;
    assert_eq!(holder(&app, owner, mine).await, t.colleague.id);
    assert_eq!(holder(&app, owner, theirs).await, staff.id);
    assert_eq!(last_reason(&app, owner, mine).await, "swap");
    assert_eq!(last_reason(&app, owner, theirs).await, "swap");
}

#[tokio::test]
async fn an_open_drop_goes_to_the_first_who_fits_and_answers_end_as_they_should() {
    let app = TestApp::spawn().await;
    let t = team(&app, "Open Drop Deli").await;
    without_approval(&app, &t.shop).await;
    let c = &t.shop.cast;
    let owner = &t.shop.company.owner.token;
    let cook = app
        .post("/api/v1/positions", owner, json!({"name": "Cook"}))
        .await;
    let mut body = shift(
        &t.shop,
        Some(c.staff.id),
        "2055-04-09T09:00:00Z",
        "2055-04-09T17:00:00Z",
    );
    body["published"] = json!(true);
    body["position_id"] = cook.body["id"].clone();
    let shift_id = app.post("/api/v1/shifts", owner, body).await.body["id"]
        .as_i64()
        .expect("shift");
    let made = offer(
        &app,
        &c.staff.token,
        json!({"shift_id": shift_id, "kind": "drop"}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let swap = made.body["id"].as_i64().expect("swap");
    // Not a cook: it does not fit. Nobody declines an open drop.
    let unfit = app
        .post(&step(swap, "accept"), &t.colleague.token, json!({}))
        .await;
    refused(&unfit, StatusCode::CONFLICT, "not_eligible");
    assert_eq!(unfit.field(), Some("position_id"));
    refused(
        &app.post(&step(swap, "decline"), &t.colleague.token, json!({}))
            .await,
        StatusCode::CONFLICT,
        "swap_not_pending",
    );
    for member in [&t.colleague, &c.approver_add] {
        let made_cook = app
            .patch(
                &format!("/api/v1/users/{}", member.id),
                owner,
                json!({"positions": [cook.body["id"]]}),
            )
            .await;
        assert_eq!(made_cook.status, StatusCode::OK, "{:?}", made_cook.body);
    }
    let taken = app
        .post(&step(swap, "accept"), &t.colleague.token, json!({}))
        .await;
    assert_eq!(taken.status, StatusCode::OK, "{:?}", taken.body);
    assert_eq!(taken.body["status"], "completed");
    refused(
        &app.post(&step(swap, "accept"), &c.approver_add.token, json!({}))
            .await,
        StatusCode::CONFLICT,
        "swap_not_pending",
    );
    assert_eq!(holder(&app, owner, shift_id).await, t.colleague.id);

    // A drop named to two: one declines, then the other; it is declined.
    let next = published(
        &app,
        &t.shop,
        c.staff.id,
        "2055-04-10T09:00:00Z",
        "2055-04-10T17:00:00Z",
    )
    .await;
    let named = offer(
        &app,
        &c.staff.token,
        json!({"shift_id": next, "kind": "drop", "user_ids": [t.colleague.id, c.approver.id]}),
    )
    .await;
    assert_eq!(named.status, StatusCode::CREATED, "{:?}", named.body);
    let swap = named.body["id"].as_i64().expect("swap");
    // Someone it does not name may not answer it, nor see it.
    refused(
        &app.post(&step(swap, "accept"), &c.approver_add.token, json!({}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let first = app
        .post(&step(swap, "decline"), &t.colleague.token, json!({}))
        .await;
    assert_eq!(first.body["status"], "pending", "{:?}", first.body);
    let last = app
        .post(&step(swap, "decline"), &c.approver.token, json!({}))
        .await;
    assert_eq!(last.body["status"], "declined", "{:?}", last.body);

    // Offered again, then cancelled by its holder: those waiting are cancelled with it.
    let again = offer(
        &app,
        &c.staff.token,
        json!({"shift_id": next, "kind": "drop", "user_ids": [t.colleague.id]}),
    )
    .await;
    let swap = again.body["id"].as_i64().expect("swap");
    refused(
        &app.post(&step(swap, "cancel"), &t.colleague.token, json!({}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let cancelled = app
        .post(&step(swap, "cancel"), &c.staff.token, json!({}))
        .await;
    assert_eq!(cancelled.body["status"], "canceled", "{:?}", cancelled.body);
    assert_eq!(cancelled.body["recipients"][0]["status"], "canceled");
    assert_eq!(cancelled.body["decided_by"], c.staff.id);

    // Offered again and denied by the manager.
    let third = offer(
        &app,
        &c.staff.token,
        json!({"shift_id": next, "kind": "drop", "user_ids": [t.colleague.id]}),
    )
    .await;
    let swap = third.body["id"].as_i64().expect("swap");
    let denied = app
        .post(&step(swap, "deny"), &c.approver.token, json!({}))
        .await;
    assert_eq!(denied.body["status"], "declined", "{:?}", denied.body);
    assert_eq!(denied.body["recipients"][0]["status"], "denied");
    assert_eq!(holder(&app, owner, next).await, c.staff.id);
}

#[tokio::test]
async fn a_swap_whose_shift_changed_or_started_expires_or_is_refused() {
    let app = TestApp::spawn().await;
    let t = team(&app, "Stale Deli").await;
    let c = &t.shop.cast;
    let owner = &t.shop.company.owner.token;
    let shift_id = published(
        &app,
        &t.shop,
        c.staff.id,
        "2055-04-12T09:00:00Z",
        "2055-04-12T17:00:00Z",
    )
    .await;
    let made = offer(
        &app,
        &c.staff.token,
        json!({"shift_id": shift_id, "kind": "drop"}),
    )
    .await;
    let swap = made.body["id"].as_i64().expect("swap");
    let moved = app
        .patch(
            &format!("/api/v1/shifts/{shift_id}"),
            owner,
            json!({"starts_at": "2055-04-12T10:00:00Z"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    let late = app
        .post(&step(swap, "accept"), &t.colleague.token, json!({}))
        .await;
    refused(&late, StatusCode::CONFLICT, "swap_expired");
    assert_eq!(late.field(), Some("shift_id"));
    let seen = app
        .get(&format!("/api/v1/swaps/{swap}"), &c.staff.token)
        .await;
    assert_eq!(seen.body["status"], "expired", "{:?}", seen.body);
    assert_eq!(holder(&app, owner, shift_id).await, c.staff.id);

    // A shift that has started is offered no more; an open shift is taken, not offered;
    // a draft is not there for its holder to offer.
    let started = published(
        &app,
        &t.shop,
        c.staff.id,
        "2020-01-06T09:00:00Z",
        "2020-01-06T17:00:00Z",
    )
    .await;
    let reply = offer(
        &app,
        &c.staff.token,
        json!({"shift_id": started, "kind": "drop"}),
    )
    .await;
    refused(
        &reply,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(reply.field(), Some("shift_id"));
    let mut open = shift(
        &t.shop,
        None,
        "2055-04-13T09:00:00Z",
        "2055-04-13T17:00:00Z",
    );
    open["published"] = json!(true);
    let open = app.post("/api/v1/shifts", owner, open).await.body["id"]
        .as_i64()
        .expect("open");
    refused(
        &offer(&app, owner, json!({"shift_id": open, "kind": "drop"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let draft = app
        .post(
            "/api/v1/shifts",
            owner,
            shift(
                &t.shop,
                Some(c.staff.id),
                "2055-04-14T09:00:00Z",
                "2055-04-14T17:00:00Z",
            ),
        )
        .await;
    refused(
        &offer(
            &app,
            &c.staff.token,
            json!({"shift_id": draft.body["id"], "kind": "drop"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

#[tokio::test]
async fn the_list_shows_each_their_swaps_filtered() {
    let app = TestApp::spawn().await;
    let t = team(&app, "Listing Deli").await;
    let c = &t.shop.cast;
    let a = published(
        &app,
        &t.shop,
        c.staff.id,
        "2055-05-03T09:00:00Z",
        "2055-05-03T17:00:00Z",
    )
    .await;
    let b = published(
        &app,
        &t.shop,
        c.staff.id,
        "2055-05-10T09:00:00Z",
        "2055-05-10T17:00:00Z",
    )
    .await;
    let named = offer(
        &app,
        &c.staff.token,
        json!({"shift_id": a, "kind": "drop", "user_ids": [t.colleague.id]}),
    )
    .await;
    let named = named.body["id"].as_i64().expect("swap");
    let other = offer(
        &app,
        &c.staff.token,
        json!({"shift_id": b, "kind": "drop", "user_ids": [c.approver.id]}),
    )
    .await;
    let other = other.body["id"].as_i64().expect("swap");
    app.post(&step(other, "cancel"), &c.staff.token, json!({}))
        .await;
    let ids = |reply: Reply| -> Vec<i64> {
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        reply.body["data"]
            .as_array()
            .expect("data")
            .iter()
            .filter_map(|s| s["id"].as_i64())
            .collect()
    };
    assert_eq!(
        ids(app.get("/api/v1/swaps", &c.staff.token).await),
        [named, other]
    );
    assert_eq!(
        ids(app.get("/api/v1/swaps", &t.colleague.token).await),
        [named]
    );
    assert_eq!(
        ids(app.get("/api/v1/swaps?mine=true", &t.colleague.token).await),
        [named]
    );
    assert_eq!(
        ids(app.get("/api/v1/swaps", &c.approver_add.token).await),
        Vec::<i64>::new()
    );
    let owner = &t.shop.company.owner.token;
    assert_eq!(
        ids(app.get("/api/v1/swaps?status=canceled", owner).await),
        [other]
    );
    assert_eq!(
        ids(app
            .get(
                &format!(
                    "/api/v1/swaps?location_id={}&from=2055-05-05T00:00:00Z",
                    t.shop.location_id
                ),
                owner
            )
            .await),
        [other]
    );
    assert_eq!(
        ids(app
            .get("/api/v1/swaps?to=2055-05-05T00:00:00Z", owner)
            .await),
        [named]
    );
    assert_eq!(
        ids(app.get("/api/v1/swaps?location_id=999999", owner).await),
        Vec::<i64>::new()
    );
}

#[tokio::test]
async fn shifts_and_swaps_have_a_message_thread_for_whoever_sees_them() {
    let app = TestApp::spawn().await;
    let t = team(&app, "Talking Deli").await;
    let c = &t.shop.cast;
    let shift_id = published(
        &app,
        &t.shop,
        c.staff.id,
        "2055-05-04T09:00:00Z",
        "2055-05-04T17:00:00Z",
    )
    .await;
    let on_shift = format!("/api/v1/shifts/{shift_id}/messages");
    let posted = app
        .post(
            &on_shift,
            &c.approver.token,
            json!({"content": "Can you open up?"}),
        )
        .await;
    assert_eq!(posted.status, StatusCode::CREATED, "{:?}", posted.body);
    assert_eq!(posted.body["subject"], "shift");
    assert_eq!(posted.body["subject_id"], shift_id);
    assert_eq!(posted.body["user_id"], c.approver.id);
    let reply = app
        .post(&on_shift, &c.staff.token, json!({"content": "Yes"}))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let thread = app.get(&on_shift, &t.colleague.token).await;
    let contents: Vec<&str> = thread.body["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|m| m["content"].as_str())
        .collect();
    assert_eq!(contents, ["Can you open up?", "Yes"]);
    let blank = app
        .post(&on_shift, &c.staff.token, json!({"content": "  "}))
        .await;
    refused(
        &blank,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(blank.field(), Some("content"));

    let made = offer(
        &app,
        &c.staff.token,
        json!({"shift_id": shift_id, "kind": "drop", "user_ids": [t.colleague.id]}),
    )
    .await;
    let on_swap = format!("/api/v1/swaps/{}/messages", made.body["id"]);
    let asked = app
        .post(
            &on_swap,
            &t.colleague.token,
            json!({"content": "Which till?"}),
        )
        .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{:?}", asked.body);
    assert_eq!(asked.body["subject"], "swap");
    let read = app.get(&on_swap, &c.staff.token).await;
    assert_eq!(
        read.body["data"][0]["content"], "Which till?",
        "{:?}",
        read.body
    );
    // Someone the swap does not concern sees neither it nor its thread.
    for reply in [
        app.get(&on_swap, &c.approver_add.token).await,
        app.post(&on_swap, &c.approver_add.token, json!({"content": "Hi"}))
            .await,
    ] {
        refused(&reply, StatusCode::NOT_FOUND, "not_found");
    }
    // The holder hears of the colleague's message; the author does not.
    let told: Vec<String> = sqlx::query_scalar(
        "SELECT recipient_address FROM outbox WHERE company_id = $1 AND subject = 'A message about a swap' ORDER BY id",
    )
    .bind(t.shop.company.id)
    .fetch_all(app.db.pool())
    .await
    .expect("outbox");
    assert_eq!(told, std::slice::from_ref(&c.staff.email));
    let events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE company_id = $1 AND action = 'message.posted'",
    )
    .bind(t.shop.company.id)
    .fetch_one(app.db.pool())
    .await
    .expect("audit");
    assert_eq!(events, 3);
}
