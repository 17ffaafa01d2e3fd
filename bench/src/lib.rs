//! The large binder every vault benchmark measures (the native one, `src/bin/bench_vault.rs`, and
//! the browser one, `app/src/bin/bench_vault.rs`), kept in one place so both measure the same
//! binder. Not part of the app: only the benchmarks depend on this crate. docs/benchmarks.md says
//! what each benchmark measures and where its pieces live.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use health_binder_core::model::{
    Allergy, AllergyCategory, Appointment, ClinicalCode, CodeSystem, Condition, ConditionStatus, Contact, Criticality,
    Frequency, GlucoseUnit, Immunization, Interpretation, LocalDateTime, Measurement, MedicationKind, MedicationStatus,
    Note, PartialDate, PeriodUnit, Procedure, Profile, Provider, ProviderRef, Quantity, ResultValue, Severity, Sex,
    TestResult, TimeOfDay, Verification, VitalSign, When, is_loinc, rounded,
};
use health_binder_core::vault::{KEEP_GENERATIONS, KdfParams, KeyValue, Loaded, UnlockedVault, VaultError, VaultStore};
use health_binder_core::{Binder, Medication, Source};

/// How many medications, vital-sign readings and test results the large binder holds.
pub const MEDICATIONS: usize = 300;
pub const VITALS: usize = 2_000;
pub const RESULTS: usize = 500;

/// SplitMix64: the same binder on every run, without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal (sum of four uniforms), mean 0 and standard deviation 1.
    fn gauss(&mut self) -> f64 {
        ((0..4).map(|_| self.unit()).sum::<f64>() - 2.0) * 3f64.sqrt()
    }
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("a UTC time")
}

/// Central European time, roughly: +02:00 from April to October, +01:00 otherwise.
fn offset(month: u32) -> i16 {
    if (4..=10).contains(&month) { 120 } else { 60 }
}

fn local(date: NaiveDate, hour: u8, minute: u8) -> LocalDateTime {
    LocalDateTime::from_local(
        date.year().into(),
        date.month() as u8,
        date.day() as u8,
        hour,
        minute,
        offset(date.month()),
    )
    .expect("a valid local time")
}

fn day_of(date: NaiveDate) -> PartialDate {
    PartialDate::day(date.year() as u16, date.month() as u8, date.day() as u8).expect("a valid day")
}

fn moment(at: LocalDateTime) -> DateTime<Utc> {
    at.utc().expect("in range")
}

