//! Typed identifiers. Every record id is a UUIDv7 stored as text; the newtype
//! keeps an organisation id from being passed where an issue id is meant.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! typed_id {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            pub fn new() -> Self { Self(Uuid::now_v7()) }
            /// Parses an id from text; `None` for anything that is not a UUID.
            pub fn parse(s: &str) -> Option<Self> { Uuid::parse_str(s.trim()).ok().map(Self) }
            pub fn as_text(&self) -> String { self.0.to_string() }
        }
        impl Default for $name { fn default() -> Self { Self::new() } }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { self.0.fmt(f) }
        }
    )*};
}

typed_id!(
    OrgId,
    UserId,
    RequirementId,
    TokenId,
    EventId,
    AppliedControlId,
    SoaVersionId,
    AssetId,
    RiskId,
    TaskId,
    AcceptanceId,
    RunId,
    RecordId
);
