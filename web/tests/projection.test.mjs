// The projection pages: the saved live projection of the world (scripts/web-world.sh runs tepat simulate --live
// --save) from the nation down to Kabupaten Jember, each figure and row equal to the API's as the page writes it, the
// TPS most at risk with the band of their arrival times, the legs, a download, a TPS page's risk, the language switch
// and the state without a projection.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { api, ELECTION, newPage, num, pct, screenshot, useWorld, when } from './harness.mjs';

const world = useWorld();

const projection = (region) => api(world.server.url,
  `/elections/${ELECTION}/projection?${new URLSearchParams(region ? { region, top: 50 } : { top: 50 })}`);

const bandLabel = (r) => `Perkiraan tiba: persentil 5 ${when(r.arrival_p05)}, median ${when(r.arrival_p50)}, `
  + `persentil 95 ${when(r.arrival_p95)}; batas tiba ${when(r.deadline)}`;
const interval = (r) => `(interval 95%: ${pct(r.p_late_95[0])}–${pct(r.p_late_95[1])})`;
const MODES = { ready: 'Siap di gudang kabupaten/kota (penyedia)', truck: 'Truk', car: 'Mobil',
  motorbike: 'Sepeda motor', boat: 'Perahu', speedboat: 'Speedboat', aircraft: 'Pesawat', helicopter: 'Helikopter',
  foot: 'Jalan kaki' };

const rows = (page, table) =>
  page.$$eval(`#${table} tbody tr`, (trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));

// The region's figures: TPS, expected late TPS ± their standard deviation, share of TPS late.
async function checkFigures(page, region) {
  assert.equal(await page.locator('#projection-tps').innerText(), num(region.tps));
  assert.equal(await page.locator('#projection-expected').innerText(), num(region.expected_late));
  assert.equal(await page.locator('#projection-sd').innerText(), `± ${num(region.sd_late)} (simpangan baku)`);
  assert.equal(await page.locator('#projection-share').innerText(), pct(region.expected_late / region.tps, 2));
}

// Every row of the regions table against the API's children: code, name, TPS, expected late, sd, share.
async function checkChildren(page, children) {
  const shown = await rows(page, 'projection-children-table');
  assert.equal(shown.length, children.length);
  for (const child of children) {
    const row = shown.find((r) => r[0] === child.code);
    assert.ok(row, `a row for ${child.code}`);
    assert.deepEqual(row, [child.code, child.name, num(child.tps), num(child.expected_late), num(child.sd_late),
      pct(child.expected_late / child.tps, 2)]);
  }
}

async function open(page, name, code) {
  await page.locator('#projection-children-table').getByRole('link', { name, exact: true }).click();
  await page.locator(`[data-projection="${code}"]`).waitFor();
  assert.equal(new URL(page.url()).pathname, `/${ELECTION}/proyeksi/${code}`);
}

