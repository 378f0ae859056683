//! The app sign-in against a real database, on the engine under test.

use sha2::{Digest, Sha512};

use super::*;
use crate::access::clients::ApiClientForCreate;
use crate::access::settings;
use crate::access::tokens::ClientCredentials;
use crate::policy::Actor;
use crate::signup::{self, CompanyForCreate};
use crate::testing::Scratch;

const PASSWORD: &str = "a long owner password";

struct World {
    scratch: Scratch,
    owner: Actor,
    key: SecretKey,
}

impl World {
    async fn new() -> Self {
        let scratch = crate::testing::scratch_database()
            .await
            .expect("scratch database");
        let created = signup::create_company(
            &scratch.db,
            CompanyForCreate {
                name: "Sign In Ltd".into(),
                time_zone: None,
                holiday_country: None,
                owner_email: "owner@signin.test".into(),
                owner_password: PASSWORD.into(),
                owner_first_name: None,
                owner_last_name: None,
            },
        )
        .await
        .expect("company");
        let owner = settings::operator(&scratch.db, created.company_id)
            .await
            .expect("owner");
        Self {
            scratch,
            owner,
            key: SecretKey::random(),
        }
    }

    fn db(&self) -> &Db {
        &self.scratch.db
    }

    async fn sign_in(&self, request: &AppSignIn) -> Result<AppSession> {
        sign_in(
            self.db(),
            Some(&self.key),
            request,
            Some("127.0.0.1".parse().expect("ip")),
            None,
        )
        .await
    }

    async fn refusals(&self) -> Vec<String> {
        sqlx::query_scalar(
            "SELECT details FROM audit_events WHERE company_id = $1 AND action = 'token.refused' ORDER BY id",
        )
        .bind(self.owner.company_id)
        .fetch_all(self.db().pool())
        .await
        .expect("audit")
    }
}

fn proof(nonce: &str, client_secret: &str) -> String {
    crate::secret::hex(&Sha512::digest(format!("{nonce}{client_secret}")))
}

fn credentials(app_id: &str, nonce: &str, client_secret: &str) -> AppSignIn {
    AppSignIn {
        header_app_id: Some(app_id.into()),
        app_id: app_id.into(),
        nonce: nonce.into(),
        secret: proof(nonce, client_secret).into(),
        ip_address: "127.0.0.1".into(),
        who: SignInAs::Credentials {
            username: "owner@signin.test".into(),
            password: PASSWORD.into(),
            mfa_code: None,
        },
    }
}

fn refused_with(result: Result<AppSession>) -> &'static str {
    result.map(|_| ()).expect_err("refused").code()
}

#[tokio::test]
async fn a_client_secret_is_sealed_for_its_client_and_only_with_a_key() {
    let world = World::new().await;
    let sealed = settings::enable(world.db(), Some(&world.key), &world.owner)
        .await
        .expect("enabled");
    let input = ApiClientForCreate {
        name: "No key".into(),
        ..Default::default()
    };
    let unsealed = clients::create(world.db(), None, &world.owner, input)
        .await
        .expect("client");
    let stored: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT app_id, sealed_secret FROM api_clients ORDER BY id")
            .fetch_all(world.db().pool())
            .await
            .expect("clients");
    let (app_id, Some(stored_secret)) = &stored[0] else {
        panic!("not sealed: {stored:?}");
    };
    assert!(!stored_secret.contains(sealed.client_secret.expose()));
    let context = clients::secret_context(world.owner.company_id, app_id);
    assert_eq!(
        world.key.open(&context, stored_secret).expect("opens"),
        sealed.client_secret.expose().as_bytes()
    );
    let other = clients::secret_context(world.owner.company_id, &unsealed.client.app_id);
    assert!(
        world.key.open(&other, stored_secret).is_err(),
        "another client"
    );
    assert_eq!(stored[1], (unsealed.client.app_id.clone(), None));
}

