//! Test support: start the real server on port 0 with a fresh database
//! (SQLite in a temporary directory, or a new PostgreSQL database), and an
//! HTTP client that behaves like a browser (cookies, CSRF field) or like a
//! script (bearer token).
//!
//! PostgreSQL: `BORGEN_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). When it is unreachable the
//! PostgreSQL half of each test is skipped, said plainly on stderr, unless
//! `BORGEN_REQUIRE_POSTGRES=1`, which makes it fail instead.

pub mod crafted;

use borgen_app::{Actor, App, AppConfig};
use borgen_store::Db;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use tokio::sync::oneshot;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A running server with its own database.
pub struct TestServer {
    pub addr: SocketAddr,
    pub base: String,
    pub app: App,
    pub engine: Engine,
    /// The SQLite data directory (for the CLI's `--data-dir`).
    pub data_dir: Option<PathBuf>,
    /// The PostgreSQL URL of this server's database (for `BORGEN_DATABASE_URL`).
    pub database_url: Option<String>,
    /// The directory of the evidence store on disk (unused with S3).
    pub evidence_dir: PathBuf,
    _dir: Option<tempfile::TempDir>,
    _evidence: tempfile::TempDir,
    _stop: oneshot::Sender<()>,
}

const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";

fn pg_admin_url() -> String {
    std::env::var("BORGEN_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_PG.to_string())
}

fn require_pg() -> bool {
    std::env::var("BORGEN_REQUIRE_POSTGRES").is_ok_and(|v| v == "1" || v == "true")
}

static SKIP_NOTICE: OnceLock<()> = OnceLock::new();

/// Creates a fresh PostgreSQL database and returns its URL, or `None` (with a
/// notice) when PostgreSQL cannot be reached and is not required. Drop it
/// with [`drop_pg_database`] (a [`TestServer`] does so itself).
pub async fn fresh_pg_database() -> Option<String> {
    let admin = pg_admin_url();
    let conn = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(3))
        .connect(&admin)
        .await;
    let pool = match conn {
        Ok(p) => p,
        Err(e) => {
            if require_pg() {
                panic!("BORGEN_REQUIRE_POSTGRES=1 but PostgreSQL at {admin} is unreachable: {e}");
            }
            SKIP_NOTICE.get_or_init(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "\n*** PostgreSQL half SKIPPED: no PostgreSQL at {admin} ({e}). Only SQLite was tested. \
                     Set BORGEN_TEST_POSTGRES_URL, or BORGEN_REQUIRE_POSTGRES=1 to make this an error. ***\n"
                );
            });
            return None;
        }
    };
    let name = format!("borgen_test_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.expect("create test database");
    pool.close().await;
    let mut url = url::Url::parse(&admin).expect("BORGEN_TEST_POSTGRES_URL is a URL");
    url.set_path(&format!("/{name}"));
    Some(url.to_string())
}

/// How a test server is set up beyond its database.
#[derive(Clone, Debug, Default)]
pub struct TestOptions {
    /// Behind a reverse proxy: `X-Forwarded-For` and `X-Forwarded-Proto` count.
    pub trust_proxy: bool,
    /// Serve `/metrics` (the process-wide Prometheus recorder).
    pub metrics: bool,
    pub metrics_token: Option<String>,
    pub metrics_public: bool,
    /// Keep evidence in this S3 bucket instead of a directory.
    pub s3: Option<borgen_store::evidence::S3Settings>,
    /// The largest evidence file accepted (default 25 MiB).
    pub evidence_max_bytes: Option<u64>,
}

/// The one Prometheus recorder of the test process (a recorder is global).
fn metrics_handle() -> Option<metrics_exporter_prometheus::PrometheusHandle> {
    static HANDLE: OnceLock<Option<metrics_exporter_prometheus::PrometheusHandle>> = OnceLock::new();
    HANDLE.get_or_init(|| metrics_exporter_prometheus::PrometheusBuilder::new().install_recorder().ok()).clone()
}

impl TestServer {
    /// Starts a server on `engine`; `None` when PostgreSQL is skipped.
    pub async fn start(engine: Engine) -> Option<TestServer> {
        Self::start_with(engine, TestOptions::default()).await
    }

