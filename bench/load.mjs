// Creates risks through the API and reports the rate: first from one client
// (each request waits for the previous), then from 8 concurrent clients.
// Usage: node bench/load.mjs BASE TOKEN ONE_CLIENT_COUNT TOTAL
const [base, token, oneArg, totalArg] = process.argv.slice(2);
const one = Number(oneArg);
const total = Number(totalArg);
const url = `${base}/api/v1/orgs/bench/risks`;
const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
let made = 0;
async function create(i) {
  const tag = i < one ? "bench-a" : "bench-b";
  const body = {
    title: `${tag} risk ${i}: data leak through supplier ${i % 97}`,
    description: "Generated for the load benchmark.",
    threat: ["phishing", "ransomware", "device_loss", "supplier_failure"][i % 4],
    affects_c: i % 2 === 0,
    affects_a: i % 3 === 0,
    inherent_likelihood: 1 + (i % 5),
    inherent_impact: 1 + ((i * 7) % 5),
    treatment: "accept",
    treatment_rationale: "Within appetite.",
    status: "assessed",
  };
  const r = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
  if (r.status !== 201) throw new Error(`POST ${url}: ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
  made++;
}
let t0 = performance.now();
for (let i = 0; i < one; i++) await create(i);
const oneRate = one / ((performance.now() - t0) / 1000);
console.log(`one client: ${one} risks in ${((performance.now() - t0) / 1000).toFixed(1)} s = ${oneRate.toFixed(0)} per second`);
t0 = performance.now();
let next = one;
async function worker() {
  while (next < total) {
    const i = next++;
    await create(i);
  }
}
await Promise.all(Array.from({ length: 8 }, worker));
const n = total - one;
const secs = (performance.now() - t0) / 1000;
console.log(`8 clients: ${n} risks in ${secs.toFixed(1)} s = ${(n / secs).toFixed(0)} per second`);
