//! Restoring a backup on this device: the file is read and checked, and the passphrase or recovery
//! code must open it, before anything is written; a binder already here is replaced only when asked.

use health_binder_core::vault::{Backup, BackupError, Secret, Unlock, UnlockError, UnlockedVault};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::Busy;
use crate::i18n::{t, t_text};
use crate::session::SessionState;
use crate::storage::BrowserStore;
use crate::{browser, kdf};

/// Opens what `secret` opens in `backup` (as a passphrase, else as a recovery code).
async fn open_backup(
    backup: &Backup,
    secret: &str,
) -> Result<Vec<(UnlockedVault, health_binder_core::Binder)>, String> {
    let unlock = kdf::run(Unlock::new(backup.headers(), Secret::PassphraseOrRecoveryCode, secret)).await?;
    match unlock.finish(&mut |vault| backup.open(vault)) {
        Ok(unlocked) => Ok(unlocked.binders),
        Err(UnlockError::Wrong(_)) => {
            Err(t("That passphrase or recovery code does not open any binder in this backup. Nothing was restored.")
                .into())
        }
        Err(e) => Err(e.to_string()),
    }
}

#[component]
pub fn RestorePanel() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let secret = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let offer_replace = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();

    let restore = move |replace: bool| {
        let Some(input) = file_input.get_untracked() else { return };
        let input: web_sys::HtmlInputElement = input.unchecked_into();
        let typed = secret.get_untracked();
        busy.set(true);
        error.set(None);
        offer_replace.set(false);
        spawn_local(async move {
            let outcome = async {
                // The size first: a huge file is refused before it is read into memory.
                let size = input.files().and_then(|f| f.get(0)).map_or(0.0, |f| f.size());
                if size > health_binder_core::vault::MAX_BACKUP_BYTES as f64 {
                    return Err(BackupError::TooLarge.to_string());
                }
                let text = browser::chosen_file_text(&input).await?;
                let backup = Backup::parse(&text).map_err(|e| e.to_string())?;
                if typed.trim().is_empty() {
                    return Err(t("Enter the passphrase or the recovery code of the backup.").to_owned());
                }
                let opened = open_backup(&backup, &typed).await?;
                // Only what the secret opened is written: never another person's binder.
                let vaults: Vec<&UnlockedVault> = opened.iter().map(|(vault, _)| vault).collect();
                match backup.restore_into(&mut BrowserStore, &vaults, replace) {
                    Err(e @ BackupError::AlreadyHere(_)) => {
                        offer_replace.set(true);
                        Err(e.to_string())
                    }
                    Err(e) => Err(e.to_string()),
                    Ok(_) => Ok(opened),
                }
            }
            .await;
            busy.set(false);
            match outcome {
                Ok(opened) => {
                    session.open(opened, None);
                    session.notice.set(Some(crate::session::Notice::Info(t("Restored from your backup.").into())));
                }
                Err(e) => error.set(Some(t_text(&e))),
            }
        });
    };

    view! {
        <details class="card narrow restore">
            <summary>{t("Restore from a backup")}</summary>
            <form on:submit=move |ev| { ev.prevent_default(); restore(false); } novalidate>
                <label for="restore-file">{t("Backup file")}</label>
                <input id="restore-file" type="file" accept=".json,application/json" node_ref=file_input/>
                <label for="restore-secret">{t("Passphrase or recovery code")}</label>
                <input id="restore-secret" type="password" autocomplete="current-password" bind:value=secret/>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <Show when=move || busy.get()><Busy message=t("Checking the backup… this takes a moment.")/></Show>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>{t("Restore")}</button>
                    <Show when=move || offer_replace.get()>
                        <button type="button" class="danger" on:click=move |_| restore(true)>{t("Replace the copy on this device")}</button>
                    </Show>
                </div>
            </form>
        </details>
    }
}
