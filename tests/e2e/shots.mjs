// Screenshots of pages for a person to look at (not a test): logs in to a
// running server and saves full-page PNGs in both languages.
//
//     BASE=http://127.0.0.1:8080 EMAIL=isms@voorbeeld.nl PASSWORD=… OUT=/tmp/shots \
//       node tests/e2e/shots.mjs /o/voorbeeld/leadership/evidence /o/voorbeeld
// (FULL=0: the first screen only, not the whole page.)
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const BASE = process.env.BASE || "http://127.0.0.1:8080";
const OUT = process.env.OUT || "screenshots";
const CHROMIUM = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => fs.existsSync(p));
fs.mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
for (const lang of ["en", "nl"]) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: lang });
  await page.goto(`${BASE}/login`);
  await page.fill("#email", process.env.EMAIL);
  await page.fill("#password", process.env.PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("form[action='/login'] button[type=submit]")]);
  const sw = page.locator(`form.lang-switch button[value=${lang}]`);
  if (await sw.count()) await Promise.all([page.waitForNavigation(), sw.click()]);
  for (const p of process.argv.slice(2)) {
    const url = p.startsWith("http") ? p : `${BASE}${p}`;
    await page.goto(url);
    const name = `${lang}-${p.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "")}.png`;
    await page.screenshot({ path: path.join(OUT, name), fullPage: process.env.FULL !== "0" });
    console.log(path.join(OUT, name));
  }
  await page.close();
}
await browser.close();
