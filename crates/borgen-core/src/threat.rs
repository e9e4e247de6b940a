//! The built-in threat catalogue (Dutch and English, in our own words),
//! grouped, each marking which of C/I/A it typically affects. Organisations
//! add their own threats beside it; a risk names a threat by its code (built
//! in) or by the id of the organisation's own threat.

use crate::Lang;
use crate::risk::Bi;
use serde::Deserialize;
use std::sync::LazyLock;

#[derive(Clone, Debug, Deserialize)]
pub struct ThreatGroup {
    pub code: String,
    pub nl: String,
    pub en: String,
}

impl ThreatGroup {
    pub fn name(&self, l: Lang) -> &str {
        match l {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct Threat {
    pub code: String,
    pub group: String,
    pub c: bool,
    pub i: bool,
    pub a: bool,
    pub nl: String,
    pub en: String,
    pub nl_description: String,
    pub en_description: String,
}

impl Threat {
    pub fn name(&self, l: Lang) -> &str {
        match l {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
    pub fn description(&self, l: Lang) -> &str {
        match l {
            Lang::Nl => &self.nl_description,
            Lang::En => &self.en_description,
        }
    }
    pub fn names(&self) -> Bi {
        Bi { nl: self.nl.clone(), en: self.en.clone() }
    }
}

#[derive(Deserialize)]
struct File {
    group: Vec<ThreatGroup>,
    threat: Vec<Threat>,
}

static CATALOGUE: LazyLock<File> = LazyLock::new(|| {
    toml::from_str(include_str!("../catalog/threats.toml")).expect("catalog/threats.toml is valid (tested)")
});

pub fn groups() -> &'static [ThreatGroup] {
    &CATALOGUE.group
}

pub fn threats() -> &'static [Threat] {
    &CATALOGUE.threat
}

pub fn threat(code: &str) -> Option<&'static Threat> {
    threats().iter().find(|t| t.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_complete_and_consistent() {
        assert!(threats().len() >= 40);
        let mut codes: Vec<&str> = threats().iter().map(|t| t.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), threats().len(), "codes are unique");
        for t in threats() {
            assert!(groups().iter().any(|g| g.code == t.group), "{}", t.code);
            assert!(t.c || t.i || t.a, "{} affects something", t.code);
            assert!(!t.nl.trim().is_empty() && !t.en.trim().is_empty(), "{}", t.code);
            assert!(!t.nl_description.is_empty() && !t.en_description.is_empty());
        }
        for g in groups() {
            assert!(threats().iter().any(|t| t.group == g.code), "group {} has threats", g.code);
        }
        assert!(threat("ransomware").is_some_and(|t| t.c && t.i && t.a));
    }
}
