//! Conditions: long-term ones and past illnesses that still matter, with a code if a letter or
//! portal gave one.

use crate::msg;
use uuid::Uuid;

use super::{Line, Row, SectionForm, SectionText, Value, date_text, dated, details, own, plain, text_of};
use crate::forms::fields::{FieldKind::*, field, parse_date};
use crate::forms::{Field, Values, ZoneOffset, value};
use crate::model::{
    Binder, ClinicalCode, CodeSystem, Condition, ConditionStatus, LocalDateTime, Problems, ValidationError,
};

const STATUS: &[(&str, &str)] = &[("active", msg!("Active")), ("resolved", msg!("Resolved"))];
const CODE_SYSTEMS: &[(&str, &str)] = &[("snomed", "SNOMED CT"), ("icd10", "ICD-10"), ("icd10cm", "ICD-10-CM")];

fn code_system_code(system: CodeSystem) -> &'static str {
    match system {
        CodeSystem::Snomed => "snomed",
        CodeSystem::Icd10 => "icd10",
        CodeSystem::Icd10Cm => "icd10cm",
    }
}

pub(crate) struct Conditions;

impl SectionForm for Conditions {
    type Item = Condition;

    const TEXT: SectionText = SectionText {
        title: msg!("Conditions"),
        add: msg!("Add condition"),
        edit: msg!("Edit condition"),
        save: msg!("Save condition"),
        slug: "conditions",
        empty: msg!("None recorded. Add long-term conditions and past illnesses that still matter."),
    };

    const FIELDS: &'static [Field] = &[
        field("name", msg!("Condition"), msg!("(e.g. Type 2 diabetes, asthma)"), Text),
        field("status", msg!("Status"), "", Choice(STATUS)),
        field("onset", msg!("Since"), msg!("(e.g. 2015 or March 2015)"), Date),
        field("resolved", msg!("Resolved"), msg!("(if it is over)"), Date),
        field("code_system", msg!("Code system"), msg!("(optional, from a letter or portal)"), Choice(CODE_SYSTEMS)),
        field("code", msg!("Code"), msg!("(e.g. E11.9)"), Text),
        field("note", msg!("Note"), "", LongText),
    ];

    fn new_values(_now: &LocalDateTime) -> Values {
        Values::from([("status", "active".into())])
    }

    fn values(c: &Condition) -> Values {
        Values::from([
            ("name", c.name.clone()),
            ("status", c.status.code().to_owned()),
            ("onset", date_text(c.onset)),
            ("resolved", date_text(c.resolved)),
            ("code_system", c.code.as_ref().map(|c| code_system_code(c.system)).unwrap_or_default().to_owned()),
            ("code", c.code.as_ref().map(|c| c.code.clone()).unwrap_or_default()),
            ("note", c.note.clone()),
        ])
    }

    fn read(v: &Values, _base: Option<&Condition>, _zone: ZoneOffset) -> Result<Condition, Vec<ValidationError>> {
        let mut r = Problems::default();
        let onset = r.take(parse_date(value(v, "onset"), "onset"));
        let resolved = r.take(parse_date(value(v, "resolved"), "resolved"));
        let code_text = value(v, "code").trim();
        let system = [CodeSystem::Snomed, CodeSystem::Icd10, CodeSystem::Icd10Cm]
            .into_iter()
            .find(|s| code_system_code(*s) == value(v, "code_system"));
        let code = match (system, code_text.is_empty()) {
            (Some(system), false) => Some(ClinicalCode { system, code: code_text.to_owned() }),
            (None, false) => {
                r.fail("code_system", crate::msg!("Choose which code system the code is from."));
                None
            }
            _ => None,
        };
        let status = if value(v, "status") == "resolved" { ConditionStatus::Resolved } else { ConditionStatus::Active };
        r.finish(Condition { name: text_of(v, "name"), code, status, onset, resolved, note: text_of(v, "note") })
    }

    fn row(id: Uuid, c: &Condition, _binder: &Binder) -> Row {
        Row {
            id,
            title: own(c.name.clone()),
            details: details([
                dated(msg!("Since {date}"), c.onset),
                dated(msg!("Resolved {date}"), c.resolved),
                c.code.as_ref().map(|c| Line {
                    template: "{system} {code}",
                    values: vec![
                        ("system", Value::Text(c.system.label().to_owned())),
                        ("code", Value::Text(c.code.clone())),
                    ],
                }),
                plain(&c.note),
            ]),
            badge: (c.status == ConditionStatus::Resolved).then_some(msg!("Resolved")),
        }
    }
}
