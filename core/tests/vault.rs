//! The vault as the patient meets it: a passphrase opens the binder, a wrong one does not, and a
//! damaged save never costs more than the newest change.

mod common;

use common::{ibuprofen, now, sample_binder};
use health_binder_core::vault::{KdfParams, MemoryStore, UnlockedVault, VaultError, VaultStore};

/// Cheap Argon2id for tests (1 MiB, 1 pass); one test below runs the real parameters.
fn quick_kdf() -> KdfParams {
    KdfParams::with_cost(1024, 1)
}

fn created() -> (VaultStore<MemoryStore>, UnlockedVault, health_binder_core::Binder) {
    let binder = sample_binder();
    let vault = UnlockedVault::create(binder.id, "correct horse battery staple", quick_kdf()).unwrap();
    let mut store = VaultStore::new(MemoryStore::default());
    store.create(&vault, &binder).unwrap();
    (store, vault, binder)
}

#[test]
fn round_trip_with_the_right_passphrase() {
    let (store, _vault, binder) = created();
    let ids = store.binder_ids().unwrap();
    assert_eq!(ids, [binder.id]);
    let header = store.header(ids[0]).unwrap();
    let reopened = UnlockedVault::unlock(&header, "correct horse battery staple").unwrap();
    let loaded = store.load(&reopened).unwrap();
    assert_eq!(loaded.binder, binder);
    assert!(loaded.skipped.is_empty());
}

#[test]
fn real_parameters_are_stored_with_the_vault() {
    let binder = sample_binder();
    let vault = UnlockedVault::create(binder.id, "pass phrase", KdfParams::recommended()).unwrap();
    let slot = &vault.header().slots[0];
    assert_eq!((slot.kdf.m_kib, slot.kdf.t, slot.kdf.alg.as_str()), (65536, 3, "argon2id"));
    assert!(UnlockedVault::unlock(vault.header(), "pass phrase").is_ok());
}

#[test]
fn wrong_passphrase_is_refused_and_changes_nothing() {
    let (store, _vault, binder) = created();
    let before = store.into_inner();
    let store = VaultStore::new(before.clone());
    let header = store.header(binder.id).unwrap();
    let err = UnlockedVault::unlock(&header, "Correct horse battery staple").err().unwrap();
    assert!(matches!(err, VaultError::WrongPassphrase));
    assert_eq!(err.to_string(), "That passphrase does not open this binder. Check it and try again.");
    assert_eq!(store.into_inner().0, before.0);
}

#[test]
fn nothing_stored_contains_the_binder_in_plaintext() {
    let (store, _vault, _binder) = created();
    let everything: String = store.into_inner().0.into_iter().map(|(k, v)| k + &v).collect();
    for marker in ["Ada Lovelace", "Metformin", "Type 2 diabetes", "Knee pain"] {
        assert!(!everything.contains(marker), "{marker} stored in plaintext");
    }
}

#[test]
fn tampered_newest_generation_falls_back_to_the_previous_one_and_says_so() {
    let (mut store, vault, mut binder) = created();
    binder.add_medication(ibuprofen(), now()).unwrap();
    let second = store.save(&vault, &binder).unwrap();
    assert_eq!(second, 2);

    let mut kv = store.into_inner();
    let key = format!("hb/v1/binder/{}/gen/2", binder.id);
    let mut sealed: serde_json::Value = serde_json::from_str(&kv.0[&key]).unwrap();
    let mut ct = health_binder_core::b64::decode(sealed["ciphertext"].as_str().unwrap()).unwrap();
    ct[10] ^= 0x01;
    sealed["ciphertext"] = health_binder_core::b64::encode(&ct).into();
    kv.0.insert(key, sealed.to_string());

    let loaded = VaultStore::new(kv).load(&vault).unwrap();
    assert_eq!(loaded.generation, 1);
    assert_eq!(loaded.binder.medications.len(), 3, "generation 1 had three medications");
    assert_eq!(loaded.skipped.len(), 1);
    assert_eq!(loaded.skipped[0].0, 2);
    assert!(loaded.skipped[0].1.contains("damaged or altered"));
}

#[test]
fn a_generation_cannot_be_swapped_for_another_binders() {
    let (store_a, vault_a, binder_a) = created();
    let (store_b, _vault_b, binder_b) = created();
    let mut kv = store_a.into_inner();
    let stolen = store_b.into_inner().0[&format!("hb/v1/binder/{}/gen/1", binder_b.id)].clone();
    kv.0.insert(format!("hb/v1/binder/{}/gen/1", binder_a.id), stolen);
    assert!(matches!(VaultStore::new(kv).load(&vault_a), Err(VaultError::Tampered)));
}

