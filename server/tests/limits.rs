//! Rate limits, metrics and the OpenAPI document.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use common::{JWE, Relay, START, fast_passcodes, manifest_request};
use health_binder_relay::{Limits, ROUTES};
use serde_json::{Value, json};

fn create_from(addr: &str, forwarded_for: Option<&str>) -> Request<Body> {
    let mut request = Request::post("/api/shares").header(header::CONTENT_TYPE, "application/json");
    if let Some(forwarded) = forwarded_for {
        request = request.header("x-forwarded-for", forwarded);
    }
    let mut request = request.body(Body::from(json!({ "jwe": JWE, "exp": START + 3_600 }).to_string())).unwrap();
    let peer: SocketAddr = addr.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

#[tokio::test]
async fn too_many_creations_from_one_address_get_429_with_retry_after() {
    let relay = Relay::with_limits(Limits { creates_per_minute: 2, ..Limits::default() });
    for _ in 0..2 {
        let reply = relay.send(create_from("203.0.113.7:5000", None)).await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let refused = relay.send(create_from("203.0.113.7:5001", None)).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(refused.error().contains("Too many requests"), "{}", refused.text());

    // Another address has its own allowance.
    let other = relay.send(create_from("198.51.100.1:5000", None)).await;
    assert_eq!(other.status, StatusCode::CREATED);
    // X-Forwarded-For is ignored unless the relay is told to trust it.
    let spoofed = relay.send(create_from("203.0.113.7:5002", Some("192.0.2.99"))).await;
    assert_eq!(spoofed.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_key() {
    let relay = Relay::custom(Limits { creates_per_minute: 1, ..Limits::default() }, |state| {
        state.with_trust_forwarded_for(true)
    });
    // One proxy that appends the address it saw: the rightmost entry is its word.
    let proxy = "10.0.0.1:40000";
    let first = relay.send(create_from(proxy, Some("192.0.2.1"))).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let second = relay.send(create_from(proxy, Some("192.0.2.2"))).await;
    assert_eq!(second.status, StatusCode::CREATED, "a different client");
    // The client writes whatever it likes to the left of what the proxy appends: a new
    // leftmost address per request must not make it a new client.
    for spoofed in ["198.51.100.1, 192.0.2.1", "198.51.100.2, 192.0.2.1"] {
        let again = relay.send(create_from(proxy, Some(spoofed))).await;
        assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS, "{spoofed}");
    }
}

#[tokio::test]
async fn with_two_trusted_proxies_the_client_is_two_entries_from_the_right() {
    let relay = Relay::custom(Limits { creates_per_minute: 1, ..Limits::default() }, |state| {
        state.with_trust_forwarded_for(true).with_trusted_proxy_hops(2)
    });
    // A CDN saw the client 192.0.2.1 and appended it; the load balancer appended the CDN.
    let balancer = "10.0.0.1:40000";
    let first = relay.send(create_from(balancer, Some("198.51.100.1, 192.0.2.1, 203.0.113.9"))).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let via_other_edge = relay.send(create_from(balancer, Some("198.51.100.2, 192.0.2.1, 203.0.113.10"))).await;
    assert_eq!(via_other_edge.status, StatusCode::TOO_MANY_REQUESTS, "the same client through another CDN node");
    let other_client = relay.send(create_from(balancer, Some("192.0.2.2, 203.0.113.9"))).await;
    assert_eq!(other_client.status, StatusCode::CREATED);
}

#[tokio::test]
async fn passcode_guesses_are_rate_limited_before_they_spend_the_budget() {
    let relay = Relay::with_limits(Limits { passcode_attempts_per_minute: 2, ..fast_passcodes() });
    let created = relay.create_with(json!({ "flag": "P", "passcode": "right", "passcodeAttempts": 10 })).await;
    let (id, secret) = (created["id"].as_str().unwrap(), created["managementSecret"].as_str().unwrap());
    let guess = json!({ "recipient": "x", "passcode": "wrong" });
    for left in [9, 8] {
        let reply = relay.manifest(id, &guess).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.json()["remainingAttempts"], left);
    }
    let limited = relay.manifest(id, &guess).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.header("retry-after").is_some());
    let limited_right = relay.manifest(id, &json!({ "recipient": "x", "passcode": "right" })).await;
    assert_eq!(limited_right.status, StatusCode::TOO_MANY_REQUESTS);
    let view = relay.manage("GET", id, secret).await.json();
    assert_eq!(view["remainingAttempts"], 8, "refused guesses cost nothing");
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_live_shares() {
    let relay = Relay::new();
    let a = relay.create().await;
    let b = relay.create().await;
    let a_id = a["id"].as_str().unwrap();
    assert_eq!(relay.get(&format!("/shl/{a_id}?recipient=x")).await.status, StatusCode::OK);
    relay.get("/shl/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA?recipient=x").await;
    relay.manage("DELETE", b["id"].as_str().unwrap(), b["managementSecret"].as_str().unwrap()).await;

    let reply = relay.get("/metrics").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.header("content-type").unwrap().starts_with("text/plain"), "{:?}", reply.header("content-type"));
    let text = reply.text();
    for line in [
        "# TYPE health_binder_http_requests_total counter",
        "health_binder_http_requests_total{route=\"/api/shares\",method=\"POST\",status=\"2xx\"} 2",
        "health_binder_http_requests_total{route=\"/shl/{id}\",method=\"GET\",status=\"2xx\"} 1",
        "health_binder_http_requests_total{route=\"/shl/{id}\",method=\"GET\",status=\"4xx\"} 1",
        "health_binder_http_requests_total{route=\"/api/shares/{id}\",method=\"DELETE\",status=\"2xx\"} 1",
        "# TYPE health_binder_http_request_duration_seconds histogram",
        "health_binder_http_request_duration_seconds_bucket{route=\"/shl/{id}\",le=\"+Inf\"} 2",
        "health_binder_http_request_duration_seconds_count{route=\"/shl/{id}\"} 2",
        "# TYPE health_binder_live_shares gauge",
        "health_binder_live_shares 1",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
    assert!(!text.contains(a_id), "ids never become labels");
    // Every sample line is `name{labels} value` or `name value` with a numeric value.
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let value = line.rsplit(' ').next().unwrap();
        assert!(value.parse::<f64>().is_ok(), "{line}");
    }
}

fn documented_operations(doc: &Value) -> Vec<(String, String)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "delete", "patch", "options", "head"].contains(&method.as_str()) {
                ops.push((method.to_ascii_uppercase(), path.clone()));
            }
        }
    }
    ops.sort();
    ops
}

