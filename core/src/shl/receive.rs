//! Receiving a SMART Health Link, as the clinician's viewer does: which requests to make, what
//! each answer means, and — once every file is in — the first that decrypts to a readable record.
//!
//! Core makes no HTTP request: a [`Receive`] says what to fetch ([`Receive::next_request`]), the
//! caller fetches it and hands the answer back ([`Receive::take`]), and [`Receive::finish`]
//! decrypts and reads. Decryption and decompression come in as a function ([`jwe::decrypt`]
//! today), so the browser's own (WebCrypto, `DecompressionStream`) can stand in for them.
//!
//! - A `U` link: `GET url?recipient=…` answers its one encrypted file.
//! - Any other link: `POST url` with `{"recipient", "passcode"}` answers a manifest, whose FHIR
//!   files are either `embedded` or fetched with `GET location`, in the manifest's order.
//!
//! Servers do not say why a link stopped working: expired, revoked, paused, used up, locked and
//! unknown links all answer 404, which reads as [`ReceiveError::Inactive`]. A wrong passcode
//! answers 401 with the attempts left; none left means the link has locked, so inactive too.
//!
//! What a hostile or broken server can make the viewer hold is bounded: each answer to
//! [`MAX_RESPONSE_BYTES`], a manifest to [`MAX_FILES`] FHIR files, and a decompressed document to
//! [`jwe::MAX_INFLATED`]; beyond that the clinician is told the record is too large.

// JSON is read with `from_slice` throughout, as everywhere in the viewer: a `from_str` would
// compile a second copy of serde_json's parser into it.
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{LinkError, ShlPayload};
use crate::ips::{self, Summary};
use crate::jwe::{self, JweError};
use crate::msg;
use crate::printout::Wording;
use crate::said::Said;

/// The most one answer (a manifest with its embedded files, or one file) may hold. A binder's
/// whole record is far below it; a relay's upload limit is 1 MB by default.
pub const MAX_RESPONSE_BYTES: usize = 16 << 20;

/// The most FHIR files one manifest may list, each perhaps a request: a patient shares one.
pub const MAX_FILES: usize = 16;

/// The only files a viewer of health records reads.
const FHIR: &str = "application/fhir+json";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// One HTTP request to make. Its answer may hold at most [`MAX_RESPONSE_BYTES`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub url: String,
    /// A JSON body, sent as `content-type: application/json`.
    pub json: Option<String>,
}

/// What a server answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: Body,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Text(String),
    /// The server announced more than [`MAX_RESPONSE_BYTES`], so the body was not read.
    OverLimit,
}

impl Response {
    pub fn new(status: u16, text: impl Into<String>) -> Self {
        Self { status, body: Body::Text(text.into()) }
    }
}

/// The record a link holds: what the viewer shows, and the decrypted file as it came (for "Save
/// for my binder").
#[derive(Debug)]
pub struct Received {
    pub summary: Summary,
    pub record: Vec<u8>,
    /// The record parsed, for reading what [`Receive::finish_first`] left for later.
    pub document: serde_json::Value,
}

/// Why a link did not open, in words for the clinician.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReceiveError {
    #[error(
        "This link is no longer active: it has expired or been revoked. Ask the patient to show you a new QR code."
    )]
    Inactive,
    #[error("{}", wrong_passcode_text(*remaining))]
    WrongPasscode { remaining: Option<u32> },
    #[error("The shared record is too large for this viewer ({0}). Ask the patient to share less.")]
    TooLarge(Limit),
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error("The record could not be opened: {0}.")]
    Undecryptable(JweError),
    #[error("The record is not a FHIR Bundle this viewer can read.")]
    NotARecord,
    #[error("The link holds no health record this viewer can show.")]
    NoRecord,
    /// The server refused for another reason, in its own words.
    #[error("{0}")]
    Refused(String),
    /// The server refused with no words: its status.
    #[error("The server answered with an error ({0}).")]
    Status(u16),
    #[error("The server's answer could not be read.")]
    Unreadable,
}

fn wrong_passcode_text(remaining: Option<u32>) -> String {
    wrong_passcode(remaining).english()
}

fn wrong_passcode(remaining: Option<u32>) -> Said {
    match remaining {
        Some(1) => Said::new(msg!("That passcode is not right. One attempt is left before the link locks.")),
        // None left reads as inactive: two or more here.
        Some(n) => Said::new(msg!("That passcode is not right. {n} attempts are left before the link locks."))
            .typed("n", n.to_string()),
        None => Said::new(msg!("That passcode is not right.")),
    }
}

/// Which of the viewer's limits a record went over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// More FHIR files than [`MAX_FILES`].
    Files,
    /// An answer over [`MAX_RESPONSE_BYTES`].
    Answer,
    /// A document over [`jwe::MAX_INFLATED`] once decompressed.
    Decompressed,
}

