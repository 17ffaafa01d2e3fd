//! Which binders on a device a secret opens: a caregiver's passphrase opens every binder it was
//! set for at the cost of one derivation, a wrong one opens nothing, a recovery code opens only its
//! own binder, and a damaged newest save is skipped with a notice.

mod common;

use common::{ibuprofen, now, sample_binder};
use health_binder_core::Binder;
use health_binder_core::vault::{
    KdfParams, MemoryStore, Secret, SlotKind, Unlock, UnlockError, Unlocked, UnlockedVault, VaultStore,
};

const CAREGIVER: &str = "correct horse battery staple";
const NEIGHBOUR: &str = "a different person entirely";

/// Cheap Argon2id for tests (1 MiB, 1 pass).
fn quick_kdf() -> KdfParams {
    KdfParams::with_cost(1024, 1)
}

/// Runs the derivations `unlock` asks for, as the app's worker would, and counts them.
fn derive_all(unlock: &mut Unlock) -> usize {
    let mut count = 0;
    while let Some(derivation) = unlock.next_derivation() {
        let key = derivation.params.derive(&derivation.secret).unwrap();
        unlock.derived(&derivation.params, key);
        count += 1;
        assert!(count <= 4, "an unlock never needs more derivations than these binders have slots");
    }
    count
}

/// A device as a caregiver keeps it: their own binder and their mother's under one passphrase
/// (one set of derivation parameters, as the app adds a person), each with its own recovery code,
/// and a neighbour's binder under another passphrase.
struct Device {
    store: VaultStore<MemoryStore>,
    own: Binder,
    mother: Binder,
    neighbour: Binder,
    mothers_code: String,
}

fn device() -> Device {
    let mut store = VaultStore::new(MemoryStore::default());
    let own = sample_binder();
    let params = quick_kdf();
    let kek = params.derive(CAREGIVER.as_bytes()).unwrap();
    let mut own_vault = UnlockedVault::create_with_key(own.id, params, &kek);
    own_vault.new_recovery_code(quick_kdf()).unwrap();
    store.create(&own_vault, &own).unwrap();

    let mother = Binder::new("Dorothy Vaughan", now());
    let mut mother_vault = UnlockedVault::create_beside(own_vault.header(), &kek, mother.id).unwrap();
    let mothers_code = mother_vault.new_recovery_code(quick_kdf()).unwrap();
    store.create(&mother_vault, &mother).unwrap();

    let neighbour = Binder::new("Katherine Johnson", now());
    let neighbour_vault = UnlockedVault::create(neighbour.id, NEIGHBOUR, quick_kdf()).unwrap();
    store.create(&neighbour_vault, &neighbour).unwrap();
    Device { store, own, mother, neighbour, mothers_code }
}

fn unlock(device: &Device, secret: Secret, typed: &str) -> (Result<Unlocked, UnlockError>, usize) {
    let mut unlock = Unlock::new(device.store.headers().unwrap(), secret, typed);
    let derivations = derive_all(&mut unlock);
    (unlock.finish(&mut |vault| device.store.load(vault)), derivations)
}

fn names(unlocked: &Unlocked) -> Vec<&str> {
    unlocked.binders.iter().map(|(_, binder)| binder.profile.name.as_str()).collect()
}

#[test]
fn one_passphrase_opens_both_of_a_caregivers_binders_with_one_derivation() {
    let mut store = VaultStore::new(MemoryStore::default());
    let Device { own, mother, .. } = device();
    // Only the caregiver's two binders on this device: one derivation opens both.
    let params = quick_kdf();
    let kek = params.derive(CAREGIVER.as_bytes()).unwrap();
    let own_vault = UnlockedVault::create_with_key(own.id, params, &kek);
    store.create(&own_vault, &own).unwrap();
    let mother_vault = UnlockedVault::create_beside(own_vault.header(), &kek, mother.id).unwrap();
    store.create(&mother_vault, &mother).unwrap();
    let mut caregivers = Unlock::new(store.headers().unwrap(), Secret::Passphrase, CAREGIVER);
    assert_eq!(derive_all(&mut caregivers), 1, "binders sharing their parameters cost one derivation");
    let unlocked = caregivers.finish(&mut |vault| store.load(vault)).unwrap();
    assert_eq!(names(&unlocked), ["Ada Lovelace", "Dorothy Vaughan"]);
    assert_eq!(unlocked.binders[1].1, mother);
    assert!(unlocked.skipped.is_empty());

    // With a neighbour's binder on the device too, its parameters cost a second derivation, and
    // the caregiver's passphrase still opens exactly their two.
    let device = device();
    let (unlocked, derivations) = unlock(&device, Secret::Passphrase, CAREGIVER);
    let unlocked = unlocked.unwrap();
    assert_eq!(derivations, 2);
    assert_eq!(names(&unlocked), ["Ada Lovelace", "Dorothy Vaughan"]);
    let (neighbours, _) = unlock(&device, Secret::Passphrase, NEIGHBOUR);
    assert_eq!(names(&neighbours.unwrap()), ["Katherine Johnson"]);
    assert_eq!(device.neighbour.profile.name, "Katherine Johnson");
}

