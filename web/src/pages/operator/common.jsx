// Parts shared by the operators' forms: problems placed beside fields, the time of a document, its signer, and the
// answer to a post.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Field } from '../../components/Field.jsx';
import { fieldId, nodePlace, placeProblems, problemsOf } from '../../documents.js';
import { fmtNumber, nodeLabel, ZONES } from '../../format.js';
import { regionNames } from '../../data.js';
import { t } from '../../i18n.js';
import { paths } from '../../router.js';

const NONE = { byField: new Map(), summary: [] };

// The problems of the last attempt, placed by JSON path. f(path) gives a field's {id, errors}.
export function useProblems(form) {
  const [placed, setPlaced] = useState(NONE);
  return {
    summary: placed.summary,
    show: (details, known) => setPlaced(placeProblems(details, known)),
    clear: () => setPlaced(NONE),
    f: (path) => ({ id: fieldId(form, path), errors: placed.byField.get(path) }),
  };
}

// The paths a form shows, each with its element id, for placeProblems.
export const knownPaths = (form, list) => new Map(list.map((path) => [path, fieldId(form, path)]));

// Required text fields left empty, as problems in the form the server gives.
export const emptyFields = (fields) =>
  Object.entries(fields).filter(([, value]) => !String(value ?? '').trim()).map(([field]) => ({ field, reason: t('form.required') }));

// Runs `work` (which posts a document) with the form busy and the last problems cleared; a refusal's problems
// (`toProblems` reads them from the error) are placed beside their fields.
export async function submitting(problems, known, setBusy, work, toProblems = problemsOf) {
  setBusy(true);
  problems.clear();
  try {
    await work();
  } catch (error) {
    problems.show(toProblems(error), known);
  } finally {
    setBusy(false);
  }
}

// The error of a group of fields (a fieldset or a table row), shown where the group starts.
export function GroupError({ id, errors }) {
  if (!errors?.length) return null;
  return (
    <span id={`${id}-error`} class="field-error">
      <span class="visually-hidden">{t('form.error_prefix')} </span>
      {errors.join(' ')}
    </span>
  );
}

// A local date and time and its zone. `path` is the field's JSON path (by default `at`).
export function WhenFields({ f, value, zone, onValue, onZone, path = 'at', label = t('form.at'), hint = t('form.at_hint'),
  required = true }) {
  return (
    <div class="field-row">
      <Field {...f(path)} label={label} hint={hint} type="datetime-local" required={required}
        value={value} onInput={(e) => onValue(e.currentTarget.value)} />
      <Field id={`${f(path).id}-zone`} label={t('form.zone')} as="select" value={zone.name}
        onChange={(e) => onZone(ZONES.find((z) => z.name === e.currentTarget.value))}>
        {ZONES.map((z) => <option key={z.name} value={z.name}>{z.name} (UTC{z.offset})</option>)}
      </Field>
    </div>
  );
}

export function SignerFields({ f, name, role, onName, onRole }) {
  const group = f('signed_by');
  return (
    <fieldset id={group.id} tabIndex={-1} aria-describedby={group.errors ? `${group.id}-error` : undefined}>
      <legend>{t('form.signer')}</legend>
      <GroupError {...group} />
      <div class="field-row">
        <Field {...f('signed_by[0].name')} label={t('form.signer_name')} autocomplete="name" required
          value={name} onInput={(e) => onName(e.currentTarget.value)} />
        <Field {...f('signed_by[0].role')} label={t('form.signer_role')} hint={t('form.signer_role_hint')} required
          value={role} onInput={(e) => onRole(e.currentTarget.value)} />
      </div>
    </fieldset>
  );
}

// The answer to a posted document: its place in the ledger, and where to see its effect.
export function PostResult({ election, result, node, onAgain, againLabel }) {
  const ref = useRef(null);
  useEffect(() => ref.current?.focus(), [result]);
  const place = nodePlace(node);
  return (
    <div class="notice notice-ok" role="status" tabIndex={-1} ref={ref} id="post-result">
      <p>
        <strong>{result.status === 'replayed' ? t('post.replayed') : t('post.posted')}</strong>{' '}
        {t('post.seq', { seq: fmtNumber(result.seq) })}
      </p>
      <p class="small">
        {t('post.id')} <code>{result.id}</code>
      </p>
      <p>
        {place.tps && <a href={paths.tps(election, place.tps)}>{t('post.see_tps', { tps: place.tps })}</a>}
        {place.region && (
          <a href={paths.region(election, place.region)}>
            {t('post.see_region', { region: nodeLabel(node, regionNames.value) })}
          </a>
        )}
      </p>
      <p><button type="button" onClick={onAgain}>{againLabel}</button></p>
    </div>
  );
}
