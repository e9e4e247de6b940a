//! The geometry of a small line chart: measured values over time against a
//! target (an objective's progress, 6.2). Pure numbers; the page draws them.

/// Where things go in a plot `width` × `height` (SVG units, y down).
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    /// One point per value, in date order: (x, y).
    pub points: Vec<(f64, f64)>,
    /// The target's height, when there is one.
    pub target: Option<f64>,
    /// The lowest and highest value the vertical axis shows.
    pub low: f64,
    pub high: f64,
}

/// Places `values` (date `YYYY-MM-DD`, value) by date and value within
/// `width` × `height` less `pad` on every side: the earliest date left, the
/// latest right (one value in the middle); the axis spans the values and the
/// target, with a tenth of the span added above and below (a flat line gets
/// one unit either side).
pub fn plot(values: &[(String, f64)], target: Option<f64>, width: f64, height: f64, pad: f64) -> Plot {
    let mut v: Vec<(i64, f64)> =
        values.iter().filter_map(|(d, x)| crate::time::parse_date(d).map(|d| (d.to_epoch_days() as i64, *x))).collect();
    v.sort_by_key(|(d, _)| *d);
    let all = v.iter().map(|(_, x)| *x).chain(target);
    let (mut low, mut high) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    if !low.is_finite() {
        (low, high) = (0.0, 1.0);
    }
    let margin = if high > low { (high - low) / 10.0 } else { 1.0 };
    (low, high) = (low - margin, high + margin);
    let (first, last) = (v.first().map_or(0, |p| p.0), v.last().map_or(0, |p| p.0));
    let (w, h) = (width - 2.0 * pad, height - 2.0 * pad);
    let x = |d: i64| if last > first { pad + w * (d - first) as f64 / (last - first) as f64 } else { pad + w / 2.0 };
    let y = |val: f64| pad + h * (high - val) / (high - low);
    Plot { points: v.iter().map(|(d, val)| (x(*d), y(*val))).collect(), target: target.map(y), low, high }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_placed_by_date_and_value() {
        let vals =
            [("2026-03-01".to_string(), 80.0), ("2026-01-01".to_string(), 60.0), ("2026-05-01".to_string(), 90.0)];
        // Values 60–90 and target 100: span 40, axis 56–104; plot 100 × 48 with no padding.
        let p = plot(&vals, Some(100.0), 100.0, 48.0, 0.0);
        assert_eq!((p.low, p.high), (56.0, 104.0));
        // January left, May right; March at 59 of 120 days.
        let xs: Vec<f64> = p.points.iter().map(|(x, _)| (x * 100.0).round() / 100.0).collect();
        assert_eq!(xs, [0.0, 49.17, 100.0]);
        let ys: Vec<f64> = p.points.iter().map(|(_, y)| *y).collect();
        assert_eq!(ys, [44.0, 24.0, 14.0], "60 near the bottom, 90 near the top");
        assert_eq!(p.target, Some(4.0));
        // One value: in the middle; a flat line gets room either side.
        let p = plot(&vals[..1], None, 100.0, 48.0, 10.0);
        assert_eq!(p.points, [(50.0, 24.0)]);
        assert_eq!((p.low, p.high), (79.0, 81.0));
        assert!(plot(&[], None, 100.0, 48.0, 0.0).points.is_empty());
    }
}
