//! Security headers sent on every response, including the Content-Security-Policy that
//! allows exactly the inline scripts of the built entry pages and nothing else inline.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// Where the clinician's viewer may fetch SMART Health Link files from by default: any HTTPS
/// server, since a link made elsewhere points at its own host. The patient's app talks only to
/// this relay.
pub const DEFAULT_VIEWER_CONNECT_SRC: &str = "https:";

pub struct SecurityHeaders {
    csp: HeaderValue,
    viewer_csp: HeaderValue,
    /// The inline scripts' hashes as `script-src` sources, and the viewer's extra `connect-src`
    /// sources, for [`Self::viewer_csp_with`].
    hashes: String,
    viewer_extra: String,
}

impl SecurityHeaders {
    /// `pages` are the built entry pages (the app's and the viewer's); their inline scripts
    /// (Trunk writes one to load the wasm) get hashes in `script-src`. `viewer_connect_src` are
    /// the extra `connect-src` sources of the viewer (`/view`).
    pub fn new(pages: &[&str], viewer_connect_src: &str) -> Self {
        let mut hashes: Vec<String> = pages.iter().flat_map(|page| inline_script_hashes(page)).collect();
        hashes.dedup();
        let hashes: String = hashes.iter().map(|hash| format!(" '{hash}'")).collect();
        let viewer_extra: String = viewer_connect_src.split_whitespace().map(|source| format!(" {source}")).collect();
        let value = |csp: String| HeaderValue::from_str(&csp).expect("CSP is ASCII");
        Self {
            csp: value(policy(&hashes, "")),
            viewer_csp: value(policy(&hashes, &viewer_extra)),
            hashes,
            viewer_extra,
        }
    }

    /// The policy of everything but the viewer.
    pub fn csp(&self) -> &HeaderValue {
        &self.csp
    }

    pub fn viewer_csp(&self) -> &HeaderValue {
        &self.viewer_csp
    }

    /// The viewer's policy on its own origin: it also fetches link files from the app's origin
    /// `app` (`http://127.0.0.1:8080`), which is no longer `'self'` there.
    pub fn viewer_csp_with(&self, app: &str) -> String {
        policy(&self.hashes, &format!(" {app}{}", self.viewer_extra))
    }
}

fn policy(hashes: &str, connect: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'{connect}; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'none'; frame-ancestors 'none'"
    )
}

/// The viewer's pages and assets: `/view` and below.
pub fn is_viewer_path(path: &str) -> bool {
    path == "/view" || path.starts_with("/view/")
}

pub async fn add(State(headers): State<Arc<SecurityHeaders>>, req: Request, next: Next) -> Response {
    let path = Paths::of(req.uri().path());
    let mut response = next.run(req).await;
    headers.set(response.headers_mut(), path);
    response
}

/// What of a request's path decides its headers (taken before the request moves on).
#[derive(Clone, Copy)]
pub struct Paths {
    /// `/view…`: the viewer's policy.
    pub viewer: bool,
    /// `/shl/…`: fetched cross-origin by other viewers.
    pub link: bool,
}

impl Paths {
    pub fn of(path: &str) -> Self {
        Self { viewer: is_viewer_path(path), link: path.starts_with("/shl/") }
    }
}

impl SecurityHeaders {
    /// Sets the security headers of a response to a request for `path`.
    pub fn set(&self, h: &mut HeaderMap, path: Paths) {
        // SMART Health Link files are fetched cross-origin by other viewers; nothing else is
        // meant to be embedded or read by another site.
        let resource_policy = if path.link { "cross-origin" } else { "same-origin" };
        let csp = if path.viewer { &self.viewer_csp } else { &self.csp };
        h.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
        h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
        h.insert(HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static(resource_policy));
        h.insert(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        );
    }
}

/// CSP source expressions (`sha256-<base64>`) for every inline `<script>` in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    inline_scripts(html)
        .into_iter()
        .map(|content| {
            // Browsers hash the script text after the HTML parser normalised newlines.
            let normalised = content.replace("\r\n", "\n").replace('\r', "\n");
            format!("sha256-{}", STANDARD.encode(Sha256::digest(normalised.as_bytes())))
        })
        .collect()
}

