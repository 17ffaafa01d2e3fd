//! A backup of the whole vault as one file: it carries only what is already stored (ciphertext,
//! wrapped keys), opens with the passphrase or recovery code before anything is written, and a
//! damaged, foreign or conflicting file changes nothing on the device.

mod common;

use std::collections::BTreeMap;

use chrono::Duration;
use common::{ibuprofen, metformin, now};
use health_binder_core::model::ShareRecord;
use health_binder_core::vault::{
    Backup, BackupError, KdfParams, MAX_BACKUP_BYTES, MAX_BINDERS, MemoryStore, UnlockedVault, VaultError, VaultStore,
};
use health_binder_core::{Binder, Medication};
use serde_json::Value;
use uuid::Uuid;

const PASSPHRASE: &str = "correct horse battery staple";
const NAME_MARKER: &str = "Zanzibar Quokkafeld";
const MEDICATION_MARKER: &str = "Quokkamycin-7731";
const SHARE_KEY: &str = "c2hhcmUta2V5LW1hcmtlci1xdW9ra2EtNzczMS0wMDA";
const MANAGEMENT_SECRET: &str = "mgmt-secret-quokka-7731";
const CREATED_MS: i64 = 1_795_428_000_000;

/// Cheap Argon2id for tests (1 MiB, 1 pass).
fn quick_kdf() -> KdfParams {
    KdfParams::with_cost(1024, 1)
}

fn share() -> ShareRecord {
    ShareRecord {
        relay_id: "relay-quokka".into(),
        url: "https://relay.example/shl/relay-quokka".into(),
        key: SHARE_KEY.into(),
        management_secret: MANAGEMENT_SECRET.into(),
        created_at: now(),
        expires_at: now() + Duration::days(7),
        label: Some("For Dr Marker".into()),
        label_in_link: false,
        flag: "U".into(),
        viewer: "https://relay.example/view".into(),
        revoked_at: None,
        sections: vec!["10160-0".into()],
        passcode: None,
        max_uses: None,
        reply_key: None,
        replies: Vec::new(),
    }
}

/// A binder with distinctive markers in the profile, a medication and a share record.
fn marked_binder(name: &str) -> Binder {
    let mut binder = Binder::new(name, now());
    binder.add_medication(metformin(), now()).unwrap();
    let marked = Medication { name: MEDICATION_MARKER.into(), strength: "10 mg".into(), ..Medication::default() };
    binder.add_medication(marked, now()).unwrap();
    binder.add_share(share(), now());
    binder
}

struct Device {
    kv: MemoryStore,
    binder: Binder,
    recovery_code: String,
}

/// A device with one binder (passphrase and recovery code) added to `kv`.
fn add_binder(kv: MemoryStore, name: &str) -> Device {
    let binder = marked_binder(name);
    let mut vault = UnlockedVault::create(binder.id, PASSPHRASE, quick_kdf()).unwrap();
    let recovery_code = vault.new_recovery_code(quick_kdf()).unwrap();
    let mut store = VaultStore::new(kv);
    store.create(&vault, &binder).unwrap();
    Device { kv: store.into_inner(), binder, recovery_code }
}

fn device() -> Device {
    add_binder(MemoryStore::default(), NAME_MARKER)
}

/// The vaults `passphrase` opens in `backup` (what the app proves before it writes).
fn opened_by(backup: &Backup, passphrase: &str) -> Vec<UnlockedVault> {
    backup
        .binder_ids()
        .into_iter()
        .filter_map(|id| UnlockedVault::unlock(backup.header(id)?, passphrase).ok())
        .collect()
}

/// Restores what `passphrase` opens, as the app does.
fn restore(backup: &Backup, passphrase: &str, kv: &mut MemoryStore, replace: bool) -> Result<Vec<Uuid>, BackupError> {
    let vaults = opened_by(backup, passphrase);
    backup.restore_into(kv, &vaults.iter().collect::<Vec<_>>(), replace)
}

fn backup_text(kv: &MemoryStore) -> String {
    Backup::from_kv(kv, CREATED_MS).unwrap().to_text()
}

