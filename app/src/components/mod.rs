mod allergy_list;
mod busy;
mod entry_actions;
mod medication_form;
mod medication_list;
mod qr;
mod security_panel;
mod share_list;
mod share_panel;

pub use allergy_list::AllergyList;
pub use busy::Busy;
pub use medication_form::MedicationForm;
pub use medication_list::MedicationList;
pub use qr::QrCode;
pub use security_panel::{RecoveryCodeCard, SecurityPanel};
pub use share_list::ShareList;
pub use share_panel::SharePanel;
