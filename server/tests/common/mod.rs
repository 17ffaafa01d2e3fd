//! A relay wired like `main`, on a temporary database (SQLite, or PostgreSQL when the test
//! command asks for it: see [`db`]) and a Trunk-like `dist`, with a clock the test moves by hand.

#![allow(dead_code)] // each test file uses its own part of this

pub mod db;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use health_binder_relay::passcode::PasscodeKdf;
use health_binder_relay::static_files::Dist;
use health_binder_relay::store::ShareStore;
use health_binder_relay::{AppState, Limits, app, viewer_app};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt as _;

pub use self::db::Db;

pub const START: i64 = 1_750_000_000;
pub const DAY: i64 = 86_400;
pub const JWE: &str = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoiYXBwbGljYXRpb24vc21hcnQtaGVhbHRoLWNhcmQifQ..aXZpdml2aXZpdml2.Y2lwaGVydGV4dC1ieXRlcw.dGFndGFndGFndGFndGFn";

/// What Trunk writes: a module loader inline, everything else as files.
pub const LOADER: &str = "\nimport init, * as bindings from '/health-binder-app-9f8e7d6c5b4a3921.js';\nconst wasm = await init({ module_or_path: '/health-binder-app-9f8e7d6c5b4a3921_bg.wasm' });\n\nwindow.wasmBindings = bindings;\n\ndispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {detail: {wasm}}));\n\n";

pub fn index_html() -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Health Binder</title>\n\
         <link rel=\"manifest\" href=\"/manifest.webmanifest\">\n\
         <link rel=\"stylesheet\" href=\"/style-0123456789abcdef.css\" integrity=\"sha384-x\">\n\
         <link rel=\"modulepreload\" href=\"/health-binder-app-9f8e7d6c5b4a3921.js\" crossorigin=\"anonymous\">\n\
         <script type=\"module\">{LOADER}</script>\n\
         </head><body></body></html>\n"
    )
}

/// The clinician's viewer: its own entry page in `dist/view/`, with its own loader.
pub const VIEWER_LOADER: &str = "\nimport init from '/view/viewer-0011223344556677.js';\nawait init({ module_or_path: '/view/viewer-0011223344556677_bg.wasm' });\n";

pub fn viewer_html() -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>Health Binder viewer</title><script type=\"module\">{VIEWER_LOADER}</script></head><body></body></html>\n"
    )
}

pub struct Relay {
    pub router: Router,
    /// The clinician's viewer's own listener (its own origin).
    pub viewer: Router,
    pub now: Arc<AtomicI64>,
    pub db: Db,
    /// The store the router uses (to purge, as the background task would).
    pub store: Arc<dyn ShareStore>,
    pub dir: TempDir,
}