/// What a patient with type 2 diabetes, hypertension and a long medication history might keep
/// after two years of daily use: realistic field lengths and variety, the same on every run apart
/// from the random ids (which are all the same length).
pub fn large_binder() -> Binder {
    let mut rng = Rng(0x4842_5641_554C_5431);
    let created = utc("2024-11-23T09:12:00Z");
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let mut binder = Binder::new("Margarethe Vogel-Lindqvist", created);

    binder
        .update_profile(
            Profile {
                name: "Margarethe Vogel-Lindqvist".into(),
                birth_date: PartialDate::day(1951, 6, 14).ok(),
                sex: Sex::Female,
                blood_type: None,
                language: "de-DE".into(),
                emergency_contacts: vec![
                    Contact { name: "Jonas Vogel".into(), relationship: "Son".into(), phone: "+49 30 901820".into() },
                    Contact {
                        name: "Ingrid Lindqvist".into(),
                        relationship: "Sister".into(),
                        phone: "+46 8 123 456 78".into(),
                    },
                ],
                caregiver: Some(Contact {
                    name: "Jonas Vogel".into(),
                    relationship: "Son".into(),
                    phone: "+49 30 901820".into(),
                }),
                advance_directive: "Patientenverfügung signed March 2022; the original is with my son Jonas, a copy \
                                    is in the top drawer of the desk in the hall."
                    .into(),
            },
            created,
        )
        .expect("profile");

    // ---- care team
    let team = [
        ("Dr Amira Haddad", "General practitioner", "Praxis am Park", "+49 30 555 0101", true),
        ("Dr Jonas Weber", "Endocrinologist", "Charité Diabetes Clinic", "+49 30 555 0202", false),
        ("Dr Priya Natarajan", "Cardiologist", "Herzzentrum Mitte", "+49 30 555 0303", false),
        ("Dr Luis Ortega", "Orthopaedic surgeon", "St Hedwig Hospital", "+49 30 555 0404", false),
        ("Claire Dubois", "Diabetes nurse", "Charité Diabetes Clinic", "+49 30 555 0205", false),
        ("Sam Okafor", "Pharmacist", "Apotheke am Markt", "+49 30 555 0606", false),
    ];
    let mut care_team = Vec::new();
    for (name, role, organisation, phone, primary_care) in team {
        let slug = name.trim_start_matches("Dr ").to_lowercase().replace(' ', ".");
        let domain = organisation.split(' ').next().unwrap_or("clinic").to_lowercase().replace('é', "e");
        let provider = Provider {
            name: name.into(),
            role: role.into(),
            organisation: organisation.into(),
            phone: phone.into(),
            fax: String::new(),
            email: format!("{slug}@{domain}.example"),
            address: format!(
                "{} {}, 10117 Berlin",
                rng.pick(&["Invalidenstraße", "Luisenstraße", "Torstraße"]),
                10 + rng.below(90)
            ),
            portal: if primary_care { "https://portal.praxis-am-park.example".into() } else { String::new() },
            primary_care,
        };
        care_team.push(binder.add(provider, Source::Patient, created).expect("provider"));
    }
    let (gp, endo, cardio, ortho) = (care_team[0], care_team[1], care_team[2], care_team[3]);

    // ---- medications: the current list and a long history of stopped ones
    struct Drug {
        name: &'static str,
        strengths: &'static [&'static str],
        form: &'static str,
        reason: &'static str,
        kind: MedicationKind,
        prescriber: usize,
    }
    const fn drug(
        name: &'static str,
        strengths: &'static [&'static str],
        form: &'static str,
        reason: &'static str,
        kind: MedicationKind,
        prescriber: usize,
    ) -> Drug {
        Drug { name, strengths, form, reason, kind, prescriber }
    }
    use MedicationKind::{OverTheCounter as Otc, Prescription as Rx, Supplement as Sup};
    let drugs = [
        drug("Metformin", &["500 mg", "850 mg", "1000 mg"], "tablet", "Type 2 diabetes", Rx, 1),
        drug("Sitagliptin", &["50 mg", "100 mg"], "tablet", "Type 2 diabetes", Rx, 1),
        drug("Empagliflozin", &["10 mg", "25 mg"], "tablet", "Type 2 diabetes, heart protection", Rx, 1),
        drug("Gliclazide", &["30 mg MR", "60 mg MR"], "tablet", "Type 2 diabetes", Rx, 1),
        drug("Insulin glargine", &["100 units/mL"], "pen", "Type 2 diabetes (night-time insulin)", Rx, 1),
        drug("Ramipril", &["2.5 mg", "5 mg", "10 mg"], "capsule", "High blood pressure", Rx, 2),
        drug("Lisinopril", &["5 mg", "10 mg", "20 mg"], "tablet", "High blood pressure", Rx, 0),
        drug("Amlodipine", &["5 mg", "10 mg"], "tablet", "High blood pressure", Rx, 2),
        drug("Bisoprolol", &["1.25 mg", "2.5 mg", "5 mg"], "tablet", "Heart rate and blood pressure", Rx, 2),
        drug("Hydrochlorothiazide", &["12.5 mg", "25 mg"], "tablet", "Blood pressure, ankle swelling", Rx, 0),
        drug("Atorvastatin", &["10 mg", "20 mg", "40 mg"], "tablet", "High cholesterol", Rx, 2),
        drug("Simvastatin", &["20 mg", "40 mg"], "tablet", "High cholesterol", Rx, 0),
        drug("Ezetimibe", &["10 mg"], "tablet", "High cholesterol", Rx, 2),
        drug("Levothyroxine", &["50 mcg", "75 mcg", "88 mcg", "100 mcg"], "tablet", "Underactive thyroid", Rx, 0),
        drug("Salbutamol", &["100 mcg/dose"], "inhaler", "Asthma, when short of breath", Rx, 0),
        drug("Budesonide/formoterol", &["160/4.5 mcg"], "inhaler", "Asthma prevention", Rx, 0),
        drug("Omeprazole", &["20 mg", "40 mg"], "capsule", "Heartburn, stomach protection", Rx, 0),
        drug("Pantoprazole", &["20 mg", "40 mg"], "tablet", "Stomach protection", Rx, 0),
        drug("Acetylsalicylic acid", &["75 mg", "100 mg"], "tablet", "Heart protection", Rx, 2),
        drug("Clopidogrel", &["75 mg"], "tablet", "After stent, to stop clots", Rx, 2),
        drug("Apixaban", &["2.5 mg", "5 mg"], "tablet", "Atrial fibrillation, to prevent stroke", Rx, 2),
        drug("Furosemide", &["20 mg", "40 mg"], "tablet", "Fluid retention", Rx, 2),
        drug("Allopurinol", &["100 mg", "300 mg"], "tablet", "Gout prevention", Rx, 0),
        drug("Colchicine", &["0.5 mg"], "tablet", "Gout flare", Rx, 0),
        drug("Prednisolone", &["5 mg", "25 mg"], "tablet", "Asthma flare (short course)", Rx, 0),
        drug("Amoxicillin", &["500 mg"], "capsule", "Chest infection", Rx, 0),
        drug("Doxycycline", &["100 mg"], "capsule", "Chest infection", Rx, 0),
        drug("Nitrofurantoin", &["100 mg"], "capsule", "Urine infection", Rx, 0),
        drug("Sertraline", &["50 mg", "100 mg"], "tablet", "Low mood after my husband died", Rx, 0),
        drug("Mirtazapine", &["15 mg"], "tablet", "Sleep and low mood", Rx, 0),
        drug("Zopiclone", &["3.75 mg"], "tablet", "Sleep (short term)", Rx, 0),
        drug("Tramadol", &["50 mg"], "capsule", "Knee pain after surgery", Rx, 3),
        drug("Diclofenac gel", &["1 %"], "gel", "Knee pain", Otc, 3),
        drug("Ibuprofen", &["200 mg", "400 mg"], "tablet", "Pain", Otc, 0),
        drug("Paracetamol", &["500 mg", "1 g"], "tablet", "Knee pain, headaches", Otc, 0),
        drug("Cetirizine", &["10 mg"], "tablet", "Hay fever", Otc, 0),
        drug("Loperamide", &["2 mg"], "capsule", "Diarrhoea when travelling", Otc, 0),
        drug("Macrogol", &["13.8 g"], "sachet", "Constipation", Otc, 0),
        drug("Vitamin D3", &["1000 IU", "20000 IU"], "capsule", "Low vitamin D", Sup, 0),
        drug("Calcium carbonate", &["500 mg"], "chewable tablet", "Bones", Sup, 0),
        drug("Omega-3 fish oil", &["1000 mg"], "capsule", "Heart (my own choice)", Sup, 0),
        drug("Magnesium", &["300 mg"], "tablet", "Leg cramps at night", Sup, 0),
        drug("Vitamin B12", &["1000 mcg"], "tablet", "Low B12 on metformin", Sup, 1),
        drug("Glucosamine", &["1500 mg"], "tablet", "Joints", Sup, 0),
    ];
    let current = [
        "Metformin",
        "Empagliflozin",
        "Insulin glargine",
        "Ramipril",
        "Amlodipine",
        "Bisoprolol",
        "Atorvastatin",
        "Ezetimibe",
        "Levothyroxine",
        "Salbutamol",
        "Budesonide/formoterol",
        "Pantoprazole",
        "Apixaban",
        "Allopurinol",
        "Paracetamol",
        "Diclofenac gel",
        "Cetirizine",
        "Vitamin D3",
        "Vitamin B12",
        "Magnesium",
        "Omega-3 fish oil",
    ];
    let stop_reasons = [
        "Course finished",
        "Dose changed",
        "Switched to another medicine",
        "Made me dizzy",
        "Stomach upset",
        "Dry cough",
        "Ankle swelling",
        "Muscle aches",
        "No longer needed",
        "Stopped in hospital",
        "Blood sugar too low at night",
        "Replaced by a combination tablet",
    ];
    let doses_for = |form: &str| -> (&'static [f64], &'static str, &'static str) {
        match form {
            "inhaler" => (&[1.0, 2.0], "puff", "inhaled"),
            "pen" => (&[10.0, 12.0, 14.0, 16.0, 18.0, 20.0], "units", "injection under the skin"),
            "gel" => (&[1.0], "application", "on the skin"),
            "sachet" => (&[1.0, 2.0], "sachet", "by mouth, in water"),
            "capsule" => (&[1.0], "capsule", "by mouth"),
            _ => (&[0.5, 1.0, 1.0, 1.0, 2.0], "tablet", "by mouth"),
        }
    };
    let hours = [(8u8, 0u8), (12, 30), (18, 0), (20, 0), (22, 0)];
    for i in 0..MEDICATIONS {
        // The current list first, one line per drug; then the history of stopped ones.
        let active = i < current.len();
        let d =
            if active { drugs.iter().find(|d| d.name == current[i]).expect("a listed drug") } else { rng.pick(&drugs) };
        let strength = *rng.pick(d.strengths);
        let (doses, unit, route) = doses_for(d.form);
        let frequency = match (d.kind, rng.below(10)) {
            (MedicationKind::OverTheCounter, _) | (_, 0) => {
                Frequency::AsNeeded { max_per_day: [None, Some(3), Some(4), Some(6)][rng.below(4)] }
            }
            (_, 1) => Frequency::AtTimes {
                times: (0..2 + rng.below(2))
                    .map(|_| {
                        let (h, m) = *rng.pick(&hours);
                        TimeOfDay::new(h, m).expect("time")
                    })
                    .collect(),
            },
            (_, 2) => Frequency::Scheduled { times: 1, every: 1, unit: PeriodUnit::Week },
            (_, 3 | 4) => Frequency::Scheduled { times: 2, every: 1, unit: PeriodUnit::Day },
            (_, 5) => Frequency::Scheduled { times: 3, every: 1, unit: PeriodUnit::Day },
            _ => Frequency::Scheduled { times: 1, every: 1, unit: PeriodUnit::Day },
        };
        let start_year = 2004 + rng.below(if active { 22 } else { 20 }) as u16;
        let started = match rng.below(3) {
            0 => PartialDate::year(start_year),
            1 => PartialDate::month(start_year, 1 + rng.below(12) as u8),
            _ => PartialDate::day(start_year, 1 + rng.below(12) as u8, 1 + rng.below(28) as u8),
        }
        .expect("start");
        let (status, stopped) = if active {
            (MedicationStatus::Active, None)
        } else {
            let stop_year = (start_year + rng.below(4) as u16 + 1).min(2026);
            let stopped = PartialDate::month(stop_year, 1 + rng.below(12) as u8).expect("stop");
            (MedicationStatus::Stopped { reason: (*rng.pick(&stop_reasons)).into() }, Some(stopped))
        };
        let prescriber = (d.kind == MedicationKind::Prescription).then(|| care_team[d.prescriber]);
        let verified = (active || rng.below(4) == 0).then(|| Verification {
            on: day_of(today - chrono::Duration::days(rng.below(700) as i64)),
            by: (*rng.pick(&["Dr Amira Haddad", "Sam Okafor (pharmacist)", "me, against the box", ""])).into(),
            from: String::new(),
        });
        let med = Medication {
            name: d.name.into(),
            strength: strength.into(),
            dose: Some(Quantity { value: *rng.pick(doses), unit: unit.into() }),
            frequency,
            kind: d.kind,
            reason: d.reason.into(),
            // RxNorm-shaped (six or seven digits) for realistic size; not looked up.
            rxnorm: (d.kind != MedicationKind::Supplement).then(|| (200_000 + rng.below(1_800_000)).to_string()),
            form: d.form.into(),
            route: route.into(),
            prescriber,
            started: Some(started),
            stopped,
            status,
            verified,
            instructions: String::new(),
        };
        binder.add(med, Source::Patient, created).expect("medication");
    }

    // ---- conditions, allergies, procedures, immunizations
    let conditions = [
        (
            "Type 2 diabetes",
            "44054006",
            2009,
            None,
            "Diagnosed at a routine check-up; on tablets, insulin at night since 2021.",
        ),
        ("Essential hypertension", "59621000", 2006, None, ""),
        ("Hyperlipidaemia", "55822004", 2010, None, "Statins: muscle aches on simvastatin, fine on atorvastatin."),
        ("Hypothyroidism", "40930008", 2014, None, ""),
        ("Asthma", "195967001", 1975, None, "Mild; worse with colds and in spring."),
        ("Osteoarthritis of knee", "239873007", 2016, None, "Left knee worse; arthroscopy 2019."),
        ("Atrial fibrillation", "49436004", 2023, None, "Paroxysmal, found on a watch ECG; on apixaban."),
        ("Gout", "90560007", 2018, None, ""),
        ("Pneumonia", "233604007", 2022, Some(2022), "Two nights in hospital, January 2022."),
        ("Depressive episode", "35489007", 2019, Some(2021), "After my husband died. Counselling helped."),
    ];
    for (name, code, onset, resolved, note) in conditions {
        let condition = Condition {
            name: name.into(),
            code: Some(ClinicalCode { system: CodeSystem::Snomed, code: code.into() }),
            status: if resolved.is_some() { ConditionStatus::Resolved } else { ConditionStatus::Active },
            onset: PartialDate::year(onset).ok(),
            resolved: resolved.and_then(|y| PartialDate::year(y).ok()),
            note: note.into(),
        };
        binder.add(condition, Source::Patient, created).expect("condition");
    }
    let allergies = [
        (
            "Penicillin",
            AllergyCategory::Medication,
            "Hives all over, swollen lips (1988)",
            Severity::Moderate,
            Criticality::High,
        ),
        ("Sulfonamide antibiotics", AllergyCategory::Medication, "Rash", Severity::Mild, Criticality::Low),
        (
            "Latex",
            AllergyCategory::Environment,
            "Itchy red skin where gloves touched",
            Severity::Mild,
            Criticality::Low,
        ),
        (
            "Hazelnuts",
            AllergyCategory::Food,
            "Tingling mouth, throat feels tight",
            Severity::Moderate,
            Criticality::UnableToAssess,
        ),
    ];
    for (substance, category, reaction, severity, criticality) in allergies {
        let allergy = Allergy {
            substance: substance.into(),
            category: Some(category),
            reaction: reaction.into(),
            severity: Some(severity),
            criticality: Some(criticality),
        };
        binder.add(allergy, Source::Patient, created).expect("allergy");
    }
    let procedures = [
        ("Appendectomy", PartialDate::year(1968), "Kreiskrankenhaus Lübeck", ""),
        ("Cholecystectomy (laparoscopic)", PartialDate::month(2003, 9), "St Hedwig Hospital", ""),
        (
            "Knee arthroscopy (left)",
            PartialDate::day(2019, 2, 11),
            "Dr Luis Ortega, St Hedwig Hospital",
            "Meniscus trimmed.",
        ),
        (
            "Colonoscopy",
            PartialDate::day(2023, 5, 8),
            "Gastro Praxis Mitte",
            "Two small polyps removed, benign. Repeat in 5 years.",
        ),
        ("Cataract surgery (right eye)", PartialDate::day(2025, 10, 2), "Augenklinik Berlin", ""),
    ];
    for (name, date, performer, note) in procedures {
        let procedure =
            Procedure { name: name.into(), date: date.ok(), performer: performer.into(), note: note.into() };
        binder.add(procedure, Source::Patient, created).expect("procedure");
    }
    let mut immunizations: Vec<(String, PartialDate, Option<u32>)> = (2017..=2026)
        .map(|y| (format!("Influenza {y}/{}", (y + 1) % 100), PartialDate::month(y, 10).expect("date"), None))
        .collect();
    immunizations.extend([
        ("COVID-19 (Comirnaty)".to_owned(), PartialDate::day(2021, 3, 2).expect("date"), Some(1)),
        ("COVID-19 (Comirnaty)".to_owned(), PartialDate::day(2021, 4, 13).expect("date"), Some(2)),
        ("COVID-19 (Comirnaty)".to_owned(), PartialDate::day(2021, 11, 20).expect("date"), Some(3)),
        ("COVID-19 (Comirnaty JN.1)".to_owned(), PartialDate::day(2024, 10, 15).expect("date"), None),
        ("Tetanus, diphtheria, pertussis booster".to_owned(), PartialDate::year(2019).expect("date"), None),
        ("Pneumococcal (PCV20)".to_owned(), PartialDate::month(2024, 2).expect("date"), None),
        ("Shingles (Shingrix)".to_owned(), PartialDate::month(2023, 3).expect("date"), Some(1)),
        ("Shingles (Shingrix)".to_owned(), PartialDate::month(2023, 6).expect("date"), Some(2)),
    ]);
    for (vaccine, date, dose_number) in immunizations {
        let shot = Immunization {
            vaccine,
            date: Some(date),
            dose_number,
            lot: format!("{}{:05}", ["EX", "FK", "HL", "PZ"][rng.below(4)], rng.below(100_000)),
            given_by: (*rng.pick(&["Praxis am Park", "Apotheke am Markt", "Impfzentrum Tegel"])).into(),
        };
        binder.add(shot, Source::Patient, created).expect("immunization");
    }

    // ---- vitals: two years of home readings, mostly blood pressure, ~2.7 a day
    let days = 730;
    let first = today - chrono::Duration::days(days);
    let mut weight = 86.0;
    for i in 0..VITALS {
        let date = first + chrono::Duration::days((i * days as usize / VITALS) as i64);
        let progress = i as f64 / VITALS as f64; // treatment working: pressure and sugar drift down
        let roll = rng.below(100);
        let (hour, measurement) = if roll < 45 {
            let systolic = (142.0 - 12.0 * progress + 9.0 * rng.gauss()).round().clamp(95.0, 210.0) as u16;
            let diastolic = (86.0 - 5.0 * progress + 6.0 * rng.gauss()).round().clamp(50.0, 120.0) as u16;
            (7 + rng.below(2) as u8, Measurement::BloodPressure { systolic, diastolic: diastolic.min(systolic - 20) })
        } else if roll < 70 {
            (7 + rng.below(2) as u8, Measurement::Pulse { per_minute: (72.0 + 8.0 * rng.gauss()).round() as u16 })
        } else if roll < 85 {
            weight = (weight - 0.004 + 0.25 * rng.gauss()).clamp(70.0, 95.0);
            (7, Measurement::Weight { kg: rounded((weight * 10.0).round() / 10.0) })
        } else {
            let value = (8.4 - 1.6 * progress + 1.1 * rng.gauss()).clamp(3.5, 18.0);
            let hour = *rng.pick(&[7u8, 7, 12, 19, 22]);
            (hour, Measurement::Glucose { value: (value * 10.0).round() / 10.0, unit: GlucoseUnit::MmolPerL })
        };
        let at = local(date, hour, rng.below(60) as u8);
        binder.add(VitalSign { at, measurement }, Source::Patient, moment(at)).expect("vital");
    }

    // ---- test results: lab panels every few weeks over six years
    struct Lab {
        name: &'static str,
        loinc: &'static str,
        unit: &'static str,
        low: Option<f64>,
        high: Option<f64>,
        mean: f64,
        sd: f64,
        decimals: i32,
    }
    #[allow(clippy::too_many_arguments)]
    const fn lab(
        name: &'static str,
        loinc: &'static str,
        unit: &'static str,
        low: Option<f64>,
        high: Option<f64>,
        mean: f64,
        sd: f64,
        decimals: i32,
    ) -> Lab {
        Lab { name, loinc, unit, low, high, mean, sd, decimals }
    }
    let labs = [
        lab("HbA1c", "4548-4", "%", Some(4.0), Some(5.6), 7.1, 0.5, 1),
        lab("Glucose, fasting", "14749-6", "mmol/L", Some(3.9), Some(5.5), 7.6, 1.1, 1),
        lab("Cholesterol, total", "14647-2", "mmol/L", None, Some(5.2), 4.9, 0.6, 1),
        lab("HDL cholesterol", "14646-4", "mmol/L", Some(1.2), None, 1.3, 0.2, 2),
        lab("LDL cholesterol", "22748-8", "mmol/L", None, Some(3.0), 2.6, 0.5, 1),
        lab("Triglycerides", "14927-8", "mmol/L", None, Some(1.7), 1.9, 0.5, 1),
        lab("Creatinine", "14682-9", "umol/L", Some(45.0), Some(90.0), 88.0, 10.0, 0),
        lab("eGFR (CKD-EPI)", "33914-3", "mL/min/{1.73_m2}", Some(60.0), None, 62.0, 7.0, 0),
        lab("Sodium", "2951-2", "mmol/L", Some(135.0), Some(145.0), 139.0, 2.0, 0),
        lab("Potassium", "2823-3", "mmol/L", Some(3.5), Some(5.1), 4.5, 0.4, 1),
        lab("Haemoglobin", "718-7", "g/dL", Some(12.0), Some(15.5), 13.2, 0.8, 1),
        lab("White cells", "6690-2", "10*3/uL", Some(4.0), Some(10.0), 6.8, 1.3, 1),
        lab("Platelets", "777-3", "10*3/uL", Some(150.0), Some(400.0), 248.0, 40.0, 0),
        lab("TSH", "3016-3", "m[IU]/L", Some(0.4), Some(4.0), 2.3, 0.9, 2),
        lab("ALT", "1742-6", "U/L", Some(7.0), Some(35.0), 27.0, 8.0, 0),
        lab("Albumin/creatinine ratio, urine", "14959-1", "mg/g", None, Some(30.0), 24.0, 12.0, 0),
        lab("Vitamin B12", "2132-9", "pg/mL", Some(200.0), Some(900.0), 340.0, 80.0, 0),
        lab("Vitamin D (25-OH)", "1989-3", "ng/mL", Some(30.0), Some(100.0), 29.0, 8.0, 0),
    ];
    for l in &labs {
        assert!(is_loinc(l.loinc), "{} is not a valid LOINC code", l.loinc);
    }
    let texts = [("Urine protein, dipstick", "Negative"), ("Urine culture", "No significant growth")];
    let first_panel = NaiveDate::from_ymd_opt(2020, 11, 2).expect("date");
    let mut panel = 0;
    let mut results = 0;
    while results < RESULTS {
        let date = first_panel + chrono::Duration::days(panel * 41);
        panel += 1;
        let ordered_by = *rng.pick(&[gp, gp, endo, cardio]);
        let when = if rng.below(4) == 0 {
            When::At(local(date, 8, 10 + rng.below(40) as u8))
        } else {
            When::Date(day_of(date))
        };
        let meta_time = utc(&format!("{date}T16:00:00Z"));
        for (j, l) in labs.iter().enumerate() {
            // HbA1c, glucose, creatinine, eGFR and potassium every time; the rest now and then.
            if results == RESULTS || (j > 1 && !matches!(j, 6 | 7 | 9) && rng.below(2) == 0) {
                continue;
            }
            let scale = 10f64.powi(l.decimals);
            let value = ((l.mean + l.sd * rng.gauss()).max(0.1) * scale).round() / scale;
            let interpretation = match (l.low, l.high) {
                (Some(low), _) if value < low => Interpretation::Low,
                (_, Some(high)) if value > high => Interpretation::High,
                _ => Interpretation::Normal,
            };
            let result = TestResult {
                name: l.name.into(),
                loinc: Some(l.loinc.into()),
                value: ResultValue::Quantity(Quantity { value, unit: l.unit.into() }),
                when,
                ordered_by: Some(ordered_by),
                range_low: l.low,
                range_high: l.high,
                interpretation: Some(interpretation),
            };
            binder
                .add(result, Source::Imported { origin: "portal.praxis-am-park.example".into() }, meta_time)
                .expect("result");
            results += 1;
        }
        if results < RESULTS && panel % 3 == 0 {
            let (name, text) = *rng.pick(&texts);
            let result = TestResult {
                name: name.into(),
                loinc: None,
                value: ResultValue::Text(text.into()),
                when,
                ordered_by: Some(ordered_by),
                range_low: None,
                range_high: None,
                interpretation: Some(Interpretation::Normal),
            };
            binder.add(result, Source::Patient, meta_time).expect("result");
            results += 1;
        }
    }

    // ---- appointments and a symptom journal
    let purposes = [
        ("Diabetes review", endo, "Can the night insulin go down now the sugars are lower?"),
        ("Blood pressure check", gp, "Is the morning dizziness from the ramipril?"),
        ("Cardiology follow-up", cardio, "Do I still need the aspirin with apixaban?"),
        ("Knee review", ortho, "Is a knee replacement worth it yet?"),
        ("Annual check-up", gp, "Which vaccines are due this autumn?"),
    ];
    for k in 0..24 {
        let (purpose, with, question) = purposes[k % purposes.len()];
        let at = local(
            first + chrono::Duration::days(k as i64 * 30 + rng.below(20) as i64),
            9 + rng.below(8) as u8,
            15 * rng.below(4) as u8,
        );
        let appointment = Appointment {
            at,
            with: Some(ProviderRef::CareTeam(with)),
            purpose: purpose.into(),
            questions: vec![question.into(), "Bring the glucose log and the blood pressure list.".into()],
            follow_up: ["Book fasting blood test 1 week before next visit.", "Pick up new prescription.", ""]
                [rng.below(3)]
            .into(),
        };
        binder.add(appointment, Source::Patient, moment(at) - chrono::Duration::days(14)).expect("appointment");
    }
    let symptoms = [
        "Dizzy when standing up in the morning, passed after a few minutes.",
        "Left knee swollen after the walk to the market; ice and paracetamol helped.",
        "Palpitations for about 20 minutes in the evening, watch said irregular rhythm.",
        "Slept badly, up three times to pass water.",
        "Short of breath on the stairs, used the blue inhaler twice.",
        "Big toe hot and painful overnight, like the gout in 2018.",
        "Hypo at 4 am (3.4 mmol/L), had juice and a biscuit, fine by breakfast.",
        "Ankles swollen by the evening, better with feet up.",
        "Headache behind the eyes all afternoon.",
        "Felt well, walked 5 km with Ingrid.",
    ];
    for k in 0..60 {
        let at = local(
            first + chrono::Duration::days(k * 12 + rng.below(10) as i64),
            20 + rng.below(3) as u8,
            rng.below(60) as u8,
        );
        let note = Note { at, text: (*rng.pick(&symptoms)).into(), severity: Some(rng.below(8) as u8) };
        binder.add(note, Source::Patient, moment(at)).expect("note");
    }

    assert_eq!((binder.medications.len(), binder.vitals.len(), binder.results.len()), (MEDICATIONS, VITALS, RESULTS));
    binder
}

