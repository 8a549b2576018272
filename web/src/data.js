// Data shared by pages: the elections, each election's item names and the names of regions met so far.
import { signal } from '@preact/signals';
import { api } from './api.js';

export const elections = signal(null);
export const electionsError = signal(null);

export async function loadElections() {
  try {
    elections.value = (await api.elections()).elections;
    electionsError.value = null;
  } catch (error) {
    electionsError.value = error;
  }
}

export const findElection = (id) => elections.value?.find((e) => e.id === id) || null;

// Item code -> name ("kotak_suara" -> "Kotak Suara"), per election, from the national needs. The names are a signal
// so that tables show them as soon as they arrive.
export const itemNames = signal(new Map());
const itemNamesLoaded = new Set();

export function loadItemNames(election) {
  if (itemNamesLoaded.has(election)) return;
  itemNamesLoaded.add(election);
  api.needs(election, '').then(
    (answer) => {
      const names = new Map(itemNames.value);
      for (const line of answer.items) names.set(line.item, line.name);
      itemNames.value = names;
    },
    () => itemNamesLoaded.delete(election),
  );
}

// Region code -> name, filled from every answer that names regions; a signal so that labels update.
export const regionNames = signal(new Map());

export function rememberRegions(regions) {
  let names = null;
  for (const region of regions) {
    if (!region?.code || regionNames.value.get(region.code) === region.name) continue;
    names ??= new Map(regionNames.value);
    names.set(region.code, region.name);
  }
  if (names) regionNames.value = names;
}

// Makes sure the names of these regions and of their children are known (at most `cap` lookups, `parallel` at once).
export async function ensureRegionNames(codes, options) {
  await lookupRegions(codes.filter((code) => !regionNames.value.has(code)), options);
}

// Looks these regions up, for their names and their children's (at most `cap` lookups, `parallel` at once).
export async function lookupRegions(codes, { cap = 80, parallel = 6 } = {}) {
  const work = [...new Set(codes)].slice(0, cap);
  const worker = async () => {
    for (let code = work.shift(); code; code = work.shift()) {
      try {
        const region = await api.region(code);
        rememberRegions([region, ...(region.children || [])]);
      } catch {
        // A name that cannot be found is shown as its code.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, work.length) }, worker));
}
