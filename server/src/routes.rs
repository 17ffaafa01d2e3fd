//! HTTP handlers, by audience: the patient's app managing shares (and fetching replies), and
//! SMART Health Link receivers fetching files (and posting replies).

pub mod replies;
pub mod shares;
pub mod shl;
