// The dictionary: every key the code uses exists, in both languages, with the same placeholders, and no other.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { STRINGS } from '../src/i18n.js';
import { webDir } from './harness.mjs';

async function sources(dir) {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...await sources(full));
    else if (/\.(js|jsx)$/.test(entry.name)) files.push(full);
  }
  return files;
}

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// The values of the enumerations that reach t() through template keys like `state.${state}`.
const FAMILIES = {
  state: ['complete', 'in_transit', 'not_delivered'],
  problem: ['not_delivered', 'short', 'excess', 'wrong_variant', 'misrouted', 'damaged', 'unsealed', 'late'],
  problem_desc: ['not_delivered', 'short', 'excess', 'wrong_variant', 'misrouted', 'damaged', 'unsealed', 'late'],
  principle: ['jumlah', 'jenis', 'sasaran', 'waktu', 'kualitas'],
  level: ['national', 'province', 'regency', 'district', 'village'],
  kind: ['goods_receipt', 'sortir_lipat', 'replacement_request', 'destruction', 'packing', 'dispatch', 'receipt',
    'count', 'ballot_use', 'reversal'],
  reason: ['damaged', 'wrong_variant', 'excess', 'wrong_destination', 'missing', 'other'],
  role: ['admin', 'kpu', 'bawaslu', 'vendor'],
  live: ['live', 'connecting', 'off'],
  'operator.task': ['penerimaan', 'pengiriman', 'kit', 'saran'],
  supervision_tab: ['tps', 'laporan', 'ketidaksesuaian', 'temuan'],
  stage: ['procurement', 'production', 'receipt', 'sortir_lipat', 'packing', 'storage', 'distribution', 'tps_h1',
    'return'],
  discrepancy: ['count_mismatch', 'variant_mismatch', 'seal_broken', 'not_received'],
  finding_state: ['draft', 'registered', 'recommended', 'answered', 'followed_up', 'closed', 'escalated'],
  category: ['shortage', 'excess', 'swapped_ballots', 'damage', 'late', 'unsealed', 'wrong_destination',
    'storage_security', 'procedure'],
  severity: ['low', 'medium', 'high'],
  step: ['register', 'recommend', 'answer', 'follow_up', 'close', 'escalate'],
  step_hint: ['register', 'recommend', 'answer', 'follow_up', 'close', 'escalate'],
  step_text: ['register', 'recommend', 'answer', 'follow_up', 'close', 'escalate'],
  action: ['create', 'register', 'recommend', 'answer', 'follow_up', 'close', 'escalate'],
  checklist: ['ya', 'tidak'],
  mode: ['ready', 'truck', 'car', 'motorbike', 'boat', 'speedboat', 'aircraft', 'helicopter', 'foot'],
  'whatif.what': ['advance', 'mode', 'close', 'vendor_delay'],
  'whatif.days_hint': ['advance', 'close', 'vendor_delay'],
};

test('every key used exists in Indonesian and English with the same placeholders, and every key is used', async () => {
  const used = new Set();
  const families = new Set();
  for (const file of await sources(path.join(webDir, 'src'))) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*(['`])([^'`]+)\1/g)) {
      if (m[2].includes('${')) families.add(m[2].slice(0, m[2].indexOf('${')).replace(/[._]$/, ''));
      else used.add(m[2]);
    }
  }
  assert.ok(used.size > 100, `found ${used.size} keys`);
  for (const key of used) assert.ok(STRINGS[key], `missing key ${key}`);
  for (const family of families) {
    assert.ok(FAMILIES[family], `template key family ${family} is not checked`);
    const join = family.endsWith('task') ? '_' : '.';
    for (const value of FAMILIES[family]) {
      const key = `${family}${join}${value}`;
      assert.ok(STRINGS[key], `missing key ${key}`);
      used.add(key);
    }
  }
  const unused = Object.keys(STRINGS).filter((key) => !used.has(key));
  assert.deepEqual(unused, [], 'strings no code uses');
  for (const [key, [id, en]] of Object.entries(STRINGS)) {
    assert.ok(id && en, `${key} needs both languages`);
    assert.deepEqual(placeholders(en), placeholders(id), `${key}: placeholders differ`);
  }
});
