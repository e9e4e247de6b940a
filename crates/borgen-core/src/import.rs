//! Spreadsheet imports of the asset inventory and the risk register: which
//! file column feeds which field (found from the headers in Dutch or English,
//! or set by the user), and how a row's cells become the same form a person
//! would fill in. Names in cells (owners, assets, threats, levels, options)
//! are resolved against what the organisation already has; every problem is
//! reported with its line and column, and the caller writes nothing when
//! there is any.

use crate::asset::{AssetType, Classification, NEED_MAX, need_key};
use crate::i18n::{Lang, t};
use crate::ids::UserId;
use crate::risk::{Methodology, RiskForm, RiskStatus, ScaleLevel, Treatment};
use crate::text::FieldErrors;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The most data rows one import takes.
pub const MAX_ROWS: usize = 50_000;

/// The most columns (and column choices) one import takes.
pub const MAX_COLUMNS: usize = 500;

/// One problem in an imported file: the line (1 = the header), the column
/// (as the file names it), and a locale key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportError {
    pub line: usize,
    pub column: String,
    pub key: &'static str,
}

impl ImportError {
    pub fn file(key: &'static str) -> ImportError {
        ImportError { line: 1, column: String::new(), key }
    }
}

/// A field an import can fill. Its header may be its code, the text of any
/// of its locale keys in either language, or one of its aliases.
#[derive(Debug)]
pub struct Field {
    pub code: &'static str,
    /// The first key is the field's label on the mapping page.
    pub keys: &'static [&'static str],
    pub aliases: &'static [&'static str],
    pub required: bool,
}

impl Field {
    pub fn label(&self, l: Lang) -> &'static str {
        t(l, self.keys[0])
    }
}

