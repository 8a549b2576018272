// Bawaslu's supervision and KPU's answer: a supervisor records a report (Form A) at a TPS with a seal seen broken, the
// cross-check lists the discrepancy, the supervisor raises a finding from it and recommends a correction to the KPU
// of Kota Surabaya; the KPU officer sees it under "Saran perbaikan", answers and records the follow-up; the supervisor
// reads the history and closes it. A refused report shows the server's reason beside its field and records nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, ELECTION, login, logInPage, newPage, screenshot, useWorld } from './harness.mjs';

let supervisor; // bawaslu-jatim's page, kept across the tests
let tokens; // API tokens by account
let tps; // the TPS visited: {code, kit, seals, boxes}
let reportNumber; // the number the server gave the report
let finding; // the finding raised, as the API gives it

const world = useWorld(async ({ server }) => {
  tokens = { bawaslu: await login(server.url, 'bawaslu-jatim'), kpu: await login(server.url, 'kpu-surabaya') };
});

const get = (route, who = 'bawaslu') => api(world.server.url, route, { token: tokens[who] });
const election = (route, who) => get(`/elections/${ELECTION}${route}`, who);
const post = (route, body, who = 'bawaslu') =>
  api(world.server.url, route, { token: tokens[who], method: 'POST', body });

// An instant plus some minutes, as a datetime-local value in WIB.
const wibLocal = (ms) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16);

// Failed requests the tests cause on purpose (a refused report or step) are logged by the browser as console errors.
const unexpected = (page) => page.errors.filter((e) => !/status of 4\d\d/.test(e));

// The answer the test gives to a checklist question.
const answerOf = (question, i) => (question.answer === 'yes_no' ? (i % 2 ? 'tidak' : 'ya')
  : question.answer === 'count' ? '1' : 'Catatan pengawas');

const logIn = (page, username, next) => logInPage(page, world.server.url, username, next);

// A TPS of Kota Surabaya that received its kit with the seals recorded intact, found through the public API.
async function receivedTps() {
  const districts = (await election('/readiness?region=35.78')).children.filter((d) => d.states.complete > 0);
  for (const district of districts) {
    const villages = (await election(`/readiness?region=${district.code}`)).children.filter((v) => v.states.complete > 0);
    for (const village of villages) {
      for (const candidate of (await election(`/tps?region=${village.code}`)).tps) {
        if (candidate.state !== 'complete' || candidate.problems.length) continue;
        const detail = await election(`/tps/${candidate.tps}`);
        const receipt = detail.documents.find((d) => d.kind === 'receipt' && !d.reversed_by);
        const kit = detail.kits[0];
        if (!kit || kit.seals.length < 2 || !receipt) continue;
        if (!receipt.document.kits?.some((k) => k.kit === kit.kit && k.accepted && k.seals_intact)) continue;
        const boxes = detail.items.find((i) => i.item === 'kotak_suara')?.received;
        return { code: candidate.tps, kit: kit.kit, seals: kit.seals, boxes, receivedAt: Date.parse(receipt.at) };
      }
    }
  }
  return null;
}

