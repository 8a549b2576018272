// Speed of the dashboard against a running `tepat serve --static-dir web/dist`:
//   first load   navigation start to the national table rendered, cold cache (a new browser context each time)
//   drill-down   a click on a region to the next level's table rendered, for each level down to one TPS
//   JS size      the built JavaScript of web/dist/assets, gzipped (what the entry page loads, and all of it)
// Each timing is the median of RUNS. Targets: first load <= 1 s, each drill-down <= 200 ms, JS <= 150 kB gzipped.
//   TEPAT_WEB_URL=http://127.0.0.1:8080 node bench/load.mjs      (npm run bench)
// Exits with 1 when a target is missed.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const RUNS = 5;
const base = (process.env.TEPAT_WEB_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const getJson = async (route) => {
  const response = await fetch(`${base}/api/v1${route}`);
  if (!response.ok) throw new Error(`${route}: HTTP ${response.status}`);
  return response.json();
};

// The path drilled: from the nation, each time the first region below with TPS, down to its first TPS.
async function drillPath(election) {
  const steps = [];
  let code = '';
  for (;;) {
    const readiness = await getJson(`/elections/${election}/readiness${code ? `?region=${code}` : ''}`);
    const child = readiness.children.find((c) => c.tps > 0);
    if (!child) break;
    steps.push({ label: child.level, href: `/${election}/wilayah/${child.code}`, ready: `[data-region="${child.code}"] .data-table tbody tr` });
    code = child.code;
  }
  const tps = (await getJson(`/elections/${election}/tps?region=${code}`)).tps[0].tps;
  steps.push({ label: 'tps', href: `/${election}/tps/${tps}`, ready: `[data-tps="${tps}"] #tps-items-table tbody tr` });
  return steps;
}

// Resolves, in the page, with the time (performance.now) at which `selector` first matches.
const appeared = (selector) => new Promise((resolve) => {
  const check = () => {
    if (document.querySelector(selector)) {
      observer.disconnect();
      resolve(performance.now());
      return true;
    }
    return false;
  };
  const observer = new MutationObserver(check);
  if (!check()) observer.observe(document, { childList: true, subtree: true });
});

// A fresh context (cold cache) whose pages have window.appeared.
async function newPage(browser) {
  const context = await browser.newContext();
  await context.addInitScript(`window.appeared = ${appeared}`);
  return context.newPage();
}

async function firstLoad(browser) {
  const page = await newPage(browser);
  // performance.now() counts from the navigation's start.
  await page.addInitScript('window.tableRendered = window.appeared(\'[data-region=""] #children-table tbody tr\')');
  await page.goto(`${base}/`, { waitUntil: 'commit' });
  const ms = await page.evaluate(() => window.tableRendered);
  await page.context().close();
  return ms;
}

async function drillDown(browser, election, steps) {
  const page = await newPage(browser);
  await page.goto(`${base}/${election}`);
  await page.locator('[data-region=""] #children-table tbody tr').first().waitFor();
  const times = [];
  for (const step of steps) {
    times.push(await page.evaluate(async ({ href, ready }) => {
      const link = document.querySelector(`main a[href="${href}"]`);
      const start = performance.now();
      const done = window.appeared(ready);
      link.click();
      return (await done) - start;
    }, step));
  }
  await page.context().close();
  return times;
}

async function jsSizes() {
  const html = await readFile(path.join(dist, 'index.html'), 'utf8');
  const files = (await readdir(path.join(dist, 'assets'))).filter((f) => f.endsWith('.js'));
  let entry = 0;
  let total = 0;
  for (const file of files) {
    const size = gzipSync(await readFile(path.join(dist, 'assets', file))).length;
    total += size;
    if (html.includes(`/assets/${file}`)) entry += size;
  }
  return { entry, total, files: files.length };
}

const browser = await chromium.launch({ executablePath: process.env.TEPAT_CHROMIUM || '/usr/bin/chromium', headless: true });
try {
  const election = (await getJson('/elections')).elections[0].id;
  const steps = await drillPath(election);
  await firstLoad(browser); // warms the server's answers, not the browser's cache
  const loads = [];
  for (let i = 0; i < RUNS; i++) loads.push(await firstLoad(browser));
  const drills = steps.map(() => []);
  for (let i = 0; i < RUNS; i++) (await drillDown(browser, election, steps)).forEach((ms, s) => drills[s].push(ms));
  const js = await jsSizes();

  const rows = [
    ['first load (nation table)', `${median(loads).toFixed(0)} ms`, '≤ 1000 ms', median(loads) <= 1000],
    ...steps.map((step, s) => [`drill-down to ${step.label}`, `${median(drills[s]).toFixed(0)} ms`, '≤ 200 ms', median(drills[s]) <= 200]),
    ['JS gzipped, entry page', `${(js.entry / 1024).toFixed(1)} kB`, '', true],
    [`JS gzipped, all ${js.files} files`, `${(js.total / 1024).toFixed(1)} kB`, '≤ 150 kB', js.total <= 150 * 1024],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`tepat web bench: ${base}, ${election}, median of ${RUNS}`);
  for (const [what, value, target, ok] of rows) {
    console.log(`${what.padEnd(width)}  ${value.padStart(9)}  ${target.padEnd(10)} ${target ? (ok ? 'ok' : 'MISSED') : ''}`);
  }
  if (rows.some((r) => !r[3])) process.exitCode = 1;
} finally {
  await browser.close();
}
