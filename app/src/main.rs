//! The patient's app, served at `/`.

/// Freed memory is wiped, so the decrypted binder leaves no copy behind after locking.
#[global_allocator]
static ALLOCATOR: health_binder_app::ZeroOnFree = health_binder_app::ZeroOnFree;

fn main() {
    leptos::mount::mount_to_body(health_binder_app::PatientApp);
}