#[tokio::test]
async fn the_openapi_document_describes_exactly_the_served_routes() {
    let relay = Relay::with_limits(fast_passcodes());
    let reply = relay.get("/api/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let doc = reply.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));

    let mut routes: Vec<(String, String)> = ROUTES.iter().map(|(m, p)| ((*m).to_owned(), (*p).to_owned())).collect();
    routes.sort();
    assert_eq!(documented_operations(&doc), routes);

    // Every operation has responses, and every $ref resolves.
    for (method, path) in &routes {
        let op = &doc["paths"][path][method.to_ascii_lowercase()];
        assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()), "{method} {path} has no responses");
    }
    let text = doc.to_string();
    for piece in text.split("\"$ref\":\"#/").skip(1) {
        let pointer = &piece[..piece.find('"').unwrap()];
        assert!(doc.pointer(&format!("/{pointer}")).is_some(), "dangling $ref #/{pointer}");
    }

    // Every listed route is really served: called properly, none falls through to the
    // router's 404 or 405.
    let created = relay.create_with(json!({ "flag": "" })).await;
    let (id, secret) =
        (created["id"].as_str().unwrap().to_owned(), created["managementSecret"].as_str().unwrap().to_owned());
    let manifest = relay.manifest(&id, &json!({ "recipient": "x", "embeddedLengthMax": 0 })).await.json();
    let location = manifest["files"][0]["location"].as_str().unwrap().to_owned();
    let token = location.rsplit('/').next().unwrap().to_owned();
    let u = relay.create().await["id"].as_str().unwrap().to_owned();
    let posted = relay.send(common::reply_request(&id, JWE)).await;
    assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.text());
    let reply = posted.json()["id"].as_str().unwrap().to_owned();
    // Ordered so that DELETE (revoke) comes last.
    let mut ordered = routes.clone();
    ordered.sort_by_key(|(m, _)| m == "DELETE");
    for (method, path) in ordered {
        let uri = path
            .replace("{token}", &token)
            .replace("{reply}", &reply)
            .replace("{id}", if path == "/shl/{id}" && method == "GET" { &u } else { &id });
        let request = match (method.as_str(), path.as_str()) {
            ("POST", "/api/shares") => Request::post(&uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json!({ "jwe": JWE, "exp": START + 3_600 }).to_string()))
                .unwrap(),
            ("POST", "/shl/{id}") => manifest_request(&id, &json!({ "recipient": "x" })),
            ("POST", "/shl/{id}/replies") => common::reply_request(&id, JWE),
            ("GET", "/shl/{id}") => Request::get(format!("{uri}?recipient=x")).body(Body::empty()).unwrap(),
            _ => Request::builder()
                .method(method.as_str())
                .uri(&uri)
                .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                .body(Body::empty())
                .unwrap(),
        };
        let reply = relay.send(request).await;
        assert!(reply.status.is_success(), "{method} {path} answered {}: {}", reply.status, reply.text());
    }
}