const fn f(code: &'static str, keys: &'static [&'static str], aliases: &'static [&'static str]) -> Field {
    Field { code, keys, aliases, required: false }
}

/// The columns an asset import reads.
pub static ASSET_FIELDS: &[Field] = &[
    Field {
        code: "name",
        keys: &["import.f_asset_name", "field.name"],
        aliases: &["asset", "naam asset", "asset name"],
        required: true,
    },
    Field {
        code: "asset_type",
        keys: &["asset.type"],
        aliases: &["type", "soort", "soort asset", "asset type", "category", "categorie"],
        required: true,
    },
    f("description", &["field.description"], &["beschrijving"]),
    f("owner", &["field.owner"], &["owner e-mail", "e-mail eigenaar", "eigenaar e-mail", "owner email"]),
    f("custodian", &["asset.custodian"], &["beheerder"]),
    f("location", &["asset.location"], &[]),
    f("classification", &["asset.classification"], &["classificatie", "rubricering"]),
    f("need_c", &["field.need_c"], &["c", "v", "confidentiality", "vertrouwelijkheid"]),
    f("need_i", &["field.need_i"], &["i", "integrity", "integriteit"]),
    f("need_a", &["field.need_a"], &["a", "b", "availability", "beschikbaarheid"]),
    f("supports", &["asset.supports"], &["ondersteunt", "depends on", "supports assets"]),
];

/// The columns a risk import reads.
pub static RISK_FIELDS: &[Field] = &[
    Field { code: "title", keys: &["field.title"], aliases: &["risk", "risico", "risk title", "naam"], required: true },
    f("description", &["risk.scenario", "field.description"], &["beschrijving", "scenario"]),
    f("assets", &["risk.assets"], &["asset"]),
    f("threat", &["risk.threat"], &["bedreiging"]),
    f("vulnerability", &["risk.vulnerability"], &[]),
    f("no_asset_reason", &["risk.no_asset_reason"], &["no asset", "geen asset"]),
    f("cia", &["risk.cia"], &["c/i/a", "b/i/v", "affects", "raakt"]),
    f("affects_c", &["import.f_affects_c"], &["confidentiality", "vertrouwelijkheid"]),
    f("affects_i", &["import.f_affects_i"], &["integrity", "integriteit"]),
    f("affects_a", &["import.f_affects_a"], &["availability", "beschikbaarheid"]),
    f("owner", &["risk.owner", "field.owner"], &["owner e-mail", "e-mail eigenaar", "owner email"]),
    f("inherent", &["import.f_inherent", "risk.inherent"], &[]),
    f("inherent_likelihood", &["field.inherent_likelihood"], &["likelihood", "kans"]),
    f("inherent_impact", &["field.inherent_impact"], &["impact"]),
    f("existing_controls", &["risk.existing_controls"], &[]),
    f("treatment", &["risk.treatment_option", "risk.treatment"], &[]),
    f("treatment_rationale", &["risk.rationale", "field.treatment_rationale"], &["rationale"]),
    f("control_ids", &["risk.annex_controls", "field.control_ids"], &["annex a", "controls", "annex a controls"]),
    f("applied_controls", &["risk.applied_controls"], &[]),
    f("residual", &["import.f_residual", "risk.residual"], &[]),
    f("residual_likelihood", &["field.residual_likelihood"], &[]),
    f("residual_impact", &["field.residual_impact"], &[]),
    f("status", &["risk.status"], &[]),
    f("next_review", &["risk.next_review"], &["review", "herbeoordeling"]),
];

fn norm(s: &str) -> String {
    s.trim().trim_end_matches(['*', ':']).split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Which field each column of the file feeds (`None`: ignored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub headers: Vec<String>,
    pub columns: Vec<Option<&'static str>>,
}

/// Every name of every field of `fields`, normalised, to the first field
/// that has it (in the fields' order).
fn field_names(fields: &'static [Field]) -> HashMap<String, &'static str> {
    let mut out = HashMap::new();
    for f in fields {
        let keys = f.keys.iter().flat_map(|k| Lang::ALL.iter().map(move |l| norm(t(*l, k))));
        for name in std::iter::once(f.code.to_string()).chain(f.aliases.iter().map(|a| a.to_string())).chain(keys) {
            if !name.is_empty() {
                out.entry(name).or_insert(f.code);
            }
        }
    }
    out
}

impl Mapping {
    /// Finds the field of each header; a field is fed by its first column only.
    pub fn auto(fields: &'static [Field], headers: &[String]) -> Mapping {
        let names = field_names(fields);
        let mut used = std::collections::HashSet::new();
        let columns = headers.iter().map(|h| names.get(&norm(h)).copied().filter(|c| used.insert(*c))).collect();
        Mapping { headers: headers.to_vec(), columns }
    }

    /// The automatic mapping with the user's choices on top: each pair names
    /// a column (by its header, or its number from 1) and a field code, or
    /// nothing to ignore the column. Reports unknown columns and fields and a
    /// missing required field. Linear in headers and choices: a file of many
    /// columns with many choices costs their sum, not their product.
    pub fn with_choices(
        fields: &'static [Field],
        headers: &[String],
        choices: &[(String, String)],
    ) -> Result<Mapping, Vec<ImportError>> {
        if headers.len() > MAX_COLUMNS || choices.len() > MAX_COLUMNS {
            return Err(vec![ImportError::file("error.import_limit_columns")]);
        }
        let mut m = Mapping::auto(fields, headers);
        let names = field_names(fields);
        // The first column of each normalised header.
        let mut by_header: HashMap<String, usize> = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            by_header.entry(norm(h)).or_insert(i);
        }
        // Where each field is read from now.
        let mut at_of: HashMap<&'static str, usize> =
            m.columns.iter().enumerate().filter_map(|(i, c)| c.map(|c| (c, i))).collect();
        let mut errors = Vec::new();
        for (column, field) in choices {
            let number =
                |s: &str| s.trim().parse::<usize>().ok().filter(|n| (1..=headers.len()).contains(n)).map(|n| n - 1);
            // "#3" is always the third column; a bare name or number is a header first.
            let at = match column.trim().strip_prefix('#') {
                Some(n) => number(n),
                None => by_header.get(&norm(column)).copied().or_else(|| number(column)),
            };
            let Some(at) = at else {
                errors.push(ImportError { line: 1, column: column.clone(), key: "error.import_unknown_column" });
                continue;
            };
            let code = match norm(field).as_str() {
                "" | "-" => None,
                v => match names.get(v) {
                    Some(c) => Some(*c),
                    None => {
                        errors.push(ImportError { line: 1, column: column.clone(), key: "error.import_unknown_field" });
                        continue;
                    }
                },
            };
            if let Some(old) = m.columns[at].take() {
                at_of.remove(old);
            }
            if let Some(code) = code
                && let Some(prev) = at_of.insert(code, at)
            {
                m.columns[prev] = None;
            }
            m.columns[at] = code;
        }
        for f in fields.iter().filter(|f| f.required) {
            if !at_of.contains_key(f.code) {
                errors.push(ImportError { line: 1, column: f.code.to_string(), key: "error.import_missing_column" });
            }
        }
        if errors.is_empty() { Ok(m) } else { Err(errors) }
    }

    /// The column a field is read from.
    pub fn column(&self, code: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(code))
    }

    /// The header a field's errors are reported under.
    pub fn header(&self, code: &str) -> String {
        self.column(code).and_then(|c| self.headers.get(c)).cloned().unwrap_or_else(|| code.to_string())
    }
}

/// One data row of the file with its cells by field code.
pub struct Row<'a> {
    pub line: usize,
    cells: HashMap<&'static str, &'a str>,
}

impl<'a> Row<'a> {
    pub fn get(&self, code: &str) -> &'a str {
        self.cells.get(code).copied().unwrap_or("")
    }

    fn opt(&self, code: &str) -> Option<String> {
        Some(self.get(code).to_string()).filter(|s| !s.is_empty())
    }
}

