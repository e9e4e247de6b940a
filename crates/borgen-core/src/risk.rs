//! Risk management (6.1.2, 6.1.3, 8.2, 8.3): the organisation's methodology
//! (scales, impact criteria, matrix, acceptance criteria), the risks scored by
//! it, and the rule that says who may accept a residual risk.
//!
//! Scoring is a lookup in the matrix of one methodology version: the same
//! likelihood and impact under the same version always give the same level.

use crate::Lang;
use crate::ids::UserId;
use crate::text::{self, FieldErrors, LONG, SHORT};
use serde::{Deserialize, Serialize};

/// A text in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bi {
    pub nl: String,
    pub en: String,
}

impl Bi {
    pub fn new(nl: &str, en: &str) -> Bi {
        Bi { nl: nl.into(), en: en.into() }
    }
    pub fn get(&self, l: Lang) -> &str {
        match l {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
    fn trimmed(&self) -> Bi {
        Bi { nl: self.nl.trim().into(), en: self.en.trim().into() }
    }
}

/// One level of the likelihood or impact scale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleLevel {
    pub label: Bi,
    #[serde(default)]
    pub description: Bi,
}

/// An area in which impact is judged (confidentiality, finance, …), with what
/// each impact level means there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactArea {
    pub code: String,
    pub name: Bi,
    /// One text per impact level, lowest first.
    #[serde(default)]
    pub criteria: Vec<Bi>,
}

code_enum!(
    /// Who may accept a residual risk of a given level.
    AcceptBy, "accept_by" {
        Owner = "owner",
        TopManagement = "top_management",
        Nobody = "nobody",
    }
);

/// A risk level: what the matrix cells resolve to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskLevel {
    pub name: Bi,
    /// `#rrggbb`.
    pub colour: String,
    pub accept_by: AcceptBy,
}

/// An organisation's risk methodology. Stored as one immutable version per
/// change; risks record the version they were scored with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Methodology {
    pub likelihood: Vec<ScaleLevel>,
    pub impact: Vec<ScaleLevel>,
    pub areas: Vec<ImpactArea>,
    /// Lowest first.
    pub levels: Vec<RiskLevel>,
    /// `matrix[l - 1][i - 1]` is the index into `levels` for likelihood `l`
    /// and impact `i`.
    pub matrix: Vec<Vec<u8>>,
    /// How often the risk assessment is repeated, in months.
    pub review_months: u32,
}

pub const MIN_SCALE: usize = 3;
pub const MAX_SCALE: usize = 10;
pub const MAX_LEVELS: usize = 6;
pub const MAX_AREAS: usize = 10;

fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

