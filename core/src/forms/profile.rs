//! The profile as a form: who the binder is about, two emergency contacts, the caregiver who
//! speaks for the patient, and the advance directive.

use crate::msg;
use chrono::{DateTime, Utc};

use super::fields::{FieldKind::*, field, parse_date};
use super::{Field, Values, value};
use crate::model::{Binder, BinderError, BloodType, Contact, Profile, Sex};

const SEXES: &[(&str, &str)] =
    &[("female", msg!("Female")), ("male", msg!("Male")), ("other", msg!("Other")), ("unknown", msg!("Not stated"))];
const BLOOD_TYPES: &[(&str, &str)] = &[
    ("a_pos", "A+"),
    ("a_neg", "A\u{2212}"),
    ("b_pos", "B+"),
    ("b_neg", "B\u{2212}"),
    ("ab_pos", "AB+"),
    ("ab_neg", "AB\u{2212}"),
    ("o_pos", "O+"),
    ("o_neg", "O\u{2212}"),
];

/// How many emergency contacts the form edits. More (from an import) are kept as they are.
const FORM_CONTACTS: usize = 2;

pub const PROFILE_FIELDS: &[Field] = &[
    field("name", msg!("Name"), msg!("(as called at the front desk)"), Text),
    field("birth_date", msg!("Date of birth"), msg!("(e.g. 14 March 1950)"), Date),
    field("sex", msg!("Sex"), "", Choice(SEXES)),
    field("blood_type", msg!("Blood type"), msg!("(if known)"), Choice(BLOOD_TYPES)),
    field("language", msg!("Preferred language"), msg!("(e.g. English, or en-GB)"), Text),
    field("contact1_name", msg!("Emergency contact"), msg!("(name)"), Text),
    field("contact1_relationship", msg!("Emergency contact's relationship to you"), msg!("(e.g. daughter)"), Text),
    field("contact1_phone", msg!("Emergency contact's phone"), "", Phone),
    field("contact2_name", msg!("Second emergency contact"), msg!("(name)"), Text),
    field("contact2_relationship", msg!("Second contact's relationship to you"), "", Text),
    field("contact2_phone", msg!("Second contact's phone"), "", Phone),
    field("caregiver_name", msg!("Caregiver who speaks for you"), msg!("(name, if any)"), Text),
    field("caregiver_relationship", msg!("Caregiver's relationship to you"), "", Text),
    field("caregiver_phone", msg!("Caregiver's phone"), "", Phone),
    field("advance_directive", msg!("Advance directive"), msg!("(where it is kept, or what it says)"), LongText),
];

fn blood_type_code(t: BloodType) -> &'static str {
    BLOOD_TYPES[BloodType::ALL.iter().position(|b| *b == t).unwrap_or(0)].0
}

pub fn profile_values(b: &Binder) -> Values {
    let p = &b.profile;
    let mut values = Values::from([
        ("name", p.name.clone()),
        ("birth_date", p.birth_date.map(|d| d.text()).unwrap_or_default()),
        ("sex", p.sex.code().to_owned()),
        ("blood_type", p.blood_type.map(blood_type_code).unwrap_or_default().to_owned()),
        ("language", p.language.clone()),
        ("advance_directive", p.advance_directive.clone()),
    ]);
    let contacts = p.emergency_contacts.iter().map(Some).chain([None, None]);
    for (keys, contact) in contact_keys().into_iter().zip(contacts) {
        put_contact(&mut values, keys, contact);
    }
    put_contact(&mut values, CAREGIVER_KEYS, p.caregiver.as_ref());
    values
}

type ContactKeys = [&'static str; 3];
const CAREGIVER_KEYS: ContactKeys = ["caregiver_name", "caregiver_relationship", "caregiver_phone"];

fn contact_keys() -> [ContactKeys; FORM_CONTACTS] {
    [
        ["contact1_name", "contact1_relationship", "contact1_phone"],
        ["contact2_name", "contact2_relationship", "contact2_phone"],
    ]
}

fn put_contact(values: &mut Values, keys: ContactKeys, contact: Option<&Contact>) {
    let c = contact.cloned().unwrap_or_default();
    values.push((keys[0], c.name));
    values.push((keys[1], c.relationship));
    values.push((keys[2], c.phone));
}

/// The contact typed under `keys`, or none if all three are empty. Problems are reported under
/// the name key (the model checks a contact as a whole).
fn read_contact(values: &Values, keys: ContactKeys) -> Option<Contact> {
    let [name, relationship, phone] = keys.map(|k| value(values, k).to_owned());
    (!(name.trim().is_empty() && relationship.trim().is_empty() && phone.trim().is_empty())).then_some(Contact {
        name,
        relationship,
        phone,
    })
}

/// Saves the profile from the form. Every problem comes back at once; a refused save changes nothing.
pub fn save_profile(b: &mut Binder, values: &Values, now: DateTime<Utc>) -> Result<(), BinderError> {
    let birth_date =
        parse_date(value(values, "birth_date"), "birth_date").map_err(|e| BinderError::Invalid(vec![e]))?;
    let mut emergency_contacts: Vec<Contact> =
        contact_keys().into_iter().filter_map(|k| read_contact(values, k)).collect();
    // Contacts beyond the form's two (from an import) stay.
    emergency_contacts.extend(b.profile.emergency_contacts.iter().skip(FORM_CONTACTS).cloned());
    let profile = Profile {
        name: value(values, "name").to_owned(),
        birth_date,
        sex: Sex::from_code(value(values, "sex")).unwrap_or_default(),
        blood_type: BloodType::ALL.into_iter().find(|t| blood_type_code(*t) == value(values, "blood_type")),
        language: value(values, "language").to_owned(),
        emergency_contacts,
        caregiver: read_contact(values, CAREGIVER_KEYS),
        advance_directive: value(values, "advance_directive").to_owned(),
    };
    b.update_profile(profile, now)
}
