//! Fixtures shared by the tests.

pub use borgen_testkit::{Client, Engine, Resp, TestOptions, TestServer, db_test};
pub use reqwest::{Method, StatusCode};
pub use serde_json::{Value, json};

pub const PW: &str = "correct horse battery";

/// One organisation ("acme") with a member in each role, and a second
/// organisation ("other") with its own ISMS manager.
pub struct World {
    pub s: TestServer,
    /// Administrator and ISMS manager of acme (made by the setup page).
    pub admin: Client,
    pub manager: Client,
    pub contributor: Client,
    pub top: Client,
    pub auditor: Client,
    pub viewer: Client,
    pub outsider: Client,
}

impl World {
    pub async fn new(s: TestServer) -> World {
        let admin = s.setup("admin@acme.test", PW, "Acme B.V.", "acme").await;
        s.user_with_roles("manager@acme.test", PW, "acme", &["isms_manager"]).await;
        s.user_with_roles("contributor@acme.test", PW, "acme", &["contributor"]).await;
        s.user_with_roles("top@acme.test", PW, "acme", &["top_management"]).await;
        s.user_with_roles("auditor@acme.test", PW, "acme", &["auditor"]).await;
        s.user_with_roles("viewer@acme.test", PW, "acme", &["viewer"]).await;
        s.app
            .create_org(
                &borgen_app::Actor::Cli,
                &borgen_app::admin::OrgForm {
                    name: Some("Other Ltd".into()),
                    slug: Some("other".into()),
                    default_lang: Some("en".into()),
                },
            )
            .await
            .expect("other org");
        s.user_with_roles("manager@other.test", PW, "other", &["isms_manager"]).await;
        let manager = s.login("manager@acme.test", PW).await;
        let contributor = s.login("contributor@acme.test", PW).await;
        let top = s.login("top@acme.test", PW).await;
        let auditor = s.login("auditor@acme.test", PW).await;
        let viewer = s.login("viewer@acme.test", PW).await;
        let outsider = s.login("manager@other.test", PW).await;
        World { s, admin, manager, contributor, top, auditor, viewer, outsider }
    }

    /// The user id of a member (for owner fields).
    pub async fn user_id(&self, email: &str) -> String {
        let r = self.manager.get("/api/v1/orgs/acme/members").await;
        r.json()["items"]
            .as_array()
            .expect("members")
            .iter()
            .find(|m| m["email"] == email)
            .map(|m| m["user_id"].as_str().expect("id").to_string())
            .expect("member exists")
    }

    /// Creates a context issue through the API as the ISMS manager.
    pub async fn issue(&self, title: &str, owner: Option<&str>) -> Value {
        let mut body = json!({ "title": title, "kind": "external", "category": "legal" });
        if let Some(o) = owner {
            body["owner_id"] = json!(o);
        }
        let r = self.manager.json(Method::POST, "/api/v1/orgs/acme/context-issues", &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()
    }

    pub async fn party(&self, name: &str, owner: Option<&str>) -> Value {
        let mut body = json!({ "name": name, "party_type": "regulator" });
        if let Some(o) = owner {
            body["owner_id"] = json!(o);
        }
        let r = self.manager.json(Method::POST, "/api/v1/orgs/acme/interested-parties", &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()
    }
}

/// The `borgen` binary built for these tests, pointed at the server's database.
pub fn borgen(s: &TestServer, args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_borgen"));
    c.args(args);
    c.env_remove("BORGEN_DATABASE_URL");
    match (&s.data_dir, &s.database_url) {
        (Some(dir), _) => {
            c.arg("--data-dir").arg(dir);
        }
        (None, Some(url)) => {
            c.env("BORGEN_DATABASE_URL", url);
        }
        _ => unreachable!("a test server has a data dir or a database url"),
    }
    c
}

/// Runs the binary and returns (exit code, stdout, stderr).
pub fn run(mut c: std::process::Command) -> (i32, String, String) {
    let out = c.output().expect("run borgen");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}