fn area_code_ok(s: &str) -> bool {
    (1..=40).contains(&s.len()) && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Methodology {
    /// Checks every rule; on success returns the methodology with texts trimmed.
    pub fn validated(&self) -> Result<Methodology, FieldErrors> {
        let mut e = FieldErrors::default();
        // Sizes first: nothing below may allocate for a methodology out of bounds.
        let sizes = [
            ("likelihood", (MIN_SCALE..=MAX_SCALE).contains(&self.likelihood.len()), "error.risk_scale_size"),
            ("impact", (MIN_SCALE..=MAX_SCALE).contains(&self.impact.len()), "error.risk_scale_size"),
            ("areas", (1..=MAX_AREAS).contains(&self.areas.len()), "error.risk_areas_size"),
            ("levels", (2..=MAX_LEVELS).contains(&self.levels.len()), "error.risk_levels_size"),
            (
                "matrix",
                self.matrix.len() <= MAX_SCALE && self.matrix.iter().all(|r| r.len() <= MAX_SCALE),
                "error.risk_matrix_shape",
            ),
            ("areas", self.areas.iter().all(|a| a.criteria.len() <= MAX_SCALE), "error.risk_areas_size"),
        ];
        for (field, ok, key) in sizes {
            if !ok && e.for_field(field).is_none() {
                e.add(field, key);
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        let mut m = self.clone();
        for (field, scale) in [("likelihood", &mut m.likelihood), ("impact", &mut m.impact)] {
            if !(MIN_SCALE..=MAX_SCALE).contains(&scale.len()) {
                e.add(field, "error.risk_scale_size");
            }
            for s in scale.iter_mut() {
                s.label = s.label.trimmed();
                s.description = s.description.trimmed();
            }
            if scale.iter().any(|s| s.label.nl.is_empty() || s.label.en.is_empty()) {
                e.add(field, "error.risk_label_both");
            } else if scale.iter().any(|s| s.label.nl.chars().count() > 80 || s.label.en.chars().count() > 80) {
                e.add(field, "error.risk_label_long");
            }
            if scale.iter().any(|s| s.description.nl.chars().count() > 500 || s.description.en.chars().count() > 500) {
                e.add(field, "error.risk_description_long");
            }
        }
        if m.areas.is_empty() || m.areas.len() > MAX_AREAS {
            e.add("areas", "error.risk_areas_size");
        }
        let n_impact = m.impact.len();
        for a in m.areas.iter_mut() {
            a.code = a.code.trim().to_string();
            a.name = a.name.trimmed();
            a.criteria.iter_mut().for_each(|c| *c = c.trimmed());
            a.criteria.resize(n_impact, Bi::default());
        }
        if m.areas.iter().any(|a| !area_code_ok(&a.code)) {
            e.add("areas", "error.risk_area_code");
        }
        let mut codes: Vec<&str> = m.areas.iter().map(|a| a.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        if codes.len() != m.areas.len() {
            e.add("areas", "error.risk_area_duplicate");
        }
        if m.areas.iter().any(|a| a.name.nl.is_empty() || a.name.en.is_empty()) {
            e.add("areas", "error.risk_label_both");
        }
        if m.areas.iter().flat_map(|a| &a.criteria).any(|c| c.nl.chars().count() > 500 || c.en.chars().count() > 500) {
            e.add("areas", "error.risk_description_long");
        }
        if !(2..=MAX_LEVELS).contains(&m.levels.len()) {
            e.add("levels", "error.risk_levels_size");
        }
        for lv in m.levels.iter_mut() {
            lv.name = lv.name.trimmed();
            lv.colour = lv.colour.trim().to_ascii_lowercase();
        }
        if m.levels.iter().any(|l| l.name.nl.is_empty() || l.name.en.is_empty()) {
            e.add("levels", "error.risk_label_both");
        } else if m.levels.iter().any(|l| l.name.nl.chars().count() > 80 || l.name.en.chars().count() > 80) {
            e.add("levels", "error.risk_label_long");
        }
        if m.levels.iter().any(|l| !is_colour(&l.colour)) {
            e.add("levels", "error.risk_colour");
        }
        // Labels and names are one line; descriptions and criteria may run over several.
        let bad = |b: &Bi, multi: bool| crate::text::bad_chars(&b.nl, multi).or(crate::text::bad_chars(&b.en, multi));
        for (field, scale) in [("likelihood", &m.likelihood), ("impact", &m.impact)] {
            if let Some(key) = scale.iter().find_map(|s| bad(&s.label, false).or(bad(&s.description, true))) {
                e.add(field, key);
            }
        }
        if let Some(key) =
            m.areas.iter().find_map(|a| bad(&a.name, false).or(a.criteria.iter().find_map(|c| bad(c, true))))
        {
            e.add("areas", key);
        }
        if let Some(key) = m.levels.iter().find_map(|l| bad(&l.name, false)) {
            e.add("levels", key);
        }
        let shape_ok = m.matrix.len() == m.likelihood.len() && m.matrix.iter().all(|r| r.len() == n_impact);
        if !shape_ok {
            e.add("matrix", "error.risk_matrix_shape");
        } else if m.matrix.iter().flatten().any(|v| usize::from(*v) >= m.levels.len()) {
            e.add("matrix", "error.risk_matrix_level");
        } else if !m.is_monotonic() {
            e.add("matrix", "error.risk_matrix_monotonic");
        }
        if !(1..=36).contains(&m.review_months) {
            e.add("review_months", "error.risk_review_months");
        }
        e.finish(m)
    }

    /// True when a higher likelihood or a higher impact never gives a lower
    /// level: what "consistent" results need.
    pub fn is_monotonic(&self) -> bool {
        let m = &self.matrix;
        for l in 0..m.len() {
            for i in 0..m[l].len() {
                if l + 1 < m.len() && m[l + 1].get(i).is_some_and(|v| *v < m[l][i]) {
                    return false;
                }
                if i + 1 < m[l].len() && m[l][i + 1] < m[l][i] {
                    return false;
                }
            }
        }
        true
    }

    /// The level index for likelihood `l` and impact `i` (both from 1), or
    /// `None` when either is outside the scales.
    pub fn score(&self, l: u8, i: u8) -> Option<u8> {
        let row = self.matrix.get(usize::from(l).checked_sub(1)?)?;
        row.get(usize::from(i).checked_sub(1)?).copied()
    }

    pub fn level(&self, index: u8) -> Option<&RiskLevel> {
        self.levels.get(usize::from(index))
    }

    /// Who may accept a residual risk at this level index.
    pub fn accept_by(&self, level: u8) -> AcceptBy {
        self.level(level).map(|l| l.accept_by).unwrap_or(AcceptBy::Nobody)
    }

    /// A methodology in the spirit of ISO/IEC 27005: five likelihood and five
    /// impact levels, four risk levels, criteria for C, I, A, finance,
    /// reputation and legal, reviewed every twelve months.
    pub fn default_5x5() -> Methodology {
        let lvl = |nl: &str, en: &str, dnl: &str, den: &str| ScaleLevel {
            label: Bi::new(nl, en),
            description: Bi::new(dnl, den),
        };
        let likelihood = vec![
            // Boundaries that neither overlap nor leave gaps: each level
            // starts where the one below ends.
            lvl("Zeer onwaarschijnlijk", "Rare", "Minder dan eens per tien jaar.", "Less than once in ten years."),
            lvl(
                "Onwaarschijnlijk",
                "Unlikely",
                "Eens per vijf tot tien jaar (minstens eens per tien jaar, minder dan eens per vijf jaar).",
                "Once in five to ten years (at least once in ten years, less than once in five).",
            ),
            lvl(
                "Mogelijk",
                "Possible",
                "Eens per één tot vijf jaar (minstens eens per vijf jaar, minder dan eens per jaar).",
                "Once in one to five years (at least once in five years, less than once a year).",
            ),
            lvl(
                "Waarschijnlijk",
                "Likely",
                "Eén tot twaalf keer per jaar (minstens eens per jaar, minder dan maandelijks).",
                "One to twelve times a year (at least once a year, less than monthly).",
            ),
            lvl(
                "Zeer waarschijnlijk",
                "Almost certain",
                "Maandelijks of vaker (twaalf keer per jaar of meer).",
                "Monthly or more often (twelve times a year or more).",
            ),
        ];
        let impact = vec![
            lvl("Verwaarloosbaar", "Negligible", "Nauwelijks merkbaar.", "Hardly noticeable."),
            lvl("Beperkt", "Minor", "Hinder, snel hersteld.", "A nuisance, quickly recovered."),
            lvl(
                "Aanzienlijk",
                "Moderate",
                "Merkbare schade, herstel kost dagen.",
                "Noticeable harm; recovery takes days.",
            ),
            lvl(
                "Ernstig",
                "Major",
                "Grote schade voor klanten of organisatie.",
                "Serious harm to customers or the organisation.",
            ),
            lvl(
                "Zeer ernstig",
                "Severe",
                "Het voortbestaan komt in gevaar.",
                "The organisation's survival is at stake.",
            ),
        ];
        let area = |code: &str, nl: &str, en: &str, c: [(&str, &str); 5]| ImpactArea {
            code: code.into(),
            name: Bi::new(nl, en),
            criteria: c.iter().map(|(n, e)| Bi::new(n, e)).collect(),
        };
        let areas = vec![
            area(
                "confidentiality",
                "Vertrouwelijkheid",
                "Confidentiality",
                [
                    ("Openbare informatie ingezien.", "Public information seen."),
                    ("Interne informatie intern te breed gedeeld.", "Internal information shared too widely inside."),
                    ("Vertrouwelijke gegevens van enkelen gelekt.", "Confidential data of a few people leaked."),
                    (
                        "Datalek met meldplicht bij de Autoriteit Persoonsgegevens.",
                        "A breach that must be reported to the data protection authority.",
                    ),
                    (
                        "Grootschalig datalek of bedrijfsgeheimen op straat.",
                        "Large-scale breach or trade secrets made public.",
                    ),
                ],
            ),
            area(
                "integrity",
                "Integriteit",
                "Integrity",
                [
                    ("Fout direct opgemerkt en hersteld.", "An error noticed and corrected at once."),
                    ("Fouten in enkele records.", "Errors in a few records."),
                    ("Onjuiste gegevens leiden tot verkeerde beslissingen.", "Wrong data leads to wrong decisions."),
                    ("Onbetrouwbare administratie of productdata.", "Unreliable records or product data."),
                    ("Kerngegevens onherstelbaar aangetast.", "Core data damaged beyond repair."),
                ],
            ),
            area(
                "availability",
                "Beschikbaarheid",
                "Availability",
                [
                    ("Uitval korter dan een uur.", "Down for less than an hour."),
                    ("Uitval van enkele uren.", "Down for a few hours."),
                    ("Uitval van een werkdag.", "Down for a working day."),
                    ("Uitval van meerdere dagen.", "Down for several days."),
                    ("Uitval van een week of langer.", "Down for a week or more."),
                ],
            ),
            area(
                "finance",
                "Financieel",
                "Finance",
                [
                    ("Minder dan € 1.000.", "Less than €1,000."),
                    ("€ 1.000 tot € 10.000.", "€1,000 to €10,000."),
                    ("€ 10.000 tot € 100.000.", "€10,000 to €100,000."),
                    ("€ 100.000 tot € 1 miljoen.", "€100,000 to €1 million."),
                    ("Meer dan € 1 miljoen.", "More than €1 million."),
                ],
            ),
            area(
                "reputation",
                "Reputatie",
                "Reputation",
                [
                    ("Niemand buiten de organisatie merkt het.", "Nobody outside the organisation notices."),
                    ("Klachten van enkele klanten.", "Complaints from a few customers."),
                    ("Lokale pers of sociale media.", "Local press or social media."),
                    ("Landelijke pers; klanten vertrekken.", "National press; customers leave."),
                    ("Blijvend verlies van vertrouwen in de markt.", "Lasting loss of trust in the market."),
                ],
            ),
            area(
                "legal",
                "Juridisch",
                "Legal",
                [
                    ("Geen juridische gevolgen.", "No legal consequences."),
                    ("Vragen van een klant of toezichthouder.", "Questions from a customer or regulator."),
                    ("Contractuele boete of formele waarschuwing.", "A contractual penalty or formal warning."),
                    ("Boete van een toezichthouder of rechtszaak.", "A regulator's fine or a lawsuit."),
                    (
                        "Verlies van vergunning of strafrechtelijke vervolging.",
                        "Loss of licence or criminal prosecution.",
                    ),
                ],
            ),
        ];
        let levels = vec![
            RiskLevel { name: Bi::new("Laag", "Low"), colour: "#4caf50".into(), accept_by: AcceptBy::Owner },
            RiskLevel { name: Bi::new("Midden", "Medium"), colour: "#ffc107".into(), accept_by: AcceptBy::Owner },
            RiskLevel { name: Bi::new("Hoog", "High"), colour: "#ff7043".into(), accept_by: AcceptBy::TopManagement },
            RiskLevel {
                name: Bi::new("Zeer hoog", "Very high"),
                colour: "#c62828".into(),
                accept_by: AcceptBy::Nobody,
            },
        ];
        let matrix = (1..=5u8)
            .map(|l| {
                (1..=5u8)
                    .map(|i| match l * i {
                        0..=4 => 0,
                        5..=9 => 1,
                        10..=16 => 2,
                        _ => 3,
                    })
                    .collect()
            })
            .collect();
        Methodology { likelihood, impact, areas, levels, matrix, review_months: 12 }
    }

    /// A matrix of the given shape filled from the product of likelihood and
    /// impact, spread over `levels` levels: a starting point when the scales
    /// change size, which the user then adjusts cell by cell.
    pub fn product_matrix(likelihood: usize, impact: usize, levels: usize) -> Vec<Vec<u8>> {
        let max = (likelihood * impact).max(1) as f64;
        (1..=likelihood)
            .map(|l| {
                (1..=impact)
                    .map(|i| {
                        let share = (l * i) as f64 / max;
                        (((share * levels as f64).ceil() as usize).clamp(1, levels.max(1)) - 1) as u8
                    })
                    .collect()
            })
            .collect()
    }
}

code_enum!(
    /// The four treatment options of ISO/IEC 27001 6.1.3.
    Treatment, "treatment" {
        Mitigate = "mitigate",
        Accept = "accept",
        Transfer = "transfer",
        Avoid = "avoid",
    }
);

code_enum!(
    /// Where a risk stands.
    RiskStatus, "risk_status" {
        Identified = "identified",
        Assessed = "assessed",
        InTreatment = "in_treatment",
        Monitored = "monitored",
        Closed = "closed",
    }
);

/// Likelihood and impact on the methodology's scales (both from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub likelihood: u8,
    pub impact: u8,
}

/// Raw input of a risk, from a form or JSON. Lists come as text separated by
/// commas (Annex A ids) or as repeated form fields (assets, applied controls).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RiskForm {
    pub title: Option<String>,
    pub description: Option<String>,
    pub asset_ids: Vec<String>,
    /// Why the risk concerns no asset (an organisation-wide risk), when it has none.
    pub no_asset_reason: Option<String>,
    pub threat: Option<String>,
    pub vulnerability: Option<String>,
    #[serde(deserialize_with = "crate::context::bool_or_text")]
    pub affects_c: Option<String>,
    #[serde(deserialize_with = "crate::context::bool_or_text")]
    pub affects_i: Option<String>,
    #[serde(deserialize_with = "crate::context::bool_or_text")]
    pub affects_a: Option<String>,
    pub owner_id: Option<String>,
    #[serde(deserialize_with = "crate::text::num_or_text")]
    pub inherent_likelihood: Option<String>,
    #[serde(deserialize_with = "crate::text::num_or_text")]
    pub inherent_impact: Option<String>,
    pub existing_controls: Option<String>,
    pub treatment: Option<String>,
    pub treatment_rationale: Option<String>,
    /// Annex A ids ("5.15, 8.5").
    pub control_ids: Option<String>,
    pub applied_control_ids: Vec<String>,
    #[serde(deserialize_with = "crate::text::num_or_text")]
    pub residual_likelihood: Option<String>,
    #[serde(deserialize_with = "crate::text::num_or_text")]
    pub residual_impact: Option<String>,
    pub status: Option<String>,
    pub next_review: Option<String>,
}

/// A valid risk, before it is checked against the methodology and the
/// organisation's records (done where those are known).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskInput {
    pub title: String,
    pub description: Option<String>,
    pub asset_ids: Vec<String>,
    /// Why the risk concerns no asset; only kept while it has none.
    #[serde(default)]
    pub no_asset_reason: Option<String>,
    pub threat: Option<String>,
    pub vulnerability: Option<String>,
    pub affects_c: bool,
    pub affects_i: bool,
    pub affects_a: bool,
    pub owner_id: Option<UserId>,
    pub inherent: Option<Score>,
    pub existing_controls: Option<String>,
    pub treatment: Option<Treatment>,
    pub treatment_rationale: Option<String>,
    pub control_ids: Vec<String>,
    pub applied_control_ids: Vec<String>,
    pub residual: Option<Score>,
    pub status: RiskStatus,
    pub next_review: Option<String>,
}

fn flag(e: &mut FieldErrors, field: &'static str, v: Option<&str>) -> bool {
    match v.map(str::trim) {
        None | Some("") | Some("false") | Some("off") | Some("0") => false,
        Some("true") | Some("on") | Some("1") => true,
        Some(_) => {
            e.add(field, "error.unknown_value");
            false
        }
    }
}

fn level_number(e: &mut FieldErrors, field: &'static str, v: Option<&str>) -> Option<u8> {
    match v.map(str::trim) {
        None | Some("") => None,
        Some(s) => match s.parse::<u8>() {
            Ok(n) if (1..=MAX_SCALE as u8).contains(&n) => Some(n),
            _ => {
                e.add(field, "error.risk_score_range");
                None
            }
        },
    }
}

fn pair(
    e: &mut FieldErrors,
    (lf, lv): (&'static str, Option<&str>),
    (imf, iv): (&'static str, Option<&str>),
) -> Option<Score> {
    let l = level_number(e, lf, lv);
    let i = level_number(e, imf, iv);
    match (l, i) {
        (Some(likelihood), Some(impact)) => Some(Score { likelihood, impact }),
        (Some(_), None) if e.for_field(imf).is_none() => {
            e.add(imf, "error.risk_score_pair");
            None
        }
        (None, Some(_)) if e.for_field(lf).is_none() => {
            e.add(lf, "error.risk_score_pair");
            None
        }
        _ => None,
    }
}

/// Annex A ids from text separated by commas, semicolons or spaces.
pub fn parse_control_ids(e: &mut FieldErrors, field: &'static str, v: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in v.unwrap_or("").split([',', ' ', ';', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
        let id = id.trim_start_matches(['A', 'a', '.']).to_string();
        if crate::catalog::control(&id).is_none() {
            if e.for_field(field).is_none() {
                e.add(field, "error.unknown_control");
            }
        } else if !out.contains(&id) {
            out.push(id);
        }
    }
    out.sort_by_key(|id| crate::catalog::control(id).map(|c| c.order()));
    out
}

/// Distinct UUIDs in text order (so that stored and submitted lists compare equal).
fn uuid_list(e: &mut FieldErrors, field: &'static str, key: &'static str, v: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match uuid::Uuid::parse_str(s) {
            Ok(u) => {
                let s = u.to_string();
                if !out.contains(&s) {
                    out.push(s);
                }
            }
            Err(_) => {
                if e.for_field(field).is_none() {
                    e.add(field, key);
                }
            }
        }
    }
    out.sort();
    out
}

impl RiskForm {
    pub fn parse(&self) -> Result<RiskInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = text::required(&mut e, "title", self.title.as_deref(), SHORT);
        let description = text::optional(&mut e, "description", self.description.as_deref(), LONG);
        let asset_ids = uuid_list(&mut e, "asset_ids", "error.unknown_asset", &self.asset_ids);
        let no_asset_reason = text::optional(&mut e, "no_asset_reason", self.no_asset_reason.as_deref(), LONG)
            .filter(|_| asset_ids.is_empty());
        let threat = text::optional(&mut e, "threat", self.threat.as_deref(), SHORT);
        let vulnerability = text::optional(&mut e, "vulnerability", self.vulnerability.as_deref(), LONG);
        let affects_c = flag(&mut e, "affects_c", self.affects_c.as_deref());
        let affects_i = flag(&mut e, "affects_i", self.affects_i.as_deref());
        let affects_a = flag(&mut e, "affects_a", self.affects_a.as_deref());
        let owner_id = crate::context::owner(&mut e, self.owner_id.as_deref());
        let inherent = pair(
            &mut e,
            ("inherent_likelihood", self.inherent_likelihood.as_deref()),
            ("inherent_impact", self.inherent_impact.as_deref()),
        );
        let existing_controls = text::optional(&mut e, "existing_controls", self.existing_controls.as_deref(), LONG);
        let treatment = match self.treatment.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => {
                let t = Treatment::parse(s);
                if t.is_none() {
                    e.add("treatment", "error.unknown_value");
                }
                t
            }
        };
        let treatment_rationale =
            text::optional(&mut e, "treatment_rationale", self.treatment_rationale.as_deref(), LONG);
        let control_ids = parse_control_ids(&mut e, "control_ids", self.control_ids.as_deref());
        let applied_control_ids =
            uuid_list(&mut e, "applied_control_ids", "error.unknown_applied_control", &self.applied_control_ids);
        let residual = pair(
            &mut e,
            ("residual_likelihood", self.residual_likelihood.as_deref()),
            ("residual_impact", self.residual_impact.as_deref()),
        );
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") => Some(RiskStatus::Identified),
            Some(s) => {
                let st = RiskStatus::parse(s);
                if st.is_none() {
                    e.add("status", "error.unknown_value");
                }
                st
            }
        };
        let next_review = text::optional_date(&mut e, "next_review", self.next_review.as_deref());
        if residual.is_some() && inherent.is_none() && e.for_field("inherent_likelihood").is_none() {
            e.add("inherent_likelihood", "error.risk_residual_needs_inherent");
        }
        if matches!(treatment, Some(Treatment::Accept | Treatment::Transfer | Treatment::Avoid))
            && treatment_rationale.is_none()
        {
            e.add("treatment_rationale", "error.risk_rationale_required");
        }
        if treatment == Some(Treatment::Mitigate) && control_ids.is_empty() && applied_control_ids.is_empty() {
            e.add("control_ids", "error.risk_mitigate_needs_controls");
        }
        // Assessed (or further): someone owns it, it is scored, and it says
        // which of confidentiality, integrity and availability it threatens.
        if matches!(status, Some(RiskStatus::Assessed | RiskStatus::InTreatment | RiskStatus::Monitored)) {
            if owner_id.is_none() && e.for_field("owner_id").is_none() {
                e.add("owner_id", "error.risk_assessed_needs_owner");
            }
            if inherent.is_none() && e.for_field("inherent_likelihood").is_none() {
                e.add("inherent_likelihood", "error.risk_assessed_needs_score");
            }
            if !(affects_c || affects_i || affects_a) {
                e.add("affects_c", "error.risk_assessed_needs_cia");
            }
            // ... and what it concerns: an asset, or why none.
            if asset_ids.is_empty() && no_asset_reason.is_none() && e.for_field("asset_ids").is_none() {
                e.add("asset_ids", "error.risk_assessed_needs_asset");
            }
        }
        match status {
            Some(status) => e.finish(RiskInput {
                title,
                description,
                asset_ids,
                no_asset_reason,
                threat,
                vulnerability,
                affects_c,
                affects_i,
                affects_a,
                owner_id,
                inherent,
                existing_controls,
                treatment,
                treatment_rationale,
                control_ids,
                applied_control_ids,
                residual,
                status,
                next_review,
            }),
            None => Err(e),
        }
    }
}

