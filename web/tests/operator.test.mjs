// The KPU officer: logging in, recording a receipt that the public dashboard shows live, and a refused document whose
// reasons appear beside their fields while nothing is posted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, ELECTION, login, newPage, PASSWORD, screenshot, useWorld } from './harness.mjs';

let officer; // the logged-in operator's page, shared by the tests below
let token; // kpu-surabaya's API token, to prepare cases and check them

const world = useWorld(async ({ server }) => {
  token = await login(server.url, 'kpu-surabaya');
});

const get = (route) => api(world.server.url, `/elections/${ELECTION}${route}`, { token });
const ledgerHead = async () => (await get('/ledger')).head.seq;

// "2024-02-12T23:48:33+07:00" plus some minutes, as a datetime-local value in WIB.
function wibLocal(iso, minutes) {
  const wib = new Date(Date.parse(iso) + minutes * 60_000 + 7 * 3_600_000);
  return wib.toISOString().slice(0, 16);
}

test('an officer logs in and lands on the operators\' page', async () => {
  officer = await newPage(world.browser, { viewport: { width: 1280, height: 900 } });
  await officer.goto(`${world.server.url}/masuk`);
  await officer.getByLabel('Nama pengguna').fill('kpu-surabaya');
  await officer.getByLabel('Kata sandi').fill('not-the-password-1');
  await officer.getByRole('button', { name: 'Masuk', exact: true }).click();
  await officer.locator('#login-error').waitFor();
  assert.match(await officer.locator('#login-error').innerText(), /salah/);
  await screenshot(officer, 'b1-login-refused');

  await officer.getByLabel('Kata sandi').fill(PASSWORD);
  await officer.getByRole('button', { name: 'Masuk', exact: true }).click();
  await officer.waitForURL(`**/${ELECTION}/petugas`);
  assert.match(await officer.locator('.account-name').innerText(), /kpu-surabaya · KPU 35\.78/);
  assert.ok(await officer.getByRole('link', { name: 'Petugas' }).isVisible());
  assert.equal(await officer.evaluate(() => sessionStorage.getItem('tepat.token')?.length), 64);
  await screenshot(officer, 'b2-logged-in');
  // The officer's 401 on the wrong password is the only failed request so far.
  assert.deepEqual(officer.errors.filter((e) => !e.includes('401')), []);
});

