//! A readable difference between two texts (7.5.3: what changed between
//! two versions of a document), line by line, in hunks with a little
//! unchanged context around each change.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use std::time::Duration;

/// Unchanged lines kept around each change.
pub const CONTEXT: usize = 3;

/// How long the comparison may search for the smallest difference; past
/// it, a larger (still correct) difference is shown. Keeps a crafted pair
/// of texts from holding a worker.
const DEADLINE: Duration = Duration::from_millis(250);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Same,
    Added,
    Removed,
}

/// One line of a hunk, with its number in the old and the new text
/// (from 1; `None` where the line is not in that text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    pub change: Change,
    pub old: Option<usize>,
    pub new: Option<usize>,
    pub text: String,
}

/// A run of changes with its context; `skipped` unchanged lines come
/// before it (since the previous hunk or the start).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hunk {
    pub skipped: usize,
    pub lines: Vec<Line>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub added: usize,
    pub removed: usize,
    pub hunks: Vec<Hunk>,
    /// Unchanged lines after the last hunk.
    pub skipped_after: usize,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added == 0 && self.removed == 0
    }
}

/// The difference from `old` to `new`, line by line (a changed line is a
/// removed line and an added one).
pub fn lines(old: &str, new: &str) -> Diff {
    // Line endings and a missing last line break are not changes of words.
    let norm = |s: &str| {
        let mut s = s.replace("\r\n", "\n");
        if !s.is_empty() && !s.ends_with('\n') {
            s.push('\n');
        }
        s
    };
    let (old, new) = (norm(old), norm(new));
    let diff = TextDiff::configure().timeout(DEADLINE).diff_lines(&old, &new);
    let mut out = Diff::default();
    let mut seen_old = 0;
    for group in diff.grouped_ops(CONTEXT) {
        let first_old = group.first().map_or(0, |op| op.old_range().start);
        let mut hunk = Hunk { skipped: first_old - seen_old, lines: Vec::new() };
        for op in &group {
            for c in diff.iter_changes(op) {
                let change = match c.tag() {
                    ChangeTag::Equal => Change::Same,
                    ChangeTag::Insert => {
                        out.added += 1;
                        Change::Added
                    }
                    ChangeTag::Delete => {
                        out.removed += 1;
                        Change::Removed
                    }
                };
                let text = c.value().trim_end_matches(['\n', '\r']).to_string();
                hunk.lines.push(Line {
                    change,
                    old: c.old_index().map(|i| i + 1),
                    new: c.new_index().map(|i| i + 1),
                    text,
                });
            }
        }
        seen_old = group.last().map_or(seen_old, |op| op.old_range().end);
        out.hunks.push(hunk);
    }
    out.skipped_after = diff.old_slices().len() - seen_old;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(d: &Diff) -> Vec<String> {
        d.hunks
            .iter()
            .flat_map(|h| {
                std::iter::once(format!("@{}", h.skipped)).chain(h.lines.iter().map(|l| {
                    let sign = match l.change {
                        Change::Same => ' ',
                        Change::Added => '+',
                        Change::Removed => '-',
                    };
                    format!("{sign}{:?}/{:?} {}", l.old, l.new, l.text)
                }))
            })
            .collect()
    }

    #[test]
    fn a_changed_line_is_shown_removed_and_added_with_its_context_and_numbers() {
        let old = "# Beleid\na\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "# Beleid\na\nb\nc\nd\nE\nf\ng\nh\ni\n";
        let d = lines(old, new);
        assert_eq!((d.added, d.removed), (2, 1));
        assert_eq!(
            shape(&d),
            [
                "@2",
                " Some(3)/Some(3) b",
                " Some(4)/Some(4) c",
                " Some(5)/Some(5) d",
                "-Some(6)/None e",
                "+None/Some(6) E",
                " Some(7)/Some(7) f",
                " Some(8)/Some(8) g",
                " Some(9)/Some(9) h",
                "+None/Some(10) i",
            ]
        );
        assert_eq!(d.skipped_after, 0);
    }

    #[test]
    fn changes_far_apart_are_separate_hunks_and_the_unchanged_rest_is_counted() {
        let old: String = (1..=30).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 2\n", "line two\n").replace("line 20\n", "");
        let d = lines(&old, &new);
        assert_eq!((d.added, d.removed, d.hunks.len()), (1, 2, 2));
        assert_eq!(d.hunks[0].skipped, 0);
        assert_eq!(d.hunks[1].skipped, 11, "lines 6–16 unchanged between the hunks");
        assert_eq!(d.skipped_after, 30 - 23);
    }

    #[test]
    fn equal_texts_have_no_hunks_and_a_missing_last_newline_is_no_change_of_words() {
        assert!(lines("a\nb\n", "a\nb\n").is_empty());
        assert!(lines("a\nb\n", "a\nb\n").hunks.is_empty());
        assert!(lines("a\r\nb", "a\nb\n").is_empty());
        let d = lines("", "# New\n");
        assert_eq!((d.added, d.removed), (1, 0));
    }
}
