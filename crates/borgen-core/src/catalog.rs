//! The built-in catalogue: ISO/IEC 27001:2022 Annex A (93 controls with the
//! ISO/IEC 27002:2022 attributes), the 114 controls of the 2013 edition with
//! where each went, and the requirement clauses 4.1–10.2. Ids, titles, themes,
//! attributes and the mapping are facts (see `shared/ref`); the Dutch titles
//! and the descriptions are Borgen's own words, not the standard's text.
//! Embedded at compile time; parsed once.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The four themes of Annex A (clauses 5–8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Organizational,
    People,
    Physical,
    Technological,
}

impl Theme {
    pub const ALL: [Theme; 4] = [Theme::Organizational, Theme::People, Theme::Physical, Theme::Technological];
    pub fn code(self) -> &'static str {
        match self {
            Theme::Organizational => "organizational",
            Theme::People => "people",
            Theme::Physical => "physical",
            Theme::Technological => "technological",
        }
    }
    pub fn parse(s: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.code() == s)
    }
    pub fn label_key(self) -> &'static str {
        match self {
            Theme::Organizational => "theme.organizational",
            Theme::People => "theme.people",
            Theme::Physical => "theme.physical",
            Theme::Technological => "theme.technological",
        }
    }
}

/// The five ISO/IEC 27002:2022 attribute types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeKind {
    ControlType,
    InfosecProperties,
    CybersecurityConcepts,
    OperationalCapabilities,
    SecurityDomains,
}

impl AttributeKind {
    pub const ALL: [AttributeKind; 5] = [
        AttributeKind::ControlType,
        AttributeKind::InfosecProperties,
        AttributeKind::CybersecurityConcepts,
        AttributeKind::OperationalCapabilities,
        AttributeKind::SecurityDomains,
    ];
    pub fn code(self) -> &'static str {
        match self {
            AttributeKind::ControlType => "control_type",
            AttributeKind::InfosecProperties => "infosec_properties",
            AttributeKind::CybersecurityConcepts => "cybersecurity_concepts",
            AttributeKind::OperationalCapabilities => "operational_capabilities",
            AttributeKind::SecurityDomains => "security_domains",
        }
    }
    pub fn parse(s: &str) -> Option<AttributeKind> {
        AttributeKind::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label_key(self) -> String {
        format!("attr.{}", self.code())
    }
}

/// The attribute values of one control, as the 27002 hashtags without `#`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attributes {
    pub control_type: Vec<String>,
    pub infosec_properties: Vec<String>,
    pub cybersecurity_concepts: Vec<String>,
    pub operational_capabilities: Vec<String>,
    pub security_domains: Vec<String>,
}

impl Attributes {
    pub fn values(&self, kind: AttributeKind) -> &[String] {
        match kind {
            AttributeKind::ControlType => &self.control_type,
            AttributeKind::InfosecProperties => &self.infosec_properties,
            AttributeKind::CybersecurityConcepts => &self.cybersecurity_concepts,
            AttributeKind::OperationalCapabilities => &self.operational_capabilities,
            AttributeKind::SecurityDomains => &self.security_domains,
        }
    }
}

/// The locale key of an attribute value (e.g. `attr_value.Preventive`).
pub fn attribute_value_key(value: &str) -> String {
    format!("attr_value.{value}")
}

/// One Annex A control of ISO/IEC 27001:2022.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub title_nl: String,
    pub theme: Theme,
    pub new_in_2022: bool,
    pub attributes: Attributes,
    pub replaces_2013: Vec<String>,
    pub description_en: String,
    pub description_nl: String,
}

impl Control {
    pub fn title_in(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En => &self.title,
            crate::Lang::Nl => &self.title_nl,
        }
    }
    pub fn description_in(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En => &self.description_en,
            crate::Lang::Nl => &self.description_nl,
        }
    }
    /// Sort key: "5.10" after "5.9".
    pub fn order(&self) -> (u32, u32) {
        id_order(&self.id)
    }
}

fn id_order(id: &str) -> (u32, u32) {
    let mut it = id.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (it.next().unwrap_or(0), it.next().unwrap_or(0))
}