/// A change made to a backup's JSON, to build a damaged file.
type Edit<'a> = Box<dyn FnOnce(&mut Value) + 'a>;

fn edit(text: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut doc: Value = serde_json::from_str(text).unwrap();
    change(&mut doc);
    doc.to_string()
}

fn flip_ciphertext_byte(generation: &mut Value) {
    let mut ct = health_binder_core::b64::decode(generation["ciphertext"].as_str().unwrap()).unwrap();
    ct[10] ^= 0x01;
    generation["ciphertext"] = health_binder_core::b64::encode(&ct).into();
}

/// What the app does: read the file, check the passphrase opens every binder and its content
/// authenticates, and only then write.
fn restore_with_passphrase(text: &str, passphrase: &str, kv: &mut MemoryStore) -> Result<Vec<Uuid>, String> {
    let backup = Backup::parse(text).map_err(|e| e.to_string())?;
    for id in backup.binder_ids() {
        let vault = UnlockedVault::unlock(backup.header(id).unwrap(), passphrase).map_err(|e| e.to_string())?;
        backup.open(&vault).map_err(|e| e.to_string())?;
    }
    restore(&backup, passphrase, kv, false).map_err(|e| e.to_string())
}

#[test]
fn a_store_written_by_the_vault_comes_back_key_for_key() {
    // A backup writes back exactly the keys and values the vault wrote, nothing more or less.
    let Device { kv, binder, .. } = device();
    let vault = UnlockedVault::unlock(&VaultStore::new(kv.clone()).header(binder.id).unwrap(), PASSPHRASE).unwrap();
    let mut store = VaultStore::new(kv);
    for _ in 0..5 {
        store.save(&vault, &binder).unwrap();
    }
    let original = add_binder(store.into_inner(), "Second Person").kv;

    let mut restored = MemoryStore::default();
    let backup = Backup::parse(&backup_text(&original)).unwrap();
    restore(&backup, PASSPHRASE, &mut restored, false).unwrap();
    assert_eq!(restored.0, original.0);
}

#[test]
fn round_trip_opens_with_the_passphrase_and_the_recovery_code_then_restores_an_equal_binder() {
    let Device { kv, binder, recovery_code } = device();
    let text = backup_text(&kv);
    let backup = Backup::parse(&text).unwrap();
    assert_eq!(backup.binder_ids(), [binder.id]);
    assert_eq!(backup.created_at_ms(), CREATED_MS);

    let header = backup.header(binder.id).unwrap();
    let by_passphrase = UnlockedVault::unlock(header, PASSPHRASE).unwrap();
    let opened = backup.open(&by_passphrase).unwrap();
    assert_eq!((opened.binder.clone(), opened.generation), (binder.clone(), 1));
    assert!(opened.skipped.is_empty());
    let by_code = UnlockedVault::unlock_with_recovery_code(header, &recovery_code.to_lowercase()).unwrap();
    assert_eq!(backup.open(&by_code).unwrap().binder, binder);

    let mut other_device = MemoryStore::default();
    assert_eq!(backup.restore_into(&mut other_device, &[&by_passphrase], false).unwrap(), [binder.id]);
    let store = VaultStore::new(other_device);
    assert_eq!(store.binder_ids().unwrap(), [binder.id]);
    let reopened = UnlockedVault::unlock_with_recovery_code(&store.header(binder.id).unwrap(), &recovery_code).unwrap();
    let loaded = store.load(&reopened).unwrap();
    assert_eq!(loaded.binder, binder);
    let share = &loaded.binder.shares[0];
    assert_eq!((share.key.as_str(), share.management_secret.as_str()), (SHARE_KEY, MANAGEMENT_SECRET));
}

#[test]
fn the_file_holds_no_health_data_and_no_key() {
    let text = backup_text(&device().kv);
    for marker in
        [NAME_MARKER, "Quokkafeld", MEDICATION_MARKER, "Metformin", "Type 2 diabetes", SHARE_KEY, MANAGEMENT_SECRET]
    {
        assert!(!text.contains(marker), "{marker} is in the backup in plaintext");
    }
}

