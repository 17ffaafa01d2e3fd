//! SMART Health Link options: manifests, passcodes, use limits, pausing, location URLs and
//! the one 404 every inactive link answers.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{DAY, JWE, Relay, START, fast_passcodes, manifest_request, send};
use serde_json::{Value, json};

const INACTIVE: &str = "This link is not active. It may have expired or been revoked.";
const PASSCODE: &str = "correct horse 42";

fn id_secret(created: &Value) -> (String, String) {
    (created["id"].as_str().unwrap().to_owned(), created["managementSecret"].as_str().unwrap().to_owned())
}

fn fetch_uri(id: &str) -> String {
    format!("/shl/{id}?recipient=Dr%20Ada")
}

fn assert_inactive(reply: &common::Reply, case: &str) {
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{case}: {}", reply.text());
    assert_eq!(reply.json(), json!({ "error": INACTIVE }), "{case}");
}

#[tokio::test]
async fn every_inactive_link_answers_the_same_404() {
    let relay = Relay::with_limits(fast_passcodes());
    let reader = json!({ "recipient": "Dr Ada" });

    let expired = relay.create_with(json!({ "exp": START + 120 })).await;
    let revoked = id_secret(&relay.create().await);
    assert_eq!(relay.manage("DELETE", &revoked.0, &revoked.1).await.status, StatusCode::NO_CONTENT);
    let paused = id_secret(&relay.create().await);
    assert_eq!(relay.manage_action("pause", &paused.0, &paused.1).await.status, StatusCode::NO_CONTENT);
    let exhausted = id_secret(&relay.create_with(json!({ "maxUses": 1 })).await);
    assert_eq!(relay.get(&fetch_uri(&exhausted.0)).await.status, StatusCode::OK);
    let locked =
        id_secret(&relay.create_with(json!({ "flag": "P", "passcode": PASSCODE, "passcodeAttempts": 1 })).await);
    let wrong = relay.manifest(&locked.0, &json!({ "recipient": "x", "passcode": "nope" })).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json()["remainingAttempts"], 0);
    relay.advance(120);

    let cases = [
        ("expired", expired["id"].as_str().unwrap().to_owned()),
        ("revoked", revoked.0),
        ("paused", paused.0),
        ("exhausted", exhausted.0),
        ("unknown", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_owned()),
    ];
    for (case, id) in &cases {
        assert_inactive(&relay.get(&fetch_uri(id)).await, case);
        assert_inactive(&relay.manifest(id, &reader).await, case);
    }
    // Locked: even the right passcode no longer opens it.
    assert_inactive(&relay.manifest(&locked.0, &json!({ "recipient": "x", "passcode": PASSCODE })).await, "locked");
    assert_inactive(&relay.get(&fetch_uri(&locked.0)).await, "locked (GET)");
}

