//! Documents made from a template (7.5.1): the document is created with
//! the template's type and proposed code, and its first draft holds the
//! template's text with what Borgen knows filled in — the organisation, the
//! risk methodology's scales and levels, the scope in force, the SoA's
//! figures.

use crate::document::DocVersion;
use crate::register::Held;
use crate::{App, AppError, OrgCtx, Result};
use borgen_core::i18n::{Lang, t, tf};
use borgen_core::registers::DOCUMENTS;
use borgen_core::templates::{self, Facts, Template, table};
use std::collections::BTreeMap;

impl App {
    /// What a template would be filled in with for this organisation now.
    pub async fn template_facts(&self, ctx: &OrgCtx, l: Lang) -> Result<Facts> {
        let method = self.methodology(ctx).await?.methodology;
        let scale = |levels: &[borgen_core::risk::ScaleLevel]| {
            let rows: Vec<Vec<String>> = levels
                .iter()
                .enumerate()
                .map(|(i, s)| vec![(i + 1).to_string(), s.label.get(l).to_string(), s.description.get(l).to_string()])
                .collect();
            table(&[t(l, "template.col.level"), t(l, "template.col.name"), t(l, "template.col.description")], &rows)
        };
        let levels: Vec<Vec<String>> = method
            .levels
            .iter()
            .map(|r| vec![r.name.get(l).to_string(), t(l, r.accept_by.label_key()).to_string()])
            .collect();
        let soa = borgen_core::soa::progress(&self.soa_rows(ctx).await?);
        let soa_summary = tf(
            l,
            "soa.progress",
            &[
                ("applicable", &soa.applicable.to_string()),
                ("implemented", &soa.implemented.to_string()),
                ("excluded", &soa.excluded.to_string()),
                ("undecided", &soa.undecided.to_string()),
            ],
        );
        let scope = match self.scope_in_force(ctx, None).await? {
            Some(s) => templates::nested(&s.text),
            None => t(l, "template.no_scope").to_string(),
        };
        Ok(Facts {
            organisation: ctx.org.name.clone(),
            date: ctx.today(),
            likelihood_scale: scale(&method.likelihood),
            impact_scale: scale(&method.impact),
            risk_levels: table(&[t(l, "template.col.risk_level"), t(l, "template.col.accept_by")], &levels),
            review_months: method.review_months.to_string(),
            scope,
            soa_summary,
        })
    }

    /// Makes a document from template `kind` with the record's fields as
    /// given (the type is the template's), and its first draft in `lang`
    /// with what Borgen knows filled in. Who may create documents.
    pub async fn doc_from_template(
        &self,
        ctx: &OrgCtx,
        kind: &str,
        lang: Lang,
        mut raw: BTreeMap<String, String>,
    ) -> Result<(Held, DocVersion)> {
        let template: &Template = templates::by_kind(kind).ok_or(AppError::NotFound)?;
        if !self.may_create(ctx, &DOCUMENTS) {
            return Err(AppError::Forbidden);
        }
        raw.insert("doc_type".into(), template.doc_type.into());
        let values = DOCUMENTS.parse(&raw).map_err(AppError::Invalid)?;
        let text = templates::fill(template.text(lang), &self.template_facts(ctx, lang).await?);
        let held = self.reg_create(ctx, &DOCUMENTS, values).await?;
        let note = tf(lang, "template.change_note", &[("template", t(lang, &template.title_key()))]);
        let v = self.doc_new_draft(ctx, held.rec.id, Some(&text), Some(&note)).await?;
        Ok((held, v))
    }
}

/// The scope statement in force: its document, version and text.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ScopeInForce {
    pub document_id: String,
    pub code: String,
    pub title: String,
    pub number: i64,
    pub text: String,
    /// Its parts (units, locations, …, exclusions), when written.
    pub parts: Option<borgen_core::scope::Parts>,
    pub approved_by_label: Option<String>,
    pub approved_at: Option<String>,
    pub published_at: Option<String>,
}

impl App {
    /// The published version of the organisation's scope statement (the
    /// current document of type scope with the lowest code): in force now,
    /// or at the instant `at` (an SoA version names the scope it was issued
    /// under); for whoever reads the registers or published documents.
    pub async fn scope_in_force(&self, ctx: &OrgCtx, at: Option<&str>) -> Result<Option<ScopeInForce>> {
        let mut tx = self.db.read().await?;
        let found = match at {
            None => borgen_store::document::in_force(&mut tx, ctx.org.id, None)
                .await?
                .into_iter()
                .find(|(r, _, _)| r.doc_type == "scope")
                .map(|(r, _, _)| borgen_store::document::ScopeAt {
                    document_id: r.document_id,
                    code: r.code,
                    title: r.title,
                    number: r.number,
                    classification: r.classification,
                    owner_id: r.owner_id,
                }),
            Some(at) => borgen_store::document::scope_at(&mut tx, ctx.org.id, at).await?,
        };
        let Some(s) = found else { return Ok(None) };
        let v = borgen_store::document::version(&mut tx, ctx.org.id, &s.document_id, s.number)
            .await?
            .ok_or(AppError::NotFound)?;
        // Named to everyone who reads the SoA; its text and parts only to
        // whoever may read its classification.
        let owner = s.owner_id.as_deref().and_then(borgen_core::ids::UserId::parse);
        let readable = ctx.org.document_rules.may_read(&s.classification, &ctx.roles) || ctx.can_edit_owned(owner);
        Ok(Some(ScopeInForce {
            document_id: s.document_id,
            code: s.code,
            title: s.title,
            number: s.number,
            text: if readable { v.content } else { String::new() },
            parts: borgen_core::scope::Parts::from_json(v.scope_parts.as_deref()).filter(|_| readable),
            approved_by_label: v.approved_by_label,
            approved_at: v.approved_at,
            published_at: v.published_at,
        }))
    }
}
