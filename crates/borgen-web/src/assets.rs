//! Static assets, embedded in the binary and served under content-hashed names
//! so that browsers may cache them for a long time.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset { name: "app.css", mime: "text/css; charset=utf-8", body: include_str!("../static/app.css") },
    Asset { name: "app.js", mime: "text/javascript; charset=utf-8", body: include_str!("../static/app.js") },
];

static HASHED: LazyLock<Vec<(String, &'static Asset)>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let h = hex::encode(&Sha256::digest(a.body.as_bytes())[..6]);
            let (stem, ext) = a.name.rsplit_once('.').unwrap_or((a.name, ""));
            (format!("{stem}.{h}.{ext}"), a)
        })
        .collect()
});

/// The URL of an asset by its plain name (`app.css`).
pub fn url(name: &str) -> String {
    HASHED
        .iter()
        .find(|(_, a)| a.name == name)
        .map(|(h, _)| format!("/static/{h}"))
        .unwrap_or_else(|| format!("/static/{name}"))
}

pub async fn serve(Path(file): Path<String>) -> Response {
    match HASHED.iter().find(|(h, _)| *h == file) {
        Some((_, a)) => {
            ([(header::CONTENT_TYPE, a.mime), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")], a.body)
                .into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
