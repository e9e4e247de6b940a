//! Errors of the web layer. A handler returns `WebError`; the response carries
//! an [`ErrorMark`] that the error middleware turns into a page (HTML) or an
//! error object (JSON) in the user's language. Internal errors are logged with
//! the request id, which the page shows; their details never reach the user.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use borgen_app::AppError;
use borgen_core::FieldErrors;

#[derive(Debug)]
pub enum WebError {
    App(AppError),
    /// A status with a locale key for the message.
    Status(StatusCode, &'static str),
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        WebError::App(e)
    }
}

impl From<borgen_store::StoreError> for WebError {
    fn from(e: borgen_store::StoreError) -> Self {
        WebError::App(AppError::Store(e))
    }
}

impl From<FieldErrors> for WebError {
    fn from(e: FieldErrors) -> Self {
        WebError::App(AppError::Invalid(e))
    }
}

/// What went wrong, attached to the response for the error middleware.
#[derive(Clone, Debug)]
pub struct ErrorMark {
    pub key: &'static str,
    pub fields: FieldErrors,
    /// For internal errors: the full error chain, logged, never shown.
    pub internal: Option<String>,
    /// For a refusal that names what is in the way: each thing.
    pub problems: Vec<borgen_core::text::Problem>,
}

impl WebError {
    pub fn status_and_mark(&self) -> (StatusCode, ErrorMark) {
        let mark = |key| ErrorMark { key, fields: FieldErrors::default(), internal: None, problems: Vec::new() };
        match self {
            WebError::Status(s, key) => (*s, mark(key)),
            WebError::App(e) => match e {
                AppError::NotFound => (StatusCode::NOT_FOUND, mark("error.not_found")),
                AppError::Forbidden => (StatusCode::FORBIDDEN, mark("error.forbidden")),
                AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, mark("error.unauthenticated")),
                AppError::RateLimited => (StatusCode::TOO_MANY_REQUESTS, mark("error.rate_limited")),
                AppError::Conflict(key) => (StatusCode::CONFLICT, mark(key)),
                AppError::Blocked(key, problems) => {
                    (StatusCode::CONFLICT, ErrorMark { problems: problems.clone(), ..mark(key) })
                }
                AppError::Invalid(f) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorMark { key: "error.invalid", fields: f.clone(), internal: None, problems: Vec::new() },
                ),
                AppError::Store(_) | AppError::Internal(_) => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorMark {
                        key: "error.internal",
                        fields: FieldErrors::default(),
                        internal: Some(format!("{e:?}")),
                        problems: Vec::new(),
                    },
                ),
            },
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, mark) = self.status_and_mark();
        let mut r = status.into_response();
        r.extensions_mut().insert(mark);
        r
    }
}

pub type WebResult<T = Response> = Result<T, WebError>;

/// A named problem in the user's language.
pub fn problem_text(l: borgen_core::i18n::Lang, p: &borgen_core::text::Problem) -> String {
    let args: Vec<(&str, &str)> = p.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    borgen_core::i18n::tf(l, &p.key, &args)
}