test('the projection from the nation to a regency, its TPS most at risk and a TPS page show the API', async () => {
  const page = await newPage(world.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${world.server.url}/${ELECTION}`);
  await page.locator('[data-region=""]').waitFor();
  await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Proyeksi' }).click();
  await page.locator('[data-projection=""]').waitFor();
  assert.equal(new URL(page.url()).pathname, `/${ELECTION}/proyeksi`);

  const nation = await projection('');
  const { run } = nation;
  assert.ok(run.as_of, 'the world saves a live projection');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Proyeksi keterlambatan nasional');
  assert.equal(await page.locator('#projection-scenarios').innerText(), num(run.scenarios));
  assert.equal(await page.locator('#projection-seed').innerText(), String(run.seed));
  assert.equal(await page.locator('#projection-start').innerText(), `dari keadaan ledger pada ${when(run.as_of)}`);
  await checkFigures(page, nation.region);
  // Every province on the map; Jawa Timur coloured by its share expected late, the others not in the projection.
  assert.equal(await page.locator('.tile-map a').count(), 38);
  const jatim = nation.children.find((c) => c.code === '35');
  const tile = page.locator(`.tile-map a[href="/${ELECTION}/proyeksi/35"]`);
  assert.equal(await tile.locator('.visually-hidden').textContent(),
    `Jawa Timur: ${pct(jatim.expected_late / jatim.tps, 2)} TPS diperkirakan terlambat `
    + `(${num(jatim.expected_late)} dari ${num(jatim.tps)} TPS)`);
  assert.equal(await page.locator(`.tile-map a[href="/${ELECTION}/proyeksi/11"] .visually-hidden`).textContent(),
    'Aceh: tidak ada dalam proyeksi');
  await checkChildren(page, nation.children);
  await screenshot(page, 'p1-projection-nation');

  await open(page, 'Jawa Timur', '35');
  const province = await projection('35');
  await checkFigures(page, province.region);
  await checkChildren(page, province.children);
  assert.equal(await page.locator('.tile-map').count(), 0, 'the map is the national level only');
  await screenshot(page, 'p2-projection-province');

  await open(page, 'Kabupaten Jember', '35.09');
  const regency = await projection('35.09');
  await checkFigures(page, regency.region);
  await checkChildren(page, regency.children);
  assert.deepEqual(await page.locator('nav.breadcrumb li').allInnerTexts(),
    ['Indonesia', 'Jawa Timur', 'Kabupaten Jember']);
  assert.equal(await page.locator('nav.breadcrumb a', { hasText: 'Jawa Timur' }).getAttribute('href'),
    `/${ELECTION}/proyeksi/35`);

  // The TPS most at risk in the API's order, each with its chance, interval, lateness, median arrival and a band
  // named with its times.
  const tpsRows = await rows(page, 'projection-tps-table');
  assert.equal(tpsRows.length, regency.tps.length);
  assert.ok(regency.tps[0].p_late > 0);
  regency.tps.forEach((r, i) => {
    const row = tpsRows[i];
    assert.equal(row[0], String(i + 1));
    assert.equal(row[1], r.tps);
    assert.equal(row[3], `${pct(r.p_late)}\n${interval(r)}`);
    assert.equal(row[4], num(r.expected_lateness_hours));
    assert.equal(row[5], when(r.arrival_p50));
  });
  const bands = await page.$$eval('#projection-tps-table tbody tr', (trs) =>
    trs.map((tr) => tr.querySelector('svg[role="img"]')?.getAttribute('aria-label') ?? null));
  assert.deepEqual(bands, regency.tps.map(bandLabel));

  // The legs, the most blamed first, modes in words.
  const legRows = await rows(page, 'projection-legs-table');
  const legs = regency.legs.toSorted((a, b) => b.late_tps - a.late_tps);
  assert.ok(legs.length > 0);
  assert.equal(legRows.length, legs.length);
  legs.forEach((leg, i) => {
    assert.ok(legRows[i][0].startsWith(leg.leg), `${legRows[i][0]} is the leg to ${leg.leg}`);
    assert.ok(legRows[i][1].startsWith(leg.from));
    assert.equal(legRows[i][2], MODES[leg.mode]);
    assert.equal(legRows[i][3], num(leg.late_tps));
  });
  await screenshot(page, 'p3-projection-regency');

  // The TPS table downloads with the times the band shows.
  const block = page.locator('.table-block', { has: page.locator('#projection-tps-table') });
  const [download] = await Promise.all([page.waitForEvent('download'),
    block.getByRole('button', { name: 'Unduh CSV' }).click()]);
  assert.equal(download.suggestedFilename(), 'tepat-pemilu-2024-35.09-proyeksi-tps.csv');
  const lines = (await readFile(await download.path(), 'utf8')).slice(1).trimEnd().split('\r\n');
  assert.equal(lines[0], 'Peringkat,TPS,Desa/Kelurahan,Peluang terlambat (%),Batas bawah interval 95% (%),'
    + 'Batas atas interval 95% (%),Rata-rata keterlambatan (jam),"Tiba, persentil 5",Tiba (median),'
    + '"Tiba, persentil 95",Batas tiba');
  assert.equal(lines.length, regency.tps.length + 1);
  const first = regency.tps[0];
  const cells = lines[1].split(',');
  assert.deepEqual([cells[0], cells[1], cells[3]], ['1', first.tps, String(Math.round(first.p_late * 10000) / 100)]);
  assert.deepEqual(cells.slice(-4), [first.arrival_p05, first.arrival_p50, first.arrival_p95, first.deadline]);

  // The first TPS's page has its risk, the same as the projection's.
  await page.locator('#projection-tps-table').getByRole('link', { name: first.tps, exact: true }).click();
  await page.locator(`[data-tps="${first.tps}"]`).waitFor();
  const detail = await api(world.server.url, `/elections/${ELECTION}/tps/${first.tps}`);
  const { projection: detailRun, ...risk } = detail.risk;
  assert.deepEqual(risk, first);
  assert.deepEqual(detailRun, run);
  const section = page.locator('#tps-risk');
  assert.equal(await section.getByRole('heading', { level: 2 }).innerText(), 'Risiko keterlambatan');
  assert.equal(await page.locator('#tps-risk-p').innerText(), pct(first.p_late));
  assert.equal(await page.locator('#tps-risk-interval').innerText(), interval(first));
  assert.equal(await page.locator('#tps-risk-hours').innerText(), `${num(first.expected_lateness_hours)} jam`);
  assert.equal(await section.locator('svg[role="img"]').getAttribute('aria-label'), bandLabel(first));
  assert.ok((await section.innerText()).includes(`Proyeksi ${num(run.scenarios)} skenario (seed ${run.seed}) `
    + `dari keadaan ledger pada ${when(run.as_of)}, dihitung ${when(run.computed_at)}.`));
  await screenshot(page, 'p4-tps-risk');

  // Its village's dashboard lists it with the same chance of being late.
  const village = detail.path.at(-1);
  await page.locator(`nav.breadcrumb a[href="/${ELECTION}/wilayah/${village.code}"]`).click();
  await page.locator(`[data-region="${village.code}"]`).waitFor();
  const villageRow = await page.$$eval('#tps-table tbody tr', (trs, name) => trs.map((tr) =>
    [...tr.cells].map((c) => c.innerText.trim())).find((cells) => cells[0] === name), `TPS ${first.tps.slice(-3)}`);
  assert.equal(villageRow.at(-1), pct(first.p_late));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the projection and a TPS risk in English', async () => {
  const page = await newPage(world.browser, { viewport: { width: 390, height: 844 } });
  await page.goto(`${world.server.url}/${ELECTION}/proyeksi/35.09`);
  await page.locator('[data-projection="35.09"]').waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  const regency = await projection('35.09');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(),
    'Projection of late arrivals, Kabupaten Jember');
  for (const name of ['About this projection', 'Expected late TPS', 'By District', 'TPS most at risk',
    'Legs that most often make TPS late']) {
    assert.ok(await page.getByRole('heading', { name, exact: true }).isVisible(), name);
  }
  assert.ok(await page.getByRole('link', { name: 'Projection', exact: true }).isVisible());
  assert.equal(await page.locator('#projection-start').innerText(),
    `from the ledger as of ${when(regency.run.as_of, 'en-GB')}`);
  assert.equal(await page.locator('#projection-expected').innerText(), num(regency.region.expected_late, 'en-GB'));
  assert.equal(await page.locator('#projection-sd').innerText(),
    `± ${num(regency.region.sd_late, 'en-GB')} (standard deviation)`);
  const first = regency.tps[0];
  assert.equal(await page.locator('#projection-tps-table tbody tr svg[role="img"]').first().getAttribute('aria-label'),
    `Expected arrival: 5th percentile ${when(first.arrival_p05, 'en-GB')}, median ${when(first.arrival_p50, 'en-GB')}, `
    + `95th percentile ${when(first.arrival_p95, 'en-GB')}; deadline ${when(first.deadline, 'en-GB')}`);
  const modes = await page.$$eval('#projection-legs-table tbody tr',
    (trs) => trs.map((tr) => tr.cells[2].innerText.trim()));
  assert.ok(modes.length > 0 && modes.every((m) => m === 'Car'), modes.join());
  await screenshot(page, 'p5-projection-english-phone');

  await page.locator('#projection-tps-table').getByRole('link', { name: first.tps, exact: true }).click();
  await page.locator('#tps-risk').waitFor();
  assert.ok(await page.getByRole('heading', { name: 'Risk of being late' }).isVisible());
  assert.ok((await page.locator('#tps-risk').innerText())
    .includes(`Projection of ${num(regency.run.scenarios, 'en-GB')} scenarios`));
  await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
  assert.ok(await page.getByRole('heading', { name: 'Risiko keterlambatan' }).isVisible());
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a region the projection does not cover says how a projection is saved and links to the saved one', async () => {
  // The saved projection is the nation's: the 404 names the region it covers, "".
  const response = await fetch(`${world.server.url}/api/v1/elections/${ELECTION}/projection?region=11`);
  assert.equal(response.status, 404);
  assert.deepEqual((await response.json()).error.details, { projection_region: '' });

  const page = await newPage(world.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${world.server.url}/${ELECTION}/proyeksi/11`);
  const notice = page.locator('#projection-none');
  await notice.waitFor();
  await page.getByRole('heading', { name: 'Proyeksi keterlambatan Aceh' }).waitFor();
  const text = await notice.innerText();
  assert.ok(text.includes('Tidak ada proyeksi tersimpan yang mencakup Aceh.'), text);
  assert.ok(text.includes(`tepat simulate --election ${ELECTION} --save`), text);
  assert.equal(await page.locator('#projection-saved').innerText(),
    'Proyeksi yang tersimpan dibuat untuk seluruh Indonesia: Proyeksi keterlambatan nasional');
  await screenshot(page, 'p6-projection-none');
  await notice.getByRole('link', { name: 'Proyeksi keterlambatan nasional' }).click();
  await page.locator('[data-projection=""]').waitFor();
  assert.equal(new URL(page.url()).pathname, `/${ELECTION}/proyeksi`);
  // The 404 of the projection is the one failed request.
  assert.deepEqual(page.errors.filter((e) => !/status of 404/.test(e)), []);
  await page.context().close();
});
