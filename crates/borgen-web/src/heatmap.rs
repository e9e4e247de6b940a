//! Heat maps of the risk register, drawn as SVG on the server: likelihood up,
//! impact across, each cell coloured by the matrix's level, showing how many
//! risks sit there and linking to the list filtered on that cell.

use borgen_core::Lang;
use borgen_core::i18n::{t, tn};
use borgen_core::risk::Methodology;
use maud::{Markup, html};

const CELL: u32 = 52;
const LEFT: u32 = 34;
const TOP: u32 = 8;
const BOTTOM: u32 = 40;

/// Dark or light text, whichever reads better on `#rrggbb`.
pub fn ink(colour: &str) -> &'static str {
    let c = |i: usize| u8::from_str_radix(colour.get(i..i + 2).unwrap_or("80"), 16).unwrap_or(128) as f64 / 255.0;
    let lin = |v: f64| if v <= 0.039_28 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) };
    let lum = 0.2126 * lin(c(1)) + 0.7152 * lin(c(3)) + 0.0722 * lin(c(5));
    if lum > 0.22 { "#111111" } else { "#ffffff" }
}

/// The heat map of one methodology with counts per (likelihood, impact).
pub fn heatmap(
    l: Lang,
    m: &Methodology,
    counts: &[(u8, u8, i64)],
    caption: &str,
    href: impl Fn(u8, u8) -> String,
) -> Markup {
    let nl = m.likelihood.len() as u32;
    let ni = m.impact.len() as u32;
    let w = LEFT + ni * CELL + 4;
    let h = TOP + nl * CELL + BOTTOM;
    let total: i64 = counts.iter().map(|c| c.2).sum();
    html! {
        figure.heatmap {
            svg xmlns="http://www.w3.org/2000/svg" width=(w) height=(h) viewBox={"0 0 " (w) " " (h)} role="group"
                aria-label=(tn(l, "risk.heatmap_label", total, &[("caption", caption)])) {
                @for li in (1..=nl).rev() {
                    @let y = TOP + (nl - li) * CELL;
                    text.axis x=(LEFT - 8) y=(y + CELL / 2 + 4) text-anchor="end" { (li) }
                    @for ii in 1..=ni {
                        @let x = LEFT + (ii - 1) * CELL;
                        @let level = m.score(li as u8, ii as u8).and_then(|v| m.level(v));
                        @let colour = level.map(|v| v.colour.as_str()).unwrap_or("#cccccc");
                        @let n = counts.iter().find(|c| u32::from(c.0) == li && u32::from(c.1) == ii).map(|c| c.2).unwrap_or(0);
                        @let label = tn(l, "risk.heatmap_cell", n, &[("l", &li.to_string()), ("i", &ii.to_string()), ("level", level.map(|v| v.name.get(l)).unwrap_or(""))]);
                        @if n > 0 {
                            a href=(href(li as u8, ii as u8)) aria-label=(label) {
                                title { (label) }
                                rect x=(x + 1) y=(y + 1) width=(CELL - 2) height=(CELL - 2) rx="3" fill=(colour) {}
                                text.count x=(x + CELL / 2) y=(y + CELL / 2 + 6) text-anchor="middle" fill=(ink(colour)) { (n) }
                            }
                        } @else {
                            g {
                                title { (label) }
                                rect x=(x + 1) y=(y + 1) width=(CELL - 2) height=(CELL - 2) rx="3" fill=(colour) fill-opacity="0.45" {}
                            }
                        }
                    }
                }
                @for ii in 1..=ni {
                    text.axis x=(LEFT + (ii - 1) * CELL + CELL / 2) y=(TOP + nl * CELL + 16) text-anchor="middle" { (ii) }
                }
                text.axis-title x=(LEFT + ni * CELL / 2) y=(h - 6) text-anchor="middle" { (t(l, "risk.impact")) " →" }
                text.axis-title x="10" y=(TOP + nl * CELL / 2) text-anchor="middle" transform={"rotate(-90 10 " (TOP + nl * CELL / 2) ")"} { (t(l, "risk.likelihood")) " →" }
            }
            figcaption { (caption) }
        }
    }
}

/// A small coloured square, drawn as SVG: the Content-Security-Policy allows
/// no inline styles, and an SVG fill is an attribute, not a style.
pub fn swatch(colour: &str) -> Markup {
    html! {
        svg.swatch xmlns="http://www.w3.org/2000/svg" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false" {
            rect x="0.5" y="0.5" width="13" height="13" rx="3" fill=(colour) stroke="currentColor" stroke-opacity="0.3" {}
        }
    }
}