#[test]
fn only_the_last_few_generations_are_kept() {
    let (mut store, vault, binder) = created();
    for _ in 0..5 {
        store.save(&vault, &binder).unwrap();
    }
    let kv = store.into_inner();
    let generations: Vec<&String> = kv.0.keys().filter(|k| k.contains("/gen/")).collect();
    assert_eq!(generations.len(), health_binder_core::vault::KEEP_GENERATIONS as usize);
    assert!(kv.0.contains_key(&format!("hb/v1/binder/{}/gen/6", binder.id)));
}

#[test]
fn a_new_passphrase_opens_the_same_binder_without_re_encrypting_it() {
    let (mut store, mut vault, binder) = created();
    let before = store.into_inner();
    store = VaultStore::new(before.clone());
    vault.change_passphrase("a brand new passphrase", quick_kdf()).unwrap();
    store.save_header(&vault).unwrap();

    let header = store.header(binder.id).unwrap();
    assert!(matches!(UnlockedVault::unlock(&header, "correct horse battery staple"), Err(VaultError::WrongPassphrase)));
    let reopened = UnlockedVault::unlock(&header, "a brand new passphrase").unwrap();
    assert_eq!(store.load(&reopened).unwrap().binder, binder);
    let gen1 = format!("hb/v1/binder/{}/gen/1", binder.id);
    assert_eq!(store.into_inner().0[&gen1], before.0[&gen1], "the sealed binder was not touched");
}

#[test]
fn the_recovery_code_opens_the_binder_when_the_passphrase_is_forgotten() {
    let (mut store, mut vault, binder) = created();
    let code = vault.new_recovery_code(quick_kdf()).unwrap();
    store.save_header(&vault).unwrap();
    // A passphrase change later must not invalidate the recovery code written on paper.
    vault.change_passphrase("another passphrase", quick_kdf()).unwrap();
    store.save_header(&vault).unwrap();

    let header = store.header(binder.id).unwrap();
    let retyped = code.to_lowercase().replace('-', " ");
    let reopened = UnlockedVault::unlock_with_recovery_code(&header, &retyped).unwrap();
    assert_eq!(store.load(&reopened).unwrap().binder, binder);
    let err = UnlockedVault::unlock_with_recovery_code(&header, "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA").err().unwrap();
    assert!(matches!(err, VaultError::WrongRecoveryCode));
    assert!(matches!(UnlockedVault::unlock(&header, &code), Err(VaultError::WrongPassphrase)), "slots are kept apart");
}

/// The browser derives keys in a worker and hands them in: a vault made that way opens with the
/// passphrase like any other, a key derived from the wrong passphrase opens nothing, and a key
/// shared by two binders (a caregiver's) opens both.
#[test]
fn keys_derived_elsewhere_open_the_same_vaults() {
    use health_binder_core::vault::SlotKind;
    let params = quick_kdf();
    let kek = params.derive(b"correct horse battery staple").unwrap();
    let binder = sample_binder();
    let vault = UnlockedVault::create_with_key(binder.id, params.clone(), &kek);
    let mut store = VaultStore::new(MemoryStore::default());
    store.create(&vault, &binder).unwrap();
    let header = store.header(binder.id).unwrap();
    assert_eq!(
        store.load(&UnlockedVault::unlock(&header, "correct horse battery staple").unwrap()).unwrap().binder,
        binder
    );

    let slot = &header.slots[0];
    let wrong = params.derive(b"not the passphrase").unwrap();
    assert!(UnlockedVault::open_slot(&header, slot, &wrong).unwrap().is_none());
    let second = health_binder_core::Binder::new("Cared for", now());
    let theirs = UnlockedVault::create_with_key(second.id, params, &kek);
    let theirs_slot = &theirs.header().slots[0];
    assert!(UnlockedVault::open_slot(theirs.header(), theirs_slot, &kek).unwrap().is_some());

    let mut changed = UnlockedVault::open_slot(&header, slot, &kek).unwrap().unwrap();
    let new_params = quick_kdf();
    let new_kek = new_params.derive(b"a new passphrase here").unwrap();
    changed.replace_slot_with_key(SlotKind::Passphrase, new_params, &new_kek);
    assert!(UnlockedVault::unlock(changed.header(), "correct horse battery staple").is_err());
    assert!(UnlockedVault::unlock(changed.header(), "a new passphrase here").is_ok());
}