impl RiskInput {
    /// Checks the scores against the methodology's scales.
    pub fn check_scores(&self, m: &Methodology) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        for (s, lf, imf) in [
            (self.inherent, "inherent_likelihood", "inherent_impact"),
            (self.residual, "residual_likelihood", "residual_impact"),
        ] {
            if let Some(s) = s {
                if usize::from(s.likelihood) > m.likelihood.len() {
                    e.add(lf, "error.risk_score_range");
                }
                if usize::from(s.impact) > m.impact.len() {
                    e.add(imf, "error.risk_score_range");
                }
            }
        }
        // Treatment that leaves the risk higher than it was needs a reason.
        if e.is_empty()
            && let (Some(i), Some(r)) = self.levels(m)
            && r > i
            && self.treatment_rationale.is_none()
        {
            e.add("residual_likelihood", "error.risk_residual_above_inherent");
        }
        e.finish(())
    }

    /// The levels under `m`: (inherent, residual).
    pub fn levels(&self, m: &Methodology) -> (Option<u8>, Option<u8>) {
        let lv = |s: Option<Score>| s.and_then(|s| m.score(s.likelihood, s.impact));
        (lv(self.inherent), lv(self.residual))
    }

    /// The level whose acceptance rule applies: residual when scored,
    /// otherwise inherent.
    pub fn acceptance_level(&self, m: &Methodology) -> Option<u8> {
        let (i, r) = self.levels(m);
        r.or(i)
    }

    /// Whether this risk is treated by controls (mitigation with controls):
    /// its Annex A controls give the SoA the reason "risk treatment".
    pub fn treats_with_controls(&self) -> bool {
        self.treatment == Some(Treatment::Mitigate)
    }
}

