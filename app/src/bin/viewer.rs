//! The clinician's viewer, served at `/view`: opens a SMART Health Link and shows the record.

use health_binder_app::{Translated, ViewerPage};
use leptos::prelude::*;

fn main() {
    // In the clinician's language, from their browser: never the patient's choice (which lives on
    // the patient's device and origin anyway).
    leptos::mount::mount_to_body(
        || view! { <Translated remember=false base="/view/locales/"><ViewerPage/></Translated> },
    );
}
