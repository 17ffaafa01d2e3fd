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

// ---------------------------------------------------------------------- vault formats

use health_binder_core::vault::{GENERATION_FORMAT, HEADER_FORMAT, SealedGeneration};

fn stored_generation(kv: &MemoryStore, id: uuid::Uuid, generation: u64) -> SealedGeneration {
    serde_json::from_str(&kv.0[&format!("hb/v1/binder/{id}/gen/{generation}")]).unwrap()
}

/// A vault saved before generations were compressed (vault format 1): one binder (the sample
/// binder, three medications), its header and generation 1, made by the format-1 code with
/// `quick_kdf()` and the passphrase "format one fixture".
fn format1_store() -> MemoryStore {
    MemoryStore(serde_json::from_str(include_str!("fixtures/vault-format1.json")).unwrap())
}

#[test]
fn a_generation_sealed_today_is_format_2_and_round_trips() {
    assert_eq!((HEADER_FORMAT, GENERATION_FORMAT), (1, 2));
    let (store, vault, binder) = created();
    let kv = store.into_inner();
    let sealed = stored_generation(&kv, binder.id, 1);
    assert_eq!(sealed.format, 2);
    assert_eq!(vault.header().format, 1, "the header envelope did not change");
    assert_eq!(vault.open(&sealed).unwrap(), binder);
    let header = VaultStore::new(kv.clone()).header(binder.id).unwrap();
    let reopened = UnlockedVault::unlock(&header, "correct horse battery staple").unwrap();
    assert_eq!(VaultStore::new(kv).load(&reopened).unwrap().binder, binder);
}

#[test]
fn a_vault_saved_in_format_1_still_opens_and_its_next_save_is_format_2() {
    let kv = format1_store();
    let mut store = VaultStore::new(kv.clone());
    let ids = store.binder_ids().unwrap();
    assert_eq!(ids.len(), 1);
    let id = ids[0];
    assert_eq!(stored_generation(&kv, id, 1).format, 1);
    let header = store.header(id).unwrap();
    assert_eq!(header.format, 1);
    assert!(matches!(UnlockedVault::unlock(&header, "correct horse battery staple"), Err(VaultError::WrongPassphrase)));
    let vault = UnlockedVault::unlock(&header, "format one fixture").unwrap();

    let loaded = store.load(&vault).unwrap();
    assert_eq!((loaded.generation, loaded.skipped.len()), (1, 0));
    let mut binder = loaded.binder;
    assert_eq!(binder.id, id);
    assert_eq!(binder.profile.name, "Ada Lovelace");
    let names: Vec<&str> = binder.medications.iter().map(|m| m.data.name.as_str()).collect();
    assert_eq!(names, ["Metformin", "Ibuprofen", "Vitamin D3"]);
    assert_eq!(binder.medications[1].data.reason, "Knee pain");
    // The sample binder, apart from the ids and times a new binder gets.
    let sample: Vec<_> = sample_binder().medications.into_iter().map(|m| m.data).collect();
    assert_eq!(binder.medications.iter().map(|m| m.data.clone()).collect::<Vec<_>>(), sample);

    binder.add_medication(ibuprofen(), now()).unwrap();
    assert_eq!(store.save(&vault, &binder).unwrap(), 2);
    let kv = store.into_inner();
    assert_eq!(stored_generation(&kv, id, 2).format, 2);
    assert_eq!(stored_generation(&kv, id, 1).format, 1, "older generations are left as they were");
    let loaded = VaultStore::new(kv).load(&vault).unwrap();
    assert_eq!((loaded.generation, loaded.binder.medications.len()), (2, 4));
}

