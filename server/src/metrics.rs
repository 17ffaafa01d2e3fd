//! Prometheus text exposition of request counts, latencies and live shares, hand-rolled:
//! a few counters do not need a metrics framework.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::AppError;

/// Latency histogram bucket bounds, in seconds.
const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Default)]
struct Histogram {
    /// Cumulative counts per bucket of [`BUCKETS`].
    buckets: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

/// What is counted for one route template.
#[derive(Default)]
struct Route {
    /// (method, status class) → requests.
    requests: BTreeMap<(&'static str, &'static str), u64>,
    latency: Histogram,
}

/// Route template → its counts. Looked up by `&str`, so a request allocates nothing here once
/// its route has been seen (a `String` per request and label was about 2 % of the relay's CPU
/// under a load of fetches).
#[derive(Default)]
struct Inner {
    routes: BTreeMap<String, Route>,
}

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    pub fn record(&self, route: &str, method: &Method, status: u16, seconds: f64) {
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        // Clients may send any method token; only known ones become label values, so
        // they cannot create unbounded series.
        let method: &'static str = match *method {
            Method::GET => "GET",
            Method::POST => "POST",
            Method::DELETE => "DELETE",
            Method::OPTIONS => "OPTIONS",
            Method::HEAD => "HEAD",
            _ => "other",
        };
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if !inner.routes.contains_key(route) {
            inner.routes.insert(route.to_owned(), Route::default());
        }
        let Some(counts) = inner.routes.get_mut(route) else { return };
        *counts.requests.entry((method, class)).or_default() += 1;
        let histogram = &mut counts.latency;
        for (bound, bucket) in BUCKETS.iter().zip(histogram.buckets.iter_mut()) {
            if seconds <= *bound {
                *bucket += 1;
            }
        }
        histogram.sum += seconds;
        histogram.count += 1;
    }

    pub fn render(&self, live_shares: u64) -> String {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out = String::new();
        out.push_str(
            "# HELP health_binder_http_requests_total HTTP requests by route template, method and status class.\n\
             # TYPE health_binder_http_requests_total counter\n",
        );
        for (route, counts) in &inner.routes {
            for ((method, class), count) in &counts.requests {
                let _ = writeln!(
                    out,
                    "health_binder_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{class}\"}} {count}",
                    escape(route),
                    escape(method)
                );
            }
        }
        out.push_str(
            "# HELP health_binder_http_request_duration_seconds Time to answer a request, by route template.\n\
             # TYPE health_binder_http_request_duration_seconds histogram\n",
        );
        for (route, Route { latency: h, .. }) in &inner.routes {
            let route = escape(route);
            for (bound, count) in BUCKETS.iter().zip(h.buckets) {
                let _ = writeln!(
                    out,
                    "health_binder_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "health_binder_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\n\
                 health_binder_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\n\
                 health_binder_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count, h.sum, h.count
            );
        }
        let _ = write!(
            out,
            "# HELP health_binder_live_shares Shares that can be opened now.\n\
             # TYPE health_binder_live_shares gauge\n\
             health_binder_live_shares {live_shares}\n"
        );
        out
    }
}

fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Counts a request under its route template (never the concrete path, which holds link ids;
/// requests no route matched count as `unmatched`) and writes the request log's line for it
/// ([`log_request`]): both need the same route, method, status and time. Called by the relay's
/// one middleware (`crate::edge`).
pub fn track(metrics: &Metrics, method: &Method, route: Option<&MatchedPath>, status: u16, latency: Duration) {
    let route = route.map_or("unmatched", MatchedPath::as_str);
    metrics.record(route, method, status, latency.as_secs_f64());
    log_request(method, route, status, latency);
}

/// The request log, without metrics (the viewer's listener).
pub async fn log_only(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().cloned();
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    let method = req.method().clone();
    let started = Instant::now();
    let response = next.run(req).await;
    log_request(&method, route, response.status().as_u16(), started.elapsed());
    response
}

/// One line per request, naming the matched route template (`/shl/{id}/file/{token}`), never
/// the path itself: paths carry share ids and one-hour file tokens, which are capabilities.
/// Requests no route matched (the app's files) are logged as `unmatched`. Query strings
/// (recipients' names), bodies and headers (Authorization) are never logged. One event and no
/// span: a span per request (tower-http's `TraceLayer`) cost about a tenth of the relay's
/// CPU under a load of fetches.
fn log_request(method: &Method, route: &str, status: u16, latency: Duration) {
    tracing::info!(target: "health_binder_relay::request", %method, %route, status, ?latency, "response");
}

pub async fn serve(State(state): State<AppState>) -> Result<Response, AppError> {
    let live = state.store.count_live((state.clock)()).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], state.metrics.render(live))
        .into_response())
}
