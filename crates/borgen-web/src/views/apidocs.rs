//! A readable page for the JSON API, rendered from the OpenAPI document (no
//! scripts or styles from elsewhere).

use super::html;
use crate::ctx::Page;
use crate::error::WebResult;
use crate::layout;
use crate::openapi;
use borgen_core::i18n::t;
use maud::html;

pub async fn page(page: Page) -> WebResult {
    let l = page.lang;
    let doc = openapi::document();
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    Ok(html(layout::plain(
        &page,
        t(l, "apidocs.title"),
        html! {
            h1 { (t(l, "apidocs.title")) }
            p { (t(l, "apidocs.intro")) }
            p { a href="/api/v1/openapi.json" { "openapi.json" } " · " (t(l, "apidocs.version")) " " (doc["info"]["version"].as_str().unwrap_or("")) }
            h2 { (t(l, "apidocs.auth")) }
            p { (t(l, "apidocs.auth_text")) }
            pre { code { "curl -H 'Authorization: Bearer borgen_…' http://127.0.0.1:8080/api/v1/orgs/voorbeeld/context-issues" } }
            h2 { (t(l, "apidocs.errors")) }
            p { (t(l, "apidocs.errors_text")) }
            h2 { (t(l, "apidocs.endpoints")) }
            @for (path, ops) in &paths {
                @if let Some(ops) = ops.as_object() {
                    @for (method, op) in ops {
                        div.card.endpoint {
                            p { span.method { (method.to_uppercase()) } " " code { (path) } }
                            p { (op["summary"].as_str().unwrap_or("")) }
                            @if let Some(params) = op["parameters"].as_array() {
                                @let names: Vec<&str> = params.iter().filter_map(|p| p["name"].as_str()).collect();
                                @if !names.is_empty() { p.muted { (t(l, "apidocs.parameters")) ": " (names.join(", ")) } }
                            }
                        }
                    }
                }
            }
        },
    )))
}
