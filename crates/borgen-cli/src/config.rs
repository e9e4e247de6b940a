//! Configuration: defaults, then `borgen.toml`, then `BORGEN_*` environment
//! variables (with `*_FILE` variants for secrets), then command-line flags.

use crate::DataArgs;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    public_url: Option<String>,
    log_format: Option<String>,
    log: Option<String>,
    session_hours: Option<i64>,
    session_idle_minutes: Option<i64>,
    trust_proxy: Option<bool>,
    metrics_token: Option<String>,
    metrics_public: Option<bool>,
    evidence_store: Option<String>,
    evidence_max_mib: Option<u64>,
    s3_endpoint: Option<String>,
    s3_bucket: Option<String>,
    s3_region: Option<String>,
    s3_access_key_id: Option<String>,
    s3_secret_access_key: Option<String>,
    s3_prefix: Option<String>,
}

/// The settings in force.
#[derive(Clone, Debug)]
pub struct Settings {
    pub listen: String,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub public_url: Option<String>,
    pub log_json: bool,
    pub log_filter: String,
    pub session_hours: i64,
    pub session_idle_minutes: i64,
    pub trust_proxy: bool,
    /// The bearer token `/metrics` requires; without it (and without
    /// `metrics_public`), `/metrics` answers 404.
    pub metrics_token: Option<String>,
    pub metrics_public: bool,
    /// Where evidence files are kept: `disk` (under the data directory) or `s3`.
    pub evidence_store: String,
    pub evidence_max_bytes: u64,
    pub s3: borgen_store::evidence::S3Settings,
}

fn env(name: &str) -> Result<Option<String>> {
    if let Ok(v) = std::env::var(name) {
        return Ok(Some(v));
    }
    let file_var = format!("{name}_FILE");
    if let Ok(path) = std::env::var(&file_var) {
        let v = std::fs::read_to_string(&path).with_context(|| format!("{file_var}: cannot read {path}"))?;
        return Ok(Some(v.trim().to_string()));
    }
    Ok(None)
}

impl Settings {
    pub fn load(args: &DataArgs, listen: Option<String>) -> Result<Settings> {
        Self::load_with(args, listen, "./borgen-data")
    }

    /// As `load`, with the demo's own default data directory so that the demo
    /// never mixes with real data.
    pub fn load_demo(args: &DataArgs, listen: Option<String>) -> Result<Settings> {
        Self::load_with(args, listen, "./borgen-demo-data")
    }

