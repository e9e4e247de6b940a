//! 6.2 on an objective's page: its measured values drawn against its target
//! (the geometry is `borgen_core::chart`), and 7.1 on the resources list:
//! the totals per year and whether each year is approved.

use crate::register::{Held, number};
use borgen_core::i18n::{Lang, t, tf};
use borgen_core::register::{Register, Values};
use maud::{Markup, html};

const W: f64 = 600.0;
const H: f64 = 200.0;
const PAD: f64 = 24.0;

/// The chart of an objective's measured values (its children of
/// `objective_progress` that are current) against its target.
pub fn chart(l: Lang, reg: &Register, h: &Held) -> Markup {
    let v = Values { reg, values: &h.rec.values };
    let target = v.text("target").and_then(|s| s.parse::<f64>().ok());
    let unit = v.text("unit").unwrap_or("");
    let mut values: Vec<(String, f64, String)> = Vec::new();
    for kids in h.children.iter().filter(|k| k.reg.key == "objective_progress") {
        for k in kids.items.iter().filter(|k| !k.rec.archived) {
            let kv = Values { reg: kids.reg, values: &k.rec.values };
            if let (Some(d), Some(x)) = (kv.text("date"), kv.text("value")) {
                values.push((d.to_string(), x.parse().unwrap_or(0.0), x.to_string()));
            }
        }
    }
    values.sort_by(|a, b| a.0.cmp(&b.0));
    let pairs: Vec<(String, f64)> = values.iter().map(|(d, x, _)| (d.clone(), *x)).collect();
    let p = borgen_core::chart::plot(&pairs, target, W, H, PAD);
    let line: Vec<String> = p.points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    let title = reg.title_of(&h.rec);
    let direction =
        v.text("direction").map(|d| t(l, &format!("objectives.direction.{d}")).to_string()).unwrap_or_default();
    let target_text = v.text("target").map(|s| {
        tf(l, "objectives.chart_target", &[("direction", &direction), ("target", &format!("{} {unit}", number(l, s)))])
    });
    html! {
        section #chart {
            h2 { (t(l, "objectives.chart")) }
            @if values.is_empty() {
                p.empty { (t(l, "objectives.chart_empty")) }
            } @else {
                @let (last_date, _, last) = &values[values.len() - 1];
                p { (tf(l, "objectives.latest", &[("value", &format!("{} {unit}", number(l, last))), ("date", &crate::register::date(l, last_date))])) }
                figure.chart {
                    svg viewBox={"0 0 " (W) " " (H)} width="100%" role="img" aria-label=(tf(l, "objectives.chart_label", &[("title", title)])) {
                        rect.plot-area x=(PAD) y=(PAD) width=(W - 2.0 * PAD) height=(H - 2.0 * PAD) fill="#f6f8fa" {}
                        text x="2" y=(PAD - 6.0) font-size="11" fill="#555" { (number(l, &format!("{:.2}", p.high))) }
                        text x="2" y=(H - 6.0) font-size="11" fill="#555" { (number(l, &format!("{:.2}", p.low))) }
                        @if let (Some(y), Some(tt)) = (p.target, &target_text) {
                            line.target x1=(PAD) x2=(W - PAD) y1=(format!("{y:.1}")) y2=(format!("{y:.1}")) stroke="#b45309" stroke-dasharray="6 4" stroke-width="2" {}
                            text x=(W - PAD) y=(format!("{:.1}", y - 4.0)) text-anchor="end" font-size="12" fill="#b45309" { (tt) }
                        }
                        polyline.values points=(line.join(" ")) fill="none" stroke="#1d4ed8" stroke-width="2" {}
                        @for ((x, y), (d, _, shown)) in p.points.iter().zip(&values) {
                            circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="4" fill="#1d4ed8" {
                                title { (crate::register::date(l, d)) ": " (number(l, shown)) " " (unit) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The resources per year, newest first: the budget and FTE added up, and
/// how many lines top management has not approved yet.
pub fn totals(l: Lang, reg: &Register, items: &[Held]) -> Markup {
    let units = |s: Option<&str>| {
        s.and_then(|s| borgen_core::register::number(s, 2))
            .map(|s| s.replace('.', ""))
            .and_then(|s| s.parse::<i64>().ok())
    };
    let mut years: std::collections::BTreeMap<String, (i64, i64, usize)> = Default::default();
    for h in items.iter().filter(|h| !h.rec.archived) {
        let v = Values { reg, values: &h.rec.values };
        let e = years.entry(v.text("year").unwrap_or("").to_string()).or_default();
        e.0 += units(v.text("amount")).unwrap_or(0);
        e.1 += units(v.text("fte")).unwrap_or(0);
        if v.text("approved_on").is_none() {
            e.2 += 1;
        }
    }
    let shown = |cents: i64| {
        let s = format!("{}{}.{:02}", if cents < 0 { "-" } else { "" }, cents.abs() / 100, cents.abs() % 100);
        number(l, &s)
    };
    html! {
        @if !years.is_empty() {
            section.card #totals {
                h2 { (t(l, "resources.totals")) }
                ul.plain {
                    @for (year, (amount, fte, open)) in years.iter().rev() {
                        li {
                            (tf(l, "resources.year_total", &[("year", year), ("amount", &shown(*amount)), ("fte", &shown(*fte))]))
                            " · "
                            @if *open == 0 { span.ok { (t(l, "resources.year_approved")) } }
                            @else { strong.missing { (tf(l, "resources.year_open", &[("n", &open.to_string())])) } }
                        }
                    }
                }
            }
        }
    }
}
