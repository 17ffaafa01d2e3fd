//! The emergency card: a few facts from the binder, chosen by the patient, that someone may read
//! without the passphrase — on the device's first screen (when the patient turned it on), and on
//! the printed wallet card with its self-contained QR code.
//!
//! On the device it is the one deliberate exception to "no plaintext at rest": stored apart from
//! the vault under [`CARD_KEY`], holding only the fields the patient ticked, rebuilt from the
//! binder on every save and removed when turned off. It is a setting of this device, not part of
//! the binder, so backups (which carry the vault only) never hold it.

use uuid::Uuid;

use crate::i18n::fill;
use crate::model::{AllergyState, Binder, ConditionStatus, Contact, PartialDate};
use crate::msg;
pub use crate::printout::Wording;

/// Where the app keeps the card, in the clear, outside the vault's keys.
pub const CARD_KEY: &str = "hb/v1/emergency-card";

/// What the self-contained QR code of the wallet card may hold, in bytes of UTF-8 text: the most
/// that QR version 16 holds at error correction M (81 × 81 modules), which prints at 0.4 mm a
/// module in the card's 37 mm square — 5 pixels a module at 300 dpi, and well within what a phone
/// camera reads at arm's length. Longer lists are cut ("and 3 more"), never silently.
pub const QR_TEXT_BUDGET: usize = 450;

/// What a card may show. The patient ticks any of them; none is on by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmergencyField {
    Name,
    BirthDate,
    Allergies,
    Conditions,
    Medications,
    BloodType,
    Contacts,
    AdvanceDirective,
}

/// What the printed wallet card shows, whatever the device's card holds.
pub const WALLET_FIELDS: [EmergencyField; 6] = [
    EmergencyField::Name,
    EmergencyField::BirthDate,
    EmergencyField::Allergies,
    EmergencyField::Conditions,
    EmergencyField::Medications,
    EmergencyField::Contacts,
];

impl EmergencyField {
    /// In the order the card shows them: who, then what could harm, then whom to call.
    pub const ALL: [EmergencyField; 8] = [
        Self::Name,
        Self::BirthDate,
        Self::Allergies,
        Self::Conditions,
        Self::Medications,
        Self::BloodType,
        Self::Contacts,
        Self::AdvanceDirective,
    ];

    /// The stored name of the choice.
    pub fn code(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::BirthDate => "birth_date",
            Self::Allergies => "allergies",
            Self::Conditions => "conditions",
            Self::Medications => "medications",
            Self::BloodType => "blood_type",
            Self::Contacts => "contacts",
            Self::AdvanceDirective => "advance_directive",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    /// How the card labels the line (English: [`Wording`] puts it in the reader's language).
    pub fn label(self) -> &'static str {
        match self {
            Self::Name => msg!("Name"),
            Self::BirthDate => msg!("Born"),
            Self::Allergies => msg!("Allergies"),
            Self::Conditions => msg!("Conditions"),
            Self::Medications => msg!("Medications"),
            Self::BloodType => msg!("Blood type"),
            Self::Contacts => msg!("Call"),
            Self::AdvanceDirective => msg!("Advance directive"),
        }
    }

    /// How the settings name the choice.
    pub fn choice(self) -> &'static str {
        match self {
            Self::Name => msg!("Name"),
            Self::BirthDate => msg!("Date of birth"),
            Self::Allergies => msg!("Allergies"),
            Self::Conditions => msg!("Key conditions (the active ones)"),
            Self::Medications => msg!("Medications you take now"),
            Self::BloodType => msg!("Blood type"),
            Self::Contacts => msg!("Emergency contacts and caregiver"),
            Self::AdvanceDirective => msg!("Where your advance directive is"),
        }
    }
}

/// One line of a card: a field and what the binder says for it. A list cut to fit a budget says
/// how many it left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardLine {
    pub field: EmergencyField,
    /// The field's label in the reader's language.
    pub label: String,
    pub items: Vec<String>,
    pub more: usize,
    /// "and {n} more", in the reader's language.
    and_more: String,
}

