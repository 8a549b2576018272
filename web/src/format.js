// Numbers, percentages, dates and names for people. Numbers follow the language shown (Indonesian: 1.234.567 and
// 97,7%); every time is written in WIB (UTC+07:00), as the API writes it.
import { lang, t } from './i18n.js';

const WIB = 'Asia/Jakarta';
const DAY_MS = 86_400_000;
const formatters = new Map();

export const locale = () => (lang.value === 'en' ? 'en-GB' : 'id-ID');

function formatter(kind, options) {
  const key = `${locale()}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    f = 'timeZone' in options ? new Intl.DateTimeFormat(locale(), options) : new Intl.NumberFormat(locale(), options);
    formatters.set(key, f);
  }
  return f;
}

export const fmtNumber = (n) => (n === null || n === undefined ? '–' : formatter('int', {}).format(n));

// part / whole, or null when there is nothing to divide by.
export const fraction = (part, whole) => (whole > 0 ? part / whole : null);

// A fraction as a percentage with `digits` decimals (one unless told): 0.977 is "97,7%".
export function fmtPercent(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return formatter(`pct${digits}`, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format(value);
}

export function fmtDateTime(iso) {
  if (!iso) return '–';
  const options = {
    timeZone: WIB, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  };
  return `${formatter('datetime', options).format(new Date(iso))} WIB`;
}

// The time of day of an instant (ms), with seconds: "23.49.05 WIB".
export function fmtTime(ms) {
  const options = { timeZone: WIB, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
  return `${formatter('time', options).format(new Date(ms))} WIB`;
}

// A calendar day "2024-02-14" as "Rabu, 14 Februari 2024".
export function fmtDay(day) {
  const options = { timeZone: WIB, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
  return formatter('day', options).format(new Date(`${day}T12:00:00+07:00`));
}

// The instant a day starts in WIB, `shift` days later (negative: earlier).
const dayStartWib = (day, shift = 0) => Date.parse(`${day}T00:00:00+07:00`) + shift * DAY_MS;

// Voting day and the deadline for the KPPS: goods must arrive before the end of day H-n, that is before 00:00 WIB at
// the start of day H-(n-1) (ledger.md §9 judges each TPS at its own local midnight; the dashboard uses WIB).
export function electionDates(election) {
  return {
    votingDay: dayStartWib(election.voting_day),
    deadline: dayStartWib(election.voting_day, 1 - election.deliver_days_before),
  };
}

// "2 hari 5 jam" from a span in milliseconds; spans under a day also give minutes.
export function fmtSpan(ms) {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const text = days > 0
    ? t('span.days_hours', { days: fmtNumber(days), hours: fmtNumber(hours) })
    : t('span.hours_minutes', { hours: fmtNumber(hours), minutes: fmtNumber(minutes % 60) });
  return ms >= 0 ? t('span.left', { span: text }) : t('span.past', { span: text });
}

// Indonesia's three time zones. A document's `at` carries its offset; the form asks in the zone of the node.
export const ZONES = [
  { name: 'WIB', offset: '+07:00', hours: 7 },
  { name: 'WITA', offset: '+08:00', hours: 8 },
  { name: 'WIT', offset: '+09:00', hours: 9 },
];
const WITA_PROVINCES = ['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76'];
const WIT_PROVINCES = ['81', '82', '91', '92', '93', '94', '95', '96'];

// The zone of a region or TPS code, by its province.
export function zoneOf(code) {
  const province = (code || '').slice(0, 2);
  if (WITA_PROVINCES.includes(province)) return ZONES[1];
  if (WIT_PROVINCES.includes(province)) return ZONES[2];
  return ZONES[0];
}

// The value of an <input type="datetime-local"> for now, in a zone.
export const nowLocal = (zone) => new Date(Date.now() + zone.hours * 3_600_000).toISOString().slice(0, 16);

// "2024-02-12T23:50" in WIB to "2024-02-12T23:50:00+07:00": the form of a document's `at` (no fractions of a second).
export const localToIso = (value, zone) => `${value.slice(0, 16)}:00${zone.offset}`;

const CONTESTS = {
  PPWP: 'PPWP', DPR: 'DPR', DPD: 'DPD', DPRD_PROV: 'DPRD Provinsi', DPRD_KAB: 'DPRD Kabupaten/Kota',
  GUBERNUR: 'Gubernur', BUPATI_WALIKOTA: 'Bupati/Wali Kota',
};

// An item code as people read it: "kotak_suara" is "Kotak Suara" (from the election's catalog, `names`), and a
// ballot variant "surat_suara:DPR:35-37" is "Surat Suara DPR — dapil 35-37".
export function itemLabel(code, names) {
  const [item, contest, variant] = code.split(':');
  const base = names?.get(item) || item;
  if (!contest) return base;
  const where = variant === 'nasional' ? t('variant.national')
    : /^\d{2}$/.test(variant) ? t('variant.province', { code: variant })
    : /^\d{2}\.\d{2}$/.test(variant) ? t('variant.regency', { code: variant })
    : t('variant.dapil', { code: variant });
  return `${base} ${CONTESTS[contest] || contest} — ${where}`;
}

const NODE_KINDS = { kpu: 'KPU', ppk: 'PPK', pps: 'PPS', kpps: 'KPPS' };

// A ledger node as people read it: "kpu:35.78" is "KPU Kota Surabaya" when the region's name is known.
export function nodeLabel(node, names) {
  if (!node) return '–';
  if (node === 'kpu') return 'KPU RI';
  const [kind, code] = node.split(':');
  if (kind === 'vendor') return t('node.vendor', { code });
  if (kind === 'kpps') return `KPPS TPS ${code.slice(-3)}`;
  const name = names?.get(code);
  return name ? `${NODE_KINDS[kind] || kind} ${name}` : node;
}

export const TPS_CODE = /^\d{2}\.\d{2}\.\d{2}\.\d{4}\.\d{3}$/;
export const REGION_CODE = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;

// The level of a region code by its shape: 35 province, 35.78 regency, 35.78.01 district, 35.78.01.1001 village.
export const levelOfCode = (code) => ['province', 'regency', 'district', 'village'][code.split('.').length - 1];
