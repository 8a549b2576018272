// Ledger documents written in the browser (docs/formats.md §10): ids, times, node codes, and where the server's
// reasons for refusing one belong in the form.
import { ApiError } from './api.js';
import { levelOfCode, REGION_CODE, TPS_CODE } from './format.js';

// A lower-case random UUID (version 4), as a document id must be.
export function uuid() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const REASONS = ['damaged', 'wrong_variant', 'excess', 'wrong_destination', 'missing', 'other'];

const NODE_OF_LEVEL = { province: 'kpu', regency: 'kpu', district: 'ppk', village: 'pps' };
const NODE_CODE = /^(kpu|ppk|pps|kpps|vendor):\S+$|^kpu$/;

// What a person typed as a node: a node code as is, or a TPS or region code made into the node that serves it
// (35.78.01.1001.005 -> kpps:35.78.01.1001.005, 35.78.01 -> ppk:35.78.01, 35.78 -> kpu:35.78).
export function toNode(text) {
  const value = text.trim();
  if (NODE_CODE.test(value.toLowerCase())) {
    const colon = value.indexOf(':');
    return colon < 0 ? value.toLowerCase() : value.slice(0, colon).toLowerCase() + value.slice(colon);
  }
  if (TPS_CODE.test(value)) return `kpps:${value}`;
  if (REGION_CODE.test(value)) return `${NODE_OF_LEVEL[levelOfCode(value)]}:${value}`;
  return value;
}

// The node an officer most likely signs for: that of the account's scope.
export const scopeNode = (scope) => (scope ? toNode(scope) : 'kpu');

// The region or TPS a node stands for, for links: kpps:35.78.01.1001.005 -> {tps: "35.78.01.1001.005"}.
export function nodePlace(node) {
  const [kind, code] = node.split(':');
  if (kind === 'kpps') return { tps: code };
  if (code && REGION_CODE.test(code)) return { region: code };
  return {};
}

// A whole number typed in a form, or the text as typed so that the server names the problem beside the field.
export function quantity(text) {
  const value = String(text).trim();
  if (value === '') return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

// Places the problems of a refused document: each goes to the nearest field of its JSON path that the form shows
// ("lines[0].accepted", else "lines[0]", else "lines"); those with no such field only go to the summary.
//   known: Map(path -> element id). Returns {byField: Map(path -> [reason]), summary: [{target, field, reason}]}.
export function placeProblems(details, known) {
  const byField = new Map();
  const summary = [];
  for (const { field, reason } of details) {
    let path = field || '';
    while (path && !known.has(path)) path = parentPath(path);
    if (path) byField.set(path, [...(byField.get(path) || []), reason]);
    summary.push({ target: path ? known.get(path) : null, field, reason });
  }
  return { byField, summary };
}

function parentPath(path) {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut > 0 ? path.slice(0, cut) : '';
}

// The problems of a failed post: the server's details for 422, else its message for the whole document.
export function problemsOf(error) {
  if (error instanceof ApiError && error.details.length) {
    return error.details.map((d) => ({ field: d.field, reason: d.reason }));
  }
  return [{ field: '', reason: error?.message || String(error) }];
}

// An element id for a field path within a form: ("receipt", "lines[0].accepted") -> "receipt-lines-0-accepted".
export const fieldId = (form, path) => `${form}-${path.replace(/[[\].]+/g, '-').replace(/-$/, '')}`;