/// The data rows (blank rows skipped), or an error when the file has none or
/// too many.
pub fn rows<'a>(table: &'a [Vec<String>], m: &Mapping) -> Result<Vec<Row<'a>>, Vec<ImportError>> {
    let mut out = Vec::new();
    let mut extra = Vec::new();
    for (i, row) in table.iter().enumerate().skip(1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // More cells than headers: often an unquoted separator in a cell,
        // which shifts every later cell into the wrong column.
        if row.iter().skip(m.headers.len()).any(|c| !c.trim().is_empty()) {
            extra.push(ImportError { line: i + 1, column: String::new(), key: "error.import_extra_cells" });
        }
        let mut cells = HashMap::new();
        for (c, field) in m.columns.iter().enumerate() {
            if let (Some(field), Some(v)) = (field, row.get(c)) {
                cells.insert(*field, v.trim());
            }
        }
        out.push(Row { line: i + 1, cells });
    }
    if !extra.is_empty() {
        return Err(extra);
    }
    if out.is_empty() {
        return Err(vec![ImportError::file("error.import_no_rows")]);
    }
    if out.len() > MAX_ROWS {
        return Err(vec![ImportError::file("error.import_too_many_rows")]);
    }
    Ok(out)
}

/// Records found by id or by normalised name.
#[derive(Default)]
pub struct Names {
    ids: std::collections::HashSet<String>,
    by_name: HashMap<String, Vec<String>>,
}

impl Names {
    /// Indexes (id, name) pairs once, so that each cell costs a lookup.
    pub fn new<N: AsRef<str>>(list: impl IntoIterator<Item = (String, N)>) -> Names {
        let mut out = Names::default();
        for (id, name) in list {
            out.add(id, name.as_ref());
        }
        out
    }

    pub fn add(&mut self, id: String, name: &str) {
        let ids = self.by_name.entry(norm(name)).or_default();
        if !ids.contains(&id) {
            ids.push(id.clone());
        }
        self.ids.insert(id);
    }

    /// The ids a cell's text names: the record with that id, and every
    /// record with that name.
    fn find(&self, text: &str) -> Vec<&String> {
        let mut out: Vec<&String> = self.by_name.get(&norm(text)).map(|v| v.iter().collect()).unwrap_or_default();
        if let Some(id) = self.ids.get(text)
            && !out.contains(&id)
        {
            out.push(id);
        }
        out
    }
}

/// What the organisation already has, to resolve names in cells, indexed
/// once per import.
#[derive(Default)]
pub struct Known {
    /// Members by normalised e-mail address.
    pub members_by_email: HashMap<String, UserId>,
    /// Members by normalised name (several may share one).
    pub members_by_name: HashMap<String, Vec<UserId>>,
    /// Assets that can be linked.
    pub assets: Names,
    /// The organisation's own threats.
    pub own_threats: Names,
    /// Applied controls.
    pub applied: Names,
}