/// The passphrase of the benchmarks' vault.
pub const PASSPHRASE: &str = "correct horse battery staple";

/// `binder` stored in `kv` as the app leaves a device: a header with a passphrase slot and a
/// recovery-code slot (both derived with `kdf`), and [`KEEP_GENERATIONS`] sealed generations (the
/// binder has been saved a few times). No vault stays open: each benchmark unlocks it.
pub fn stored_vault<S: KeyValue>(kv: S, binder: &Binder, kdf: &KdfParams) -> Result<VaultStore<S>, VaultError> {
    let mut vault = UnlockedVault::create(binder.id, PASSPHRASE, kdf.clone())?;
    vault.new_recovery_code(kdf.clone())?;
    let mut store = VaultStore::new(kv);
    store.create(&vault, binder)?;
    for _ in 1..KEEP_GENERATIONS {
        store.save(&vault, binder)?;
    }
    Ok(store)
}

/// One unlock as the benchmarks time it: the header read, the derivation, the unwrap, then the
/// newest generation read, decrypted, inflated and parsed. The first call also checks the round
/// trip: `binder` comes back whole, from the newest generation.
pub fn unlock<S: KeyValue>(store: &VaultStore<S>, binder: &Binder) -> Result<(UnlockedVault, Loaded), String> {
    let header = store.header(binder.id).map_err(|e| e.to_string())?;
    let vault = UnlockedVault::unlock(&header, PASSPHRASE).map_err(|e| e.to_string())?;
    let loaded = store.load(&vault).map_err(|e| e.to_string())?;
    if !(loaded.binder == *binder && loaded.skipped.is_empty() && loaded.generation == KEEP_GENERATIONS) {
        return Err("the unlocked binder differs from the one saved".into());
    }
    Ok((vault, loaded))
}

/// `rounds` measurements of `a` and of `b`, taking turns (a b, b a, a b…) so that whatever else the
/// machine does weighs on both, and neither always runs second. Each benchmark measures with its
/// own clock (`Instant` natively, `performance.now()` in the browser).
pub fn take_turns<M>(rounds: usize, mut a: impl FnMut() -> M, mut b: impl FnMut() -> M) -> (Vec<M>, Vec<M>) {
    let (mut ta, mut tb) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for round in 0..rounds {
        if round.is_multiple_of(2) {
            ta.push(a());
            tb.push(b());
        } else {
            tb.push(b());
            ta.push(a());
        }
    }
    (ta, tb)
}
