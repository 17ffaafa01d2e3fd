//! The request log names the matched route, never the path: paths carry share ids and
//! one-hour file tokens, which are capabilities. Alone in its own test binary because it
//! installs a log subscriber, and tracing caches which call sites are enabled: a test running
//! beside it without one could make them look disabled.

mod common;

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use common::Relay;
use serde_json::json;

/// A writer for the log lines of one test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn request_logs_name_the_route_never_ids_or_file_tokens() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let relay = Relay::new();
    let id = relay.create().await["id"].as_str().unwrap().to_owned();
    let reply = relay.manifest(&id, &json!({ "recipient": "Dr Ada", "embeddedLengthMax": 1 })).await;
    let location = reply.json()["files"][0]["location"].as_str().unwrap().to_owned();
    let path = &location["http://relay.test".len()..];
    assert_eq!(relay.get(path).await.status, StatusCode::OK);
    let token = path.rsplit('/').next().unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("route=/shl/{id}/file/{token}"), "{log}");
    assert!(log.contains("route=/shl/{id}"), "{log}");
    assert!(!log.contains(token), "the file token is a capability: {log}");
    assert!(!log.contains(&id), "no share ids: {log}");
    assert!(!log.contains("Dr Ada"), "no names: {log}");
}
