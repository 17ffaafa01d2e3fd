//! The web app, security headers and CORS as a browser sees them.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{LOADER, Relay, VIEWER_LOADER, index_html, viewer_html};
use sha2::{Digest, Sha256};

#[tokio::test]
async fn csp_allows_trunks_inline_loader_by_hash_and_nothing_else_inline() {
    let relay = Relay::new();
    let reply = relay.get("/").await;
    assert_eq!(reply.status, StatusCode::OK);
    let csp = reply.header("content-security-policy").expect("CSP on /");
    let hash = |loader: &str| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(loader.as_bytes())));
    let scripts = format!("script-src 'self' 'wasm-unsafe-eval' {} {};", hash(LOADER), hash(VIEWER_LOADER));
    assert!(csp.contains(&scripts), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.starts_with("default-src 'self';"), "{csp}");
    assert!(csp.contains("connect-src 'self';"), "the patient's app talks to its own relay only: {csp}");

    // The viewer, on its own origin, fetches link files from the app's origin and from other SHL
    // servers over HTTPS.
    let viewer = relay.get_viewer("/view").await;
    let viewer_csp = viewer.header("content-security-policy").expect("CSP on /view");
    assert!(
        viewer_csp.contains(&scripts) && viewer_csp.contains("connect-src 'self' http://127.0.0.1:8080 https:;"),
        "{viewer_csp}"
    );
}

