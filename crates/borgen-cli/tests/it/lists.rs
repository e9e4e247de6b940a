//! The asset and applied-control lists: one asset read alone carries the same
//! links and derived needs as in the list, and both lists page (`page`,
//! `per_page`, a total, the pager) with bad values refused as 400.

use crate::common::*;

const ASSETS: &str = "/api/v1/orgs/acme/assets";
const APPLIED: &str = "/api/v1/orgs/acme/applied-controls";

async fn create(c: &Client, path: &str, body: Value) -> Value {
    let r = c.json(Method::POST, path, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

db_test!(one_asset_read_alone_has_its_links_and_derived_needs, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    // data <- app <- server <- room: a chain; old -> data directly;
    // y -> gone (archived) -> data: an archived asset passes nothing on;
    // gone itself inherits nothing while archived.
    let data =
        create(m, ASSETS, json!({"name": "Data", "asset_type": "information", "need_c": 4, "need_i": 3, "need_a": 2}))
            .await;
    let app =
        create(m, ASSETS, json!({"name": "App", "asset_type": "software", "need_a": 3, "supports": [data["id"]]}))
            .await;
    let server = create(m, ASSETS, json!({"name": "Server", "asset_type": "hardware", "supports": [app["id"]]})).await;
    let room =
        create(m, ASSETS, json!({"name": "Room", "asset_type": "site", "need_a": 4, "supports": [server["id"]]})).await;
    let gone =
        create(m, ASSETS, json!({"name": "Gone", "asset_type": "hardware", "need_i": 1, "supports": [data["id"]]}))
            .await;
    let y = create(m, ASSETS, json!({"name": "Y", "asset_type": "people", "supports": [gone["id"], app["id"]]})).await;
    let lone = create(m, ASSETS, json!({"name": "Lone", "asset_type": "site", "need_c": 1})).await;
    let r = m.call(Method::POST, &format!("{ASSETS}/{}/archive", id(&gone))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    let one = |a: &Value| {
        let path = format!("{ASSETS}/{}", id(a));
        async move {
            let r = m.get(&path).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            r.json()
        }
    };
    assert_eq!(one(&room).await["effective"], json!({"need_c": 4, "need_i": 3, "need_a": 4}));
    assert_eq!(one(&server).await["effective"], json!({"need_c": 4, "need_i": 3, "need_a": 3}));
    assert_eq!(one(&app).await["effective"], json!({"need_c": 4, "need_i": 3, "need_a": 3}));
    assert_eq!(one(&data).await["effective"], json!({"need_c": 4, "need_i": 3, "need_a": 2}));
    assert_eq!(one(&lone).await["effective"], json!({"need_c": 1, "need_i": 0, "need_a": 0}));
    // Archived: its own needs only, its links kept.
    let g = one(&gone).await;
    assert_eq!(
        (g["effective"].clone(), g["archived"].clone()),
        (json!({"need_c": 0, "need_i": 1, "need_a": 0}), json!(true))
    );
    assert_eq!(g["supports"], json!([data["id"]]));
    // Through the archived asset nothing comes; through app everything does.
    let yy = one(&y).await;
    assert_eq!(yy["effective"], json!({"need_c": 4, "need_i": 3, "need_a": 3}));
    let mut links = vec![id(&gone), id(&app)];
    links.sort();
    assert_eq!(yy["supports"], json!(links));

    // The same record alone as in the list (one page holding all).
    let list = m.get(&format!("{ASSETS}?archived=all&per_page=500")).await.json();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 7);
    for item in items {
        assert_eq!(&one(item).await, item, "an asset alone differs from the list");
    }
    // An asset that is not the organisation's, or no asset at all.
    let theirs = create(&w.outsider, "/api/v1/orgs/other/assets", json!({"name": "T", "asset_type": "site"})).await;
    assert_eq!(m.get(&format!("{ASSETS}/{}", id(&theirs))).await.status, StatusCode::NOT_FOUND);
    assert_eq!(m.get(&format!("{ASSETS}/not-an-id")).await.status, StatusCode::NOT_FOUND);
    // The page of one asset still shows where the needs come from.
    let page = m.get(&format!("/o/acme/assets/{}", id(&server))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("App"), "{}", page.text);
});

/// Checks one paged list through the API and its page: sizes, totals, order
/// without overlap, the pager, bad values.
async fn check_paging(m: &Client, nl: &Client, api: &str, page: &str, names: &[String]) {
    let n = names.len() as i64;
    let first = m.get(api).await.json();
    assert_eq!(
        (first["total"].as_i64(), first["page"].as_i64(), first["per_page"].as_i64()),
        (Some(n), Some(1), Some(25))
    );
    assert_eq!(first["items"].as_array().unwrap().len(), 25);
    let second = m.get(&format!("{api}?page=2")).await.json();
    assert_eq!(second["items"].as_array().unwrap().len(), names.len() - 25);
    assert_eq!(second["total"], n);
    // Pages of 7 in name order, together every record once.
    let mut seen = Vec::new();
    for p in 1..=5 {
        let r = m.get(&format!("{api}?per_page=7&page={p}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let v = r.json();
        assert_eq!((v["page"].as_i64(), v["per_page"].as_i64(), v["total"].as_i64()), (Some(p), Some(7), Some(n)));
        seen.extend(v["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap().to_string()));
    }
    assert_eq!(seen, names);
    // Past the end: an empty page, still with the total.
    let v = m.get(&format!("{api}?page=9")).await.json();
    assert_eq!((v["items"].as_array().unwrap().len(), v["total"].as_i64()), (0, Some(n)));
    assert_eq!(m.get(&format!("{api}?per_page=500")).await.json()["items"].as_array().unwrap().len(), names.len());
    // Filters count too.
    let v = m.get(&format!("{api}?q=07")).await.json();
    assert_eq!((v["items"].as_array().unwrap().len(), v["total"].as_i64()), (1, Some(1)));
    // Bad values: 400 error.bad_filter on the API and on the page, in both languages.
    for bad in ["page=0", "page=x", "page=-1", "per_page=0", "per_page=501", "per_page=ten"] {
        let r = m.get(&format!("{api}?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.text);
        assert_eq!(r.json()["error"]["code"], "error.bad_filter", "{bad}");
        let r = m.get(&format!("{page}?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.text.contains("A filter, sort or page value in the address is not valid."), "{}", r.text);
    }
    let r = nl.get(&format!("{page}?page=0")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("Een filter-, sorteer- of paginawaarde in het adres is ongeldig."), "{}", r.text);
    // The page: 25 rows, the pager with the total and a link to page 2 that
    // keeps the filters.
    let html = m.get(&format!("{page}?archived=active")).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.text.contains(&format!("Page 1 of 2 ({n} in all)")), "{}", html.text);
    assert!(html.text.contains("rel=\"next\""), "{}", html.text);
    assert!(html.text.contains("archived=active&amp;page=2"), "{}", html.text);
    assert!(html.text.contains(&names[24]) && !html.text.contains(&format!(">{}<", names[25])));
    let html = m.get(&format!("{page}?page=2")).await;
    assert!(html.text.contains(&format!("Page 2 of 2 ({n} in all)")) && html.text.contains("rel=\"prev\""));
    assert!(html.text.contains(&format!(">{}<", names[25])));
}

db_test!(assets_and_applied_controls_are_listed_in_pages, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let names: Vec<String> = (1..=30).map(|i| format!("Item {i:02}")).collect();
    // Created out of order: the list sorts by name.
    for name in names.iter().rev() {
        create(m, ASSETS, json!({"name": name, "asset_type": "hardware"})).await;
        create(m, APPLIED, json!({"name": name, "status": "planned", "control_ids": "8.5"})).await;
    }
    // A reader who chose Dutch.
    let nl = &w.viewer;
    assert_eq!(nl.post_form("/lang", &[("lang", "nl"), ("next", "/")]).await.status, StatusCode::SEE_OTHER);
    check_paging(m, nl, ASSETS, "/o/acme/assets", &names).await;
    check_paging(m, nl, APPLIED, "/o/acme/soa/applied", &names).await;
    // A page's applied controls keep their Annex A links.
    let v = m.get(&format!("{APPLIED}?per_page=3&page=4&control_ids=8.5")).await.json();
    assert_eq!(v["total"], 30);
    assert!(v["items"].as_array().unwrap().iter().all(|a| a["control_ids"] == json!(["8.5"])), "{v}");
    // Exports keep exporting every matching row.
    let csv = m.get("/o/acme/assets/export/csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(names.iter().all(|n| csv.text.contains(n.as_str())), "{}", csv.text);
});
