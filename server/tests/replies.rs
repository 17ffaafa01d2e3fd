//! Clinicians' replies: posted to `/shl/{id}/replies` from any origin while the share's reply
//! window is open, fetched and deleted by the share's owner only, counted against the byte caps,
//! and purged after 30 days.

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use common::{DAY, JWE, Relay, START, reply_request};
use health_binder_relay::Limits;
use health_binder_relay::store::StoreLimits;
use serde_json::{Value, json};

/// A share of [`JWE`], opened once by a clinician (which opens its reply window): its id and
/// management secret.
async fn opened_share(relay: &Relay) -> (String, String) {
    let created = relay.create().await;
    let (id, secret) =
        (created["id"].as_str().unwrap().to_owned(), created["managementSecret"].as_str().unwrap().to_owned());
    let opened = relay.get(&format!("/shl/{id}?recipient=Dr%20Hopper")).await;
    assert_eq!(opened.status, StatusCode::OK);
    (id, secret)
}

async fn replies(relay: &Relay, id: &str, secret: &str) -> common::Reply {
    relay
        .send(
            Request::get(format!("/api/shares/{id}/replies"))
                .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
}

async fn delete_reply(relay: &Relay, id: &str, secret: &str, reply: &str) -> common::Reply {
    relay
        .send(
            Request::delete(format!("/api/shares/{id}/replies/{reply}"))
                .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
}

#[tokio::test]
async fn a_reply_from_any_origin_is_kept_for_the_owner_alone_until_deleted() {
    let relay = Relay::new();
    let (id, secret) = opened_share(&relay).await;
    let posted = relay.send(reply_request(&id, JWE)).await;
    assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.text());
    assert_eq!(posted.header("access-control-allow-origin"), Some("*"), "the viewer posts from its own origin");
    assert_eq!(posted.header("cache-control"), Some("no-store"));
    let reply_id = posted.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(posted.json()["keepUntil"], START + 30 * DAY);

    let listed = replies(&relay, &id, &secret).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(
        listed.json()["replies"],
        json!([{ "id": reply_id, "receivedAt": START, "keepUntil": START + 30 * DAY, "jwe": JWE }])
    );
    // Holding the link is not enough: a wrong or missing secret is the same 404 as an unknown id.
    for wrong in ["", "not-the-secret"] {
        let refused = replies(&relay, &id, wrong).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert_eq!(refused.error(), "Share not found.");
    }
    assert_eq!(delete_reply(&relay, &id, "wrong", &reply_id).await.status, StatusCode::NOT_FOUND);
    assert_eq!(delete_reply(&relay, &id, &secret, &reply_id).await.status, StatusCode::NO_CONTENT);
    assert_eq!(replies(&relay, &id, &secret).await.json()["replies"], json!([]));
    assert_eq!(delete_reply(&relay, &id, &secret, &reply_id).await.status, StatusCode::NOT_FOUND, "once");
}

#[tokio::test]
async fn replies_are_taken_for_24_hours_after_the_first_open_even_once_the_link_has_ended() {
    let relay = Relay::new();
    // Never opened: no window yet, and an unknown id answers the same.
    let never = relay.create().await["id"].as_str().unwrap().to_owned();
    let closed = relay.send(reply_request(&never, JWE)).await;
    assert_eq!(closed.status, StatusCode::NOT_FOUND);
    let unknown = relay.send(reply_request(&"A".repeat(43), JWE)).await;
    assert_eq!((unknown.status, unknown.error()), (closed.status, closed.error()), "indistinguishable");

    // A link that expires an hour after it was opened, and is then revoked: the clinician can
    // still reply the same day.
    let created = relay.create_with(json!({ "exp": START + 3_600 })).await;
    let (id, secret) = (created["id"].as_str().unwrap(), created["managementSecret"].as_str().unwrap());
    relay.advance(600);
    assert_eq!(relay.get(&format!("/shl/{id}?recipient=Dr%20Hopper")).await.status, StatusCode::OK);
    relay.advance(2 * 3_600);
    assert_eq!(relay.manage("DELETE", id, secret).await.status, StatusCode::NO_CONTENT);
    assert_eq!(
        relay.send(reply_request(id, JWE)).await.status,
        StatusCode::CREATED,
        "expired and revoked, in the window"
    );
    // A later open does not move the window: it runs from the first.
    relay.advance(DAY - 2 * 3_600 - 1);
    assert_eq!(relay.send(reply_request(id, JWE)).await.status, StatusCode::CREATED, "the last second");
    relay.advance(1);
    let late = relay.send(reply_request(id, JWE)).await;
    assert_eq!(late.status, StatusCode::NOT_FOUND);
    assert!(late.error().contains("takes no replies"), "{}", late.error());
    assert_eq!(replies(&relay, id, secret).await.json()["replies"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_window_of_its_own_length_from_the_configuration() {
    let relay = Relay::with_limits(Limits { reply_window_secs: 600, ..Limits::default() });
    let (id, _) = opened_share(&relay).await;
    relay.advance(599);
    assert_eq!(relay.send(reply_request(&id, JWE)).await.status, StatusCode::CREATED);
    relay.advance(1);
    assert_eq!(relay.send(reply_request(&id, JWE)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn replies_are_purged_after_30_days_and_free_their_bytes() {
    let relay = Relay::new();
    let (id, secret) = opened_share(&relay).await;
    assert_eq!(relay.send(reply_request(&id, JWE)).await.status, StatusCode::CREATED);
    let store = &relay.store;
    let total = || -> i64 {
        relay.db.texts("SELECT CAST(total AS TEXT) FROM stored_bytes", &[]).remove(0).unwrap().parse().unwrap()
    };
    assert_eq!(total(), 2 * JWE.len() as i64, "the share and its reply");
    store.purge_expired(START + 30 * DAY - 1, 90 * DAY).await.unwrap();
    assert_eq!(replies(&relay, &id, &secret).await.json()["replies"].as_array().unwrap().len(), 1, "kept 30 days");
    store.purge_expired(START + 30 * DAY, 90 * DAY).await.unwrap();
    assert_eq!(replies(&relay, &id, &secret).await.json()["replies"], json!([]));
    assert_eq!(total(), 0, "the share's ciphertext (expired) and the reply are gone");
}

#[tokio::test]
async fn the_byte_caps_and_the_per_share_count_cover_replies() {
    // The relay's total: a share and one reply fit, a second reply does not.
    let store = StoreLimits { max_stored_bytes: 2 * JWE.len() as u64, ..StoreLimits::default() };
    let relay = Relay::with_limits(Limits { store, ..Limits::default() });
    let (id, _) = opened_share(&relay).await;
    assert_eq!(relay.send(reply_request(&id, JWE)).await.status, StatusCode::CREATED);
    let full = relay.send(reply_request(&id, JWE)).await;
    assert_eq!(full.status, StatusCode::INSUFFICIENT_STORAGE, "{}", full.text());

    // One sender's cap (per instance).
    let relay = Relay::with_limits(Limits { max_stored_bytes_per_client: 3 * JWE.len() as u64, ..Limits::default() });
    let (id, _) = opened_share(&relay).await;
    let from = |addr: &str| {
        let mut request = reply_request(&id, JWE);
        request.extensions_mut().insert(ConnectInfo(addr.parse::<std::net::SocketAddr>().unwrap()));
        request
    };
    for _ in 0..3 {
        assert_eq!(relay.send(from("203.0.113.9:4000")).await.status, StatusCode::CREATED);
    }
    let over = relay.send(from("203.0.113.9:4001")).await;
    assert_eq!(over.status, StatusCode::INSUFFICIENT_STORAGE);
    assert!(over.error().contains("from one sender"), "{}", over.error());
    assert_eq!(relay.send(from("198.51.100.3:4000")).await.status, StatusCode::CREATED, "another sender");

    // At most 20 replies wait on one share.
    let relay = Relay::new();
    let (id, _) = opened_share(&relay).await;
    for _ in 0..20 {
        assert_eq!(relay.send(reply_request(&id, JWE)).await.status, StatusCode::CREATED);
    }
    let too_many = relay.send(reply_request(&id, JWE)).await;
    assert_eq!(too_many.status, StatusCode::CONFLICT, "a state that passes once the patient fetches them");
    assert!(too_many.error().contains("20 replies"), "{}", too_many.error());
}

#[tokio::test]
async fn oversized_malformed_and_too_frequent_replies_are_refused() {
    let relay =
        Relay::with_limits(Limits { max_reply_bytes: 4096, receiver_requests_per_minute: 4, ..Limits::default() });
    let (id, _) = opened_share(&relay).await; // one receiver request
    let big = format!("{}..aXY.{}.dGFn", "eyJh", "Q".repeat(5000));
    assert_eq!(relay.send(reply_request(&id, &big)).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    let bad = relay.send(reply_request(&id, "not a jwe")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.error().contains("compact JWE"));
    let no_body = relay
        .send(
            Request::post(format!("/shl/{id}/replies"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(no_body.status, StatusCode::BAD_REQUEST);
    // The receivers' rate limit counts replies too: 4 requests a minute, all used above.
    let limited = relay.send(reply_request(&id, JWE)).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.text());
    // A preflight from the viewer's origin is answered (and costs nothing).
    let preflight = relay
        .send(
            Request::options(format!("/shl/{id}/replies"))
                .header(header::ORIGIN, "http://127.0.0.1:8081")
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    let methods: Value = preflight.header("access-control-allow-methods").unwrap().into();
    assert!(methods.as_str().unwrap().contains("POST"));
}
