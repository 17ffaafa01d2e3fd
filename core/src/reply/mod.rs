//! Replies: what a clinician sends back to the patient from the viewer — new medication orders
//! (typed as lines, read by [`crate::reconcile`]'s line reader), follow-ups, a short visit note, or
//! a medication list as a FHIR bundle (a discharge list, read later by the importer).
//!
//! Only the patient can read a reply. Every share carries a fresh P-256 public key of the
//! patient's inside its encrypted document ([`crate::ips::REPLY_KEY_EXTENSION`]); the private key
//! stays in the share's record in the vault. The viewer encrypts the reply to it ([`jwe`]) and
//! posts it to `<the link's url>/replies`, which the relay accepts for a while after the share
//! was opened. Anyone holding the link could post, so a reply is never trusted: it is shown as
//! unverified and every part of it goes through the patient's review ([`review`]).

pub mod jwe;
pub mod review;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ips::Forwarded;
use crate::model::{LocalDateTime, PartialDate};
use crate::msg;
use crate::printout::Wording;
use crate::reconcile::{Dose, MedLine, Release};
use crate::said::Said;

/// The reply's `cty`: Health Binder's own JSON (below), not a FHIR resource.
pub const CONTENT_TYPE: &str = "application/vnd.health-binder.reply+json";

/// Bounds that keep a reply what it is meant to be: a few lines typed at a desk.
pub const MAX_FROM: usize = 200;
pub const MAX_ORDERS: usize = 60;
pub const MAX_LINE: usize = 300;
pub const MAX_FOLLOW_UPS: usize = 20;
pub const MAX_NOTE: usize = 4_000;
/// An attached FHIR bundle (a discharge list): JSON text, before encryption.
pub const MAX_BUNDLE_BYTES: usize = 600 * 1024;

/// What the clinician sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// Who wrote it, as they typed it ("Dr Grace Hopper, GP"): unverified.
    pub from: String,
    /// When, by the clinician's clock.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub written_at: DateTime<Utc>,
    /// Medication orders, one line each ("Metformin 1000 mg BID", "Stop simvastatin").
    #[serde(default)]
    pub orders: Vec<String>,
    /// The orders are the whole list the patient should take from now on (the viewer starts the
    /// box with the shared list): a current medication missing from them is to stop. Otherwise
    /// they are changes only, and a medication they do not mention stays as it is.
    #[serde(default)]
    pub complete_list: bool,
    /// "See PCP within 7 days", one per line.
    #[serde(default)]
    pub follow_ups: Vec<String>,
    #[serde(default)]
    pub note: String,
    /// A discharge from hospital: the patient's review offers the care transition checklist.
    #[serde(default)]
    pub discharge: bool,
    /// A FHIR Bundle (JSON text), e.g. a discharge medication list, for the importer's review.
    #[serde(default)]
    pub bundle: Option<String>,
    /// The attached bundle's file name, for the review.
    #[serde(default)]
    pub bundle_name: Option<String>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplyError {
    #[error("The reply is not in a form Health Binder reads.")]
    Unreadable,
    #[error("The reply is not valid: {0}")]
    Invalid(String),
}

