import { useMemo, useState } from 'preact/hooks';
import { exportTable } from '../export.js';
import { fmtNumber, fmtPercent, locale } from '../format.js';
import { t } from '../i18n.js';
import { Bar } from './Bar.jsx';

// A sortable table with CSV and XLSX downloads.
//   columns: [{key, label, type: 'text' | 'number' | 'percent', value(row), sortValue?(row), render?(row),
//              rowHeader?, bar?, sortable?, screen?, exported?, describedBy?}]
//   `value` gives what is sorted and exported (`sortValue`, when given, what is sorted); `render` what the cell
//   shows (by default the value, formatted).
//   A percent column with `bar` shows a progress bar beside the number.
//   A column with `screen: false` is only in the downloads, one with `exported: false` only on the screen.
//   `describedBy` is the id of an element that says what a column means; its header is described by it.
export function DataTable({ id, caption, columns, rows, rowKey, sort: initialSort, exportName, sheetName, empty,
  pageSize = 200, rowClass }) {
  const [sort, setSort] = useState(initialSort || { key: columns[0].key, dir: 'asc' });
  const [shown, setShown] = useState(pageSize);
  const collator = useMemo(() => new Intl.Collator(locale(), { numeric: true, sensitivity: 'base' }), [locale()]);

  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort.key);
    if (!column) return rows;
    const sign = sort.dir === 'asc' ? 1 : -1;
    const valueOf = column.sortValue || column.value;
    const keyed = rows.map((row, index) => ({ row, index, value: valueOf(row) }));
    keyed.sort((a, b) => {
      const x = a.value;
      const y = b.value;
      if (x === null || x === undefined) return y === null || y === undefined ? a.index - b.index : 1;
      if (y === null || y === undefined) return -1;
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
      return order !== 0 ? order * sign : a.index - b.index;
    });
    return keyed.map((k) => k.row);
  }, [rows, columns, sort, collator]);

  const toggle = (key) => {
    setSort((s) => {
      if (s.key === key) return { key, dir: s.dir === 'asc' ? 'desc' : 'asc' };
      const column = columns.find((c) => c.key === key);
      // Numbers are most often wanted largest first.
      return { key, dir: column.type === 'text' ? 'asc' : 'desc' };
    });
  };

  const exported = columns.filter((c) => c.exported !== false);
  const download = (format) => exportTable(format, { columns: exported, rows: sorted }, exportName, sheetName || caption);
  const visible = columns.filter((c) => c.screen !== false);

  const captionId = `${id}-caption`;
  return (
    <div class="table-block">
      <div class="table-tools">
        <button type="button" class="button-small" aria-describedby={captionId} onClick={() => download('csv')}>
          {t('table.csv')}
        </button>
        <button type="button" class="button-small" aria-describedby={captionId} onClick={() => download('xlsx')}>
          {t('table.xlsx')}
        </button>
      </div>
      <div class="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
        <table id={id} class="data-table">
          <caption id={captionId}>
            {caption}
            <span class="visually-hidden">{t('table.sort_hint')}</span>
          </caption>
          <thead>
            <tr>
              {visible.map((c) => {
                const active = sort.key === c.key;
                const label = c.headerLabel || c.label;
                return (
                  <th key={c.key} scope="col" class={c.type !== 'text' ? 'num' : undefined}
                    aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                    aria-describedby={c.sortable === false ? c.describedBy : undefined}>
                    {c.sortable === false ? label : (
                      <button type="button" class="sort-button" aria-describedby={c.describedBy}
                        onClick={() => toggle(c.key)}>
                        {label}
                        <span class={`sort-icon${active ? ` sort-${sort.dir}` : ''}`} aria-hidden="true" />
                      </button>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.length === 0 && (
              <tr>
                <td colSpan={visible.length} class="empty">{empty || t('table.empty')}</td>
              </tr>
            )}
            {sorted.slice(0, shown).map((row) => (
              <tr key={rowKey(row)} class={rowClass?.(row)}>
                {visible.map((c) => {
                  const Cell = c.rowHeader ? 'th' : 'td';
                  return (
                    <Cell key={c.key} scope={c.rowHeader ? 'row' : undefined} class={c.type !== 'text' ? 'num' : undefined}>
                      {renderCell(c, row)}
                    </Cell>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {sorted.length > shown && (
        <p class="table-more">
          {t('table.showing', { shown: fmtNumber(shown), total: fmtNumber(sorted.length) })}{' '}
          <button type="button" class="button-small" onClick={() => setShown((n) => n + pageSize)}>
            {t('table.more', { n: fmtNumber(Math.min(pageSize, sorted.length - shown)) })}
          </button>
        </p>
      )}
    </div>
  );
}

function renderCell(column, row) {
  if (column.render) return column.render(row);
  const value = column.value(row);
  if (column.type === 'number') return fmtNumber(value);
  if (column.type === 'percent') return column.bar ? <Bar value={value} tone={column.tone} /> : fmtPercent(value);
  return value ?? '–';
}