impl Known {
    /// Adds members: id, e-mail, name.
    pub fn with_members<'a>(mut self, members: impl IntoIterator<Item = (UserId, &'a str, &'a str)>) -> Known {
        for (id, email, name) in members {
            self.members_by_email.entry(norm(email)).or_insert(id);
            let ids = self.members_by_name.entry(norm(name)).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        self
    }
}

/// The built-in threat catalogue by normalised code and name in either
/// language, to its code (the catalogue's first threat where names repeat).
fn builtin_threats() -> &'static HashMap<String, String> {
    static MAP: std::sync::OnceLock<HashMap<String, String>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut out = HashMap::new();
        for th in crate::threat::threats() {
            out.entry(norm(&th.code)).or_insert_with(|| th.code.clone());
        }
        for th in crate::threat::threats() {
            for l in Lang::ALL {
                out.entry(norm(th.name(l))).or_insert_with(|| th.code.clone());
            }
        }
        out
    })
}

/// Matches a code or a label (in either language) of an enum.
pub fn by_code_or_label<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    key: fn(T) -> &'static str,
    v: &str,
) -> Option<T> {
    let v = norm(v);
    all.iter().copied().find(|x| code(*x) == v || Lang::ALL.iter().any(|l| norm(t(*l, key(*x))) == v))
}

/// Collects a row's problems under the file's column names.
struct Problems<'m> {
    line: usize,
    map: &'m Mapping,
    out: Vec<ImportError>,
}

impl Problems<'_> {
    fn add(&mut self, code: &str, key: &'static str) {
        let column = self.map.header(code);
        if !self.out.iter().any(|e| e.column == column) {
            self.out.push(ImportError { line: self.line, column, key });
        }
    }

    /// A form's field errors, each under the column that fed the field.
    fn form(&mut self, e: FieldErrors, rename: &[(&str, &str)]) {
        for fe in e.0 {
            let code = rename.iter().find(|(from, _)| *from == fe.field).map(|(_, to)| *to).unwrap_or(fe.field);
            let code = if self.map.column(code).is_some() { code } else { fallback(code) };
            self.add(code, fe.key);
        }
    }
}

/// Scores may come from one "L × I" column: errors on either part go there.
fn fallback(code: &str) -> &str {
    match code {
        "inherent_likelihood" | "inherent_impact" => "inherent",
        "residual_likelihood" | "residual_impact" => "residual",
        other => other,
    }
}

fn split_list(v: &str) -> impl Iterator<Item = &str> {
    v.split([';', '\n', '|']).map(str::trim).filter(|s| !s.is_empty())
}

/// Names (or ids) separated by semicolons, resolved to ids.
fn names(list: &Names, v: &str) -> Result<Vec<String>, &'static str> {
    let mut out = Vec::new();
    for name in split_list(v) {
        match list.find(name).as_slice() {
            [one] => out.push((*one).clone()),
            [] => return Err("error.import_unknown_name"),
            _ => return Err("error.import_ambiguous_name"),
        }
    }
    Ok(out)
}

/// A member by e-mail address or, when unique, by name.
fn member(k: &Known, v: &str) -> Result<Option<String>, &'static str> {
    if v.is_empty() {
        return Ok(None);
    }
    let n = norm(v);
    if let Some(id) = k.members_by_email.get(&n) {
        return Ok(Some(id.to_string()));
    }
    match k.members_by_name.get(&n).map(Vec::as_slice).unwrap_or_default() {
        [one] => Ok(Some(one.to_string())),
        [] => Err("error.import_unknown_owner"),
        _ => Err("error.import_ambiguous_name"),
    }
}

fn enum_code<T: Copy>(
    p: &mut Problems,
    code: &str,
    v: &str,
    all: &[T],
    c: fn(T) -> &'static str,
    k: fn(T) -> &'static str,
) -> Option<String> {
    if v.is_empty() {
        return None;
    }
    match by_code_or_label(all, c, k, v) {
        Some(x) => Some(c(x).to_string()),
        None => {
            p.add(code, "error.unknown_value");
            None
        }
    }
}