#[tokio::test]
async fn a_user_signs_in_through_a_client_and_its_token_acts_as_them_within_the_ceiling() {
    let world = World::new().await;
    settings::enable(world.db(), Some(&world.key), &world.owner)
        .await
        .expect("enabled");
    let staff_ceiling = clients::create(
        world.db(),
        Some(&world.key),
        &world.owner,
        ApiClientForCreate {
            name: "Staff ceiling".into(),
            role_ceiling: Some(UserType::Staff),
            scopes: vec!["people:read".into()],
            ..Default::default()
        },
    )
    .await
    .expect("client");
    let app_id = &staff_ceiling.client.app_id;
    let before = now();

    let session = world
        .sign_in(&credentials(
            app_id,
            "nonce-0001",
            staff_ceiling.client_secret.expose(),
        ))
        .await
        .expect("signed in");

    assert_eq!(session.user.id, world.owner.user_id);
    assert_eq!(session.user.user_type, UserType::SuperUser);
    let lifetime = session.expires_at.as_second() - before;
    assert!(
        (TOKEN_LIFETIME - 5..=TOKEN_LIFETIME).contains(&lifetime),
        "{lifetime}"
    );
    let principal = tokens::authenticate(world.db(), session.access_token.expose())
        .await
        .expect("live token");
    assert_eq!(principal.actor.user_id, world.owner.user_id);
    assert_eq!(principal.actor.role, UserType::Staff);
    assert!(!principal.actor.is_owner);
    let (grant, bound): (String, Option<i64>) =
        sqlx::query_as("SELECT grant_type, user_id FROM api_tokens WHERE client_id = $1")
            .bind(staff_ceiling.client.id)
            .fetch_one(world.db().pool())
            .await
            .expect("token row");
    assert_eq!(grant, "whosoff_authenticate");
    assert_eq!(bound, Some(world.owner.user_id));
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_events WHERE company_id = $1 AND api_client_id = $2 ORDER BY id",
    )
    .bind(world.owner.company_id)
    .bind(staff_ceiling.client.id)
    .fetch_all(world.db().pool())
    .await
    .expect("audit");
    assert_eq!(actions, ["login.succeeded", "token.issued"]);
}

#[tokio::test]
async fn a_nonce_signs_once_while_its_secret_lasts_and_is_forgotten_with_it() {
    let world = World::new().await;
    let client = settings::enable(world.db(), Some(&world.key), &world.owner)
        .await
        .expect("enabled");
    let request = credentials(
        &client.client.app_id,
        "once only nonce",
        client.client_secret.expose(),
    );
    world.sign_in(&request).await.expect("first use");

    assert_eq!(
        refused_with(world.sign_in(&request).await),
        code::NONCE_REPLAYED
    );
    let expiry = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT expires_at FROM api_nonces WHERE nonce = 'once only nonce'",
        )
        .fetch_one(world.db().pool())
        .await
        .expect("nonce row")
    };
    assert!(
        expiry().await > now() + 100 * 365 * 24 * 3600,
        "kept while the secret lasts"
    );
    let rotated = clients::regenerate_secret(
        world.db(),
        Some(&world.key),
        &world.owner,
        client.client.id,
        0,
    )
    .await
    .expect("regenerated");
    assert!(expiry().await <= now(), "forgotten once the secret is gone");
    assert_eq!(
        refused_with(world.sign_in(&request).await),
        code::INVALID_SECRET
    );
    let fresh = credentials(
        &client.client.app_id,
        "once only nonce",
        rotated.client_secret.expose(),
    );
    assert_eq!(
        refused_with(world.sign_in(&fresh).await),
        code::NONCE_REPLAYED,
        "still remembered until the sweep"
    );
    assert_eq!(
        world.refusals().await.len(),
        3,
        "every refusal audited: {:?}",
        world.refusals().await
    );
}

