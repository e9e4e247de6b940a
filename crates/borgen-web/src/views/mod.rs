//! HTML pages, one file per area of the interface.

pub mod admin;
pub mod apidocs;
pub mod home;
pub mod issues;
pub mod login;
pub mod parties;
pub mod setup;
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
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

/// Query parameters common to pages that show a notice after a change.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Done {
    pub done: Option<String>,
}
