//! iCal feeds: valid RFC 5545, read back with an independent parser; revocable and
//! regenerable addresses.

use std::io::BufReader;

use reqwest::StatusCode;
use serde_json::json;

use crate::common::TestApp;

/// Fetches a feed and parses it with the `ical` crate: (summary, DTSTART, DTEND) per event.
async fn fetch_events(
    app: &TestApp,
    path: &str,
) -> Result<Vec<(String, String, String)>, StatusCode> {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .expect("get feed");
    if response.status() != StatusCode::OK {
        return Err(response.status());
    }
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/calendar")
    );
    let text = response.text().await.expect("text");
    let mut out = Vec::new();
    for calendar in ical::IcalParser::new(BufReader::new(text.as_bytes())) {
        let calendar = calendar.expect("valid iCalendar");
        for event in calendar.events {
            let value = |name: &str| {
                let property = event
                    .properties
                    .iter()
                    .find(|p| p.name == name)
                    .expect(name);
                let is_date = property
                    .params
                    .iter()
                    .flatten()
                    .any(|(k, v)| k == "VALUE" && v.iter().any(|v| v == "DATE"));
                format!(
                    "{}{}",
                    if is_date { "DATE:" } else { "" },
                    property.value.clone().unwrap_or_default()
                )
            };
            assert!(event.properties.iter().any(|p| p.name == "UID"));
            assert!(event.properties.iter().any(|p| p.name == "DTSTAMP"));
            out.push((value("SUMMARY"), value("DTSTART"), value("DTEND")));
        }
    }
    Ok(out)
}

#[tokio::test]
async fn a_users_feed_lists_their_absences_as_all_day_and_timed_events() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let types = app
        .get("/api/v1/leave-types", &company.owner.token)
        .await
        .body;
    let holiday = types["data"][0]["id"].as_i64().expect("holiday");
    let staff = &cast.staff;
    let bookings = [
        json!({"leave_type_id": holiday, "start_date": "2026-07-06", "end_date": "2026-07-08"}),
        json!({"leave_type_id": holiday, "start_date": "2026-07-13", "end_date": "2026-07-13", "start_part": "afternoon"}),
        json!({"leave_type_id": holiday, "start_date": "2026-07-14", "end_date": "2026-07-14", "start_time": "09:00", "end_time": "11:30"}),
        json!({"leave_type_id": holiday, "start_date": "2026-07-20", "end_date": "2026-07-20"}),
    ];
    for (n, booking) in bookings.into_iter().enumerate() {
        let made = app
            .post("/api/v1/leave-requests", &staff.token, booking)
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
        if n < 3 {
            let id = made.body["id"].as_i64().expect("id");
            app.post(
                &format!("/api/v1/leave-requests/{id}/approve"),
                &cast.approver.token,
                json!({}),
            )
            .await;
        }
    }
    let feed = app
        .post("/api/v1/ical-feeds", &staff.token, json!({"scope": "user"}))
        .await;
    assert_eq!(feed.status, StatusCode::CREATED, "{:?}", feed.body);
    let path = feed.body["path"].as_str().expect("path").to_owned();
    assert!(path.starts_with("/ical/rota_ical_") && path.ends_with(".ics"));

    let events = fetch_events(&app, &path).await.expect("the feed");
    assert_eq!(
        events,
        vec![
            (
                "Holiday".to_owned(),
                "DATE:20260706".to_owned(),
                "DATE:20260709".to_owned()
            ),
            // The company is in Europe/London, on summer time (UTC+1) in July.
            (
                "Holiday".to_owned(),
                "20260713T110000Z".to_owned(),
                "20260713T230000Z".to_owned()
            ),
            (
                "Holiday".to_owned(),
                "20260714T080000Z".to_owned(),
                "20260714T103000Z".to_owned()
            ),
        ],
        "approved absences only; the pending one is left out"
    );

    // A department feed names people.
    let department = app
        .post(
            "/api/v1/ical-feeds",
            &cast.approver.token,
            json!({"scope": "department", "target_id": cast.department_id}),
        )
        .await;
    let department_events = fetch_events(&app, department.body["path"].as_str().expect("path"))
        .await
        .expect("feed");
    assert!(
        department_events
            .iter()
            .all(|(summary, _, _)| summary == "staff Tester: Holiday"),
        "{department_events:?}"
    );

    // Regenerating retires the old address; revoking retires the new one.
    let id = feed.body["id"].as_i64().expect("id");
    let renewed = app
        .post(
            &format!("/api/v1/ical-feeds/{id}/regenerate"),
            &staff.token,
            json!({}),
        )
        .await;
    let new_path = renewed.body["path"].as_str().expect("path").to_owned();
    assert_eq!(fetch_events(&app, &path).await, Err(StatusCode::NOT_FOUND));
    assert_eq!(fetch_events(&app, &new_path).await.map(|e| e.len()), Ok(3));
    assert_eq!(
        app.delete(&format!("/api/v1/ical-feeds/{id}"), &staff.token)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        fetch_events(&app, &new_path).await,
        Err(StatusCode::NOT_FOUND)
    );
    assert_eq!(
        fetch_events(&app, "/ical/rota_ical_forged.ics").await,
        Err(StatusCode::NOT_FOUND)
    );
}

#[tokio::test]
async fn only_those_who_may_see_the_leave_publish_a_feed_of_it() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let cast = app.cast(&company).await;
    let of_staff = json!({"scope": "user", "target_id": cast.staff.id});
    assert_eq!(
        app.post("/api/v1/ical-feeds", &cast.approver.token, of_staff.clone())
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post("/api/v1/ical-feeds", &cast.approver_edit.token, of_staff)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let company_feed = json!({"scope": "company"});
    assert_eq!(
        app.post(
            "/api/v1/ical-feeds",
            &cast.staff.token,
            company_feed.clone()
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post("/api/v1/ical-feeds", &company.owner.token, company_feed)
            .await
            .status,
        StatusCode::CREATED
    );
    let no_department = app
        .post(
            "/api/v1/ical-feeds",
            &cast.approver.token,
            json!({"scope": "department"}),
        )
        .await;
    assert_eq!(no_department.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_department.field(), Some("target_id"));
}