test('a supervisor records a report; a refused one shows its reason beside the field and records nothing', async () => {
  tps = await receivedTps();
  assert.ok(tps, 'the world has a TPS that received its kit with the seals intact');
  assert.ok(tps.boxes > 0);
  assert.deepEqual((await election('/reports?region=35')).reports, [], 'the world has no report yet');

  supervisor = await newPage(world.browser, { viewport: { width: 1280, height: 900 } });
  await logIn(supervisor, 'bawaslu-jatim', `/${ELECTION}/pengawasan?bagian=laporan`);
  await supervisor.locator('#reports-table').waitFor();
  assert.equal(await supervisor.locator('#reports-table tbody td.empty').innerText(), 'Belum ada laporan di wilayah ini.');
  assert.equal(await supervisor.locator('.tabs a[aria-current="page"]').innerText(), 'Laporan');

  // Required fields left empty are named beside them before anything is sent.
  await supervisor.getByLabel('Tempat (simpul)').fill(tps.code);
  await supervisor.getByRole('button', { name: 'Catat laporan', exact: true }).click();
  await supervisor.locator('#report-supervisor-name[aria-invalid="true"]').waitFor();
  assert.match(await supervisor.locator('#report-supervisor-name-error').innerText(), /^Galat:\s+Wajib diisi\.$/);
  assert.equal(await supervisor.locator('#report-assignment[aria-invalid="true"]').count(), 1);

  // The same item counted twice: the server refuses the report and names the second count.
  await supervisor.getByLabel('Nama pengawas').fill('Siti Rahmawati');
  await supervisor.getByLabel('Jabatan').fill(`Pengawas TPS ${tps.code.slice(-3)}`);
  await supervisor.getByLabel('Nomor surat perintah tugas').fill('ST-017/PM.01/K.JI-35/02/2024');
  await supervisor.locator('#report-at').fill(wibLocal(tps.receivedAt + 6 * 3_600_000));
  await supervisor.getByLabel('Uraian').fill('Kotak suara diperiksa bersama Ketua KPPS. Satu segel kit terlepas.');
  for (const [i, count] of [[1, tps.boxes], [2, tps.boxes]]) {
    await supervisor.getByRole('button', { name: 'Tambah barang' }).click();
    await supervisor.getByLabel(`Kode barang ${i}`).fill('kotak_suara');
    await supervisor.getByLabel(`Jumlah terhitung ${i}`).fill(String(count));
  }
  await supervisor.getByRole('button', { name: 'Catat laporan', exact: true }).click();
  await supervisor.locator('#report-observed-1-item[aria-invalid="true"]').waitFor();
  assert.equal(await supervisor.locator('#report-observed-1-item').getAttribute('aria-describedby'),
    'report-observed-1-item-hint report-observed-1-item-error');
  assert.match(await supervisor.locator('#report-observed-1-item-error').innerText(),
    /item kotak_suara is already counted at observed\[0\]/);
  assert.match(await supervisor.locator('.error-summary').innerText(), /observed\[1\]\.item/);
  assert.equal(await supervisor.locator('.error-summary').evaluate((e) => e === document.activeElement), true);
  assert.equal(await supervisor.locator('#report-supervisor-name[aria-invalid="true"]').count(), 0);
  assert.deepEqual((await election('/reports?region=35')).reports, [], 'nothing was recorded');
  await screenshot(supervisor, 's1-report-refused');

  // Corrected: one count; the stage's checklist, every question answered (a question left out is named beside it);
  // the kits of the TPS loaded with their seals, the first seal seen broken.
  await supervisor.getByRole('button', { name: 'Hapus Kode barang 2' }).click();
  const [checklist] = (await api(world.server.url, '/checklists?stage=tps_h1')).checklists;
  assert.ok(checklist.questions.length > 1);
  await supervisor.getByLabel(`Isi daftar periksa "${checklist.title}"`).check();
  const answer = async (i) => {
    const field = supervisor.locator(`#report-checklist-answers-${i}-answer`);
    const value = answerOf(checklist.questions[i], i);
    if (checklist.questions[i].answer === 'yes_no') await field.getByLabel(value === 'ya' ? 'Ya' : 'Tidak', { exact: true }).check();
    else await field.fill(value);
  };
  const last = checklist.questions.length - 1;
  for (let i = 0; i < last; i++) await answer(i);
  await supervisor.getByRole('button', { name: 'Catat laporan', exact: true }).click();
  await supervisor.locator(`#report-checklist-answers-${last}-answer-error`).waitFor();
  assert.match(await supervisor.locator(`#report-checklist-answers-${last}-answer-error`).innerText(), /Wajib diisi/);
  assert.equal(await supervisor.locator('.field-error').count(), 1, 'only the question left out');
  await answer(last);
  await supervisor.getByRole('button', { name: 'Muat kit TPS ini' }).click();
  await supervisor.locator('#report-kits-0-kit').waitFor();
  assert.equal(await supervisor.locator('#report-kits-0-kit').inputValue(), tps.kit);
  assert.equal(await supervisor.locator('#report-kits-0-present').isChecked(), true);
  assert.equal(await supervisor.locator('#report-kits-0 tbody tr').count(), tps.seals.length);
  await supervisor.getByLabel(`${tps.seals[0]} utuh`).uncheck();
  await screenshot(supervisor, 's2-report-form');
  await supervisor.getByRole('button', { name: 'Catat laporan', exact: true }).click();
  await supervisor.locator('#report-result').waitFor();
  const reports = (await election('/reports?region=35')).reports;
  assert.equal(reports.length, 1);
  const { report } = reports[0];
  reportNumber = report.number;
  assert.match(report.number, /^001\/LHP\/PM\.01\.02\/35\.78\/\d\d\/\d{4}$/);
  assert.equal(report.node, `kpps:${tps.code}`);
  assert.equal(report.supervisor.name, 'Siti Rahmawati');
  assert.deepEqual(report.observed, [{ item: 'kotak_suara', count: tps.boxes }]);
  assert.deepEqual(report.kits, [{ kit: tps.kit, present: true,
    seals: tps.seals.map((seal, i) => ({ seal, intact: i !== 0 })) }]);
  assert.deepEqual(report.checklist, { id: checklist.id, version: checklist.version,
    answers: checklist.questions.map((q, i) => ({ question: q.id, answer: answerOf(q, i) })) });
  assert.match(await supervisor.locator('#report-result').innerText(), new RegExp(`Laporan ${report.number.replaceAll('.', '\\.')} tercatat\\.`));
  // The list below shows it.
  await supervisor.locator('#reports-table tbody tr th', { hasText: report.number }).waitFor();
  const row = await supervisor.locator('#reports-table tbody tr').first().innerText();
  assert.ok(row.includes('Logistik di TPS pada H-1') && row.includes('Siti Rahmawati'), row);
  await screenshot(supervisor, 's3-report-recorded');
  assert.deepEqual(unexpected(supervisor), []);
});

