//! What changed between two versions of a document (7.5.3): the lines
//! removed and added, with a little unchanged text around each change.

use super::html;
use crate::ctx::{OrgPage, Query, version_number};
use crate::error::{WebError, WebResult};
use crate::layout;
use crate::state::AppState;
use axum::extract::{Path, State};
use borgen_app::AppError;
use borgen_core::diff::{Change, Diff};
use borgen_core::i18n::{t, tf};
use borgen_core::register::RecordId;
use borgen_core::registers::DOCUMENTS;
use maud::{Markup, html};

#[derive(serde::Deserialize, Default)]
pub struct Pair {
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Pair {
    /// The two version numbers asked for (404 for one that is no number).
    pub fn numbers(&self) -> Result<(Option<i64>, Option<i64>), WebError> {
        let n = |v: &Option<String>| match v.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(x) => version_number(x).map(Some),
        };
        Ok((n(&self.from)?, n(&self.to)?))
    }
}

/// The lines of a difference as a table: the line's number in each
/// version, and the line, removed (`del`) or added (`ins`).
pub fn table(l: borgen_core::i18n::Lang, from: i64, to: i64, d: &Diff) -> Markup {
    let n = |x: Option<usize>| x.map(|x| x.to_string()).unwrap_or_default();
    let skipped = |k: usize| {
        html! { tr.skipped { td colspan="3" { (tf(l, "document.diff.unchanged", &[("n", &k.to_string())])) } } }
    };
    html! {
        table.diff {
            thead { tr {
                th scope="col" { (tf(l, "document.version_n", &[("n", &from.to_string())])) }
                th scope="col" { (tf(l, "document.version_n", &[("n", &to.to_string())])) }
                th scope="col" { (t(l, "document.diff.text")) }
            } }
            tbody {
                @for h in &d.hunks {
                    @if h.skipped > 0 { (skipped(h.skipped)) }
                    @for line in &h.lines {
                        @match line.change {
                            Change::Same => tr { td.num { (n(line.old)) } td.num { (n(line.new)) } td { code { (line.text) } } },
                            Change::Removed => tr.removed { td.num { (n(line.old)) } td.num {} td { del { span.sign { "−" } code { (line.text) } } } },
                            Change::Added => tr.added { td.num {} td.num { (n(line.new)) } td { ins { span.sign { "+" } code { (line.text) } } } },
                        }
                    }
                }
                @if d.skipped_after > 0 { (skipped(d.skipped_after)) }
            }
        }
    }
}

/// `GET …/support/documents/{id}/diff?from=&to=`: without `to`, the
/// newest version; without `from`, the one before it.
pub async fn page(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Query(p): Query<Pair>,
) -> WebResult {
    let doc = RecordId::parse(&id).ok_or(WebError::App(AppError::NotFound))?;
    let (from, to) = p.numbers()?;
    let l = o.lang();
    let h = state.app.reg_get(&o.ctx, &DOCUMENTS, doc).await?;
    let borgen_app::document::DocDiff { from: a, to: b, numbers, diff: d } =
        state.app.doc_diff(&o.ctx, doc, from, to).await?;
    let base = format!("{}/{}/{}", o.base(), DOCUMENTS.path, doc.as_text());
    let name = super::documents::doc_title(&h);
    let title = tf(l, "document.diff.title", &[("from", &a.number.to_string()), ("to", &b.number.to_string())]);
    let choices: Vec<(String, String)> =
        numbers.iter().map(|n| (n.to_string(), tf(l, "document.version_n", &[("n", &n.to_string())]))).collect();
    let none = borgen_core::FieldErrors::default();
    Ok(html(layout::org(
        &o,
        "document",
        &title,
        html! {
            p.crumbs {
                a href={(o.base()) "/" (DOCUMENTS.path)} { (t(l, "document.title")) } " › "
                a href=(base) { (name) }
            }
            h1 { (title) }
            form.filters method="get" action={(base) "/diff"} {
                (layout::select(l, &none, "from", t(l, "document.diff.from"), &choices, Some(&a.number.to_string()), true))
                (layout::select(l, &none, "to", t(l, "document.diff.to"), &choices, Some(&b.number.to_string()), true))
                button type="submit" { (t(l, "document.diff.compare")) }
            }
            p {
                a href={(base) "/versions/" (a.number)} { (tf(l, "document.version_n", &[("n", &a.number.to_string())])) }
                " · "
                a href={(base) "/versions/" (b.number)} { (tf(l, "document.version_n", &[("n", &b.number.to_string())])) }
            }
            @if d.is_empty() {
                p.empty { (t(l, "document.diff.none")) }
            } @else {
                p { (tf(l, "document.diff.counts", &[("added", &d.added.to_string()), ("removed", &d.removed.to_string())])) }
                (table(l, a.number, b.number, &d))
            }
        },
    )))
}