/// What an acceptance was given for. When a risk's current basis differs
/// from the accepted one, the acceptance is outdated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptanceBasis {
    pub methodology_version: i64,
    pub inherent: Option<Score>,
    pub residual: Option<Score>,
    pub level: Option<u8>,
    pub treatment: Option<Treatment>,
    pub control_ids: Vec<String>,
    pub applied_control_ids: Vec<String>,
}

impl AcceptanceBasis {
    pub fn of(r: &RiskInput, m: &Methodology, version: i64) -> AcceptanceBasis {
        AcceptanceBasis {
            methodology_version: version,
            inherent: r.inherent,
            residual: r.residual,
            level: r.acceptance_level(m),
            treatment: r.treatment,
            control_ids: r.control_ids.clone(),
            applied_control_ids: r.applied_control_ids.clone(),
        }
    }
}

/// Why an actor may not accept a risk: a locale key, shown as is.
pub fn may_accept(
    m: &Methodology,
    r: &RiskInput,
    actor: Option<UserId>,
    actor_is_top_management: bool,
) -> Result<AcceptBy, &'static str> {
    if r.inherent.is_none() {
        return Err("error.risk_accept_unscored");
    }
    if r.treatment.is_none() {
        return Err("error.risk_accept_no_treatment");
    }
    let Some(level) = r.acceptance_level(m) else { return Err("error.risk_accept_unscored") };
    let rule = m.accept_by(level);
    match rule {
        AcceptBy::Nobody => Err("error.risk_accept_nobody"),
        AcceptBy::TopManagement if !actor_is_top_management => Err("error.risk_accept_top_management"),
        AcceptBy::Owner if !(actor_is_top_management || actor.is_some() && actor == r.owner_id) => {
            Err("error.risk_accept_owner")
        }
        _ => Ok(rule),
    }
}

