// A receipt (BAST, the receiver's side; docs/formats.md §10 `receipt`): pick a dispatch awaiting receipt at a
// node, then accept or refuse each of its kits and lines, sign and post.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { ErrorSummary, Field } from '../../components/Field.jsx';
import { ErrorBox, Loading } from '../../components/Status.jsx';
import { ensureRegionNames, itemNames, regionNames } from '../../data.js';
import { quantity, REASONS, toNode, uuid } from '../../documents.js';
import { fmtDateTime, fmtNumber, itemLabel, localToIso, nodeLabel, nowLocal, zoneOf } from '../../format.js';
import { t } from '../../i18n.js';
import {
  emptyFields, GroupError, knownPaths, PostResult, SignerFields, submitting, useProblems, WhenFields,
} from './common.jsx';

const FORM = 'receipt';

// The role a committee's officer signs as, to start from.
const ROLE_OF_NODE = { kpps: 'Ketua KPPS', pps: 'Ketua PPS', ppk: 'Ketua PPK', kpu: 'KPU' };

export function ReceiptForm({ election }) {
  const [nodeText, setNodeText] = useState('');
  const [lookup, setLookup] = useState(null); // {node, loading, error, awaiting}
  const [chosen, setChosen] = useState(null);
  const [posted, setPosted] = useState(false);

  // Lists the dispatches awaiting receipt at a node. After a post the list is refreshed in place and the posted
  // receipt's answer stays on screen.
  const findAwaiting = async (node, { afterPost = false } = {}) => {
    setPosted(afterPost);
    if (!afterPost) {
      setLookup({ node, loading: true });
      setChosen(null);
    }
    try {
      const [answer] = await Promise.all([
        api.nodeDocuments(election.id, node),
        ensureRegionNames(regionsOfNode(node)),
      ]);
      const awaiting = answer.documents.filter((d) => d.kind === 'dispatch' && d.document.to === node
        && !d.received_by && !d.reversed_by);
      setLookup({ node, awaiting });
    } catch (error) {
      setLookup({ node, error });
    }
  };

  const submitNode = (event) => {
    event.preventDefault();
    const node = toNode(nodeText);
    if (node) findAwaiting(node);
  };

  return (
    <div>
      <form class="form-card" onSubmit={submitNode}>
        <Field id="receipt-node" label={t('receipt.node')} hint={t('receipt.node_hint')} value={nodeText}
          autocapitalize="none" spellcheck={false} required onInput={(e) => setNodeText(e.currentTarget.value)} />
        <button type="submit">{t('receipt.find')}</button>
      </form>
      {lookup?.loading && <Loading />}
      {lookup?.error && <ErrorBox error={lookup.error} title={t('receipt.find_error', { node: lookup.node })} />}
      {lookup?.awaiting && !posted && (
        <AwaitingList node={lookup.node} awaiting={lookup.awaiting} chosen={chosen} onChoose={setChosen} />
      )}
      {chosen && (
        <ReceiptDetails key={chosen.id} election={election} node={lookup.node} dispatch={chosen}
          onPosted={() => findAwaiting(lookup.node, { afterPost: true })} onDone={() => { setChosen(null); setPosted(false); }} />
      )}
    </div>
  );
}

// The regions to look up so that a node and its neighbours have names: the parent of its region lists it and its
// siblings, the grandparent names the committee above it.
function regionsOfNode(node) {
  const parts = (node.split(':')[1] || '').split('.');
  return [parts.slice(0, -2), parts.slice(0, -1)].map((p) => p.join('.')).filter((c) => c && c.split('.').length <= 3);
}