#[tokio::test]
async fn pausing_stops_a_link_and_resuming_re_arms_it() {
    let relay = Relay::new();
    let (id, secret) = id_secret(&relay.create().await);
    assert_eq!(relay.manage_action("pause", &id, &secret).await.status, StatusCode::NO_CONTENT);
    assert_inactive(&relay.get(&fetch_uri(&id)).await, "paused");
    let view = relay.manage("GET", &id, &secret).await.json();
    assert_eq!(view["paused"], true);
    assert_eq!(view["active"], false);

    let resumed = relay.manage_action("resume", &id, &secret).await;
    assert_eq!(resumed.status, StatusCode::NO_CONTENT);
    assert!(resumed.body.is_empty());
    let reply = relay.get(&fetch_uri(&id)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.text(), JWE);
    let view = relay.manage("GET", &id, &secret).await.json();
    assert_eq!(view["paused"], false);
    assert_eq!(view["active"], true);

    // Resuming cannot bring back a revoked link.
    relay.manage("DELETE", &id, &secret).await;
    assert_eq!(relay.manage_action("resume", &id, &secret).await.status, StatusCode::NO_CONTENT);
    assert_inactive(&relay.get(&fetch_uri(&id)).await, "revoked then resumed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_wrong_passcodes_spend_exactly_the_budget_of_ten() {
    let relay = Relay::with_limits(fast_passcodes());
    let (id, secret) =
        id_secret(&relay.create_with(json!({ "flag": "P", "passcode": PASSCODE, "passcodeAttempts": 10 })).await);

    let guesses = (0..50).map(|n| {
        let router = relay.router.clone();
        let request =
            manifest_request(&id, &json!({ "recipient": format!("guesser {n}"), "passcode": format!("guess {n}") }));
        tokio::spawn(async move { send(&router, request).await })
    });
    let replies = futures_util::future::join_all(guesses).await;

    let mut remaining = Vec::new();
    let mut not_found = 0;
    for reply in replies {
        let reply = reply.unwrap();
        match reply.status {
            StatusCode::UNAUTHORIZED => {
                remaining.push(reply.json()["remainingAttempts"].as_u64().unwrap());
            }
            StatusCode::NOT_FOUND => {
                assert_eq!(reply.error(), INACTIVE);
                not_found += 1;
            }
            other => panic!("unexpected {other}: {}", reply.text()),
        }
    }
    remaining.sort_unstable();
    assert_eq!(remaining, (0..10).collect::<Vec<u64>>(), "exactly ten 401s");
    assert_eq!(not_found, 40);

    assert_inactive(
        &relay.manifest(&id, &json!({ "recipient": "owner", "passcode": PASSCODE })).await,
        "locked after the budget is spent",
    );
    let view = relay.manage("GET", &id, &secret).await.json();
    assert_eq!(view["remainingAttempts"], 0);
    assert_eq!(view["active"], false);
    let outcomes: Vec<&str> =
        view["accessLog"].as_array().unwrap().iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes.iter().filter(|o| **o == "wrong-passcode").count(), 10);
    assert_eq!(outcomes.iter().filter(|o| **o == "inactive").count(), 41);
}

#[tokio::test]
async fn the_right_passcode_opens_the_manifest_and_gives_its_attempt_back() {
    let relay = Relay::with_limits(fast_passcodes());
    let (id, secret) =
        id_secret(&relay.create_with(json!({ "flag": "P", "passcode": PASSCODE, "passcodeAttempts": 3 })).await);
    let wrong = relay.manifest(&id, &json!({ "recipient": "Dr Ada", "passcode": "correct horse 43" })).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json()["remainingAttempts"], 2);
    let missing = relay.manifest(&id, &json!({ "recipient": "Dr Ada" })).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.json()["remainingAttempts"], 1);

    let right = relay.manifest(&id, &json!({ "recipient": "Dr Ada", "passcode": PASSCODE })).await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.text());
    assert_eq!(right.header("content-type"), Some("application/json"));
    assert_eq!(right.json(), json!({ "files": [{ "contentType": "application/fhir+json", "embedded": JWE }] }));
    let view = relay.manage("GET", &id, &secret).await.json();
    assert_eq!(view["remainingAttempts"], 1, "the right passcode costs nothing");
    assert_eq!(view["uses"], 1);
    assert_eq!(view["flag"], "P");
}

