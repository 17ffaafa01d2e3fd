//! Shared test data: a binder the way a patient would fill it in, and time zones as browsers answer.
#![allow(dead_code)]

pub mod zones;

use chrono::{DateTime, Utc};
use health_binder_core::Binder;
use health_binder_core::model::{Frequency, Medication, MedicationKind, PeriodUnit, Quantity};

pub fn now() -> DateTime<Utc> {
    "2026-11-23T10:00:00Z".parse().unwrap()
}

pub fn metformin() -> Medication {
    Medication {
        name: "Metformin".into(),
        strength: "500 mg".into(),
        dose: Some(Quantity { value: 1.0, unit: "tablet".into() }),
        frequency: Frequency::Scheduled { times: 2, every: 1, unit: PeriodUnit::Day },
        kind: MedicationKind::Prescription,
        reason: "Type 2 diabetes".into(),
        ..Medication::default()
    }
}

pub fn ibuprofen() -> Medication {
    Medication {
        name: "Ibuprofen".into(),
        strength: "200 mg".into(),
        dose: Some(Quantity { value: 2.0, unit: "tablet".into() }),
        frequency: Frequency::AsNeeded { max_per_day: Some(3) },
        kind: MedicationKind::OverTheCounter,
        reason: "Knee pain".into(),
        ..Medication::default()
    }
}

pub fn vitamin_d() -> Medication {
    Medication {
        name: "Vitamin D3".into(),
        strength: "1000 IU".into(),
        dose: None,
        frequency: Frequency::Scheduled { times: 1, every: 1, unit: PeriodUnit::Week },
        kind: MedicationKind::Supplement,
        reason: String::new(),
        ..Medication::default()
    }
}

pub fn sample_binder() -> Binder {
    let mut binder = Binder::new("Ada Lovelace", now());
    for med in [metformin(), ibuprofen(), vitamin_d()] {
        binder.add_medication(med, now()).unwrap();
    }
    binder
}
