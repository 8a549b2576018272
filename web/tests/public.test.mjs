// The public dashboard: the drill-down from the nation to one TPS, the language switch, and table downloads.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { api, ELECTION, login, newPage, parseId, PASSWORD, pct, screenshot, useWorld } from './harness.mjs';

const world = useWorld();

const readiness = (region) =>
  api(world.server.url, `/elections/${ELECTION}/readiness${region ? `?region=${region}` : ''}`);

// The figures of the region shown: TPS in total and per delivery state.
async function stats(page) {
  const value = async (key) => parseId(await page.locator(`#stat-${key}`).innerText());
  return { tps: await value('tps'), complete: await value('complete'), in_transit: await value('in_transit'),
    not_delivered: await value('not_delivered') };
}

const expectedStats = (region) => ({ tps: region.tps, ...region.states });

// The rows of a table as the text of their cells.
const rows = (page, table) =>
  page.$$eval(`#${table} tbody tr`, (trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));

// Checks a row of the regions table against the API: code, name, TPS, the three states, then (after the share)
// the eight problems.
function checkRow(row, region) {
  assert.equal(row[0], region.code);
  assert.equal(row[1], region.name);
  assert.deepEqual(row.slice(2, 6).map(parseId), [region.tps, region.states.complete, region.states.in_transit,
    region.states.not_delivered]);
  const problems = ['not_delivered', 'short', 'excess', 'wrong_variant', 'misrouted', 'damaged', 'unsealed', 'late'];
  assert.deepEqual(row.slice(7).map(parseId), problems.map((p) => region.problems[p]));
}

async function openRegion(page, name, code) {
  await page.locator('#children-table').getByRole('link', { name, exact: true }).click();
  await page.locator(`[data-region="${code}"]`).waitFor();
  assert.equal(new URL(page.url()).pathname, `/${ELECTION}/wilayah/${code}`);
}

