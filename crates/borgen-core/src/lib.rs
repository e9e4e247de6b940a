//! Borgen's domain: types, parsing and rules. No I/O, no async, no database.
//!
//! Handlers parse raw input into the types of this crate at the boundary; the
//! application layer only ever sees validated values.

pub mod audit;
pub mod catalog;
pub mod context;
pub mod i18n;
pub mod ids;
pub mod role;
pub mod text;
pub mod time;

pub use i18n::Lang;
pub use text::{FieldError, FieldErrors};