#[test]
fn a_wrong_passphrase_opens_nothing_and_changes_nothing() {
    let device = device();
    let before = device.store.into_inner();
    let device = Device { store: VaultStore::new(before.clone()), ..device };
    let (outcome, _) = unlock(&device, Secret::Passphrase, "Correct horse battery staple");
    let err = outcome.err().expect("nothing opens");
    assert!(matches!(err, UnlockError::Wrong(Secret::Passphrase)));
    assert_eq!(err.to_string(), "That passphrase does not open this binder. Check it and try again.");
    // A recovery code typed as a passphrase opens nothing either: the slots are kept apart.
    let (outcome, _) = unlock(&device, Secret::Passphrase, &device.mothers_code);
    assert!(matches!(outcome, Err(UnlockError::Wrong(Secret::Passphrase))));
    assert_eq!(device.store.into_inner().0, before.0);
}

#[test]
fn a_recovery_code_opens_only_its_own_binder() {
    let device = device();
    let retyped = device.mothers_code.to_lowercase().replace('-', " ");
    let (unlocked, derivations) = unlock(&device, Secret::RecoveryCode, &retyped);
    let unlocked = unlocked.unwrap();
    assert_eq!(names(&unlocked), ["Dorothy Vaughan"], "not the caregiver's own binder, which shares the passphrase");
    assert_eq!(unlocked.binders[0].1.id, device.mother.id);
    assert_eq!(derivations, 2, "each recovery code has parameters of its own");

    let (outcome, _) = unlock(&device, Secret::RecoveryCode, "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA");
    let err = outcome.err().expect("nothing opens");
    assert!(err.to_string().starts_with("That recovery code does not open this binder"), "{err}");
    assert_eq!(device.own.profile.name, "Ada Lovelace");
}

#[test]
fn passphrase_or_recovery_code_tries_the_code_only_when_the_passphrase_opens_nothing() {
    let device = device();
    let mother = device.store.header(device.mother.id).unwrap();
    let mut as_passphrase = Unlock::new(vec![mother.clone()], Secret::PassphraseOrRecoveryCode, CAREGIVER);
    assert_eq!(derive_all(&mut as_passphrase), 1, "the recovery code is not derived when the passphrase opens");
    assert_eq!(as_passphrase.opened().unwrap().len(), 1);

    let mut as_code = Unlock::new(vec![mother.clone()], Secret::PassphraseOrRecoveryCode, &device.mothers_code);
    assert_eq!(derive_all(&mut as_code), 2);
    assert_eq!(as_code.opened().unwrap()[0].binder_id(), device.mother.id);

    let mut neither = Unlock::new(vec![mother], Secret::PassphraseOrRecoveryCode, NEIGHBOUR);
    derive_all(&mut neither);
    assert!(matches!(neither.opened(), Err(UnlockError::Wrong(Secret::PassphraseOrRecoveryCode))));
}