pub fn write_dist(dir: &Path) -> PathBuf {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), index_html()).unwrap();
    std::fs::create_dir_all(dist.join("view")).unwrap();
    std::fs::write(dist.join("view/index.html"), viewer_html()).unwrap();
    std::fs::write(dist.join("health-binder-app-9f8e7d6c5b4a3921_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    // Stand-ins for what scripts/precompress.mjs writes: the relay sends these bytes as they are.
    std::fs::write(dist.join("health-binder-app-9f8e7d6c5b4a3921_bg.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(dist.join("health-binder-app-9f8e7d6c5b4a3921_bg.wasm.gz"), b"gzip bytes").unwrap();
    std::fs::write(dist.join("manifest.webmanifest"), b"{\"name\":\"Health Binder\"}").unwrap();
    dist
}

impl Relay {
    pub fn new() -> Self {
        Self::build(true, Limits::default())
    }

    pub fn without_dist() -> Self {
        Self::build(false, Limits::default())
    }

    pub fn with_limits(limits: Limits) -> Self {
        Self::build(true, limits)
    }

    /// A relay whose state `configure` adjusts (public URL, forwarded-for trust).
    pub fn custom(limits: Limits, configure: impl FnOnce(AppState) -> AppState) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::fresh(dir.path());
        Self::on(db, dir, true, limits, configure)
    }

    /// A relay on SQLite whichever database the test command chose: for what only SQLite has
    /// (its files on disk).
    pub fn sqlite_with_limits(limits: Limits) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::Sqlite(dir.path().join("relay.sqlite3"));
        Self::on(db, dir, true, limits, |state| state)
    }

    fn build(with_dist: bool, limits: Limits) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::fresh(dir.path());
        Self::on(db, dir, with_dist, limits, |state| state)
    }

    /// A relay on `db` (a second instance, when another relay already uses it).
    pub fn on(
        db: Db,
        dir: TempDir,
        with_dist: bool,
        limits: Limits,
        configure: impl FnOnce(AppState) -> AppState,
    ) -> Self {
        let dist = if with_dist { write_dist(dir.path()) } else { dir.path().join("no-such-dist") };
        let now = Arc::new(AtomicI64::new(START));
        let (router, viewer, store) = routers_with(&db, &dist, Arc::clone(&now), limits, configure);
        Self { router, viewer, now, db, store, dir }
    }

    pub fn advance(&self, secs: i64) {
        self.now.fetch_add(secs, Ordering::SeqCst);
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        send(&self.router, req).await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    /// A GET to the viewer's listener, as a browser at `127.0.0.1:8081` sends it.
    pub async fn get_viewer(&self, uri: &str) -> Reply {
        send(&self.viewer, Request::get(uri).header(header::HOST, "127.0.0.1:8081").body(Body::empty()).unwrap()).await
    }

    pub async fn post_json(&self, body: &Value) -> Reply {
        self.send(
            Request::post("/api/shares")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    /// Creates a share of [`JWE`] expiring in a week; returns the 201 body.
    pub async fn create(&self) -> Value {
        let reply = self.post_json(&serde_json::json!({ "jwe": JWE, "exp": START + 7 * DAY })).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        reply.json()
    }

    /// Creates a share of [`JWE`] expiring in a week with extra options; returns the 201
    /// body.
    pub async fn create_with(&self, options: Value) -> Value {
        let mut body = serde_json::json!({ "jwe": JWE, "exp": START + 7 * DAY });
        for (key, value) in options.as_object().unwrap() {
            body[key] = value.clone();
        }
        let reply = self.post_json(&body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        reply.json()
    }

    /// `POST /shl/{id}` as a receiver at `relay.test` would send it.
    pub async fn manifest(&self, id: &str, body: &Value) -> Reply {
        self.send(manifest_request(id, body)).await
    }

    /// `POST /api/shares/{id}/{action}` with the bearer secret.
    pub async fn manage_action(&self, action: &str, id: &str, secret: &str) -> Reply {
        self.send(
            Request::post(format!("/api/shares/{id}/{action}"))
                .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn manage(&self, method: &str, id: &str, secret: &str) -> Reply {
        self.send(
            Request::builder()
                .method(method)
                .uri(format!("/api/shares/{id}"))
                .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }
}

pub fn manifest_request(id: &str, body: &Value) -> Request<Body> {
    Request::post(format!("/shl/{id}"))
        .header(header::HOST, "relay.test")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// `POST /shl/{id}/replies` with `jwe`, as a viewer on another origin sends it.
pub fn reply_request(id: &str, jwe: &str) -> Request<Body> {
    Request::post(format!("/shl/{id}/replies"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ORIGIN, "http://127.0.0.1:8081")
        .body(Body::from(serde_json::json!({ "jwe": jwe }).to_string()))
        .unwrap()
}

/// Limits for passcode tests: a light Argon2 and no per-IP passcode limit in the way.
pub fn fast_passcodes() -> Limits {
    Limits {
        passcode_attempts_per_minute: 10_000,
        kdf: PasscodeKdf { memory_kib: 256, passes: 1 },
        ..Limits::default()
    }
}

pub fn router_on(db: &Db, dist: &Path, now: Arc<AtomicI64>, limits: Limits) -> Router {
    router_with(db, dist, now, limits, |state| state)
}

pub fn router_with(
    db: &Db,
    dist: &Path,
    now: Arc<AtomicI64>,
    limits: Limits,
    configure: impl FnOnce(AppState) -> AppState,
) -> Router {
    routers_with(db, dist, now, limits, configure).0
}

/// The app's router and the viewer's, on one state, as `main` wires them (the app's listener on
/// port 8080, the viewer's on 8081; on PostgreSQL with the shared rate limits), and their store.
pub fn routers_with(
    db: &Db,
    dist: &Path,
    now: Arc<AtomicI64>,
    limits: Limits,
    configure: impl FnOnce(AppState) -> AppState,
) -> (Router, Router, Arc<dyn ShareStore>) {
    let (store, shared_windows) = db.open(limits.store);
    let clock = Arc::new(move || now.load(Ordering::SeqCst));
    let state = AppState::new(Arc::clone(&store), clock, limits, Dist::load(dist)).with_origins(8080, 8081, None);
    let state = match shared_windows {
        Some(windows) => state.with_shared_rate_limits(windows),
        None => state,
    };
    let state = configure(state);
    (app(state.clone()), viewer_app(state), store)
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| panic!("not JSON ({err}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    pub fn error(&self) -> String {
        self.json()["error"].as_str().expect("an error message").to_owned()
    }
}

pub async fn send(router: &Router, req: Request<Body>) -> Reply {
    let response = router.clone().oneshot(req).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Reply { status, headers, body }
}
