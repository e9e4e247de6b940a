//! CSRF, security headers, operational endpoints, the API description, and
//! the locale files.

use crate::common::*;

db_test!(forms_without_the_csrf_token_are_refused, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let n = w.s.count("context_issues").await;
    // No token.
    let r = m
        .post_raw("/o/acme/context/issues", "application/x-www-form-urlencoded", "title=x&kind=internal&category=legal")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text.contains("This form has expired"));
    // A wrong token.
    let r = m
        .post_raw(
            "/o/acme/context/issues",
            "application/x-www-form-urlencoded",
            &format!("title=x&kind=internal&category=legal&_csrf={}", "0".repeat(64)),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Another browser's token (cookie of its own).
    let other = w.s.client();
    other.get("/login").await;
    let r = m
        .post_raw(
            "/o/acme/context/issues",
            "application/x-www-form-urlencoded",
            &format!("title=x&kind=internal&category=legal&_csrf={}", other.csrf()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Logout and login forms are protected too.
    assert_eq!(m.post_raw("/logout", "application/x-www-form-urlencoded", "").await.status, StatusCode::FORBIDDEN);
    // JSON with a session needs the header; with a token it does not.
    let raw = reqwest::Client::new()
        .post(w.s.url("/api/v1/orgs/acme/context-issues"))
        .header("cookie", format!("borgen_session={}; borgen_csrf={}", m.cookie("borgen_session").unwrap(), m.csrf()))
        .json(&json!({"title": "x", "kind": "internal", "category": "legal"}));
    let r = Client::send(raw).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "error.csrf");
    assert_eq!(w.s.count("context_issues").await, n);
    // Still logged in after all that.
    assert_eq!(m.get("/o/acme").await.status, StatusCode::OK);
});

