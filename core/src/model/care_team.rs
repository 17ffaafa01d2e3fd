//! The people who look after the patient: doctors, nurses, pharmacists, therapists.

use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::profile::is_phone;
use super::validate::{Problems, SHORT, trim};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    pub name: String,
    /// "Cardiologist", "GP", "Pharmacist".
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub fax: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
    /// The patient portal's address.
    #[serde(default)]
    pub portal: String,
    /// The one provider in charge of primary care. At most one entry has it (the binder enforces).
    #[serde(default)]
    pub primary_care: bool,
}

impl Provider {
    pub fn validated(mut self) -> Result<Self, Vec<ValidationError>> {
        trim(&mut [
            &mut self.name,
            &mut self.role,
            &mut self.organisation,
            &mut self.phone,
            &mut self.fax,
            &mut self.email,
            &mut self.address,
            &mut self.portal,
        ]);
        let mut problems = Problems::default();
        problems.require("name", &self.name, crate::msg!("Enter the provider's name."));
        for (field, text) in [
            ("name", &self.name),
            ("role", &self.role),
            ("organisation", &self.organisation),
            ("phone", &self.phone),
            ("fax", &self.fax),
            ("email", &self.email),
            ("address", &self.address),
        ] {
            problems.limit(field, text, SHORT);
        }
        problems.limit("portal", &self.portal, 2000);
        for (field, number) in [("phone", &self.phone), ("fax", &self.fax)] {
            if !number.is_empty() && !is_phone(number) {
                problems.fail(field, crate::msg!("A phone number has digits, and may have + ( ) - . and spaces."));
            }
        }
        let email_ok = self.email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
        }) && !self.email.contains(char::is_whitespace);
        if !self.email.is_empty() && !email_ok {
            problems.fail("email", crate::msg!("An email address reads like name@example.org."));
        }
        let portal_ok = ["https://", "http://"].iter().any(|s| {
            self.portal.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s)) && self.portal.len() > s.len()
        }) && !self.portal.contains(char::is_whitespace);
        if !self.portal.is_empty() && !portal_ok {
            problems.fail("portal", crate::msg!("A portal link starts with https://"));
        }
        problems.finish(self)
    }

    /// "Dr Patel (Cardiologist, City Hospital)".
    pub fn text(&self) -> String {
        let about: Vec<&str> =
            [self.role.as_str(), self.organisation.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
        if about.is_empty() { self.name.clone() } else { format!("{} ({})", self.name, about.join(", ")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_contact_details_are_checked() {
        let ok = Provider {
            name: " Dr Patel ".into(),
            role: "Cardiologist".into(),
            organisation: "City Hospital".into(),
            email: "patel@city.example".into(),
            portal: "https://portal.city.example".into(),
            phone: "(555) 010-2000".into(),
            ..Provider::default()
        }
        .validated()
        .unwrap();
        assert_eq!(ok.text(), "Dr Patel (Cardiologist, City Hospital)");
        let bad = Provider {
            name: " ".into(),
            email: "patel at city".into(),
            portal: "javascript:alert(1)".into(),
            fax: "none".into(),
            ..Provider::default()
        };
        let fields: Vec<_> = bad.validated().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "fax", "email", "portal"]);
    }
}
