// Borgen browser end-to-end test.
//
// Run from the repository root after `cargo build` (or `cargo test`, which builds
// target/debug/borgen too):
//
//     (cd tests/e2e && npm install) && node tests/e2e/run.mjs
//
// It starts target/debug/borgen (or $BORGEN_BIN) on a free port with a fresh
// data directory, drives Debian's Chromium through first-run setup, login,
// the language switch, the two context registers and the CSV export, and runs
// axe on the main pages. Screenshots go to tests/e2e/screenshots/ (or
// $E2E_SCREENSHOTS). The last line is "N passed, M failed"; the exit code is
// non-zero on any failure.

import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const BIN = path.resolve(process.env.BORGEN_BIN || path.join(repo, "target", "debug", "borgen"));
const SHOTS = path.resolve(process.env.E2E_SCREENSHOTS || path.join(here, "screenshots"));
const CHROMIUM = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => fs.existsSync(p));

// What the test enters. The slug and texts are fixed so that failures are easy to read.
const ADMIN = { name: "Ada Admin", email: "ada@example.org", password: "correct horse battery" };
const ORG = { name: "Acme Test B.V.", slug: "acme" };
const ISSUE = {
  title: "Strengere eisen aan datalekmeldingen",
  kind: "external",
  category: "climate_change",
  description: "Toezichthouders verwachten snellere meldingen.",
  effect: "Incidentproces en meldplicht aanscherpen.",
  source: "Jaarverslag toezichthouder 2026",
  last_reviewed: "2026-10-01",
  // How the pages show that date to a Dutch reader.
  last_reviewed_shown: "1 oktober 2026",
};
const PARTY = { name: "Autoriteit Persoonsgegevens", party_type: "regulator", description: "Toezicht op de AVG." };
const REQ = { title: "Datalekken binnen 72 uur melden", req_type: "legal", how_addressed: "Procedure incidentbeheer, beheersmaatregel 5.24." };

