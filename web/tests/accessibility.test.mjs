// An accessibility check of every kind of page with axe-core (WCAG 2.0 and 2.1, levels A and AA): the public
// dashboard at each level, a TPS (with its risk of being late), the projection of the nation and of a regency, the
// login, the operators' and supervisors' pages and an officer's what-if simulation on the projection page, in
// Indonesian and English, on a desktop and a phone. Any violation fails the test, named with the elements it concerns.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { ELECTION, newPage, PASSWORD, screenshot, useWorld } from './harness.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const world = useWorld();

// The page's violations, as "rule: target, target" lines.
async function violations(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function check(page, path, ready, name) {
  await page.goto(`${world.server.url}${path}`);
  await page.locator(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  const found = await violations(page);
  await screenshot(page, name);
  assert.deepEqual(found, [], `${path}: ${found.join('\n')}`);
}

const publicPages = [
  [`/${ELECTION}`, '.data-table tbody tr', 'nation'],
  [`/${ELECTION}/wilayah/35.78`, '.data-table tbody tr', 'regency'],
  [`/${ELECTION}/wilayah/35.78.01.1001`, '.data-table tbody tr', 'village'],
  [`/${ELECTION}/tps/35.78.01.1001.001`, '#tps-risk', 'tps'],
  [`/${ELECTION}/proyeksi`, '.tile-map', 'projection-nation'],
  [`/${ELECTION}/proyeksi/35.09`, '#projection-tps-table tbody tr', 'projection-regency'],
  [`/${ELECTION}/proyeksi/11`, '#projection-none', 'projection-none'],
  ['/masuk', 'form', 'login'],
];

const VIEWPORTS = [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]];

for (const [viewport, size] of VIEWPORTS) {
  test(`public pages pass the accessibility check (${viewport})`, async () => {
    // bypassCSP lets the test add axe's script; the application itself runs under its policy everywhere else.
    const page = await newPage(world.browser, { viewport: size, bypassCSP: true });
    for (const [path, ready, name] of publicPages) await check(page, path, ready, `x-${viewport}-${name}`);
    await page.context().close();
  });
}

test('the English pages and the logged-in pages pass the accessibility check', async () => {
  const page = await newPage(world.browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await page.goto(`${world.server.url}/${ELECTION}`);
  await page.evaluate(() => localStorage.setItem('tepat.lang', 'en'));
  await check(page, `/${ELECTION}/wilayah/35.78`, '.data-table tbody tr', 'x-english-regency');
  for (const [viewport, size] of VIEWPORTS) {
    await page.setViewportSize(size);
    await check(page, `/${ELECTION}/proyeksi`, '.tile-map', `x-english-projection-nation-${viewport}`);
    await check(page, `/${ELECTION}/proyeksi/35.09`, '#projection-tps-table tbody tr',
      `x-english-projection-${viewport}`);
    await check(page, `/${ELECTION}/tps/35.78.01.1001.001`, '#tps-risk', `x-english-tps-risk-${viewport}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.evaluate(() => localStorage.removeItem('tepat.lang'));
  for (const [username, path, name] of [
    ['kpu-surabaya', `/${ELECTION}/petugas`, 'operator'],
    ['bawaslu-jatim', `/${ELECTION}/pengawasan`, 'supervisor'],
  ]) {
    await page.goto(`${world.server.url}/masuk`);
    await page.getByLabel('Nama pengguna').fill(username);
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.waitForURL(`**${path}*`);
    await check(page, path, 'main h1', `x-${name}`);
    if (username === 'kpu-surabaya') {
      // The projection of the officer's regency with the what-if form and a simulation's result.
      await check(page, `/${ELECTION}/proyeksi/35.78`, '#whatif-form', 'x-whatif-form');
      await page.getByLabel('Anggaran mitigasi (0–10)').fill('1');
      await page.locator('#whatif-file summary').click();
      await page.getByRole('button', { name: 'Jalankan simulasi' }).click();
      await page.locator('#whatif-result').waitFor();
      const found = await violations(page);
      await screenshot(page, 'x-whatif-result');
      assert.deepEqual(found, [], `what-if result: ${found.join('\n')}`);
    }
    await page.evaluate(() => sessionStorage.clear());
  }
  await page.context().close();
});