function AwaitingList({ node, awaiting, chosen, onChoose }) {
  const regions = regionNames.value;
  if (awaiting.length === 0) {
    return <p class="notice" role="status">{t('receipt.none_awaiting', { node: nodeLabel(node, regions) })}</p>;
  }
  return (
    <fieldset class="choice-list" id="receipt-dispatch-choice">
      <legend>{t('receipt.awaiting', { node: nodeLabel(node, regions), n: fmtNumber(awaiting.length) })}</legend>
      {awaiting.map((d) => {
        const doc = d.document;
        const id = `receipt-choose-${d.id}`;
        return (
          <div class="choice" key={d.id}>
            <input type="radio" name="receipt-dispatch" id={id} checked={chosen?.id === d.id} onChange={() => onChoose(d)} />
            <label for={id}>
              <strong>{doc.number || t('receipt.no_number')}</strong>{' '}
              {t('doc.from_to', { from: nodeLabel(doc.node, regions), to: nodeLabel(doc.to, regions) })},{' '}
              {fmtDateTime(d.at)}:{' '}
              {t('receipt.carries', { kits: fmtNumber((doc.kits || []).length), lines: fmtNumber((doc.lines || []).length) })}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

function ReceiptDetails({ election, node, dispatch, onPosted, onDone }) {
  const doc = dispatch.document;
  const names = itemNames.value;
  const startZone = zoneOf(node.split(':')[1]);
  const [id] = useState(uuid);
  const [number, setNumber] = useState(doc.number || '');
  const [at, setAt] = useState(() => nowLocal(startZone));
  const [zone, setZone] = useState(startZone);
  const [signerName, setSignerName] = useState('');
  const [signerRole, setSignerRole] = useState(ROLE_OF_NODE[node.split(':')[0]] || '');
  const [kits, setKits] = useState(() => (doc.kits || []).map((kit) => (
    { kit, accepted: true, seals_intact: true, damaged: false, reason: '' })));
  const [lines, setLines] = useState(() => (doc.lines || []).map((line) => (
    { item: line.item, sent: line.quantity, accepted: String(line.quantity), rejected: '', reason: '' })));
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const problems = useProblems(FORM);
  const { f } = problems;

  const setKit = (i, change) => setKits((all) => all.map((k, j) => (j === i ? { ...k, ...change } : k)));
  const setLine = (i, change) => setLines((all) => all.map((l, j) => (j === i ? { ...l, ...change } : l)));

  const known = knownPaths(FORM, [
    'number', 'at', 'signed_by', 'signed_by[0].name', 'signed_by[0].role', 'kits', 'lines',
    ...kits.flatMap((_, i) => ['', '.accepted', '.seals_intact', '.damaged', '.reason'].map((p) => `kits[${i}]${p}`)),
    ...lines.flatMap((_, i) => ['', '.accepted', '.rejected', '.reason'].map((p) => `lines[${i}]${p}`)),
  ]);
  // The node and the dispatch are chosen above the form: their problems go beside the choice.
  known.set('node', 'receipt-node');
  known.set('from', 'receipt-dispatch-choice');
  known.set('dispatch', 'receipt-dispatch-choice');

  const submit = async (event) => {
    event.preventDefault();
    const missing = emptyFields({ at, 'signed_by[0].name': signerName, 'signed_by[0].role': signerRole });
    if (missing.length) {
      problems.show(missing, known);
      return;
    }
    const receipt = {
      id, kind: 'receipt', election: election.id, at: localToIso(at, zone), node,
      number: number.trim() || undefined,
      signed_by: [{ name: signerName.trim(), role: signerRole.trim() }],
      from: doc.node, dispatch: dispatch.id,
      kits: kits.length ? kits.map((k) => ({
        kit: k.kit, accepted: k.accepted, seals_intact: k.seals_intact, damaged: k.damaged,
        reason: k.reason || undefined,
      })) : undefined,
      lines: lines.length ? lines.map((l) => ({
        item: l.item, sent: l.sent, accepted: quantity(l.accepted), rejected: quantity(l.rejected),
        reason: l.reason || undefined,
      })) : undefined,
    };
    await submitting(problems, known, setBusy, async () => {
      const { json } = await api.postDocument(election.id, receipt);
      setResult(json);
      onPosted();
    });
  };

  if (result) {
    return (
      <PostResult election={election.id} result={result} node={node} againLabel={t('receipt.again')} onAgain={onDone} />
    );
  }

  const regions = regionNames.value;
  return (
    <form class="form-card" onSubmit={submit} noValidate aria-labelledby="receipt-title">
      <h3 id="receipt-title">{t('receipt.title', { number: doc.number || dispatch.id })}</h3>
      <p>{t('doc.from_to', { from: nodeLabel(doc.node, regions), to: nodeLabel(node, regions) })}; {t('receipt.sent_at', { at: fmtDateTime(dispatch.at) })}</p>
      <ErrorSummary title={t('form.refused')} problems={problems.summary} />
      <div class="field-row">
        <Field {...f('number')} label={t('form.number')} hint={t('receipt.number_hint')} value={number}
          onInput={(e) => setNumber(e.currentTarget.value)} />
      </div>
      <WhenFields f={f} value={at} zone={zone} onValue={setAt} onZone={setZone} />

      {kits.length > 0 && (
        <fieldset id={f('kits').id} tabIndex={-1}>
          <legend>{t('receipt.kits', { n: fmtNumber(kits.length) })}</legend>
          <GroupError {...f('kits')} />
          <div class="table-scroll">
            <table class="form-table">
              <thead>
                <tr>
                  <th scope="col">{t('receipt.kit')}</th>
                  <th scope="col">{t('receipt.accepted')}</th>
                  <th scope="col">{t('receipt.seals_intact')}</th>
                  <th scope="col">{t('receipt.damaged')}</th>
                  <th scope="col">{t('receipt.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {kits.map((k, i) => {
                  const row = f(`kits[${i}]`);
                  return (
                    <tr key={k.kit}>
                      <th scope="row" id={row.id} tabIndex={-1}><code>{k.kit}</code><GroupError {...row} /></th>
                      <td><Field {...f(`kits[${i}].accepted`)} type="checkbox" hideLabel checked={k.accepted}
                        label={t('receipt.kit_accepted', { kit: k.kit })}
                        onChange={(e) => setKit(i, { accepted: e.currentTarget.checked })} /></td>
                      <td><Field {...f(`kits[${i}].seals_intact`)} type="checkbox" hideLabel checked={k.seals_intact}
                        label={t('receipt.kit_seals', { kit: k.kit })}
                        onChange={(e) => setKit(i, { seals_intact: e.currentTarget.checked })} /></td>
                      <td><Field {...f(`kits[${i}].damaged`)} type="checkbox" hideLabel checked={k.damaged}
                        label={t('receipt.kit_damaged', { kit: k.kit })}
                        onChange={(e) => setKit(i, { damaged: e.currentTarget.checked })} /></td>
                      <td><ReasonSelect {...f(`kits[${i}].reason`)} value={k.reason}
                        label={t('receipt.kit_reason', { kit: k.kit })} onChange={(reason) => setKit(i, { reason })} /></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </fieldset>
      )}

      {lines.length > 0 && (
        <fieldset id={f('lines').id} tabIndex={-1}>
          <legend>{t('receipt.lines', { n: fmtNumber(lines.length) })}</legend>
          <GroupError {...f('lines')} />
          <div class="table-scroll">
            <table class="form-table">
              <thead>
                <tr>
                  <th scope="col">{t('items.item')}</th>
                  <th scope="col" class="num">{t('receipt.sent')}</th>
                  <th scope="col">{t('receipt.line_accepted')}</th>
                  <th scope="col">{t('receipt.line_rejected')}</th>
                  <th scope="col">{t('receipt.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l, i) => {
                  const row = f(`lines[${i}]`);
                  const label = itemLabel(l.item, names);
                  return (
                    <tr key={l.item}>
                      <th scope="row" id={row.id} tabIndex={-1}>{label}<GroupError {...row} /></th>
                      <td class="num">{fmtNumber(l.sent)}</td>
                      <td><Field {...f(`lines[${i}].accepted`)} type="number" inputMode="numeric" min="0" step="1"
                        hideLabel label={t('receipt.line_accepted_of', { item: label })} value={l.accepted}
                        onInput={(e) => setLine(i, { accepted: e.currentTarget.value })} /></td>
                      <td><Field {...f(`lines[${i}].rejected`)} type="number" inputMode="numeric" min="0" step="1"
                        hideLabel label={t('receipt.line_rejected_of', { item: label })} value={l.rejected}
                        onInput={(e) => setLine(i, { rejected: e.currentTarget.value })} /></td>
                      <td><ReasonSelect {...f(`lines[${i}].reason`)} value={l.reason}
                        label={t('receipt.line_reason', { item: label })} onChange={(reason) => setLine(i, { reason })} /></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p class="hint">{t('receipt.lines_hint')}</p>
        </fieldset>
      )}

      <SignerFields f={f} name={signerName} role={signerRole} onName={setSignerName} onRole={setSignerRole} />
      <button type="submit" class="button-primary" disabled={busy}>{busy ? t('form.sending') : t('receipt.submit')}</button>
    </form>
  );
}

function ReasonSelect({ id, errors, label, value, onChange }) {
  return (
    <Field id={id} errors={errors} as="select" hideLabel label={label} value={value}
      onChange={(e) => onChange(e.currentTarget.value)}>
      <option value="">{t('reason.none')}</option>
      {REASONS.map((r) => <option key={r} value={r}>{t(`reason.${r}`)}</option>)}
    </Field>
  );
}