/// One Annex A control of ISO/IEC 27001:2013 and the 2022 controls it went into.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Control2013 {
    pub id_2013: String,
    pub title_2013: String,
    pub domain_2013: String,
    pub maps_to_2022: Vec<String>,
    /// The title in Dutch (`catalog/annex_a_2013_nl.toml`).
    #[serde(default)]
    pub title_2013_nl: String,
    #[serde(default)]
    pub domain_2013_nl: String,
}

impl Control2013 {
    pub fn title_in(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En => &self.title_2013,
            crate::Lang::Nl => &self.title_2013_nl,
        }
    }
    pub fn domain_in(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En => &self.domain_2013,
            crate::Lang::Nl => &self.domain_2013_nl,
        }
    }
}

#[derive(Deserialize)]
struct Texts2013 {
    domains: BTreeMap<String, String>,
    controls: BTreeMap<String, String>,
}

/// A requirement clause of ISO/IEC 27001:2022 (4.1–10.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clause {
    pub id: String,
    pub title: String,
    pub title_nl: String,
    pub order: u32,
    pub clause_group: String,
    pub parent: Option<String>,
    pub heading_only: bool,
}

#[derive(Deserialize)]
struct RawControl {
    id: String,
    title: String,
    theme: Theme,
    new_in_2022: bool,
    attributes: Attributes,
    replaces_2013: Vec<String>,
}

#[derive(Deserialize)]
struct Texts {
    title_nl: String,
    description_en: String,
    description_nl: String,
}

const ANNEX_A_2022: &str = include_str!("../catalog/annex_a_2022.json");
const ANNEX_A_TEXTS: &str = include_str!("../catalog/annex_a_texts.toml");
const ANNEX_A_2013: &str = include_str!("../catalog/annex_a_2013.json");
const ANNEX_A_2013_NL: &str = include_str!("../catalog/annex_a_2013_nl.toml");
const CLAUSES: &str = include_str!("../catalog/clauses_2022.json");

static CONTROLS: LazyLock<Vec<Control>> = LazyLock::new(|| {
    let raw: Vec<RawControl> = serde_json::from_str(ANNEX_A_2022).expect("catalog/annex_a_2022.json is valid (tested)");
    let texts: BTreeMap<String, Texts> =
        toml::from_str(ANNEX_A_TEXTS).expect("catalog/annex_a_texts.toml is valid (tested)");
    raw.into_iter()
        .map(|r| {
            let t = texts.get(&r.id);
            Control {
                title_nl: t.map(|t| t.title_nl.clone()).unwrap_or_else(|| r.title.clone()),
                description_en: t.map(|t| t.description_en.clone()).unwrap_or_default(),
                description_nl: t.map(|t| t.description_nl.clone()).unwrap_or_default(),
                id: r.id,
                title: r.title,
                theme: r.theme,
                new_in_2022: r.new_in_2022,
                attributes: r.attributes,
                replaces_2013: r.replaces_2013,
            }
        })
        .collect()
});

static CONTROLS_2013: LazyLock<Vec<Control2013>> = LazyLock::new(|| {
    let mut all: Vec<Control2013> =
        serde_json::from_str(ANNEX_A_2013).expect("catalog/annex_a_2013.json is valid (tested)");
    let nl: Texts2013 = toml::from_str(ANNEX_A_2013_NL).expect("catalog/annex_a_2013_nl.toml is valid (tested)");
    for c in &mut all {
        c.title_2013_nl = nl.controls.get(&c.id_2013).cloned().unwrap_or_else(|| c.title_2013.clone());
        c.domain_2013_nl = nl.domains.get(&c.domain_2013).cloned().unwrap_or_else(|| c.domain_2013.clone());
    }
    all
});

static CLAUSE_LIST: LazyLock<Vec<Clause>> =
    LazyLock::new(|| serde_json::from_str(CLAUSES).expect("catalog/clauses_2022.json is valid (tested)"));

/// The 93 controls of Annex A (2022), in the standard's order.
pub fn controls() -> &'static [Control] {
    &CONTROLS
}