db_test!(security_headers_and_operational_endpoints, |s| {
    let w = World::new(s).await;
    let r = w.manager.get("/o/acme/context/issues").await;
    let h = |n: &str| r.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let csp = h("content-security-policy");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("referrer-policy"), "same-origin");
    assert!(!h("x-request-id").is_empty());
    assert!(!r.text.contains("<script>"), "no inline script");
    let csrf_cookie =
        w.s.client().get("/login").await.set_cookies().into_iter().find(|c| c.starts_with("borgen_csrf=")).unwrap();
    assert!(csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Lax"));
    let anon = w.s.client();
    let r = anon.get("/healthz").await;
    assert_eq!((r.status, r.text.as_str()), (StatusCode::OK, "ok"));
    assert_eq!(anon.get("/readyz").await.status, StatusCode::OK);
    // Static assets are served under hashed names, cacheable.
    let page = w.manager.get("/o/acme").await.text;
    let css = page.split("href=\"/static/").nth(1).and_then(|s| s.split('"').next()).unwrap();
    let r = anon.get(&format!("/static/{css}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers["cache-control"].to_str().unwrap().contains("immutable"));
    assert!(r.text.contains("prefers-color-scheme: dark") && r.text.contains("@media print"));
    // Unknown pages: a friendly 404 in the user's language; JSON under /api.
    let r = w.manager.get("/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text.contains("This page does not exist"));
    let r = w.manager.get("/api/v1/nothing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["code"], "error.not_found");
    let r = w.s.client().with_lang("nl").get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["message"], "Log eerst in.");
});

db_test!(areas_without_a_register_say_so, |s| {
    let w = World::new(s).await;
    assert_eq!(w.manager.get("/o/acme/area/soa").await.location(), "/o/acme/soa", "the SoA has arrived");
    for area in ["operation", "performance", "improvement"] {
        let r = w.manager.get(&format!("/o/acme/area/{area}")).await;
        assert_eq!(r.status, StatusCode::OK, "{area}");
        assert!(r.text.contains("is not available in Borgen yet"), "{area}");
    }
    // An area with registers lists them, and says plainly what is still to come.
    for (area, register, later) in [
        ("leadership", "/o/acme/leadership/evidence", "policy"),
        ("planning", "/o/acme/planning/changes", "objectives"),
        ("support", "/o/acme/support/communication", "competence"),
    ] {
        let r = w.manager.get(&format!("/o/acme/area/{area}")).await;
        assert_eq!(r.status, StatusCode::OK, "{area}");
        assert!(!r.text.contains("is not available in Borgen yet"), "{area}");
        assert!(r.text.contains(&format!("href=\"{register}\"")), "{area} links {register}");
        assert!(r.text.contains("Still to come") && r.text.contains(later), "{area}");
    }
    // The overview: counts where registers exist, "not yet" only where none does.
    let home = w.manager.get("/o/acme").await.text;
    assert!(home.contains("Planned changes: 0") && home.contains("0 risks in the register"), "{home}");
    assert_eq!(home.matches("Not available yet").count(), 3, "operation, performance, improvement");
    assert_eq!(w.manager.get("/o/acme/area/context").await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.manager.get("/o/acme/area/nonsense").await.status, StatusCode::NOT_FOUND);
});

#[tokio::test]
async fn the_openapi_document_lists_every_api_route() {
    let s = TestServer::start(Engine::Sqlite).await.unwrap();
    let doc = s.client().get("/api/v1/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let documented: std::collections::BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(p, ops)| ops.as_object().unwrap().keys().map(move |m| format!("{} {p}", m.to_uppercase())))
        .collect();
    // The routes as written in the router's source.
    let src = include_str!("../../../borgen-web/src/api/mod.rs");
    let mut routed = std::collections::BTreeSet::new();
    for seg in src.split(".route(").skip(1) {
        // The call's arguments, up to its closing parenthesis (rustfmt may
        // spread a long route over several lines).
        let mut depth = 1;
        let end = seg
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map_or(seg.len(), |(i, _)| i);
        let line = seg[..end].trim_start();
        if !line.starts_with("\"/api/v1") {
            continue;
        }
        let path = line.split('"').nth(1).unwrap();
        for (name, method) in [("get(", "GET"), ("post(", "POST"), ("put(", "PUT"), ("delete(", "DELETE")] {
            if line.contains(&format!(" {name}"))
                || line.contains(&format!(".{name}"))
                || line.contains(&format!("({name}"))
            {
                routed.insert(format!("{method} {path}"));
            }
        }
    }
    assert!(routed.len() >= 20, "parsed the routes: {routed:?}");
    // The routes of the registers declared with the mechanism come from the same
    // list of operations as their part of the document.
    for reg in borgen_core::registers::ALL {
        for (path, method, _) in borgen_web::register::api_operations(reg) {
            routed.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    assert_eq!(documented, routed);
    // Every documented operation is really served (not 404/405).
    let page = s.client().get("/api-docs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("/api/v1/orgs/{slug}/context-issues"));
}

#[test]
fn every_message_key_used_in_the_code_exists_in_both_languages() {
    let mut missing = Vec::new();
    let roots = [
        concat!(env!("CARGO_MANIFEST_DIR"), "/../borgen-web/src"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/../borgen-app/src"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/../borgen-core/src"),
    ];
    let mut files = Vec::new();
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out)
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p)
            }
        }
    }
    for r in roots {
        walk(std::path::Path::new(r), &mut files);
    }
    // Every section of the locale files is a prefix of its keys.
    let en = include_str!("../../../../locales/en.toml");
    let sections: Vec<String> = en
        .lines()
        .filter_map(|l| l.strip_prefix('[').and_then(|l| l.strip_suffix(']')))
        .map(|s| format!("{s}."))
        .collect();
    assert!(sections.len() > 40, "sections: {sections:?}");
    let prefixes: Vec<&str> = sections.iter().map(String::as_str).collect();
    let all_keys = borgen_core::i18n::flatten(en).expect("en.toml");
    let mut seen = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let parts: Vec<&str> = text.split('"').collect();
        for (i, lit) in parts.iter().enumerate().skip(1).step_by(2) {
            let lit = *lit;
            let counted = parts[i - 1].trim_end().ends_with("tn(l,");
            if prefixes.iter().any(|p| lit.starts_with(p))
                && lit.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
                && !lit.ends_with('.')
            {
                seen += 1;
                // A count's message (`tn`) has a form for one and for more.
                let plural = borgen_core::i18n::has_key(&format!("{lit}_one"))
                    && borgen_core::i18n::has_key(&format!("{lit}_other"));
                // A field's options are keys under its name (`opportunity.status.open`).
                let options = all_keys.keys().any(|k| k.starts_with(&format!("{lit}.")));
                let known = if counted { plural } else { borgen_core::i18n::has_key(lit) || plural || options };
                if !known {
                    missing.push(format!("{lit} ({})", f.display()));
                }
            }
        }
    }
    assert!(seen > 150, "found only {seen} keys: is the scan broken?");
    assert!(missing.is_empty(), "keys used in code but missing from locales: {missing:#?}");
    // Keys built from enums and lists.
    use borgen_core::context::*;
    let mut dynamic: Vec<String> = Vec::new();
    dynamic.extend(IssueKind::ALL.iter().map(|v| v.label_key().to_string()));
    dynamic.extend(IssueCategory::ALL.iter().map(|v| v.label_key().to_string()));
    dynamic.extend(PartyType::ALL.iter().map(|v| v.label_key().to_string()));
    dynamic.extend(RequirementType::ALL.iter().map(|v| v.label_key().to_string()));
    dynamic.extend(borgen_core::role::Role::ALL.iter().map(|v| v.label_key().to_string()));
    for area in ["leadership", "planning", "support", "operation", "performance", "improvement", "soa"] {
        dynamic.push(format!("area.{area}.holds"));
    }
    for a in
        ["setup", "create", "update", "archive", "restore", "add_member", "remove_member", "revoke", "set_password"]
    {
        dynamic.push(format!("audit.action.{a}"));
    }
    for e in ["user", "organisation", "membership", "api_token", "context_issue", "interested_party", "requirement"] {
        dynamic.push(format!("entity.{e}"));
    }
    dynamic.extend(borgen_core::soa::GAP_KINDS.iter().map(|k| format!("soa_gap.{k}")));
    let absent: Vec<_> = dynamic.into_iter().filter(|k| !borgen_core::i18n::has_key(k)).collect();
    assert!(absent.is_empty(), "{absent:?}");
}

#[tokio::test]
async fn sqlite_runs_with_wal_full_sync_and_foreign_keys() {
    let s = TestServer::start(Engine::Sqlite).await.unwrap();
    let mut tx = s.app.db.read().await.unwrap();
    let mode: String =
        borgen_store::run!(&mut tx, |c| sqlx::query_scalar("PRAGMA journal_mode").fetch_one(c).await).unwrap();
    let sync: i64 =
        borgen_store::run!(&mut tx, |c| sqlx::query_scalar("PRAGMA synchronous").fetch_one(c).await).unwrap();
    let fk: i64 =
        borgen_store::run!(&mut tx, |c| sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(c).await).unwrap();
    assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1), "journal_mode, synchronous (2 = FULL), foreign_keys");
}
