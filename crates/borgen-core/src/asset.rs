//! The asset inventory (6.1.2, A.5.9): information and the supporting assets
//! it depends on, with the protection needs a supporting asset inherits.

use crate::ids::{AssetId, UserId};
use crate::text::{self, FieldErrors, LONG, SHORT};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AssetForm {
    pub name: Option<String>,
    pub asset_type: Option<String>,
    pub description: Option<String>,
    pub owner_id: Option<String>,
    pub custodian: Option<String>,
    pub location: Option<String>,
    pub classification: Option<String>,
    #[serde(deserialize_with = "crate::text::num_or_text")]
    pub need_c: Option<String>,
    #[serde(deserialize_with = "crate::text::num_or_text")]
    pub need_i: Option<String>,
    #[serde(deserialize_with = "crate::text::num_or_text")]
    pub need_a: Option<String>,
    /// The assets this one supports (it inherits their needs).
    pub supports: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetInput {
    pub name: String,
    pub asset_type: AssetType,
    pub description: Option<String>,
    pub owner_id: Option<UserId>,
    pub custodian: Option<String>,
    pub location: Option<String>,
    pub classification: Option<Classification>,
    pub needs: Needs,
    pub supports: Vec<AssetId>,
}

fn need(e: &mut FieldErrors, field: &'static str, v: Option<&str>) -> u8 {
    match v.map(str::trim) {
        None | Some("") => 0,
        Some(s) => match s.parse::<u8>() {
            Ok(n) if n <= NEED_MAX => n,
            _ => {
                e.add(field, "error.unknown_value");
                0
            }
        },
    }
}

impl AssetForm {
    pub fn parse(&self) -> Result<AssetInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = text::required(&mut e, "name", self.name.as_deref(), SHORT);
        let asset_type = text::required_enum(&mut e, "asset_type", self.asset_type.as_deref(), AssetType::parse);
        let description = text::optional(&mut e, "description", self.description.as_deref(), LONG);
        let owner_id = crate::context::owner(&mut e, self.owner_id.as_deref());
        let custodian = text::optional(&mut e, "custodian", self.custodian.as_deref(), SHORT);
        let location = text::optional(&mut e, "location", self.location.as_deref(), SHORT);
        let classification = match self.classification.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => {
                let c = Classification::parse(s);
                if c.is_none() {
                    e.add("classification", "error.unknown_value");
                }
                c
            }
        };
        let needs = Needs {
            c: need(&mut e, "need_c", self.need_c.as_deref()),
            i: need(&mut e, "need_i", self.need_i.as_deref()),
            a: need(&mut e, "need_a", self.need_a.as_deref()),
        };
        let mut supports = Vec::new();
        for s in self.supports.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            match AssetId::parse(s) {
                Some(id) if !supports.contains(&id) => supports.push(id),
                Some(_) => {}
                None => {
                    if e.for_field("supports").is_none() {
                        e.add("supports", "error.unknown_asset");
                    }
                }
            }
        }
        supports.sort();
        match asset_type {
            Some(asset_type) => e.finish(AssetInput {
                name,
                asset_type,
                description,
                owner_id,
                custodian,
                location,
                classification,
                needs,
                supports,
            }),
            None => Err(e),
        }
    }
}

/// A stored asset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Asset {
    pub id: AssetId,
    #[serde(flatten)]
    pub data: AssetInput,
    /// Own needs raised by the needs of every asset this one supports,
    /// directly or through others.
    pub derived_needs: Needs,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// The derived needs of every asset: an asset needs at least what each asset
/// it supports needs (transitively). Cycles are harmless: the maximum of a
/// cycle spreads over all its members.
pub fn derive_needs(assets: &[(AssetId, Needs, Vec<AssetId>)]) -> HashMap<AssetId, Needs> {
    let mut out: HashMap<AssetId, Needs> = assets.iter().map(|(id, n, _)| (*id, *n)).collect();
    // Each pass can only raise values, which are bounded: a fixpoint comes in
    // at most (number of assets) passes.
    for _ in 0..=assets.len() {
        let mut changed = false;
        for (id, _, supports) in assets {
            let mut n = out[id];
            for s in supports {
                if let Some(sn) = out.get(s) {
                    n = n.max(*sn);
                }
            }
            if n != out[id] {
                out.insert(*id, n);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    out
}

/// Whether making `asset` support `targets` would close a loop.
pub fn would_cycle(links: &[(AssetId, Vec<AssetId>)], asset: AssetId, targets: &[AssetId]) -> bool {
    let mut stack: Vec<AssetId> = targets.to_vec();
    let mut seen = Vec::new();
    while let Some(x) = stack.pop() {
        if x == asset {
            return true;
        }
        if seen.contains(&x) {
            continue;
        }
        seen.push(x);
        if let Some((_, next)) = links.iter().find(|(id, _)| *id == x) {
            stack.extend(next.iter().copied());
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_supporting_asset_inherits_needs_through_a_chain() {
        let (data, app, server, room) = (AssetId::new(), AssetId::new(), AssetId::new(), AssetId::new());
        let d = derive_needs(&[
            (data, Needs { c: 4, i: 3, a: 2 }, vec![]),
            (app, Needs { c: 1, i: 1, a: 3 }, vec![data]),
            (server, Needs::default(), vec![app]),
            (room, Needs { c: 0, i: 0, a: 4 }, vec![server]),
        ]);
        assert_eq!(d[&data], Needs { c: 4, i: 3, a: 2 });
        assert_eq!(d[&app], Needs { c: 4, i: 3, a: 3 });
        assert_eq!(d[&server], Needs { c: 4, i: 3, a: 3 });
        assert_eq!(d[&room], Needs { c: 4, i: 3, a: 4 });
    }

    #[test]
    fn loops_are_found() {
        let (a, b, c) = (AssetId::new(), AssetId::new(), AssetId::new());
        let links = vec![(a, vec![b]), (b, vec![c]), (c, vec![])];
        assert!(would_cycle(&links, c, &[a]));
        assert!(!would_cycle(&links, a, &[c]));
        assert!(would_cycle(&links, a, &[a]));
    }

    #[test]
    fn bad_input_is_reported() {
        let f = AssetForm {
            name: Some("Klantendatabase".into()),
            asset_type: Some("database".into()),
            need_c: Some("5".into()),
            supports: vec!["x".into()],
            ..Default::default()
        };
        let e = f.parse().unwrap_err();
        assert_eq!(e.for_field("asset_type"), Some("error.unknown_value"));
        assert_eq!(e.for_field("need_c"), Some("error.unknown_value"));
        assert_eq!(e.for_field("supports"), Some("error.unknown_asset"));
    }
}
