//! HTML pages, one file per area of the interface.

pub mod account;
pub mod admin;
pub mod apidocs;
pub mod awareness;
pub mod catalog;
pub mod competence;
pub mod doc_diff;
pub mod doc_templates;
pub mod documents;
pub mod evidence;
pub mod home;
pub mod import;
pub mod login;
pub mod methodology;
pub mod objectives;
pub mod orgsettings;
pub mod plan;
pub mod raci;
pub mod reading;
pub mod risks;
pub mod runs;
pub mod scope;
pub mod setup;
pub mod soa;
pub mod tasks;
pub mod threats;
pub mod tokens;
pub mod trail;

use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::Markup;

pub fn html(m: Markup) -> Response {
    Html(m.into_string()).into_response()
}

pub fn html_status(status: axum::http::StatusCode, m: Markup) -> Response {
    (status, Html(m.into_string())).into_response()
}

/// 303 See Other: the answer to a form post.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A local redirect target from user input; anything else becomes `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && n.len() <= 2000
                && n.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/o/acme?x=1")), "/o/acme?x=1");
        for bad in
            ["//evil.example", "https://evil.example", "/\\evil.example", "/\t/evil.example", "/\n", "/a b", "evil"]
        {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}

/// Query parameters common to pages that show a notice after a change.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

/// A member list as select options: (user id, "Name <e-mail>").
pub fn owner_options(members: &[borgen_store::orgs::Member]) -> Vec<(String, String)> {
    members.iter().map(|m| (m.user_id.to_string(), format!("{} <{}>", m.name, m.email))).collect()
}
