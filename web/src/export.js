// Tables to files: CSV (UTF-8 with a byte-order mark, so spreadsheets read it as UTF-8) and XLSX (a real
// SpreadsheetML workbook, built by xlsx.js, which is loaded only when asked for).
//
// A table is {columns, rows}; a column is {label, type: 'text' | 'number' | 'percent', value(row)}. Percentages are
// fractions (0.977): CSV writes them as percent with up to two decimals, XLSX as numbers formatted 0.0%.

const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(column, row) {
  const value = column.value(row);
  if (value === null || value === undefined) return '';
  if (column.type === 'number') return String(value);
  if (column.type === 'percent') return String(Math.round(value * 10000) / 100);
  let text = String(value);
  // A cell that a spreadsheet would run as a formula is written as text.
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvHeader = (column) => {
  const label = column.type === 'percent' ? `${column.label} (%)` : column.label;
  return /[",\r\n]/.test(label) ? `"${label.replaceAll('"', '""')}"` : label;
};

function toCsv({ columns, rows }) {
  const lines = [columns.map(csvHeader).join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvCell(column, row)).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// A file name from its parts: "tepat-pemilu-2024-kabupaten-35.78".
export const fileName = (...parts) =>
  parts.filter(Boolean).join('-').toLowerCase().replace(/[^a-z0-9.\-]+/g, '-').replace(/-+/g, '-');

export async function exportTable(format, table, name, sheetName) {
  if (format === 'csv') {
    save(new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' }), `${name}.csv`);
    return;
  }
  const { toXlsx } = await import('./xlsx.js');
  const bytes = toXlsx(table, sheetName);
  save(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), `${name}.xlsx`);
}
