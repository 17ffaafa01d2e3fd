//! HTTP handlers, by audience: the patient's app managing shares, and SMART Health Link
//! receivers fetching files.

pub mod shares;
pub mod shl;