#[test]
fn a_damaged_newest_save_is_skipped_with_a_notice() {
    let device = device();
    let mut store = device.store;
    let header = store.header(device.mother.id).unwrap();
    let vault = UnlockedVault::unlock(&header, CAREGIVER).unwrap();
    let mut mother = device.mother.clone();
    mother.add_medication(ibuprofen(), now()).unwrap();
    assert_eq!(store.save(&vault, &mother).unwrap(), 2);

    // One bit of the newest save flipped, as a failing disk or a meddler would.
    let mut kv = store.into_inner();
    let key = format!("hb/v1/binder/{}/gen/2", device.mother.id);
    let mut sealed: serde_json::Value = serde_json::from_str(&kv.0[&key]).unwrap();
    let mut ciphertext = health_binder_core::b64::decode(sealed["ciphertext"].as_str().unwrap()).unwrap();
    ciphertext[10] ^= 0x01;
    sealed["ciphertext"] = health_binder_core::b64::encode(&ciphertext).into();
    kv.0.insert(key, sealed.to_string());
    let device = Device { store: VaultStore::new(kv), ..device };

    let (unlocked, _) = unlock(&device, Secret::Passphrase, CAREGIVER);
    let unlocked = unlocked.unwrap();
    assert_eq!(names(&unlocked), ["Ada Lovelace", "Dorothy Vaughan"], "both still open");
    assert_eq!(unlocked.binders[1].1, device.mother, "the previous save, without the newest change");
    assert_eq!(unlocked.skipped.len(), 1, "only the damaged binder is noticed");
    let skipped = &unlocked.skipped[0];
    assert_eq!((skipped.binder_id, skipped.generation), (device.mother.id, 2));
    let notice = skipped.to_string();
    assert!(
        notice.starts_with("The latest save of Dorothy Vaughan's binder (number 2) could not be read (The saved binder has been damaged or altered"),
        "{notice}"
    );
    assert!(notice.ends_with("so the previous one was opened. Check your most recent changes."), "{notice}");
}

#[test]
fn a_binder_whose_every_save_is_damaged_is_refused_and_says_nothing_was_deleted() {
    let device = device();
    let mut kv = device.store.into_inner();
    kv.0.remove(&format!("hb/v1/binder/{}/gen/1", device.mother.id));
    let device = Device { store: VaultStore::new(kv), ..device };
    let (outcome, _) = unlock(&device, Secret::Passphrase, CAREGIVER);
    let err = outcome.err().expect("refused");
    assert!(matches!(err, UnlockError::EverySaveDamaged(id) if id == device.mother.id));
    assert!(err.to_string().ends_with("Nothing has been deleted."), "{err}");
}

#[test]
fn a_new_binder_beside_another_refuses_a_mistyped_passphrase() {
    let device = device();
    let header = device.store.header(device.own.id).unwrap();
    let params = &header.slot(SlotKind::Passphrase).unwrap().kdf;
    let wrong = params.derive(b"correct horse battery stapel").unwrap();
    let err = UnlockedVault::create_beside(&header, &wrong, Binder::new("New", now()).id).err().expect("refused");
    assert_eq!(err.to_string(), "That passphrase does not open this binder. Check it and try again.");
}

#[test]
fn a_binder_in_a_format_this_app_cannot_read_stops_the_unlock_before_any_derivation() {
    let device = device();
    let mut headers = device.store.headers().unwrap();
    headers[1].format = 2;
    let mut unlock = Unlock::new(headers, Secret::Passphrase, CAREGIVER);
    assert_eq!(derive_all(&mut unlock), 0, "refused before any key is derived");
    let err = unlock.finish(&mut |vault| device.store.load(vault)).err().expect("refused");
    assert_eq!(err.to_string(), "The saved binder is not in a format this app can read: vault format 2");
}

#[test]
fn the_order_of_the_binders_on_the_device_does_not_matter() {
    // The neighbour's binder between the caregiver's two: still one derivation for the
    // caregiver's passphrase (and one for the neighbour's parameters), both binders open.
    let Device { store, own, mother, neighbour, .. } = device();
    let headers = |ids: [&Binder; 3]| ids.map(|b| store.header(b.id).unwrap()).to_vec();
    for order in [[&own, &neighbour, &mother], [&neighbour, &mother, &own], [&mother, &own, &neighbour]] {
        let mut unlock = Unlock::new(headers(order), Secret::Passphrase, CAREGIVER);
        assert_eq!(derive_all(&mut unlock), 2);
        let mut opened: Vec<_> = unlock.opened().unwrap().iter().map(|v| v.binder_id()).collect();
        opened.sort();
        let mut expected = vec![own.id, mother.id];
        expected.sort();
        assert_eq!(opened, expected);
    }
}