/// A stored risk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Risk {
    pub id: crate::ids::RiskId,
    /// Per organisation, from 1; shown as R-001.
    pub number: i64,
    #[serde(flatten)]
    pub data: RiskInput,
    pub methodology_version: i64,
    pub inherent_level: Option<u8>,
    pub residual_level: Option<u8>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl Risk {
    pub fn reference(&self) -> String {
        reference(self.number)
    }
    /// The level that counts now: residual where scored, else inherent.
    pub fn current_level(&self) -> Option<u8> {
        self.residual_level.or(self.inherent_level)
    }
    /// A review date before `today` (YYYY-MM-DD) on a risk still open.
    pub fn review_overdue(&self, today: &str) -> bool {
        self.data.status != RiskStatus::Closed && self.data.next_review.as_deref().is_some_and(|d| d < today)
    }
}

pub fn reference(number: i64) -> String {
    format!("R-{number:03}")
}

/// A recorded acceptance: immutable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    pub id: crate::ids::AcceptanceId,
    pub risk_id: crate::ids::RiskId,
    pub accepted_by: Option<UserId>,
    pub accepted_by_label: String,
    /// The rule it was given under: the owner, or top management.
    pub accepted_as: AcceptBy,
    pub comment: Option<String>,
    pub basis: AcceptanceBasis,
    pub accepted_at: String,
    /// The last day it holds (YYYY-MM-DD); after it the risk comes back to be
    /// accepted again. None: until the risk changes.
    #[serde(default)]
    pub expires_on: Option<String>,
}

impl Acceptance {
    /// Whether it has expired on `today` (YYYY-MM-DD).
    pub fn expired(&self, today: &str) -> bool {
        self.expires_on.as_deref().is_some_and(|d| d < today)
    }
}

/// The expiry date of a new acceptance: optional, a date, not in the past.
pub fn acceptance_expiry(raw: Option<&str>, today: &str) -> Result<Option<String>, FieldErrors> {
    let mut e = FieldErrors::default();
    let d = text::optional_date(&mut e, "expires_on", raw);
    if d.as_deref().is_some_and(|d| d < today) {
        e.add("expires_on", "error.acceptance_expiry_past");
    }
    e.finish(d)
}