pub fn control(id: &str) -> Option<&'static Control> {
    CONTROLS.iter().find(|c| c.id == id)
}

/// The 114 controls of the 2013 edition with their 2022 successors.
pub fn controls_2013() -> &'static [Control2013] {
    &CONTROLS_2013
}

/// The 2013 controls that went into a 2022 control.
pub fn predecessors(id_2022: &str) -> Vec<&'static Control2013> {
    CONTROLS_2013.iter().filter(|c| c.maps_to_2022.iter().any(|t| t == id_2022)).collect()
}

/// The requirement clauses 4.1–10.2, in order.
pub fn clauses() -> &'static [Clause] {
    &CLAUSE_LIST
}

/// Every distinct value of one attribute type, in a stable order.
pub fn attribute_values(kind: AttributeKind) -> Vec<&'static str> {
    let mut v: Vec<&'static str> =
        CONTROLS.iter().flat_map(|c| c.attributes.values(kind).iter().map(String::as_str)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_complete() {
        let c = controls();
        assert_eq!(c.len(), 93);
        let count = |t| c.iter().filter(|x| x.theme == t).count();
        assert_eq!(
            [count(Theme::Organizational), count(Theme::People), count(Theme::Physical), count(Theme::Technological)],
            [37, 8, 14, 34]
        );
        let new: Vec<&str> = c.iter().filter(|x| x.new_in_2022).map(|x| x.id.as_str()).collect();
        assert_eq!(new, ["5.7", "5.23", "5.30", "7.4", "8.9", "8.10", "8.11", "8.12", "8.16", "8.23", "8.28"]);
        assert!(c.windows(2).all(|w| w[0].order() < w[1].order()), "in the standard's order");
        for x in c {
            assert!(!x.title_nl.is_empty() && !x.description_en.is_empty() && !x.description_nl.is_empty(), "{}", x.id);
            assert_eq!(x.new_in_2022, x.replaces_2013.is_empty(), "{}", x.id);
        }
        assert_eq!(controls_2013().len(), 114);
        // Every 2013 control and domain has a Dutch title of its own.
        let nl: Texts2013 = toml::from_str(ANNEX_A_2013_NL).unwrap();
        assert_eq!(nl.controls.len(), 114);
        for c in controls_2013() {
            assert!(nl.controls.contains_key(&c.id_2013), "{}", c.id_2013);
            assert!(nl.domains.contains_key(&c.domain_2013), "{}", c.domain_2013);
            assert!(!c.title_in(crate::Lang::Nl).is_empty(), "{}", c.id_2013);
            let prefix = c.domain_2013.split(' ').next().unwrap();
            assert!(c.domain_in(crate::Lang::Nl).starts_with(prefix), "{}", c.domain_2013);
        }
        assert_eq!(clauses().len(), 34);
        assert_eq!(attribute_values(AttributeKind::ControlType), ["Corrective", "Detective", "Preventive"]);
    }

    #[test]
    fn the_texts_cover_exactly_the_controls() {
        let texts: BTreeMap<String, toml::Value> = toml::from_str(ANNEX_A_TEXTS).unwrap();
        let ids: Vec<&str> = controls().iter().map(|c| c.id.as_str()).collect();
        let mut keys: Vec<&str> = texts.keys().map(String::as_str).collect();
        keys.sort_by_key(|k| id_order(k));
        assert_eq!(keys, ids);
    }

    #[test]
    fn the_2013_map_agrees_both_ways() {
        for c in controls() {
            let mut from_map: Vec<&str> = predecessors(&c.id).iter().map(|p| p.id_2013.as_str()).collect();
            let mut listed: Vec<&str> = c.replaces_2013.iter().map(String::as_str).collect();
            from_map.sort_unstable();
            listed.sort_unstable();
            assert_eq!(from_map, listed, "{}", c.id);
        }
        let a18 = controls_2013().iter().find(|c| c.id_2013 == "A.18.2.3").unwrap();
        assert_eq!(a18.maps_to_2022, ["5.36", "8.8"]);
    }
}
