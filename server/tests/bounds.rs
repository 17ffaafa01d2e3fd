//! What keeps one client, one link or time from growing the relay without bound: byte caps
//! per client and in total, a rate limit on links, a capped and paged access log, a bound on
//! passcode hashing, request logs without capabilities, and personal data that ends.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use common::{DAY, JWE, Relay, START, fast_passcodes, manifest_request};
use health_binder_relay::Limits;
use health_binder_relay::store::StoreLimits;
use serde_json::{Value, json};

fn from(mut request: Request<Body>, addr: &str) -> Request<Body> {
    let peer: SocketAddr = addr.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

fn create_request(addr: &str) -> Request<Body> {
    let body = json!({ "jwe": JWE, "exp": START + 3 * DAY }).to_string();
    from(
        Request::post("/api/shares").header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).unwrap(),
        addr,
    )
}

fn ids(created: &Value) -> (String, String) {
    (created["id"].as_str().unwrap().to_owned(), created["managementSecret"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn one_client_cannot_keep_more_than_its_bytes() {
    let per_client = 3 * JWE.len() as u64;
    let relay = Relay::with_limits(Limits { max_stored_bytes_per_client: per_client, ..Limits::default() });
    for _ in 0..3 {
        assert_eq!(relay.send(create_request("192.0.2.1:1000")).await.status, StatusCode::CREATED);
    }
    let full = relay.send(create_request("192.0.2.1:1001")).await;
    assert_eq!(full.status, StatusCode::INSUFFICIENT_STORAGE);
    assert!(full.error().contains("of unexpired shares per sender"), "{}", full.error());
    assert_eq!(relay.send(create_request("192.0.2.2:1000")).await.status, StatusCode::CREATED, "another client");

    // Once its shares have expired (and their day ended), the client may share again.
    relay.advance(4 * DAY);
    let later = Request::post("/api/shares")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "jwe": JWE, "exp": START + 5 * DAY }).to_string()))
        .unwrap();
    assert_eq!(relay.send(from(later, "192.0.2.1:1002")).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_relay_keeps_no_more_ciphertext_than_its_cap_and_revoking_frees_it() {
    let store = StoreLimits { max_stored_bytes: 2 * JWE.len() as u64, ..StoreLimits::default() };
    let relay = Relay::with_limits(Limits { store, ..Limits::default() });
    let first = relay.create().await;
    relay.create().await;
    let full = relay.send(create_request("192.0.2.9:1000")).await;
    assert_eq!(full.status, StatusCode::INSUFFICIENT_STORAGE);
    assert_eq!(full.json(), json!({ "error": health_binder_relay::error::RELAY_FULL }));

    let (id, secret) = ids(&first);
    assert_eq!(relay.manage("DELETE", &id, &secret).await.status, StatusCode::NO_CONTENT);
    assert_eq!(relay.send(create_request("192.0.2.9:1001")).await.status, StatusCode::CREATED, "revoking freed it");
}

#[tokio::test]
async fn link_requests_are_rate_limited_per_client() {
    let relay = Relay::with_limits(Limits { receiver_requests_per_minute: 3, ..Limits::default() });
    let (id, _) = ids(&relay.create().await);
    let fetch =
        |addr: &str| from(Request::get(format!("/shl/{id}?recipient=Dr%20Ada")).body(Body::empty()).unwrap(), addr);
    assert_eq!(relay.send(fetch("192.0.2.1:1")).await.status, StatusCode::OK);
    assert_eq!(
        relay.send(from(manifest_request(&id, &json!({ "recipient": "Dr Ada" })), "192.0.2.1:2")).await.status,
        StatusCode::OK
    );
    let unknown = "A".repeat(43);
    assert_eq!(
        relay
            .send(from(
                Request::get(format!("/shl/{unknown}/file/{unknown}")).body(Body::empty()).unwrap(),
                "192.0.2.1:3"
            ))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let limited = relay.send(fetch("192.0.2.1:4")).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.header("retry-after").is_some());
    assert_eq!(relay.send(fetch("192.0.2.2:1")).await.status, StatusCode::OK, "another client");
}

#[tokio::test]
async fn the_access_log_stops_at_its_cap_and_the_counts_go_on() {
    let store = StoreLimits { access_log_rows_per_share: 3, ..StoreLimits::default() };
    let relay = Relay::with_limits(Limits { store, ..Limits::default() });
    let (id, secret) = ids(&relay.create().await);
    for n in 0..5 {
        relay.advance(1);
        assert_eq!(relay.get(&format!("/shl/{id}?recipient=reader{n}")).await.status, StatusCode::OK);
    }
    relay.manage("DELETE", &id, &secret).await;
    assert_eq!(relay.get(&format!("/shl/{id}?recipient=late")).await.status, StatusCode::NOT_FOUND);

    let view = relay.manage("GET", &id, &secret).await.json();
    let names: Vec<&str> =
        view["accessLog"].as_array().unwrap().iter().map(|e| e["recipient"].as_str().unwrap()).collect();
    assert_eq!(names, ["reader0", "reader1", "reader2"], "the first entries are kept");
    assert_eq!(view["accessCounts"], json!({ "served": 5, "wrongPasscode": 0, "inactive": 1 }));
    assert_eq!(view["uses"], 5);
}

#[tokio::test]
async fn the_access_log_comes_in_pages_newest_first() {
    let relay = Relay::new();
    let (id, secret) = ids(&relay.create().await);
    for n in 0..5 {
        relay.advance(1);
        relay.get(&format!("/shl/{id}?recipient=reader{n}")).await;
    }
    let page = |query: String| {
        let request = Request::get(format!("/api/shares/{id}{query}"))
            .header(header::AUTHORIZATION, format!("Bearer {secret}"))
            .body(Body::empty())
            .unwrap();
        relay.send(request)
    };
    let names = |view: &Value| -> Vec<String> {
        view["accessLog"].as_array().unwrap().iter().map(|e| e["recipient"].as_str().unwrap().to_owned()).collect()
    };
    let first = page("?limit=2".to_owned()).await.json();
    assert_eq!(names(&first), ["reader3", "reader4"]);
    let before = first["accessLogBefore"].as_i64().expect("an older page");
    let second = page(format!("?limit=2&before={before}")).await.json();
    assert_eq!(names(&second), ["reader1", "reader2"]);
    let before = second["accessLogBefore"].as_i64().unwrap();
    let last = page(format!("?limit=2&before={before}")).await.json();
    assert_eq!(names(&last), ["reader0"]);
    assert_eq!(last["accessLogBefore"], Value::Null);
    assert_eq!(page("?limit=0".to_owned()).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(page("?limit=1001".to_owned()).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn names_with_hidden_or_direction_characters_are_refused_and_not_logged() {
    let relay = Relay::new();
    let (id, secret) = ids(&relay.create().await);
    // "Dr Ada" followed by a right-to-left override: the log would show a different name.
    let fetch = relay.get(&format!("/shl/{id}?recipient=Dr%20Ada%E2%80%AEevil")).await;
    assert_eq!(fetch.status, StatusCode::BAD_REQUEST);
    assert_eq!(fetch.error(), "recipient must not contain invisible or text-direction characters.");
    let manifest = relay.manifest(&id, &json!({ "recipient": "Dr\u{200B}Ada" })).await;
    assert_eq!(manifest.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        relay.get(&format!("/shl/{id}?recipient=Dr%20Zo%C3%AB%20%D8%A3%D8%AD%D9%85%D8%AF")).await.status,
        StatusCode::OK
    );

    let view = relay.manage("GET", &id, &secret).await.json();
    assert_eq!(view["accessLog"].as_array().unwrap().len(), 1);
    assert_eq!(view["accessLog"][0]["recipient"], "Dr Zoë أحمد", "kept as the opener wrote it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashing_a_new_passcode_waits_for_a_free_slot() {
    let slots = Arc::new(Mutex::new(None));
    let relay = Relay::custom(fast_passcodes(), |state| {
        *slots.lock().unwrap() = Some(Arc::clone(&state.passcode_slots));
        state
    });
    let slots = slots.lock().unwrap().take().unwrap();
    let all = u32::try_from(slots.available_permits()).unwrap();
    let busy = slots.acquire_many(all).await.unwrap();

    let relay = Arc::new(relay);
    let creating = {
        let relay = Arc::clone(&relay);
        tokio::spawn(async move {
            relay.post_json(&json!({ "jwe": JWE, "exp": START + DAY, "flag": "P", "passcode": "1234" })).await.status
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!creating.is_finished(), "no hash runs while every slot is busy");
    drop(busy);
    assert_eq!(tokio::time::timeout(Duration::from_secs(10), creating).await.unwrap().unwrap(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_failed_passcode_check_spends_no_attempt() {
    let relay = Relay::with_limits(fast_passcodes());
    let (id, secret) = ids(&relay.create_with(json!({ "flag": "P", "passcode": "1234", "passcodeAttempts": 3 })).await);
    // A stored hash the relay cannot read: the check fails on the relay's side.
    relay.db.execute("UPDATE shares SET passcode_hash = 'argon2id$garbled' WHERE id = $1", &[&id]);
    let reply = relay.manifest(&id, &json!({ "recipient": "Dr Ada", "passcode": "1234" })).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);

    let view = relay.manage("GET", &id, &secret).await.json();
    assert_eq!(view["remainingAttempts"], 3, "the relay's failure is not the receiver's guess");
    assert_eq!(view["accessLog"], json!([]));
}

#[tokio::test]
async fn names_and_passcode_hashes_are_cleared_once_the_retention_after_the_end_has_passed() {
    let relay = Relay::with_limits(fast_passcodes());
    let (id, secret) = ids(&relay.create_with(json!({ "flag": "P", "passcode": "1234" })).await);
    assert_eq!(
        relay.manifest(&id, &json!({ "recipient": "Dr Ada Lovelace", "passcode": "1234" })).await.status,
        StatusCode::OK
    );
    relay.manage("DELETE", &id, &secret).await;
    let peek = || {
        let hash = relay.db.texts("SELECT passcode_hash FROM shares WHERE id = $1", &[&id]).remove(0);
        let names: Vec<String> =
            relay.db.texts("SELECT recipient FROM access_log", &[]).into_iter().map(Option::unwrap).collect();
        (hash.is_some(), names)
    };

    let store = &relay.store;
    store.purge_expired(START + 89 * DAY, 90 * DAY).await.unwrap();
    assert_eq!(peek(), (true, vec!["Dr Ada Lovelace".to_owned()]), "kept for the owner within the retention");
    store.purge_expired(START + 90 * DAY, 90 * DAY).await.unwrap();
    assert_eq!(peek(), (false, vec![String::new()]), "cleared after it");

    let view = relay.manage("GET", &id, &secret).await.json();
    assert_eq!(view["accessLog"][0]["recipient"], "");
    assert_eq!(view["accessLog"][0]["at"], START);
    assert_eq!(view["accessCounts"]["served"], 1);
}

#[tokio::test]
async fn requests_for_unknown_ids_leave_no_trace() {
    let relay = Relay::new();
    relay.create().await;
    let unknown = "B".repeat(43);
    assert_eq!(relay.get(&format!("/shl/{unknown}?recipient=Scanner")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(relay.manifest(&unknown, &json!({ "recipient": "Scanner" })).await.status, StatusCode::NOT_FOUND);
    let rows = relay.db.texts("SELECT CAST(COUNT(*) AS TEXT) FROM access_log", &[]);
    assert_eq!(rows, [Some("0".to_owned())], "a stranger's guesses are nobody's access log");
}