#[test]
fn the_file_has_a_stable_documented_shape() {
    let Device { kv, binder, .. } = device();
    let text = backup_text(&kv);
    assert!(text.starts_with(&format!(
        r#"{{"format":"health-binder-backup","version":1,"created_at":{CREATED_MS},"binders":[{{"id":"{}","header":{{"#,
        binder.id
    )));
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["binders"][0]["head"], 1);
    assert_eq!(doc["binders"][0]["generations"][0]["generation"], 1);
    assert_eq!(Backup::parse(&text).unwrap().to_text(), text, "reading and writing again changes nothing");
}

#[test]
fn a_wrong_passphrase_or_recovery_code_is_refused_and_nothing_is_written() {
    let Device { kv, binder, .. } = device();
    let text = backup_text(&kv);
    let mut target = add_binder(MemoryStore::default(), "Already Here").kv;
    let before = target.0.clone();

    let err = restore_with_passphrase(&text, "Correct horse battery staple", &mut target).unwrap_err();
    assert_eq!(err, VaultError::WrongPassphrase.to_string());
    let header = Backup::parse(&text).unwrap().header(binder.id).unwrap().clone();
    let wrong_code = UnlockedVault::unlock_with_recovery_code(&header, "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA");
    assert!(matches!(wrong_code, Err(VaultError::WrongRecoveryCode)));
    assert_eq!(target.0, before);

    assert_eq!(restore_with_passphrase(&text, PASSPHRASE, &mut target).unwrap(), [binder.id]);
    assert_ne!(target.0, before);
}

#[test]
fn a_tampered_generation_in_the_file_fails_authentication_when_opened() {
    let Device { kv, mut binder, .. } = device();
    let vault = UnlockedVault::unlock(&VaultStore::new(kv.clone()).header(binder.id).unwrap(), PASSPHRASE).unwrap();
    let first = binder.clone();
    binder.add_medication(ibuprofen(), now()).unwrap();
    let mut store = VaultStore::new(kv);
    assert_eq!(store.save(&vault, &binder).unwrap(), 2);
    let text = backup_text(&store.into_inner());

    // The newest is altered: the one before opens, and the patient is told.
    let tampered = edit(&text, |doc| flip_ciphertext_byte(&mut doc["binders"][0]["generations"][0]));
    let loaded = Backup::parse(&tampered).unwrap().open(&vault).unwrap();
    assert_eq!((loaded.binder, loaded.generation), (first, 1));
    assert_eq!(loaded.skipped.len(), 1);
    assert_eq!(loaded.skipped[0].0, 2);
    assert_eq!(loaded.skipped[0].1, VaultError::Tampered.to_string());

    // Every one altered: nothing opens, so the app never gets to write.
    let all = edit(&text, |doc| {
        for generation in doc["binders"][0]["generations"].as_array_mut().unwrap() {
            flip_ciphertext_byte(generation);
        }
    });
    let mut target = MemoryStore::default();
    let err = restore_with_passphrase(&all, PASSPHRASE, &mut target).unwrap_err();
    assert_eq!(err, VaultError::Tampered.to_string());
    assert!(target.0.is_empty());
}

#[test]
fn opening_with_a_vault_of_another_binder_finds_nothing() {
    let text = backup_text(&device().kv);
    let stranger = UnlockedVault::create(Uuid::from_u128(7), PASSPHRASE, quick_kdf()).unwrap();
    assert!(matches!(Backup::parse(&text).unwrap().open(&stranger), Err(VaultError::NotFound)));
    assert!(Backup::parse(&text).unwrap().header(Uuid::from_u128(7)).is_none());
}

/// Parses and restores (replacing, the most permissive) into `target`: any refusal must come
/// from `parse`, before a single write.
fn refused(text: &str, target: &mut MemoryStore) -> BackupError {
    let before = target.0.clone();
    let err = match Backup::parse(text) {
        Ok(backup) => panic!("accepted: {:?}", restore(&backup, PASSPHRASE, target, true)),
        Err(e) => e,
    };
    assert_eq!(target.0, before, "a refused file changed the device");
    err
}

