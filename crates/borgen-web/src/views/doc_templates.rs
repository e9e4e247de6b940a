//! Making a document from a template: the templates with what each is for,
//! and a short form (code, title, owner, classification, the language of
//! the text); the new document opens on its first draft.

use super::{html, html_status, owner_options, see_other};
use crate::ctx::{Form, OrgPage};
use crate::error::{WebError, WebResult};
use crate::layout::{self, csrf, select, text_field};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_core::FieldErrors;
use borgen_core::i18n::{Lang, t};
use borgen_core::registers::DOCUMENTS;
use borgen_core::templates::{self, Template};
use maud::{Markup, html};
use std::collections::BTreeMap;

fn page(
    o: &OrgPage,
    members: &[borgen_store::orgs::Member],
    chosen: Option<(&Template, &BTreeMap<String, String>, &FieldErrors)>,
) -> Markup {
    let l = o.lang();
    let base = format!("{}/{}", o.base(), DOCUMENTS.path);
    let me = o.ctx.actor.user_id().map(|u| u.to_string()).unwrap_or_default();
    let owners = owner_options(members);
    let classes: Vec<(String, String)> = ["public", "internal", "confidential", "secret"]
        .iter()
        .map(|c| (c.to_string(), t(l, &format!("document.classification.{c}")).to_string()))
        .collect();
    let langs: Vec<(String, String)> = [Lang::Nl, Lang::En]
        .iter()
        .map(|x| (x.code().to_string(), t(l, &format!("lang.{}", x.code())).to_string()))
        .collect();
    let title = t(l, "template.title");
    layout::org(
        o,
        DOCUMENTS.key,
        title,
        html! {
            p.crumbs { a href=(base) { (t(l, "document.title")) } }
            h1 { (title) }
            p.muted { (t(l, "template.intro")) }
            @for tp in templates::ALL {
                @let (raw, errs) = match chosen {
                    Some((c, raw, errs)) if c.kind == tp.kind => (Some(raw), Some(errs)),
                    _ => (None, None),
                };
                @let none = FieldErrors::default();
                @let errs = errs.unwrap_or(&none);
                @let value = |k: &str, d: &str| raw.and_then(|r| r.get(k)).cloned().unwrap_or_else(|| d.to_string());
                details.card id={"template-" (tp.kind)} open[raw.is_some()] {
                    summary { strong { (t(l, &tp.title_key())) } " " span.clause { (tp.clause) } " — " (t(l, &format!("template.{}_about", tp.kind))) }
                    (layout::error_summary(l, errs))
                    form method="post" action={(base) "/templates/" (tp.kind)} novalidate {
                        (csrf(&o.page))
                        (text_field(l, errs, "code", t(l, "document.field.code"), Some(&value("code", tp.code)), true, "text"))
                        (text_field(l, errs, "title", t(l, "field.title"), Some(&value("title", t(l, &tp.title_key()))), true, "text"))
                        (select(l, errs, "owner_id", t(l, "field.owner"), &owners, Some(&value("owner_id", &me)), false))
                        (select(l, errs, "classification", t(l, "document.field.classification"), &classes, Some(&value("classification", "internal")), true))
                        (select(l, errs, "lang", t(l, "template.language"), &langs, Some(&value("lang", o.ctx.org.default_lang.code())), true))
                        input type="hidden" name="review_interval" value="12";
                        button.primary type="submit" { (t(l, "template.use")) }
                    }
                }
            }
        },
    )
}

/// `GET …/support/documents/templates`.
pub async fn list(State(state): State<AppState>, o: OrgPage) -> WebResult {
    if !state.app.may_create(&o.ctx, &DOCUMENTS) {
        return Err(AppError::Forbidden.into());
    }
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    Ok(html(page(&o, &members, None)))
}

/// `POST …/support/documents/templates/{kind}`: the document and its
/// first draft; the editor opens on it.
pub async fn create(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, kind)): Path<(String, String)>,
    Form(raw): Form<BTreeMap<String, String>>,
) -> WebResult {
    let tp = templates::by_kind(&kind).ok_or(WebError::App(AppError::NotFound))?;
    let lang = raw.get("lang").and_then(|x| Lang::parse(x));
    let mut fields = raw.clone();
    for k in ["lang", crate::ctx::CSRF_FIELD] {
        fields.remove(k);
    }
    let result = match lang {
        Some(lang) => state.app.doc_from_template(&o.ctx, tp.kind, lang, fields).await,
        None => {
            let mut e = FieldErrors::default();
            e.add("lang", "error.required");
            Err(AppError::Invalid(e))
        }
    };
    match result {
        Ok((held, v)) => {
            Ok(see_other(&format!("{}/{}/{}/versions/{}/edit", o.base(), DOCUMENTS.path, held.rec.id, v.row.number)))
        }
        Err(AppError::Invalid(e)) => {
            let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page(&o, &members, Some((tp, &raw, &e)))))
        }
        Err(e) => Err(e.into()),
    }
}