    /// As [`TestServer::start`], set up as `opts` says.
    pub async fn start_with(engine: Engine, opts: TestOptions) -> Option<TestServer> {
        let (db, dir, data_dir, database_url) = match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().to_path_buf();
                let db = Db::open_sqlite_dir(&path).await.expect("open sqlite");
                (db, Some(dir), Some(path), None)
            }
            Engine::Postgres => {
                let url = fresh_pg_database().await?;
                let db = Db::connect(&url).await.expect("connect to test database");
                (db, None, None, Some(url))
            }
        };
        borgen_store::migrate::migrate(&db).await.expect("migrate");
        let evidence_tmp = tempfile::tempdir().expect("temp dir");
        // Where `borgen … --data-dir` finds it: the SQLite data directory, or
        // a directory of its own beside PostgreSQL.
        let evidence_dir = data_dir.as_deref().unwrap_or(evidence_tmp.path()).join("evidence");
        let blobs = match &opts.s3 {
            Some(s3) => borgen_store::evidence::Blobs::s3(s3).expect("S3 settings"),
            None => borgen_store::evidence::Blobs::disk(&evidence_dir).expect("evidence directory"),
        };
        let mut config = AppConfig::default();
        if let Some(max) = opts.evidence_max_bytes {
            config.evidence_max_bytes = max;
        }
        let app = App::new(db, config, blobs);
        let state = borgen_web::AppState {
            app: app.clone(),
            secure_cookies: false,
            metrics: if opts.metrics { metrics_handle() } else { None },
            trust_proxy: opts.trust_proxy,
            metrics_token: opts.metrics_token.clone(),
            metrics_public: opts.metrics_public,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("local addr");
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = borgen_web::serve(listener, state, async {
                let _ = rx.await;
            })
            .await;
        });
        Some(TestServer {
            addr,
            base: format!("http://{addr}"),
            app,
            engine,
            data_dir,
            database_url,
            evidence_dir,
            _dir: dir,
            _evidence: evidence_tmp,
            _stop: tx,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A browser-like client without a session.
    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// Runs the first-run setup through the HTTP form and returns the logged-in
    /// administrator (ISMS manager of organisation `slug`).
    pub async fn setup(&self, email: &str, password: &str, org_name: &str, slug: &str) -> Client {
        let code = self.app.issue_setup_code().await.expect("setup code").expect("setup needed");
        let c = self.client();
        c.get("/setup").await;
        let r = c
            .post_form(
                "/setup",
                &[
                    ("setup_code", code.as_str()),
                    ("name", "Admin"),
                    ("email", email),
                    ("password", password),
                    ("org_name", org_name),
                    ("org_slug", slug),
                    ("lang", "en"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "setup failed: {}", r.text);
        c
    }

    /// Runs a command-line subcommand's equivalent: creates a user through the
    /// application layer (as the CLI does) with the given roles in `slug`.
    pub async fn user_with_roles(&self, email: &str, password: &str, slug: &str, roles: &[&str]) {
        let cli = Actor::Cli;
        self.app
            .create_user(
                &cli,
                &borgen_app::admin::UserForm {
                    email: Some(email.into()),
                    name: None,
                    password: Some(password.into()),
                    is_admin: None,
                },
            )
            .await
            .expect("create user");
        for role in roles {
            self.app
                .add_member(
                    &cli,
                    slug,
                    &borgen_app::admin::MemberForm { email: Some(email.into()), role: Some((*role).into()) },
                )
                .await
                .expect("add member");
        }
    }

    /// Logs in through the login form and returns the client.
    pub async fn login(&self, email: &str, password: &str) -> Client {
        let c = self.client();
        c.get("/login").await;
        let r = c.post_form("/login", &[("email", email), ("password", password), ("next", "/")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login of {email} failed: {}", r.status);
        c
    }

    /// Counts rows of a table directly in the database (for "nothing was
    /// written" checks). `table` must be a constant from the test.
    pub async fn count(&self, table: &'static str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let mut tx = self.app.db.read().await.expect("read tx");
        borgen_store::run!(&mut tx, |c| sqlx::query_scalar::<_, i64>(&sql).fetch_one(c).await).expect("count")
    }

    /// Executes raw SQL against the server's database (tamper tests).
    pub async fn exec(&self, sql: &str) {
        let mut tx = self.app.db.write().await.expect("write tx");
        borgen_store::exec!(&mut tx, |c| sqlx::query(sql).execute(c).await).expect("exec");
        tx.commit().await.expect("commit");
    }
}

impl Drop for TestServer {
    /// Drops this server's PostgreSQL database, so test runs leave nothing
    /// behind.
    fn drop(&mut self) {
        if let Some(url) = self.database_url.take() {
            drop_pg_database(&url);
        }
    }
}

/// Drops a database made by [`fresh_pg_database`], connections and all. (A
/// runtime of its own on a thread of its own, so that `Drop` may call it.)
pub fn drop_pg_database(url: &str) {
    let Some(name) = url.rsplit('/').next().map(str::to_string) else { return };
    let admin = pg_admin_url();
    let _ = std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
        rt.block_on(async move {
            if let Ok(pool) = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(&admin).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&pool).await;
                pool.close().await;
            }
        });
    })
    .join();
}

/// An HTTP response read in full.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    pub fn location(&self) -> String {
        self.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok().map(str::to_string)).collect()
    }
}