#[test]
fn files_that_are_not_backups_are_refused_as_such() {
    let mut target = device().kv;
    let header_json = target.0.iter().find(|(k, _)| k.ends_with("/header")).unwrap().1.clone();
    for text in [
        "",
        "hello",
        "%PDF-1.7\n%âãÏÓ",
        r#"{"resourceType":"Bundle","type":"document","entry":[]}"#,
        r#"[{"format":"health-binder-backup"}]"#,
        r#"{"format":"some-other-app","version":1,"binders":[]}"#,
        r#"{"format":1,"version":1}"#,
        &header_json,
    ] {
        let err = refused(text, &mut target);
        assert!(matches!(err, BackupError::NotABackup), "{text:?}: {err:?}");
        assert_eq!(err.to_string(), "This file is not a Health Binder backup.");
    }
}

#[test]
fn a_truncated_file_is_refused_as_incomplete() {
    let text = backup_text(&device().kv);
    let mut target = MemoryStore::default();
    for cut in [&text[..text.len() / 2], &text[..text.len() - 1], &text[..40]] {
        let err = refused(cut, &mut target);
        assert!(matches!(err, BackupError::Damaged(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            "This backup file is incomplete or damaged (the file ends too early; copy it again from where it was saved)."
        );
    }
}

#[test]
fn a_newer_version_asks_for_an_update() {
    let text = edit(&backup_text(&device().kv), |doc| {
        doc["version"] = 2.into();
        doc["binders"] = "a shape this version does not know".into();
    });
    let err = refused(&text, &mut MemoryStore::default());
    assert!(matches!(err, BackupError::NewerVersion(2)));
    assert_eq!(
        err.to_string(),
        "This backup was made by a newer version of Health Binder; update the app to restore it."
    );
}

#[test]
fn oversized_files_and_absurd_binder_counts_are_refused_before_reading_them() {
    let huge = "x".repeat(MAX_BACKUP_BYTES + 1);
    let err = refused(&huge, &mut MemoryStore::default());
    assert!(matches!(err, BackupError::TooLarge));
    assert_eq!(err.to_string(), "This file is too large to be a Health Binder backup.");

    let many = edit(&backup_text(&device().kv), |doc| {
        let one = doc["binders"][0].clone();
        doc["binders"] = Value::Array(vec![one; MAX_BINDERS + 1]);
    });
    let err = refused(&many, &mut MemoryStore::default());
    assert!(matches!(err, BackupError::TooManyBinders));
    assert_eq!(err.to_string(), "This backup holds more binders than Health Binder can restore at once (at most 64).");
}

#[test]
fn an_empty_backup_is_refused() {
    let text = edit(&backup_text(&device().kv), |doc| doc["binders"] = Value::Array(Vec::new()));
    let err = refused(&text, &mut MemoryStore::default());
    assert!(matches!(err, BackupError::Empty));
    assert_eq!(err.to_string(), "This backup holds no binder to restore.");
}

#[test]
fn inconsistent_backups_are_refused_as_damaged_and_change_nothing() {
    // Three generations (3, 2, 1), so the cases below can move them around.
    let Device { kv, binder, .. } = device();
    let vault = UnlockedVault::unlock(&VaultStore::new(kv.clone()).header(binder.id).unwrap(), PASSPHRASE).unwrap();
    let mut store = VaultStore::new(kv);
    store.save(&vault, &binder).unwrap();
    store.save(&vault, &binder).unwrap();
    let text = backup_text(&store.into_inner());
    let other = Uuid::from_u128(42).to_string();
    let mut target = add_binder(MemoryStore::default(), "Already Here").kv;

    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "header of another binder",
            Box::new(|d| d["binders"][0]["header"]["binder_id"] = other.clone().into()),
            "its key header belongs to another binder",
        ),
        (
            "header without keys",
            Box::new(|d| d["binders"][0]["header"]["slots"] = Value::Array(Vec::new())),
            "its key header holds no key",
        ),
        (
            "generation of another binder",
            Box::new(|d| d["binders"][0]["generations"][1]["binder_id"] = other.clone().into()),
            "saved state 2 belongs to another binder",
        ),
        (
            "generation renumbered",
            Box::new(|d| d["binders"][0]["generations"][1]["generation"] = 7.into()),
            "saved state 7 is out of place",
        ),
        (
            "generation out of the kept range",
            Box::new(|d| d["binders"][0]["generations"][2]["generation"] = 0.into()),
            "saved state 0 is out of place",
        ),
        (
            "generations out of order",
            Box::new(|d| d["binders"][0]["generations"].as_array_mut().unwrap().swap(1, 2)),
            "saved state 2 is out of place",
        ),
        (
            "generation repeated",
            Box::new(|d| {
                let g = d["binders"][0]["generations"][1].clone();
                d["binders"][0]["generations"][2] = g;
            }),
            "saved state 2 is out of place",
        ),
        (
            "head missing",
            Box::new(|d| {
                d["binders"][0]["generations"].as_array_mut().unwrap().remove(0);
            }),
            "its newest saved state is missing",
        ),
        (
            "head points elsewhere",
            Box::new(|d| d["binders"][0]["head"] = 9.into()),
            "its newest saved state is missing",
        ),
        (
            "no generations",
            Box::new(|d| d["binders"][0]["generations"] = Value::Array(Vec::new())),
            "its newest saved state is missing",
        ),
        (
            "binder twice",
            Box::new(|d| {
                let b = d["binders"][0].clone();
                d["binders"].as_array_mut().unwrap().push(b);
            }),
            "it appears twice",
        ),
    ];
    for (case, change, why) in cases {
        let err = refused(&edit(&text, change), &mut target);
        assert!(matches!(err, BackupError::Damaged(_)), "{case}: {err:?}");
        assert_eq!(
            err.to_string(),
            format!("This backup file is incomplete or damaged (binder {}: {why}).", binder.id),
            "{case}"
        );
    }

    for (case, change) in [
        (
            "version missing",
            Box::new(|d: &mut Value| {
                d.as_object_mut().unwrap().remove("version");
            }) as Edit,
        ),
        ("version zero", Box::new(|d| d["version"] = 0.into())),
        ("version as text", Box::new(|d| d["version"] = "1".into())),
        ("binders not a list", Box::new(|d| d["binders"] = "none".into())),
        (
            "created_at missing",
            Box::new(|d| {
                d.as_object_mut().unwrap().remove("created_at");
            }),
        ),
        (
            "ciphertext not base64url",
            Box::new(|d| d["binders"][0]["generations"][0]["ciphertext"] = "not base64!".into()),
        ),
        ("id not a uuid", Box::new(|d| d["binders"][0]["id"] = "patient-1".into())),
    ] {
        let err = refused(&edit(&text, change), &mut target);
        assert!(matches!(err, BackupError::Damaged(_)), "{case}: {err:?}");
        assert!(err.to_string().starts_with("This backup file is incomplete or damaged ("), "{case}: {err}");
    }
}

