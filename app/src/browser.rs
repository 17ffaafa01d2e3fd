//! Small wrappers over browser APIs the views use.

use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::t;

fn window() -> web_sys::Window {
    web_sys::window().expect("the app runs in a browser window")
}

pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

pub fn hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// Replaces the address (without reloading) so a key read from the fragment no longer sits in
/// the address bar, the history, or a screenshot of the screen.
pub fn replace_address(path: &str) {
    let _ = window().history().and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(path)));
}

pub fn copy_to_clipboard(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}

pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// Lets the browser paint (e.g. a "working…" message) before a long synchronous job such as the
/// key derivation, so the page never looks frozen.
pub async fn let_the_page_paint() {
    gloo_timers::future::TimeoutFuture::new(40).await;
}

/// A time in the reader's own time zone, as the browser writes it in the language shown (`i18n::locale`).
pub fn local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    date.to_locale_string(&crate::i18n::locale(), &JsValue::UNDEFINED).into()
}

/// An RFC 3339 time from a document, in the reader's time zone; as written if unreadable.
pub fn local_date_text(rfc3339: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        rfc3339.to_owned()
    } else {
        date.to_locale_string(&crate::i18n::locale(), &JsValue::UNDEFINED).into()
    }
}

/// The end (23:59:59) of a `YYYY-MM-DD` day in the local time zone, as from a date input.
pub fn end_of_local_day(day: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if day.len() != 10 {
        return None;
    }
    let date = js_sys::Date::new(&JsValue::from_str(&format!("{day}T23:59:59")));
    let millis = date.get_time();
    (!millis.is_nan()).then(|| chrono::DateTime::from_timestamp_millis(millis as i64)).flatten()
}

/// Whether the system share sheet (Web Share API) is there.
pub fn can_share() -> bool {
    js_sys::Reflect::has(&window().navigator(), &JsValue::from_str("share")).unwrap_or(false)
}

/// Hands a link to the system share sheet.
pub fn share_link(title: &str, url: &str) {
    let navigator = window().navigator();
    let data = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&data, &JsValue::from_str("title"), &JsValue::from_str(title));
    let _ = js_sys::Reflect::set(&data, &JsValue::from_str("url"), &JsValue::from_str(url));
    if let Ok(share) = js_sys::Reflect::get(&navigator, &JsValue::from_str("share"))
        && let Some(share) = share.dyn_ref::<js_sys::Function>()
    {
        let _ = share.call1(&navigator, &data);
    }
}

/// Minutes east of UTC in this browser's time zone at a local wall-clock time (so a summer
/// appointment entered in winter gets its summer offset).
pub fn zone_offset(at: health_binder_core::model::LocalParts) -> i16 {
    let date = js_sys::Date::new_with_year_month_day_hr_min(
        at.year as u32,
        i32::from(at.month) - 1,
        i32::from(at.day),
        i32::from(at.hour),
        i32::from(at.minute),
    );
    -(date.get_timezone_offset() as i16)
}

/// Now, on this browser's wall clock.
pub fn local_now() -> health_binder_core::model::LocalDateTime {
    let offset = -(js_sys::Date::new_0().get_timezone_offset() as i16);
    health_binder_core::model::LocalDateTime::from_utc(now(), offset)
}

/// Saves `text` as a JSON file the user downloads (the backup). Nothing leaves the device.
pub fn download_text(file_name: &str, text: &str) -> Result<(), String> {
    download_file(file_name, "application/json", text)
}

