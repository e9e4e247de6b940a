//! The asset inventory (6.1.2, A.5.9): information and the supporting assets
//! it depends on, with the protection needs a supporting asset inherits. The
//! register itself is declared in [`crate::registers::ASSETS`]; this module
//! holds the codes and levels risks and imports read.

use serde::{Deserialize, Serialize};

code_enum!(
    AssetType, "asset_type" {
        Information = "information",
        Software = "software",
        Hardware = "hardware",
        Service = "service",
        People = "people",
        Site = "site",
        Supplier = "supplier",
    }
);

code_enum!(
    Classification, "classification" {
        Public = "public",
        Internal = "internal",
        Confidential = "confidential",
        Secret = "secret",
    }
);

/// Protection needs for confidentiality, integrity and availability, each
/// 0 (not set) to 4 (very high).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Needs {
    pub c: u8,
    pub i: u8,
    pub a: u8,
}

impl Needs {
    pub fn max(self, o: Needs) -> Needs {
        Needs { c: self.c.max(o.c), i: self.i.max(o.i), a: self.a.max(o.a) }
    }
}

pub const NEED_MAX: u8 = 4;

/// Locale key of a need value (0 = not set).
pub fn need_key(v: u8) -> &'static str {
    match v {
        1 => "need.1",
        2 => "need.2",
        3 => "need.3",
        4 => "need.4",
        _ => "need.0",
    }
}