impl CardLine {
    /// "Penicillin (hives, severe); Latex", with "and 2 more" when cut.
    pub fn text(&self) -> String {
        let mut text = self.items.join("; ");
        if self.more > 0 {
            text.push_str("; ");
            text.push_str(&fill(&self.and_more, &[("n", &self.more.to_string())]));
        }
        text
    }
}

/// The facts a card shows, in [`EmergencyField::ALL`]'s order, only for the chosen fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmergencyCard {
    pub lines: Vec<CardLine>,
    /// The day it was made from the binder, in the patient's time zone.
    pub as_of: PartialDate,
    /// "EMERGENCY HEALTH INFORMATION" and "Written by the patient, <day>.", in the reader's language.
    heading: String,
    closing: String,
}

/// What the device stores while the card is on: whose binder, which fields, and the card as the
/// plain text of [`EmergencyCard::text`] — exactly what the first screen shows, and nothing more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCard {
    pub binder: Uuid,
    pub fields: Vec<EmergencyField>,
    pub text: String,
}

/// The first line of a stored card, naming its format.
const STORED_FORMAT: &str = "health-binder emergency card 1";

impl StoredCard {
    /// A card for `binder` with `fields` (none chosen is refused: the card would say nothing).
    /// Its text is written in `words`' language (the patient's, when it is made or refreshed).
    pub fn new(
        binder: &Binder,
        fields: &[EmergencyField],
        today: PartialDate,
        words: &Wording,
    ) -> Result<Self, &'static str> {
        if fields.is_empty() {
            return Err(msg!("Tick at least one thing for the card to show."));
        }
        let fields: Vec<EmergencyField> = EmergencyField::ALL.into_iter().filter(|f| fields.contains(f)).collect();
        Ok(Self { binder: binder.id, text: build(binder, &fields, today, words).text(), fields })
    }

    /// The card rebuilt from `binder` after a save, when it is the binder the card shows.
    pub fn refreshed(&self, binder: &Binder, today: PartialDate, words: &Wording) -> Option<Self> {
        (binder.id == self.binder)
            .then(|| Self { text: build(binder, &self.fields, today, words).text(), ..self.clone() })
    }

    /// As stored: the format, the binder's id, the fields' codes, then the card's text. (Lines,
    /// not JSON: the first screen reads it, and serde's code for it would cost every download.)
    pub fn to_stored(&self) -> String {
        let codes: Vec<&str> = self.fields.iter().map(|f| f.code()).collect();
        format!("{STORED_FORMAT}\n{}\n{}\n{}", self.binder, codes.join(" "), self.text)
    }

    /// Reads what [`to_stored`](Self::to_stored) wrote; anything else is no card.
    pub fn from_stored(stored: &str) -> Option<Self> {
        let mut parts = stored.splitn(4, '\n');
        if parts.next()? != STORED_FORMAT {
            return None;
        }
        let binder = Uuid::parse_str(parts.next()?).ok()?;
        let fields = parts.next()?.split(' ').map(EmergencyField::from_code).collect::<Option<Vec<_>>>()?;
        Some(Self { binder, fields, text: parts.next()?.to_owned() })
    }

    /// The card's lines as (label, text) for the first screen, and its closing "Written by the
    /// patient, …" line.
    pub fn lines(&self) -> (Vec<(&str, &str)>, &str) {
        let mut lines: Vec<&str> = self.text.lines().skip(1).collect();
        let closing = lines.pop().unwrap_or_default();
        (lines.into_iter().filter_map(|l| l.split_once(": ")).collect(), closing)
    }
}

