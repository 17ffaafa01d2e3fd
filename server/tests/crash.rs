//! `kill -9` under load loses nothing that was acknowledged: every share whose creation got
//! 201 still opens after a restart, and every fetch that got 200 is in its share's access log.
//!
//! Runs the real binary on a temporary database (SQLite, or PostgreSQL when the test command
//! asks for it), drives it over loopback with a minimal HTTP/1.1 client (one connection per
//! request), kills it with SIGKILL while requests are in flight, restarts it on the same
//! database and checks.

mod common;

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::Db;

const JWE: &str =
    "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXZpdml2aXZpdml2.Y2lwaGVydGV4dC1ieXRlcw.dGFndGFndGFndGFndGFn";
const WORKERS: usize = 8;
/// Acknowledged creates and fetches to wait for before the kill.
const CREATES_BEFORE_KILL: usize = 150;
const FETCHES_BEFORE_KILL: usize = 300;

struct Relay {
    child: Child,
    port: u16,
    _stdout: BufReader<ChildStdout>,
}

impl Relay {
    fn start(dir: &Path, db: &Db) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_health-binder-relay"))
            .envs(db.binary_env())
            .env("HB_ADDR", "127.0.0.1:0")
            .env("HB_DIST", dir.join("no-dist"))
            .env("HB_CREATES_PER_MINUTE", "1000000000")
            .env("HB_RECEIVER_REQUESTS_PER_MINUTE", "1000000000")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the relay binary starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let port = line
            .trim()
            .strip_prefix("Health Binder relay listening on http://127.0.0.1:")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("unexpected start-up line {line:?}"));
        Self { child, port, _stdout: stdout }
    }

    /// SIGKILL: no shutdown handler, no flushing, no destructors.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    body: String,
}

/// One request on a fresh connection (`Connection: close`), read to the end.
fn http(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw).ok_or_else(|| std::io::Error::other("incomplete or malformed response"))
}

/// A complete response or `None` (a relay killed mid-answer leaves a truncated one).
fn parse_response(raw: &[u8]) -> Option<Reply> {
    let text = std::str::from_utf8(raw).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut length = None;
    let mut chunked = false;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.trim().eq_ignore_ascii_case("chunked"),
            _ => {}
        }
    }
    let body = if chunked {
        let mut rest = body;
        let mut out = String::new();
        loop {
            let (size, after) = rest.split_once("\r\n")?;
            let size = usize::from_str_radix(size.trim(), 16).ok()?;
            if size == 0 {
                break out;
            }
            out.push_str(after.get(..size)?);
            rest = after.get(size..)?.strip_prefix("\r\n")?;
        }
    } else {
        let length = length?;
        if body.len() != length {
            return None;
        }
        body.to_owned()
    };
    Some(Reply { status, body })
}

fn json_field(body: &str, name: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(body).unwrap();
    value[name].as_str().unwrap().to_owned()
}

/// What the load got acknowledged.
#[derive(Default)]
struct Acked {
    /// id → management secret
    shares: Vec<(String, String)>,
    /// id → fetches answered 200 with the file
    fetches: HashMap<String, usize>,
}

fn drive_load(port: u16, worker: usize, stop: &AtomicBool, acked: &Mutex<Acked>, fetched: &AtomicUsize) {
    let exp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 7 * 86_400;
    let create = format!(r#"{{"jwe":"{JWE}","exp":{exp}}}"#);
    let recipient = format!("load-{worker}");
    let mut seed = worker as u64 * 7_919 + 1;
    for round in 0.. {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let pick = {
            let acked = acked.lock().unwrap();
            (round % 3 != 0 && !acked.shares.is_empty())
                .then(|| acked.shares[(seed >> 33) as usize % acked.shares.len()].0.clone())
        };
        match pick {
            None => {
                let headers = [("Content-Type", "application/json")];
                if let Ok(reply) = http(port, "POST", "/api/shares", &headers, &create)
                    && reply.status == 201
                {
                    let (id, secret) = (json_field(&reply.body, "id"), json_field(&reply.body, "managementSecret"));
                    acked.lock().unwrap().shares.push((id, secret));
                }
            }
            Some(id) => {
                if let Ok(reply) = http(port, "GET", &format!("/shl/{id}?recipient={recipient}"), &[], "")
                    && reply.status == 200
                {
                    assert_eq!(reply.body, JWE);
                    *acked.lock().unwrap().fetches.entry(id).or_default() += 1;
                    fetched.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
    }
}

#[test]
fn kill_9_under_load_loses_no_acknowledged_share_or_access() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::fresh(dir.path());
    let relay = Relay::start(dir.path(), &db);
    let port = relay.port;

    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(Acked::default()));
    let fetched = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| {
            let (stop, acked, fetched) = (Arc::clone(&stop), Arc::clone(&acked), Arc::clone(&fetched));
            thread::spawn(move || drive_load(port, worker, &stop, &acked, &fetched))
        })
        .collect();

    // Kill only once the load is well under way, so requests are in flight at that moment.
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().shares.len() < CREATES_BEFORE_KILL
        || fetched.load(Ordering::SeqCst) < FETCHES_BEFORE_KILL
    {
        assert!(Instant::now() < deadline, "the load never got going");
        thread::sleep(Duration::from_millis(5));
    }
    relay.kill();
    stop.store(true, Ordering::SeqCst);
    for worker in workers {
        worker.join().unwrap();
    }
    let acked = Arc::try_unwrap(acked).ok().unwrap().into_inner().unwrap();
    assert!(acked.shares.len() >= CREATES_BEFORE_KILL);

    let relay = Relay::start(dir.path(), &db);
    for (id, secret) in &acked.shares {
        let view = http(
            relay.port,
            "GET",
            &format!("/api/shares/{id}?limit=1000"),
            &[("Authorization", &format!("Bearer {secret}"))],
            "",
        )
        .unwrap();
        assert_eq!(view.status, 200, "acknowledged share {id} is gone: {}", view.body);
        let view: serde_json::Value = serde_json::from_str(&view.body).unwrap();
        let served = view["accessLog"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|entry| entry["action"] == "fetch" && entry["outcome"] == "served")
            .count();
        let acknowledged = acked.fetches.get(id).copied().unwrap_or(0);
        assert!(served >= acknowledged, "share {id}: {acknowledged} fetches acknowledged, {served} logged");

        let fetch = http(relay.port, "GET", &format!("/shl/{id}?recipient=after-restart"), &[], "").unwrap();
        assert_eq!((fetch.status, fetch.body.as_str()), (200, JWE), "share {id} does not open after the restart");
    }
}
