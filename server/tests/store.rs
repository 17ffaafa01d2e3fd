//! What the SQLite store keeps across restarts and what the purge removes.

mod common;

use std::sync::Arc;
use std::sync::atomic::AtomicI64;

use axum::http::StatusCode;
use common::{DAY, JWE, Relay, START, router_on, send};
use health_binder_relay::Limits;
use health_binder_relay::store::{ShareStore, SqliteStore};

#[tokio::test]
async fn shares_and_access_log_survive_reopening_the_database() {
    let relay = Relay::new();
    let created = relay.create().await;
    let (id, secret) = (
        created["id"].as_str().unwrap(),
        created["managementSecret"].as_str().unwrap(),
    );
    assert_eq!(
        relay
            .get(&format!("/shl/{id}?recipient=first"))
            .await
            .status,
        StatusCode::OK
    );
    let Relay {
        router, dir, db, ..
    } = relay;
    drop(router);

    let reopened = router_on(
        &db,
        &dir.path().join("dist"),
        Arc::new(AtomicI64::new(START + 60)),
        Limits::default(),
    );
    let reply = send(
        &reopened,
        axum::http::Request::get(format!("/shl/{id}?recipient=second"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.text(), JWE);

    let manage = send(
        &reopened,
        axum::http::Request::get(format!("/api/shares/{id}"))
            .header("authorization", format!("Bearer {secret}"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .json();
    let recipients: Vec<&str> = manage["accessLog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["recipient"].as_str().unwrap())
        .collect();
    assert_eq!(recipients, ["first", "second"]);
}

#[tokio::test]
async fn purge_drops_ciphertext_of_expired_shares_but_keeps_their_history() {
    let relay = Relay::new();
    let created = relay.create().await;
    let (id, secret) = (
        created["id"].as_str().unwrap(),
        created["managementSecret"].as_str().unwrap(),
    );
    assert_eq!(
        relay
            .get(&format!("/shl/{id}?recipient=Dr%20Ada"))
            .await
            .status,
        StatusCode::OK
    );
    let other = relay.create().await;

    let store = SqliteStore::open(&relay.db).unwrap();
    assert_eq!(
        store.purge_expired(START + DAY).await.unwrap(),
        0,
        "nothing has expired yet"
    );
    assert_eq!(store.purge_expired(START + 7 * DAY).await.unwrap(), 2);

    // The relay's clock still reads START, so only the purge can be what stops serving.
    let reply = relay.get(&format!("/shl/{id}?recipient=late")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        relay
            .get(&format!(
                "/shl/{}?recipient=x",
                other["id"].as_str().unwrap()
            ))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let view = relay.manage("GET", id, secret).await;
    assert_eq!(view.status, StatusCode::OK);
    let view = view.json();
    assert_eq!(view["active"], false);
    assert_eq!(view["accessLog"][0]["recipient"], "Dr Ada");

    let remaining: Option<String> = rusqlite_peek(&relay.db, id);
    assert_eq!(
        remaining, None,
        "the ciphertext itself is gone from the file"
    );
}

#[tokio::test]
async fn revoking_deletes_the_ciphertext_immediately() {
    let relay = Relay::new();
    let created = relay.create().await;
    let (id, secret) = (
        created["id"].as_str().unwrap(),
        created["managementSecret"].as_str().unwrap(),
    );
    assert_eq!(rusqlite_peek(&relay.db, id).as_deref(), Some(JWE));
    assert_eq!(
        relay.manage("DELETE", id, secret).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(rusqlite_peek(&relay.db, id), None);
}

fn rusqlite_peek(db: &std::path::Path, id: &str) -> Option<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT jwe FROM shares WHERE id = ?1", [id], |row| {
        row.get(0)
    })
    .unwrap()
}
