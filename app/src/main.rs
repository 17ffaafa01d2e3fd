//! Health Binder in the browser: views and browser glue only. Every rule lives in
//! `health-binder-core`; here are signals, storage and the network.

mod app;
mod browser;
mod components;
mod pages;
mod relay;
mod session;
mod storage;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