test('a receipt posted on the operators\' page shows live on the public dashboard', async () => {
  // A TPS in transit whose KPPS has a dispatch awaiting receipt.
  const districts = (await get('/readiness?region=35.78')).children.filter((d) => d.states.in_transit > 0);
  let tps = null;
  let dispatch = null;
  for (const district of districts) {
    for (const candidate of (await get(`/tps?region=${district.code}`)).tps.filter((x) => x.state === 'in_transit')) {
      const documents = (await get(`/nodes/kpps:${candidate.tps}/documents`)).documents;
      dispatch = documents.find((d) => d.kind === 'dispatch' && !d.received_by && !d.reversed_by);
      if (dispatch) {
        tps = candidate.tps;
        break;
      }
    }
    if (tps) break;
  }
  assert.ok(tps, 'the world has a TPS in transit with a dispatch awaiting its receipt');
  const clock = (await get('/readiness')).at;

  // The public dashboard, in its own browser context, not logged in.
  const watcher = await newPage(world.browser, { viewport: { width: 1280, height: 900 } });
  await watcher.goto(`${world.server.url}/${ELECTION}`);
  await watcher.locator('[data-region=""]').waitFor();
  await watcher.locator('.live-badge.live-live').waitFor();
  const before = Number(await watcher.locator('#stat-complete').getAttribute('data-value'));
  assert.equal(before, (await get('/readiness')).region.states.complete);
  await watcher.evaluate(() => { window.notReloaded = true; });
  await screenshot(watcher, 'c1-dashboard-before');

  await officer.getByRole('link', { name: 'Catat penerimaan' }).click();
  await officer.getByLabel('Simpul penerima').fill(`kpps:${tps}`);
  await officer.getByRole('button', { name: 'Tampilkan kiriman' }).click();
  await officer.locator(`#receipt-choose-${dispatch.id}`).check();
  assert.equal(await officer.locator('#receipt-number').inputValue(), dispatch.document.number);
  // The kits of the dispatch are listed, accepted and sealed by default.
  for (const [i, kit] of dispatch.document.kits.entries()) {
    assert.ok((await officer.locator(`#receipt-kits-${i}`).innerText()).includes(kit));
    assert.equal(await officer.locator(`#receipt-kits-${i}-accepted`).isChecked(), true);
  }
  await officer.locator('#receipt-at').fill(wibLocal(clock, 5));
  await officer.getByLabel('Nama', { exact: true }).fill('Dewi Lestari');
  await officer.getByLabel('Jabatan').fill(`Ketua KPPS TPS ${tps.slice(-3)}`);
  await screenshot(officer, 'c2-receipt-form');
  await officer.getByRole('button', { name: 'Catat penerimaan', exact: true }).click();
  await officer.locator('#post-result').waitFor();
  const result = await officer.locator('#post-result').innerText();
  assert.match(result, /Tercatat di buku besar\. Nomor urut dokumen: #[\d.]+\./);
  assert.equal(await officer.locator('#post-result a').getAttribute('href'), `/${ELECTION}/tps/${tps}`);
  await screenshot(officer, 'c3-receipt-posted');

  assert.equal((await get(`/tps/${tps}`)).state, 'complete');
  await watcher.locator(`#stat-complete[data-value="${before + 1}"]`).waitFor({ timeout: 10_000 });
  assert.equal(await watcher.evaluate(() => window.notReloaded), true, 'the dashboard changed without a reload');
  assert.match(await watcher.locator('.live-update').innerText(), /^Diperbarui \d\d\.\d\d\.\d\d WIB$/);
  await screenshot(watcher, 'c4-dashboard-after');

  // The TPS page now names the receipt and, for the officer, who signed it.
  await officer.locator('#post-result a').click();
  await officer.locator(`[data-tps="${tps}"]`).waitFor();
  assert.equal(await officer.locator('#tps-state').innerText(), 'Diterima');
  assert.ok((await officer.locator('#tps-timeline').innerText()).includes('Dewi Lestari'));
  await screenshot(officer, 'c5-tps-received');
  assert.deepEqual(watcher.errors, []);
  await watcher.context().close();
});

test('a refused document shows each reason beside its field and posts nothing', async () => {
  // A dispatch of more ballot boxes than the warehouse holds.
  const holds = 1_000_000;
  const head = await ledgerHead();
  await officer.goto(`${world.server.url}/${ELECTION}/petugas?tugas=pengiriman`);
  assert.equal(await officer.getByLabel('Dari simpul').inputValue(), 'kpu:35.78');
  await officer.getByLabel('Ke simpul').fill('ppk:35.78.01');
  await officer.getByRole('button', { name: 'Tambah barang' }).click();
  await officer.getByLabel('Kode barang 1').fill('kotak_suara');
  await officer.getByLabel('Jumlah 1').fill(String(holds));
  await officer.locator('#dispatch-at').fill(wibLocal((await get('/readiness')).at, 1));
  await officer.getByLabel('Nama', { exact: true }).fill('Siti Aminah');
  await officer.getByLabel('Jabatan').fill('KPU Kota Surabaya');
  await officer.getByRole('button', { name: 'Catat pengiriman', exact: true }).click();
  const quantity = officer.locator('#dispatch-lines-0-quantity');
  await officer.locator('#dispatch-lines-0-quantity[aria-invalid="true"]').waitFor();
  assert.equal(await quantity.getAttribute('aria-describedby'), 'dispatch-lines-0-quantity-error');
  assert.match(await officer.locator('#dispatch-lines-0-quantity-error').innerText(),
    new RegExp(`kpu:35\\.78 holds [\\d]+ of kotak_suara; this document takes ${holds}`));
  assert.match(await officer.locator('.error-summary').innerText(), /lines\[0\]\.quantity/);
  assert.equal(await ledgerHead(), head, 'nothing was posted');
  await screenshot(officer, 'd1-dispatch-refused');

  // A receipt that accepts more than was sent: first a real dispatch of one box, prepared through the API.
  const id = crypto.randomUUID();
  const clock = (await get('/readiness')).at;
  await api(world.server.url, `/elections/${ELECTION}/documents`, { token, method: 'POST', body: {
    id, kind: 'dispatch', election: ELECTION, at: clock, node: 'kpu:35.78', number: 'BAST/UJI-1',
    signed_by: [{ name: 'Siti Aminah', role: 'KPU Kota Surabaya' }], to: 'ppk:35.78.01',
    lines: [{ item: 'kotak_suara', quantity: 1 }],
  } });
  const headAfterDispatch = await ledgerHead();
  await officer.getByRole('link', { name: 'Catat penerimaan' }).click();
  await officer.getByLabel('Simpul penerima').fill('ppk:35.78.01');
  await officer.getByRole('button', { name: 'Tampilkan kiriman' }).click();
  await officer.locator(`#receipt-choose-${id}`).check();
  assert.equal(await officer.locator('#receipt-lines-0-accepted').inputValue(), '1');
  await officer.locator('#receipt-lines-0-accepted').fill('2');
  await officer.locator('#receipt-at').fill(wibLocal(clock, 10));
  await officer.getByLabel('Nama', { exact: true }).fill('Rahmat Hidayat');
  await officer.getByLabel('Jabatan').fill('Ketua PPK Karang Pilang');
  await officer.getByRole('button', { name: 'Catat penerimaan', exact: true }).click();
  await officer.locator('#receipt-lines-0-accepted[aria-invalid="true"]').waitFor();
  assert.match(await officer.locator('#receipt-lines-0-accepted-error').innerText(),
    /accepted \(2\) \+ rejected \(0\) must equal sent \(1\)/);
  assert.equal(await officer.locator('.error-summary').evaluate((e) => e === document.activeElement), true);
  assert.equal(await ledgerHead(), headAfterDispatch, 'nothing was posted');
  const documents = (await get('/nodes/ppk:35.78.01/documents')).documents;
  assert.equal(documents.find((d) => d.id === id).received_by, null);
  await screenshot(officer, 'd2-receipt-refused');

  // Corrected, the same form posts.
  await officer.locator('#receipt-lines-0-accepted').fill('1');
  await officer.getByRole('button', { name: 'Catat penerimaan', exact: true }).click();
  await officer.locator('#post-result').waitFor();
  assert.equal(await ledgerHead(), headAfterDispatch + 1);
  await screenshot(officer, 'd3-receipt-corrected');

  // Logging out ends the session.
  await officer.getByRole('button', { name: 'Keluar' }).click();
  await officer.getByRole('link', { name: 'Masuk' }).waitFor();
  assert.equal(await officer.evaluate(() => sessionStorage.getItem('tepat.token')), null);
  await officer.context().close();
});
