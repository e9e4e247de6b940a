//! Evidence files: attached to records through the pages and the API,
//! stored once by hash on disk (or in S3-compatible storage, below), the
//! kind checked by content, downloads only for who may read the record,
//! and `borgen evidence verify`.

use crate::common::*;
use reqwest::multipart::{Form, Part};

const APPLIED: &str = "/api/v1/orgs/acme/applied-controls";
pub const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
const ELF: &[u8] = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";

fn file(bytes: &[u8], name: &str) -> Form {
    Form::new().part("file", Part::bytes(bytes.to_vec()).file_name(name.to_string()))
}

async fn applied(w: &World, name: &str, owner: Option<&str>) -> String {
    let mut body = json!({ "name": name, "status": "implemented", "control_ids": ["8.13"] });
    if let Some(o) = owner {
        body["owner_id"] = json!(o);
    }
    let r = w.manager.json(Method::POST, APPLIED, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

/// The files under the evidence directory (what is on disk, however named).
fn stored(s: &TestServer) -> Vec<std::path::PathBuf> {
    fn walk(d: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() { walk(&p, out) } else { out.push(p) }
        }
    }
    let mut out = Vec::new();
    walk(&s.evidence_dir, &mut out);
    out
}

fn sha(bytes: &[u8]) -> String {
    borgen_core::evidence::sha256_hex(bytes)
}

db_test!(a_file_is_attached_stored_once_downloaded_and_taken_off, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let backup = applied(&w, "Back-up", None).await;
    let issue = w.issue("Cloud provider outage", None).await["id"].as_str().unwrap().to_string();
    let events = w.s.count("audit_events").await;

    // Through the page: 303 back to the record, which lists the file.
    let r = m
        .post_multipart(
            &format!("/o/acme/evidence/applied_control/{backup}"),
            file(PDF, "back-up test 2026.pdf").text("note", "Restore test of March"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.location(), format!("/o/acme/soa/applied/{backup}?done=attached#evidence"));
    let page = m.get(&format!("/o/acme/soa/applied/{backup}")).await;
    assert!(
        page.text.contains("back-up test 2026.pdf") && page.text.contains("Restore test of March"),
        "{}",
        page.text
    );
    assert_eq!(w.s.count("audit_events").await, events + 1, "one audit event on the record");
    let history = m.get(&format!("/api/v1/orgs/acme/applied-controls/{backup}/history")).await;
    assert!(history.text.contains("\"attach\"") && history.text.contains(&sha(PDF)), "{}", history.text);

    // The same bytes on another record: stored once, attached twice.
    let r = m.api_multipart(&format!("/api/v1/orgs/acme/evidence/context_issue/{issue}"), file(PDF, "sla.pdf")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["sha256"], sha(PDF));
    assert_eq!(w.s.count("evidence_files").await, 1);
    assert_eq!(w.s.count("evidence_links").await, 2);
    let on_disk = stored(&w.s);
    assert_eq!(on_disk.len(), 1, "{on_disk:?}");
    assert!(on_disk[0].ends_with(format!("sha256/{}/{}", &sha(PDF)[..2], sha(PDF))), "{on_disk:?}");
    assert_eq!(std::fs::read(&on_disk[0]).unwrap(), PDF);

    // The download: the bytes, the stored type, as an attachment, never sniffed.
    let list = m.get(&format!("/api/v1/orgs/acme/evidence/applied_control/{backup}")).await.json();
    let link = list["items"][0]["id"].as_str().unwrap().to_string();
    let d = m.get(&format!("/o/acme/evidence/download/{link}")).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.bytes, PDF);
    assert_eq!(d.headers["content-type"], "application/pdf");
    assert_eq!(d.headers["x-content-type-options"], "nosniff");
    let cd = d.headers["content-disposition"].to_str().unwrap();
    assert!(cd.starts_with("attachment;") && cd.contains("back-up%20test%202026.pdf"), "{cd}");
    let by_hash = m.get(&format!("/o/acme/evidence/files/{}", sha(PDF))).await;
    assert_eq!((by_hash.status, by_hash.bytes.as_slice()), (StatusCode::OK, PDF));

    // The index: one file, two records.
    let index = m.get("/api/v1/orgs/acme/evidence").await.json();
    assert_eq!(index["total"], 1);
    let titles: Vec<&str> = index["items"][0]["attached_to"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["record_title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Back-up", "Cloud provider outage"]);
    let page = m.get("/o/acme/evidence").await;
    assert!(page.text.contains("Evidence files") && page.text.contains("Back-up"), "{}", page.text);
    w.auditor.post_form("/lang", &[("lang", "nl")]).await;
    let nl = w.auditor.get("/o/acme/evidence").await.text;
    assert!(nl.contains("Bewijsbestanden") && nl.contains("Gekoppeld aan"), "{nl}");

    // Taking it off: gone from the record, in its history, the file kept.
    let r = m.post_form(&format!("/o/acme/evidence/applied_control/{backup}/{link}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert!(
        m.get(&format!("/api/v1/orgs/acme/evidence/applied_control/{backup}")).await.json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let history = m.get(&format!("/o/acme/soa/applied/{backup}")).await;
    assert!(history.text.contains("took a file off"), "{}", history.text);
    assert_eq!(w.s.count("evidence_files").await, 1);
    // Taking it off twice: there is nothing to take off.
    let r = m.post_form(&format!("/o/acme/evidence/applied_control/{backup}/{link}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
});

db_test!(
    refused_files_change_nothing_and_say_why,
    TestOptions { evidence_max_bytes: Some(4096), ..Default::default() },
    |s| {
        let w = World::new(s).await;
        let m = &w.manager;
        let backup = applied(&w, "Back-up", None).await;
        let path = format!("/o/acme/evidence/applied_control/{backup}");
        let api = format!("/api/v1/orgs/acme/evidence/applied_control/{backup}");
        let events = w.s.count("audit_events").await;
        let cases: [(&[u8], &str, &str); 5] = [
            (ELF, "tool.pdf", "This kind of file is not accepted"),
            (b"PK\x03\x04\x14\0\0\0\x08\0rest", "archive.zip", "This kind of file is not accepted"),
            (PDF, "report.png", "another kind of file than its content"),
            (b"", "empty.txt", "The file is empty"),
            (&[b'a'; 5000], "big.txt", "larger than the limit"),
        ];
        for (bytes, name, says) in cases {
            let r = m.post_multipart(&path, file(bytes, name)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {}", r.text);
            assert!(r.text.contains(says), "{name}: {}", r.text);
            let r = m.api_multipart(&api, file(bytes, name)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
            assert_eq!(r.json()["error"]["fields"][0]["field"], "file", "{}", r.text);
        }
        // In Dutch.
        m.post_form("/lang", &[("lang", "nl")]).await;
        let r = m.post_multipart(&path, file(ELF, "tool.exe")).await;
        assert!(r.text.contains("Dit soort bestand wordt niet geaccepteerd"), "{}", r.text);
        m.post_form("/lang", &[("lang", "en")]).await;
        assert_eq!(w.s.count("audit_events").await, events);
        assert_eq!(w.s.count("evidence_files").await, 0);
        assert!(stored(&w.s).is_empty(), "nothing stored");

        // The same file twice on one record.
        assert_eq!(m.api_multipart(&api, file(b"minutes", "a.txt")).await.status, StatusCode::CREATED);
        let r = m.api_multipart(&api, file(b"minutes", "b.txt")).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        assert_eq!(w.s.count("evidence_links").await, 1);
        // Without the CSRF field or header.
        let r = Client::send(
            reqwest::Client::new()
                .post(format!("{}{api}", m.base()))
                .header("cookie", format!("borgen_session={}", m.cookie("borgen_session").unwrap()))
                .multipart(file(b"x", "x.txt")),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(w.s.count("evidence_links").await, 1);
    }
);

db_test!(only_who_may_edit_the_record_attaches_and_only_readers_download, |s| {
    let w = World::new(s).await;
    let contributor_id = w.user_id("contributor@acme.test").await;
    let theirs = applied(&w, "Access reviews", Some(&contributor_id)).await;
    let others = applied(&w, "Back-up", None).await;
    let at = |id: &str| format!("/api/v1/orgs/acme/evidence/applied_control/{id}");
    // A contributor attaches to what they own, not to what they do not.
    assert_eq!(w.contributor.api_multipart(&at(&theirs), file(b"review 1", "r.txt")).await.status, StatusCode::CREATED);
    assert_eq!(w.contributor.api_multipart(&at(&others), file(b"x", "x.txt")).await.status, StatusCode::FORBIDDEN);
    // Top management, auditors and viewers attach nothing.
    for c in [&w.top, &w.auditor, &w.viewer] {
        assert_eq!(c.api_multipart(&at(&others), file(b"x", "x.txt")).await.status, StatusCode::FORBIDDEN);
    }
    // Another organisation's member: the organisation is not found.
    assert_eq!(w.outsider.api_multipart(&at(&others), file(b"x", "x.txt")).await.status, StatusCode::NOT_FOUND);
    // An archived record takes no files (409) until restored.
    assert_eq!(w.manager.call(Method::POST, &format!("{APPLIED}/{others}/archive")).await.status, StatusCode::OK);
    let r = w.manager.api_multipart(&at(&others), file(b"x", "x.txt")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);

    let link = w.contributor.get(&at(&theirs)).await.json()["items"][0]["id"].as_str().unwrap().to_string();
    let hash = sha(b"review 1");
    // An auditor reads it; a viewer may not read the registers.
    assert_eq!(w.auditor.get(&format!("/o/acme/evidence/download/{link}")).await.status, StatusCode::OK);
    assert_eq!(w.viewer.get(&format!("/o/acme/evidence/download/{link}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.viewer.get(&format!("/o/acme/evidence/files/{hash}")).await.status, StatusCode::NOT_FOUND);
    // Another organisation: not by the link, not by the hash, not in its index.
    assert_eq!(w.outsider.get(&format!("/o/other/evidence/download/{link}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.outsider.get(&format!("/o/other/evidence/files/{hash}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.outsider.get(&format!("/api/v1/orgs/other/evidence/files/{hash}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(w.outsider.get("/api/v1/orgs/other/evidence").await.json()["total"], 0);
    assert_eq!(w.outsider.get(&format!("/o/acme/evidence/files/{hash}")).await.status, StatusCode::NOT_FOUND);
    // Once it holds the same file itself, it reads its own.
    let r = w
        .outsider
        .json(Method::POST, "/api/v1/orgs/other/applied-controls", &json!({"name": "Reviews", "status": "planned"}))
        .await;
    let theirs_other = r.json()["id"].as_str().unwrap().to_string();
    let r = w
        .outsider
        .api_multipart(
            &format!("/api/v1/orgs/other/evidence/applied_control/{theirs_other}"),
            file(b"review 1", "mine.txt"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let mine = w.outsider.get(&format!("/o/other/evidence/files/{hash}")).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.headers["content-disposition"].to_str().unwrap().contains("mine.txt"));
    // The stored file is shared, the rows are not.
    assert_eq!(stored(&w.s).len(), 1);
    assert_eq!(w.s.count("evidence_files").await, 2);
});

db_test!(risks_take_evidence_and_tokens_follow_their_scope, |s| {
    let w = World::new(s).await;
    let r = w
        .manager
        .json(Method::POST, "/api/v1/orgs/acme/risks", &json!({"title": "Phishing", "status": "identified"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let risk = r.json()["id"].as_str().unwrap().to_string();
    let mail = b"From: security@acme.test\r\nSubject: Phishing drill\r\nDate: Tue, 1 Dec 2026 09:00:00 +0100\r\n\r\nResults attached.\r\n";
    let r = w.manager.post_multipart(&format!("/o/acme/evidence/risk/{risk}"), file(mail, "drill.eml")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = w.manager.get(&format!("/o/acme/risks/{risk}")).await;
    assert!(page.text.contains("drill.eml") && page.text.contains("EML"), "{}", page.text);
    let items = w.manager.get(&format!("/api/v1/orgs/acme/evidence/risk/{risk}")).await.json()["items"].clone();
    assert_eq!(items[0]["media_type"], "message/rfc822");
    let link = items[0]["id"].as_str().unwrap().to_string();

    // A read-only token reads, a read-write token changes.
    let ro = Client::with_token(&w.s.base, &token(&w, "read").await);
    let rw = Client::with_token(&w.s.base, &token(&w, "write").await);
    let d = ro.get(&format!("/api/v1/orgs/acme/evidence/download/{link}")).await;
    assert_eq!((d.status, d.bytes.as_slice()), (StatusCode::OK, &mail[..]));
    let r = ro.call(Method::DELETE, &format!("/api/v1/orgs/acme/evidence/risk/{risk}/{link}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = rw.call(Method::DELETE, &format!("/api/v1/orgs/acme/evidence/risk/{risk}/{link}")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    // An unknown kind of record, or a malformed id: not found.
    assert_eq!(w.manager.get("/api/v1/orgs/acme/evidence/nothing/123").await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.manager.get("/api/v1/orgs/acme/evidence/risk/not-an-id").await.status, StatusCode::NOT_FOUND);
});

db_test!(verify_names_missing_and_changed_files, |s| {
    let w = World::new(s).await;
    let backup = applied(&w, "Back-up", None).await;
    let at = format!("/api/v1/orgs/acme/evidence/applied_control/{backup}");
    assert_eq!(w.manager.api_multipart(&at, file(PDF, "a.pdf")).await.status, StatusCode::CREATED);
    assert_eq!(w.manager.api_multipart(&at, file(b"log line\n", "b.txt")).await.status, StatusCode::CREATED);
    let verify = || {
        let mut c = borgen(&w.s, &["evidence", "verify"]);
        if w.s.data_dir.is_none() {
            // Beside PostgreSQL, the evidence is under a data directory of its own.
            c.arg("--data-dir").arg(w.s.evidence_dir.parent().unwrap());
        }
        run(c)
    };
    let (code, out, err) = verify();
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Evidence intact: 2 files checked"), "{out}");

    let files = stored(&w.s);
    let pdf = files.iter().find(|p| p.ends_with(sha(PDF))).unwrap();
    let txt = files.iter().find(|p| !p.ends_with(sha(PDF))).unwrap();
    std::fs::write(pdf, b"%PDF-1.7 changed").unwrap();
    std::fs::remove_file(txt).unwrap();
    let (code, out, _) = verify();
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("CHANGED  {}", sha(PDF))), "{out}");
    assert!(out.contains(&format!("MISSING  {}", sha(b"log line\n"))), "{out}");
    assert!(out.contains("2 of 2 files"), "{out}");
    // A changed file is not served as if it were the evidence.
    let r = w.manager.get(&format!("/o/acme/evidence/files/{}", sha(PDF))).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
});

/// The S3-compatible store the tests use (`.ci/run` starts SeaweedFS with
/// signature checks on 127.0.0.1): `BORGEN_TEST_S3_ENDPOINT`, `…_BUCKET`,
/// `…_ACCESS_KEY_ID`, `…_SECRET_ACCESS_KEY`. Without it these tests say so
/// and pass, unless `BORGEN_REQUIRE_S3=1`. Each test keeps its files under
/// a prefix of its own.
fn s3() -> Option<borgen_store::evidence::S3Settings> {
    let var = |n: &str| std::env::var(format!("BORGEN_TEST_S3_{n}")).ok().filter(|v| !v.is_empty());
    let Some(endpoint) = var("ENDPOINT") else {
        if std::env::var("BORGEN_REQUIRE_S3").is_ok_and(|v| v == "1") {
            panic!("BORGEN_REQUIRE_S3=1 but BORGEN_TEST_S3_ENDPOINT is not set");
        }
        eprintln!("*** S3 evidence test SKIPPED: BORGEN_TEST_S3_ENDPOINT is not set ***");
        return None;
    };
    Some(borgen_store::evidence::S3Settings {
        endpoint: Some(endpoint),
        bucket: var("BUCKET").unwrap_or_else(|| "borgen".into()),
        region: "us-east-1".into(),
        access_key_id: var("ACCESS_KEY_ID").expect("BORGEN_TEST_S3_ACCESS_KEY_ID"),
        secret_access_key: var("SECRET_ACCESS_KEY").expect("BORGEN_TEST_S3_SECRET_ACCESS_KEY"),
        prefix: Some(format!("test-{}", uuid_like())),
    })
}

fn uuid_like() -> String {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{t:x}-{}", std::process::id())
}

/// The bucket as the store sees it, bypassing Borgen (to look and to tamper).
fn raw_bucket(s3: &borgen_store::evidence::S3Settings) -> impl object_store::ObjectStore {
    let store = object_store::aws::AmazonS3Builder::new()
        .with_endpoint(s3.endpoint.clone().unwrap())
        .with_bucket_name(&s3.bucket)
        .with_region(&s3.region)
        .with_access_key_id(&s3.access_key_id)
        .with_secret_access_key(&s3.secret_access_key)
        .with_allow_http(true)
        .with_virtual_hosted_style_request(false)
        .build()
        .unwrap();
    object_store::prefix::PrefixStore::new(store, s3.prefix.clone().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_in_s3_storage_with_real_signatures() {
    use object_store::ObjectStore;
    let Some(s3) = s3() else { return };
    let s = TestServer::start_with(Engine::Sqlite, TestOptions { s3: Some(s3.clone()), ..Default::default() })
        .await
        .unwrap();
    let w = World::new(s).await;
    let backup = applied(&w, "Back-up", None).await;
    let restore = applied(&w, "Restore test", None).await;
    for id in [&backup, &restore] {
        let r = w
            .manager
            .api_multipart(&format!("/api/v1/orgs/acme/evidence/applied_control/{id}"), file(PDF, "b.pdf"))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    // Stored once, in the bucket, nothing on disk.
    let bucket = raw_bucket(&s3);
    let objects: Vec<_> = futures_collect(bucket.list(None)).await;
    assert_eq!(objects, [format!("sha256/{}/{}", &sha(PDF)[..2], sha(PDF))]);
    assert!(stored(&w.s).is_empty());
    let d = w.manager.get(&format!("/o/acme/evidence/files/{}", sha(PDF))).await;
    assert_eq!((d.status, d.bytes.as_slice()), (StatusCode::OK, PDF));

    // `borgen evidence verify` against the bucket, then after tampering.
    let verify = || {
        let mut c = borgen(&w.s, &["evidence", "verify"]);
        c.env("BORGEN_EVIDENCE_STORE", "s3")
            .env("BORGEN_S3_ENDPOINT", s3.endpoint.clone().unwrap())
            .env("BORGEN_S3_BUCKET", &s3.bucket)
            .env("BORGEN_S3_ACCESS_KEY_ID", &s3.access_key_id)
            .env("BORGEN_S3_SECRET_ACCESS_KEY", &s3.secret_access_key)
            .env("BORGEN_S3_PREFIX", s3.prefix.clone().unwrap());
        run(c)
    };
    let (code, out, err) = verify();
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Evidence intact: 1 files checked in S3 bucket"), "{out}");
    let key = object_store::path::Path::from(objects[0].as_str());
    bucket.put(&key, bytes::Bytes::from_static(b"%PDF-1.7 forged").into()).await.unwrap();
    let (code, out, _) = verify();
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("CHANGED  {}", sha(PDF))), "{out}");

    // A wrong secret: the store refuses the upload, nothing is recorded.
    let wrong = borgen_store::evidence::S3Settings { secret_access_key: "not-the-secret".into(), ..s3.clone() };
    let s =
        TestServer::start_with(Engine::Sqlite, TestOptions { s3: Some(wrong), ..Default::default() }).await.unwrap();
    let w2 = World::new(s).await;
    let id = applied(&w2, "Back-up", None).await;
    let r = w2
        .manager
        .api_multipart(&format!("/api/v1/orgs/acme/evidence/applied_control/{id}"), file(b"other", "o.txt"))
        .await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.text);
    assert_eq!(w2.s.count("evidence_files").await, 0);
    assert_eq!(w2.s.count("evidence_links").await, 0);
    assert_eq!(futures_collect(bucket.list(None)).await.len(), 1, "nothing written with the wrong secret");
}

/// The keys of a listing.
async fn futures_collect(
    mut s: futures::stream::BoxStream<'_, object_store::Result<object_store::ObjectMeta>>,
) -> Vec<String> {
    use futures::StreamExt;
    let mut out = Vec::new();
    while let Some(m) = s.next().await {
        out.push(m.unwrap().location.to_string());
    }
    out.sort();
    out
}