test('the broken seal shows as a discrepancy, and becomes a registered finding with a recommendation', async () => {
  await supervisor.getByRole('link', { name: 'Ketidaksesuaian', exact: true }).click();
  await supervisor.locator('#discrepancies-table').waitFor();
  const discrepancies = (await election('/discrepancies?region=35')).discrepancies;
  assert.deepEqual(discrepancies.map((d) => [d.tps_code, d.discrepancy, d.subject]), [[tps.code, 'seal_broken', tps.kit]],
    'a seal broken and nothing else: the count of ballot boxes agrees with the ledger');
  const rows = supervisor.locator('#discrepancies-table tbody tr');
  assert.equal(await rows.count(), 1);
  const cells = await rows.first().locator('th, td').allInnerTexts();
  assert.ok(cells[0].startsWith(tps.code));
  assert.equal(cells[1], 'Segel rusak, tercatat utuh');
  assert.match(cells[2], /^Jadikan temuan/);
  assert.equal(cells[3], tps.kit);
  assert.deepEqual(cells.slice(4, 6), ['segel utuh', 'segel rusak']);
  assert.equal(await rows.first().getByRole('link', { name: tps.code }).getAttribute('href'), `/${ELECTION}/tps/${tps.code}`);
  await screenshot(supervisor, 's4-discrepancies');

  await rows.first().getByRole('button', { name: /^Jadikan temuan/ }).click();
  await supervisor.locator('#raise-result').waitFor();
  const findings = (await election('/findings?region=35')).findings;
  assert.equal(findings.length, 1);
  [finding] = findings;
  assert.equal(finding.state, 'registered');
  assert.equal(finding.category, 'unsealed');
  assert.ok(finding.evidence.includes(`report:${discrepancies[0].report}`));
  assert.match(await supervisor.locator('#raise-result').innerText(), new RegExp(`Temuan ${finding.number.replaceAll('.', '\\.')} tercatat dan terdaftar`));
  // The row now links to the finding instead of offering to raise it again.
  await rows.first().getByRole('link', { name: finding.number }).waitFor();
  assert.equal(await rows.first().getByRole('button').count(), 0);
  await screenshot(supervisor, 's5-finding-raised');

  await supervisor.locator('#raise-result a').click();
  await supervisor.locator(`[data-finding="${finding.id}"]`).waitFor();
  assert.equal(new URL(supervisor.url()).pathname, `/${ELECTION}/temuan/${finding.id}`);
  assert.equal(await supervisor.locator('h1').innerText(), `Temuan ${finding.number}`);
  assert.equal(await supervisor.locator('#finding-state').innerText(), 'Terdaftar');
  const evidence = await supervisor.locator('#finding-evidence').innerText();
  assert.ok(evidence.includes(`Laporan hasil pengawasan ${reportNumber}`), evidence);
  assert.ok(evidence.includes(`Segel rusak: ${tps.seals[0]}`), evidence);
  assert.ok(evidence.includes('Penerimaan (BAST)'), evidence);
  assert.equal(await supervisor.locator('#finding-history li').count(), 1);
  // Bawaslu may recommend, close or escalate a registered finding; the KPU's steps are not offered.
  assert.deepEqual(await supervisor.locator('.step-form h3').allInnerTexts(),
    ['Kirim saran perbaikan', 'Tutup temuan', 'Teruskan temuan']);

  // A recommendation to something that is not a KPU unit: the server's reason beside "Kepada unit KPU".
  const form = supervisor.locator('#step-recommend');
  await form.getByLabel('Kepada unit KPU').fill('35.78');
  await form.getByLabel('Isi saran perbaikan').fill('Ganti segel kit dan buat berita acara penggantian sebelum pemungutan suara.');
  const due = Date.now() + 2 * 86_400_000;
  await form.locator('#step-recommend-due').fill(wibLocal(due));
  await form.getByRole('button', { name: 'Kirim saran perbaikan' }).click();
  await supervisor.locator('#step-recommend-to[aria-invalid="true"]').waitFor();
  assert.match(await supervisor.locator('#step-recommend-to-error').innerText(), /a recommendation is addressed to a KPU unit/);
  assert.equal((await get(`/findings/${finding.id}`)).state, 'registered', 'nothing changed');
  await screenshot(supervisor, 's6-recommend-refused');

  await form.getByLabel('Kepada unit KPU').fill('kpu:35.78');
  await form.getByRole('button', { name: 'Kirim saran perbaikan' }).click();
  await supervisor.locator('#step-result').waitFor();
  assert.equal(await supervisor.locator('#step-result').innerText(),
    'Tercatat: Kirim saran perbaikan. Keadaan sekarang: Saran perbaikan dikirim.');
  await supervisor.locator(`[data-state="recommended"]`).waitFor();
  finding = await get(`/findings/${finding.id}`);
  assert.equal(finding.recommendation.to, 'kpu:35.78');
  // The due time as entered, to the minute, in WIB.
  assert.equal(finding.recommendation.due, `${wibLocal(due)}:00+07:00`);
  assert.ok((await supervisor.locator('#finding-recommendation').innerText()).includes('KPU Kota Surabaya'));
  assert.deepEqual(await supervisor.locator('.step-form h3').allInnerTexts(), ['Tutup temuan', 'Teruskan temuan']);
  await screenshot(supervisor, 's7-recommended');

  // The findings tab, filtered by state.
  await supervisor.getByRole('link', { name: '← Daftar temuan' }).click();
  await supervisor.locator('#findings-table').waitFor();
  assert.equal(await supervisor.locator('#findings-table tbody tr').count(), 1);
  await supervisor.getByLabel('Keadaan', { exact: true }).selectOption('closed');
  await supervisor.waitForURL(/keadaan=closed/);
  assert.equal(await supervisor.locator('#findings-table tbody td.empty').count(), 1);
  await supervisor.getByLabel('Keadaan', { exact: true }).selectOption('recommended');
  await supervisor.waitForURL(/keadaan=recommended/);
  const cells2 = await supervisor.locator('#findings-table tbody tr').first().locator('th, td').allInnerTexts();
  assert.equal(cells2[0], finding.number);
  assert.equal(cells2[1], 'Saran perbaikan dikirim');
  assert.equal(cells2[2], '', 'not overdue');
  assert.match(cells2[3], / WIB$/);
  assert.equal(cells2[4], 'KPU Kota Surabaya');
  assert.equal(cells2[5], 'Segel tidak utuh');
  assert.ok(cells2[7].startsWith(tps.code));
  await screenshot(supervisor, 's8-findings');
  assert.deepEqual(unexpected(supervisor), []);
});

