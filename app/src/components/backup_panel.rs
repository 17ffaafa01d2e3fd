//! Backups: the whole vault as one encrypted file, a reminder when the binder changed since the
//! last one, and whether the browser promised to keep the binder's storage.

use gloo_storage::{LocalStorage, Storage};
use health_binder_core::vault::{Backup, BackupError};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser;
use crate::i18n::{t, t_text, tf};
use crate::session::{SessionState, storage_text};
use crate::storage::BrowserStore;

/// When the last backup was downloaded (epoch ms). A preference, not health data.
const LAST_BACKUP: &str = "hb/v1/settings/last-backup";

fn last_backup_ms() -> Option<i64> {
    LocalStorage::raw().get_item(LAST_BACKUP).ok().flatten().and_then(|t| t.parse().ok())
}

/// Whether the open binder changed since the last backup (or was never backed up).
pub fn backup_is_due(session: SessionState) -> bool {
    let changed = session.binder.with(|b| b.as_ref().map(|b| b.updated_at.timestamp_millis()));
    changed.is_some_and(|changed| last_backup_ms().is_none_or(|last| changed > last))
}

/// Why no backup was made, in the current language: core's sentences with a detail are rebuilt
/// here, the others are looked up whole.
fn backup_error_text(e: &BackupError) -> String {
    match e {
        BackupError::Unreadable(why) => {
            tf("A binder on this device could not be read, so no backup was made ({why}).", &[("why", &t_text(why))])
        }
        BackupError::Storage(e) => storage_text(e),
        other => t_text(&other.to_string()),
    }
}

#[component]
pub fn BackupPanel() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let message = RwSignal::new(None::<(bool, String)>);
    let persisted = RwSignal::new(None::<Option<bool>>);
    spawn_local(async move { persisted.set(Some(browser::ask_persistent_storage().await)) });

    let download = move |_| {
        let now = browser::now();
        let outcome = Backup::from_kv(&BrowserStore, now.timestamp_millis())
            .map_err(|e| backup_error_text(&e))
            .and_then(|backup| {
                // Not chrono's formatter: it would add ~20 KB to the download for one file name.
                let day = health_binder_core::model::PartialDate::from_utc(now);
                browser::download_text(
                    &tf("health-binder-backup-{day}.json", &[("day", &day.to_string())]),
                    &backup.to_text(),
                )
            });
        match outcome {
            Ok(()) => {
                // A millisecond past the binder's last change, so "due" turns off now.
                let _ = LocalStorage::raw().set_item(LAST_BACKUP, &(now.timestamp_millis() + 1).to_string());
                // Re-reads the reminder, which depends on the binder and the stored time.
                session.binder.notify();
                message.set(Some((
                    true,
                    t("Backup downloaded. Keep the file somewhere other than this device; it opens only with your passphrase or recovery code.")
                        .into(),
                )));
            }
            Err(e) => message.set(Some((false, tf("No backup was made: {why}", &[("why", &e)])))),
        }
    };

    view! {
        <section class="card" aria-labelledby="backup-title">
            <h2 id="backup-title">{t("Backup")}</h2>
            <p>{t("One file with every binder on this device, encrypted as it is stored here (with its shares, so you can still revoke them). Restore it on another device with your passphrase or recovery code.")}</p>
            {move || backup_is_due(session).then(|| view! {
                <p class="notice">{t("Your binder changed since your last backup.")}</p>
            })}
            {move || match persisted.get() {
                Some(Some(true)) => view! { <p>{t("This browser has promised to keep the binder's storage.")}</p> }.into_any(),
                Some(_) => view! { <p class="notice">{t("This browser has not promised to keep the binder's storage: it may clear it when space runs low or after weeks unused. Keep a recent backup.")}</p> }.into_any(),
                None => ().into_any(),
            }}
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "success" } else { "error" } role="status">{m}</p> })}
            <div class="actions">
                <button type="button" class="primary" on:click=download>{t("Download a backup")}</button>
            </div>
        </section>
    }
}