/// Saves `text` as a file of type `mime` the user downloads. Nothing leaves the device.
pub fn download_file(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    // The browser's own words (an exception) tell a patient nothing.
    let describe = |_: JsValue| t("This browser could not make the file.").to_owned();
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let document = window().document().ok_or_else(|| describe(JsValue::NULL))?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").map_err(describe)?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The text of the file chosen in a file input.
pub async fn chosen_file_text(input: &web_sys::HtmlInputElement) -> Result<String, String> {
    let file = input.files().and_then(|files| files.get(0)).ok_or(t("Choose a backup file first."))?;
    let text =
        wasm_bindgen_futures::JsFuture::from(file.text()).await.map_err(|_| t("That file could not be read."))?;
    text.as_string().ok_or_else(|| t("That file could not be read.").to_owned())
}

/// Asks the browser to keep this site's storage under pressure (`navigator.storage.persist()`).
/// Answers whether it agreed; `None` where the browser cannot say.
pub async fn ask_persistent_storage() -> Option<bool> {
    let storage = window().navigator().storage();
    let promise = storage.persist().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.as_bool()
}

/// The page's `Notification` constructor, where the browser has one.
fn notification_class() -> Option<js_sys::Function> {
    js_sys::Reflect::get(&window(), &JsValue::from_str("Notification")).ok()?.dyn_into().ok()
}

/// Asks for permission to show system notifications — only ever called when the patient turns
/// them on. Answers whether they are allowed.
pub async fn ask_notification_permission() -> bool {
    let Some(class) = notification_class() else { return false };
    let ask = js_sys::Reflect::get(&class, &JsValue::from_str("requestPermission")).ok();
    let Some(promise) = ask.and_then(|f| f.dyn_into::<js_sys::Function>().ok()).and_then(|f| f.call0(&class).ok())
    else {
        return false;
    };
    let answer = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&promise)).await;
    answer.ok().and_then(|a| a.as_string()).is_some_and(|a| a == "granted")
}

/// Shows a system notification if the browser allows them (nothing otherwise). The text is fixed
/// by the caller, never built from the binder: the system may show it on a locked screen.
pub fn notify(title: &str, body: &str) {
    let Some(class) = notification_class() else { return };
    let granted = js_sys::Reflect::get(&class, &JsValue::from_str("permission")).ok().and_then(|p| p.as_string());
    if granted.as_deref() != Some("granted") {
        return;
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("body"), &JsValue::from_str(body));
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("tag"), &JsValue::from_str("health-binder-dose"));
    let _ = js_sys::Reflect::construct(&class, &js_sys::Array::of2(&JsValue::from_str(title), &options));
}

/// A wall-clock date (a year, a month or a day, with or without a time) by the browser's `Intl`
/// in the reader's locale, `month` "long" or "short". Read as UTC and written in UTC, so no time
/// zone moves it: it is shown as the patient entered it.
pub fn wall_clock_date(
    year: i64,
    month: Option<u8>,
    day: Option<u8>,
    time: Option<(u8, u8)>,
    month_style: &str,
) -> String {
    let Some(month) = month else { return year.to_string() };
    let (hour, minute) = time.unwrap_or((0, 0));
    let millis = js_sys::Date::utc(year as f64, f64::from(month - 1))
        + f64::from(day.unwrap_or(1) - 1) * 86_400_000.0
        + f64::from(hour) * 3_600_000.0
        + f64::from(minute) * 60_000.0;
    let mut options = vec![("year", "numeric"), ("month", month_style)];
    if day.is_some() {
        options.push(("day", "numeric"));
    }
    if time.is_some() {
        options.extend([("hour", "2-digit"), ("minute", "2-digit")]);
    }
    utc_text(millis, &options)
}

/// "08:05": a wall-clock time alone, 24-hour in every language (as dose times are typed), with
/// the reader's digits and separator.
pub fn wall_clock_time(hour: u8, minute: u8) -> String {
    let millis = f64::from(hour) * 3_600_000.0 + f64::from(minute) * 60_000.0;
    utc_text(millis, &[("hour", "2-digit"), ("minute", "2-digit"), ("hourCycle", "h23")])
}

/// `millis` read and written in UTC by `Intl` in the reader's locale with `options`: the one
/// place the app's wall-clock dates and times are written.
fn utc_text(millis: f64, options: &[(&str, &str)]) -> String {
    let settings = js_sys::Object::new();
    for (name, value) in [("timeZone", "UTC")].iter().chain(options) {
        let _ = js_sys::Reflect::set(&settings, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    js_sys::Date::new(&JsValue::from_f64(millis)).to_locale_string(&crate::i18n::locale(), &settings).into()
}
