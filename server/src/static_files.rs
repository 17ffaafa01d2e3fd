//! Serves the built web app. The app is a single-page app: any GET path that is not a
//! file answers `index.html`, except the API and link namespaces, which answer JSON 404s.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt as _;
use tower_http::services::ServeDir;

use crate::error::AppError;

/// The app as found at start-up. `index.html` is kept in memory so the page served always
/// matches the script hashes in the CSP computed from it; after rebuilding the app, restart
/// the relay.
pub struct Dist {
    dir: PathBuf,
    index_html: Option<String>,
    /// The clinician's viewer, a separate, smaller entry point built into `dist/view/`.
    viewer_html: Option<String>,
}

impl Dist {
    pub fn load(dir: impl AsRef<Path>) -> Self {
        let dir = dir.as_ref().to_path_buf();
        let read = |page: &str| match std::fs::read_to_string(dir.join(page)) {
            Ok(html) => Some(html),
            Err(err) => {
                tracing::warn!(
                    dist = %dir.display(),
                    page,
                    error = %err,
                    "web app page not found; build it with Trunk and restart the relay"
                );
                None
            }
        };
        let (index_html, viewer_html) = (read("index.html"), read("view/index.html"));
        Self { dir, index_html, viewer_html }
    }

    pub fn index_html(&self) -> Option<&str> {
        self.index_html.as_deref()
    }

    /// Every built entry page, for the CSP's script hashes.
    pub fn pages(&self) -> Vec<&str> {
        self.index_html.iter().chain(&self.viewer_html).map(String::as_str).collect()
    }
}

const NOT_BUILT: &str = "The Health Binder web app has not been built. \
Build it with `trunk build --release` (it writes the `dist` directory) and restart the relay.\n";

pub async fn serve(State(dist): State<Arc<Dist>>, req: Request) -> Response {
    let path = req.uri().path();
    if is_reserved(path) {
        return AppError::NotFound.into_response();
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")]).into_response();
    }
    let page = if crate::security_headers::is_viewer_path(path) { &dist.viewer_html } else { &dist.index_html };
    let Some(index_html) = page else {
        return (StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], NOT_BUILT)
            .into_response();
    };
    if path != "/" && path != "/index.html" && path != "/view" && path != "/view/" {
        // The build writes `.br` and `.gz` siblings (scripts/precompress.mjs); ServeDir picks
        // the one the request accepts, brotli first, and the file itself otherwise.
        let files =
            ServeDir::new(&dist.dir).append_index_html_on_directories(false).precompressed_br().precompressed_gzip();
        let (hashed, cache) = (has_content_hash(path), cache_control(path));
        let mut req = req;
        if !hashed {
            // A file that keeps its name across builds is never "not modified" by its date: a new
            // build may carry the old dates (copies made within a second, a container image or a
            // package store that dates every file alike), and a browser told 304 would keep the
            // old service worker and never see the new version. It is sent whole instead (all
            // such files are small); files named by their content keep their dates.
            req.headers_mut().remove(header::IF_MODIFIED_SINCE);
        }
        let Ok(mut response) = files.oneshot(req).await;
        if response.status() != StatusCode::NOT_FOUND {
            let headers = response.headers_mut();
            if !hashed {
                headers.remove(header::LAST_MODIFIED);
            }
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            // The same address answers different bytes by Accept-Encoding: caches must key on it.
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            return response.map(Body::new);
        }
    }
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], index_html.clone())
        .into_response()
}

/// A file whose name carries its content hash (Trunk's `name-<16 hex>` and `_bg` suffixes) never
/// changes under that name, so browsers may keep it a year without asking. Everything else (the
/// service worker, the manifest, the icon, the key worker's fixed names) revalidates, which costs
/// a 304 at most and lets a new build be noticed.
pub fn cache_control(path: &str) -> &'static str {
    if has_content_hash(path) { "public, max-age=31536000, immutable" } else { "no-cache" }
}

fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(base, hash)| {
        !base.is_empty() && (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

fn is_reserved(path: &str) -> bool {
    ["/api", "/shl"].iter().any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")))
}
