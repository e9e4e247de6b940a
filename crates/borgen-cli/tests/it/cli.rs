//! The command line: administration, tokens, migrations, help.

use crate::common::*;

db_test!(administration_from_the_command_line, |s| {
    let pwfile = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(pwfile.path(), format!("{PW}\n")).unwrap();
    let pw = pwfile.path().to_str().unwrap();
    let (code, out, err) = run(borgen(&s, &["org", "create", "--name", "Gamma B.V.", "--slug", "gamma"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Created organisation Gamma B.V. (gamma)"));
    let (code, _, err) = run(borgen(&s, &["org", "create", "--name", "Gamma", "--slug", "gamma"]));
    assert_eq!(code, 1);
    assert!(err.contains("already in use"), "{err}");
    let (code, out, err) = run(borgen(&s, &["user", "create", "--email", "ops@gamma.test", "--password-file", pw]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) =
        run(borgen(&s, &["member", "add", "--org", "gamma", "--user", "ops@gamma.test", "--role", "isms_manager"]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) =
        run(borgen(&s, &["member", "add", "--org", "gamma", "--user", "ops@gamma.test", "--role", "king"]));
    assert_eq!(code, 1);
    assert!(err.contains("role"), "{err}");
    // A token for scripting: printed alone on stdout, works for its organisation only.
    let (code, token, err) = run(borgen(&s, &["token", "create", "--user", "ops@gamma.test", "--org", "gamma"]));
    assert_eq!(code, 0, "{err}");
    let token = token.trim().to_string();
    assert!(token.starts_with("borgen_"));
    let api = Client::with_token(&s.base, &token);
    let r = api
        .json(
            Method::POST,
            "/api/v1/orgs/gamma/context-issues",
            &json!({"title": "Via a script", "kind": "internal", "category": "technology"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(api.get("/api/v1/orgs/gamma/context-issues").await.json()["total"], 1);
    // The token is stored hashed, never in clear.
    let stored = s.count("api_tokens").await;
    assert_eq!(stored, 1);
    // Another organisation the user belongs to is still closed to this token.
    run(borgen(&s, &["org", "create", "--name", "Delta", "--slug", "delta"]));
    run(borgen(&s, &["member", "add", "--org", "delta", "--user", "ops@gamma.test", "--role", "isms_manager"]));
    assert_eq!(api.get("/api/v1/orgs/delta/context-issues").await.status, StatusCode::NOT_FOUND);
    assert_eq!(Client::with_token(&s.base, "borgen_nonsense").get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    // Logging in with the CLI-made password works, and the audit trail names the command line.
    let web = s.login("ops@gamma.test", PW).await;
    let log = web.get("/api/v1/orgs/gamma/audit-log").await.json();
    let labels: Vec<&str> =
        log["items"].as_array().unwrap().iter().map(|e| e["actor_label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"command line") && labels.contains(&"ops"), "{labels:?}");
    let (code, out, _) = run(borgen(&s, &["audit", "verify"]));
    assert_eq!(code, 0, "{out}");
});

db_test!(tokens_from_the_interface_are_shown_once_and_revocable, |s| {
    let w = World::new(s).await;
    let r = w.contributor.post_form("/o/acme/tokens", &[("name", "backup script")]).await;
    assert_eq!(r.status, StatusCode::OK);
    let token = r.text.split("id=\"new-token\">").nth(1).and_then(|t| t.split('<').next()).unwrap().to_string();
    let api = Client::with_token(&w.s.base, &token);
    assert_eq!(api.get("/api/v1/orgs/acme/context-issues").await.status, StatusCode::OK);
    // The token has the contributor's rights, not more.
    let r = api
        .json(
            Method::POST,
            "/api/v1/orgs/acme/context-issues",
            &json!({"title": "x", "kind": "internal", "category": "legal"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The list shows it without the secret.
    let page = w.contributor.get("/o/acme/tokens").await.text;
    assert!(page.contains("backup script") && !page.contains(&token));
    let id = page.split("/o/acme/tokens/").nth(1).and_then(|t| t.split('/').next()).unwrap().to_string();
    // Nobody else can revoke it.
    assert_eq!(w.manager.post_form(&format!("/o/acme/tokens/{id}/revoke"), &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.contributor.post_form(&format!("/o/acme/tokens/{id}/revoke"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(api.get("/api/v1/orgs/acme/context-issues").await.status, StatusCode::UNAUTHORIZED);
    // An empty name is refused.
    let r = w.contributor.post_form("/o/acme/tokens", &[("name", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
});

#[test]
fn help_lists_every_subcommand() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borgen")).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in ["serve", "demo", "migrate", "audit", "org", "user", "member", "token"] {
        assert!(text.lines().any(|l| l.trim_start().starts_with(cmd)), "{cmd} missing in:\n{text}");
    }
}

#[test]
fn demo_seeds_voorbeeld_bv_and_migrate_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borgen"))
        .args(["demo", "--seed-only", "--data-dir", d])
        .env_remove("BORGEN_DATABASE_URL")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Voorbeeld B.V.") && text.contains("isms@voorbeeld.nl"));
    // The demo's SoA passes the gate honestly: version 1 decides all 93
    // controls and is approved by the director, named with the role.
    let md = dir.path().join("soa-v1.md");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borgen"))
        .args(["export", "soa", "--org", "voorbeeld", "--format", "md", "--version", "1", "--data-dir", d])
        .arg("--out")
        .arg(&md)
        .env_remove("BORGEN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let soa = std::fs::read_to_string(&md).unwrap();
    assert!(soa.contains("Goedgekeurd door Pieter Janssen, directie"), "{soa}");
    assert!(!soa.contains("Nog niet bepaald"), "every control decided");
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_borgen"))
        .args(["demo", "--seed-only", "--data-dir", d])
        .env_remove("BORGEN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("reusing"));
    let m = std::process::Command::new(env!("CARGO_BIN_EXE_borgen"))
        .args(["migrate", "--data-dir", d])
        .env_remove("BORGEN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(m.status.success());
    let v = std::process::Command::new(env!("CARGO_BIN_EXE_borgen"))
        .args(["audit", "verify", "--data-dir", d])
        .env_remove("BORGEN_DATABASE_URL")
        .output()
        .unwrap();
    let vt = String::from_utf8_lossy(&v.stdout);
    assert!(v.status.success() && vt.contains("intact"), "{vt}");
}

/// The subcommand paths (`["org", "create"]` …) that `borgen … --help` lists,
/// down to the leaves, found from the help texts so that a new subcommand is
/// covered without changing this test.
fn leaf_subcommands(prefix: &[String]) -> Vec<Vec<String>> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borgen")).args(prefix).arg("--help").output().unwrap();
    assert!(out.status.success(), "{prefix:?} --help");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let Some(section) = text.split("Commands:\n").nth(1) else { return vec![prefix.to_vec()] };
    let mut leaves = Vec::new();
    for line in section.lines().take_while(|l| !l.trim().is_empty()) {
        let name = line.split_whitespace().next().unwrap_or_default();
        if name == "help" || name.is_empty() {
            continue;
        }
        let mut path = prefix.to_vec();
        path.push(name.to_string());
        leaves.extend(leaf_subcommands(&path));
    }
    leaves
}

#[test]
fn every_subcommand_accepts_data_dir_and_config() {
    let leaves = leaf_subcommands(&[]);
    let names: Vec<String> = leaves.iter().map(|p| p.join(" ")).collect();
    for expected in ["serve", "demo", "migrate", "audit verify", "catalog export", "export soa", "import", "org create"]
    {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    for path in &leaves {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_borgen")).args(path).arg("--help").output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("--data-dir") && help.contains("--config"), "{path:?} lacks the options:\n{help}");
        // The options before --help: an unknown one would be refused (exit 2) first.
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_borgen"))
            .args(path)
            .args(["--data-dir", d, "--config", "borgen.toml", "--help"])
            .env("BORGEN_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
            .output()
            .unwrap();
        assert!(out.status.success(), "{path:?} refuses --data-dir: {}", String::from_utf8_lossy(&out.stderr));
    }
    // The catalogue needs no database: --data-dir and BORGEN_DATABASE_URL are
    // accepted and nothing is created or connected to.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borgen"))
        .args(["catalog", "export", "--format", "csv", "--table", "clauses", "--data-dir", d])
        .env("BORGEN_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("\"id\",\"title\""));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "the catalogue created files");
}

db_test!(harmless_subcommands_run_with_the_same_options, |s| {
    // `borgen(...)` passes --data-dir on SQLite and BORGEN_DATABASE_URL on
    // PostgreSQL: every one of these takes either.
    for args in [
        &["migrate"][..],
        &["audit", "verify"],
        &["org", "list"],
        &["catalog", "export", "--format", "csv", "--table", "controls-2013"],
    ] {
        let (code, out, err) = run(borgen(&s, args));
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
});
