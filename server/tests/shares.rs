//! Creating, fetching, managing and revoking shares through the HTTP API.

mod common;

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use common::{DAY, JWE, Relay, START};
use health_binder_relay::Limits;
use serde_json::json;

const INACTIVE: &str = "This link is not active. It may have expired or been revoked.";

fn shl(path: &str, recipient: &str) -> String {
    format!("{path}?recipient={recipient}")
}

#[tokio::test]
async fn created_share_is_served_as_jose_to_a_recipient() {
    let relay = Relay::new();
    let created = relay.create().await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["path"], format!("/shl/{id}"));
    assert_eq!(created["exp"], START + 7 * DAY);

    let reply = relay.get(&shl(&format!("/shl/{id}"), "Dr%20Ada")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("application/jose"));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(reply.text(), JWE);
}

#[tokio::test]
async fn ids_and_secrets_are_43_base64url_chars_and_unique() {
    let relay = Relay::new();
    let (a, b) = (relay.create().await, relay.create().await);
    for value in [&a["id"], &a["managementSecret"], &b["id"], &b["managementSecret"]] {
        let token = value.as_str().unwrap();
        assert_eq!(token.len(), 43, "{token}");
        assert!(token.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'), "{token}");
    }
    assert_ne!(a["id"], b["id"]);
    assert_ne!(a["managementSecret"], b["managementSecret"]);
    assert_ne!(a["id"], a["managementSecret"]);
}

#[tokio::test]
async fn each_fetch_appears_in_the_owners_access_log() {
    let relay = Relay::new();
    let created = relay.create().await;
    let (id, secret) = (created["id"].as_str().unwrap(), created["managementSecret"].as_str().unwrap());

    let before = relay.manage("GET", id, secret).await;
    assert_eq!(before.status, StatusCode::OK);
    assert_eq!(before.json()["accessLog"], json!([]));

    relay.advance(10);
    assert_eq!(relay.get(&shl(&format!("/shl/{id}"), "%20Dr%20Ada%20")).await.status, StatusCode::OK);
    relay.advance(5);
    assert_eq!(relay.get(&shl(&format!("/shl/{id}"), "ER%20desk")).await.status, StatusCode::OK);

    let view = relay.manage("GET", id, secret).await;
    assert_eq!(view.header("cache-control"), Some("no-store"));
    assert_eq!(
        view.json(),
        json!({
            "id": id,
            "exp": START + 7 * DAY,
            "createdAt": START,
            "revokedAt": null,
            "active": true,
            "flag": "U",
            "contentType": "application/fhir+json",
            "paused": false,
            "uses": 2,
            "maxUses": null,
            "remainingAttempts": null,
            "accessLog": [
                { "at": START + 10, "recipient": "Dr Ada", "action": "fetch", "outcome": "served" },
                { "at": START + 15, "recipient": "ER desk", "action": "fetch", "outcome": "served" },
            ],
            "accessLogBefore": null,
            "accessCounts": { "served": 2, "wrongPasscode": 0, "inactive": 0 },
        })
    );
}

#[tokio::test]
async fn expired_share_is_not_served_and_shows_inactive() {
    let relay = Relay::new();
    let created = relay.create().await;
    let (id, secret) = (created["id"].as_str().unwrap(), created["managementSecret"].as_str().unwrap());

    relay.advance(7 * DAY - 1);
    assert_eq!(relay.get(&shl(&format!("/shl/{id}"), "a")).await.status, StatusCode::OK);
    relay.advance(1);
    let reply = relay.get(&shl(&format!("/shl/{id}"), "b")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.error(), INACTIVE);

    let view = relay.manage("GET", id, secret).await.json();
    assert_eq!(view["active"], false);
    assert_eq!(
        view["accessLog"],
        json!([
            { "at": START + 7 * DAY - 1, "recipient": "a", "action": "fetch", "outcome": "served" },
            { "at": START + 7 * DAY, "recipient": "b", "action": "fetch", "outcome": "inactive" },
        ]),
        "the refused fetch is logged as refused, not as served"
    );
}

#[tokio::test]
async fn unknown_and_malformed_ids_get_the_same_inactive_answer() {
    let relay = Relay::new();
    for path in ["/shl/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/shl/short"] {
        let reply = relay.get(&shl(path, "Dr%20Ada")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(reply.error(), INACTIVE);
    }
}

#[tokio::test]
async fn revoked_share_is_no_longer_served() {
    let relay = Relay::new();
    let created = relay.create().await;
    let (id, secret) = (created["id"].as_str().unwrap(), created["managementSecret"].as_str().unwrap());

    relay.advance(30);
    let revoked = relay.manage("DELETE", id, secret).await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert!(revoked.body.is_empty());

    let reply = relay.get(&shl(&format!("/shl/{id}"), "Dr%20Ada")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.error(), INACTIVE);

    let view = relay.manage("GET", id, secret).await.json();
    assert_eq!(view["active"], false);
    assert_eq!(view["revokedAt"], START + 30);

    relay.advance(30);
    assert_eq!(relay.manage("DELETE", id, secret).await.status, StatusCode::NO_CONTENT);
    assert_eq!(relay.manage("GET", id, secret).await.json()["revokedAt"], START + 30, "first revocation time kept");
}

#[tokio::test]
async fn wrong_or_missing_secret_looks_like_an_unknown_share() {
    let relay = Relay::new();
    let created = relay.create().await;
    let id = created["id"].as_str().unwrap();
    let other = relay.create().await;
    let others_secret = other["managementSecret"].as_str().unwrap();

    for method in ["GET", "DELETE"] {
        let wrong = relay.manage(method, id, others_secret).await;
        assert_eq!(wrong.status, StatusCode::NOT_FOUND, "{method}");
        assert!(wrong.header("www-authenticate").is_none());
        let missing = relay
            .send(Request::builder().method(method).uri(format!("/api/shares/{id}")).body(Body::empty()).unwrap())
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{method}");
        let unknown = relay.manage(method, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", others_secret).await;
        assert_eq!(unknown.error(), wrong.error(), "unknown id and wrong secret must be indistinguishable");
    }
    // The failed DELETE did not revoke it.
    assert_eq!(relay.get(&shl(&format!("/shl/{id}"), "x")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn recipient_is_required_and_bounded() {
    let relay = Relay::new();
    let id = relay.create().await["id"].as_str().unwrap().to_owned();
    let long = "a".repeat(201);
    for query in ["", "?recipient=", "?recipient=%20%20", "?other=1", &format!("?recipient={long}"), "?recipient=a%0Ab"]
    {
        let reply = relay.get(&format!("/shl/{id}{query}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(reply.error().contains("recipient"), "{}", reply.text());
    }
    let at_limit = "é".repeat(200);
    assert_eq!(relay.get(&format!("/shl/{id}?recipient={at_limit}")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn expiry_must_be_between_a_minute_and_the_max_ttl() {
    let relay = Relay::new();
    for exp in [START - 1, START + 60, START + 31 * DAY + 1] {
        let reply = relay.post_json(&json!({ "jwe": JWE, "exp": exp })).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{exp}");
        assert_eq!(reply.error(), "expiry must be between 1 minute and 31 days from now");
    }
    for exp in [START + 61, START + 31 * DAY] {
        let reply = relay.post_json(&json!({ "jwe": JWE, "exp": exp })).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{exp}");
    }
}

#[tokio::test]
async fn the_limits_say_how_long_a_share_may_last_by_the_relays_clock() {
    let relay = Relay::with_limits(Limits { max_ttl_secs: 90 * DAY, ..Limits::default() });
    relay.advance(3_600);
    let reply = relay.get("/api/limits").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let limits = reply.json();
    assert_eq!((limits["maxTtlSecs"].as_i64(), limits["now"].as_i64()), (Some(90 * DAY), Some(START + 3_600)));
    // Asking for exactly that much works (what the app does for a wallet card's link).
    let exp = START + 3_600 + 90 * DAY;
    let reply = relay.post_json(&json!({ "jwe": JWE, "exp": exp })).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let reply = relay.post_json(&json!({ "jwe": JWE, "exp": exp + 1 })).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bad_bodies_are_400_with_a_json_message() {
    let relay = Relay::new();
    let cases = [
        "{not json",
        "[]",
        r#"{"jwe": "a.b.c.d.e"}"#,
        r#"{"jwe": 5, "exp": 1750086400}"#,
        r#"{"jwe": "a.b.c.d.e", "exp": "soon"}"#,
    ];
    for body in cases {
        let reply = relay
            .send(
                Request::post("/api/shares")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert!(!reply.error().is_empty());
    }
    for jwe in ["not-a-jwe", "a.b.c.d", "a..c..e", "a.b.c.d.e.f", "a.b.c+/.d.e", "a.b.c=.d.e"] {
        let reply = relay.post_json(&json!({ "jwe": jwe, "exp": START + DAY })).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{jwe}");
        assert!(reply.error().contains("compact JWE"), "{}", reply.text());
    }
}

fn oversized_body(limit: usize) -> String {
    let padding = "A".repeat(limit);
    json!({ "jwe": format!("aGRy..aXY.{padding}.dGFn"), "exp": START + DAY }).to_string()
}

#[tokio::test]
async fn upload_over_the_limit_is_413_whether_or_not_its_length_is_declared() {
    let relay = Relay::new();
    let body = oversized_body(1_048_576);

    let declared = relay
        .send(
            Request::post("/api/shares")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::CONTENT_LENGTH, body.len())
                .body(Body::from(body.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(declared.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(declared.error().contains("larger"));

    let chunks: Vec<Result<Bytes, std::io::Error>> =
        body.as_bytes().chunks(64 * 1024).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    let chunked = relay
        .send(
            Request::post("/api/shares")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from_stream(futures_util::stream::iter(chunks)))
                .unwrap(),
        )
        .await;
    assert_eq!(chunked.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(chunked.error().contains("larger"));
}

#[tokio::test]
async fn upload_limit_is_configurable_and_a_share_just_under_it_is_accepted() {
    let relay = Relay::with_limits(Limits { max_upload_bytes: 4096, ..Limits::default() });
    let small = json!({ "jwe": format!("aGRy..aXY.{}.dGFn", "A".repeat(3000)), "exp": START + DAY });
    assert_eq!(relay.post_json(&small).await.status, StatusCode::CREATED);
    assert_eq!(
        relay.post_json(&serde_json::from_str(&oversized_body(4096)).unwrap()).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
}