const T0 = Date.now();
const log = (msg) => console.log(`[${((Date.now() - T0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);

class Failure extends Error {}
function check(cond, msg) {
  if (!cond) throw new Failure(msg);
}

// ---------------------------------------------------------------- the server

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let server = null;
let serverOut = "";
let dataDir = null;

async function startServer() {
  check(fs.existsSync(BIN), `No Borgen binary at ${BIN}. Run \`cargo build\` or \`cargo test\` first (or set BORGEN_BIN).`);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "borgen-e2e-"));
  const port = await freePort();
  // Only the settings given here: no BORGEN_* from the caller (a database URL, say).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BORGEN_")));
  env.BORGEN_LOG = "info";
  env.NO_COLOR = "1";
  const args = ["serve", "--listen", `127.0.0.1:${port}`, "--data-dir", dataDir];
  log(`starting ${BIN} ${args.join(" ")}`);
  // The data directory is also the working directory, so no ./borgen.toml is picked up.
  server = spawn(BIN, args, { cwd: dataDir, env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout.on("data", (d) => (serverOut += d));
  server.stderr.on("data", (d) => (serverOut += d));
  let exited = null;
  server.on("exit", (code, signal) => (exited = { code, signal }));

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  let code = null;
  let ready = false;
  while (Date.now() < deadline) {
    check(!exited, `The server exited early (code ${exited?.code}, signal ${exited?.signal}).`);
    code = code || (serverOut.match(/[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}/) || [])[0];
    if (!ready) {
      try {
        ready = (await fetch(`${base}/readyz`)).status === 200;
      } catch {
        // not listening yet
      }
    }
    if (ready && code) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  check(ready, `GET ${base}/readyz did not answer 200 within 30 s.`);
  check(code, "The server did not print a one-time setup code (XXXX-XXXX-XXXX) on stdout.");
  log(`server ready at ${base}, setup code ${code}`);
  return { base, code };
}

async function stopServer() {
  if (server && server.exitCode === null && server.signalCode === null) {
    const gone = new Promise((r) => server.once("exit", r));
    server.kill("SIGINT");
    const timer = setTimeout(() => server.kill("SIGKILL"), 5000);
    await gone;
    clearTimeout(timer);
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

// ------------------------------------------------------------------- helpers

let shotNo = 0;
async function shot(page, name) {
  shotNo += 1;
  const file = path.join(SHOTS, `${String(shotNo).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  log(`  screenshot ${path.basename(file)}`);
}

/** Clicks something that submits or follows a link; returns the final response of the navigation. */
async function clickAndWait(page, locator) {
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: "load" }), locator.click()]);
  return resp;
}

async function goto(page, url) {
  const resp = await page.goto(url, { waitUntil: "load" });
  check(resp && resp.ok(), `GET ${url} answered ${resp?.status()} (${page.url()}).`);
  return resp;
}

function pathOf(page) {
  return new URL(page.url()).pathname;
}

async function h1(page) {
  const h = page.locator("h1");
  return (await h.count()) ? (await h.first().innerText()).trim() : "(no h1)";
}

async function expectH1(page, want) {
  const got = await h1(page);
  check(got === want || got.startsWith(want), `Expected the heading "${want}" on ${pathOf(page)}, but it reads "${got}".`);
}

async function expectText(locator, want, where) {
  const n = await locator.count();
  check(n > 0, `${where}: nothing found.`);
  const text = (await locator.first().innerText()).trim();
  check(text.includes(want), `${where}: expected "${want}", found "${text}".`);
}

async function button(page, name, scope = page) {
  const b = scope.getByRole("button", { name, exact: true });
  check((await b.count()) > 0, `No button "${name}" on ${pathOf(page)}.`);
  return b.first();
}

async function link(page, name, scope = page) {
  const a = scope.getByRole("link", { name, exact: true });
  check((await a.count()) > 0, `No link "${name}" on ${pathOf(page)}.`);
  return a.first();
}

// Accessibility results, collected on the way and judged in step h.
const axeRuns = [];
async function axe(page, label) {
  try {
    const r = await new AxeBuilder({ page }).analyze();
    axeRuns.push({ label, url: pathOf(page), violations: r.violations });
    const bad = r.violations.filter((v) => v.impact === "critical" || v.impact === "serious");
    log(`  axe on ${label}: ${r.violations.length} violation(s), ${bad.length} critical/serious`);
  } catch (e) {
    axeRuns.push({ label, url: pathOf(page), error: String(e?.message || e) });
    log(`  axe on ${label}: could not run: ${e?.message || e}`);
  }
}

function formatViolation(v) {
  const lines = [`    [${v.impact}] ${v.id}: ${v.help}`, `      ${v.helpUrl}`];
  for (const n of v.nodes.slice(0, 5)) {
    lines.push(`      at ${n.target.join(" ")}`);
    if (n.failureSummary) lines.push(...n.failureSummary.split("\n").map((s) => `        ${s}`));
  }
  if (v.nodes.length > 5) lines.push(`      ... and ${v.nodes.length - 5} more element(s)`);
  return lines.join("\n");
}

// The test's authenticator app (RFC 6238: SHA-1, 6 digits, 30 s), for the
// two-step verification step. Never the same step twice: the server refuses it.
function base32Decode(s) {
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const out = [];
  let acc = 0;
  let bits = 0;
  for (const c of s.replace(/\s+/g, "").toUpperCase()) {
    const v = A.indexOf(c);
    check(v >= 0, `The key shown is not base32: ${s}`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 255);
      acc &= (1 << bits) - 1;
    }
  }
  return Buffer.from(out);
}

function totpCode(key, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = crypto.createHmac("sha1", key).update(msg).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

let lastStep = null;
async function nextCode(key) {
  for (;;) {
    const now = Math.floor(Date.now() / 1000);
    if (now % 30 >= 27) {
      await new Promise((r) => setTimeout(r, (31 - (now % 30)) * 1000));
      continue;
    }
    const current = Math.floor(now / 30);
    const step = lastStep === null ? current - 1 : Math.max(lastStep + 1, current - 1);
    if (step > current + 1) {
      await new Promise((r) => setTimeout(r, ((step - 1) * 30 - now + 1) * 1000));
      continue;
    }
    lastStep = step;
    return totpCode(key, step);
  }
}

// --------------------------------------------------------------------- steps

async function run() {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.endsWith(".png")) fs.rmSync(path.join(SHOTS, f));

  const { base, code } = await startServer();
  const o = `${base}/o/${ORG.slug}`;

  check(CHROMIUM, "Chromium not found at /usr/lib/chromium/chromium or /usr/bin/chromium (apt-get install chromium).");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: "en-GB" });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on("dialog", (d) => d.accept());
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));

  const steps = [
    ["a", "first-run setup: / redirects to /setup, the form creates admin and organisation", async () => {
      const r = await page.goto(`${base}/`, { waitUntil: "load" });
      check(pathOf(page) === "/setup", `GET / should redirect to /setup before setup, but it shows ${pathOf(page)} (status ${r?.status()}).`);
      check(r.request().redirectedFrom(), "GET / answered without a redirect.");
      await shot(page, "setup");
      await axe(page, "setup page");

      await page.fill("input[name=setup_code]", code);
      await page.fill("input[name=name]", ADMIN.name);
      await page.fill("input[name=email]", ADMIN.email);
      await page.fill("input[name=password]", ADMIN.password);
      await page.fill("input[name=org_name]", ORG.name);
      await page.fill("input[name=org_slug]", ORG.slug);
      await page.selectOption("select[name=lang]", "en");
      await shot(page, "setup-filled");
      const resp = await clickAndWait(page, page.locator("form[action='/setup'] button[type=submit]"));
      const err = await page.locator(".error-summary, p.field-error").allInnerTexts();
      check(pathOf(page) === `/o/${ORG.slug}`, `After setup the browser should land on /o/${ORG.slug}, but it is on ${pathOf(page)} (status ${resp?.status()}). ${err.join(" | ")}`);
      await expectH1(page, ORG.name);
      await expectText(page.locator("header .user-email"), ADMIN.email, "header: the logged-in user's e-mail");
      check((await page.locator("html").getAttribute("lang")) === "en", "The overview after setup is not in English (<html lang>).");
      await shot(page, "overview-en");
    }],

    ["b", "log out, a wrong password is refused without naming the account, log in", async () => {
      const logout = await button(page, "Log out", page.locator("header form[action='/logout']"));
      await clickAndWait(page, logout);
      check(pathOf(page) === "/login", `After "Log out" the browser should be on /login, but it is on ${pathOf(page)}.`);
      await expectH1(page, "Log in");
      check((await page.locator("header .user-email").count()) === 0, "The header still shows a user after logging out.");
      const g = await page.goto(`${o}`, { waitUntil: "load" });
      check(pathOf(page) === "/login", `After logging out, ${o} should send to /login, but shows ${pathOf(page)} (status ${g?.status()}).`);
      await goto(page, `${base}/login`);
      await shot(page, "login");
      await axe(page, "login page");

      await page.fill("input[name=email]", ADMIN.email);
      await page.fill("input[name=password]", "not the password");
      let resp = await clickAndWait(page, await button(page, "Log in"));
      check(resp.status() === 401, `A wrong password should answer 401, got ${resp.status()}.`);
      check(pathOf(page) === "/login", `A wrong password should stay on /login, but the browser is on ${pathOf(page)}.`);
      const msg = "That e-mail address and password do not match. Check both and try again.";
      await expectText(page.locator(".error-summary[role=alert]"), msg, "login error message");
      check((await page.inputValue("input[name=email]")) === ADMIN.email, "The e-mail address typed was not kept after a failed login.");
      await shot(page, "login-wrong-password");

      await page.fill("input[name=password]", ADMIN.password);
      resp = await clickAndWait(page, await button(page, "Log in"));
      check(pathOf(page) === `/o/${ORG.slug}`, `After logging in the browser should be on /o/${ORG.slug}, but it is on ${pathOf(page)} (status ${resp.status()}).`);
      await expectH1(page, ORG.name);
    }],

    ["c", "switch the interface to Dutch", async () => {
      const nl = page.locator("header form[action='/lang'] button[name=lang][value=nl]");
      check((await nl.count()) === 1, "No NL button in the header's language switch.");
      await clickAndWait(page, nl);
      check(pathOf(page) === `/o/${ORG.slug}`, `The language switch should return to the same page, but went to ${pathOf(page)}.`);
      check((await page.locator("html").getAttribute("lang")) === "nl", `After choosing NL, <html lang> is "${await page.locator("html").getAttribute("lang")}", not "nl".`);
      const side = page.locator("nav.sidebar");
      await link(page, "Interne en externe factoren", side);
      await link(page, "Belanghebbenden", side);
      await link(page, "Overzicht", side);
      await button(page, "Uitloggen", page.locator("header"));
      check((await page.locator("header button[name=lang][value=en]").count()) === 1, "After switching to Dutch there is no EN button to switch back.");
      await shot(page, "overview-nl");
    }],

    ["d", "create a context issue: errors in place, then saved with history", async () => {
      await goto(page, `${o}/context/issues`);
      await expectH1(page, "Interne en externe factoren");
      await shot(page, "issues-empty");
      await clickAndWait(page, await link(page, "Nieuwe factor"));
      check(pathOf(page) === `/o/${ORG.slug}/context/issues/new`, `"Nieuwe factor" led to ${pathOf(page)}.`);
      await expectH1(page, "Nieuwe factor");

      let resp = await clickAndWait(page, await button(page, "Opslaan", page.locator("main form")));
      check(resp.status() === 422, `Saving an empty issue should re-render the form with 422, got ${resp.status()} at ${pathOf(page)}.`);
      await expectH1(page, "Nieuwe factor");
      const errs = page.locator("p.field-error");
      check((await errs.count()) >= 1, "Saving an empty issue shows no field errors (p.field-error).");
      for (const f of ["title", "kind", "category"]) {
        const e = page.locator(`#err-${f}.field-error`);
        check((await e.count()) === 1, `No error next to the required field "${f}" after saving an empty form.`);
        await expectText(e, "Dit veld is verplicht.", `error next to "${f}"`);
        const field = page.locator(`[name=${f}]`);
        check((await field.getAttribute("aria-invalid")) === "true", `The field "${f}" is not marked aria-invalid.`);
        check(((await field.getAttribute("aria-describedby")) || "").includes(`err-${f}`), `The field "${f}" is not described by its error.`);
        // "next to": the error is inside the same .field block as its input.
        const inBlock = page.locator(`div.field:has([name=${f}]) p.field-error`);
        check((await inBlock.count()) === 1, `The error for "${f}" is not in the same field block as the input.`);
      }
      await expectText(page.locator(".error-summary[role=alert]"), "Een paar velden vragen uw aandacht.", "error summary above the form");
      await shot(page, "issue-form-errors");
      await axe(page, "issue form with errors");

      await page.fill("input[name=title]", ISSUE.title);
      await page.selectOption("select[name=kind]", ISSUE.kind);
      await page.selectOption("select[name=category]", ISSUE.category);
      await page.fill("textarea[name=description]", ISSUE.description);
      await page.fill("textarea[name=effect]", ISSUE.effect);
      await page.fill("input[name=source]", ISSUE.source);
      await page.fill("input[name=last_reviewed]", ISSUE.last_reviewed);
      await shot(page, "issue-form-filled");
      resp = await clickAndWait(page, await button(page, "Opslaan", page.locator("main form")));
      check(/^\/o\/[^/]+\/context\/issues\/[^/]+$/.test(pathOf(page)) && !pathOf(page).endsWith("/new"),
        `After saving, the browser should be on the issue's page, but it is on ${pathOf(page)} (status ${resp.status()}). ${(await errs.allInnerTexts()).join(" | ")}`);
      await expectH1(page, ISSUE.title);
      await expectText(page.locator("p.notice[role=status]"), "Aangemaakt.", "notice after creating");
      const details = (await page.locator("dl.details").innerText()).replace(/\s+/g, " ");
      for (const want of ["Extern", "Klimaatverandering", ISSUE.description, ISSUE.effect, ISSUE.source, ISSUE.last_reviewed_shown]) {
        check(details.includes(want), `The issue page does not show "${want}". It shows: ${details}`);
      }
      const hist = page.locator("section.history");
      await expectText(hist.locator("h2"), "Historie", "history heading");
      const events = hist.locator("ol.timeline > li");
      check((await events.count()) === 1, `The history should list exactly the creation, but has ${await events.count()} entries.`);
      const ev = await events.first().innerText();
      check(ev.includes("aangemaakt") && ev.includes(ADMIN.name), `The history entry does not read as a creation by ${ADMIN.name}: "${ev}".`);
      await shot(page, "issue-detail");
      await axe(page, "issue detail");
    }],

    ["e", "create an interested party and add an addressed requirement", async () => {
      await goto(page, `${o}/context/parties`);
      await expectH1(page, "Belanghebbenden");
      await clickAndWait(page, await link(page, "Nieuwe belanghebbende"));
      check(pathOf(page) === `/o/${ORG.slug}/context/parties/new`, `"Nieuwe belanghebbende" led to ${pathOf(page)}.`);
      await page.fill("input[name=name]", PARTY.name);
      await page.selectOption("select[name=party_type]", PARTY.party_type);
      await page.fill("textarea[name=description]", PARTY.description);
      await shot(page, "party-form-filled");
      let resp = await clickAndWait(page, await button(page, "Opslaan", page.locator("main form")));
      check(/\/context\/parties\/[^/]+$/.test(pathOf(page)) && !pathOf(page).endsWith("/new"),
        `After saving, the browser should be on the party's page, but it is on ${pathOf(page)} (status ${resp.status()}).`);
      await expectH1(page, PARTY.name);
      await expectText(page.locator("p.notice[role=status]"), "Aangemaakt.", "notice after creating the party");
      await expectText(page.locator("dl.details"), "Toezichthouder", "party type on the party page");
      await expectText(page.locator("#requirements p.empty"), "Nog geen eisen vastgelegd", "empty requirements");
      const partyPath = pathOf(page);

      const det = page.locator("#requirements details");
      check((await det.count()) === 1, `No <details> "Eis toevoegen" on ${partyPath}.`);
      await expectText(det.locator("summary"), "Eis toevoegen", "the <summary> to add a requirement");
      await det.locator("summary").click();
      check(await det.evaluate((d) => d.open), "Clicking \"Eis toevoegen\" did not open the section.");
      await det.locator("input[name=title]").fill(REQ.title);
      await det.locator("select[name=req_type]").selectOption(REQ.req_type);
      await det.locator("input[name=addressed][type=checkbox]").check();
      await det.locator("textarea[name=how_addressed]").fill(REQ.how_addressed);
      await shot(page, "requirement-form-filled");
      await axe(page, "party detail with the requirement form open");
      resp = await clickAndWait(page, await button(page, "Eis toevoegen", det));
      check(pathOf(page) === partyPath, `After adding a requirement the browser should be back on ${partyPath}, but it is on ${pathOf(page)} (status ${resp.status()}). ${(await page.locator("p.field-error").allInnerTexts()).join(" | ")}`);
      await expectText(page.locator("p.notice[role=status]"), "Uw wijzigingen zijn opgeslagen.", "notice after adding a requirement");
      const rows = page.locator("#requirements table.register tbody tr");
      check((await rows.count()) === 1, `The requirements table should have 1 row, it has ${await rows.count()}.`);
      const row = (await rows.first().innerText()).replace(/\s+/g, " ");
      for (const want of [REQ.title, "Wettelijk", "Ja", REQ.how_addressed]) {
        check(row.includes(want), `The requirement row does not show "${want}": ${row}`);
      }
      const hist = await page.locator("section.history ol.timeline > li").allInnerTexts();
      check(hist.length === 2 && hist.some((h) => h.includes("(eis)")), `The party's history should list the party and the requirement: ${JSON.stringify(hist)}`);
      await shot(page, "party-detail");
      await axe(page, "party detail");
    }],

    ["f", "the registers list the new records", async () => {
      await goto(page, `${o}/context/issues`);
      const irows = page.locator("table.register tbody tr");
      check((await irows.count()) === 1, `The issues list should have 1 row, it has ${await irows.count()}.`);
      const irow = (await irows.first().innerText()).replace(/\s+/g, " ");
      for (const want of [ISSUE.title, "Extern", "Klimaatverandering", ISSUE.last_reviewed_shown]) {
        check(irow.includes(want), `The issues list row does not show "${want}": ${irow}`);
      }
      await expectText(page.locator("nav.pager"), "Pagina 1 van 1 (1 in totaal)", "pager on the issues list");
      await shot(page, "issues-list");
      await axe(page, "issues list");

      await goto(page, `${o}/context/parties`);
      const prows = page.locator("table.register tbody tr");
      check((await prows.count()) === 1, `The parties list should have 1 row, it has ${await prows.count()}.`);
      const prow = (await prows.first().innerText()).replace(/\s+/g, " ");
      for (const want of [PARTY.name, "Toezichthouder", "1 van 1 geadresseerd"]) {
        check(prow.includes(want), `The parties list row does not show "${want}": ${prow}`);
      }
      await shot(page, "parties-list");

      await goto(page, o);
      await expectText(page.locator("main"), "1 interne en externe factoren", "issue count on the overview");
      await expectText(page.locator("main"), "1 belanghebbenden", "party count on the overview");
    }],

    ["g", "export the issues as CSV", async () => {
      await goto(page, `${o}/context/issues`);
      const csvLink = await link(page, "CSV", page.locator("p.exports"));
      const href = await csvLink.getAttribute("href");
      check(href && href.includes("/context/issues/export/csv"), `The CSV link points to ${href}.`);
      const [download] = await Promise.all([page.waitForEvent("download"), csvLink.click()]);
      const file = await download.path();
      check(file, `The CSV download failed: ${await download.failure()}`);
      const csv = fs.readFileSync(file, "utf8");
      log(`  downloaded ${download.suggestedFilename()} (${csv.length} characters); header: ${csv.split(/\r?\n/)[0]}`);
      check(csv.includes(ISSUE.title), `The CSV does not contain the issue title. It starts: ${csv.slice(0, 300)}`);
      const header = csv.replace(/^\uFEFF/, "").split(/\r?\n/)[0];
      check(header.split(/[,;]/).map((s) => s.replace(/"/g, "").trim()).includes("Titel"), `The CSV header is not Dutch (no column "Titel"): ${header}`);
      check(/\.csv$/.test(download.suggestedFilename()), `The download is named ${download.suggestedFilename()}, not *.csv.`);
      // The same export through the context's cookies, to check what the server says it is.
      const r = await context.request.get(new URL(href, base).href);
      check(r.status() === 200, `GET ${href} answered ${r.status()}.`);
      check((r.headers()["content-type"] || "").includes("text/csv"), `The CSV export has Content-Type ${r.headers()["content-type"]}.`);
      await shot(page, "issues-export");
    }],

    ["i", "Statement of Applicability: decide two controls (with the rules), issue a version, approve it as top management, download XLSX and PDF", async () => {
      await goto(page, `${o}/soa/5.1`);
      await page.check("input[name=applicable][value=yes]");
      await page.check("input[name=reason_business]");
      await page.selectOption("select[name=status]", "implemented");
      await clickAndWait(page, page.locator("form.card button.primary"));
      check(pathOf(page) === `/o/${ORG.slug}/soa/5.1`, `Saving a SoA row should come back to its page, not ${pathOf(page)}.`);
      await axe(page, "soa row");
      await goto(page, `${o}/soa/7.6`);
      await page.check("input[name=applicable][value=no]");
      await clickAndWait(page, page.locator("form.card button.primary"));
      const err = page.locator("p.field-error");
      check((await err.count()) > 0, "Excluding a control without a justification should show an error next to the field.");
      await shot(page, "soa-row-error");
      await page.fill("textarea[name=exclusion_justification]", "Geen beveiligde ruimten van onszelf; het datacenter valt onder 5.22.");
      await clickAndWait(page, page.locator("form.card button.primary"));
      check((await page.locator("p.field-error").count()) === 0, "The justified exclusion should be accepted.");
      await goto(page, `${o}/soa`);
      await shot(page, "soa-table");
      await axe(page, "soa table");
      // Two controls decided: the versions page names the other 91 that stand in the way, and offers no issue form.
      await goto(page, `${o}/soa/versions`);
      const gaps = await page.locator("#gaps li").allTextContents();
      check(gaps.length === 91, `With two controls decided, 91 should stand in the way of a version, got ${gaps.length}.`);
      check((await page.locator("textarea[name=note]").count()) === 0, "With controls undecided there should be no form to issue a version.");
      await shot(page, "soa-gaps");
      await axe(page, "soa versions with gaps");
      // The rest decided in a spreadsheet, through the import page, as most people do it.
      const ids = gaps.map((g) => g.split(":")[0].trim());
      const csv = "Beheersmaatregel;Van toepassing;Redenen voor opname\n" + ids.map((id) => `${id};Ja;Bedrijfseis of best practice`).join("\n") + "\n";
      await goto(page, `${o}/soa/import`);
      await page.setInputFiles("input[name=file]", { name: "soa.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await clickAndWait(page, page.locator("form.card button.primary"));
      check((await page.locator("p.field-error, .error").count()) === 0, "Importing the remaining decisions should succeed.");
      await goto(page, `${o}/soa/versions`);
      check((await page.locator("#gaps").count()) === 0, "Every control decided: nothing should stand in the way any more.");
      await page.fill("textarea[name=note]", "Eerste versie");
      await clickAndWait(page, page.locator("form.card button.primary"));
      check(pathOf(page) === `/o/${ORG.slug}/soa/versions/1`, `Issuing should open version 1, not ${pathOf(page)}.`);
      await shot(page, "soa-version-issued");

      // A top manager, made by the administrator in the interface.
      const TOP = { name: "Tom Top", email: "tom@example.org", password: "another fine passphrase" };
      await goto(page, `${base}/admin`);
      await page.locator("#users details summary").click();
      await page.fill("#users input[name=name]", TOP.name);
      await page.fill("#users input[name=email]", TOP.email);
      await page.fill("#users input[name=password]", TOP.password);
      await clickAndWait(page, page.locator("#users form button.primary"));
      await goto(page, `${base}/admin/orgs/${ORG.slug}`);
      await page.fill("input[name=email]", TOP.email);
      await page.selectOption("select[name=role]", "top_management");
      await clickAndWait(page, page.locator("div.card form button.primary"));
      check((await page.content()).includes(TOP.email), "The new member should be listed.");

      await clickAndWait(page, page.locator("form[action='/logout'] button"));
      await page.fill("input[name=email]", TOP.email);
      await page.fill("input[name=password]", TOP.password);
      await clickAndWait(page, page.locator("form.card button.primary"));
      await goto(page, `${o}/soa/versions/1`);
      await page.fill("textarea[name=comment]", "Akkoord");
      await clickAndWait(page, page.locator("div.card form button.primary"));
      const approved = await page.locator("span.ok").first().textContent();
      check(approved && approved.includes(`${TOP.name}, top management`), `The version should name who approved it and as what, got ${approved}.`);
      await shot(page, "soa-version-approved");

      const x = await context.request.get(`${o}/soa/export/xlsx?version=1`);
      check(x.status() === 200, `XLSX export: status ${x.status()}.`);
      const xb = await x.body();
      check(xb[0] === 0x50 && xb[1] === 0x4b, "The XLSX export is not a ZIP file.");
      const p = await context.request.get(`${o}/soa/export/pdf?version=1`);
      check(p.status() === 200, `PDF export: status ${p.status()}.`);
      const pb = await p.body();
      check(pb.subarray(0, 5).toString() === "%PDF-", "The PDF export does not start with %PDF-.");
      fs.writeFileSync(path.join(SHOTS, "soa-v1.pdf"), pb);
    }],

    ["j", "risk management: a 4×4 methodology, an asset, a scored risk treated with an Annex A control (a reason in the SoA), accepted by its owner, on the heat map", async () => {
      await clickAndWait(page, page.locator("form[action='/logout'] button"));
      await page.fill("input[name=email]", ADMIN.email);
      await page.fill("input[name=password]", ADMIN.password);
      await clickAndWait(page, page.locator("form.card button.primary"));
      // The methodology: reshape to 4 × 4 with three levels and one impact area, save as version 1.
      await goto(page, `${o}/risks/methodology/edit`);
      await page.selectOption("#shape-likelihood", "4");
      await page.selectOption("#shape-impact", "4");
      await page.selectOption("#shape-levels", "3");
      await page.selectOption("#shape-areas", "1");
      await clickAndWait(page, page.locator("form.filters button"));
      check((await page.locator("select[name=m4_4]").count()) === 1 && (await page.locator("select[name=m5_5]").count()) === 0, "The editor should show a 4 × 4 matrix.");
      await axe(page, "methodology editor");
      await shot(page, "methodology-edit");
      await page.fill("textarea[name=note]", "4 × 4 voor een kleine organisatie");
      await clickAndWait(page, page.locator("form.method-form button.primary"));
      check(pathOf(page) === `/o/${ORG.slug}/risks/methodology`, `Saving the methodology should show it, not ${pathOf(page)}.`);
      check((await page.locator("table.matrix tbody tr").count()) === 4, "The saved matrix should have 4 likelihood rows.");
      await shot(page, "methodology");
      // An asset.
      await goto(page, `${o}/assets/new`);
      await page.fill("input[name=name]", "Klantdossiers");
      await page.selectOption("select[name=asset_type]", "information");
      await page.selectOption("select[name=need_c]", "4");
      await clickAndWait(page, page.locator("form.card button.primary"));
      check(/\/assets\/[0-9a-f-]{36}$/.test(pathOf(page)), `Creating an asset should open it, not ${pathOf(page)}.`);
      // A risk, scored, mitigated with Annex A 8.13, owned by the ISMS manager.
      await goto(page, `${o}/risks/new`);
      await page.fill("input[name=title]", "Ransomware versleutelt de klantdossiers");
      await page.check("input[name=asset_ids]");
      await page.selectOption("select[name=threat]", "ransomware");
      await page.check("input[name=affects_c]");
      await page.check("input[name=affects_a]");
      const ownerValue = await page.locator("select[name=owner_id] option", { hasText: ADMIN.email }).getAttribute("value");
      await page.selectOption("select[name=owner_id]", ownerValue);
      await page.selectOption("select[name=inherent_likelihood]", "3");
      await page.selectOption("select[name=inherent_impact]", "4");
      await page.selectOption("select[name=treatment]", "mitigate");
      await page.fill("input[name=control_ids]", "8.13");
      await page.selectOption("select[name=residual_likelihood]", "1");
      await page.selectOption("select[name=residual_impact]", "4");
      await clickAndWait(page, page.locator("form.card button.primary"));
      check(/\/risks\/[0-9a-f-]{36}$/.test(pathOf(page)), `Creating a risk should open it, not ${pathOf(page)} (errors: ${await page.locator(".field-error").allTextContents()}).`);
      const riskUrl = page.url();
      check((await page.locator("h1").textContent()).includes("R-001"), "The risk should be numbered R-001.");
      await axe(page, "risk detail");
      // Accepted by its owner.
      await page.fill("#acceptance textarea[name=comment]", "Restrisico aanvaardbaar");
      await clickAndWait(page, page.locator("#acceptance button.primary"));
      const acc = await page.locator("#acceptance").textContent();
      check(acc.includes(`${ADMIN.name} (risico-eigenaar)`), `The acceptance should name who accepted, and as what: ${acc}`);
      await shot(page, "risk-accepted");
      // The SoA shows the risk as the reason for 8.13.
      await goto(page, `${o}/soa/8.13`);
      check((await page.content()).includes("R-001"), "The SoA row of 8.13 should name risk R-001.");
      await shot(page, "soa-row-risk");
      // The heat map: the inherent cell 3 × 4 links to the risk.
      await goto(page, `${o}/risks`);
      await axe(page, "risk list");
      await shot(page, "risks-heatmap");
      const cell = page.locator(`figure.heatmap a[href*="il=3&ii=4&"]`);
      check((await cell.count()) === 1, "The inherent heat map should link the cell likelihood 3 × impact 4.");
      await clickAndWait(page, cell);
      check((await page.locator("table.register tbody tr").count()) === 1, "The cell's list should hold the one risk.");
      await goto(page, riskUrl);
    }],

    ["k", "import: a Dutch risk spreadsheet, its columns checked and one chosen by hand, a problem shown and nothing written, then imported", async () => {
      await goto(page, `${o}/risks/import`);
      await axe(page, "risk import");
      await shot(page, "risk-import");
      const csv = [
        "Wat kan er misgaan;Assets;Dreiging;BIV;Eigenaar;Bruto kans;Bruto impact;Behandeloptie;Onderbouwing van de behandeling",
        `Phishing leidt tot een datalek;Klantdossiers;Phishing;V;${ADMIN.email};4;3;Accepteren;Past binnen de risicobereidheid`,
        "Uitval van de internetverbinding;;Internet or telecom outage;B;;2;2;;",
      ].join("\n");
      await page.setInputFiles("#file", { name: "risicos.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await clickAndWait(page, page.locator("form.card button.primary"));
      check((await page.locator("select[name=map_0]").inputValue()) === "", "The unknown first column should not be mapped.");
      check((await page.locator("select[name=map_5]").inputValue()) === "inherent_likelihood", "'Bruto kans' should be recognised.");
      await axe(page, "import columns");
      await shot(page, "risk-import-columns");
      // Importing without a title column: the problem is named, nothing is written.
      await clickAndWait(page, page.locator("form.card button[name=go]"));
      check((await page.locator("div.error-summary").count()) === 1, "A file without a title column should be refused with a list of problems.");
      await shot(page, "risk-import-problems");
      await page.selectOption("select[name=map_0]", "title");
      await clickAndWait(page, page.locator("form.card button[name=go]"));
      const done = await page.locator("p.notice").textContent();
      check(done.includes("R-002") && done.includes("R-003"), `The import should report R-002 to R-003, got: ${done}`);
      await shot(page, "risk-import-done");
      await goto(page, `${o}/risks`);
      check((await page.locator("table.register tbody tr").count()) === 3, "The register should now hold three risks.");
    }],

    ["l", "two-step verification: set up with the QR code and the key, recovery codes shown once, the code asked after the password (English and Dutch)", async () => {
      await goto(page, `${base}/account`);
      await expectText(page.locator("#second-factor h2"), "Tweestapsverificatie", "the second-factor section");
      await clickAndWait(page, await button(page, "Tweestapsverificatie instellen"));
      check((await page.locator("#second-factor figure.qr svg").count()) === 1, "The enrolment shows no QR code (inline SVG).");
      check((await page.locator("img").count()) === 0, "The enrolment page loads an image.");
      await shot(page, "totp-enrol-nl");
      await axe(page, "totp enrolment");
      await clickAndWait(page, page.locator("header form[action='/lang'] button[name=lang][value=en]"));
      await expectText(page.locator("#second-factor h2"), "Two-step verification", "the second-factor section in English");
      await shot(page, "totp-enrol-en");
      const key = base32Decode(await page.locator("#totp-secret").innerText());
      check(key.length === 20, `The key should be 160 bits, it is ${key.length * 8}.`);
      await page.fill("#code", "000000" === totpCode(key, Math.floor(Date.now() / 30000)) ? "111111" : "000000");
      let resp = await clickAndWait(page, await button(page, "Turn on two-step verification"));
      check(resp.status() === 422, `A wrong code should not confirm (422), got ${resp.status()}.`);
      await expectText(page.locator("#err-code"), "This code is not right", "the error next to the code");
      await page.fill("#code", await nextCode(key));
      resp = await clickAndWait(page, await button(page, "Turn on two-step verification"));
      check(resp.status() === 200, `The right code should confirm, got ${resp.status()}.`);
      const codes = await page.locator("ol.codes code").allInnerTexts();
      check(codes.length === 10, `Ten recovery codes should be shown, there are ${codes.length}.`);
      await shot(page, "totp-recovery-codes");

      await clickAndWait(page, page.locator("form[action='/logout'] button"));
      await page.fill("input[name=email]", ADMIN.email);
      await page.fill("input[name=password]", ADMIN.password);
      await clickAndWait(page, page.locator("form.card button.primary"));
      check(pathOf(page) === "/login/code", `After the password the browser should be on /login/code, not ${pathOf(page)}.`);
      await expectH1(page, "Two-step verification");
      await shot(page, "totp-login-code-en");
      await axe(page, "second-factor login");
      await page.fill("#code", await nextCode(key));
      await clickAndWait(page, page.locator("form.card button.primary"));
      check(pathOf(page) === `/o/${ORG.slug}`, `After the code the browser should be on /o/${ORG.slug}, not ${pathOf(page)}.`);

      // The same in Dutch, with a recovery code this time.
      await clickAndWait(page, page.locator("form[action='/logout'] button"));
      await clickAndWait(page, page.locator("header form[action='/lang'] button[name=lang][value=nl]"));
      await page.fill("input[name=email]", ADMIN.email);
      await page.fill("input[name=password]", ADMIN.password);
      await clickAndWait(page, page.locator("form.card button.primary"));
      check(pathOf(page) === "/login/code", `After the password the browser should be on /login/code, not ${pathOf(page)}.`);
      await expectH1(page, "Tweestapsverificatie");
      await shot(page, "totp-login-code-nl");
      await page.fill("#code", codes[0]);
      await clickAndWait(page, page.locator("form.card button.primary"));
      check(pathOf(page) === `/o/${ORG.slug}`, `A recovery code should log in, but the browser is on ${pathOf(page)}.`);
      await goto(page, `${base}/account`);
      // The user's own choice (English, from the switch above) wins over the login page's cookie.
      await expectText(page.locator("#second-factor"), "Recovery codes left: 9 of 10.", "recovery codes left");
      await clickAndWait(page, page.locator("header form[action='/lang'] button[name=lang][value=nl]"));
      await expectText(page.locator("#second-factor"), "Herstelcodes over: 9 van de 10.", "recovery codes left, in Dutch");
      await shot(page, "totp-on-nl");
    }],

    ["m", "evidence: attach a PDF to an applied control, see it on the record and in the evidence index, download it", async () => {
      await goto(page, `${o}/soa/applied/new`);
      // Step l left the interface in Dutch.
      if (await page.locator("header form[action='/lang'] button[name=lang][value=en]").count()) {
        await clickAndWait(page, page.locator("header form[action='/lang'] button[name=lang][value=en]"));
      }
      await page.fill("input[name=name]", "Back-up and restore");
      await page.selectOption("select[name=status]", "implemented");
      await clickAndWait(page, page.locator("form.card button.primary"));
      check(/\/soa\/applied\/[0-9a-f-]{36}$/.test(pathOf(page)), `Creating an applied control should open it, not ${pathOf(page)}.`);
      const pdf = Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
      await page.locator("#evidence summary").click();
      await page.setInputFiles("#evidence input[type=file]", { name: "restore-test-2026.pdf", mimeType: "application/pdf", buffer: pdf });
      await page.fill("#evidence input[name=note]", "Restore test, March");
      await clickAndWait(page, page.locator("#evidence form button.primary"));
      await expectText(page.locator("#evidence"), "restore-test-2026.pdf", "the attached file on the record");
      await expectText(page.locator("p.notice"), "The file has been attached.", "the notice after attaching");
      await axe(page, "record with evidence");
      await shot(page, "evidence-on-record");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator("#evidence a", { hasText: "restore-test-2026.pdf" }).click(),
      ]);
      check(download.suggestedFilename() === "restore-test-2026.pdf", `The download should be named restore-test-2026.pdf, not ${download.suggestedFilename()}.`);
      const saved = fs.readFileSync(await download.path());
      check(saved.equals(pdf), "The downloaded file should be the uploaded bytes.");
      // A file whose content is not what its name says is refused, in place.
      await page.locator("#evidence summary").click();
      await page.setInputFiles("#evidence input[type=file]", { name: "photo.png", mimeType: "image/png", buffer: pdf });
      await clickAndWait(page, page.locator("#evidence form button.primary"));
      await expectText(page.locator(".error-summary"), "another kind of file than its content", "the refusal of a misnamed file");
      await shot(page, "evidence-refused");
      await goto(page, `${o}/evidence`);
      await expectH1(page, "Evidence files");
      await expectText(page.locator("table.register"), "Back-up and restore", "the evidence index");
      await axe(page, "evidence index");
      await shot(page, "evidence-index");
      await clickAndWait(page, page.locator("header form[action='/lang'] button[name=lang][value=nl]"));
      await expectH1(page, "Bewijsbestanden");
      await shot(page, "evidence-index-nl");
    }],

    ["n", "documents: the policy from its template, sent for review, approved by top management, published, asked of every member, confirmed by a staff member; the rate changes", async () => {
      const TOP = { name: "Tom Top", email: "tom@example.org", password: "another fine passphrase" };
      const STAFF = { name: "Sam Staff", email: "sam@example.org", password: "a third fine passphrase" };
      if (await page.locator("header form[action='/lang'] button[name=lang][value=en]").count()) {
        await clickAndWait(page, page.locator("header form[action='/lang'] button[name=lang][value=en]"));
      }
      // A staff member (viewer), made by the administrator.
      await goto(page, `${base}/admin`);
      await page.locator("#users details summary").click();
      await page.fill("#users input[name=name]", STAFF.name);
      await page.fill("#users input[name=email]", STAFF.email);
      await page.fill("#users input[name=password]", STAFF.password);
      await clickAndWait(page, page.locator("#users form button.primary"));
      await goto(page, `${base}/admin/orgs/${ORG.slug}`);
      await page.fill("input[name=email]", STAFF.email);
      await page.selectOption("select[name=role]", "viewer");
      await clickAndWait(page, page.locator("div.card form button.primary"));

      // The policy from its template, in English, filled in with the organisation's name.
      await goto(page, `${o}/support/documents`);
      await clickAndWait(page, await link(page, "From a template"));
      await expectH1(page, "Make a document from a template");
      await page.locator("#template-policy summary").click();
      await page.selectOption("#template-policy select[name=lang]", "en");
      await shot(page, "document-templates");
      await clickAndWait(page, page.locator("#template-policy button.primary"));
      check(/\/support\/documents\/[0-9a-f-]{36}\/versions\/1\/edit$/.test(pathOf(page)), `Making the policy should open its first draft, not ${pathOf(page)}.`);
      const text = await page.inputValue("#content");
      check(text.startsWith("# ") && text.includes(ORG.name), `The draft should be the template with the organisation's name, got: ${text.slice(0, 200)}`);
      check(!text.includes("{{"), "The draft still holds a placeholder.");
      await clickAndWait(page, page.locator("button[name=go][value=preview]"));
      check((await page.locator("#preview article.doc-text h1").count()) === 1, "The preview should show the title as a heading.");
      await shot(page, "document-draft-preview");
      await clickAndWait(page, page.locator("button[name=go][value=save]"));
      const version = pathOf(page);
      check(/\/versions\/1$/.test(version), `Saving should show the version, not ${version}.`);
      await clickAndWait(page, page.locator("#submit button.primary"));
      await expectText(page.locator("h1 .badge"), "In review", "the version's state after sending it");

      // Top management sees it waiting and approves it.
      const asTop = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
      const tp = await asTop.newPage();
      await goto(tp, `${base}/login`);
      await tp.fill("input[name=email]", TOP.email);
      await tp.fill("input[name=password]", TOP.password);
      await clickAndWait(tp, tp.locator("form.card button.primary"));
      await expectText(tp.locator("#waiting"), "version 1, awaits your approval", "top management's overview");
      await clickAndWait(tp, tp.locator("#waiting a", { hasText: "POL-001" }));
      await tp.fill("#approve textarea[name=comment]", "Adopted in the management meeting");
      await clickAndWait(tp, tp.locator("#approve button.primary"));
      await expectText(tp.locator("h1 .badge"), "Approved", "the version's state after approval");
      await asTop.close();

      // Published, and every member asked to read it.
      await goto(page, `${base}${version}`);
      await clickAndWait(page, page.locator("#publish button"));
      await expectText(page.locator("h1 .badge"), "Published", "the version's state after publishing");
      await page.locator("#acknowledgement details summary").click();
      await page.check("#audience-all");
      await clickAndWait(page, page.locator("#acknowledgement form button.primary"));
      const before = await page.locator("#acknowledgement strong").first().innerText();
      const m = before.match(/^0 of (\d+) confirmed \(0 %\)$/);
      check(m, `Nobody has confirmed yet: the rate should read "0 of N confirmed (0 %)", got "${before}".`);
      const asked = Number(m[1]);
      check((await page.locator("#ack-waiting li").count()) === asked, "Everyone asked should be listed as not yet confirmed.");

      // The staff member reads it and confirms.
      const asStaff = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
      const sp = await asStaff.newPage();
      await goto(sp, `${base}/login`);
      await sp.fill("input[name=email]", STAFF.email);
      await sp.fill("input[name=password]", STAFF.password);
      await clickAndWait(sp, sp.locator("form.card button.primary"));
      await expectText(sp.locator("#waiting"), "Read and confirm POL-001", "the staff member's overview");
      await clickAndWait(sp, sp.locator("#waiting a", { hasText: "Read and confirm" }));
      check((await sp.locator("article.doc-text h1").count()) === 1, "The reading page should show the policy's text.");
      await axe(sp, "reading page");
      await shot(sp, "reading-policy");
      await clickAndWait(sp, sp.locator("#confirm button"));
      await expectText(sp.locator("p.notice"), "your confirmation has been recorded", "the confirmation");
      await goto(sp, `${o}/reading`);
      await expectText(sp.locator("#reading"), "Confirmed", "the reading list after confirming");
      await shot(sp, "reading-list");
      await asStaff.close();

      // The rate has changed.
      await goto(page, `${base}${version}`);
      await expectText(page.locator("#acknowledgement strong"), `1 of ${asked} confirmed (${Math.floor(100 / asked)} %)`, "the rate after one confirmation");
      await expectText(page.locator("#ack-confirmed"), STAFF.name, "who confirmed");
      await axe(page, "document version with acknowledgement");
      await shot(page, "document-acknowledged");
      await clickAndWait(page, page.locator("header form[action='/lang'] button[name=lang][value=nl]"));
      await expectText(page.locator("#acknowledgement strong"), `1 van ${asked} bevestigd`, "the rate in Dutch");
      await shot(page, "document-acknowledged-nl");
      await clickAndWait(page, page.locator("header form[action='/lang'] button[name=lang][value=en]"));

      // A new draft with a line added, compared with the version in force.
      await goto(page, `${base}${version.replace(/\/versions\/1$/, "")}`);
      await clickAndWait(page, page.locator("#versions form button.primary"));
      check(/\/versions\/2\/edit$/.test(pathOf(page)), `A new draft should open version 2's editor, not ${pathOf(page)}.`);
      const old = await page.inputValue("#content");
      await page.fill("#content", `${old.trimEnd()}\n\nThis policy also covers our suppliers.\n`);
      await clickAndWait(page, page.locator("button[name=go][value=save]"));
      await clickAndWait(page, await link(page, "Changes since version 1"));
      await expectText(page.locator("h1"), "Changes from version 1 to version 2", "the comparison");
      await expectText(page.locator("table.diff ins").last(), "This policy also covers our suppliers.", "the added line");
      await axe(page, "document diff");
      await shot(page, "document-diff");
    }],

    ["o", "people and competence: the two responsibilities of 5.3 assigned, the competence matrix shows a gap, a certificate closes it; a completion list imported", async () => {
      const addPerson = async (name, email, dept) => {
        await goto(page, `${o}/support/people/new`);
        await page.fill("input[name=name]", name);
        await page.fill("input[name=email]", email);
        await page.fill("input[name=department]", dept);
        await clickAndWait(page, await button(page, "Save", page.locator("main form")));
        await expectH1(page, name);
        return pathOf(page);
      };
      const ada = await addPerson(ADMIN.name, ADMIN.email, "IT");
      await addPerson("Bo Jansen", "bo@example.org", "Support");

      // Nothing assigned yet: the roles list says so for both.
      await goto(page, `${o}/leadership/roles`);
      await expectText(page.locator("#duties"), "Not assigned.", "the responsibilities before any role");
      await clickAndWait(page, await link(page, "Add a role"));
      await page.fill("input[name=name]", "ISMS manager");
      await page.check("input[name=conformity][type=checkbox]");
      await page.check("input[name=reporting][type=checkbox]");
      await page.fill("textarea[name=responsibilities]", "Keeps the ISMS conforming to ISO/IEC 27001 and reports on its performance to management.");
      await clickAndWait(page, await button(page, "Save", page.locator("main form")));
      await expectH1(page, "ISMS manager");
      const role = pathOf(page);
      let det = page.locator("#role-holders details");
      await det.locator("summary").click();
      await det.locator("select[name=person_id]").selectOption({ label: ADMIN.name });
      await det.locator("input[name=since]").fill("2025-01-15");
      await clickAndWait(page, await button(page, "Add a holder", det));
      check(pathOf(page) === role, `After adding the holder the browser should be on ${role}, not ${pathOf(page)}.`);
      det = page.locator("#competences details");
      await det.locator("summary").click();
      await det.locator("input[name=name]").fill("Risk assessment per ISO/IEC 27005");
      await det.locator("select[name=shown_by]").selectOption("certificate");
      await clickAndWait(page, await button(page, "Add a required competence", det));
      await goto(page, `${o}/leadership/roles`);
      const duties = await page.locator("#duties").innerText();
      check(!duties.includes("Not assigned") && duties.split(ADMIN.name).length === 3, `Both responsibilities should be Ada's now: ${duties}`);
      await shot(page, "roles-duties");

      // The matrix shows the gap; a certificate closes it.
      await goto(page, `${o}/support/competence-matrix`);
      await expectText(page.locator("#gaps"), "Missing", "the gap in the matrix");
      await axe(page, "competence matrix");
      await shot(page, "competence-matrix-gap");
      await goto(page, `${base}${ada}`);
      det = page.locator("#competence-evidence details");
      await det.locator("summary").click();
      await det.locator("select[name=competence_id]").selectOption({ label: "Risk assessment per ISO/IEC 27005" });
      await det.locator("input[name=what]").fill("ISO/IEC 27005 Risk Manager, PECB");
      await det.locator("select[name=kind]").selectOption("certificate");
      await det.locator("input[name=obtained]").fill("2025-06-01");
      await clickAndWait(page, await button(page, "Add evidence of competence", det));
      await expectText(page.locator("#person_id-from"), "ISMS manager", "the roles Ada holds");
      await goto(page, `${o}/support/competence-matrix`);
      await expectText(page.locator("#gaps"), "No gaps", "the matrix after the certificate");
      await expectText(page.locator("#competence"), "Met", "Ada's cell");
      await shot(page, "competence-matrix-met");

      // A campaign, and the completion list an e-learning tool exports.
      await goto(page, `${o}/support/awareness/new`);
      await page.fill("input[name=title]", "Security e-learning 2026");
      await page.selectOption("select[name=kind]", "elearning");
      await page.selectOption("select[name=audience]", "all");
      await page.fill("input[name=starts]", "2026-02-01");
      await clickAndWait(page, await button(page, "Save", page.locator("main form")));
      const campaign = pathOf(page);
      await expectText(page.locator("#rate"), "0 of 2 (0%)", "the rate before the import");
      const list = path.join(dataDir, "completion.csv");
      fs.writeFileSync(list, `User email,Status,Completion date\n${ADMIN.email},Completed,2026-02-10\nbo@example.org,Not started,\n`);
      await page.locator("#import summary").click();
      await page.setInputFiles("#import input[type=file]", list);
      await clickAndWait(page, page.locator("#import button[type=submit]"));
      await expectText(page.locator("p.notice"), "Imported: 2 added, 0 updated.", "the import's result");
      await goto(page, `${base}${campaign}`);
      await expectText(page.locator("#rate"), "1 of 2 (50%)", "the rate after the import");
      await axe(page, "campaign with its completion");
      await shot(page, "campaign-completion");
    }],

    ["h", "accessibility: no critical or serious axe violations", async () => {
      const wanted = [
        "setup page",
        "login page",
        "issues list",
        "issue form with errors",
        "issue detail",
        "party detail",
        "party detail with the requirement form open",
        "soa row",
        "soa table",
        "methodology editor",
        "risk detail",
        "risk list",
        "risk import",
        "import columns",
        "totp enrolment",
        "second-factor login",
        "record with evidence",
        "evidence index",
        "reading page",
        "document version with acknowledgement",
        "document diff",
        "competence matrix",
        "campaign with its completion",
      ];
      const problems = [];
      for (const label of wanted) {
        const r = axeRuns.find((x) => x.label === label);
        if (!r) {
          problems.push(`  ${label}: not checked (an earlier step did not reach it)`);
        } else if (r.error) {
          problems.push(`  ${label} (${r.url}): axe could not run: ${r.error}`);
        } else {
          const bad = r.violations.filter((v) => v.impact === "critical" || v.impact === "serious");
          if (bad.length) problems.push(`  ${label} (${r.url}):\n${bad.map(formatViolation).join("\n")}`);
        }
      }
      // Moderate and minor findings are reported, not failed.
      for (const r of axeRuns) {
        for (const v of r.violations || []) {
          if (v.impact !== "critical" && v.impact !== "serious") {
            log(`  note: ${r.label}: [${v.impact}] ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
          }
        }
      }
      check(problems.length === 0, `accessibility check not clean (pages with critical or serious axe violations, or not checked):\n${problems.join("\n")}`);
    }],
  ];

  const results = [];
  let stopped = false;
  for (const [id, title, fn] of steps) {
    // h judges what was collected, so it runs even after an earlier failure.
    if (stopped && id !== "h") {
      results.push({ id, title, ok: false, why: "not run: an earlier step failed" });
      log(`step ${id}: ${title}: NOT RUN (an earlier step failed)`);
      continue;
    }
    log(`step ${id}: ${title}`);
    try {
      await fn();
      results.push({ id, title, ok: true });
      log(`step ${id}: PASSED`);
    } catch (e) {
      const why = e instanceof Failure ? e.message : e?.stack || String(e);
      results.push({ id, title, ok: false, why });
      console.log(`\nFAILED step ${id} (${title}):\n  ${why.split("\n").join("\n  ")}\n  page: ${page.url()}\n`);
      try {
        if (id !== "h") await shot(page, `FAILED-step-${id}`);
      } catch {
        // the page may be gone
      }
      stopped = true;
    }
  }
  if (pageErrors.length) log(`JavaScript errors on the pages: ${pageErrors.join(" | ")}`);
  await context.close();
  await browser.close();
  return results;
}

// ---------------------------------------------------------------------- main

// Never leave the server behind: not on Ctrl-C, not when CI stops the job.
process.on("exit", () => server?.kill("SIGKILL"));
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    console.log(`\n${sig}: stopping the server`);
    server?.kill("SIGKILL");
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(130);
  });
}

let results = [];
let fatal = null;
try {
  results = await run();
} catch (e) {
  fatal = e instanceof Failure ? e.message : e?.stack || String(e);
} finally {
  await stopServer().catch((e) => console.log(`could not stop the server: ${e}`));
}

const passed = results.filter((r) => r.ok).length;
const failed = results.filter((r) => !r.ok);
const STEPS = 15; // a to o
const failedCount = fatal ? STEPS - passed : failed.length;
console.log("");
console.log("Summary:");
for (const r of results) console.log(`  ${r.ok ? "ok    " : "FAILED"} ${r.id}. ${r.title}${r.ok ? "" : ` (${r.why.split("\n")[0]})`}`);
if (fatal) console.log(`\nFAILED before or outside the steps:\n  ${fatal}`);
if ((fatal || failed.length) && serverOut.trim()) {
  console.log("\nLast lines of the server's output:");
  console.log(serverOut.split("\n").slice(-30).map((l) => `  | ${l}`).join("\n"));
}
console.log(`\nScreenshots: ${SHOTS}`);
console.log(`Time: ${((Date.now() - T0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failedCount} failed`);
process.exit(fatal || failed.length ? 1 : 0);
