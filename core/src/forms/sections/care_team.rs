//! The care team: who looks after the patient, and how to reach them.

use crate::msg;
use uuid::Uuid;

use super::{Row, SectionForm, SectionText, details, labelled, own, plain, text_of};
use crate::forms::fields::{FieldKind::*, field};
use crate::forms::{Field, Values, ZoneOffset, value};
use crate::model::{Binder, Provider, ValidationError};

pub(crate) struct CareTeam;

impl SectionForm for CareTeam {
    type Item = Provider;

    const TEXT: SectionText = SectionText {
        title: msg!("Care team"),
        add: msg!("Add provider"),
        edit: msg!("Edit provider"),
        save: msg!("Save provider"),
        slug: "care-team",
        empty: msg!("Add the doctors, nurses and pharmacists who look after you, with how to reach them."),
    };

    const FIELDS: &'static [Field] = &[
        field("name", msg!("Name"), msg!("(e.g. Dr Priya Patel)"), Text),
        field("role", msg!("Role or specialty"), msg!("(e.g. GP, cardiologist, pharmacist)"), Text),
        field("organisation", msg!("Practice or hospital"), "", Text),
        field("phone", msg!("Phone"), "", Phone),
        field("fax", msg!("Fax"), "", Phone),
        field("email", msg!("Email"), "", Email),
        field("address", msg!("Address"), "", LongText),
        field("portal", msg!("Patient portal link"), msg!("(starts with https://)"), Url),
        field("primary_care", msg!("This is my primary care provider"), "", Check),
    ];

    fn values(p: &Provider) -> Values {
        Values::from([
            ("name", p.name.clone()),
            ("role", p.role.clone()),
            ("organisation", p.organisation.clone()),
            ("phone", p.phone.clone()),
            ("fax", p.fax.clone()),
            ("email", p.email.clone()),
            ("address", p.address.clone()),
            ("portal", p.portal.clone()),
            ("primary_care", if p.primary_care { "true".into() } else { String::new() }),
        ])
    }

    // Every field is text: the model's checks (a name, a plausible email and link) say the rest.
    fn read(v: &Values, _base: Option<&Provider>, _zone: ZoneOffset) -> Result<Provider, Vec<ValidationError>> {
        Ok(Provider {
            name: text_of(v, "name"),
            role: text_of(v, "role"),
            organisation: text_of(v, "organisation"),
            phone: text_of(v, "phone"),
            fax: text_of(v, "fax"),
            email: text_of(v, "email"),
            address: text_of(v, "address"),
            portal: text_of(v, "portal"),
            primary_care: value(v, "primary_care") == "true",
        })
    }

    fn row(id: Uuid, p: &Provider, _binder: &Binder) -> Row {
        let about = [p.role.as_str(), p.organisation.as_str()].into_iter().filter(|s| !s.is_empty());
        Row {
            id,
            title: own(p.name.clone()),
            details: details([
                plain(&about.collect::<Vec<_>>().join(", ")),
                labelled(msg!("Phone: {phone}"), "phone", &p.phone),
                labelled(msg!("Fax: {fax}"), "fax", &p.fax),
                labelled(msg!("Email: {email}"), "email", &p.email),
                plain(&p.address),
                labelled(msg!("Portal: {portal}"), "portal", &p.portal),
            ]),
            badge: p.primary_care.then_some(msg!("Primary care")),
        }
    }
}