fn tidy_lines(lines: Vec<String>) -> Vec<String> {
    lines.iter().flat_map(|l| l.lines()).map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

impl Reply {
    /// Tidies it (trimmed text, no empty lines) and says everything that is wrong at once.
    pub fn validated(mut self) -> Result<Self, Vec<String>> {
        self.from = self.from.trim().to_owned();
        self.note = self.note.trim().to_owned();
        self.orders = tidy_lines(self.orders);
        self.follow_ups = tidy_lines(self.follow_ups);
        self.bundle = self.bundle.filter(|b| !b.trim().is_empty());
        // The limits are written out in each text (one catalogue key each, looked up whole by the
        // viewer); a test holds them to the constants.
        let mut problems = Vec::new();
        if self.from.is_empty() {
            problems.push(msg!("Say who is replying: the patient sees it.").to_owned());
        }
        if self.from.chars().count() > MAX_FROM {
            problems.push(msg!("Keep your name and role under 200 characters.").to_owned());
        }
        if self.orders.is_empty() && self.follow_ups.is_empty() && self.note.is_empty() && self.bundle.is_none() {
            problems.push(msg!("Write at least one order, follow-up or note, or attach a FHIR file.").to_owned());
        }
        if self.orders.len() > MAX_ORDERS {
            problems.push(msg!("At most 60 medication lines.").to_owned());
        }
        if self.follow_ups.len() > MAX_FOLLOW_UPS {
            problems.push(msg!("At most 20 follow-ups.").to_owned());
        }
        if self.orders.iter().chain(&self.follow_ups).any(|l| l.chars().count() > MAX_LINE) {
            problems.push(msg!("Keep each line under 300 characters.").to_owned());
        }
        if self.note.chars().count() > MAX_NOTE {
            problems.push(msg!("Keep the note under 4000 characters.").to_owned());
        }
        if let Some(bundle) = &self.bundle {
            if bundle.len() > MAX_BUNDLE_BYTES {
                problems.push(msg!("The attached file may be at most 600 KB.").to_owned());
            } else if !looks_like_a_bundle(bundle) {
                problems
                    .push(msg!("The attached file is not a FHIR Bundle (JSON whose resourceType is Bundle).").into());
            }
        }
        if problems.is_empty() { Ok(self) } else { Err(problems) }
    }

    pub fn to_json(&self) -> Vec<u8> {
        // Cannot fail (strings, numbers and booleans only); no `expect`, whose error formatting
        // the viewer would otherwise carry.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads a decrypted reply, holding it to the same bounds as the viewer did: the patient's
    /// side trusts nothing about who made it.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ReplyError> {
        let reply: Reply = serde_json::from_slice(bytes).map_err(|_| ReplyError::Unreadable)?;
        reply.validated().map_err(|problems| ReplyError::Invalid(problems.join(" ")))
    }

    /// Whether there is anything for the medication reconciliation.
    pub fn has_orders(&self) -> bool {
        !self.orders.is_empty()
    }
}

/// Opens a reply fetched from the relay with the share's stored reply key: decrypted, read and
/// held to the reply's bounds. A reply made for another share, altered, or not a Health Binder
/// reply is refused with a reason the patient can read.
pub fn open(stored_key: &str, jwe: &str) -> Result<Reply, ReplyError> {
    let key = jwe::ReplyKey::from_stored(stored_key).ok_or(ReplyError::Unreadable)?;
    let (plain, content_type) = key.decrypt(jwe).map_err(|e| ReplyError::Invalid(e.to_string()))?;
    if content_type.as_deref().is_some_and(|c| c != CONTENT_TYPE) {
        return Err(ReplyError::Unreadable);
    }
    Reply::from_json(&plain)
}

/// A JSON object whose `resourceType` is `Bundle`.
fn looks_like_a_bundle(text: &str) -> bool {
    // Through `Value`, which every reader of a shared document already carries.
    serde_json::from_slice::<serde_json::Value>(text.as_bytes())
        .is_ok_and(|v| v.get("resourceType").and_then(|t| t.as_str()) == Some("Bundle"))
}

/// What the line reader understood of an order, for the clinician typing it: "Metformin ·
/// 1000 mg · 1 tablet · by mouth · twice a day", "Stop: simvastatin", with any words it could not
/// read. Read without the drug table (which the viewer does not carry): matching the drug is the
/// patient's side. Kept as sentences ([`Said`]) so that the screen writes the fixed words (how
/// often, the release form) in the reader's language.
pub fn understood(line: &str) -> Understood {
    let typed = |text: String| Said::new("{text}").typed("text", text);
    if let Some(what) = crate::reconcile::stop_order(line) {
        let stop = Said::new(msg!("Stop: {name}")).typed("name", MedLine::parse_details(what).name_text());
        return Understood { parts: vec![stop], unread: None };
    }
    let read = MedLine::parse_details(line);
    let mut parts = vec![typed(match &read.salt {
        Some(salt) => format!("{} {salt}", read.name_text()),
        None => read.name_text(),
    })];
    parts.extend(read.release.filter(|r| *r != Release::Immediate).map(|r| Said::new(r.label())));
    parts.extend(read.strength.as_ref().map(|s| typed(s.text())));
    parts.extend(read.dose.as_ref().map(Dose::said));
    parts.extend(read.route.map(Said::new));
    parts.extend(match (&read.schedule, read.as_needed) {
        (Some(s), true) => Some(Said::new(msg!("as needed, up to {how_often}")).part("how_often", s.said())),
        (None, true) => Some(Said::new(msg!("as needed"))),
        (Some(s), false) => Some(s.said()),
        (None, false) => None,
    });
    parts.retain(|p| !p.english().is_empty());
    let unread = (!read.unread.is_empty())
        .then(|| Said::new(msg!("(not understood: {words})")).typed("words", read.unread.join(" ")));
    Understood { parts, unread }
}

/// What [`understood`] read of a line: its parts, and the words it could not read.
#[derive(Clone, Debug, PartialEq)]
pub struct Understood {
    pub parts: Vec<Said>,
    pub unread: Option<Said>,
}

impl Understood {
    /// The line as read, in the reader's words: the parts between middle dots, then what was not
    /// understood.
    pub fn text(&self, w: &Wording) -> String {
        let mut text = Said::joined(&self.parts, w, " \u{b7} ");
        if let Some(unread) = &self.unread {
            text.push(' ');
            text.push_str(&unread.text(w));
        }
        text
    }
}

/// What came back, as a section of a share made for another member of the care team (the
/// primary care provider): the visit note, the orders and the follow-ups as the clinician wrote
/// them, under a title that says whose and when.
pub fn forwarded(reply: &Reply) -> Forwarded {
    let mut parts = Vec::new();
    if !reply.note.is_empty() {
        parts.push(("Visit note".to_owned(), vec![reply.note.clone()]));
    }
    if !reply.orders.is_empty() {
        let heading = if reply.complete_list { "Medications from now on" } else { "Medication changes" };
        parts.push((heading.to_owned(), reply.orders.clone()));
    }
    if !reply.follow_ups.is_empty() {
        parts.push(("Follow-ups".to_owned(), reply.follow_ups.clone()));
    }
    if reply.discharge {
        parts.push(("Discharge".to_owned(), vec!["This was a discharge from hospital.".to_owned()]));
    }
    Forwarded {
        title: format!(
            "From the visit with {}, {} (sent back to the patient; not verified)",
            reply.from,
            PartialDate::from_utc(reply.written_at).text()
        ),
        parts,
    }
}

/// When a follow-up is due, if its words say: "within 7 days", "in 2 weeks", "in 3 days",
/// "within 48 hours", "tomorrow"; counted from `now` in the patient's own time zone.
pub fn follow_up_due(text: &str, now: LocalDateTime) -> Option<PartialDate> {
    let words: Vec<String> = text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let days = if words.iter().any(|w| w == "tomorrow") {
        Some(1)
    } else {
        words.windows(3).find_map(|w| {
            if !matches!(w[0].as_str(), "within" | "in" | "after") {
                return None;
            }
            let n: i64 = match w[1].as_str() {
                "one" | "a" => 1,
                "two" => 2,
                "three" => 3,
                "four" => 4,
                "five" => 5,
                "six" => 6,
                "seven" => 7,
                "ten" => 10,
                "fourteen" => 14,
                digits => digits.parse().ok().filter(|n| (1..=400).contains(n))?,
            };
            match w[2].as_str() {
                "day" | "days" => Some(n),
                "week" | "weeks" | "wk" | "wks" => Some(n * 7),
                "month" | "months" => Some(n * 30),
                "hour" | "hours" | "hrs" | "h" => Some((n + 23) / 24),
                _ => None,
            }
        })
    }?;
    days_after(now, days)
}

/// The local date `days` after `now`.
pub fn days_after(now: LocalDateTime, days: i64) -> Option<PartialDate> {
    LocalDateTime { utc_ms: now.utc_ms + days * 86_400_000, offset_minutes: now.offset_minutes }.date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limits_written_in_the_problems_are_the_limits() {
        let long = "x".repeat(MAX_LINE + 1);
        let too_much = Reply {
            from: "x".repeat(MAX_FROM + 1),
            orders: vec![long.clone(); MAX_ORDERS + 1],
            follow_ups: vec![long; MAX_FOLLOW_UPS + 1],
            note: "x".repeat(MAX_NOTE + 1),
            bundle: Some(" ".repeat(10) + &"x".repeat(MAX_BUNDLE_BYTES)),
            ..reply()
        };
        let problems = too_much.validated().unwrap_err().join(" ");
        for limit in [MAX_FROM, MAX_ORDERS, MAX_LINE, MAX_FOLLOW_UPS, MAX_NOTE, MAX_BUNDLE_BYTES / 1024] {
            assert!(problems.contains(&format!(" {limit} ")), "{limit} in {problems}");
        }
    }

    fn reply() -> Reply {
        Reply {
            from: " Dr Grace Hopper, GP ".into(),
            orders: vec!["Metformin 1000 mg BID\n\n".into()],
            ..Reply::default()
        }
    }

    #[test]
    fn a_reply_is_tidied_and_checked_all_at_once() {
        let ok = reply().validated().unwrap();
        assert_eq!(ok.from, "Dr Grace Hopper, GP");
        assert_eq!(ok.orders, ["Metformin 1000 mg BID"]);
        let problems = Reply { from: String::new(), orders: vec![], ..Reply::default() }.validated().unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        let bad_bundle = Reply { bundle: Some(r#"{"resourceType":"Patient"}"#.into()), ..reply() };
        assert!(bad_bundle.validated().unwrap_err()[0].contains("not a FHIR Bundle"));
        let bundle = Reply { bundle: Some(r#"{"resourceType":"Bundle","entry":[]}"#.into()), ..reply() };
        assert!(bundle.validated().is_ok());
    }

    #[test]
    fn a_reply_reads_back_and_garbage_does_not() {
        let json = reply().validated().unwrap().to_json();
        assert_eq!(Reply::from_json(&json).unwrap().orders.len(), 1);
        assert_eq!(Reply::from_json(b"[1,2]"), Err(ReplyError::Unreadable));
        let empty = serde_json::to_vec(&Reply { from: "x".into(), ..Reply::default() }).unwrap();
        assert!(matches!(Reply::from_json(&empty), Err(ReplyError::Invalid(_))));
    }

    fn understood(line: &str) -> String {
        super::understood(line).text(&Wording::ENGLISH)
    }

    #[test]
    fn the_clinician_sees_what_was_understood() {
        assert_eq!(
            understood("Metformin 1000 mg 1 tab PO BID"),
            "Metformin \u{b7} 1000 mg \u{b7} 1 tablet \u{b7} by mouth \u{b7} twice a day"
        );
        assert_eq!(
            understood("metoprolol succinate ER 50 mg daily"),
            "Metoprolol succinate \u{b7} extended release \u{b7} 50 mg \u{b7} once a day"
        );
        assert_eq!(
            understood("Albuterol 2 puffs q4h PRN"),
            "Albuterol \u{b7} 2 puffs \u{b7} as needed, up to 6 times a day"
        );
        assert_eq!(understood("D/C simvastatin"), "Stop: Simvastatin");
        assert_eq!(
            understood("Lasix 40 mg daily wibble"),
            "Lasix \u{b7} 40 mg \u{b7} once a day (not understood: wibble)"
        );
    }

    #[test]
    fn the_clinician_reads_how_often_in_their_own_language() {
        let spanish = |t: &str| match t {
            "{how_many} a day" => "{how_many} al día".to_owned(),
            "twice" => "dos veces".to_owned(),
            "extended release" => "liberación prolongada".to_owned(),
            "(not understood: {words})" => "(no se entendió: {words})".to_owned(),
            other => other.to_owned(),
        };
        let es = Wording { text: &spanish, date: &|d| d.text(), plural: &|n| crate::i18n::plural("es", n) };
        assert_eq!(
            super::understood("metformin ER 500 mg BID wibble").text(&es),
            "Metformin \u{b7} liberación prolongada \u{b7} 500 mg \u{b7} dos veces al día (no se entendió: wibble)"
        );
    }

    #[test]
    fn follow_ups_say_when_they_are_due() {
        // 6 December 2026, 23:30 in New York (UTC−5): already the 7th in UTC.
        let now = LocalDateTime::from_local(2026, 12, 6, 23, 30, -300).unwrap();
        let due = |text| follow_up_due(text, now).map(|d| d.to_string());
        assert_eq!(due("See PCP within 7 days").as_deref(), Some("2026-12-13"));
        assert_eq!(due("Blood test in 2 weeks").as_deref(), Some("2026-12-20"));
        assert_eq!(due("Follow-up call within three days").as_deref(), Some("2026-12-09"));
        assert_eq!(due("Phone the ward tomorrow").as_deref(), Some("2026-12-07"));
        assert_eq!(due("Recheck potassium within 48 hours").as_deref(), Some("2026-12-08"));
        assert_eq!(due("Keep a blood pressure diary"), None);
    }
}
