// A dispatch (BAST, the sender's side; docs/formats.md §10 `dispatch`): goods from the officer's node to the
// committee directly below or above it, as whole kits (by kit id or QR label) and loose lines.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api.js';
import { ErrorSummary, Field } from '../../components/Field.jsx';
import { itemNames } from '../../data.js';
import { quantity, scopeNode, toNode, uuid } from '../../documents.js';
import { fmtNumber, itemLabel, localToIso, nowLocal, zoneOf } from '../../format.js';
import { t } from '../../i18n.js';
import { user } from '../../session.js';
import {
  emptyFields, GroupError, knownPaths, PostResult, SignerFields, submitting, useProblems, WhenFields,
} from './common.jsx';

const FORM = 'dispatch';
const LOOKUPS_AT_ONCE = 8;

export function DispatchForm({ election }) {
  const scope = user.value?.scope || '';
  const startZone = zoneOf(scope);
  const [id, setId] = useState(uuid);
  const [from, setFrom] = useState(scopeNode(scope));
  const [to, setTo] = useState('');
  const [number, setNumber] = useState('');
  const [at, setAt] = useState(() => nowLocal(startZone));
  const [zone, setZone] = useState(startZone);
  const [kits, setKits] = useState([]);
  const [lines, setLines] = useState([]);
  const [signerName, setSignerName] = useState('');
  const [signerRole, setSignerRole] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const problems = useProblems(FORM);
  const { f } = problems;
  const names = itemNames.value;

  const known = knownPaths(FORM, [
    'node', 'to', 'number', 'at', 'signed_by', 'signed_by[0].name', 'signed_by[0].role', 'kits', 'lines',
    ...kits.map((_, i) => `kits[${i}]`),
    ...lines.flatMap((_, i) => [`lines[${i}]`, `lines[${i}].item`, `lines[${i}].quantity`]),
  ]);

  const reset = () => {
    setResult(null);
    setId(uuid());
    setKits([]);
    setLines([]);
    setNumber('');
  };

  const submit = async (event) => {
    event.preventDefault();
    const missing = emptyFields({ node: from, to, at, 'signed_by[0].name': signerName, 'signed_by[0].role': signerRole });
    if (missing.length) {
      problems.show(missing, known);
      return;
    }
    await submitting(problems, known, setBusy, async () => {
      // A kit is entered by its id or by the code on its QR label; the document names kits by id.
      const resolved = await resolveKits(election.id, kits);
      const unknown = resolved.flatMap((r, i) => (r.error ? [{ field: `kits[${i}]`, reason: r.error }] : []));
      if (unknown.length) {
        problems.show(unknown, known);
        return;
      }
      setKits(resolved.map((r) => ({ text: r.text, kit: r.kit, tps: r.tps })));
      const dispatch = {
        id, kind: 'dispatch', election: election.id, at: localToIso(at, zone), node: toNode(from),
        number: number.trim() || undefined,
        signed_by: [{ name: signerName.trim(), role: signerRole.trim() }],
        to: toNode(to),
        kits: resolved.length ? resolved.map((r) => r.kit) : undefined,
        lines: lines.length ? lines.map((l) => ({ item: l.item.trim(), quantity: quantity(l.quantity) })) : undefined,
      };
      const { json } = await api.postDocument(election.id, dispatch);
      setResult({ ...json, to: dispatch.to });
    });
  };

  if (result) {
    return (
      <PostResult election={election.id} result={result} node={result.to} againLabel={t('dispatch.again')} onAgain={reset} />
    );
  }

  const setKit = (i, text) => setKits((all) => all.map((k, j) => (j === i ? { text } : k)));
  const setLine = (i, change) => setLines((all) => all.map((l, j) => (j === i ? { ...l, ...change } : l)));
  const catalog = [...names.entries()];
  return (
    <form class="form-card" onSubmit={submit} noValidate aria-labelledby="dispatch-title">
      <h3 id="dispatch-title">{t('dispatch.title')}</h3>
      <p class="muted">{t('dispatch.intro')}</p>
      <ErrorSummary title={t('form.refused')} problems={problems.summary} />
      <div class="field-row">
        <Field {...f('node')} label={t('dispatch.from')} hint={t('dispatch.from_hint')} value={from} required
          autocapitalize="none" spellcheck={false} onInput={(e) => setFrom(e.currentTarget.value)} />
        <Field {...f('to')} label={t('dispatch.to')} hint={t('dispatch.to_hint')} value={to} required
          autocapitalize="none" spellcheck={false} onInput={(e) => setTo(e.currentTarget.value)} />
      </div>
      <div class="field-row">
        <Field {...f('number')} label={t('form.number')} value={number} onInput={(e) => setNumber(e.currentTarget.value)} />
      </div>
      <WhenFields f={f} value={at} zone={zone} onValue={setAt} onZone={setZone} />

      <fieldset id={f('kits').id} tabIndex={-1}>
        <legend>{t('dispatch.kits')}</legend>
        <GroupError {...f('kits')} />
        {kits.map((k, i) => (
          <div class="repeat-row" key={i}>
            <Field {...f(`kits[${i}]`)} label={t('dispatch.kit_n', { n: i + 1 })} value={k.text}
              hint={k.kit ? t('dispatch.kit_resolved', { kit: k.kit, tps: k.tps }) : undefined}
              autocapitalize="none" spellcheck={false} onInput={(e) => setKit(i, e.currentTarget.value)} />
            <button type="button" class="button-small" onClick={() => setKits((all) => all.filter((_, j) => j !== i))}>
              {t('form.remove')}<span class="visually-hidden"> {t('dispatch.kit_n', { n: i + 1 })}</span>
            </button>
          </div>
        ))}
        <button type="button" class="button-small" onClick={() => setKits((all) => [...all, { text: '' }])}>
          {t('dispatch.add_kit')}
        </button>
      </fieldset>

      <fieldset id={f('lines').id} tabIndex={-1}>
        <legend>{t('dispatch.lines')}</legend>
        <GroupError {...f('lines')} />
        <datalist id="dispatch-items">
          {catalog.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
        </datalist>
        {lines.map((l, i) => (
          <div class="repeat-row" key={i} id={f(`lines[${i}]`).id} tabIndex={-1}>
            <GroupError {...f(`lines[${i}]`)} />
            <Field {...f(`lines[${i}].item`)} label={t('dispatch.line_item', { n: i + 1 })} list="dispatch-items"
              hint={l.item && names.size ? itemLabel(l.item.trim(), names) : t('dispatch.item_hint')}
              value={l.item} autocapitalize="none" spellcheck={false}
              onInput={(e) => setLine(i, { item: e.currentTarget.value })} />
            <Field {...f(`lines[${i}].quantity`)} label={t('dispatch.line_quantity', { n: i + 1 })} type="number"
              inputMode="numeric" min="1" step="1" value={l.quantity}
              onInput={(e) => setLine(i, { quantity: e.currentTarget.value })} />
            <button type="button" class="button-small" onClick={() => setLines((all) => all.filter((_, j) => j !== i))}>
              {t('form.remove')}<span class="visually-hidden"> {t('dispatch.line_item', { n: i + 1 })}</span>
            </button>
          </div>
        ))}
        <button type="button" class="button-small" onClick={() => setLines((all) => [...all, { item: '', quantity: '' }])}>
          {t('dispatch.add_line')}
        </button>
      </fieldset>

      <SignerFields f={f} name={signerName} role={signerRole} onName={setSignerName} onRole={setSignerRole} />
      <p class="hint">{t('dispatch.summary', { kits: fmtNumber(kits.length), lines: fmtNumber(lines.length) })}</p>
      <button type="submit" class="button-primary" disabled={busy}>{busy ? t('form.sending') : t('dispatch.submit')}</button>
    </form>
  );
}

// Looks up each kit entry (id or label), a few at a time: {text, kit, tps} or {text, error}.
async function resolveKits(election, kits) {
  const results = new Array(kits.length);
  let next = 0;
  const worker = async () => {
    while (next < kits.length) {
      const i = next++;
      const text = kits[i].text.trim();
      try {
        if (!text) throw new Error(t('form.required'));
        const kit = await api.kit(election, text);
        results[i] = { text, kit: kit.kit, tps: kit.tps };
      } catch (error) {
        results[i] = {
          text,
          error: error instanceof ApiError && error.status === 404 ? t('dispatch.kit_unknown', { code: text }) : error.message,
        };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUPS_AT_ONCE, kits.length) }, worker));
  return results;
}