/// A date as `YYYY-MM-DD`, `DD-MM-YYYY`, `DD/MM/YYYY` or `DD.MM.YYYY`.
fn date(v: &str) -> Result<Option<String>, &'static str> {
    if v.is_empty() {
        return Ok(None);
    }
    let v = v.get(..10).filter(|_| v.len() > 10 && v.as_bytes()[10] == b' ').unwrap_or(v);
    for fmt in ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"] {
        // chrono reads "27" as the year 27: only four-digit years count.
        if let Ok(d) = chrono::NaiveDate::parse_from_str(v, fmt)
            && (1900..=9999).contains(&chrono::Datelike::year(&d))
        {
            return Ok(Some(d.format("%Y-%m-%d").to_string()));
        }
    }
    Err("error.bad_date")
}

fn yes_no(v: &str) -> Result<Option<String>, &'static str> {
    match norm(v).as_str() {
        "" => Ok(None),
        "yes" | "ja" | "y" | "j" | "x" | "true" | "1" | "waar" => Ok(Some("true".into())),
        "no" | "nee" | "n" | "false" | "0" | "onwaar" => Ok(Some("false".into())),
        _ => Err("error.unknown_value"),
    }
}

/// C, I, A (or the Dutch V, I, B) as letters or words, in any order.
fn cia(v: &str) -> Result<[bool; 3], &'static str> {
    let mut out = [false; 3];
    for word in norm(v).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let whole = match word {
            "confidentiality" | "vertrouwelijkheid" => Some(0),
            "integrity" | "integriteit" => Some(1),
            "availability" | "beschikbaarheid" => Some(2),
            _ => None,
        };
        if let Some(i) = whole {
            out[i] = true;
            continue;
        }
        for ch in word.chars() {
            match ch {
                'c' | 'v' => out[0] = true,
                'i' => out[1] = true,
                'a' | 'b' => out[2] = true,
                _ => return Err("error.unknown_value"),
            }
        }
    }
    Ok(out)
}

/// A level on a scale: its number or its name in either language.
fn level(scale: Option<&[ScaleLevel]>, v: &str) -> Result<Option<String>, &'static str> {
    if v.is_empty() {
        return Ok(None);
    }
    if let Ok(n) = v.parse::<usize>() {
        return match scale {
            Some(s) if !(1..=s.len()).contains(&n) => Err("error.risk_score_range"),
            _ => Ok(Some(v.to_string())),
        };
    }
    let n = norm(v);
    scale
        .and_then(|s| s.iter().position(|x| Lang::ALL.iter().any(|l| norm(x.label.get(*l)) == n)))
        .map(|i| Some((i + 1).to_string()))
        .ok_or("error.risk_score_range")
}

/// "3 × 4", "3x4", "3*4" or "3/4": likelihood and impact.
fn pair(v: &str) -> Result<Option<(String, String)>, &'static str> {
    if v.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = v.split(['×', 'x', 'X', '*', '/']).map(str::trim).filter(|s| !s.is_empty()).collect();
    match parts.as_slice() {
        [l, i] if l.parse::<u8>().is_ok() && i.parse::<u8>().is_ok() => Ok(Some((l.to_string(), i.to_string()))),
        _ => Err("error.import_bad_score"),
    }
}

/// A protection need: 0–4 or its name in either language.
fn need(v: &str) -> Result<Option<String>, &'static str> {
    if v.is_empty() {
        return Ok(None);
    }
    if v.parse::<u8>().is_ok_and(|n| n <= NEED_MAX) {
        return Ok(Some(v.to_string()));
    }
    let n = norm(v);
    (0..=NEED_MAX)
        .find(|x| Lang::ALL.iter().any(|l| norm(t(*l, need_key(*x))) == n))
        .map(|x| Some(x.to_string()))
        .ok_or("error.unknown_value")
}

fn put(p: &mut Problems, code: &str, r: Result<Option<String>, &'static str>) -> Option<String> {
    r.unwrap_or_else(|k| {
        p.add(code, k);
        None
    })
}