#[test]
fn a_binder_already_on_the_device_is_refused_and_nothing_is_written() {
    let first = device();
    let both = add_binder(first.kv.clone(), "Second Person");
    let text = backup_text(&both.kv);
    // Only the first of the two is on the target: the second must not be written either.
    let mut target = first.kv.clone();
    let before: BTreeMap<String, String> = target.0.clone();
    let err = restore(&Backup::parse(&text).unwrap(), PASSPHRASE, &mut target, false).unwrap_err();
    assert!(matches!(err, BackupError::AlreadyHere(id) if id == first.binder.id));
    assert_eq!(
        err.to_string(),
        "This binder is already on this device. Nothing was restored; to overwrite the copy here with the one in \
         the backup, choose to replace it."
    );
    assert_eq!(target.0, before);
}

#[test]
fn replacing_puts_the_backups_copy_in_place_and_drops_the_devices_newer_generations() {
    let Device { kv, binder, .. } = device();
    let text = backup_text(&kv);
    // On the device the binder moves on after the backup: two more saves and a new passphrase.
    let mut vault = UnlockedVault::unlock(&VaultStore::new(kv.clone()).header(binder.id).unwrap(), PASSPHRASE).unwrap();
    let mut store = VaultStore::new(kv);
    let mut changed = binder.clone();
    changed.add_medication(ibuprofen(), now()).unwrap();
    store.save(&vault, &changed).unwrap();
    store.save(&vault, &changed).unwrap();
    vault.change_passphrase("a newer passphrase", quick_kdf()).unwrap();
    store.save_header(&vault).unwrap();
    let mut kv = store.into_inner();
    let index_before = kv.0["hb/v1/index"].clone();

    assert_eq!(restore(&Backup::parse(&text).unwrap(), PASSPHRASE, &mut kv, true).unwrap(), [binder.id]);
    assert_eq!(kv.0["hb/v1/index"], index_before, "listed once");
    for stale in [2, 3] {
        assert!(!kv.0.contains_key(&format!("hb/v1/binder/{}/gen/{stale}", binder.id)), "generation {stale} kept");
    }
    let store = VaultStore::new(kv);
    let header = store.header(binder.id).unwrap();
    assert!(matches!(UnlockedVault::unlock(&header, "a newer passphrase"), Err(VaultError::WrongPassphrase)));
    let loaded = store.load(&UnlockedVault::unlock(&header, PASSPHRASE).unwrap()).unwrap();
    assert_eq!((loaded.binder, loaded.generation), (binder, 1));
}