#[test]
fn relabelling_a_generations_format_fails_authentication() {
    // Format 2 presented as format 1: the associated data differs, so it does not authenticate.
    let (store, vault, binder) = created();
    let mut sealed = stored_generation(&store.into_inner(), binder.id, 1);
    sealed.format = 1;
    assert!(matches!(vault.open(&sealed), Err(VaultError::Tampered)));

    // Format 1 presented as format 2 (which would inflate it): the same.
    let kv = format1_store();
    let id = VaultStore::new(kv.clone()).binder_ids().unwrap()[0];
    let header = VaultStore::new(kv.clone()).header(id).unwrap();
    let vault = UnlockedVault::unlock(&header, "format one fixture").unwrap();
    let mut sealed = stored_generation(&kv, id, 1);
    assert!(vault.open(&sealed).is_ok());
    sealed.format = 2;
    assert!(matches!(vault.open(&sealed), Err(VaultError::Tampered)));

    // Through the store, the relabelled newest generation is skipped with a notice, not opened.
    let mut kv = kv;
    kv.0.insert(format!("hb/v1/binder/{id}/gen/1"), serde_json::to_string(&sealed).unwrap());
    assert!(matches!(VaultStore::new(kv).load(&vault), Err(VaultError::Tampered)));

    // A format this app never wrote is refused as such, before any decryption.
    sealed.format = 3;
    let err = vault.open(&sealed).err().unwrap();
    assert!(matches!(err, VaultError::Malformed(_)));
    assert!(err.to_string().contains("vault format 3"));
}

/// Many entries, as varied as a patient's: the ids and times (which do not compress) weigh as they
/// do in a real binder.
fn large_binder() -> health_binder_core::Binder {
    use health_binder_core::Source;
    use health_binder_core::model::{LocalDateTime, Measurement, Note, VitalSign};
    let mut binder = sample_binder();
    let reasons = ["Type 2 diabetes", "High blood pressure", "Knee pain", "Atrial fibrillation", "Gout", ""];
    for i in 0..300 {
        let mut med = [common::metformin(), ibuprofen(), common::vitamin_d()][i % 3].clone();
        med.name = format!("{} {}", med.name, ["retard", "forte", "mite", "plus", "XR"][i % 5]);
        med.strength = format!("{} mg", 25 * (1 + i % 40));
        med.reason = reasons[i % reasons.len()].into();
        binder.add_medication(med, now()).unwrap();
    }
    for i in 0..2_000u32 {
        let day = 1 + (i % 28) as u8;
        let month = 1 + (i / 28 % 12) as u8;
        let at = LocalDateTime::from_local(2025, month, day, 7 + (i % 3) as u8, (i * 7 % 60) as u8, 60).unwrap();
        let measurement = match i % 4 {
            0 => {
                Measurement::BloodPressure { systolic: 120 + (i * 7 % 40) as u16, diastolic: 70 + (i * 3 % 20) as u16 }
            }
            1 => Measurement::Pulse { per_minute: 60 + (i * 11 % 30) as u16 },
            2 => Measurement::Weight { kg: 80.0 + f64::from(i * 13 % 90) / 10.0 },
            _ => Measurement::Temperature { celsius: 36.0 + f64::from(i * 3 % 15) / 10.0 },
        };
        binder.add(VitalSign { at, measurement }, Source::Patient, now()).unwrap();
        if i % 20 == 0 {
            let text = format!("Knee swollen after walking {} km; ice helped.", 1 + i % 7);
            binder.add(Note { at, text, severity: Some((i % 8) as u8) }, Source::Patient, now()).unwrap();
        }
    }
    binder
}

#[test]
fn a_large_binders_generation_is_at_most_30_percent_of_its_json() {
    let binder = large_binder();
    let json = health_binder_core::schema::to_json(&binder);
    assert!(json.len() > 400_000, "{} bytes of JSON", json.len());
    let vault = UnlockedVault::create(binder.id, "correct horse battery staple", quick_kdf()).unwrap();
    let mut store = VaultStore::new(MemoryStore::default());
    store.create(&vault, &binder).unwrap();
    let kv = store.into_inner();
    let stored = &kv.0[&format!("hb/v1/binder/{}/gen/1", binder.id)];
    let percent = 100.0 * stored.len() as f64 / json.len() as f64;
    assert!(percent <= 30.0, "a generation is {} bytes, {percent:.1} % of {} bytes of JSON", stored.len(), json.len());
    assert_eq!(VaultStore::new(kv).load(&vault).unwrap().binder, binder);
}