test('the KPU officer sees the recommendation, late ones flagged, and answers it', async () => {
  // A second finding, by hand through the API, whose recommendation falls due in a few seconds (the server refuses a
  // due time already past).
  const late = await post(`/elections/${ELECTION}/findings`, { region: '35.78.01', category: 'storage_security',
    severity: 'high', title: 'Gudang PPK tidak dikunci pada malam hari', register: true });
  await post(`/findings/${late.id}/steps`, { step: 'recommend', to: 'kpu:35.78', text: 'Pasang kunci dan jadwal jaga.',
    due: new Date(Date.now() + 4_000).toISOString().replace(/\.\d+Z$/, '+00:00') });
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const addressed = (await election('/findings', 'kpu')).findings;
  assert.deepEqual(addressed.map((f) => [f.number, f.overdue]).sort(), [[finding.number, false], [late.number, true]].sort());

  const officer = await newPage(world.browser, { viewport: { width: 1280, height: 900 } });
  await logIn(officer, 'kpu-surabaya', `/${ELECTION}/petugas`);
  await officer.getByRole('link', { name: 'Saran perbaikan' }).click();
  await officer.locator('#advice-table').waitFor();
  assert.equal(await officer.locator('#advice-summary').innerText(),
    '2 saran perbaikan; 2 menunggu jawaban, 1 lewat batas waktu.');
  const lateRow = officer.locator('#advice-table tbody tr', { hasText: late.number });
  assert.equal(await lateRow.getAttribute('class'), 'row-attention');
  assert.ok((await lateRow.innerText()).includes('Lewat batas waktu'));
  const row = officer.locator('#advice-table tbody tr', { hasText: finding.number });
  assert.equal(await row.getAttribute('class'), null);
  await screenshot(officer, 's9-advice');

  await row.getByRole('link', { name: finding.number }).click();
  await officer.locator(`[data-finding="${finding.id}"]`).waitFor();
  assert.equal(await officer.getByRole('link', { name: 'Petugas' }).getAttribute('aria-current'), 'page');
  // The officer answers; Bawaslu's steps are not offered, and reports are Bawaslu's to read.
  assert.deepEqual(await officer.locator('.step-form h3').allInnerTexts(), ['Jawab saran perbaikan']);
  assert.ok((await officer.locator('#finding-evidence').innerText()).includes('Laporan hasil pengawasan'));
  await officer.getByRole('button', { name: 'Jawab saran perbaikan' }).click();
  await officer.locator('#step-answer-text[aria-invalid="true"]').waitFor();
  assert.match(await officer.locator('#step-answer-text-error').innerText(), /^Galat:\s+Wajib diisi\.$/);
  await officer.getByLabel('Jawaban', { exact: true }).fill('Segel kit sudah diganti dan berita acara dibuat oleh PPS.');
  await officer.getByRole('button', { name: 'Jawab saran perbaikan' }).click();
  await officer.locator('[data-state="answered"]').waitFor();
  assert.equal(await officer.locator('#finding-answer').innerText(), 'Segel kit sudah diganti dan berita acara dibuat oleh PPS.');
  await officer.getByLabel('Tindak lanjut yang dilakukan').fill('Ketua PPS memeriksa ulang semua segel di kelurahan.');
  await officer.getByRole('button', { name: 'Catat tindak lanjut' }).click();
  await officer.locator('[data-state="followed_up"]').waitFor();
  assert.equal(await officer.locator('#finding-no-steps').count(), 1);
  const stored = await get(`/findings/${finding.id}`);
  assert.equal(stored.state, 'followed_up');
  assert.equal(stored.recommendation.follow_up, 'Ketua PPS memeriksa ulang semua segel di kelurahan.');
  await screenshot(officer, 's10-answered');
  assert.deepEqual(unexpected(officer), []);
  await officer.context().close();
});