/// A methodology version with who made it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MethodologyVersion {
    pub version: i64,
    pub note: Option<String>,
    pub created_by_label: String,
    pub created_at: String,
    /// Top management's approval, once given.
    pub approval: Option<Approval>,
    pub methodology: Methodology,
}

/// Who approved a version, when, and what they said.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Approval {
    pub at: String,
    pub by_label: String,
    pub comment: Option<String>,
}

/// Which risks a list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RiskFilter {
    pub q: Option<String>,
    pub archived: crate::context::ArchiveFilter,
    /// Current level (residual where scored, else inherent).
    pub level: Option<u8>,
    pub owner: Option<UserId>,
    pub asset: Option<crate::ids::AssetId>,
    /// Only risks treated with this applied control (its id).
    pub applied_control: Option<crate::register::RecordId>,
    /// Only risks from this threat: a catalogue code or an own threat's id.
    pub threat: Option<String>,
    pub treatment: Option<Treatment>,
    pub status: Option<RiskStatus>,
    pub affects: Option<char>,
    /// Only risks whose review date is before this day.
    pub overdue_before: Option<String>,
    pub inherent_cell: Option<Score>,
    pub residual_cell: Option<Score>,
    /// Only risks without an acceptance that still holds: never accepted, or
    /// outdated by a change or an end date now past (decided by the
    /// application, which compares each acceptance's basis; the store
    /// ignores it).
    pub unaccepted: bool,
    /// Only risks scored with this methodology version (heat-map cells, and
    /// the level filter, whose level numbers mean something in one version).
    pub methodology_version: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn risk() -> RiskForm {
        RiskForm {
            title: Some("Ransomware encrypts the file server".into()),
            inherent_likelihood: Some("4".into()),
            inherent_impact: Some("5".into()),
            treatment: Some("mitigate".into()),
            control_ids: Some("8.7, A.8.13".into()),
            residual_likelihood: Some("2".into()),
            residual_impact: Some("4".into()),
            ..Default::default()
        }
    }

    #[test]
    fn the_default_methodology_is_valid_and_scores_like_its_matrix() {
        let m = Methodology::default_5x5().validated().unwrap();
        assert_eq!(m.score(1, 1), Some(0));
        assert_eq!(m.score(5, 5), Some(3));
        assert_eq!(m.score(4, 5), Some(3));
        assert_eq!(m.score(2, 4), Some(1));
        assert_eq!(m.score(0, 1), None);
        assert_eq!(m.score(6, 1), None);
        assert_eq!(m.accept_by(2), AcceptBy::TopManagement);
    }

    #[test]
    fn a_methodology_with_problems_reports_each() {
        // Sizes are checked first, and alone (nothing is built for an oversized input).
        let mut m = Methodology::default_5x5();
        m.likelihood.truncate(2);
        m.impact = vec![m.impact[0].clone(); 5000];
        let e = m.validated().unwrap_err();
        assert_eq!(e.for_field("likelihood"), Some("error.risk_scale_size"));
        assert_eq!(e.for_field("impact"), Some("error.risk_scale_size"));
        let mut m = Methodology::default_5x5();
        m.levels[0].colour = "green".into();
        m.levels[1].name.en = " ".into();
        m.areas.push(m.areas[0].clone());
        m.review_months = 0;
        m.matrix.pop();
        let e = m.validated().unwrap_err();
        assert_eq!(e.for_field("levels"), Some("error.risk_label_both"));
        assert_eq!(e.for_field("areas"), Some("error.risk_area_duplicate"));
        assert_eq!(e.for_field("matrix"), Some("error.risk_matrix_shape"));
        assert_eq!(e.for_field("review_months"), Some("error.risk_review_months"));
        let mut m = Methodology::default_5x5();
        m.matrix[4][4] = 0;
        assert_eq!(m.validated().unwrap_err().for_field("matrix"), Some("error.risk_matrix_monotonic"));
        m.matrix[4][4] = 9;
        assert_eq!(m.validated().unwrap_err().for_field("matrix"), Some("error.risk_matrix_level"));
    }

    #[test]
    fn a_product_matrix_is_monotonic_and_in_range() {
        for l in MIN_SCALE..=MAX_SCALE {
            for i in MIN_SCALE..=MAX_SCALE {
                for n in 2..=MAX_LEVELS {
                    let mx = Methodology::product_matrix(l, i, n);
                    let mut m = Methodology::default_5x5();
                    m.matrix = mx;
                    assert!(m.is_monotonic(), "{l}x{i}/{n}");
                    assert!(m.matrix.iter().flatten().all(|v| usize::from(*v) < n));
                    assert_eq!(m.matrix[0][0], 0);
                    assert_eq!(usize::from(m.matrix[l - 1][i - 1]), n - 1);
                }
            }
        }
    }

    #[test]
    fn a_risk_parses_and_scores() {
        let r = risk().parse().unwrap();
        assert_eq!(r.control_ids, ["8.7", "8.13"]);
        let m = Methodology::default_5x5();
        // inherent 4 × 5 = 20: very high; residual 2 × 4 = 8: medium
        assert_eq!(r.levels(&m), (Some(3), Some(1)));
        assert_eq!(r.acceptance_level(&m), Some(1));
        assert!(r.check_scores(&m).is_ok());
    }

    #[test]
    fn risk_rules() {
        let f = RiskForm { residual_impact: None, ..risk() };
        assert_eq!(f.parse().unwrap_err().for_field("residual_impact"), Some("error.risk_score_pair"));
        let f = RiskForm { inherent_likelihood: None, inherent_impact: None, ..risk() };
        assert_eq!(f.parse().unwrap_err().for_field("inherent_likelihood"), Some("error.risk_residual_needs_inherent"));
        let f = RiskForm { treatment: Some("accept".into()), ..risk() };
        assert_eq!(f.parse().unwrap_err().for_field("treatment_rationale"), Some("error.risk_rationale_required"));
        let f = RiskForm { control_ids: None, ..risk() };
        assert_eq!(f.parse().unwrap_err().for_field("control_ids"), Some("error.risk_mitigate_needs_controls"));
        let f = RiskForm { inherent_likelihood: Some("11".into()), control_ids: Some("9.9".into()), ..risk() };
        let e = f.parse().unwrap_err();
        assert_eq!(e.for_field("inherent_likelihood"), Some("error.risk_score_range"));
        assert_eq!(e.for_field("control_ids"), Some("error.unknown_control"));
        let mut m = Methodology::default_5x5();
        m.impact.truncate(4);
        assert_eq!(
            risk().parse().unwrap().check_scores(&m).unwrap_err().for_field("inherent_impact"),
            Some("error.risk_score_range")
        );
    }

    #[test]
    fn an_assessed_risk_has_an_owner_a_score_and_what_it_threatens() {
        let f = RiskForm { status: Some("assessed".into()), ..risk() };
        let e = f.parse().unwrap_err();
        assert_eq!(e.for_field("owner_id"), Some("error.risk_assessed_needs_owner"));
        assert_eq!(e.for_field("affects_c"), Some("error.risk_assessed_needs_cia"));
        let f = RiskForm {
            status: Some("in_treatment".into()),
            inherent_likelihood: None,
            inherent_impact: None,
            residual_likelihood: None,
            residual_impact: None,
            owner_id: Some("7f8f5b44-63a3-4d0b-9a5e-5d6a8c1b2f10".into()),
            affects_i: Some("on".into()),
            ..risk()
        };
        assert_eq!(f.parse().unwrap_err().for_field("inherent_likelihood"), Some("error.risk_assessed_needs_score"));
        let f = RiskForm {
            status: Some("monitored".into()),
            owner_id: Some("7f8f5b44-63a3-4d0b-9a5e-5d6a8c1b2f10".into()),
            affects_a: Some("on".into()),
            ..risk()
        };
        // It concerns an asset, or says why none.
        assert_eq!(f.parse().unwrap_err().for_field("asset_ids"), Some("error.risk_assessed_needs_asset"));
        let why = RiskForm { no_asset_reason: Some("Organisatiebreed: raakt elk proces.".into()), ..f.clone() };
        assert_eq!(why.parse().unwrap().no_asset_reason.as_deref(), Some("Organisatiebreed: raakt elk proces."));
        let with_asset = RiskForm { asset_ids: vec!["0190a1b2-0000-7000-8000-000000000001".into()], ..why.clone() };
        assert_eq!(with_asset.parse().unwrap().no_asset_reason, None, "a reason is kept only while there is no asset");
        assert!(RiskForm { status: Some("identified".into()), ..risk() }.parse().is_ok(), "identified: not yet");
    }

    #[test]
    fn a_residual_risk_above_the_inherent_one_needs_a_reason() {
        let m = Methodology::default_5x5();
        // inherent 2 × 2 (low), residual 4 × 5 (very high)
        let f = RiskForm {
            inherent_likelihood: Some("2".into()),
            inherent_impact: Some("2".into()),
            residual_likelihood: Some("4".into()),
            residual_impact: Some("5".into()),
            ..risk()
        };
        let r = f.clone().parse().unwrap();
        assert_eq!(
            r.check_scores(&m).unwrap_err().for_field("residual_likelihood"),
            Some("error.risk_residual_above_inherent")
        );
        let r = RiskForm { treatment_rationale: Some("Supplier change raises exposure".into()), ..f }.parse().unwrap();
        assert!(r.check_scores(&m).is_ok());
        assert!(risk().parse().unwrap().check_scores(&m).is_ok(), "lower residual: no reason needed");
    }

    #[test]
    fn who_may_accept() {
        let m = Methodology::default_5x5();
        let owner = UserId::new();
        let other = UserId::new();
        let mut r = risk().parse().unwrap();
        r.owner_id = Some(owner);
        // residual 2x4 = level 1 (medium): the owner may accept, another user not
        r.residual = Some(Score { likelihood: 2, impact: 4 });
        assert_eq!(may_accept(&m, &r, Some(owner), false), Ok(AcceptBy::Owner));
        assert_eq!(may_accept(&m, &r, Some(other), false), Err("error.risk_accept_owner"));
        // residual high: only top management
        r.residual = Some(Score { likelihood: 3, impact: 4 });
        assert_eq!(may_accept(&m, &r, Some(owner), false), Err("error.risk_accept_top_management"));
        assert_eq!(may_accept(&m, &r, Some(other), true), Ok(AcceptBy::TopManagement));
        // very high: nobody
        r.residual = Some(Score { likelihood: 5, impact: 5 });
        assert_eq!(may_accept(&m, &r, Some(owner), true), Err("error.risk_accept_nobody"));
        r.inherent = None;
        r.residual = None;
        assert_eq!(may_accept(&m, &r, Some(owner), true), Err("error.risk_accept_unscored"));
    }

    /// A tiny deterministic generator, so the property below needs no crate.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }
    }

    #[test]
    fn scoring_is_a_pure_lookup_over_random_scales_and_matrices() {
        let mut g = Lcg(27001);
        for _ in 0..500 {
            let nl = MIN_SCALE + g.next(MAX_SCALE - MIN_SCALE + 1);
            let ni = MIN_SCALE + g.next(MAX_SCALE - MIN_SCALE + 1);
            let nlev = 2 + g.next(MAX_LEVELS - 1);
            let mut m = Methodology::default_5x5();
            m.likelihood = (0..nl).map(|_| m.likelihood[0].clone()).collect();
            m.impact = (0..ni).map(|_| m.impact[0].clone()).collect();
            m.levels = (0..nlev).map(|_| m.levels[0].clone()).collect();
            m.matrix = (0..nl).map(|_| (0..ni).map(|_| g.next(nlev) as u8).collect()).collect();
            let copy: Methodology = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
            for l in 0..=nl as u8 + 1 {
                for i in 0..=ni as u8 + 1 {
                    let s = m.score(l, i);
                    // the same inputs under the stored-and-reloaded version give the same level
                    assert_eq!(s, copy.score(l, i));
                    let inside = (1..=nl as u8).contains(&l) && (1..=ni as u8).contains(&i);
                    assert_eq!(s.is_some(), inside);
                    if let Some(v) = s {
                        assert_eq!(v, m.matrix[usize::from(l) - 1][usize::from(i) - 1]);
                    }
                }
            }
            // the validator accepts exactly the monotonic ones (all else is valid)
            assert_eq!(m.validated().is_ok(), m.is_monotonic());
        }
    }
}

