//! Several relay instances on one PostgreSQL database behave as one relay to a client: a
//! share made on one opens on the other, pausing and revoking take effect everywhere, and the
//! passcode budget, use limits and rate limits are counted once for all of them. Also what
//! only PostgreSQL has: its migrations and its 503 while it cannot be reached.
//!
//! Built only with the `postgres-tests` feature, which `scripts/test` turns on after starting a
//! throw-away PostgreSQL server (`HB_TEST_DATABASE_URL`); without the server these tests fail.

mod common;

use std::sync::Arc;
use std::sync::atomic::AtomicI64;

use axum::http::StatusCode;
use common::db::require_postgres;
use common::{Db, JWE, Relay, START, fast_passcodes, manifest_request, send};
use health_binder_relay::Limits;
use health_binder_relay::static_files::Dist;
use health_binder_relay::store::postgres::{SCHEMA_VERSION, migrate};
use health_binder_relay::store::{PgStore, StoreLimits};
use health_binder_relay::{AppState, app};
use serde_json::{Value, json};

/// Two instances (routers with stores of their own) on one fresh schema.
fn two_instances(limits: Limits) -> (Relay, Relay) {
    let db = Db::fresh_postgres(&require_postgres());
    let a = Relay::on(db.clone(), tempfile::tempdir().unwrap(), false, limits, |state| state);
    let b = Relay::on(db, tempfile::tempdir().unwrap(), false, limits, |state| state);
    (a, b)
}

