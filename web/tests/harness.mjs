// The browser tests' world: a real `tepat serve` over a small real database (scripts/web-world.sh), serving the built
// application (web/dist), and Debian's chromium driven by playwright-core.
//   TEPAT_BINARY       the tepat binary (default build/tepat of the repository)
//   TEPAT_CHROMIUM     the browser (default /usr/bin/chromium)
//   TEPAT_SCREENSHOTS  where screenshots go (default web/test-results/)
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..');
export const webDir = path.join(repo, 'web');
export const PASSWORD = process.env.TEPAT_WORLD_PASSWORD || 'web-test-password-1';
export const ELECTION = 'pemilu-2024';
const binary = process.env.TEPAT_BINARY || path.join(repo, 'build', 'tepat');
const screenshots = process.env.TEPAT_SCREENSHOTS || path.join(webDir, 'test-results');

// Builds a world in a temporary directory and serves it; stop() ends the server and removes the directory.
export async function startServer() {
  if (!existsSync(path.join(webDir, 'dist', 'index.html'))) {
    throw new Error('web/dist is missing: run `npm run build` in web/ first');
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'tepat-web-'));
  await promisify(execFile)(path.join(repo, 'scripts', 'web-world.sh'), [dir], { cwd: repo });
  const child = spawn(binary, ['--db', path.join(dir, 'world.db'), 'serve', '--listen', '127.0.0.1:0',
    '--static-dir', path.join(webDir, 'dist'), '--events-ms', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // A test run that is interrupted still stops its server.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  let output = '';
  const url = await new Promise((resolve, reject) => {
    let base = null;
    const timer = setTimeout(() => reject(new Error(`tepat serve did not get ready:\n${output}`)), 30_000);
    const read = (chunk) => {
      output += chunk;
      base ??= output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1] || null;
      if (base && output.includes('tepat serve: ready')) {
        clearTimeout(timer);
        resolve(base);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tepat serve exited with ${code}:\n${output}`));
    });
  });
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  return { url, stop, output: () => output };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: process.env.TEPAT_CHROMIUM || '/usr/bin/chromium', headless: true });
}

// A test file's world: registers the hooks that serve a world and launch the browser before its tests and close
// both after them. Its getters give the server ({url, stop, output}) and the browser once they have started.
// `setup(world)`, when given, prepares the file's cases once both have started, in the same hook: Node runs a
// file's top-level `before` hooks as they are registered, so a second one would not wait for the world.
export function useWorld(setup) {
  let server;
  let browser;
  const world = {
    get server() { return server; },
    get browser() { return browser; },
  };
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    await setup?.(world);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  return world;
}

// A page that fails the test on any script error or failed request of the application.
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, locale: 'id-ID', timezoneId: 'Asia/Jakarta', ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') page.errors.push(message.text());
  });
  return page;
}

export async function screenshot(page, name) {
  await mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

// The API itself, to compare the page with and to prepare cases.
export async function api(base, route, { token, method = 'GET', body } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${base}/api/v1${route}`, { method, headers, body: body && JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export async function login(base, username) {
  return (await api(base, '/auth/login', { method: 'POST', body: { username, password: PASSWORD } })).token;
}

// Logs a page in as `username` through the login form and waits until it is back at `next`.
export async function logInPage(page, base, username, next) {
  await page.goto(`${base}/masuk?lanjut=${encodeURIComponent(next)}`);
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await page.waitForURL(`**${next}`);
}

// "8.045" or "1.234.567" (Indonesian grouping) to a number.
export const parseId = (text) => Number(text.replace(/[.\s\u00a0]/g, '').replace(',', '.'));

// Numbers, percentages and times as the page writes them (src/format.js), in Indonesian unless told.
export const num = (n, locale = 'id-ID') => new Intl.NumberFormat(locale).format(n);
export const pct = (v, digits = 1, locale = 'id-ID') => new Intl.NumberFormat(locale,
  { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
export const when = (iso, locale = 'id-ID') => `${new Intl.DateTimeFormat(locale, {
  timeZone: 'Asia/Jakarta', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  hourCycle: 'h23',
}).format(new Date(iso))} WIB`;