    fn load_with(args: &DataArgs, listen: Option<String>, default_dir: &str) -> Result<Settings> {
        let path = args.config.clone().or_else(|| {
            let p = Path::new("borgen.toml");
            p.exists().then(|| p.to_path_buf())
        });
        let file: FileConfig = match &path {
            Some(p) => {
                let text = std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
                toml::from_str(&text).with_context(|| format!("{} is not valid", p.display()))?
            }
            None => FileConfig::default(),
        };
        let log_format = env("BORGEN_LOG_FORMAT")?.or(file.log_format).unwrap_or_else(|| "text".into());
        if !matches!(log_format.as_str(), "text" | "json") {
            bail!("log format must be text or json, not {log_format:?}");
        }
        let session_hours = match env("BORGEN_SESSION_HOURS")? {
            Some(v) => v.parse().context("BORGEN_SESSION_HOURS must be a whole number")?,
            None => file.session_hours.unwrap_or(12),
        };
        let session_idle_minutes = match env("BORGEN_SESSION_IDLE_MINUTES")? {
            Some(v) => v.parse().context("BORGEN_SESSION_IDLE_MINUTES must be a whole number")?,
            None => file.session_idle_minutes.unwrap_or(30),
        };
        if session_idle_minutes < 1 {
            bail!("session_idle_minutes must be at least 1");
        }
        let trust_proxy = match env("BORGEN_TRUST_PROXY")? {
            Some(v) => matches!(v.trim(), "1" | "true" | "yes"),
            None => file.trust_proxy.unwrap_or(false),
        };
        let metrics_public = match env("BORGEN_METRICS_PUBLIC")? {
            Some(v) => matches!(v.trim(), "1" | "true" | "yes"),
            None => file.metrics_public.unwrap_or(false),
        };
        let metrics_token =
            env("BORGEN_METRICS_TOKEN")?.or(file.metrics_token).map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        let evidence_store = env("BORGEN_EVIDENCE_STORE")?.or(file.evidence_store).unwrap_or_else(|| "disk".into());
        if !matches!(evidence_store.as_str(), "disk" | "s3") {
            bail!("evidence_store must be disk or s3, not {evidence_store:?}");
        }
        let evidence_max_mib = match env("BORGEN_EVIDENCE_MAX_MIB")? {
            Some(v) => v.parse().context("BORGEN_EVIDENCE_MAX_MIB must be a whole number")?,
            None => file.evidence_max_mib.unwrap_or(25),
        };
        if !(1..=1024).contains(&evidence_max_mib) {
            bail!("evidence_max_mib must be between 1 and 1024");
        }
        let s3 = borgen_store::evidence::S3Settings {
            endpoint: env("BORGEN_S3_ENDPOINT")?.or(file.s3_endpoint).filter(|s| !s.is_empty()),
            bucket: env("BORGEN_S3_BUCKET")?.or(file.s3_bucket).unwrap_or_default(),
            region: env("BORGEN_S3_REGION")?.or(file.s3_region).unwrap_or_else(|| "us-east-1".into()),
            access_key_id: env("BORGEN_S3_ACCESS_KEY_ID")?.or(file.s3_access_key_id).unwrap_or_default(),
            secret_access_key: env("BORGEN_S3_SECRET_ACCESS_KEY")?.or(file.s3_secret_access_key).unwrap_or_default(),
            prefix: env("BORGEN_S3_PREFIX")?.or(file.s3_prefix).filter(|s| !s.is_empty()),
        };
        if evidence_store == "s3"
            && (s3.bucket.is_empty() || s3.access_key_id.is_empty() || s3.secret_access_key.is_empty())
        {
            bail!("evidence_store = s3 needs s3_bucket, s3_access_key_id and s3_secret_access_key");
        }
        Ok(Settings {
            evidence_store,
            evidence_max_bytes: evidence_max_mib * 1024 * 1024,
            s3,
            trust_proxy,
            session_idle_minutes,
            metrics_token,
            metrics_public,
            listen: listen.or(env("BORGEN_LISTEN")?).or(file.listen).unwrap_or_else(|| "127.0.0.1:8080".into()),
            data_dir: args
                .data_dir
                .clone()
                .or(env("BORGEN_DATA_DIR")?.map(PathBuf::from))
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from(default_dir)),
            database_url: env("BORGEN_DATABASE_URL")?.or(file.database_url).filter(|s| !s.is_empty()),
            public_url: env("BORGEN_PUBLIC_URL")?.or(file.public_url),
            log_json: log_format == "json",
            log_filter: env("BORGEN_LOG")?.or(file.log).unwrap_or_else(|| "info".into()),
            session_hours,
        })
    }

    /// Opens the database this configuration names and brings its schema up to date.
    pub async fn open_db(&self) -> Result<borgen_store::Db> {
        let db = match &self.database_url {
            Some(url) => borgen_store::Db::connect(url).await.context("cannot connect to the database")?,
            None => borgen_store::Db::open_sqlite_dir(&self.data_dir)
                .await
                .with_context(|| format!("cannot open the database in {}", self.data_dir.display()))?,
        };
        borgen_store::migrate::migrate(&db).await.context("migration failed")?;
        Ok(db)
    }

    /// Opens the database without creating or migrating anything.
    pub async fn open_existing_db(&self) -> Result<borgen_store::Db> {
        Ok(match &self.database_url {
            Some(url) => borgen_store::Db::connect(url).await.context("cannot connect to the database")?,
            None => borgen_store::Db::open_existing_sqlite_dir(&self.data_dir).await?,
        })
    }

    pub fn where_data_lives(&self) -> String {
        match &self.database_url {
            Some(url) if url.starts_with("postgres") => "PostgreSQL (BORGEN_DATABASE_URL)".to_string(),
            Some(url) => url.clone(),
            None => format!("SQLite in {}", self.data_dir.join("borgen.db").display()),
        }
    }

    /// The evidence store this configuration names.
    pub fn evidence(&self) -> Result<borgen_store::evidence::Blobs> {
        Ok(match self.evidence_store.as_str() {
            "s3" => borgen_store::evidence::Blobs::s3(&self.s3)?,
            _ => borgen_store::evidence::Blobs::disk(&self.data_dir.join("evidence"))?,
        })
    }

    pub fn app(&self, db: borgen_store::Db) -> Result<borgen_app::App> {
        Ok(borgen_app::App::new(
            db,
            borgen_app::AppConfig {
                session_hours: self.session_hours,
                session_idle_minutes: self.session_idle_minutes,
                evidence_max_bytes: self.evidence_max_bytes,
                ..Default::default()
            },
            self.evidence()?,
        ))
    }
}
