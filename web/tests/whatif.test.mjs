// The what-if simulation on the projection page: as kpu-surabaya on Kota Surabaya, one change (leave a day earlier)
// with a mitigation, the figures equal to the API's answer to the same request as the page writes them, the what-if
// file it makes; a change the server refuses (a closure without its time) with the reason beside its field and no
// result; and no form for the public nor for an account whose scope does not hold the region.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, ELECTION, login, logInPage, newPage, num, screenshot, useWorld } from './harness.mjs';

const world = useWorld();

const REGION = '35.78';
const projectionPath = (code) => `/${ELECTION}/proyeksi/${code}`;

const logIn = (page, username, next) => logInPage(page, world.server.url, username, next);

// The same request made to the API directly, as kpu-surabaya.
async function simulate(body) {
  const token = await login(world.server.url, 'kpu-surabaya');
  return fetch(`${world.server.url}/api/v1/elections/${ELECTION}/simulations`,
    { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
}

const difference = (d) => `${num(d.mean)} (IK 95% ${num(d.low)} s.d. ${num(d.high)}, pada skenario yang sama)`;

test('an officer in scope simulates a change and a mitigation, and sees what the API answers', async () => {
  const page = await newPage(world.browser, { viewport: { width: 1280, height: 900 } });
  await logIn(page, 'kpu-surabaya', projectionPath(REGION));
  await page.locator(`[data-projection="${REGION}"]`).waitFor();
  const form = page.locator('#whatif-form');
  await form.waitFor();
  assert.ok(await page.getByRole('heading', { name: 'Simulasi what-if', exact: true }).isVisible());
  assert.equal(await form.getByLabel('Perubahan', { exact: true }).inputValue(), 'advance');
  assert.equal(await form.getByLabel('Wilayah', { exact: true }).inputValue(), REGION);
  await form.getByLabel('Hari', { exact: true }).fill('1');
  await form.getByLabel('Skenario', { exact: true }).selectOption('1000');
  await form.getByLabel('Anggaran mitigasi (0–10)').fill('2');

  const toml = `[[change]]\nwhat = "advance"\nregion = "${REGION}"\ndays = 1\n`;
  await page.locator('#whatif-file summary').click();
  assert.equal(await page.locator('#whatif-toml').textContent(), toml);

  await form.getByRole('button', { name: 'Jalankan simulasi' }).click();
  await page.locator('#whatif-result').waitFor();
  const response = await simulate({ region: REGION, scenarios: 1000, seed: 1, what_if: toml, mitigate: 2 });
  assert.equal(response.status, 200);
  const answer = await response.json();
  const { what_if: whatIf, mitigation } = answer;
  assert.ok(whatIf.difference.mean < 0, 'leaving a day earlier makes fewer TPS late');
  assert.equal(await page.locator('#whatif-plan').innerText(), num(answer.scope.expected_late));
  assert.equal(await page.locator('#whatif-changed').innerText(), num(whatIf.scope.expected_late));
  assert.equal(await page.locator('#whatif-difference').innerText(), difference(whatIf.difference));
  assert.equal(await page.locator('#whatif-changes').innerText(), whatIf.changes.join('; '));

  // The districts the change moved, each with the plan's figure, the changed one and their difference.
  const plan = new Map(answer.regions.map((r) => [r.code, r.expected_late]));
  const changed = whatIf.regions.filter((r) => r.expected_late !== plan.get(r.code));
  assert.ok(changed.length > 0);
  const shown = await page.$$eval('#whatif-regions-table tbody tr',
    (trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));
  assert.deepEqual(shown.map((r) => r[0]).toSorted(), changed.map((r) => r.code).toSorted());
  for (const r of changed) {
    assert.deepEqual(shown.find((row) => row[0] === r.code), [r.code, r.name, num(plan.get(r.code)),
      num(r.expected_late), num(r.expected_late - plan.get(r.code))]);
  }

  // The mitigation's changes with their reductions, and all of them together.
  assert.ok(mitigation.changes.length > 0 && mitigation.changes.length <= 2);
  assert.deepEqual(await page.locator('#whatif-mitigation li').allInnerTexts(),
    mitigation.changes.map((c) => `${c.change}: mengurangi ${num(c.reduction)} TPS terlambat`));
  assert.equal(await page.locator('#whatif-mitigated').innerText(), num(mitigation.scope.expected_late));
  assert.equal(await page.locator('#whatif-mitigation-difference').innerText(), difference(mitigation.difference));
  await screenshot(page, 'w1-whatif-result');

  // A closure without its time: the server's reasons beside the field, and no result.
  await form.getByLabel('Perubahan', { exact: true }).selectOption('close');
  const closure = `[[change]]\nwhat = "close"\nregion = "${REGION}"\ndays = 1\n`;
  assert.equal(await page.locator('#whatif-toml').textContent(), closure);
  const refused = await simulate({ region: REGION, scenarios: 1000, seed: 1, what_if: closure, mitigate: 2 });
  assert.equal(refused.status, 422);
  const { details } = (await refused.json()).error;
  assert.ok(details.length > 0 && details.every((d) => d.field === 'change[1].from'), JSON.stringify(details));
  await form.getByRole('button', { name: 'Jalankan simulasi' }).click();
  const error = page.locator('#whatif-change-1-from-error');
  await error.waitFor();
  assert.equal(await error.textContent(), `Galat: ${details.map((d) => d.reason).join(' ')}`);
  assert.equal(await page.locator('#whatif-change-1-from').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('.field-error').count(), 1, 'no other field is blamed');
  assert.ok((await page.locator('.error-summary').innerText()).includes(details[0].reason));
  assert.equal(await page.locator('#whatif-result').count(), 0);
  await screenshot(page, 'w2-whatif-refused');
  // The 422 is the one failed request.
  assert.deepEqual(page.errors.filter((e) => !/status of 422/.test(e)), []);
  await page.context().close();
});

test('the public and an account whose scope does not hold the region see no what-if form', async () => {
  const page = await newPage(world.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${world.server.url}${projectionPath(REGION)}`);
  await page.locator(`[data-projection="${REGION}"]`).waitFor();
  assert.equal(await page.locator('#whatif-form').count(), 0);

  await logIn(page, 'bawaslu-jember', projectionPath(REGION));
  await page.locator(`[data-projection="${REGION}"]`).waitFor();
  await page.locator('#projection-tps-table').waitFor();
  assert.equal(await page.locator('#whatif-form').count(), 0);
  // Its own regency has the form.
  await page.goto(`${world.server.url}${projectionPath('35.09')}`);
  await page.locator('#whatif-form').waitFor();
  assert.equal(await page.locator('#whatif-form').getByLabel('Wilayah', { exact: true }).inputValue(), '35.09');
  // The server agrees: 35.78 is outside bawaslu-jember's scope.
  const token = await login(world.server.url, 'bawaslu-jember');
  await assert.rejects(api(world.server.url, `/elections/${ELECTION}/simulations`,
    { token, method: 'POST', body: { region: REGION } }), /403/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
