//! Dutch and English messages. The locale files live in `/locales` and are
//! embedded at compile time; both must hold exactly the same keys (tested).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "nl" => Some(Lang::Nl),
            _ => None,
        }
    }
    /// Picks the first supported language of an `Accept-Language` header.
    pub fn from_accept_language(h: &str) -> Option<Lang> {
        h.split(',')
            .filter_map(|part| part.split(';').next())
            .filter_map(|tag| Lang::parse(tag.trim().split('-').next().unwrap_or("")))
            .next()
    }
}

pub const EN_SOURCE: &str = include_str!("../../../locales/en.toml");
pub const NL_SOURCE: &str = include_str!("../../../locales/nl.toml");

/// Flattens a TOML table into `a.b.c = "text"` pairs.
pub fn flatten(src: &str) -> Result<BTreeMap<String, String>, String> {
    let value: toml::Table = toml::from_str(src).map_err(|e| e.to_string())?;
    let mut out = BTreeMap::new();
    fn walk(prefix: &str, t: &toml::Table, out: &mut BTreeMap<String, String>) -> Result<(), String> {
        for (k, v) in t {
            let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            match v {
                toml::Value::String(s) => {
                    out.insert(key, s.clone());
                }
                toml::Value::Table(t) => walk(&key, t, out)?,
                _ => return Err(format!("{key}: only strings and tables are allowed")),
            }
        }
        Ok(())
    }
    walk("", &value, &mut out)?;
    Ok(out)
}

static EN: LazyLock<BTreeMap<String, String>> =
    LazyLock::new(|| flatten(EN_SOURCE).expect("locales/en.toml is valid (tested)"));
static NL: LazyLock<BTreeMap<String, String>> =
    LazyLock::new(|| flatten(NL_SOURCE).expect("locales/nl.toml is valid (tested)"));

/// The message for `key`; the key itself when missing (a test keeps that from
/// happening for keys that appear in the code).
pub fn t(lang: Lang, key: &str) -> &str {
    let map = match lang {
        Lang::En => &*EN,
        Lang::Nl => &*NL,
    };
    map.get(key).map(String::as_str).unwrap_or(key)
}

/// The message for `key` with `{name}` placeholders filled in.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(lang, key).to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// A message about a count: `{key}_one` for exactly one, `{key}_other`
/// otherwise (Dutch and English share these two forms), with `{n}` and the
/// other placeholders filled in.
pub fn tn<N: Copy + std::fmt::Display + TryInto<u64>>(lang: Lang, key: &str, n: N, args: &[(&str, &str)]) -> String {
    let form = if n.try_into().ok() == Some(1) { format!("{key}_one") } else { format!("{key}_other") };
    let count = n.to_string();
    let mut all = vec![("n", count.as_str())];
    all.extend_from_slice(args);
    tf(lang, &form, &all)
}

/// True when `key` exists (in English; parity makes that both).
pub fn has_key(key: &str) -> bool {
    EN.contains_key(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_singular_for_one_in_both_languages() {
        assert_eq!(tn(Lang::En, "soa.changed_rows", 1, &[]), "1 row changed");
        assert_eq!(tn(Lang::En, "soa.changed_rows", 0, &[]), "0 rows changed");
        assert_eq!(tn(Lang::Nl, "soa.changed_rows", 1, &[]), "1 regel gewijzigd");
        assert_eq!(tn(Lang::Nl, "soa.changed_rows", 3, &[]), "3 regels gewijzigd");
        assert_eq!(tn(Lang::Nl, "task.overdue_count", 1, &[]), "1 taak is te laat.");
        assert_eq!(tn(Lang::Nl, "task.overdue_count", 2, &[]), "2 taken zijn te laat.");
        assert_eq!(
            tn(Lang::Nl, "risk.heatmap_cell", 1, &[("l", "2"), ("i", "3"), ("level", "Laag")]),
            "Kans 2 × impact 3: 1 risico (Laag)"
        );
        // Every count has both forms, in both languages, and only the plural uses {n}.
        for src in [EN_SOURCE, NL_SOURCE] {
            let map = flatten(src).unwrap();
            for (k, v) in &map {
                if let Some(stem) = k.strip_suffix("_one") {
                    assert!(map.contains_key(&format!("{stem}_other")), "{k} has no _other");
                    assert!(!v.contains("{n}"), "{k}: the singular says 1");
                }
                if let Some(stem) = k.strip_suffix("_other") {
                    assert!(map.contains_key(&format!("{stem}_one")), "{k} has no _one");
                }
            }
        }
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let en = flatten(EN_SOURCE).unwrap();
        let nl = flatten(NL_SOURCE).unwrap();
        let only_en: Vec<_> = en.keys().filter(|k| !nl.contains_key(*k)).collect();
        let only_nl: Vec<_> = nl.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(only_en.is_empty(), "keys missing in nl.toml: {only_en:?}");
        assert!(only_nl.is_empty(), "keys missing in en.toml: {only_nl:?}");
        for (k, v) in en.iter().chain(nl.iter()) {
            assert!(!v.trim().is_empty(), "empty message for {k}");
        }
    }

    #[test]
    fn placeholders_match_between_languages() {
        let en = flatten(EN_SOURCE).unwrap();
        let nl = flatten(NL_SOURCE).unwrap();
        let holes = |s: &str| {
            let mut v: Vec<String> =
                s.split('{').skip(1).filter_map(|p| p.split('}').next().map(str::to_string)).collect();
            v.sort();
            v
        };
        for (k, v) in &en {
            assert_eq!(holes(v), holes(&nl[k]), "placeholders differ for {k}");
        }
    }

    #[test]
    fn accept_language() {
        assert_eq!(Lang::from_accept_language("nl-NL,nl;q=0.9,en;q=0.8"), Some(Lang::Nl));
        assert_eq!(Lang::from_accept_language("de-DE,en;q=0.5"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de"), None);
    }
}
