// The import under load (issue 9): a 50,000-row asset import and a
// 50,000-row risk import into one organisation while another organisation
// keeps writing, and two 3,000-risk PDF exports while /healthz is asked.
// Reports the import's duration, the other organisation's write latencies
// during it, and /healthz during the PDFs. The write-lock time of each
// import is in the server log ("write_ms").
// Usage: node bench/import.mjs BASE TOKEN_BENCH TOKEN_OTHER ROWS
const [base, tokenBench, tokenOther, rowsArg] = process.argv.slice(2);
const rows = Number(rowsArg);
const auth = (t) => ({ authorization: `Bearer ${t}` });

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
function summary(xs) {
  if (xs.length === 0) return "no requests";
  return `${xs.length} requests, p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
}

// Another organisation writes one context issue after the other until told to stop.
async function otherWrites(stop) {
  const lat = [];
  let i = 0;
  while (!stop.done) {
    const t0 = performance.now();
    const r = await fetch(`${base}/api/v1/orgs/other/context-issues`, {
      method: "POST",
      headers: { ...auth(tokenOther), "content-type": "application/json" },
      body: JSON.stringify({ title: `Other organisation issue ${i++}`, kind: "internal", category: "technology" }),
    });
    await r.arrayBuffer();
    if (r.status !== 201) throw new Error(`other write: ${r.status}`);
    lat.push(performance.now() - t0);
    await new Promise((res) => setTimeout(res, 20));
  }
  return lat;
}

async function health(stop) {
  const lat = [];
  while (!stop.done) {
    const t0 = performance.now();
    const r = await fetch(`${base}/healthz`);
    await r.arrayBuffer();
    lat.push(performance.now() - t0);
    await new Promise((res) => setTimeout(res, 50));
  }
  return lat;
}

async function upload(path, body) {
  const t0 = performance.now();
  const r = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { ...auth(tokenBench), "content-type": "text/csv" },
    body,
  });
  const text = await r.text();
  if (r.status !== 201) throw new Error(`${path}: ${r.status} ${text.slice(0, 500)}`);
  return ((performance.now() - t0) / 1000).toFixed(1);
}

async function during(label, job) {
  const stop = { done: false };
  const w = otherWrites(stop);
  const h = health(stop);
  const secs = await job();
  stop.done = true;
  console.log(`${label}: ${secs} s`);
  console.log(`  other organisation's writes meanwhile: ${summary(await w)}`);
  console.log(`  /healthz meanwhile: ${summary(await h)}`);
}

// Baseline: the other organisation alone.
{
  const stop = { done: false };
  const w = otherWrites(stop);
  await new Promise((res) => setTimeout(res, 3000));
  stop.done = true;
  console.log(`baseline, other organisation's writes alone: ${summary(await w)}`);
}

const assets = ["Name;Type;Owner;Classification;Confidentiality need;Integrity need;Availability need;Supports"];
for (let i = 0; i < rows; i++) {
  const supports = i % 10 === 0 || i === 0 ? "" : `Asset ${i - (i % 10)}`;
  assets.push(`Asset ${i};${["hardware", "software", "information", "service"][i % 4]};bench@example.org;internal;${i % 5};${(i * 3) % 5};${(i * 7) % 5};${supports}`);
}
const assetCsv = assets.join("\n") + "\n";
console.log(`asset file: ${rows} rows, ${(assetCsv.length / 1e6).toFixed(1)} MB`);
await during(`import of ${rows} assets`, () => upload("/api/v1/orgs/bench/assets/import", assetCsv));

const risks = ["Title;Assets;Threat;CIA;Owner;Inherent likelihood;Inherent impact;Treatment option;Rationale;Status"];
for (let i = 0; i < rows; i++) {
  risks.push(`Imported risk ${i};Asset ${i};${["phishing", "ransomware", "device_loss", "supplier_failure"][i % 4]};CI;bench@example.org;${1 + (i % 5)};${1 + ((i * 7) % 5)};accept;Within appetite;assessed`);
}
const riskCsv = risks.join("\n") + "\n";
console.log(`risk file: ${rows} rows, ${(riskCsv.length / 1e6).toFixed(1)} MB`);
await during(`import of ${rows} risks`, () => upload("/api/v1/orgs/bench/risks/import", riskCsv));

// Two PDF exports at once, of 1,111 risks each ("Imported risk 12…", "…13…").
await during("two PDF exports of 1,111 risks each at once", async () => {
  const t0 = performance.now();
  const one = async (q) => {
    const r = await fetch(`${base}/api/v1/orgs/bench/risks/export/pdf?q=${encodeURIComponent(q)}`, { headers: auth(tokenBench) });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`pdf: ${r.status}`);
  };
  await Promise.all([one("Imported risk 12"), one("Imported risk 13")]);
  return ((performance.now() - t0) / 1000).toFixed(1);
});