#[tokio::test]
async fn a_client_from_before_sealing_must_regenerate_its_secret_once() {
    let world = World::new().await;
    let client = settings::enable(world.db(), None, &world.owner)
        .await
        .expect("enabled");
    let request = credentials(
        &client.client.app_id,
        "nonce-before",
        client.client_secret.expose(),
    );
    assert_eq!(
        refused_with(world.sign_in(&request).await),
        code::CLIENT_SECRET_ROTATION_REQUIRED
    );
    assert_eq!(
        refused_with(sign_in(world.db(), None, &request, None, None).await),
        code::APP_SIGN_IN_UNAVAILABLE
    );
    let rotated = clients::regenerate_secret(
        world.db(),
        Some(&world.key),
        &world.owner,
        client.client.id,
        0,
    )
    .await
    .expect("regenerated");
    world
        .sign_in(&credentials(
            &client.client.app_id,
            "nonce-after",
            rotated.client_secret.expose(),
        ))
        .await
        .expect("signed in");
    assert!(world.refusals().await[0].contains(code::CLIENT_SECRET_ROTATION_REQUIRED));
}

#[tokio::test]
async fn the_previous_secret_proves_only_within_its_overlap_and_its_tokens_end_with_it() {
    let world = World::new().await;
    let client = settings::enable(world.db(), Some(&world.key), &world.owner)
        .await
        .expect("enabled");
    let old = client.client_secret.expose();
    let rotated = clients::regenerate_secret(
        world.db(),
        Some(&world.key),
        &world.owner,
        client.client.id,
        60,
    )
    .await
    .expect("regenerated");

    let session = world
        .sign_in(&credentials(&client.client.app_id, "nonce-old-1", old))
        .await
        .expect("the previous secret, within the window");
    assert!(session.expires_at.as_second() <= now() + 60);
    world
        .sign_in(&credentials(
            &client.client.app_id,
            "nonce-new-1",
            rotated.client_secret.expose(),
        ))
        .await
        .expect("the new secret");

    sqlx::query("UPDATE api_clients SET previous_secret_expires_at = $1 WHERE id = $2")
        .bind(now() - 1)
        .bind(client.client.id)
        .execute(world.db().pool())
        .await
        .expect("window over");
    assert_eq!(
        refused_with(
            world
                .sign_in(&credentials(&client.client.app_id, "nonce-old-2", old))
                .await
        ),
        code::INVALID_SECRET
    );
}

#[tokio::test]
async fn an_access_token_is_exchanged_for_no_more_than_it_holds() {
    let world = World::new().await;
    let full = settings::enable(world.db(), Some(&world.key), &world.owner)
        .await
        .expect("enabled");
    let narrow = clients::create(
        world.db(),
        Some(&world.key),
        &world.owner,
        ApiClientForCreate {
            name: "Narrow".into(),
            role_ceiling: Some(UserType::Staff),
            scopes: vec!["people:read".into()],
            ..Default::default()
        },
    )
    .await
    .expect("client");
    let token_of = |client: &clients::ApiClientWithSecret| ClientCredentials {
        grant_type: "client_credentials".into(),
        client_id: client.client.app_id.clone(),
        client_secret: client.client_secret.expose().into(),
        nonce: None,
        timestamp: None,
    };
    let full_token = tokens::issue(world.db(), &token_of(&full), None)
        .await
        .expect("token");
    let narrow_token = tokens::issue(world.db(), &token_of(&narrow), None)
        .await
        .expect("token");
    let exchange = |client: &clients::ApiClientWithSecret, nonce: &str, token: &str| AppSignIn {
        who: SignInAs::AccessToken(token.into()),
        ..credentials(&client.client.app_id, nonce, client.client_secret.expose())
    };

    let session = world
        .sign_in(&exchange(
            &narrow,
            "exchange-1",
            full_token.access_token.expose(),
        ))
        .await
        .expect("a super user's token becomes a staff-capped one");
    assert_eq!(session.user.id, world.owner.user_id);

    assert_eq!(
        refused_with(
            world
                .sign_in(&exchange(
                    &full,
                    "exchange-2",
                    narrow_token.access_token.expose()
                ))
                .await
        ),
        code::EXCHANGE_NOT_ALLOWED
    );
    assert_eq!(
        refused_with(
            world
                .sign_in(&exchange(&full, "exchange-3", "rota_at_nothing"))
                .await
        ),
        code::INVALID_ACCESS_TOKEN
    );
    assert_eq!(
        refused_with(
            world
                .sign_in(&exchange(&full, "exchange-4", "a password"))
                .await
        ),
        code::INVALID_ACCESS_TOKEN
    );
}
