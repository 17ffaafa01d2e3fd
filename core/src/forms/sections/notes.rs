//! Notes and the symptom journal: what happened, when, and how bad.

use crate::msg;
use uuid::Uuid;

use super::{Row, SectionForm, SectionText, details, labelled, plain, text_of, when};
use crate::forms::fields::{FieldKind::*, datetime_input, field, optional_whole, parse_local_datetime};
use crate::forms::{Field, Values, ZoneOffset, value};
use crate::model::{Binder, LocalDateTime, Note, Problems, ValidationError};

pub(crate) struct Notes;

impl SectionForm for Notes {
    type Item = Note;

    const TEXT: SectionText = SectionText {
        title: msg!("Notes and symptom journal"),
        add: msg!("Add note"),
        edit: msg!("Edit note"),
        save: msg!("Save note"),
        slug: "notes",
        empty: msg!("No notes yet. Write down symptoms as they happen: clinicians ask when and how bad."),
    };

    const FIELDS: &'static [Field] = &[
        field("at", msg!("When"), "", DateTime),
        field("text", msg!("Note"), msg!("(symptoms, how you felt, what helped)"), LongText),
        field("severity", msg!("How bad, from 0 to 10"), msg!("(optional)"), Number),
    ];

    fn new_values(now: &LocalDateTime) -> Values {
        Values::from([("at", datetime_input(now))])
    }

    fn values(n: &Note) -> Values {
        Values::from([
            ("at", datetime_input(&n.at)),
            ("text", n.text.clone()),
            ("severity", n.severity.map(|s| s.to_string()).unwrap_or_default()),
        ])
    }

    fn read(v: &Values, _base: Option<&Note>, zone: ZoneOffset) -> Result<Note, Vec<ValidationError>> {
        let mut r = Problems::default();
        let at = r.ok(parse_local_datetime(value(v, "at"), "at", zone));
        let severity = r.take(optional_whole::<u8>(value(v, "severity"), "severity"));
        r.finish_some(at.map(|at| Note { at, text: text_of(v, "text"), severity }))
    }

    fn row(id: Uuid, n: &Note, _binder: &Binder) -> Row {
        Row {
            id,
            title: when(n.at),
            details: details([
                plain(&n.text),
                n.severity.and_then(|s| labelled(msg!("How bad: {severity} out of 10"), "severity", &s.to_string())),
            ]),
            badge: None,
        }
    }

    /// The newest first.
    fn order(n: &Note) -> i64 {
        -n.at.utc_ms
    }
}
