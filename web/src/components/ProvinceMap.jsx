import { fmtNumber, fmtPercent, fraction } from '../format.js';
import { t } from '../i18n.js';
import { paths } from '../router.js';

// A tile-grid map of the 38 provinces: one square each, placed roughly by geography from west (Aceh) to east
// (Papua), labelled with its ISO 3166-2:ID abbreviation on small screens and its common short name on wide ones.
// [row, column, abbreviation, short name], by Kemendagri code.
const TILES = {
  11: [1, 1, 'AC', 'Aceh'], 12: [2, 2, 'SU', 'Sumut'], 13: [3, 2, 'SB', 'Sumbar'], 14: [2, 3, 'RI', 'Riau'],
  21: [1, 4, 'KR', 'Kepri'], 15: [3, 3, 'JA', 'Jambi'], 17: [4, 2, 'BE', 'Bengkulu'], 16: [4, 3, 'SS', 'Sumsel'],
  19: [4, 4, 'BB', 'Babel'], 18: [5, 3, 'LA', 'Lampung'], 36: [6, 3, 'BT', 'Banten'], 31: [5, 4, 'JK', 'Jakarta'],
  32: [6, 4, 'JB', 'Jabar'], 33: [6, 5, 'JT', 'Jateng'], 34: [7, 5, 'YO', 'DIY'], 35: [6, 6, 'JI', 'Jatim'],
  51: [6, 7, 'BA', 'Bali'], 52: [6, 8, 'NB', 'NTB'], 53: [6, 9, 'NT', 'NTT'], 61: [2, 5, 'KB', 'Kalbar'],
  62: [3, 6, 'KT', 'Kalteng'], 63: [4, 7, 'KS', 'Kalsel'], 64: [3, 7, 'KI', 'Kaltim'], 65: [2, 7, 'KU', 'Kaltara'],
  75: [2, 9, 'GO', 'Gorontalo'], 71: [2, 10, 'SA', 'Sulut'], 76: [3, 8, 'SR', 'Sulbar'], 72: [3, 9, 'ST', 'Sulteng'],
  73: [4, 8, 'SN', 'Sulsel'], 74: [4, 9, 'SG', 'Sultra'], 82: [2, 11, 'MU', 'Malut'], 81: [4, 11, 'MA', 'Maluku'],
  96: [3, 12, 'PD', 'PBD'], 92: [3, 13, 'PB', 'Papua Barat'], 91: [3, 14, 'PA', 'Papua'],
  94: [4, 13, 'PT', 'P. Tengah'], 95: [4, 14, 'PP', 'P. Pegunungan'], 93: [5, 14, 'PS', 'P. Selatan'],
};

// Share of TPS that have received: the classes of the legend, lowest first.
const BINS = [
  { min: 0, cls: 'bin-0', label: '< 25%' },
  { min: 0.25, cls: 'bin-1', label: '25–50%' },
  { min: 0.5, cls: 'bin-2', label: '50–75%' },
  { min: 0.75, cls: 'bin-3', label: '75–95%' },
  { min: 0.95, cls: 'bin-4', label: '≥ 95%' },
];

// What the tiles are coloured by: a share per province (null for none), its bins (lowest first), how the share
// is written, what each tile says and the words around the map. The dashboard's is the share of TPS received.
const RECEIVED = {
  bins: () => BINS,
  share: (p) => fraction(p.states.complete, p.tps),
  value: (share) => fmtPercent(share),
  tile: (p, share) => (share === null ? t('map.tile_none', { name: p.name })
    : t('map.tile', { name: p.name, pct: fmtPercent(share), tps: fmtNumber(p.tps) })),
  title: () => t('map.title'),
  note: () => t('map.note'),
  legend: () => t('map.legend'),
  none: () => t('map.no_tps'),
};

// `href(election, code)` is where a tile leads (by default the province's dashboard).
export function ProvinceMap({ election, provinces, measure = RECEIVED, href = paths.region }) {
  const bins = measure.bins();
  const binOf = (share) => (share === null ? null : bins.filter((b) => share >= b.min).at(-1));
  let spare = 0;
  return (
    <section class="panel map-panel" aria-labelledby="map-title">
      <h2 id="map-title">{measure.title()}</h2>
      <p class="muted">{measure.note()}</p>
      <ol class="tile-map">
        {provinces.map((p) => {
          const [row, col, abbr, short] = TILES[p.code] || [8, ++spare, p.code, p.name];
          const share = measure.share(p);
          const bin = binOf(share);
          const label = measure.tile(p, share);
          return (
            <li key={p.code} class={`tile ${bin ? bin.cls : 'bin-none'}`} style={{ gridRow: `${row}`, gridColumn: `${col}` }}>
              <a href={href(election, p.code)} title={label}>
                {/* The name read out is the full one; the tile shows an abbreviation, hidden from screen readers. */}
                <span class="visually-hidden">{label}</span>
                <span class="tile-abbr" aria-hidden="true">{abbr}</span>
                <span class="tile-name" aria-hidden="true">{short}</span>
                <span class="tile-value" aria-hidden="true">{share === null ? '–' : measure.value(share)}</span>
              </a>
            </li>
          );
        })}
      </ol>
      <ul class="legend map-legend" aria-label={measure.legend()}>
        {bins.map((b) => (
          <li key={b.cls}><span class={`swatch ${b.cls}`} aria-hidden="true" />{b.label}</li>
        ))}
        <li><span class="swatch bin-none" aria-hidden="true" />{measure.none()}</li>
      </ul>
    </section>
  );
}
