use leptos::prelude::*;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode as Code};

/// A QR code of `text` (error correction M, as SMART Health Links require), as an image whose
/// SVG is generated here: nothing from outside is inserted into the page as markup.
#[component]
pub fn QrCode(#[prop(into)] text: String, #[prop(into)] label: String) -> impl IntoView {
    let src = match Code::with_error_correction_level(text.as_bytes(), EcLevel::M) {
        Ok(code) => {
            let svg = code.render::<svg::Color>().min_dimensions(320, 320).quiet_zone(true).build();
            format!("data:image/svg+xml;base64,{}", base64_std(svg.as_bytes()))
        }
        Err(_) => String::new(),
    };
    view! { <img class="qr" src=src alt=label width="320" height="320"/> }
}

fn base64_std(bytes: &[u8]) -> String {
    // The browser's own encoder keeps a second base64 implementation out of the wasm.
    let text: String = bytes.iter().map(|&b| b as char).collect();
    web_sys::window().and_then(|w| w.btoa(&text).ok()).unwrap_or_default()
}
