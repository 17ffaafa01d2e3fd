//! The patient's app, served at `/`.

fn main() {
    leptos::mount::mount_to_body(health_binder_app::PatientApp);
}
