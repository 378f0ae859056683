//! The organisation: each kind of item round-trips, and deleting one in use needs force.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::TestApp;

#[tokio::test]
async fn each_kind_of_item_is_created_read_updated_listed_and_deleted() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let owner = &company.owner.token;
    let location = app.post("/api/v1/locations", owner, json!({"name": "Leeds", "latitude": 53.8, "longitude": -1.55, "time_zone": "Europe/London", "address": "1 Park Row"})).await;
    assert_eq!(location.status, StatusCode::CREATED, "{:?}", location.body);
    let location_id = location.body["id"].as_i64().expect("id");
    let cases = [
        (
            "/api/v1/departments",
            json!({"name": "Ops", "min_user": 2, "max_user": 5, "manager_id": company.owner.id, "default_allowance": 2500}),
            json!({"max_user": 7}),
            "max_user",
            json!(7),
        ),
        (
            "/api/v1/regions",
            json!({"name": "North"}),
            json!({"name": "North East"}),
            "name",
            json!("North East"),
        ),
        (
            "/api/v1/locations",
            json!({"name": "York"}),
            json!({"latitude": 53.96}),
            "latitude",
            json!(53.96),
        ),
        (
            "/api/v1/sites",
            json!({"name": "Room 1", "location_id": location_id, "color": "#8DA6D9"}),
            json!({"description": "Big room"}),
            "description",
            json!("Big room"),
        ),
        (
            "/api/v1/positions",
            json!({"name": "Cook", "color": "cc0000", "sort": 2}),
            json!({"sort": 1}),
            "sort",
            json!(1),
        ),
        (
            "/api/v1/tags",
            json!({"name": "Key holder"}),
            json!({"name": "Keys"}),
            "name",
            json!("Keys"),
        ),
    ];
    for (collection, create, update, field, value) in cases {
        let created = app.post(collection, owner, create.clone()).await;
        assert_eq!(
            created.status,
            StatusCode::CREATED,
            "{collection}: {:?}",
            created.body
        );
        let id = created.body["id"].as_i64().expect("id");
        for (key, expected) in create.as_object().expect("object") {
            if key != "color" {
                assert_eq!(&created.body[key], expected, "{collection} {key}");
            }
        }
        let item = format!("{collection}/{id}");
        let updated = app.patch(&item, owner, update).await;
        assert_eq!(
            updated.status,
            StatusCode::OK,
            "{collection}: {:?}",
            updated.body
        );
        assert_eq!(
            app.get(&item, owner).await.body[field],
            value,
            "{collection}"
        );
        let listed = app.get(collection, owner).await.body;
        assert!(
            listed["data"]
                .as_array()
                .expect("data")
                .iter()
                .any(|row| row["id"].as_i64() == Some(id))
        );
        assert_eq!(
            app.delete(&item, owner).await.status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(app.get(&item, owner).await.status, StatusCode::NOT_FOUND);
    }
    let site = app
        .get(&format!("/api/v1/locations/{location_id}"), owner)
        .await
        .body;
    assert_eq!(site["address"], "1 Park Row");
}

#[tokio::test]
async fn deleting_an_item_in_use_is_refused_unless_forced_which_detaches_it() {
    let app = TestApp::spawn().await;
    let company = app.company("Acme").await;
    let owner = &company.owner.token;
    let department = app
        .post("/api/v1/departments", owner, json!({"name": "Ops"}))
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let tag = app
        .post("/api/v1/tags", owner, json!({"name": "Keys"}))
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let location = app
        .post("/api/v1/locations", owner, json!({"name": "Leeds"}))
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let site = app
        .post(
            "/api/v1/sites",
            owner,
            json!({"name": "Room", "location_id": location}),
        )
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let member = app
        .member(
            &company,
            "member",
            json!({"department_id": department, "tags": [tag], "locations": [location]}),
        )
        .await;
    assert_eq!(
        app.get(&format!("/api/v1/tags/{tag}/users"), owner)
            .await
            .body["data"],
        json!([member.id])
    );

    for path in [
        format!("/api/v1/departments/{department}"),
        format!("/api/v1/tags/{tag}"),
        format!("/api/v1/locations/{location}"),
    ] {
        let refused = app.delete(&path, owner).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{path}");
        assert_eq!(refused.code(), "in_use");
        assert_eq!(
            app.get(&path, owner).await.status,
            StatusCode::OK,
            "nothing was deleted"
        );
        assert_eq!(
            app.delete(&format!("{path}?force=true"), owner)
                .await
                .status,
            StatusCode::NO_CONTENT
        );
    }
    let user = app
        .get(&format!("/api/v1/users/{}", member.id), owner)
        .await
        .body;
    assert!(user["department_id"].is_null());
    assert_eq!(user["tags"], json!([]));
    assert_eq!(user["locations"], json!([]));
    assert_eq!(
        app.get(&format!("/api/v1/sites/{site}"), owner)
            .await
            .status,
        StatusCode::NOT_FOUND,
        "a forced location takes its sites"
    );
}

#[tokio::test]
async fn names_are_unique_within_a_company_only() {
    let app = TestApp::spawn().await;
    let acme = app.company("Acme").await;
    let other = app.company("Other").await;
    assert_eq!(
        app.post(
            "/api/v1/departments",
            &acme.owner.token,
            json!({"name": "Ops"})
        )
        .await
        .status,
        StatusCode::CREATED
    );
    let duplicate = app
        .post(
            "/api/v1/departments",
            &acme.owner.token,
            json!({"name": "Ops"}),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.code(), "duplicate");
    assert_eq!(duplicate.field(), Some("name"));
    assert_eq!(
        app.post(
            "/api/v1/departments",
            &other.owner.token,
            json!({"name": "Ops"})
        )
        .await
        .status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn locations_with_and_without_coordinates_follow_each_other_on_one_server() {
    // PostgreSQL once prepared the insert for the first binding's types and refused the
    // other kind after it (a NULL and a present coordinate bind as different types).
    let app = TestApp::spawn().await;
    let company = app.company("Mapped").await;
    let owner = &company.owner.token;
    // In an irregular order, so that whichever pooled connection each insert lands on
    // sees both kinds.
    let with = [
        true, false, false, true, true, false, true, false, false, true, true, true,
    ];
    let bodies = with.iter().enumerate().map(|(n, with)| {
        if *with {
            json!({"name": format!("at {n}"), "latitude": 51.5, "longitude": -0.12})
        } else {
            json!({"name": format!("nowhere {n}")})
        }
    });
    let mut ids = Vec::new();
    for body in bodies {
        let created = app.post("/api/v1/locations", owner, body.clone()).await;
        assert_eq!(
            created.status,
            StatusCode::CREATED,
            "{body}: {:?}",
            created.body
        );
        assert_eq!(created.body["latitude"], body["latitude"]);
        ids.push(created.body["id"].as_i64().expect("id"));
    }
    for (id, body) in ids.iter().zip([
        json!({"latitude": 1.5, "longitude": 2.5}),
        json!({"name": "b2"}),
        json!({"latitude": 0.0, "longitude": 0.0}),
    ]) {
        let updated = app
            .patch(&format!("/api/v1/locations/{id}"), owner, body.clone())
            .await;
        assert_eq!(updated.status, StatusCode::OK, "{body}: {:?}", updated.body);
    }
    let read = app
        .get(&format!("/api/v1/locations/{}", ids[1]), owner)
        .await;
    assert_eq!(
        (read.body["name"].as_str(), read.body["latitude"].as_f64()),
        (Some("b2"), None)
    );
}