#[test]
fn two_binders_in_one_backup_are_both_restored_beside_the_devices_own() {
    let first = device();
    let second = add_binder(first.kv.clone(), "Second Person");
    let text = backup_text(&second.kv);
    let own = add_binder(MemoryStore::default(), "Owner Of The Device");
    let mut target = own.kv;

    let restored = restore_with_passphrase(&text, PASSPHRASE, &mut target).unwrap();
    assert_eq!(restored, [first.binder.id, second.binder.id]);
    let store = VaultStore::new(target);
    assert_eq!(store.binder_ids().unwrap(), [own.binder.id, first.binder.id, second.binder.id]);
    for binder in [&own.binder, &first.binder, &second.binder] {
        let vault = UnlockedVault::unlock(&store.header(binder.id).unwrap(), PASSPHRASE).unwrap();
        assert_eq!(&store.load(&vault).unwrap().binder, binder);
    }
}

#[test]
fn a_device_without_binders_has_nothing_to_back_up() {
    let err = Backup::from_kv(&MemoryStore::default(), CREATED_MS).unwrap_err();
    assert!(matches!(err, BackupError::NothingToBackUp));
    assert_eq!(err.to_string(), "There is no binder on this device to back up.");
}

#[test]
fn a_binder_whose_header_is_gone_stops_the_backup_rather_than_vanishing_from_it() {
    let Device { mut kv, binder, .. } = device();
    kv.0.remove(&format!("hb/v1/binder/{}/header", binder.id));
    let err = Backup::from_kv(&kv, CREATED_MS).unwrap_err();
    assert!(matches!(err, BackupError::Unreadable(_)));
    assert_eq!(
        err.to_string(),
        format!(
            "A binder on this device could not be read, so no backup was made (binder {}: its key header is missing).",
            binder.id
        )
    );
}

#[test]
fn an_unreadable_newest_generation_is_left_out_and_the_one_before_becomes_the_head() {
    let Device { kv, mut binder, .. } = device();
    let vault = UnlockedVault::unlock(&VaultStore::new(kv.clone()).header(binder.id).unwrap(), PASSPHRASE).unwrap();
    let first = binder.clone();
    binder.add_medication(ibuprofen(), now()).unwrap();
    let mut store = VaultStore::new(kv);
    store.save(&vault, &binder).unwrap();
    let mut kv = store.into_inner();
    kv.0.insert(format!("hb/v1/binder/{}/gen/2", binder.id), "{\"half a".into());

    let backup = Backup::parse(&Backup::from_kv(&kv, CREATED_MS).unwrap().to_text()).unwrap();
    let loaded = backup.open(&vault).unwrap();
    assert_eq!((loaded.binder, loaded.generation), (first, 1));
}