/// An asset row as the form a person would fill in (the raw input of
/// [`crate::registers::ASSETS`]), with the problems of the row. `k.assets`
/// holds the assets it may support (existing ones and the other rows of the file).
pub fn asset_form(row: &Row, m: &Mapping, k: &Known) -> (BTreeMap<String, String>, Vec<ImportError>) {
    let mut p = Problems { line: row.line, map: m, out: Vec::new() };
    let owner = put(&mut p, "owner", member(k, row.get("owner")));
    let supports = names(&k.assets, row.get("supports")).unwrap_or_else(|e| {
        p.add("supports", if e == "error.import_unknown_name" { "error.unknown_asset" } else { e });
        Vec::new()
    });
    let asset_type =
        enum_code(&mut p, "asset_type", row.get("asset_type"), AssetType::ALL, AssetType::code, AssetType::label_key);
    let classification = enum_code(
        &mut p,
        "classification",
        row.get("classification"),
        Classification::ALL,
        Classification::code,
        Classification::label_key,
    );
    let mut raw = BTreeMap::new();
    let mut set = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            raw.insert(k.to_string(), v);
        }
    };
    set("name", row.opt("name"));
    set("asset_type", asset_type);
    set("description", row.opt("description"));
    set("owner_id", owner);
    set("custodian", row.opt("custodian"));
    set("location", row.opt("location"));
    set("classification", classification);
    set("need_c", put(&mut p, "need_c", need(row.get("need_c"))));
    set("need_i", put(&mut p, "need_i", need(row.get("need_i"))));
    set("need_a", put(&mut p, "need_a", need(row.get("need_a"))));
    set("supports", Some(supports.join(", ")));
    if let Err(e) = crate::registers::ASSETS.parse(&raw) {
        p.form(e, &[("owner_id", "owner")]);
    }
    (raw, p.out)
}

/// A risk row as the form a person would fill in, with the problems of the
/// row. Levels may be numbers or the names on `m`'s scales; scores are then
/// checked against that methodology.
pub fn risk_form(row: &Row, map: &Mapping, k: &Known, m: &Methodology) -> (RiskForm, Vec<ImportError>) {
    let mut p = Problems { line: row.line, map, out: Vec::new() };
    let owner = put(&mut p, "owner", member(k, row.get("owner")));
    let asset_ids = names(&k.assets, row.get("assets")).unwrap_or_else(|e| {
        p.add("assets", if e == "error.import_unknown_name" { "error.unknown_asset" } else { e });
        Vec::new()
    });
    let applied = names(&k.applied, row.get("applied_controls")).unwrap_or_else(|e| {
        p.add("applied_controls", if e == "error.import_unknown_name" { "error.unknown_applied_control" } else { e });
        Vec::new()
    });
    let threat = match row.get("threat") {
        "" => None,
        v => {
            let builtin = builtin_threats().get(&norm(v)).cloned();
            let own = || k.own_threats.find(v).first().map(|id| (*id).clone());
            let found = builtin.or_else(own);
            if found.is_none() {
                p.add("threat", "error.unknown_threat");
            }
            found
        }
    };
    let mut flags = [None, None, None];
    if !row.get("cia").is_empty() {
        match cia(row.get("cia")) {
            Ok(f) => flags = f.map(|b| Some(b.to_string())),
            Err(e) => p.add("cia", e),
        }
    }
    for (i, code) in ["affects_c", "affects_i", "affects_a"].iter().enumerate() {
        if let Some(v) = put(&mut p, code, yes_no(row.get(code))) {
            flags[i] = Some(v);
        }
    }
    let mut scores: [Option<String>; 4] = Default::default();
    for (n, combined, lf, imf) in [
        (0, "inherent", "inherent_likelihood", "inherent_impact"),
        (2, "residual", "residual_likelihood", "residual_impact"),
    ] {
        if let Some((l, i)) = put_pair(&mut p, combined, pair(row.get(combined))) {
            let l = put(&mut p, combined, level(Some(&m.likelihood), &l));
            let i = put(&mut p, combined, level(Some(&m.impact), &i));
            scores[n] = l;
            scores[n + 1] = i;
        }
        if let Some(v) = put(&mut p, lf, level(Some(&m.likelihood), row.get(lf))) {
            scores[n] = Some(v);
        }
        if let Some(v) = put(&mut p, imf, level(Some(&m.impact), row.get(imf))) {
            scores[n + 1] = Some(v);
        }
    }
    let [il, ii, rl, ri] = scores;
    let form = RiskForm {
        title: row.opt("title"),
        description: row.opt("description"),
        asset_ids,
        no_asset_reason: row.opt("no_asset_reason"),
        threat,
        vulnerability: row.opt("vulnerability"),
        affects_c: flags[0].clone(),
        affects_i: flags[1].clone(),
        affects_a: flags[2].clone(),
        owner_id: owner,
        inherent_likelihood: il,
        inherent_impact: ii,
        existing_controls: row.opt("existing_controls"),
        treatment: enum_code(
            &mut p,
            "treatment",
            row.get("treatment"),
            Treatment::ALL,
            Treatment::code,
            Treatment::label_key,
        ),
        treatment_rationale: row.opt("treatment_rationale"),
        control_ids: row.opt("control_ids"),
        applied_control_ids: applied,
        residual_likelihood: rl,
        residual_impact: ri,
        status: enum_code(
            &mut p,
            "status",
            row.get("status"),
            RiskStatus::ALL,
            RiskStatus::code,
            RiskStatus::label_key,
        ),
        next_review: put(&mut p, "next_review", date(row.get("next_review"))),
    };
    let renames = [("asset_ids", "assets"), ("owner_id", "owner"), ("applied_control_ids", "applied_controls")];
    match form.parse() {
        Err(e) => p.form(e, &renames),
        Ok(input) => {
            if let Err(e) = input.check_scores(m) {
                p.form(e, &renames);
            }
        }
    }
    (form, p.out)
}

