//! Borgen's domain: types, parsing and rules. No I/O, no async, no database.
//!
//! Handlers parse raw input into the types of this crate at the boundary; the
//! application layer only ever sees validated values.

/// Declares a closed set of codes with a locale key per value.
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident, $prefix:literal { $($variant:ident = $code:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $code)] $variant),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),* } }
            pub fn parse(s: &str) -> Option<Self> { match s { $($code => Some($name::$variant),)* _ => None } }
            pub fn label_key(self) -> &'static str { match self { $($name::$variant => concat!($prefix, ".", $code)),* } }
        }
    };
}

pub mod asset;
pub mod audit;
pub mod awareness;
pub mod catalog;
pub mod chart;
pub mod competence;
pub mod context;
pub mod diff;
pub mod document;
pub mod evidence;
pub mod fair;
pub mod i18n;
pub mod ids;
pub mod import;
pub mod password;
pub mod register;
pub mod registers;
pub mod risk;
pub mod role;
pub mod run;
pub mod scope;
pub mod soa;
pub mod task;
pub mod templates;
pub mod text;
pub mod threat;
pub mod time;
pub mod treatment;
pub mod version;

pub use i18n::Lang;
pub use text::{FieldError, FieldErrors};