#[tokio::test]
async fn the_viewer_has_an_origin_of_its_own_and_old_links_follow_it_there() {
    let relay = Relay::new();
    // A link printed before the viewer moved: the app's origin sends it on, path and query kept
    // (the browser keeps the fragment, which holds the key and never reaches a server).
    let moved =
        relay.send(Request::get("/view?x=1").header(header::HOST, "127.0.0.1:8080").body(Body::empty()).unwrap()).await;
    assert!(moved.status.is_redirection(), "{}", moved.status);
    assert_eq!(moved.header("location"), Some("http://127.0.0.1:8081/view?x=1"));
    let asset = relay
        .send(
            Request::get("/view/viewer-0011223344556677.js")
                .header(header::HOST, "localhost:8080")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(asset.header("location"), Some("http://localhost:8081/view/viewer-0011223344556677.js"));

    // A new share's link opens the viewer on its origin.
    let created = relay
        .send(
            Request::post("/api/shares")
                .header(header::HOST, "127.0.0.1:8080")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    serde_json::json!({ "jwe": common::JWE, "exp": common::START + common::DAY }).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(created.json()["viewer"], "http://127.0.0.1:8081/view");

    // The viewer's listener serves the viewer and nothing of the patient's app or the API.
    assert_eq!(relay.get_viewer("/view").await.text(), viewer_html());
    assert!(relay.get_viewer("/").await.status.is_redirection());
    for path in ["/index.html", "/health-binder-app-9f8e7d6c5b4a3921_bg.wasm", "/api/shares", "/shl/x", "/sw.js"] {
        let reply = relay.get_viewer(path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!reply.text().contains("Health Binder</title>"), "{path}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let relay = Relay::new();
    let id = relay.create().await["id"].as_str().unwrap().to_owned();
    for (uri, resource_policy) in [
        ("/".to_owned(), "same-origin"),
        ("/healthz".to_owned(), "same-origin"),
        ("/api/nope".to_owned(), "same-origin"),
        (format!("/shl/{id}?recipient=x"), "cross-origin"),
        ("/shl/unknown?recipient=x".to_owned(), "cross-origin"),
    ] {
        let reply = relay.get(&uri).await;
        assert!(reply.header("content-security-policy").is_some(), "{uri}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{uri}");
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"), "{uri}");
        assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{uri}");
        assert_eq!(reply.header("cross-origin-opener-policy"), Some("same-origin"), "{uri}");
        assert_eq!(
            reply.header("permissions-policy"),
            Some("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
            "{uri}"
        );
        assert_eq!(reply.header("cross-origin-resource-policy"), Some(resource_policy), "{uri}");
    }
}

#[tokio::test]
async fn cors_is_open_on_links_only() {
    let relay = Relay::new();
    let created = relay.create().await;
    let id = created["id"].as_str().unwrap();

    let link = relay
        .send(
            Request::get(format!("/shl/{id}?recipient=viewer"))
                .header(header::ORIGIN, "https://viewer.example")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(link.status, StatusCode::OK);
    assert_eq!(link.header("access-control-allow-origin"), Some("*"));

    let preflight = relay
        .send(
            Request::options(format!("/shl/{id}"))
                .header(header::ORIGIN, "https://viewer.example")
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    assert!(preflight.header("access-control-allow-methods").unwrap().contains("GET"));

    let api = relay
        .send(
            Request::post("/api/shares")
                .header(header::ORIGIN, "https://evil.example")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(format!(r#"{{"jwe":"{}","exp":{}}}"#, common::JWE, common::START + 3600)))
                .unwrap(),
        )
        .await;
    assert_eq!(api.status, StatusCode::CREATED);
    assert!(api.header("access-control-allow-origin").is_none());
    let manage = relay
        .send(
            Request::get(format!("/api/shares/{id}"))
                .header(header::ORIGIN, "https://evil.example")
                .header(header::AUTHORIZATION, format!("Bearer {}", created["managementSecret"].as_str().unwrap()))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(manage.status, StatusCode::OK);
    assert!(manage.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn spa_routes_serve_index_html_uncached() {
    let relay = Relay::new();
    for (path, page) in [("/", index_html()), ("/index.html", index_html()), ("/some/app/path", index_html())] {
        let reply = relay.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.text(), page, "{path}");
        assert_eq!(reply.header("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
    }
    // The viewer is on its own origin.
    for (path, page) in [("/view", viewer_html()), ("/view/deeper", viewer_html())] {
        let reply = relay.get_viewer(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.text(), page, "{path}");
        assert_eq!(reply.header("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
    }
}

#[tokio::test]
async fn app_files_are_served_with_their_types() {
    let relay = Relay::new();
    let wasm = relay.get("/health-binder-app-9f8e7d6c5b4a3921_bg.wasm").await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(&wasm.body[..], b"\0asm\x01\0\0\0");

    let manifest = relay.get("/manifest.webmanifest").await;
    assert_eq!(manifest.status, StatusCode::OK);
    assert_eq!(manifest.text(), "{\"name\":\"Health Binder\"}");
    assert!(manifest.header("content-type").unwrap().contains("manifest+json"));

    let traversal = relay.get("/../relay.sqlite3").await;
    assert!(!traversal.text().contains("SQLite"), "database must not be reachable");
}

fn get_accepting(uri: &str, accept_encoding: &str) -> Request<Body> {
    Request::get(uri).header(header::ACCEPT_ENCODING, accept_encoding).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn the_smallest_variant_a_browser_accepts_is_sent_and_caches_key_on_the_encoding() {
    let relay = Relay::new();
    let wasm = "/health-binder-app-9f8e7d6c5b4a3921_bg.wasm";
    for (accepts, encoding, body) in [
        // What Chromium sends: brotli wins.
        ("gzip, deflate, br, zstd", Some("br"), &b"brotli bytes"[..]),
        ("gzip", Some("gzip"), b"gzip bytes"),
        ("br;q=0, gzip", Some("gzip"), b"gzip bytes"),
        // verify-deployment compares the files themselves.
        ("identity", None, b"\0asm\x01\0\0\0"),
    ] {
        let reply = relay.send(get_accepting(wasm, accepts)).await;
        assert_eq!(reply.status, StatusCode::OK, "{accepts}");
        assert_eq!(reply.header("content-encoding"), encoding, "{accepts}");
        assert_eq!(&reply.body[..], body, "{accepts}");
        assert_eq!(reply.header("content-type"), Some("application/wasm"), "{accepts}");
        assert_eq!(reply.header("vary"), Some("accept-encoding"), "{accepts}");
        assert!(reply.header("content-security-policy").is_some(), "security headers on every variant");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{accepts}");
    }
    let none = relay.get(wasm).await;
    assert_eq!((none.header("content-encoding"), &none.body[..]), (None, &b"\0asm\x01\0\0\0"[..]));

    // A file without compressed siblings is sent as it is, whatever the browser accepts.
    let manifest = relay.send(get_accepting("/manifest.webmanifest", "gzip, deflate, br, zstd")).await;
    assert_eq!(manifest.header("content-encoding"), None);
    assert_eq!(manifest.text(), "{\"name\":\"Health Binder\"}");

    let head = relay.send(Request::head(wasm).header(header::ACCEPT_ENCODING, "br").body(Body::empty()).unwrap()).await;
    assert_eq!((head.status, head.header("content-encoding")), (StatusCode::OK, Some("br")));
    assert_eq!(head.header("content-length"), Some("12"), "HEAD describes the brotli body");
    assert!(head.body.is_empty());
}

#[tokio::test]
async fn only_files_named_by_their_content_are_cached_for_good() {
    let relay = Relay::new();
    let wasm = relay.get("/health-binder-app-9f8e7d6c5b4a3921_bg.wasm").await;
    assert_eq!(wasm.header("cache-control"), Some("public, max-age=31536000, immutable"));
    // The manifest, the service worker, the key worker and the pages keep their names across
    // builds: they must be asked for again, or a new version would never be seen.
    for path in ["/manifest.webmanifest", "/"] {
        assert_eq!(relay.get(path).await.header("cache-control"), Some("no-cache"), "{path}");
    }
    assert_eq!(relay.get_viewer("/view").await.header("cache-control"), Some("no-cache"));
    for (path, hashed) in [
        ("/main-d96b7f53a029ac2.css", true),
        ("/view/viewer-76482a6ecee70188.js", true),
        ("/patient-f655ce2d91a8e84d_bg.wasm", true),
        ("/sw.js", false),
        ("/kdf/kdf_worker_bg.wasm", false),
        ("/kdf/kdf_worker_loader.js", false),
        ("/manifest.webmanifest", false),
        ("/icon.svg", false),
        ("/re-bad.css", false),
    ] {
        let immutable = health_binder_relay::static_files::cache_control(path).contains("immutable");
        assert_eq!(immutable, hashed, "{path}");
    }
}

/// A new build may carry its files' old dates (copies made in the same second, a container image
/// or a package store that sets every date alike): a file that keeps its name across builds must
/// never be answered "not modified" from its date, or browsers keep the old service worker and
/// never see the new version. Files named by their content may be: their bytes cannot change.
#[tokio::test]
async fn a_file_that_keeps_its_name_is_never_answered_not_modified_from_its_date() {
    let relay = Relay::new();
    let later = "Fri, 01 Jan 2100 00:00:00 GMT";
    let if_modified_since =
        |path: &str| Request::get(path).header(header::IF_MODIFIED_SINCE, later).body(Body::empty()).unwrap();
    let manifest = relay.send(if_modified_since("/manifest.webmanifest")).await;
    assert_eq!(manifest.status, StatusCode::OK);
    assert_eq!(manifest.text(), "{\"name\":\"Health Binder\"}");
    assert_eq!(manifest.header("last-modified"), None, "no date to ask again with");
    let wasm = relay.send(if_modified_since("/health-binder-app-9f8e7d6c5b4a3921_bg.wasm")).await;
    assert_eq!(wasm.status, StatusCode::NOT_MODIFIED, "a hashed name may be revalidated by date");
}

#[tokio::test]
async fn api_and_link_namespaces_never_fall_back_to_the_app() {
    let relay = Relay::new();
    for path in ["/api/nope", "/api", "/shl/a/b", "/shl"] {
        let reply = relay.get(path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!reply.error().is_empty(), "{path}");
    }
}

#[tokio::test]
async fn without_a_built_app_the_relay_still_relays_and_says_what_to_do() {
    let relay = Relay::without_dist();
    let reply = relay.get("/").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(reply.text().contains("trunk build"), "{}", reply.text());
    assert_eq!(relay.get_viewer("/view").await.status, StatusCode::SERVICE_UNAVAILABLE);

    let id = relay.create().await["id"].as_str().unwrap().to_owned();
    assert_eq!(relay.get(&format!("/shl/{id}?recipient=x")).await.text(), common::JWE);
}

#[tokio::test]
async fn healthz_answers_ok() {
    let relay = Relay::new();
    let reply = relay.get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.text(), "ok");
}

fn preflight(path: &str, origin: &str, method: &str) -> Request<Body> {
    Request::options(path)
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, method)
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn the_configured_app_origins_may_manage_shares_here_and_no_other() {
    let app = "http://app.example:8080";
    let relay =
        Relay::custom(health_binder_relay::Limits::default(), |state| state.with_app_origins(vec![app.to_owned()]));
    let created = relay.create().await;
    let (id, secret) = (created["id"].as_str().unwrap(), created["managementSecret"].as_str().unwrap());

    for (path, method) in [
        (format!("/api/shares/{id}"), "GET"),
        (format!("/api/shares/{id}"), "DELETE"),
        (format!("/api/shares/{id}/pause"), "POST"),
        (format!("/api/shares/{id}/resume"), "POST"),
    ] {
        let allowed = relay.send(preflight(&path, app, method)).await;
        assert!(allowed.status.is_success(), "{path} {method}: {}", allowed.status);
        assert_eq!(allowed.header("access-control-allow-origin"), Some(app), "{path} {method}");
        assert!(allowed.header("access-control-allow-methods").unwrap().contains(method));
        assert!(allowed.header("access-control-allow-headers").unwrap().to_ascii_lowercase().contains("authorization"));
        let other = relay.send(preflight(&path, "https://evil.example", method)).await;
        assert!(other.header("access-control-allow-origin").is_none(), "{path} {method}: never another origin");
    }
    // Creating stays same-origin: another relay's app creates shares at its own relay.
    let create = relay.send(preflight("/api/shares", app, "POST")).await;
    assert!(create.header("access-control-allow-origin").is_none());

    let revoke = relay
        .send(
            Request::delete(format!("/api/shares/{id}"))
                .header(header::ORIGIN, app)
                .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(revoke.status, StatusCode::NO_CONTENT);
    assert_eq!(revoke.header("access-control-allow-origin"), Some(app));
    assert!(revoke.header("vary").is_some_and(|vary| vary.to_ascii_lowercase().contains("origin")));
}

#[tokio::test]
async fn the_apps_pages_may_reach_the_relays_it_is_told_about_and_the_viewer_keeps_its_own_policy() {
    let relay = Relay::custom(health_binder_relay::Limits::default(), |state| {
        state.with_app_connect_src("https://old-relay.example")
    });
    let app = relay.get("/").await;
    let csp = app.header("content-security-policy").unwrap();
    assert!(csp.contains("connect-src 'self' https://old-relay.example;"), "{csp}");
    let viewer = relay.get_viewer("/view").await;
    assert!(!viewer.header("content-security-policy").unwrap().contains("old-relay"));
    let plain = Relay::new().get("/").await;
    assert!(plain.header("content-security-policy").unwrap().contains("connect-src 'self';"));
}

#[tokio::test]
async fn https_relays_send_hsts_and_plain_http_ones_do_not() {
    let https = Relay::custom(health_binder_relay::Limits::default(), |state| {
        state.with_public_url(Some("https://relay.example".to_owned()))
    });
    for path in ["/", "/healthz", "/api/openapi.json"] {
        assert_eq!(https.get(path).await.header("strict-transport-security"), Some("max-age=31536000"), "{path}");
    }
    let http = Relay::custom(health_binder_relay::Limits::default(), |state| {
        state.with_public_url(Some("http://relay.example".to_owned()))
    });
    assert!(http.get("/").await.header("strict-transport-security").is_none());
    assert!(Relay::new().get("/").await.header("strict-transport-security").is_none());
}