fn id_secret(created: &Value) -> (String, String) {
    (created["id"].as_str().unwrap().to_owned(), created["managementSecret"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_share_made_on_one_instance_is_managed_and_opened_on_the_other() {
    let (a, b) = two_instances(Limits::default());
    let (id, secret) = id_secret(&a.create().await);
    let fetch = format!("/shl/{id}?recipient=Dr%20Ada");

    let opened = b.get(&fetch).await;
    assert_eq!((opened.status, opened.text().as_str()), (StatusCode::OK, JWE), "made on A, opened on B");
    assert_eq!(a.manage_action("pause", &id, &secret).await.status, StatusCode::NO_CONTENT);
    assert_eq!(b.get(&fetch).await.status, StatusCode::NOT_FOUND, "paused on A: B answers 404");
    assert_eq!(b.manage_action("resume", &id, &secret).await.status, StatusCode::NO_CONTENT);
    assert_eq!(a.get(&fetch).await.status, StatusCode::OK, "resumed on B: A serves it");
    assert_eq!(b.manage("DELETE", &id, &secret).await.status, StatusCode::NO_CONTENT);
    assert_eq!(a.get(&fetch).await.status, StatusCode::NOT_FOUND, "revoked on B: A answers 404");

    let view = a.manage("GET", &id, &secret).await.json();
    let outcomes: Vec<&str> =
        view["accessLog"].as_array().unwrap().iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["served", "inactive", "served", "inactive"], "one log, whichever instance served");
    assert_eq!(view["uses"], 2);
    assert_eq!(view, b.manage("GET", &id, &secret).await.json(), "both instances show the same");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_passcodes_over_both_instances_spend_exactly_the_budget() {
    let (a, b) = two_instances(fast_passcodes());
    let created = a.create_with(json!({ "flag": "P", "passcode": "right one", "passcodeAttempts": 10 })).await;
    let (id, secret) = id_secret(&created);
    let guesses = (0..50).map(|n| {
        let router = if n % 2 == 0 { a.router.clone() } else { b.router.clone() };
        let request = manifest_request(&id, &json!({ "recipient": format!("guesser {n}"), "passcode": "wrong" }));
        tokio::spawn(async move { send(&router, request).await })
    });
    let replies: Vec<_> = futures_util::future::join_all(guesses).await.into_iter().map(Result::unwrap).collect();

    let mut reported: Vec<u64> = replies
        .iter()
        .filter(|reply| reply.status == StatusCode::UNAUTHORIZED)
        .map(|reply| reply.json()["remainingAttempts"].as_u64().unwrap())
        .collect();
    reported.sort_unstable();
    assert_eq!(reported, (0..10).collect::<Vec<_>>(), "ten 401s, each reporting its own count");
    assert!(
        replies.iter().all(|reply| [StatusCode::UNAUTHORIZED, StatusCode::NOT_FOUND].contains(&reply.status)),
        "every other guess is refused with the one 404"
    );
    let right = b.manifest(&id, &json!({ "recipient": "Dr Ada", "passcode": "right one" })).await;
    assert_eq!(right.status, StatusCode::NOT_FOUND, "locked out everywhere, the right passcode included");
    let view = a.manage("GET", &id, &secret).await.json();
    assert_eq!(view["remainingAttempts"], 0);
    assert_eq!(view["accessCounts"]["wrongPasscode"], 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_use_limit_holds_over_both_instances() {
    let (a, b) = two_instances(Limits::default());
    let (id, secret) = id_secret(&a.create_with(json!({ "maxUses": 3 })).await);
    let fetches = (0..20).map(|n| {
        let router = if n % 2 == 0 { a.router.clone() } else { b.router.clone() };
        let uri = format!("/shl/{id}?recipient=reader{n}");
        tokio::spawn(async move {
            send(&router, axum::http::Request::get(uri).body(axum::body::Body::empty()).unwrap()).await.status
        })
    });
    let statuses: Vec<_> = futures_util::future::join_all(fetches).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 3, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::NOT_FOUND).count(), 17);
    assert_eq!(b.manage("GET", &id, &secret).await.json()["uses"], 3);
}

#[tokio::test]
async fn rate_limits_count_a_client_once_across_instances() {
    let (a, b) = two_instances(Limits { creates_per_minute: 2, receiver_requests_per_minute: 3, ..Limits::default() });
    let (id, _) = id_secret(&a.create().await);
    b.create().await;
    let third = a.post_json(&json!({ "jwe": JWE, "exp": START + 86_400 })).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS, "two creates on two instances use the client's minute");
    assert!(third.header("retry-after").is_some());

    let fetch = format!("/shl/{id}?recipient=x");
    assert_eq!(a.get(&fetch).await.status, StatusCode::OK);
    assert_eq!(b.get(&fetch).await.status, StatusCode::OK);
    assert_eq!(a.get(&fetch).await.status, StatusCode::OK);
    assert_eq!(b.get(&fetch).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_global_byte_cap_holds_across_instances() {
    let store = StoreLimits { max_stored_bytes: 2 * JWE.len() as u64, ..StoreLimits::default() };
    let (a, b) = two_instances(Limits { store, ..Limits::default() });
    let (id, secret) = id_secret(&a.create().await);
    b.create().await;
    let full = a.post_json(&json!({ "jwe": JWE, "exp": START + 86_400 })).await;
    assert_eq!(full.status, StatusCode::INSUFFICIENT_STORAGE);
    assert_eq!(b.manage("DELETE", &id, &secret).await.status, StatusCode::NO_CONTENT);
    assert_eq!(a.post_json(&json!({ "jwe": JWE, "exp": START + 86_400 })).await.status, StatusCode::CREATED);
    let total = a.db.texts("SELECT CAST(total AS TEXT) FROM stored_bytes", &[]);
    assert_eq!(total, [Some((2 * JWE.len()).to_string())], "the running total follows creates and revocations");
}

#[tokio::test]
async fn while_the_database_cannot_be_reached_the_relay_answers_503() {
    // Nothing listens on port 1 of loopback.
    let config: tokio_postgres::Config = "postgres://hb@127.0.0.1:1/postgres".parse().unwrap();
    let store = Arc::new(PgStore::with_pool(config, 2, StoreLimits::default()).unwrap());
    let now = Arc::new(AtomicI64::new(START));
    let clock = Arc::new(move || now.load(std::sync::atomic::Ordering::SeqCst));
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(store.clone(), clock, Limits::default(), Dist::load(dir.path().join("none")))
        .with_shared_rate_limits(store);
    let router = app(state);
    let reply = send(
        &router,
        axum::http::Request::get(format!("/shl/{}?recipient=x", "A".repeat(43)))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.text());
    assert_eq!(reply.header("retry-after"), Some("2"));
    assert!(reply.error().contains("unavailable"), "{}", reply.error());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_starting_together_migrate_once_and_a_newer_schema_is_refused() {
    let Db::Postgres(url) = Db::fresh_postgres(&require_postgres()) else { unreachable!() };
    let config: tokio_postgres::Config = url.parse().unwrap();
    let (first, second) = tokio::join!(migrate(&config), migrate(&config));
    first.unwrap();
    second.unwrap();
    let db = Db::Postgres(url.clone());
    assert_eq!(
        db.texts("SELECT CAST(version AS TEXT) FROM hb_schema_version", &[]),
        [Some(SCHEMA_VERSION.to_string())]
    );

    db.execute("UPDATE hb_schema_version SET version = version + 1", &[]);
    let refused = PgStore::connect(&url, 1, StoreLimits::default()).await.err().expect("a newer schema is refused");
    assert!(refused.to_string().contains("newer"), "{refused}");
}
