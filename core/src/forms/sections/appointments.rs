//! Appointments: when, with whom, what for, and the questions the patient wants to ask.

use crate::msg;
use uuid::Uuid;

use super::{Line, Row, SectionForm, SectionText, Value, details, labelled, provider_name, text_of, when};
use crate::forms::fields::{FieldKind::*, datetime_input, field, parse_local_datetime};
use crate::forms::{Field, Values, ZoneOffset, value};
use crate::model::{Appointment, Binder, Problems, ProviderRef, ValidationError};

pub(crate) struct Appointments;

impl SectionForm for Appointments {
    type Item = Appointment;

    const TEXT: SectionText = SectionText {
        title: msg!("Appointments"),
        add: msg!("Add appointment"),
        edit: msg!("Edit appointment"),
        save: msg!("Save appointment"),
        slug: "appointments",
        empty: msg!("No appointments. Add one, with the questions you want to ask."),
    };

    const FIELDS: &'static [Field] = &[
        field("at", msg!("Date and time"), "", DateTime),
        field("with", msg!("With"), "", CareTeam),
        field("with_name", msg!("Or with someone not in your care team"), "", Text),
        field("purpose", msg!("Purpose"), msg!("(e.g. knee follow-up)"), Text),
        field("questions", msg!("Questions to ask"), msg!("(one per line)"), Lines),
        field("follow_up", msg!("Follow-up to do"), msg!("(e.g. book a blood test)"), LongText),
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
            title: if a.purpose.is_empty() {
                when(a.at)
            } else {
                Line {
                    template: "{at} \u{2014} {purpose}",
                    values: vec![("at", Value::At(a.at)), ("purpose", Value::Text(a.purpose.clone()))],
                }
            },
            details: details([
                labelled(msg!("With {name}"), "name", &with.unwrap_or_default()),
                labelled(msg!("Ask: {questions}"), "questions", &a.questions.join(" \u{2022} ")),
                labelled(msg!("Afterwards: {follow_up}"), "follow_up", &a.follow_up),
            ]),
            badge: None,
        }
    }

    /// The soonest first.
    fn order(a: &Appointment) -> i64 {
        a.at.utc_ms
    }
}
