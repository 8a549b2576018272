// A one-sheet XLSX workbook (Office Open XML SpreadsheetML), zipped with fflate. Loaded on demand by export.js.
// Numbers are stored as numbers (integers with the format #,##0, fractions as 0.0%), text as inline strings; the
// header row is bold and frozen and carries an autofilter.
import { strToU8, zipSync } from 'fflate';

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

// Style indexes of styles.xml below.
const STYLE = { text: 0, header: 1, number: 2, percent: 3 };

// Characters XML 1.0 cannot hold are dropped; the five special ones are escaped.
const escape = (text) =>
  String(text)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function columnName(index) {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function cell(ref, value, type, header) {
  if (value === null || value === undefined || value === '') return '';
  if (!header && (type === 'number' || type === 'percent') && Number.isFinite(value)) {
    return `<c r="${ref}" s="${STYLE[type]}"><v>${value}</v></c>`;
  }
  const style = header ? ` s="${STYLE.header}"` : '';
  return `<c r="${ref}"${style} t="inlineStr"><is><t xml:space="preserve">${escape(value)}</t></is></c>`;
}

function width(column, rows) {
  let longest = column.label.length;
  for (const row of rows.slice(0, 500)) longest = Math.max(longest, String(column.value(row) ?? '').length);
  return Math.min(60, Math.max(8, longest + 2));
}

function sheetXml({ columns, rows }) {
  const last = columnName(columns.length - 1);
  const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${width(c, rows)}" customWidth="1"/>`);
  const body = [`<row r="1">${columns.map((c, i) => cell(`${columnName(i)}1`, c.label, 'text', true)).join('')}</row>`];
  rows.forEach((row, r) => {
    const n = r + 2;
    body.push(`<row r="${n}">${columns.map((c, i) => cell(`${columnName(i)}${n}`, c.value(row), c.type, false)).join('')}</row>`);
  });
  const filter = rows.length ? `<autoFilter ref="A1:${last}${rows.length + 1}"/>` : '';
  return `${XML}<worksheet xmlns="${NS}" xmlns:r="${REL}">`
    + `<dimension ref="A1:${last}${rows.length + 1}"/>`
    + '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    + '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
    + '<sheetFormatPr defaultRowHeight="15"/>'
    + `<cols>${cols.join('')}</cols><sheetData>${body.join('')}</sheetData>${filter}</worksheet>`;
}

const STYLES = `${XML}<styleSheet xmlns="${NS}">`
  + '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
  + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
  + '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
  + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
  + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
  + '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
  + '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
  + '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
  + '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
  + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

// A sheet name has at most 31 characters and none of []:*?/\.
const sheetName = (name) => (name || 'Sheet1').replace(/[[\]:*?/\\]/g, '-').slice(0, 31);

export function toXlsx(table, name) {
  const files = {
    '[Content_Types].xml': `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      + '<Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
      + '</Types>',
    '_rels/.rels': `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
      + `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${XML}<workbook xmlns="${NS}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews>`
      + `<sheets><sheet name="${escape(sheetName(name))}" sheetId="1" r:id="rId1"/></sheets>`
      + (table.rows.length
        ? `<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'${escape(sheetName(name)).replace(/'/g, "''")}'!$A$1:$${columnName(table.columns.length - 1)}$${table.rows.length + 1}</definedName></definedNames>`
        : '')
      + '</workbook>',
    'xl/_rels/workbook.xml.rels': `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
      + `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>`
      + `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    'xl/styles.xml': STYLES,
    'xl/worksheets/sheet1.xml': sheetXml(table),
  };
  const entries = {};
  for (const [path, text] of Object.entries(files)) entries[path] = strToU8(text);
  return zipSync(entries, { level: 6, mtime: new Date() });
}