impl Limit {
    pub fn said(self) -> Said {
        match self {
            Self::Files => Said::new(msg!("more than {n} files")).typed("n", MAX_FILES.to_string()),
            Self::Answer => Said::new(msg!("an answer over {n} MB")).typed("n", (MAX_RESPONSE_BYTES >> 20).to_string()),
            Self::Decompressed => {
                Said::new(msg!("over {n} MB decompressed")).typed("n", (jwe::MAX_INFLATED >> 20).to_string())
            }
        }
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.said().english())
    }
}

impl ReceiveError {
    /// Why the link did not open, as a sentence the viewer writes in the clinician's language
    /// (the `Display` text is the same in English). The server's own words stay as it wrote them.
    pub fn said(&self) -> Said {
        match self {
            Self::Inactive => Said::new(msg!(
                "This link is no longer active: it has expired or been revoked. Ask the patient to show you a new QR code."
            )),
            Self::WrongPasscode { remaining } => wrong_passcode(*remaining),
            Self::TooLarge(limit) => Said::new(msg!(
                "The shared record is too large for this viewer ({what}). Ask the patient to share less."
            ))
            .part("what", limit.said()),
            Self::Link(link) => link.said(),
            Self::Undecryptable(why) => {
                Said::new(msg!("The record could not be opened: {why}.")).part("why", why.said())
            }
            Self::NotARecord => Said::new(msg!("The record is not a FHIR Bundle this viewer can read.")),
            Self::NoRecord => Said::new(msg!("The link holds no health record this viewer can show.")),
            Self::Refused(words) => Said::new("{words}").typed("words", words),
            Self::Status(status) => {
                Said::new(msg!("The server answered with an error ({status}).")).typed("status", status.to_string())
            }
            Self::Unreadable => Said::new(msg!("The server's answer could not be read.")),
        }
    }

    /// Whether the clinician can try again here (a mistyped passcode), rather than ask the
    /// patient for a new link.
    pub fn can_retry(&self) -> bool {
        matches!(self, Self::WrongPasscode { .. })
    }
}

#[derive(Serialize)]
struct ManifestRequest<'a> {
    recipient: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    passcode: Option<&'a str>,
}