/// A client with its own cookie jar; it does not follow redirects, so tests
/// see each 303.
#[derive(Clone)]
pub struct Client {
    base: String,
    jar: Arc<reqwest::cookie::Jar>,
    http: reqwest::Client,
    bearer: Option<String>,
    lang: Option<String>,
    extra: Vec<(String, String)>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        // A fresh connection per request: after an early refusal (413 for a
        // body over the limit) the server closes its connection without
        // reading the rest, and a pooled connection reused for the next
        // request would fail with "IncompleteMessage" now and then.
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .build()
            .expect("http client");
        Client { base: base.to_string(), jar, http, bearer: None, lang: None, extra: Vec::new() }
    }

    /// The same client authenticating with an API token instead of cookies.
    pub fn with_token(base: &str, token: &str) -> Client {
        let mut c = Client::new(base);
        c.bearer = Some(token.to_string());
        c
    }

    /// Sends `Accept-Language` with every request.
    pub fn with_lang(mut self, lang: &str) -> Client {
        self.lang = Some(lang.to_string());
        self
    }

    /// Sends this header with every request (e.g. `X-Forwarded-For` to a
    /// server that trusts its proxy).
    pub fn with_header(mut self, name: &str, value: &str) -> Client {
        self.extra.push((name.to_string(), value.to_string()));
        self
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url = reqwest::Url::parse(&self.base).ok()?;
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }

    /// The server's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn csrf(&self) -> String {
        self.cookie("borgen_csrf").unwrap_or_default()
    }

    fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut b = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(t) = &self.bearer {
            b = b.bearer_auth(t);
        }
        if let Some(l) = &self.lang {
            b = b.header("accept-language", l);
        }
        for (k, v) in &self.extra {
            b = b.header(k.as_str(), v.as_str());
        }
        b
    }

    pub async fn send(b: reqwest::RequestBuilder) -> Resp {
        let r = b.send().await.expect("request sent");
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.expect("body").to_vec();
        Resp { status, headers, text: String::from_utf8_lossy(&bytes).to_string(), bytes }
    }

    pub async fn get(&self, path: &str) -> Resp {
        Self::send(self.req(Method::GET, path)).await
    }

    /// Posts a form with this browser's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        if self.cookie("borgen_csrf").is_none() {
            self.get("/login").await;
        }
        let mut all: Vec<(&str, String)> = fields.iter().map(|(k, v)| (*k, v.to_string())).collect();
        all.push(("_csrf", self.csrf()));
        let body = serde_urlencoded::to_string(&all).expect("form");
        Self::send(self.req(Method::POST, path).header("content-type", "application/x-www-form-urlencoded").body(body))
            .await
    }

    /// Posts a form exactly as given (no CSRF token added).
    pub async fn post_raw(&self, path: &str, content_type: &str, body: &str) -> Resp {
        Self::send(self.req(Method::POST, path).header("content-type", content_type).body(body.to_string())).await
    }

    /// Sends JSON (with the CSRF header when using a session).
    pub async fn json(&self, method: Method, path: &str, body: &serde_json::Value) -> Resp {
        let mut b = self.req(method, path).json(body);
        if self.bearer.is_none() {
            b = b.header("x-csrf-token", self.csrf());
        }
        Self::send(b).await
    }

    /// Posts a multipart form (a file upload page) with this browser's CSRF
    /// field added.
    pub async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> Resp {
        if self.cookie("borgen_csrf").is_none() {
            self.get("/login").await;
        }
        let form = form.text("_csrf", self.csrf());
        Self::send(self.req(Method::POST, path).multipart(form)).await
    }

    /// Sends a multipart body to the API (with the CSRF header when using a session).
    pub async fn api_multipart(&self, path: &str, form: reqwest::multipart::Form) -> Resp {
        let mut b = self.req(Method::POST, path).multipart(form);
        if self.bearer.is_none() {
            b = b.header("x-csrf-token", self.csrf());
        }
        Self::send(b).await
    }

    /// A JSON-API call without a body (archive, restore) or a GET.
    pub async fn call(&self, method: Method, path: &str) -> Resp {
        let mut b = self.req(method, path);
        if self.bearer.is_none() {
            b = b.header("x-csrf-token", self.csrf());
        }
        Self::send(b).await
    }
}

/// Declares a test that runs once on SQLite and once on PostgreSQL, each with
/// a fresh server: `db_test!(name, |s| { ... })` where `s: TestServer`, or
/// `db_test!(name, options, |s| { ... })` with [`TestOptions`].
#[macro_export]
macro_rules! db_test {
    ($name:ident, $opts:expr, |$s:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $s = $crate::TestServer::start_with($crate::Engine::Sqlite, $opts).await.expect("sqlite server");
                $body
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($s) = $crate::TestServer::start_with($crate::Engine::Postgres, $opts).await else { return };
                $body
            }
        }
    };
    ($name:ident, |$s:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $s = $crate::TestServer::start($crate::Engine::Sqlite).await.expect("sqlite server");
                $body
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($s) = $crate::TestServer::start($crate::Engine::Postgres).await else { return };
                $body
            }
        }
    };
}