/// Text of each `<script>` element without a `src` attribute. Not a full HTML parser:
/// enough for generated pages, skipping comments and quoted attribute values.
fn inline_scripts(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut scripts = Vec::new();
    let mut pos = 0;
    while let Some(offset) = lower[pos..].find('<') {
        let start = pos + offset;
        if lower[start..].starts_with("<!--") {
            pos = lower[start..].find("-->").map_or(html.len(), |end| start + end + 3);
            continue;
        }
        let after_name = start + "<script".len();
        let is_script = lower[start..].starts_with("<script")
            && lower[after_name..].chars().next().is_some_and(|c| c.is_ascii_whitespace() || c == '>' || c == '/');
        if !is_script {
            pos = start + 1;
            continue;
        }
        let Some((has_src, content_start)) = scan_open_tag(&lower, after_name) else {
            break;
        };
        let content_end = lower[content_start..].find("</script").map_or(html.len(), |end| content_start + end);
        if !has_src {
            scripts.push(&html[content_start..content_end]);
        }
        pos = content_end;
    }
    scripts
}

/// Reads the attributes of an open tag starting at `from` (just after the tag name).
/// Returns whether a `src` attribute is present and where the element's content begins,
/// or `None` if the tag never closes.
fn scan_open_tag(lower: &str, from: usize) -> Option<(bool, usize)> {
    let bytes = lower.as_bytes();
    let mut i = from;
    let mut has_src = false;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some((has_src, i + 1)),
            _ => {
                let name_start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
                    i += 1;
                }
                has_src |= &lower[name_start..i] == "src";
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if bytes.get(i) == Some(&b'=') {
                    i += 1;
                    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    match bytes.get(i)? {
                        quote @ (b'"' | b'\'') => {
                            let close = lower[i + 1..].find(*quote as char)?;
                            i += close + 2;
                        }
                        _ => {
                            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                                i += 1;
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_LOADER: &str = "\nimport init, * as bindings from '/health-binder-app-4d2c9a1b7e3f5a60.js';\nconst wasm = await init({ module_or_path: '/health-binder-app-4d2c9a1b7e3f5a60_bg.wasm' });\n\n\nwindow.wasmBindings = bindings;\n\n\ndispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {detail: {wasm}}));\n\n";

    fn trunk_index() -> String {
        format!(
            r#"<!DOCTYPE html><html lang="en"><head>
<meta charset="utf-8">
<title>Health Binder</title>
<!-- <script>not a script, a comment</script> -->
<link rel="stylesheet" href="/style-1a2b3c4d5e6f7a8b.css" integrity="sha384-abc">
<link rel="modulepreload" href="/health-binder-app-4d2c9a1b7e3f5a60.js" crossorigin="anonymous" integrity="sha384-def">
<link rel="preload" href="/health-binder-app-4d2c9a1b7e3f5a60_bg.wasm" crossorigin="anonymous" integrity="sha384-ghi" as="fetch" type="application/wasm">
<script src="/external.js" defer></script>
<script data-title="a > b" data-src="x" type="module">{TRUNK_LOADER}</script>
</head><body></body></html>"#
        )
    }

    fn sha256_b64(text: &str) -> String {
        format!("sha256-{}", STANDARD.encode(Sha256::digest(text.as_bytes())))
    }

    #[test]
    fn hashes_only_inline_scripts_of_a_trunk_page() {
        assert_eq!(inline_script_hashes(&trunk_index()), vec![sha256_b64(TRUNK_LOADER)]);
    }

    #[test]
    fn crlf_is_hashed_as_the_browser_sees_it() {
        let html = "<script>\r\na();\r\n</script>";
        assert_eq!(inline_script_hashes(html), vec![sha256_b64("\na();\n")]);
    }

    #[test]
    fn uppercase_tags_and_several_scripts_are_found() {
        let html = "<SCRIPT>one()</SCRIPT><p><scripts></scripts><script type=module>two()</script>";
        assert_eq!(inline_script_hashes(html), vec![sha256_b64("one()"), sha256_b64("two()")]);
    }

    #[test]
    fn csp_lists_hashes_and_never_unsafe_inline() {
        let headers = SecurityHeaders::new(&[&trunk_index()], DEFAULT_VIEWER_CONNECT_SRC);
        let csp = headers.csp().to_str().unwrap();
        assert!(csp.contains(&format!("script-src 'self' 'wasm-unsafe-eval' '{}';", sha256_b64(TRUNK_LOADER))));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("connect-src 'self';"), "the patient's app talks only to its relay");
        let viewer = headers.viewer_csp().to_str().unwrap();
        assert!(viewer.contains("connect-src 'self' https:;"), "the viewer reads links hosted elsewhere");
        let without_app = SecurityHeaders::new(&[], DEFAULT_VIEWER_CONNECT_SRC);
        assert!(without_app.csp().to_str().unwrap().contains("script-src 'self' 'wasm-unsafe-eval';"));
    }
}
