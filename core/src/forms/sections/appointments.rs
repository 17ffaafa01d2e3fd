//! Appointments: when, with whom, what for, and the questions the patient wants to ask.

use uuid::Uuid;

use super::{Row, SectionForm, SectionText, details, labelled, provider_name, text_of};
use crate::forms::fields::{FieldKind::*, datetime_input, field, parse_local_datetime};
use crate::forms::{Field, Values, ZoneOffset, value};
use crate::model::{Appointment, Binder, Problems, ProviderRef, ValidationError};

pub(crate) struct Appointments;

impl SectionForm for Appointments {
    type Item = Appointment;

    const TEXT: SectionText = SectionText {
        title: "Appointments",
        item: "appointment",
        slug: "appointments",
        empty: "No appointments. Add one, with the questions you want to ask.",
    };

    const FIELDS: &'static [Field] = &[
        field("at", "Date and time", "", DateTime),
        field("with", "With", "", CareTeam),
        field("with_name", "Or with someone not in your care team", "", Text),
        field("purpose", "Purpose", "(e.g. knee follow-up)", Text),
        field("questions", "Questions to ask", "(one per line)", Lines),
        field("follow_up", "Follow-up to do", "(e.g. book a blood test)", LongText),
    ];

    fn values(a: &Appointment) -> Values {
        let (with, with_name) = match &a.with {
            Some(ProviderRef::CareTeam(id)) => (id.to_string(), String::new()),
            Some(ProviderRef::Named(name)) => (String::new(), name.clone()),
            None => (String::new(), String::new()),
        };
        Values::from([
            ("at", datetime_input(&a.at)),
            ("with", with),
            ("with_name", with_name),
            ("purpose", a.purpose.clone()),
            ("questions", a.questions.join("\n")),
            ("follow_up", a.follow_up.clone()),
        ])
    }

    fn read(v: &Values, _base: Option<&Appointment>, zone: ZoneOffset) -> Result<Appointment, Vec<ValidationError>> {
        let mut r = Problems::default();
        let at = r.ok(parse_local_datetime(value(v, "at"), "at", zone));
        let with = match value(v, "with").parse::<Uuid>() {
            Ok(id) => Some(ProviderRef::CareTeam(id)),
            Err(_) => Some(ProviderRef::Named(text_of(v, "with_name"))),
        };
        let questions = value(v, "questions").lines().map(str::to_owned).collect();
        r.finish_some(at.map(|at| Appointment {
            at,
            with,
            purpose: text_of(v, "purpose"),
            questions,
            follow_up: text_of(v, "follow_up"),
        }))
    }

    fn row(id: Uuid, a: &Appointment, binder: &Binder) -> Row {
        let with = match &a.with {
            Some(ProviderRef::CareTeam(id)) => provider_name(binder, *id),
            Some(ProviderRef::Named(name)) => Some(name.clone()),
            None => None,
        };
        Row {
            id,
            title: if a.purpose.is_empty() { a.at.text() } else { format!("{} \u{2014} {}", a.at.text(), a.purpose) },
            details: details([
                with.map(|w| format!("With {w}")).unwrap_or_default(),
                labelled("Ask: ", &a.questions.join(" \u{2022} ")),
                labelled("Afterwards: ", &a.follow_up),
            ]),
            badge: None,
        }
    }

    /// The soonest first.
    fn order(a: &Appointment) -> i64 {
        a.at.utc_ms
    }
}