/// A risk level: its colour and its name.
pub fn level_tag(l: Lang, lv: &borgen_core::risk::RiskLevel) -> Markup {
    html! { span.level { (swatch(&lv.colour)) " " (lv.name.get(l)) } }
}

/// The legend of risk levels with who may accept each.
pub fn legend(l: Lang, m: &Methodology) -> Markup {
    html! {
        ul.legend {
            @for lv in &m.levels {
                li {
                    (level_tag(l, lv)) " — " span.muted { (t(l, lv.accept_by.label_key())) }
                }
            }
        }
    }
}

/// A whole number with the thousands separator of the language.
pub fn grouped(l: Lang, v: f64) -> String {
    let digits = format!("{:.0}", v.max(0.0));
    let sep = if l == Lang::Nl { '.' } else { ',' };
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// Euros for a person: "€ 12.500" in Dutch, "€12,500" in English, rounded to
/// three significant figures above 10,000.
pub fn euros(l: Lang, v: f64) -> String {
    let v = if v >= 10_000.0 {
        let mag = 10f64.powi(v.log10().floor() as i32 - 2);
        (v / mag).round() * mag
    } else {
        v.round()
    };
    let out = grouped(l, v);
    if l == Lang::Nl { format!("€ {out}") } else { format!("€{out}") }
}

/// A loss-exceedance curve: annual loss (log scale) across, the chance of
/// exceeding it up. `curve` holds (loss, probability) points.
pub fn loss_curve(l: Lang, curve: &[(f64, f64)], caption: &str) -> Markup {
    const W: f64 = 520.0;
    const H: f64 = 240.0;
    const PL: f64 = 48.0;
    const PB: f64 = 36.0;
    let pts: Vec<&(f64, f64)> = curve.iter().filter(|p| p.0 >= 1.0).collect();
    let (lo, hi) = match (pts.first(), pts.last()) {
        (Some(a), Some(b)) if b.0 > a.0 => (a.0.log10().floor(), b.0.log10().ceil()),
        _ => (0.0, 1.0),
    };
    let x = |v: f64| PL + (v.log10() - lo) / (hi - lo).max(1.0) * (W - PL - 48.0);
    let y = |p: f64| 10.0 + (1.0 - p) * (H - PB - 10.0);
    let path: String = pts
        .iter()
        .enumerate()
        .map(|(i, (v, p))| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { " L" }, x(*v), y(*p)))
        .collect();
    let decades: Vec<f64> = (lo as i32..=hi as i32).map(f64::from).collect();
    html! {
        figure.heatmap.lec {
            svg xmlns="http://www.w3.org/2000/svg" width=(W) height=(H) viewBox={"0 0 " (W) " " (H)} role="img" aria-label=(caption) {
                @for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
                    line x1=(PL) x2=(W - 48.0) y1=(y(p)) y2=(y(p)) stroke="currentColor" stroke-opacity="0.15" {}
                    text.axis x=(PL - 6.0) y=(y(p) + 4.0) text-anchor="end" { (format!("{:.0}%", p * 100.0)) }
                }
                @for d in &decades {
                    @let v = 10f64.powf(*d);
                    line x1=(x(v)) x2=(x(v)) y1="10" y2=(H - PB) stroke="currentColor" stroke-opacity="0.15" {}
                    text.axis x=(x(v)) y=(H - PB + 14.0) text-anchor="middle" { (euros(l, v)) }
                }
                path d=(path) fill="none" stroke="#0f5e6e" stroke-width="2.5" {}
                text.axis-title x=(PL + (W - PL) / 2.0) y=(H - 4.0) text-anchor="middle" { (t(l, "fair.axis_loss")) }
            }
            figcaption { (caption) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_read_naturally_in_both_languages() {
        assert_eq!(euros(Lang::Nl, 1_234_567.0), "€ 1.230.000");
        assert_eq!(euros(Lang::En, 1_234_567.0), "€1,230,000");
        assert_eq!(euros(Lang::En, 950.4), "€950");
        assert_eq!(euros(Lang::Nl, 0.0), "€ 0");
    }

    #[test]
    fn text_contrasts_with_the_cell() {
        assert_eq!(ink("#c62828"), "#ffffff");
        assert_eq!(ink("#ffc107"), "#111111");
        assert_eq!(ink("#4caf50"), "#111111");
    }

    #[test]
    fn cells_link_only_where_there_are_risks() {
        let m = Methodology::default_5x5();
        let svg = heatmap(Lang::En, &m, &[(4, 5, 3)], "Inherent", |l, i| format!("/r?il={l}&ii={i}")).into_string();
        assert_eq!(svg.matches("<a ").count(), 1);
        assert!(svg.contains("/r?il=4&amp;ii=5"));
        assert_eq!(svg.matches("<rect").count(), 25);
    }
}
