//! Prometheus text exposition of request counts, latencies and live shares, hand-rolled:
//! a few counters do not need a metrics framework.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

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

#[derive(Default)]
struct Inner {
    /// (route template, method, status class) → requests.
    requests: BTreeMap<(String, String, &'static str), u64>,
    /// route template → latency.
    latency: BTreeMap<String, Histogram>,
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
        let method = match *method {
            Method::GET | Method::POST | Method::DELETE | Method::OPTIONS | Method::HEAD => method.as_str(),
            _ => "other",
        };
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        *inner.requests.entry((route.to_owned(), method.to_owned(), class)).or_default() += 1;
        let histogram = inner.latency.entry(route.to_owned()).or_default();
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
        for ((route, method, class), count) in &inner.requests {
            let _ = writeln!(
                out,
                "health_binder_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{class}\"}} {count}",
                escape(route),
                escape(method)
            );
        }
        out.push_str(
            "# HELP health_binder_http_request_duration_seconds Time to answer a request, by route template.\n\
             # TYPE health_binder_http_request_duration_seconds histogram\n",
        );
        for (route, h) in &inner.latency {
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

/// Counts every request under its route template (never the concrete path, which holds
/// link ids); requests no route matched count as `unmatched`.
pub async fn track(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let method = req.method().clone();
    let started = Instant::now();
    let response = next.run(req).await;
    metrics.record(&route, &method, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

pub async fn serve(State(state): State<AppState>) -> Result<Response, AppError> {
    let live = state.store.count_live((state.clock)()).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], state.metrics.render(live))
        .into_response())
}
