//! Charts as inline SVG, drawn by thresh as it writes the page: the page needs no script and no
//! library, and a chart is there from the first paint. Each chart names itself for screen readers
//! (`role="img"`, a `<title>` and `<desc>`), writes its numbers on its bars, and the page puts a
//! table of the same numbers next to it; a bar past a threshold is hatched as well as coloured.

use super::{esc, Histogram};
use std::fmt::Write;

/// Width of every chart, in SVG units; it scales to the column.
const WIDTH: f64 = 720.0;

/// A horizontal bar chart: one bar a row, its label on the left and its value at its end.
pub fn bars(id: &str, title: &str, rows: &[(String, u64)]) -> String {
    const ROW: f64 = 20.0;
    const LABEL: f64 = 250.0;
    const TOP: f64 = 4.0;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let area = WIDTH - LABEL - 80.0;
    let height = TOP * 2.0 + ROW * rows.len() as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMinYMin meet"><title id="{id}-t">{t}</title><desc id="{id}-d">{n} bars; the table below gives the same numbers.</desc>"#,
        t = esc(title),
        n = rows.len(),
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let w = (*value as f64 / max * area).max(if *value > 0 { 1.0 } else { 0.0 });
        let _ = write!(
            svg,
            r#"<g><title>{l}: {value}</title><text class="label" x="{lx}" y="{ty}" text-anchor="end">{l}</text><rect class="bar" x="{LABEL}" y="{ry}" width="{w:.1}" height="{h}"/><text class="value" x="{vx:.1}" y="{ty}">{value}</text></g>"#,
            l = esc(label),
            lx = LABEL - 6.0,
            ty = y + ROW * 0.7,
            ry = y + 3.0,
            h = ROW - 6.0,
            vx = LABEL + w + 4.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A histogram: one column a bar, counts above, labels below, and the threshold (if any) as a
/// dashed line with its words, the bars past it hatched.
pub fn histogram(id: &str, title: &str, h: &Histogram) -> String {
    const TOP: f64 = 34.0;
    const PLOT: f64 = 160.0;
    const BOTTOM: f64 = 40.0;
    const LEFT: f64 = 10.0;
    let n = h.bars.len().max(1) as f64;
    let slot = (WIDTH - 2.0 * LEFT) / n;
    let max = h.bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let height = TOP + PLOT + BOTTOM;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMinYMin meet"><title id="{id}-t">{t}</title><desc id="{id}-d">{bars} bars, {total} documents{marker}; the table below gives the same numbers.</desc><defs><pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" class="past"/><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern></defs>"#,
        t = esc(title),
        bars = h.bars.len(),
        total = h.total(),
        marker = h
            .marker
            .as_ref()
            .map(|(_, m)| format!("; {}", esc(m)))
            .unwrap_or_default(),
    );
    let past = |i: usize| h.marker.as_ref().is_some_and(|(at, _)| i >= *at);
    for (i, (label, count)) in h.bars.iter().enumerate() {
        let x = LEFT + slot * i as f64;
        let bh = *count as f64 / max * PLOT;
        // A bar of one document still shows, and its hatching with it.
        let bh = if *count > 0 { bh.max(4.0) } else { 0.0 };
        let fill = if past(i) {
            format!(r#" fill="url(#{id}-hatch)""#)
        } else {
            String::new()
        };
        let _ = write!(
            svg,
            r#"<g><title>{l}: {count}</title><rect class="bar" x="{bx:.1}" y="{by:.1}" width="{bw:.1}" height="{bh:.1}"{fill}/><text class="value" x="{cx:.1}" y="{vy:.1}" text-anchor="middle">{count}</text><text class="label" x="{cx:.1}" y="{ly:.1}" text-anchor="middle">{l}</text></g>"#,
            l = esc(label),
            bx = x + 3.0,
            by = TOP + PLOT - bh,
            bw = slot - 6.0,
            cx = x + slot / 2.0,
            vy = TOP + PLOT - bh - 4.0,
            ly = TOP + PLOT + 16.0,
        );
    }
    if let Some((at, words)) = &h.marker {
        let x = LEFT + slot * *at as f64;
        let _ = write!(
            svg,
            r#"<line class="marker" x1="{x:.1}" y1="{y1}" x2="{x:.1}" y2="{y2}"/><text class="marker-label" x="{tx:.1}" y="14">{w} →</text>"#,
            y1 = 20.0,
            y2 = TOP + PLOT + 4.0,
            tx = x + 4.0,
            w = esc(words),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_a_bar_with_its_number_and_labels_are_escaped() {
        let svg = bars(
            "c",
            "Edits <per> rule",
            &[("a&b".into(), 3), ("c".into(), 0)],
        );
        assert_eq!(svg.matches("<rect class=\"bar\"").count(), 2);
        assert!(svg.contains("a&amp;b") && svg.contains("Edits &lt;per&gt; rule"));
        assert!(svg.contains(">3</text>") && svg.contains(">0</text>"));
    }

    #[test]
    fn a_histogram_marks_its_threshold_in_words_and_hatches_the_bars_past_it() {
        let h = Histogram {
            bars: vec![("0–1".into(), 5), ("1–2".into(), 2), ("≥ 2".into(), 1)],
            marker: Some((1, "flagged from 1".into())),
        };
        let svg = histogram("h", "Scores", &h);
        assert!(svg.contains("flagged from 1 →"));
        assert_eq!(svg.matches("url(#h-hatch)").count(), 2);
        assert!(svg.contains("8 documents"));
    }
}
