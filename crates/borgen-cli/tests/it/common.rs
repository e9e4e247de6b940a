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

/// A token of acme's ISMS manager with `scope` (`read` or `write`), as the
/// tokens page shows it once.
pub async fn token(w: &World, scope: &str) -> String {
    let r = w.manager.post_form("/o/acme/tokens", &[("name", scope), ("scope", scope), ("expires_on", "")]).await;
    r.text.split("id=\"new-token\">").nth(1).and_then(|t| t.split('<').next()).expect("the new token").to_string()
}

/// Posts a spreadsheet to acme's SoA import as `c`.
pub async fn soa_import(c: &Client, content_type: &str, body: Vec<u8>) -> Resp {
    let b = reqwest::Client::new()
        .post(format!("{}/api/v1/orgs/acme/soa/import", c.base()))
        .header("cookie", format!("borgen_session={}; borgen_csrf={}", c.cookie("borgen_session").unwrap(), c.csrf()))
        .header("x-csrf-token", c.csrf())
        .header("content-type", content_type)
        .body(body);
    Client::send(b).await
}

/// Includes every control of acme's SoA that is still undecided (for a
/// business reason), through the import as a user would, so that a version
/// passes the completeness gate.
pub async fn decide_the_rest(m: &Client) {
    let table = m.get("/api/v1/orgs/acme/soa").await.json();
    let mut csv = String::from("control,applicable,reasons\n");
    for r in table["rows"].as_array().unwrap().iter().filter(|r| r["applicable"].is_null()) {
        csv.push_str(&format!("{},yes,business\n", r["control_id"].as_str().unwrap()));
    }
    let r = soa_import(m, "text/csv", csv.into_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
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