/// One difference between two methodology versions, as the user reads it:
/// what changed, the old value and the new one ("—" where there was none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MethodChange {
    pub what: String,
    pub old: String,
    pub new: String,
}

/// What changed from methodology `a` to `b` (6.1.2: the risk criteria an
/// auditor compares between versions): the scales' levels, the risk levels
/// and who may accept them, every matrix cell whose level changed, the impact
/// areas and their criteria, and the review interval. Empty when equal.
pub fn methodology_changes(l: Lang, a: &Methodology, b: &Methodology) -> Vec<MethodChange> {
    use crate::i18n::{t, tf};
    let mut out = Vec::new();
    let mut add = |what: String, old: String, new: String| {
        if old != new {
            out.push(MethodChange { what, old, new });
        }
    };
    let dash = || "—".to_string();
    let bi = |x: Option<&Bi>| x.map(|x| x.get(l).to_string()).unwrap_or_else(dash);
    for (name, sa, sb) in
        [(t(l, "risk.likelihood"), &a.likelihood, &b.likelihood), (t(l, "risk.impact"), &a.impact, &b.impact)]
    {
        add(tf(l, "method.change_scale_size", &[("scale", name)]), sa.len().to_string(), sb.len().to_string());
        for n in 0..sa.len().max(sb.len()) {
            let (x, y) = (sa.get(n), sb.get(n));
            let k = (n + 1).to_string();
            add(
                tf(l, "method.change_label", &[("scale", name), ("n", &k)]),
                bi(x.map(|s| &s.label)),
                bi(y.map(|s| &s.label)),
            );
            add(
                tf(l, "method.change_description", &[("scale", name), ("n", &k)]),
                bi(x.map(|s| &s.description)),
                bi(y.map(|s| &s.description)),
            );
        }
    }
    add(t(l, "method.change_levels").to_string(), a.levels.len().to_string(), b.levels.len().to_string());
    for n in 0..a.levels.len().max(b.levels.len()) {
        let (x, y) = (a.levels.get(n), b.levels.get(n));
        let k = (n + 1).to_string();
        add(tf(l, "method.change_level_name", &[("n", &k)]), bi(x.map(|v| &v.name)), bi(y.map(|v| &v.name)));
        let accept = |v: Option<&RiskLevel>| v.map(|v| t(l, v.accept_by.label_key()).to_string()).unwrap_or_else(dash);
        add(tf(l, "method.change_level_accept", &[("n", &k)]), accept(x), accept(y));
        let colour = |v: Option<&RiskLevel>| v.map(|v| v.colour.clone()).unwrap_or_else(dash);
        add(tf(l, "method.change_level_colour", &[("n", &k)]), colour(x), colour(y));
    }
    // A cell counts when it exists in both (the size of a scale is its own
    // change) and resolves to another level (a renamed level is its own change).
    let index = |m: &Methodology, li: usize, ii: usize| m.matrix.get(li).and_then(|r| r.get(ii)).copied();
    let level_of = |m: &Methodology, li: usize, ii: usize| {
        index(m, li, ii).and_then(|v| m.levels.get(v as usize)).map(|v| v.name.get(l).to_string())
    };
    for li in 0..a.likelihood.len().min(b.likelihood.len()) {
        for ii in 0..a.impact.len().min(b.impact.len()) {
            let (x, y) = (level_of(a, li, ii), level_of(b, li, ii));
            if index(a, li, ii) != index(b, li, ii) {
                let (lk, ik) = ((li + 1).to_string(), (ii + 1).to_string());
                add(
                    tf(l, "method.change_cell", &[("l", &lk), ("i", &ik)]),
                    x.unwrap_or_else(dash),
                    y.unwrap_or_else(dash),
                );
            }
        }
    }
    for area in a.areas.iter().chain(b.areas.iter().filter(|x| !a.areas.iter().any(|y| y.code == x.code))) {
        let (x, y) = (a.areas.iter().find(|v| v.code == area.code), b.areas.iter().find(|v| v.code == area.code));
        let name = area.name.get(l);
        add(tf(l, "method.change_area", &[("area", name)]), bi(x.map(|v| &v.name)), bi(y.map(|v| &v.name)));
        let cx = x.map(|v| v.criteria.as_slice()).unwrap_or(&[]);
        let cy = y.map(|v| v.criteria.as_slice()).unwrap_or(&[]);
        for n in 0..cx.len().max(cy.len()) {
            let k = (n + 1).to_string();
            add(tf(l, "method.change_criterion", &[("area", name), ("n", &k)]), bi(cx.get(n)), bi(cy.get(n)));
        }
    }
    add(t(l, "method.change_review").to_string(), a.review_months.to_string(), b.review_months.to_string());
    out
}

