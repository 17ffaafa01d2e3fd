//! Immunizations, from the patient's vaccination card or their pharmacy's record.

use crate::msg;
use uuid::Uuid;

use super::{Row, SectionForm, SectionText, date_text, details, labelled, own, plain, text_of, when};
use crate::forms::fields::{FieldKind::*, field, optional_whole, parse_date};
use crate::forms::{Field, Values, ZoneOffset, value};
use crate::model::{Binder, Immunization, Problems, ValidationError};

pub(crate) struct Immunizations;

impl SectionForm for Immunizations {
    type Item = Immunization;

    const TEXT: SectionText = SectionText {
        title: msg!("Immunizations"),
        add: msg!("Add immunization"),
        edit: msg!("Edit immunization"),
        save: msg!("Save immunization"),
        slug: "immunizations",
        empty: msg!("None recorded. Add vaccines from your card or your pharmacy's record."),
    };

    const FIELDS: &'static [Field] = &[
        field("vaccine", msg!("Vaccine"), msg!("(e.g. Influenza 2026/27, tetanus booster)"), Text),
        field("date", msg!("When"), msg!("(e.g. 2019 or 14 March 2019)"), Date),
        field("dose_number", msg!("Dose number"), msg!("(1 for the first of a series)"), Number),
        field("lot", msg!("Lot number"), "", Text),
        field("given_by", msg!("Given by"), msg!("(clinic or pharmacy)"), Text),
    ];

    fn values(i: &Immunization) -> Values {
        Values::from([
            ("vaccine", i.vaccine.clone()),
            ("date", date_text(i.date)),
            ("dose_number", i.dose_number.map(|n| n.to_string()).unwrap_or_default()),
            ("lot", i.lot.clone()),
            ("given_by", i.given_by.clone()),
        ])
    }

    fn read(v: &Values, _base: Option<&Immunization>, _zone: ZoneOffset) -> Result<Immunization, Vec<ValidationError>> {
        let mut r = Problems::default();
        let date = r.take(parse_date(value(v, "date"), "date"));
        let dose_number = r.take(optional_whole(value(v, "dose_number"), "dose_number"));
        r.finish(Immunization {
            vaccine: text_of(v, "vaccine"),
            date,
            dose_number,
            lot: text_of(v, "lot"),
            given_by: text_of(v, "given_by"),
        })
    }

    fn row(id: Uuid, i: &Immunization, _binder: &Binder) -> Row {
        Row {
            id,
            title: own(i.vaccine.clone()),
            details: details([
                i.date.map(when),
                i.dose_number.and_then(|n| labelled(msg!("Dose {n}"), "n", &n.to_string())),
                labelled(msg!("Lot {lot}"), "lot", &i.lot),
                plain(&i.given_by),
            ]),
            badge: None,
        }
    }
}