#[tokio::test]
async fn embedded_length_max_chooses_between_embedding_and_a_location_url() {
    let relay = Relay::new();
    let (id, secret) = id_secret(&relay.create_with(json!({ "flag": "" })).await);

    let roomy = relay.manifest(&id, &json!({ "recipient": "Dr Ada", "embeddedLengthMax": JWE.len() })).await;
    assert_eq!(roomy.status, StatusCode::OK);
    assert_eq!(roomy.json()["files"][0]["embedded"], JWE);
    assert!(roomy.json()["files"][0].get("location").is_none());

    let tight = relay.manifest(&id, &json!({ "recipient": "Dr Ada", "embeddedLengthMax": JWE.len() - 1 })).await;
    assert_eq!(tight.status, StatusCode::OK);
    let file = &tight.json()["files"][0];
    assert_eq!(file["contentType"], "application/fhir+json");
    assert!(file.get("embedded").is_none());
    let location = file["location"].as_str().unwrap();
    let prefix = format!("http://relay.test/shl/{id}/file/");
    assert!(location.starts_with(&prefix), "{location}");
    let token = &location[prefix.len()..];
    assert_eq!(token.len(), 43, "256-bit token: {token}");

    // No authentication, no recipient: the URL alone is the capability.
    let fetched = relay.get(&location["http://relay.test".len()..]).await;
    assert_eq!(fetched.status, StatusCode::OK);
    assert_eq!(fetched.header("content-type"), Some("application/jose"));
    assert_eq!(fetched.text(), JWE);

    let view = relay.manage("GET", &id, &secret).await.json();
    assert_eq!(view["uses"], 2, "two manifests; the location fetch is not another open");
    let actions: Vec<(&str, &str)> = view["accessLog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(actions, [("manifest", "served"), ("manifest", "served"), ("location", "served")]);

    // Another token for the same link, or a token under another id, is refused.
    let other = relay.create_with(json!({ "flag": "" })).await;
    let other_id = other["id"].as_str().unwrap();
    assert_inactive(&relay.get(&format!("/shl/{other_id}/file/{token}")).await, "token under another id");
    assert_inactive(&relay.get(&format!("/shl/{id}/file/{}", "B".repeat(43))).await, "unknown token");
}

#[tokio::test]
async fn location_urls_use_the_public_url_when_configured() {
    let relay = Relay::custom(health_binder_relay::Limits::default(), |state| {
        state.with_public_url(Some("https://relay.example/hb/".to_owned()))
    });
    let id = relay.create().await["id"].as_str().unwrap().to_owned();
    let reply = relay.manifest(&id, &json!({ "recipient": "Dr Ada", "embeddedLengthMax": 10 })).await;
    let location = reply.json()["files"][0]["location"].as_str().unwrap().to_owned();
    assert!(location.starts_with(&format!("https://relay.example/hb/shl/{id}/file/")), "{location}");
}

#[tokio::test]
async fn a_location_url_dies_after_an_hour_or_with_its_share() {
    let relay = Relay::new();
    let id = relay.create_with(json!({ "flag": "" })).await["id"].as_str().unwrap().to_owned();
    let location = |reply: common::Reply| {
        let url = reply.json()["files"][0]["location"].as_str().unwrap().to_owned();
        url["http://relay.test".len()..].to_owned()
    };
    let path = location(relay.manifest(&id, &json!({ "recipient": "Dr Ada", "embeddedLengthMax": 0 })).await);
    relay.advance(3_599);
    assert_eq!(relay.get(&path).await.status, StatusCode::OK);
    relay.advance(1);
    assert_inactive(&relay.get(&path).await, "location after one hour");
    // The link itself is still live and hands out a fresh URL.
    assert_eq!(
        relay.manifest(&id, &json!({ "recipient": "Dr Ada", "embeddedLengthMax": 0 })).await.status,
        StatusCode::OK
    );

    // A share expiring sooner takes its location URLs with it.
    let short = relay.create_with(json!({ "flag": "", "exp": START + 3_600 + 600 })).await;
    let short_id = short["id"].as_str().unwrap();
    let path = location(relay.manifest(short_id, &json!({ "recipient": "x", "embeddedLengthMax": 0 })).await);
    relay.advance(599);
    assert_eq!(relay.get(&path).await.status, StatusCode::OK);
    relay.advance(1);
    assert_inactive(&relay.get(&path).await, "location after the share expired");
}

#[tokio::test]
async fn max_uses_counts_a_manifest_and_its_location_fetch_as_one_open() {
    let relay = Relay::new();
    let (id, secret) = id_secret(&relay.create_with(json!({ "flag": "", "maxUses": 1 })).await);
    let reply = relay.manifest(&id, &json!({ "recipient": "Dr Ada", "embeddedLengthMax": 1 })).await;
    assert_eq!(reply.status, StatusCode::OK);
    let url = reply.json()["files"][0]["location"].as_str().unwrap().to_owned();
    let fetched = relay.get(&url["http://relay.test".len()..]).await;
    assert_eq!(fetched.status, StatusCode::OK, "the one open includes its file");
    assert_eq!(fetched.text(), JWE);
    assert_inactive(&relay.manifest(&id, &json!({ "recipient": "Dr Bo" })).await, "second open");
    let view = relay.manage("GET", &id, &secret).await.json();
    assert_eq!(view["uses"], 1);
    assert_eq!(view["maxUses"], 1);
    assert_eq!(view["active"], false);

    let direct = id_secret(&relay.create_with(json!({ "maxUses": 2 })).await);
    for _ in 0..2 {
        assert_eq!(relay.get(&fetch_uri(&direct.0)).await.status, StatusCode::OK);
    }
    assert_inactive(&relay.get(&fetch_uri(&direct.0)).await, "third U fetch");
}

#[tokio::test]
async fn direct_fetch_is_only_for_u_links_and_u_links_also_answer_manifests() {
    let relay = Relay::with_limits(fast_passcodes());
    for flag in ["", "P"] {
        let created = relay
            .create_with(if flag == "P" { json!({ "flag": "P", "passcode": PASSCODE }) } else { json!({ "flag": "" }) })
            .await;
        let id = created["id"].as_str().unwrap();
        assert_inactive(&relay.get(&fetch_uri(id)).await, "GET on a manifest link");
    }
    let plain = relay.create_with(json!({ "flag": "" })).await;
    let reply = relay.manifest(plain["id"].as_str().unwrap(), &json!({ "recipient": "Dr Ada" })).await;
    assert_eq!(reply.json()["files"][0]["embedded"], JWE);

    let u = relay.create().await;
    let reply = relay.manifest(u["id"].as_str().unwrap(), &json!({ "recipient": "Dr Ada" })).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["files"][0]["embedded"], JWE);
}