/// A backup holding two people's binders under different passphrases, restored with one of them
/// and "replace": only the binder that passphrase opens is written; the other person's binder on
/// the device is neither overwritten nor rolled back. (Before the fix every binder of the file was
/// written.)
#[test]
fn a_restore_writes_only_the_binders_its_secret_opened() {
    // On the device: Alice's binder (PASSPHRASE) and Bob's, under his own passphrase.
    let alice = device();
    let bob_binder = marked_binder("Bob Other");
    let bob_vault = UnlockedVault::create(bob_binder.id, "bob's own passphrase", quick_kdf()).unwrap();
    let mut store = VaultStore::new(alice.kv.clone());
    store.create(&bob_vault, &bob_binder).unwrap();
    // The backup: both binders as they were; then Bob's binder moves on on the device.
    let both = store.into_inner();
    let text = backup_text(&both);
    let mut store = VaultStore::new(both);
    let mut newer_bob = bob_binder.clone();
    newer_bob.add_medication(ibuprofen(), now()).unwrap();
    store.save(&bob_vault, &newer_bob).unwrap();
    let mut device = store.into_inner();
    let bob_keys_before: BTreeMap<String, String> = device
        .0
        .iter()
        .filter(|(k, _)| k.contains(&bob_binder.id.to_string()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();

    let backup = Backup::parse(&text).unwrap();
    assert_eq!(restore(&backup, PASSPHRASE, &mut device, true).unwrap(), [alice.binder.id], "Alice's only");
    let bob_keys_after: BTreeMap<String, String> = device
        .0
        .iter()
        .filter(|(k, _)| k.contains(&bob_binder.id.to_string()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(bob_keys_after, bob_keys_before, "Bob's binder is untouched: not rolled back");

    // A vault of the right id but another header (not this backup's) proves nothing.
    let impostor = UnlockedVault::create(bob_binder.id, PASSPHRASE, quick_kdf()).unwrap();
    let mut empty = MemoryStore::default();
    assert!(matches!(backup.restore_into(&mut empty, &[&impostor], true), Err(BackupError::NothingOpened)));
    assert!(empty.0.is_empty());
}

#[test]
fn key_parameters_that_would_exhaust_or_weaken_a_device_are_refused_before_any_derivation() {
    let Device { kv, .. } = device();
    let text = backup_text(&kv);
    let mut target = add_binder(MemoryStore::default(), "Already Here").kv;
    let slot = |d: &mut Value| d["binders"][0]["header"]["slots"][0].clone();
    let cases: Vec<(&str, Edit)> = vec![
        // 4 GiB per guess would stop a phone; a crafted backup must not get that far.
        ("4 GiB of memory", Box::new(|d| d["binders"][0]["header"]["slots"][0]["kdf"]["m_kib"] = (4u64 << 20).into())),
        ("a thousand passes", Box::new(|d| d["binders"][0]["header"]["slots"][0]["kdf"]["t"] = 1000.into())),
        ("another algorithm", Box::new(|d| d["binders"][0]["header"]["slots"][0]["kdf"]["alg"] = "pbkdf2".into())),
        ("a 2-byte salt", Box::new(|d| d["binders"][0]["header"]["slots"][0]["kdf"]["salt"] = "AAA".into())),
        (
            "a hundred key slots",
            Box::new(move |d| {
                let one = slot(d);
                d["binders"][0]["header"]["slots"] = Value::Array(vec![one; 100]);
            }),
        ),
    ];
    for (case, change) in cases {
        let err = refused(&edit(&text, change), &mut target);
        assert!(matches!(err, BackupError::Damaged(_)), "{case}: {err:?}");
    }

    // The same check guards a header read from the device's own storage.
    let Device { mut kv, binder, .. } = device();
    let key = format!("hb/v1/binder/{}/header", binder.id);
    let mut header: Value = serde_json::from_str(&kv.0[&key]).unwrap();
    header["slots"][0]["kdf"]["m_kib"] = (4u64 << 20).into();
    kv.0.insert(key, header.to_string());
    assert!(matches!(VaultStore::new(kv).header(binder.id), Err(VaultError::Malformed(_))));
}
