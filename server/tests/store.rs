//! What the store keeps across restarts and what the purge removes (on SQLite, and again on
//! PostgreSQL when the test command asks for it), and SQLite's migrations.

mod common;

use std::sync::Arc;
use std::sync::atomic::AtomicI64;

use axum::http::StatusCode;
use common::{DAY, Db, JWE, Relay, START, router_on, send};
use health_binder_relay::Limits;
use health_binder_relay::store::SqliteStore;

#[tokio::test]
async fn shares_and_access_log_survive_reopening_the_database() {
    let relay = Relay::new();
    let created = relay.create().await;
    let (id, secret) = (created["id"].as_str().unwrap(), created["managementSecret"].as_str().unwrap());
    assert_eq!(relay.get(&format!("/shl/{id}?recipient=first")).await.status, StatusCode::OK);
    let Relay { router, dir, db, .. } = relay;
    drop(router);

    let reopened = router_on(&db, &dir.path().join("dist"), Arc::new(AtomicI64::new(START + 60)), Limits::default());
    let reply = send(
        &reopened,
        axum::http::Request::get(format!("/shl/{id}?recipient=second")).body(axum::body::Body::empty()).unwrap(),
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
    let recipients: Vec<&str> =
        manage["accessLog"].as_array().unwrap().iter().map(|e| e["recipient"].as_str().unwrap()).collect();
    assert_eq!(recipients, ["first", "second"]);
}

#[tokio::test]
async fn purge_drops_ciphertext_of_expired_shares_but_keeps_their_history() {
    let relay = Relay::new();
    let created = relay.create().await;
    let (id, secret) = (created["id"].as_str().unwrap(), created["managementSecret"].as_str().unwrap());
    assert_eq!(relay.get(&format!("/shl/{id}?recipient=Dr%20Ada")).await.status, StatusCode::OK);
    let other = relay.create().await;

    let store = &relay.store;
    assert_eq!(store.purge_expired(START + DAY, 90 * DAY).await.unwrap(), 0, "nothing has expired yet");
    assert_eq!(store.purge_expired(START + 7 * DAY, 90 * DAY).await.unwrap(), 2);

    // The relay's clock still reads START, so only the purge can be what stops serving.
    let reply = relay.get(&format!("/shl/{id}?recipient=late")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        relay.get(&format!("/shl/{}?recipient=x", other["id"].as_str().unwrap())).await.status,
        StatusCode::NOT_FOUND
    );

    let view = relay.manage("GET", id, secret).await;
    assert_eq!(view.status, StatusCode::OK);
    let view = view.json();
    assert_eq!(view["active"], false);
    assert_eq!(view["accessLog"][0]["recipient"], "Dr Ada");

    let remaining: Option<String> = stored_jwe(&relay.db, id);
    assert_eq!(remaining, None, "the ciphertext itself is gone from the file");
}

#[tokio::test]
async fn revoking_deletes_the_ciphertext_immediately() {
    let relay = Relay::new();
    let created = relay.create().await;
    let (id, secret) = (created["id"].as_str().unwrap(), created["managementSecret"].as_str().unwrap());
    assert_eq!(stored_jwe(&relay.db, id).as_deref(), Some(JWE));
    assert_eq!(relay.manage("DELETE", id, secret).await.status, StatusCode::NO_CONTENT);
    assert_eq!(stored_jwe(&relay.db, id), None);
}

fn stored_jwe(db: &Db, id: &str) -> Option<String> {
    db.texts("SELECT jwe FROM shares WHERE id = $1", &[id]).remove(0)
}

/// The schema version 1 of the relay wrote, verbatim.
const V1_DDL: &str = "
CREATE TABLE IF NOT EXISTS shares (
    id          TEXT PRIMARY KEY,
    jwe         TEXT NULL,
    exp         INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    manage_hash BLOB NOT NULL,
    revoked_at  INTEGER NULL
);
CREATE TABLE IF NOT EXISTS access_log (
    id        INTEGER PRIMARY KEY,
    share_id  TEXT NOT NULL REFERENCES shares(id),
    at        INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    outcome   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS access_log_share ON access_log(share_id);
PRAGMA user_version = 1;
";

#[tokio::test]
async fn a_version_1_database_is_migrated_in_place_with_its_shares_intact() {
    use sha2::{Digest, Sha256};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite3");
    let id = "OLDshareOLDshareOLDshareOLDshareOLDshare123";
    let secret = "OLDsecretOLDsecretOLDsecretOLDsecretOLDsecr";
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(V1_DDL).unwrap();
        let hash: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        conn.execute(
            "INSERT INTO shares (id, jwe, exp, created_at, manage_hash, revoked_at)
             VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
            rusqlite::params![id, JWE, START + DAY, START - 100, hash.as_slice()],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO access_log (share_id, at, recipient, outcome)
             VALUES (?1, ?2, 'Dr Old', 'served')",
            rusqlite::params![id, START - 50],
        )
        .unwrap();
    }

    let router = router_on(
        &Db::Sqlite(db.clone()),
        &dir.path().join("no-dist"),
        Arc::new(AtomicI64::new(START)),
        Limits::default(),
    );
    let version: i64 =
        rusqlite::Connection::open(&db).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 4);

    // Its reply window opened with its first served access (the migration reads it from the log).
    let replied = send(&router, common::reply_request(id, JWE)).await;
    assert_eq!(replied.status, StatusCode::CREATED, "{}", replied.text());

    let fetched = send(
        &router,
        axum::http::Request::get(format!("/shl/{id}?recipient=Dr%20New")).body(axum::body::Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(fetched.status, StatusCode::OK, "the old link still works");
    assert_eq!(fetched.text(), JWE);

    let view = send(
        &router,
        axum::http::Request::get(format!("/api/shares/{id}"))
            .header("authorization", format!("Bearer {secret}"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .json();
    assert_eq!(view["flag"], "U");
    assert_eq!(view["createdAt"], START - 100);
    assert_eq!(view["exp"], START + DAY);
    assert_eq!(view["remainingAttempts"], serde_json::Value::Null);
    assert_eq!(view["maxUses"], serde_json::Value::Null);
    assert_eq!(view["uses"], 1, "uses counted from the migration on");
    assert_eq!(
        view["accessLog"],
        serde_json::json!([
            { "at": START - 50, "recipient": "Dr Old", "action": "fetch", "outcome": "served" },
            { "at": START, "recipient": "Dr New", "action": "fetch", "outcome": "served" },
        ])
    );
    assert_eq!(
        view["accessCounts"],
        serde_json::json!({ "served": 2, "wrongPasscode": 0, "inactive": 0 }),
        "the old entry is counted by the migration, the new one as it happens"
    );
    let stored: i64 =
        rusqlite::Connection::open(&db).unwrap().query_row("SELECT total FROM stored_bytes", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 2 * JWE.len() as i64, "the byte total starts from what the old database holds, and the reply");

    // Opening again is a no-op, and a newer schema is refused rather than misread.
    drop(router);
    SqliteStore::open(&db).unwrap();
    rusqlite::Connection::open(&db).unwrap().pragma_update(None, "user_version", 5).unwrap();
    let err = SqliteStore::open(&db).err().expect("version 5 is refused");
    assert!(err.to_string().contains("newer"), "{err}");
}

#[tokio::test]
async fn purge_keeps_what_can_still_be_served_and_drops_what_cannot() {
    let relay = Relay::new();
    let used_up = relay.create_with(serde_json::json!({ "flag": "", "maxUses": 1 })).await;
    let used_up_id = used_up["id"].as_str().unwrap();
    let reply = relay.manifest(used_up_id, &serde_json::json!({ "recipient": "Dr Ada", "embeddedLengthMax": 0 })).await;
    let location = reply.json()["files"][0]["location"].as_str().unwrap().to_owned();
    let paused = relay.create().await;
    relay.manage_action("pause", paused["id"].as_str().unwrap(), paused["managementSecret"].as_str().unwrap()).await;

    let store = &relay.store;
    assert_eq!(
        store.purge_expired(START + 60, 90 * DAY).await.unwrap(),
        0,
        "the used-up share's location URL is still outstanding; paused can resume"
    );
    assert_eq!(relay.get(&location["http://relay.test".len()..]).await.status, StatusCode::OK);
    assert_eq!(store.purge_expired(START + 3_600, 90 * DAY).await.unwrap(), 1);
    assert_eq!(stored_jwe(&relay.db, used_up_id), None);
    assert!(stored_jwe(&relay.db, paused["id"].as_str().unwrap()).is_some());

    let view = relay.manage("GET", used_up_id, used_up["managementSecret"].as_str().unwrap()).await.json();
    assert_eq!(view["accessLog"].as_array().unwrap().len(), 2, "log kept");
}
