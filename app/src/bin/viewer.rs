//! The clinician's viewer, served at `/view`: opens a SMART Health Link and shows the record.

fn main() {
    leptos::mount::mount_to_body(health_binder_app::ViewerPage);
}