#[cfg(test)]
mod change_tests {
    use super::*;

    #[test]
    fn a_methodology_compares_by_what_an_auditor_checks() {
        let a = Methodology::default_5x5();
        assert!(methodology_changes(Lang::En, &a, &a).is_empty(), "equal: nothing changed");
        let mut b = a.clone();
        b.review_months = 6;
        b.levels[2].accept_by = AcceptBy::Nobody;
        b.likelihood.pop();
        b.matrix.pop();
        b.matrix[0][0] = 1;
        b.areas.retain(|x| x.code != "legal");
        b.areas[0].criteria[4] = Bi::new("Alles op straat.", "Everything made public.");
        let c = methodology_changes(Lang::En, &a, &b);
        let find = |what: &str| c.iter().find(|x| x.what == what).map(|x| (x.old.as_str(), x.new.as_str()));
        assert_eq!(find("Review interval (months)"), Some(("12", "6")));
        assert_eq!(find("Likelihood: number of levels"), Some(("5", "4")));
        assert_eq!(find("Likelihood 5: label"), Some(("Almost certain", "—")));
        assert_eq!(
            find("Risk level 3: who may accept"),
            Some(("only top management may accept", "may not be accepted: treat further"))
        );
        assert_eq!(find("Matrix: likelihood 1 × impact 1"), Some(("Low", "Medium")));
        assert_eq!(find("Impact area Legal"), Some(("Legal", "—")));
        assert_eq!(
            find("Impact area Confidentiality, impact 5"),
            Some(("Large-scale breach or trade secrets made public.", "Everything made public."))
        );
        // Only the cell that changed, of the 4 × 5 both have.
        assert_eq!(c.iter().filter(|x| x.what.starts_with("Matrix")).count(), 1, "{c:?}");
        // Legal's five criteria go with it.
        assert_eq!(c.iter().filter(|x| x.what.starts_with("Impact area Legal, impact")).count(), 5, "{c:?}");
        assert_eq!(c.len(), 13, "{c:?}");
        // A renamed level is one change, not one per cell.
        let mut r = a.clone();
        r.levels[0].name = Bi::new("Gering", "Slight");
        assert_eq!(methodology_changes(Lang::En, &a, &r).len(), 1);
        // In Dutch, in the practitioners' words.
        let nl = methodology_changes(Lang::Nl, &a, &b);
        assert!(nl.iter().any(|x| x.what == "Herbeoordelingstermijn (maanden)" && x.new == "6"), "{nl:?}");
    }
}