fn contact_text(contact: &Contact, role: Option<&str>) -> String {
    let about: Vec<&str> =
        [role.unwrap_or(""), contact.relationship.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
    let mut text = contact.name.clone();
    if !about.is_empty() {
        text.push_str(&format!(" ({})", about.join(", ")));
    }
    if !contact.phone.is_empty() {
        text.push(' ');
        text.push_str(&contact.phone);
    }
    text
}

/// The lines of a card with `fields` from `binder`. A chosen field with nothing in the binder
/// says so ("Not recorded", "None listed"): a blank would read as "none". Its fixed words and
/// dates read in `words`' language; what the patient typed stays as typed.
pub fn build(binder: &Binder, fields: &[EmergencyField], today: PartialDate, words: &Wording) -> EmergencyCard {
    let profile = &binder.profile;
    let tr = words.text;
    let none = |what: &str| vec![what.to_owned()];
    let lines = EmergencyField::ALL
        .into_iter()
        .filter(|f| fields.contains(f))
        .map(|field| {
            let items = match field {
                EmergencyField::Name => none(&profile.name),
                EmergencyField::BirthDate => {
                    none(&profile.birth_date.map_or_else(|| tr(msg!("Not recorded")), |d| (words.date)(d)))
                }
                EmergencyField::Allergies => match binder.allergy_state() {
                    AllergyState::NotRecorded => none(&tr(msg!("Not recorded: ask"))),
                    AllergyState::NoneKnown { .. } => none(&tr(msg!("No known allergies"))),
                    AllergyState::Listed(_) => binder
                        .allergies
                        .iter()
                        .map(|e| {
                            let a = &e.data;
                            let about: Vec<String> = [
                                a.reaction.clone(),
                                a.severity.map(|s| tr(s.label()).to_lowercase()).unwrap_or_default(),
                                a.criticality
                                    .filter(|c| *c == crate::model::Criticality::High)
                                    .map(|c| tr(c.label()).to_lowercase())
                                    .unwrap_or_default(),
                            ]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect();
                            if about.is_empty() {
                                a.substance.clone()
                            } else {
                                format!("{} ({})", a.substance, about.join(", "))
                            }
                        })
                        .collect(),
                },
                EmergencyField::Conditions => binder
                    .conditions
                    .iter()
                    .filter(|e| e.data.status == ConditionStatus::Active)
                    .map(|e| e.data.name.clone())
                    .collect(),
                EmergencyField::Medications => binder
                    .medications
                    .iter()
                    .filter(|e| e.data.status.is_active())
                    .map(|e| {
                        let m = &e.data;
                        let name = [m.name.as_str(), m.strength.as_str()]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(" ");
                        let how = [m.dose_text(), m.frequency.text_in(words)]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(" ");
                        format!("{name}, {how}")
                    })
                    .collect(),
                EmergencyField::BloodType => none(&tr(profile.blood_type.map_or(msg!("Not recorded"), |b| b.label()))),
                EmergencyField::Contacts => profile
                    .emergency_contacts
                    .iter()
                    .map(|c| contact_text(c, None))
                    .chain(profile.caregiver.iter().map(|c| contact_text(c, Some(&tr(msg!("caregiver"))))))
                    .collect(),
                EmergencyField::AdvanceDirective => {
                    if profile.advance_directive.is_empty() {
                        none(&tr(msg!("None recorded")))
                    } else {
                        none(&profile.advance_directive)
                    }
                }
            };
            let items = if items.is_empty() { none(&tr(msg!("None listed"))) } else { items };
            CardLine { field, label: tr(field.label()), items, more: 0, and_more: tr(msg!("and {n} more")) }
        })
        .collect();
    EmergencyCard {
        lines,
        as_of: today,
        heading: tr(msg!("EMERGENCY HEALTH INFORMATION")),
        closing: fill(&tr(msg!("Written by the patient, {date}.")), &[("date", &(words.date)(today))]),
    }
}

impl EmergencyCard {
    /// The card as plain text, one line a field: what the self-contained QR code carries, so any
    /// phone camera shows it as it is, with no app and no network.
    pub fn text(&self) -> String {
        let mut text = format!("{}\n", self.heading);
        for line in &self.lines {
            // A true minus sign (in "O−") costs three bytes and some readers show it garbled.
            text.push_str(&format!("{}: {}\n", line.label, line.text().replace('\u{2212}', "-")));
        }
        text.push_str(&self.closing);
        text
    }

    /// The card cut to `budget` bytes of [`text`](Self::text): the longest list loses its last
    /// item (counted in "and N more") until it fits; a single overlong item is shortened with "…".
    /// Every line stays, so no field the patient chose disappears.
    pub fn fitted(mut self, budget: usize) -> Self {
        while self.text().len() > budget {
            let Some(longest) = (0..self.lines.len()).max_by_key(|&i| self.lines[i].text().len()) else { break };
            let line = &mut self.lines[longest];
            if line.items.len() > 1 {
                line.items.pop();
                line.more += 1;
                continue;
            }
            let item = &mut line.items[0];
            let chars = item.chars().count();
            if chars <= 24 {
                // Nothing left to cut without losing a whole field.
                break;
            }
            let keep: String = item.chars().take(chars * 2 / 3).collect();
            *item = format!("{}\u{2026}", keep.trim_end());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Allergy, BloodType, Condition, Criticality, Frequency, Medication, MedicationStatus, Profile, Quantity,
        Severity, Source,
    };
    use chrono::{DateTime, Utc};

    fn now() -> DateTime<Utc> {
        "2026-12-05T10:00:00Z".parse().unwrap()
    }

    fn today() -> PartialDate {
        PartialDate::day(2026, 12, 5).unwrap()
    }

    fn binder() -> Binder {
        let mut b = Binder::new("Ada Lovelace", now());
        b.update_profile(
            Profile {
                name: "Ada Lovelace".into(),
                birth_date: PartialDate::day(1950, 12, 10).ok(),
                blood_type: Some(BloodType::ONeg),
                emergency_contacts: vec![Contact {
                    name: "Byron".into(),
                    relationship: "son".into(),
                    phone: "+44 20 7946 0000".into(),
                }],
                advance_directive: "In the top drawer of the desk".into(),
                ..Profile::default()
            },
            now(),
        )
        .unwrap();
        let allergy = Allergy {
            substance: "Penicillin".into(),
            reaction: "throat swells".into(),
            severity: Some(Severity::Severe),
            criticality: Some(Criticality::High),
            ..Allergy::default()
        };
        b.add(allergy, Source::Patient, now()).unwrap();
        for (name, status) in [("Type 2 diabetes", ConditionStatus::Active), ("Measles", ConditionStatus::Resolved)] {
            let resolved = (status == ConditionStatus::Resolved).then(|| PartialDate::year(1960).unwrap());
            let c = Condition { name: name.into(), code: None, status, onset: None, resolved, note: "private".into() };
            b.add(c, Source::Patient, now()).unwrap();
        }
        let metformin = Medication {
            name: "Metformin".into(),
            strength: "500 mg".into(),
            dose: Some(Quantity { value: 1.0, unit: "tablet".into() }),
            frequency: Frequency::Scheduled { times: 2, every: 1, unit: crate::model::PeriodUnit::Day },
            reason: "private reason".into(),
            ..Medication::default()
        };
        b.add_medication(metformin, now()).unwrap();
        let stopped = Medication {
            name: "Warfarin".into(),
            status: MedicationStatus::Stopped { reason: String::new() },
            ..Medication::default()
        };
        b.add_medication(stopped, now()).unwrap();
        b
    }

    #[test]
    fn a_card_holds_exactly_the_chosen_fields_in_a_fixed_order() {
        let b = binder();
        let card = build(
            &b,
            &[EmergencyField::Medications, EmergencyField::Name, EmergencyField::Allergies],
            today(),
            &Wording::ENGLISH,
        );
        let fields: Vec<_> = card.lines.iter().map(|l| l.field).collect();
        assert_eq!(fields, [EmergencyField::Name, EmergencyField::Allergies, EmergencyField::Medications]);
        assert_eq!(
            card.text(),
            "EMERGENCY HEALTH INFORMATION\nName: Ada Lovelace\nAllergies: Penicillin (throat swells, severe, high \
             risk)\nMedications: Metformin 500 mg, 1 tablet twice a day\nWritten by the patient, 5 December 2026."
        );
        // Nothing that was not chosen, and nothing but the active entries of what was.
        let stored = StoredCard::new(
            &b,
            &[EmergencyField::Name, EmergencyField::Allergies, EmergencyField::Medications],
            today(),
            &Wording::ENGLISH,
        )
        .unwrap()
        .to_stored();
        for absent in ["1950", "Byron", "drawer", "diabetes", "Warfarin", "private", "O-"] {
            assert!(!stored.contains(absent), "{absent} leaked into {stored}");
        }
    }

    #[test]
    fn every_field_reads_plainly_and_says_when_nothing_is_recorded() {
        let card = build(&binder(), &EmergencyField::ALL, today(), &Wording::ENGLISH);
        let text = card.text();
        for expected in [
            "Born: 10 December 1950",
            "Conditions: Type 2 diabetes\n",
            "Blood type: O-\n",
            "Call: Byron (son) +44 20 7946 0000",
            "Advance directive: In the top drawer of the desk",
        ] {
            assert!(text.contains(expected), "{expected} missing from {text}");
        }
        let empty = build(&Binder::new("Bo", now()), &EmergencyField::ALL, today(), &Wording::ENGLISH);
        let lines: Vec<String> = empty.lines.iter().map(CardLine::text).collect();
        assert_eq!(
            lines,
            [
                "Bo",
                "Not recorded",
                "Not recorded: ask",
                "None listed",
                "None listed",
                "Not recorded",
                "None listed",
                "None recorded"
            ]
        );
        let mut none_known = Binder::new("Bo", now());
        none_known.confirm_no_known_allergies(now()).unwrap();
        assert_eq!(
            build(&none_known, &[EmergencyField::Allergies], today(), &Wording::ENGLISH).lines[0].text(),
            "No known allergies"
        );
    }

    #[test]
    fn a_card_is_written_in_the_readers_language_and_what_the_patient_typed_stays_as_typed() {
        // A stand-in catalogue: every fixed text it knows comes back marked, the dates too.
        let text = |s: &str| match s {
            "Name" => "Nombre".to_owned(),
            "Allergies" => "Alergias".to_owned(),
            "Severe" => "Grave".to_owned(),
            "and {n} more" => "y {n} más".to_owned(),
            "EMERGENCY HEALTH INFORMATION" => "INFORMACIÓN DE SALUD PARA EMERGENCIAS".to_owned(),
            "Written by the patient, {date}." => "Escrito por el paciente, {date}.".to_owned(),
            other => other.to_owned(),
        };
        let date = |d: PartialDate| format!("[{}]", d.text());
        let words = Wording { text: &text, date: &date, plural: &|n| crate::i18n::plural("es", n) };
        let card = build(&binder(), &[EmergencyField::Name, EmergencyField::Allergies], today(), &words);
        assert_eq!(
            card.text(),
            "INFORMACIÓN DE SALUD PARA EMERGENCIAS\nNombre: Ada Lovelace\nAlergias: Penicillin (throat swells, \
             grave, high risk)\nEscrito por el paciente, [5 December 2026]."
        );
        let mut b = binder();
        for i in 0..40 {
            b.add(Allergy { substance: format!("Substance {i}"), ..Allergy::default() }, Source::Patient, now())
                .unwrap();
        }
        let cut = build(&b, &[EmergencyField::Allergies], today(), &words).fitted(QR_TEXT_BUDGET);
        assert!(cut.lines[0].text().ends_with(&format!("y {} más", cut.lines[0].more)), "{}", cut.text());
        // The first screen reads the stored card's lines back in the language it was written in.
        let stored = StoredCard::new(&binder(), &[EmergencyField::Name], today(), &words).unwrap();
        assert_eq!(stored.lines(), (vec![("Nombre", "Ada Lovelace")], "Escrito por el paciente, [5 December 2026]."));
    }

    #[test]
    fn a_long_card_is_cut_to_its_budget_without_losing_a_field() {
        let mut b = binder();
        for i in 0..40 {
            let med =
                Medication { name: format!("Medicine number {i}"), strength: "10 mg".into(), ..Medication::default() };
            b.add_medication(med, now()).unwrap();
        }
        b.profile.advance_directive = "x".repeat(2000);
        let card = build(&b, &EmergencyField::ALL, today(), &Wording::ENGLISH).fitted(QR_TEXT_BUDGET);
        let text = card.text();
        assert!(text.len() <= QR_TEXT_BUDGET, "{} bytes", text.len());
        assert_eq!(card.lines.len(), EmergencyField::ALL.len(), "every chosen field stays");
        let meds = card.lines.iter().find(|l| l.field == EmergencyField::Medications).unwrap();
        assert_eq!(meds.items.len() + meds.more, 41, "what was cut is counted");
        assert!(meds.text().ends_with(&format!("and {} more", meds.more)));
        assert!(text.contains("Allergies: Penicillin (throat swells, severe, high risk)"), "short lines stay whole");
        // A card within budget is untouched.
        let small = build(&binder(), &WALLET_FIELDS, today(), &Wording::ENGLISH);
        assert_eq!(small.clone().fitted(QR_TEXT_BUDGET), small);
    }

    #[test]
    fn the_stored_card_follows_its_own_binder_only() {
        let mut b = binder();
        assert!(StoredCard::new(&b, &[], today(), &Wording::ENGLISH).is_err(), "a card with nothing on it");
        let stored =
            StoredCard::new(&b, &[EmergencyField::Allergies, EmergencyField::Name], today(), &Wording::ENGLISH)
                .unwrap();
        assert_eq!(stored.fields, [EmergencyField::Name, EmergencyField::Allergies]);
        b.add(Allergy { substance: "Latex".into(), ..Allergy::default() }, Source::Patient, now()).unwrap();
        let later = PartialDate::day(2026, 12, 6).unwrap();
        let again = stored.refreshed(&b, later, &Wording::ENGLISH).unwrap();
        let (lines, closing) = again.lines();
        assert_eq!(
            lines,
            [("Name", "Ada Lovelace"), ("Allergies", "Penicillin (throat swells, severe, high risk); Latex")]
        );
        assert_eq!(closing, "Written by the patient, 6 December 2026.");
        assert_eq!(stored.refreshed(&Binder::new("Someone else", now()), later, &Wording::ENGLISH), None);
        // Stored and read back as it was; anything else is no card.
        assert_eq!(StoredCard::from_stored(&again.to_stored()), Some(again.clone()));
        for broken in [
            "",
            "{}",
            &again.to_stored().replacen("card 1", "card 2", 1),
            &again.to_stored().replacen("name ", "nom ", 1),
        ] {
            assert_eq!(StoredCard::from_stored(broken), None, "{broken}");
        }
    }

    #[test]
    fn the_budget_fits_qr_version_16_at_error_correction_m() {
        use qrcode::{EcLevel, QrCode};
        // 81 modules a side is version 16. Text in byte mode is the worst case (digits or
        // capitals alone pack tighter).
        let width = |text: &str| QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap().width();
        assert_eq!(width(&"x".repeat(QR_TEXT_BUDGET)), 81);
        assert!(width(&"\u{e9}".repeat(QR_TEXT_BUDGET / 2)) <= 81);
        assert!(width(&"x".repeat(QR_TEXT_BUDGET + 20)) > 81, "the budget is the version's capacity, not less");
    }

    #[test]
    fn backups_carry_the_vault_and_never_the_card() {
        use crate::vault::{Backup, KdfParams, KeyValue, MemoryStore, UnlockedVault, VaultStore};
        let b = binder();
        let vault = UnlockedVault::create_with_key(b.id, KdfParams::with_cost(1024, 1), &[7; 32]);
        let mut store = VaultStore::new(MemoryStore::default());
        store.create(&vault, &b).unwrap();
        let mut kv = store.into_inner();
        let stored = StoredCard::new(&b, &EmergencyField::ALL, today(), &Wording::ENGLISH).unwrap();
        kv.set(CARD_KEY, &stored.to_stored()).unwrap();
        let text = Backup::from_kv(&kv, 0).unwrap().to_text();
        assert!(!text.contains("Penicillin") && !text.contains("emergency"), "{text}");
    }
}