test('drill-down from the nation to a TPS shows the numbers of the API', async () => {
  const page = await newPage(world.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${world.server.url}/`);
  await page.locator('[data-region=""]').waitFor();
  assert.equal(new URL(page.url()).pathname, `/${ELECTION}`);

  const nation = await readiness('');
  assert.deepEqual(await stats(page), expectedStats(nation.region));
  assert.equal(await page.locator('.tile-map a').count(), 38);
  const jatim = nation.children.find((c) => c.code === '35');
  checkRow((await rows(page, 'children-table')).find((r) => r[0] === '35'), jatim);
  // The tile of Jawa Timur is a link named with its share received.
  const tile = page.locator('.tile-map a[href$="/wilayah/35"]');
  assert.match(await tile.locator('.visually-hidden').textContent(), /^Jawa Timur: \d+,\d% TPS diterima, dari 8\.045 TPS$/);
  await screenshot(page, 'a1-nation');

  await openRegion(page, 'Jawa Timur', '35');
  const province = await readiness('35');
  assert.deepEqual(await stats(page), expectedStats(province.region));
  const surabaya = province.children.find((c) => c.code === '35.78');
  checkRow((await rows(page, 'children-table')).find((r) => r[0] === '35.78'), surabaya);
  await screenshot(page, 'a2-province');

  await openRegion(page, 'Kota Surabaya', '35.78');
  const regency = await readiness('35.78');
  assert.deepEqual(await stats(page), expectedStats(regency.region));
  assert.equal((await rows(page, 'children-table')).length, regency.children.length);
  const breadcrumb = await page.locator('nav.breadcrumb li').allInnerTexts();
  assert.deepEqual(breadcrumb, ['Indonesia', 'Jawa Timur', 'Kota Surabaya']);
  // Sorting by TPS, largest first, keeps the figures of each row.
  await page.locator('#children-table thead').getByRole('button', { name: /^TPS/ }).click();
  assert.equal(await page.locator('#children-table th[aria-sort]').getAttribute('aria-sort'), 'descending');
  const sorted = (await rows(page, 'children-table')).map((r) => parseId(r[2]));
  assert.deepEqual(sorted, regency.children.map((c) => c.tps).sort((a, b) => b - a));
  await screenshot(page, 'a3-regency');

  const district = regency.children.find((c) => c.tps > 0);
  await openRegion(page, district.name, district.code);
  const districtReadiness = await readiness(district.code);
  assert.deepEqual(await stats(page), expectedStats(districtReadiness.region));
  checkRow((await rows(page, 'children-table'))[0], districtReadiness.children[0]);
  await screenshot(page, 'a4-district');

  const village = districtReadiness.children.find((c) => c.tps > 0);
  await openRegion(page, village.name, village.code);
  const villageReadiness = await readiness(village.code);
  assert.deepEqual(await stats(page), expectedStats(villageReadiness.region));
  const tpsList = (await api(world.server.url, `/elections/${ELECTION}/tps?region=${village.code}`)).tps;
  const tpsRows = await rows(page, 'tps-table');
  assert.equal(tpsRows.length, tpsList.length);
  assert.equal(tpsRows.length, village.tps);
  const states = { complete: 'Diterima', in_transit: 'Dalam perjalanan', not_delivered: 'Belum dikirim' };
  // The saved projection covers the village: the last column is each TPS's chance of being late, as the projection
  // page writes it.
  const late = (r) => (r.p_late === null ? '–' : pct(r.p_late));
  assert.ok(tpsList.some((r) => r.p_late !== null), 'the saved projection covers the village');
  tpsRows.forEach((row, i) => {
    assert.equal(row[0], `TPS ${tpsList[i].tps.slice(-3)}`);
    assert.equal(row[1], states[tpsList[i].state]);
    assert.deepEqual([parseId(row[2]), parseId(row[3])], [tpsList[i].need, tpsList[i].received]);
    assert.equal(row[7], late(tpsList[i]));
  });
  // Its header is described by a note that links to the village's projection; it sorts, most likely late first.
  const lateHeader = page.locator('#tps-table thead').getByRole('button', { name: 'P(terlambat)' });
  const note = page.locator(`#${await lateHeader.getAttribute('aria-describedby')}`);
  assert.ok((await note.innerText()).startsWith('P(terlambat): peluang logistik TPS tiba setelah batas tiba'));
  assert.equal(await note.getByRole('link').getAttribute('href'), `/${ELECTION}/proyeksi/${village.code}`);
  await lateHeader.click();
  assert.equal(await page.locator('#tps-table th[aria-sort]').getAttribute('aria-sort'), 'descending');
  const byRisk = tpsList.toSorted((a, b) => (b.p_late ?? -1) - (a.p_late ?? -1));
  assert.deepEqual((await rows(page, 'tps-table')).map((r) => r[7]), byRisk.map(late));
  // The column downloads with the others, in percent.
  const block = page.locator('.table-block', { has: page.locator('#tps-table') });
  const [download] = await Promise.all([page.waitForEvent('download'),
    block.getByRole('button', { name: 'Unduh CSV' }).click()]);
  const [header, firstLine] = (await readFile(await download.path(), 'utf8')).slice(1).split('\r\n');
  assert.equal(header.split(',').at(-1), 'P(terlambat) (%)');
  assert.equal(firstLine.split(',').at(-1), String(Math.round(byRisk[0].p_late * 10000) / 100));
  await screenshot(page, 'a5-village');

  const first = tpsList[0];
  await page.locator('#tps-table').getByRole('link', { name: `TPS ${first.tps.slice(-3)}` }).click();
  await page.locator(`[data-tps="${first.tps}"]`).waitFor();
  const detail = await api(world.server.url, `/elections/${ELECTION}/tps/${first.tps}`);
  assert.equal(await page.locator('#tps-state').innerText(), states[detail.state]);
  const itemRows = await rows(page, 'tps-items-table');
  assert.equal(itemRows.length, detail.items.length);
  assert.equal(itemRows[0][1], detail.items[0].item);
  assert.deepEqual([parseId(itemRows[0][2]), parseId(itemRows[0][3])], [detail.items[0].need, detail.items[0].received]);
  assert.match(itemRows.find((r) => r[1].startsWith('surat_suara:DPR:'))[0], /^Surat Suara DPR — dapil \S+$/);
  assert.equal(await page.locator('.kit-card').count(), detail.kits.length);
  assert.equal(await page.locator('#tps-timeline > li').count(), detail.documents.length);
  // The public sees the signers' roles, not their names.
  assert.equal(detail.names_hidden, true);
  assert.ok((await page.locator('#tps-timeline').innerText()).includes('(nama hanya untuk petugas yang masuk)'));
  assert.deepEqual(await page.locator('nav.breadcrumb li').allInnerTexts(),
    ['Indonesia', ...detail.path.map((r) => r.name), `TPS ${first.tps.slice(-3)}`]);
  await screenshot(page, 'a6-tps');

  // A TPS code typed in the search box goes straight to that TPS.
  const other = tpsList.at(-1).tps;
  await page.locator('#site-search').fill(other);
  await page.locator('#site-search').press('Enter');
  await page.locator(`[data-tps="${other}"]`).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the language switch changes the words, the numbers and <html lang>, and is kept', async () => {
  const page = await newPage(world.browser, { viewport: { width: 390, height: 844 } });
  await page.goto(`${world.server.url}/${ELECTION}/wilayah/35.78`);
  await page.locator('[data-region="35.78"]').waitFor();
  const regency = (await readiness('35.78')).region;
  assert.equal(await page.locator('html').getAttribute('lang'), 'id');
  assert.equal(await page.locator('#stat-tps').innerText(), regency.tps.toLocaleString('id-ID'));
  assert.ok(await page.getByRole('heading', { name: 'TPS menurut keadaan pengiriman' }).isVisible());
  await screenshot(page, 'e1-indonesian-phone');

  await page.getByRole('button', { name: 'English' }).click();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.ok(await page.getByRole('heading', { name: 'TPS by delivery state' }).isVisible());
  assert.equal(await page.locator('#stat-tps').innerText(), regency.tps.toLocaleString('en-GB'));
  assert.ok((await page.locator('.clock-at').innerText()).startsWith('As of '));
  await screenshot(page, 'e2-english-phone');

  // Kept across a reload.
  await page.reload();
  await page.locator('[data-region="35.78"]').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.ok(await page.getByRole('button', { name: 'Download CSV' }).first().isVisible());

  await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
  assert.equal(await page.locator('html').getAttribute('lang'), 'id');
  assert.ok(await page.getByRole('heading', { name: 'TPS menurut keadaan pengiriman' }).isVisible());
  assert.equal(await page.evaluate(() => localStorage.getItem('tepat.lang')), 'id');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a table downloads as CSV and as XLSX with its header row and its numbers', async () => {
  const page = await newPage(world.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${world.server.url}/${ELECTION}/wilayah/35.78.01`);
  await page.locator('[data-region="35.78.01"]').waitFor();
  const district = await readiness('35.78.01');
  const header = 'Kode,Desa/Kelurahan,TPS,Diterima,Dalam perjalanan,Belum dikirim,Bagian diterima (%),'
    + 'Belum diterima,Kurang,Lebih,Surat suara tertukar,Salah alamat,Rusak,Segel rusak,Terlambat';
  const block = page.locator('.table-block', { has: page.locator('#children-table') });

  const [csvDownload] = await Promise.all([page.waitForEvent('download'), block.getByRole('button', { name: 'Unduh CSV' }).click()]);
  assert.equal(csvDownload.suggestedFilename(), 'tepat-pemilu-2024-35.78.01-village.csv');
  const csv = await readFile(await csvDownload.path(), 'utf8');
  assert.ok(csv.startsWith('\uFEFF'), 'the CSV starts with a byte-order mark');
  const lines = csv.slice(1).trimEnd().split('\r\n');
  assert.equal(lines[0], header);
  assert.equal(lines.length, district.children.length + 1);
  const first = district.children[0];
  const cells = lines[1].split(',');
  assert.deepEqual(cells.slice(0, 6), [first.code, first.name, String(first.tps), String(first.states.complete),
    String(first.states.in_transit), String(first.states.not_delivered)]);

  const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), block.getByRole('button', { name: 'Unduh XLSX' }).click()]);
  assert.equal(xlsxDownload.suggestedFilename(), 'tepat-pemilu-2024-35.78.01-village.xlsx');
  const bytes = new Uint8Array(await readFile(await xlsxDownload.path()));
  assert.equal(strFromU8(bytes.subarray(0, 2)), 'PK', 'an XLSX file is a zip');
  const files = unzipSync(bytes);
  for (const part of ['[Content_Types].xml', 'xl/workbook.xml', 'xl/styles.xml', 'xl/worksheets/sheet1.xml']) {
    assert.ok(files[part], `the workbook has ${part}`);
  }
  const sheet = strFromU8(files['xl/worksheets/sheet1.xml']);
  const headerCells = [...sheet.match(/<row r="1">.*?<\/row>/)[0].matchAll(/<t xml:space="preserve">([^<]*)<\/t>/g)].map((m) => m[1]);
  assert.equal(headerCells.join(','), header.replace(' (%)', ''));
  // Row 2 is the first village: its code as text, its TPS in column C as a number.
  assert.ok(sheet.includes(`<c r="A2" t="inlineStr"><is><t xml:space="preserve">${first.code}</t></is></c>`));
  assert.ok(sheet.includes(`<c r="C2" s="2"><v>${first.tps}</v></c>`));
  assert.equal((sheet.match(/<row /g) || []).length, district.children.length + 1);
  await screenshot(page, 'f1-district-downloads');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a region name search lists the region, and a supervisor reads the TPS with problems in scope', async () => {
  const page = await newPage(world.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${world.server.url}/${ELECTION}`);
  await page.locator('#site-search').fill('jember');
  await page.locator('#site-search').press('Enter');
  await page.waitForURL(`**/${ELECTION}/cari?q=jember`);
  await page.getByRole('heading', { name: /^Kabupaten\/Kota/ }).waitFor();
  assert.equal(await page.locator('a[href$="/wilayah/35.09"]').innerText(), 'Kabupaten Jember');
  await screenshot(page, 'g1-search');

  await page.getByRole('link', { name: 'Masuk' }).click();
  await page.getByLabel('Nama pengguna').fill('bawaslu-jember');
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  // Back where the login started; the supervisor's page is in the menu, the operators' page is not.
  await page.waitForURL(`**/${ELECTION}/cari?q=jember`);
  assert.equal(await page.getByRole('link', { name: 'Petugas' }).count(), 0);
  await page.getByRole('link', { name: 'Pengawasan' }).click();
  await page.locator('#supervision-table').waitFor();

  const token = await login(world.server.url, 'bawaslu-jember');
  const problems = (await api(world.server.url, `/elections/${ELECTION}/readiness/problems?region=35.09`,
    { token })).problems;
  assert.ok(problems.length > 0);
  assert.equal(await page.locator('#supervision-table tbody tr').count(), problems.length);
  await page.getByLabel('Masalah', { exact: true }).selectOption('short');
  const short = problems.filter((p) => p.problems.includes('short'));
  await page.waitForURL(/masalah=short/);
  assert.equal(await page.locator('#supervision-table tbody tr').count(), short.length);
  const firstRow = await page.locator('#supervision-table tbody tr').first().innerText();
  assert.ok(firstRow.startsWith(short[0].tps) && firstRow.includes('Kurang'));
  await screenshot(page, 'g2-supervision');

  // In scope, the TPS page names the signers.
  await page.getByRole('link', { name: short[0].tps }).click();
  await page.locator(`[data-tps="${short[0].tps}"]`).waitFor();
  assert.ok((await page.locator('#tps-problems').innerText()).includes('Kurang'));
  assert.equal(await page.getByText('(nama hanya untuk petugas yang masuk)').count(), 0);
  await screenshot(page, 'g3-tps-in-scope');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
