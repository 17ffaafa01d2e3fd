//! Opening a SMART Health Link as the clinician's viewer does, with the server's answers played
//! back: which requests it makes, what each answer means to the clinician, and which file it shows.
//! The files are made with core's own JWE builder (compressed and not) and by kill-the-clipboard,
//! the independent SHL library the browser tests use.

mod common;

use common::{now, sample_binder};
use health_binder_core::shl::ShlPayload;
use health_binder_core::shl::receive::{
    Body, MAX_FILES, MAX_RESPONSE_BYTES, Method, Receive, ReceiveError, Received, Request, Response,
};
use health_binder_core::{b64, ips, jwe};
use serde_json::json;

const FHIR: &str = "application/fhir+json";
const KEY: [u8; 32] = [7; 32];
const DOCTOR: &str = "Dr Grace Hopper, GP";

fn link(flag: &str, url: &str) -> ShlPayload {
    ShlPayload {
        url: url.into(),
        key: b64::encode(KEY),
        exp: Some(1_800_000_000),
        flag: (!flag.is_empty()).then(|| flag.into()),
        label: None,
        v: None,
    }
}

/// The patient's record as our app shares it: an IPS document.
fn document() -> Vec<u8> {
    serde_json::to_vec(&ips::build_document(
        &sample_binder(),
        now(),
        &Default::default(),
        &health_binder_core::ips::Texts::ENGLISH,
    ))
    .unwrap()
}

fn ok(body: impl Into<String>) -> Response {
    Response::new(200, body)
}

/// Plays `answers` back in the order the requests come, checking each request against the
/// expected one, then reads what came in with core's JWE decryption.
fn receive(
    link: &ShlPayload,
    passcode: Option<&str>,
    exchange: Vec<(Request, Response)>,
) -> Result<Received, ReceiveError> {
    let mut receiving = Receive::new(link, DOCTOR, passcode)?;
    for (expected, answer) in exchange {
        assert_eq!(receiving.next_request(), Some(expected));
        receiving.take(answer)?;
    }
    assert_eq!(receiving.next_request(), None, "no request beyond those expected");
    receiving.finish(jwe::decrypt)
}

fn get(url: &str) -> Request {
    Request { method: Method::Get, url: url.into(), json: None }
}

/// The manifest request, its body as sent (key order included).
fn post(url: &str, body: &str) -> Request {
    Request { method: Method::Post, url: url.into(), json: Some(body.into()) }
}

const TO_DOCTOR: &str = r#"{"recipient":"Dr Grace Hopper, GP"}"#;

fn manifest(files: serde_json::Value) -> Response {
    ok(json!({ "files": files }).to_string())
}