#[tokio::test]
async fn recipient_is_required_when_asking_for_a_manifest() {
    let relay = Relay::new();
    let id = relay.create_with(json!({ "flag": "" })).await["id"].as_str().unwrap().to_owned();
    for body in [json!({}), json!({ "recipient": "  " }), json!({ "recipient": "a\u{7}b" })] {
        let reply = relay.manifest(&id, &body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert!(reply.error().contains("recipient"), "{}", reply.text());
    }
    let not_json = relay.send(Request::post(format!("/shl/{id}")).body(Body::from("recipient=x")).unwrap()).await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    assert!(not_json.error().contains("Content-Type"));
}

#[tokio::test]
async fn share_options_are_validated_with_clear_messages() {
    let relay = Relay::with_limits(fast_passcodes());
    let cases = [
        (json!({ "flag": "UP", "passcode": "1234" }), "flag"),
        (json!({ "flag": "L" }), "flag"),
        (json!({ "flag": "P" }), "passcode is required"),
        (json!({ "flag": "P", "passcode": "" }), "passcode must not be empty"),
        (json!({ "passcode": "1234" }), "only allowed with flag"),
        (json!({ "flag": "", "passcodeAttempts": 3 }), "passcodeAttempts"),
        (json!({ "flag": "P", "passcode": "1234", "passcodeAttempts": 0 }), "between 1 and 100"),
        (json!({ "flag": "P", "passcode": "1234", "passcodeAttempts": 101 }), "between 1 and 100"),
        (json!({ "maxUses": 0 }), "maxUses"),
        (json!({ "contentType": "text/html" }), "contentType"),
        (json!({ "maxUses": "two" }), "maxUses"),
    ];
    for (options, expected) in cases {
        let mut body = json!({ "jwe": JWE, "exp": START + DAY });
        for (key, value) in options.as_object().unwrap() {
            body[key] = value.clone();
        }
        let reply = relay.post_json(&body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{options}");
        assert!(reply.error().contains(expected), "{options}: {}", reply.error());
    }
    let ok = relay
        .create_with(json!({
            "flag": "P", "passcode": "1234", "passcodeAttempts": 100, "maxUses": 5,
            "contentType": "application/smart-health-card"
        }))
        .await;
    let view = relay.manage("GET", ok["id"].as_str().unwrap(), ok["managementSecret"].as_str().unwrap()).await.json();
    assert_eq!(view["remainingAttempts"], 100);
    assert_eq!(view["maxUses"], 5);
    assert_eq!(view["contentType"], "application/smart-health-card");
    let reply = relay.manifest(ok["id"].as_str().unwrap(), &json!({ "recipient": "x", "passcode": "1234" })).await;
    assert_eq!(reply.json()["files"][0]["contentType"], "application/smart-health-card");
}

#[tokio::test]
async fn a_wrong_management_secret_is_404_for_every_management_action() {
    let relay = Relay::new();
    let (id, _) = id_secret(&relay.create().await);
    let (_, other_secret) = id_secret(&relay.create().await);
    for (method, action) in [("GET", ""), ("DELETE", ""), ("POST", "pause"), ("POST", "resume")] {
        let reply = if action.is_empty() {
            relay.manage(method, &id, &other_secret).await
        } else {
            relay.manage_action(action, &id, &other_secret).await
        };
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {action}");
        assert_eq!(reply.error(), "Share not found.");
        assert!(reply.header("www-authenticate").is_none());
    }
    assert_eq!(relay.get(&fetch_uri(&id)).await.status, StatusCode::OK, "nothing changed");
}

#[tokio::test]
async fn the_access_log_tells_the_owner_what_happened_and_the_passcode_is_never_stored() {
    // Real Argon2 parameters here, as in production.
    let relay = Relay::new();
    let (id, secret) =
        id_secret(&relay.create_with(json!({ "flag": "P", "passcode": PASSCODE, "passcodeAttempts": 5 })).await);
    relay.advance(1);
    let wrong = relay.manifest(&id, &json!({ "recipient": "Mallory", "passcode": "guess" })).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    relay.advance(1);
    let right =
        relay.manifest(&id, &json!({ "recipient": "Dr Ada", "passcode": PASSCODE, "embeddedLengthMax": 5 })).await;
    assert_eq!(right.status, StatusCode::OK);
    let url = right.json()["files"][0]["location"].as_str().unwrap().to_owned();
    relay.advance(1);
    assert_eq!(relay.get(&url["http://relay.test".len()..]).await.status, StatusCode::OK);
    relay.manage_action("pause", &id, &secret).await;
    relay.advance(1);
    assert_inactive(&relay.manifest(&id, &json!({ "recipient": "Dr Bo", "passcode": PASSCODE })).await, "paused");

    let view = relay.manage("GET", &id, &secret).await.json();
    assert_eq!(
        view["accessLog"],
        json!([
            { "at": START + 1, "recipient": "Mallory", "action": "manifest", "outcome": "wrong-passcode" },
            { "at": START + 2, "recipient": "Dr Ada", "action": "manifest", "outcome": "served" },
            { "at": START + 3, "recipient": "Dr Ada", "action": "location", "outcome": "served" },
            { "at": START + 4, "recipient": "Dr Bo", "action": "manifest", "outcome": "inactive" },
        ])
    );
    assert_eq!(view["remainingAttempts"], 4);

    // Neither the passcode nor the guess is anywhere in the database.
    let mut checked = 0;
    if relay.db.is_postgres() {
        for table in ["shares", "access_log", "location_tokens", "rate_windows"] {
            for row in relay.db.texts(&format!("SELECT CAST(t AS TEXT) FROM {table} t"), &[]) {
                let row = row.unwrap();
                for secret in [PASSCODE, "guess"] {
                    assert!(!row.contains(secret), "{secret:?} found in {table}");
                }
                checked += 1;
            }
        }
    } else {
        for entry in std::fs::read_dir(relay.dir.path()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.starts_with("relay.sqlite3") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            for secret in [PASSCODE, "guess"] {
                assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "{secret:?} found in {name}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 1);
    let stored = relay.db.texts("SELECT passcode_hash FROM shares WHERE id = $1", &[&id]).remove(0).unwrap();
    assert!(stored.starts_with("argon2id$m=19456,t=2,p=1$"), "{stored}");
}

#[tokio::test]
async fn cors_is_open_on_receiver_endpoints_only() {
    let relay = Relay::new();
    let created = relay.create_with(json!({ "flag": "" })).await;
    let (id, secret) = id_secret(&created);
    let origin = "https://viewer.example";

    let mut post = manifest_request(&id, &json!({ "recipient": "v", "embeddedLengthMax": 0 }));
    post.headers_mut().insert(header::ORIGIN, origin.parse().unwrap());
    let post = relay.send(post).await;
    assert_eq!(post.status, StatusCode::OK);
    assert_eq!(post.header("access-control-allow-origin"), Some("*"));
    let url = post.json()["files"][0]["location"].as_str().unwrap().to_owned();

    let file = relay
        .send(
            Request::get(&url["http://relay.test".len()..]).header(header::ORIGIN, origin).body(Body::empty()).unwrap(),
        )
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.header("access-control-allow-origin"), Some("*"));

    let preflight = relay
        .send(
            Request::options(format!("/shl/{id}"))
                .header(header::ORIGIN, origin)
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    assert!(preflight.header("access-control-allow-methods").unwrap().contains("POST"));
    assert!(preflight.header("access-control-allow-headers").unwrap().to_ascii_lowercase().contains("content-type"));

    for (method, uri) in [
        ("GET", format!("/api/shares/{id}")),
        ("POST", format!("/api/shares/{id}/pause")),
        ("GET", "/api/openapi.json".to_owned()),
        ("GET", "/metrics".to_owned()),
    ] {
        let reply = relay
            .send(
                Request::builder()
                    .method(method)
                    .uri(&uri)
                    .header(header::ORIGIN, origin)
                    .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(reply.status.is_success(), "{uri}: {}", reply.status);
        assert!(reply.header("access-control-allow-origin").is_none(), "{uri}");
    }
    let api_preflight = relay
        .send(
            Request::options(format!("/api/shares/{id}"))
                .header(header::ORIGIN, origin)
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "DELETE")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(api_preflight.header("access-control-allow-origin").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_passcode_check_does_not_hold_up_other_links() {
    // A deliberately slow hash (about a second) so the overlap is unmistakable.
    let relay = Relay::with_limits(health_binder_relay::Limits {
        kdf: health_binder_relay::passcode::PasscodeKdf { memory_kib: 65_536, passes: 8 },
        ..fast_passcodes()
    });
    let (id, secret) = id_secret(&relay.create_with(json!({ "flag": "P", "passcode": PASSCODE })).await);
    let other = relay.create().await["id"].as_str().unwrap().to_owned();

    let router = relay.router.clone();
    let request = manifest_request(&id, &json!({ "recipient": "x", "passcode": "wrong" }));
    let guess = tokio::spawn(async move { send(&router, request).await });
    // Wait until the attempt is reserved: the hash is being computed now.
    loop {
        let view = relay.manage("GET", &id, &secret).await.json();
        if view["remainingAttempts"] == 9 {
            break;
        }
        tokio::task::yield_now().await;
    }
    let fetched = relay.get(&fetch_uri(&other)).await;
    assert_eq!(fetched.status, StatusCode::OK);
    assert!(!guess.is_finished(), "another link was served while the passcode was still being checked");
    assert_eq!(guess.await.unwrap().status, StatusCode::UNAUTHORIZED);
}
