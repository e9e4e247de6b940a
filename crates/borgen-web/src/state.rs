//! What every handler can reach.

use borgen_app::App;
use metrics_exporter_prometheus::PrometheusHandle;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Mark cookies `Secure` (set when Borgen is served over https).
    pub secure_cookies: bool,
    pub metrics: Option<PrometheusHandle>,
    /// Take the client's address from the last `X-Forwarded-For` entry (set
    /// only when Borgen runs behind a reverse proxy that adds that header).
    pub trust_proxy: bool,
    /// The bearer token that `/metrics` requires (none: `/metrics` is 404
    /// unless `metrics_public`).
    pub metrics_token: Option<String>,
    /// Serve `/metrics` to anyone (an explicit choice).
    pub metrics_public: bool,
}