#[test]
fn a_u_link_is_one_get_for_the_named_recipient() {
    let document = document();
    let file = jwe::encrypt(&KEY, &document, FHIR);
    let received = receive(
        &link("U", "https://relay.example/shl/abc"),
        None,
        vec![(get("https://relay.example/shl/abc?recipient=Dr%20Grace%20Hopper%2C%20GP"), ok(file))],
    )
    .unwrap();
    assert_eq!(received.summary.patient_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(received.summary.medications.len(), 3);
    assert!(received.record == document, "the record as sent, for 'Save for my binder'");

    // A link address with a query of its own keeps it; every character of the name survives.
    let mut receiving = Receive::new(&link("LU", "https://other.example/f?id=1"), "Zoë & O'Brien (A+E)", None).unwrap();
    assert_eq!(
        receiving.next_request(),
        Some(get("https://other.example/f?id=1&recipient=Zo%C3%AB%20%26%20O'Brien%20(A%2BE)"))
    );
    receiving.take(Response::new(404, "")).unwrap_err();
}

#[test]
fn a_manifest_link_reads_embedded_and_location_files_in_order_and_shows_the_first_record() {
    // A SMART Health Card (not for this viewer), a compressed file fetched by location that is not a
    // FHIR Bundle, then the patient's document embedded: the viewer skips to the record it can read.
    let not_a_bundle = jwe::encrypt_deflated(&KEY, br#"{"resourceType":"Patient"}"#, FHIR);
    let document = document();
    let record = jwe::encrypt_deflated(&KEY, &document, FHIR);
    let url = "https://relay.example/shl/m";
    let received = receive(
        &link("", url),
        None,
        vec![
            (
                post(url, TO_DOCTOR),
                manifest(json!([
                    { "contentType": "application/smart-health-card", "embedded": "not.for.this.viewer" },
                    { "contentType": FHIR, "location": "https://files.example/1" },
                    { "contentType": FHIR, "embedded": record },
                    { "contentType": FHIR },
                ])),
            ),
            (get("https://files.example/1"), ok(not_a_bundle)),
        ],
    )
    .unwrap();
    assert_eq!(received.summary.patient_name.as_deref(), Some("Ada Lovelace"));
    assert!(received.record == document, "inflated (zip: DEF) as it was before compression");
}

#[test]
fn a_compressed_file_kill_the_clipboard_made_opens() {
    // kill-the-clipboard 1.1.0 (encryptSHLFile, compressed as it does by default for FHIR) with
    // the key 0x00..0x1f: an empty collection Bundle, served here as a location file.
    let key: [u8; 32] = core::array::from_fn(|i| i as u8);
    let file = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoiYXBwbGljYXRpb24vZmhpcitqc29uIiwiemlwIjoiREVGIn0..VkSARPyPqw3OdBXP.OwWS_IR3pooOY8XGZhEiVhbSGgjUNMn9Z0ZQoDo6aM2TUYt2gOhmp3jJEaE0tyAeclUPozw.mJoPi-JIvmmDu5a6K-LXGg";
    let ktc = ShlPayload { key: b64::encode(key), ..link("", "http://127.0.0.1:9/shl") };
    let mut receiving = Receive::new(&ktc, DOCTOR, None).unwrap();
    receiving.next_request().unwrap();
    receiving.take(manifest(json!([{ "contentType": FHIR, "location": "http://127.0.0.1:9/files/f0" }]))).unwrap();
    assert_eq!(receiving.next_request(), Some(get("http://127.0.0.1:9/files/f0")));
    receiving.take(ok(file)).unwrap();
    let received = receiving.finish(jwe::decrypt).unwrap();
    assert_eq!(received.record, br#"{"resourceType":"Bundle","type":"collection","entry":[]}"#);
    assert_eq!(received.summary.patient_name, None);
}

#[test]
fn a_wrong_passcode_says_how_many_attempts_are_left_and_none_left_is_inactive() {
    let url = "https://relay.example/shl/p";
    let request = post(url, r#"{"recipient":"Dr Grace Hopper, GP","passcode":"0000"}"#);
    let answer = |body: &str| receive(&link("P", url), Some("0000"), vec![(request.clone(), Response::new(401, body))]);

    let err = answer(r#"{"error":"wrong passcode","remainingAttempts":9}"#).unwrap_err();
    assert_eq!(err, ReceiveError::WrongPasscode { remaining: Some(9) });
    assert!(err.can_retry(), "the clinician may type it again");
    assert_eq!(err.to_string(), "That passcode is not right. 9 attempts are left before the link locks.");
    assert_eq!(
        answer(r#"{"remainingAttempts":1}"#).unwrap_err().to_string(),
        "That passcode is not right. One attempt is left before the link locks."
    );
    assert_eq!(answer("").unwrap_err().to_string(), "That passcode is not right.", "a server that does not count");
    let locked = answer(r#"{"remainingAttempts":0}"#).unwrap_err();
    assert_eq!(locked, ReceiveError::Inactive, "the link has locked");
    assert!(!locked.can_retry());
}

#[test]
fn a_link_that_stopped_working_says_so_wherever_the_404_comes() {
    let inactive =
        "This link is no longer active: it has expired or been revoked. Ask the patient to show you a new QR code.";
    let url = "https://relay.example/shl/gone";
    let manifest_404 = receive(&link("", url), None, vec![(post(url, TO_DOCTOR), Response::new(404, ""))]);
    assert_eq!(manifest_404.unwrap_err().to_string(), inactive);

    let location_404 = receive(
        &link("", url),
        None,
        vec![
            (post(url, TO_DOCTOR), manifest(json!([{ "contentType": FHIR, "location": "https://files.example/x" }]))),
            (get("https://files.example/x"), Response::new(404, "")),
        ],
    );
    assert_eq!(location_404.unwrap_err(), ReceiveError::Inactive, "a location fetched after it expired");

    assert!(link("U", url).has_expired(1_800_000_000), "the link's own expiry, checked before asking for a name");
    assert!(!link("U", url).has_expired(1_799_999_999));
}

#[test]
fn other_refusals_give_the_servers_words_or_its_status() {
    let url = "https://relay.example/shl/r";
    let refused = |answer: Response| {
        receive(&link("U", url), None, vec![(get(&format!("{url}?recipient=Dr%20Grace%20Hopper%2C%20GP")), answer)])
    };
    assert_eq!(
        refused(Response::new(429, r#"{"error":"Too many requests: try again in a minute."}"#))
            .unwrap_err()
            .to_string(),
        "Too many requests: try again in a minute."
    );
    assert_eq!(
        refused(Response::new(502, "<html>Bad gateway</html>")).unwrap_err().to_string(),
        "The server answered with an error (502)."
    );
}

#[test]
fn what_cannot_be_read_is_said_plainly() {
    let url = "https://relay.example/shl/u";
    let direct = |file: String| {
        receive(&link("U", url), None, vec![(get(&format!("{url}?recipient=Dr%20Grace%20Hopper%2C%20GP")), ok(file))])
    };
    let wrong_key = direct(jwe::encrypt(&[8; 32], &document(), FHIR)).unwrap_err();
    assert_eq!(
        wrong_key.to_string(),
        "The record could not be opened: the shared file could not be decrypted: wrong key or altered content."
    );
    let not_fhir = direct(jwe::encrypt(&KEY, b"<html>hello</html>", FHIR)).unwrap_err();
    assert_eq!(not_fhir.to_string(), "The record is not a FHIR Bundle this viewer can read.");

    let request = post(url, TO_DOCTOR);
    let nothing = receive(&link("", url), None, vec![(request.clone(), manifest(json!([])))]).unwrap_err();
    assert_eq!(nothing.to_string(), "The link holds no health record this viewer can show.");
    let garbled = receive(&link("", url), None, vec![(request, ok("{\"files\": ["))]).unwrap_err();
    assert_eq!(garbled.to_string(), "The server's answer could not be read.");
}

#[test]
fn answers_manifests_and_documents_beyond_their_caps_are_refused_as_too_large() {
    let url = "https://relay.example/shl/big";
    let request = post(url, TO_DOCTOR);
    let too_large = |err: ReceiveError| matches!(err, ReceiveError::TooLarge(_)).then(|| err.to_string());

    // Announced as larger than the cap (not even read), or larger once read.
    let announced =
        receive(&link("", url), None, vec![(request.clone(), Response { status: 200, body: Body::OverLimit })]);
    let message = too_large(announced.unwrap_err()).expect("too large");
    assert_eq!(
        message,
        "The shared record is too large for this viewer (an answer over 16 MB). Ask the patient to share less."
    );
    let read = receive(&link("", url), None, vec![(request.clone(), ok(" ".repeat(MAX_RESPONSE_BYTES + 1)))]);
    assert!(too_large(read.unwrap_err()).is_some());

    // A manifest listing more files than a viewer fetches.
    let files: Vec<_> = (0..=MAX_FILES)
        .map(|i| json!({ "contentType": FHIR, "location": format!("https://files.example/{i}") }))
        .collect();
    let many = receive(&link("", url), None, vec![(request.clone(), manifest(json!(files)))]).unwrap_err();
    assert!(too_large(many).unwrap().contains("more than 16 files"));

    // A small compressed file that would inflate past the document cap (a zip bomb).
    let bomb = jwe::encrypt_deflated(&KEY, &vec![b' '; jwe::MAX_INFLATED + 1], FHIR);
    assert!(bomb.len() < 100_000, "{} bytes", bomb.len());
    let inflated =
        receive(&link("", url), None, vec![(request, manifest(json!([{ "contentType": FHIR, "embedded": bomb }])))]);
    assert!(too_large(inflated.unwrap_err()).unwrap().contains("over 32 MB decompressed"));
}

#[test]
fn decryption_is_the_callers_to_replace() {
    // The platform's own cryptography may stand in for core's (WebCrypto, DecompressionStream):
    // whatever `finish` is given decrypts, with the link's key.
    let url = "https://relay.example/shl/w";
    let mut receiving = Receive::new(&link("", url), DOCTOR, None).unwrap();
    receiving.next_request().unwrap();
    receiving.take(manifest(json!([{ "contentType": FHIR, "embedded": "opaque-to-core" }]))).unwrap();
    let mut seen = Vec::new();
    let received = receiving
        .finish(|key, file| {
            seen.push((*key, file.to_owned()));
            Ok((document(), None))
        })
        .unwrap();
    assert_eq!(seen, [(KEY, "opaque-to-core".to_owned())]);
    assert_eq!(received.summary.patient_name.as_deref(), Some("Ada Lovelace"));
}

#[test]
fn the_first_read_holds_what_is_painted_first_and_the_document_gives_the_rest() {
    // What the viewer shows before its first frame: the patient, allergies and medications; the
    // other sections come from the kept document right after, the same as a whole read.
    let url = "https://relay.example/shl/u";
    let file = jwe::encrypt(&KEY, &document(), FHIR);
    let mut receiving = Receive::new(&link("U", url), DOCTOR, None).unwrap();
    receiving.next_request().unwrap();
    receiving.take(ok(file.clone())).unwrap();
    let first = receiving.finish_first(jwe::decrypt, &health_binder_core::printout::Wording::ENGLISH).unwrap();

    let whole =
        receive(&link("U", url), None, vec![(get(&format!("{url}?recipient=Dr%20Grace%20Hopper%2C%20GP")), ok(file))])
            .unwrap()
            .summary;
    let codes = |s: &ips::Summary| s.sections.iter().map(|s| s.loinc.clone().unwrap_or_default()).collect::<Vec<_>>();
    let painted_first = [ips::ALLERGIES.loinc, ips::MEDICATIONS.loinc];
    let expected: Vec<String> = codes(&whole).into_iter().filter(|c| painted_first.contains(&c.as_str())).collect();
    assert_eq!(expected.len(), 2, "the sample binder shares both");
    assert_eq!(codes(&first.summary), expected);
    assert!(codes(&whole).len() > 2, "the sample binder has more sections: {:?}", codes(&whole));
    assert_eq!(first.summary.section(ips::ALLERGIES), whole.section(ips::ALLERGIES));
    assert_eq!(first.summary.medications, whole.medications);
    assert_eq!(first.summary.patient_name, whole.patient_name);
    assert_eq!(first.summary.reply_key, whole.reply_key);
    assert_eq!(ips::read_document(&first.document).unwrap(), whole, "the rest, read from the kept document");
}