test('the supervisor reads the history and closes the finding', async () => {
  await supervisor.goto(`${world.server.url}/${ELECTION}/temuan/${finding.id}`);
  await supervisor.locator('[data-state="followed_up"]').waitFor();
  const history = await supervisor.locator('#finding-history li').allInnerTexts();
  assert.equal(history.length, 4);
  const expected = [['Didaftarkan', 'bawaslu-jatim'], ['Saran perbaikan dikirim', 'bawaslu-jatim'],
    ['Dijawab', 'kpu-surabaya'], ['Ditindaklanjuti', 'kpu-surabaya']];
  for (const [i, [action, actor]] of expected.entries()) {
    assert.ok(history[i].includes(action) && history[i].includes(`oleh ${actor}`), history[i]);
  }
  assert.ok(history[2].includes('Segel kit sudah diganti'));
  assert.ok((await supervisor.locator('#finding-follow-up').innerText()).includes('memeriksa ulang'));

  await supervisor.getByLabel('Alasan penutupan').fill('Segel sudah diganti; diperiksa ulang oleh Pengawas TPS.');
  await supervisor.getByRole('button', { name: 'Tutup temuan' }).click();
  await supervisor.locator('[data-state="closed"]').waitFor();
  assert.equal(await supervisor.locator('#finding-state').innerText(), 'Selesai');
  assert.equal(await supervisor.locator('#finding-history li').count(), 5);
  assert.equal(await supervisor.locator('#finding-no-steps').count(), 1);
  assert.equal((await get(`/findings/${finding.id}`)).state, 'closed');
  await screenshot(supervisor, 's11-closed');

  // In English, the same page speaks English.
  await supervisor.getByRole('button', { name: 'English' }).click();
  assert.equal(await supervisor.locator('#finding-state').innerText(), 'Closed');
  assert.equal(await supervisor.locator('h1').innerText(), `Finding ${finding.number}`);
  await supervisor.getByRole('button', { name: 'Bahasa Indonesia' }).click();
  assert.deepEqual(unexpected(supervisor), []);
  await supervisor.context().close();
});