fn put_pair(
    p: &mut Problems,
    code: &str,
    r: Result<Option<(String, String)>, &'static str>,
) -> Option<(String, String)> {
    r.unwrap_or_else(|k| {
        p.add(code, k);
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn headers_in_either_language_find_their_fields() {
        let t = table(&[&["Naam", "Soort asset", "Eigenaar", "Kolom die niemand kent", "Naam"]]);
        let m = Mapping::auto(ASSET_FIELDS, &t[0]);
        assert_eq!(m.columns, [Some("name"), Some("asset_type"), Some("owner"), None, None]);
        let en = table(&[&["Title", "Inherent likelihood", "Inherent impact", "Treatment option", "Owner"]]);
        let m = Mapping::auto(RISK_FIELDS, &en[0]);
        assert_eq!(
            m.columns,
            [Some("title"), Some("inherent_likelihood"), Some("inherent_impact"), Some("treatment"), Some("owner")]
        );
    }

    #[test]
    fn choices_override_and_are_checked() {
        let h = table(&[&["Omschrijving kort", "Wat", "Soort asset"]]).remove(0);
        let missing = Mapping::with_choices(ASSET_FIELDS, &h, &[]).unwrap_err();
        assert_eq!(missing[0].key, "error.import_missing_column");
        assert_eq!(missing[0].column, "name");
        let m = Mapping::with_choices(ASSET_FIELDS, &h, &[("Wat".into(), "name".into())]).unwrap();
        assert_eq!(m.columns, [None, Some("name"), Some("asset_type")]);
        let m = Mapping::with_choices(ASSET_FIELDS, &h, &[("1".into(), "Naam".into()), ("3".into(), "".into())]);
        assert_eq!(m.unwrap_err()[0].key, "error.import_missing_column");
        // A header that is a number: "#2" is the second column, "1" the column headed "1".
        let h2 = table(&[&["Soort asset", "1", "x"]]).remove(0);
        let m = Mapping::with_choices(ASSET_FIELDS, &h2, &[("1".into(), "name".into())]).unwrap();
        assert_eq!(m.columns, [Some("asset_type"), Some("name"), None]);
        let m = Mapping::with_choices(ASSET_FIELDS, &h2, &[("#3".into(), "name".into())]).unwrap();
        assert_eq!(m.columns, [Some("asset_type"), None, Some("name")]);
        let e =
            Mapping::with_choices(ASSET_FIELDS, &h, &[("Nope".into(), "name".into()), ("Wat".into(), "colour".into())])
                .unwrap_err();
        assert_eq!(
            e.iter().map(|e| e.key).collect::<Vec<_>>()[..2],
            ["error.import_unknown_column", "error.import_unknown_field"]
        );
    }

    #[test]
    fn cells_become_form_values() {
        assert_eq!(cia("CI").unwrap(), [true, true, false]);
        assert_eq!(cia("B, I, V").unwrap(), [true, true, true]);
        assert_eq!(cia("Beschikbaarheid").unwrap(), [false, false, true]);
        assert!(cia("Q").is_err());
        assert_eq!(pair("3 × 4").unwrap(), Some(("3".into(), "4".into())));
        assert_eq!(pair("2x5").unwrap(), Some(("2".into(), "5".into())));
        assert!(pair("hoog").is_err());
        assert_eq!(date("31-01-2027").unwrap().as_deref(), Some("2027-01-31"));
        assert_eq!(date("2027-01-31 00:00:00").unwrap().as_deref(), Some("2027-01-31"));
        assert!(date("31 januari").is_err());
        assert!(date("31-01-27").is_err(), "a two-digit year is refused, not read as the year 27");
        assert_eq!(need("4").unwrap().as_deref(), Some("4"));
        assert!(need("5").is_err());
        let m = Methodology::default_5x5();
        assert_eq!(level(Some(&m.likelihood), m.likelihood[1].label.get(Lang::Nl)).unwrap().as_deref(), Some("2"));
        assert!(level(Some(&m.likelihood), "enorm").is_err());
    }

    #[test]
    fn a_risk_row_names_each_problem_under_its_column() {
        let m = Methodology::default_5x5();
        let user = UserId::new();
        let asset = crate::ids::AssetId::new().to_string();
        let k = Known { assets: Names::new([(asset.clone(), "Klantdossiers")]), ..Default::default() }
            .with_members([(user, "eva@example.nl", "Eva de Vries")]);
        let t = table(&[
            &["Titel", "Assets", "Eigenaar", "Bruto kans", "Bruto impact", "Behandeloptie", "BIV"],
            &["Datalek", "Klantdossiers", "Eva de Vries", "3", "4", "", "V"],
            &["Uitval", "Onbekend", "nobody@example.nl", "9", "2", "fly away", "Q"],
        ]);
        let map = Mapping::with_choices(RISK_FIELDS, &t[0], &[]).unwrap();
        let rows = rows(&t, &map).unwrap();
        let (form, errors) = risk_form(&rows[0], &map, &k, &m);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(form.owner_id, Some(user.to_string()));
        assert_eq!(form.asset_ids, [asset]);
        assert_eq!(form.affects_c.as_deref(), Some("true"));
        let (_, errors) = risk_form(&rows[1], &map, &k, &m);
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.column.as_str(), e.key)).collect();
        assert_eq!(
            got,
            [
                ("Eigenaar", "error.import_unknown_owner"),
                ("Assets", "error.unknown_asset"),
                ("BIV", "error.unknown_value"),
                ("Bruto kans", "error.risk_score_range"),
                ("Behandeloptie", "error.unknown_value"),
            ]
        );
        assert!(errors.iter().all(|e| e.line == 3));
        // A level outside the scale is caught once the names resolve.
        let t2 = table(&[&["Titel", "Bruto kans", "Bruto impact"], &["Uitval", "9", "2"]]);
        let map2 = Mapping::with_choices(RISK_FIELDS, &t2[0], &[]).unwrap();
        let (_, errors) = risk_form(&rows_of(&t2, &map2)[0], &map2, &k, &m);
        assert_eq!(errors[0].column, "Bruto kans");
        assert_eq!(errors[0].key, "error.risk_score_range");
    }

    fn rows_of<'a>(t: &'a [Vec<String>], m: &Mapping) -> Vec<Row<'a>> {
        rows(t, m).unwrap()
    }
}