#[derive(Deserialize)]
struct Manifest {
    files: Vec<ManifestFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ManifestFile {
    content_type: String,
    #[serde(default)]
    embedded: Option<String>,
    #[serde(default)]
    location: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Unauthorized {
    remaining_attempts: Option<u32>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

/// A FHIR file of the link: in hand, or still to fetch from where the manifest says.
enum File {
    Jwe(String),
    At(String),
}

/// Opening one link for one recipient.
pub struct Receive {
    key: Zeroizing<[u8; 32]>,
    /// The manifest request still to make (none for a `U` link, and none once answered).
    manifest: Option<Request>,
    files: Vec<File>,
}

impl Receive {
    /// Starts opening `link` for `recipient` (the name the patient sees in the access log), with
    /// the `passcode` of a `P` link.
    pub fn new(link: &ShlPayload, recipient: &str, passcode: Option<&str>) -> Result<Self, ReceiveError> {
        let key = Zeroizing::new(link.key_bytes()?);
        if link.has_flag('U') {
            let separator = if link.url.contains('?') { '&' } else { '?' };
            let recipient = percent_encoding::utf8_percent_encode(recipient, URI_COMPONENT);
            let url = format!("{}{separator}recipient={recipient}", link.url);
            return Ok(Self { key, manifest: None, files: vec![File::At(url)] });
        }
        // Two strings always serialize (and no `expect`: its Debug formatting would weigh on the viewer).
        let json = serde_json::to_string(&ManifestRequest { recipient, passcode }).unwrap_or_default();
        let manifest = Request { method: Method::Post, url: link.url.clone(), json: Some(json) };
        Ok(Self { key, manifest: Some(manifest), files: Vec::new() })
    }

    /// The next request to make, or `None` once every file is in (then [`Receive::finish`]).
    pub fn next_request(&self) -> Option<Request> {
        if let Some(manifest) = &self.manifest {
            return Some(manifest.clone());
        }
        self.files.iter().find_map(|file| match file {
            File::At(url) => Some(Request { method: Method::Get, url: url.clone(), json: None }),
            File::Jwe(_) => None,
        })
    }

    /// The answer to the request [`Receive::next_request`] gave.
    pub fn take(&mut self, response: Response) -> Result<(), ReceiveError> {
        if self.manifest.take().is_some() {
            return self.take_manifest(response);
        }
        let Some(file) = self.files.iter_mut().find(|f| matches!(f, File::At(_))) else { return Ok(()) };
        *file = File::Jwe(ok_text(response)?);
        Ok(())
    }

    fn take_manifest(&mut self, response: Response) -> Result<(), ReceiveError> {
        if response.status == 401 {
            let remaining = match &response.body {
                Body::Text(text) => {
                    serde_json::from_slice::<Unauthorized>(text.as_bytes()).ok().and_then(|u| u.remaining_attempts)
                }
                Body::OverLimit => None,
            };
            return Err(match remaining {
                Some(0) => ReceiveError::Inactive,
                remaining => ReceiveError::WrongPasscode { remaining },
            });
        }
        let manifest: Manifest =
            serde_json::from_slice(ok_text(response)?.as_bytes()).map_err(|_| ReceiveError::Unreadable)?;
        let fhir = manifest.files.into_iter().filter(|f| f.content_type == FHIR);
        self.files = fhir
            .filter_map(|f| match (f.embedded, f.location) {
                (Some(jwe), _) => Some(File::Jwe(jwe)),
                (None, Some(location)) => Some(File::At(location)),
                (None, None) => None,
            })
            .collect();
        if self.files.len() > MAX_FILES {
            return Err(ReceiveError::TooLarge(Limit::Files));
        }
        Ok(())
    }

    /// The encrypted files received, in the order [`Self::finish`] tries them: a platform whose
    /// own cryptography is asynchronous (the viewer's WebCrypto) opens them first, then answers
    /// `finish`'s calls from what it found.
    pub fn encrypted_files(&self) -> impl Iterator<Item = &str> {
        self.files.iter().filter_map(|file| match file {
            File::Jwe(jwe) => Some(jwe.as_str()),
            _ => None,
        })
    }

    /// The first file that `decrypt` opens (with the link's key) and that reads as a FHIR Bundle;
    /// otherwise why the last one did not. `decrypt` is [`jwe::decrypt`] unless the platform's
    /// own cryptography stands in.
    pub fn finish(
        self,
        decrypt: impl FnMut(&[u8; 32], &str) -> Result<(Vec<u8>, Option<String>), JweError>,
    ) -> Result<Received, ReceiveError> {
        self.finish_reading(decrypt, &ips::read_document)
    }

    /// As [`Self::finish`], but the summary holds only what a viewer paints first
    /// ([`ips::read_first`]: the patient, allergies and medications); the rest is read from
    /// [`Received::document`] with [`ips::read_document`] once that is on screen.
    /// `w` is the reader's wording: the fixed words and dates the reader adds to the details
    /// ([`ips::read_first_in`]).
    pub fn finish_first(
        self,
        decrypt: impl FnMut(&[u8; 32], &str) -> Result<(Vec<u8>, Option<String>), JweError>,
        w: &Wording,
    ) -> Result<Received, ReceiveError> {
        self.finish_reading(decrypt, &|document| ips::read_first_in(document, w))
    }

    fn finish_reading(
        self,
        mut decrypt: impl FnMut(&[u8; 32], &str) -> Result<(Vec<u8>, Option<String>), JweError>,
        read: &dyn Fn(&serde_json::Value) -> Result<Summary, ips::ReadError>,
    ) -> Result<Received, ReceiveError> {
        let mut problem = ReceiveError::NoRecord;
        for file in &self.files {
            let File::Jwe(jwe) = file else { continue };
            let record = match decrypt(&self.key, jwe) {
                Ok((plain, _)) => plain,
                Err(JweError::TooLarge) => {
                    problem = ReceiveError::TooLarge(Limit::Decompressed);
                    continue;
                }
                Err(e) => {
                    problem = ReceiveError::Undecryptable(e);
                    continue;
                }
            };
            let Ok(document) = serde_json::from_slice(&record) else {
                problem = ReceiveError::NotARecord;
                continue;
            };
            match read(&document) {
                Ok(summary) => return Ok(Received { summary, record, document }),
                Err(_) => problem = ReceiveError::NotARecord,
            }
        }
        Err(problem)
    }
}

/// The body of a successful answer; otherwise what the status means.
fn ok_text(response: Response) -> Result<String, ReceiveError> {
    match (response.status, response.body) {
        (200, Body::Text(text)) if text.len() <= MAX_RESPONSE_BYTES => Ok(text),
        (200, _) => Err(ReceiveError::TooLarge(Limit::Answer)),
        (404, _) => Err(ReceiveError::Inactive),
        (status, body) => Err(refusal(status, &body)),
    }
}

/// The server's own words for a refusal (`{"error": …}`), or its status when it gave none.
fn refusal(status: u16, body: &Body) -> ReceiveError {
    match body {
        Body::Text(text) => serde_json::from_slice::<ErrorBody>(text.as_bytes()).ok().map(|e| e.error),
        Body::OverLimit => None,
    }
    .map_or(ReceiveError::Status(status), ReceiveError::Refused)
}

/// What `encodeURIComponent` leaves as it is: letters, digits and `-_.!~*'()`.
const URI_COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');
