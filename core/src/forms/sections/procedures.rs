//! Procedures and surgeries, even those the patient only knows the year of.

use crate::msg;
use uuid::Uuid;

use super::{Row, SectionForm, SectionText, date_text, details, own, plain, text_of, when};
use crate::forms::fields::{FieldKind::*, field, parse_date};
use crate::forms::{Field, Values, ZoneOffset, value};
use crate::model::{Binder, Problems, Procedure, ValidationError};

pub(crate) struct Procedures;

impl SectionForm for Procedures {
    type Item = Procedure;

    const TEXT: SectionText = SectionText {
        title: msg!("Procedures and surgeries"),
        add: msg!("Add procedure"),
        edit: msg!("Edit procedure"),
        save: msg!("Save procedure"),
        slug: "procedures",
        empty: msg!("None recorded. Add operations and procedures, even if you only know the year."),
    };

    const FIELDS: &'static [Field] = &[
        field("name", msg!("Procedure or surgery"), msg!("(e.g. Appendectomy)"), Text),
        field("date", msg!("When"), msg!("(e.g. 2015 or March 2015)"), Date),
        field("performer", msg!("Who did it, or where"), "", Text),
        field("note", msg!("Note"), "", LongText),
    ];

    fn values(p: &Procedure) -> Values {
        Values::from([
            ("name", p.name.clone()),
            ("date", date_text(p.date)),
            ("performer", p.performer.clone()),
            ("note", p.note.clone()),
        ])
    }

    fn read(v: &Values, _base: Option<&Procedure>, _zone: ZoneOffset) -> Result<Procedure, Vec<ValidationError>> {
        let mut r = Problems::default();
        let date = r.take(parse_date(value(v, "date"), "date"));
        r.finish(Procedure {
            name: text_of(v, "name"),
            date,
            performer: text_of(v, "performer"),
            note: text_of(v, "note"),
        })
    }

    fn row(id: Uuid, p: &Procedure, _binder: &Binder) -> Row {
        Row {
            id,
            title: own(p.name.clone()),
            details: details([p.date.map(when), plain(&p.performer), plain(&p.note)]),
            badge: None,
        }
    }
}
