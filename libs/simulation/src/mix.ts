import { ARCHETYPES, isArchetype, type Archetype, type ArchetypeMix } from './archetypes.js';
import { SimulationOptionsError } from './simulation-options-error.js';
import type { Prng } from './prng.js';

/**
 * Parses `archetype=weight,…` (e.g. `healthy_steady=3,going_dark=1`). Only
 * the archetypes listed take part; weights are non-negative numbers and at
 * least one must be positive.
 *
 * @throws SimulationOptionsError (option `mix`) naming the bad entry.
 */
export function parseMix(text: string): ArchetypeMix {
  const mix: ArchetypeMix = {};
  for (const entry of text.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const [name, weightText, extra] = entry.split('=').map((p) => p.trim());
    if (name === undefined || weightText === undefined || extra !== undefined) {
      throw new SimulationOptionsError('mix', `expected archetype=weight, got "${entry}"`);
    }
    if (!isArchetype(name)) throw new SimulationOptionsError('mix', `unknown archetype "${name}" (one of ${ARCHETYPES.join(', ')})`);
    const weight = Number(weightText);
    if (weightText === '' || !Number.isFinite(weight) || weight < 0) {
      throw new SimulationOptionsError('mix', `weight of ${name} must be a number ≥ 0, got "${weightText}"`);
    }
    if (name in mix) throw new SimulationOptionsError('mix', `${name} is listed twice`);
    mix[name] = weight;
  }
  validateMix(mix);
  return mix;
}

/**
 * Checks a mix given as an object.
 *
 * @throws SimulationOptionsError (option `mix`) on an unknown archetype, a
 *   negative or non-finite weight, or no positive weight at all.
 */
export function validateMix(mix: ArchetypeMix): void {
  for (const [name, weight] of Object.entries(mix)) {
    if (!isArchetype(name)) throw new SimulationOptionsError('mix', `unknown archetype "${name}" (one of ${ARCHETYPES.join(', ')})`);
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new SimulationOptionsError('mix', `weight of ${name} must be a number ≥ 0, got ${String(weight)}`);
    }
  }
  if (!Object.values(mix).some((w) => (w ?? 0) > 0)) throw new SimulationOptionsError('mix', 'needs at least one archetype with a positive weight');
}

/**
 * Archetype counts for `accounts` accounts: proportional to the weights
 * (largest remainder), except that every archetype with a positive weight
 * gets at least one account when there are enough accounts for that — so a
 * small scenario still shows every behaviour of its mix.
 *
 * @returns count per archetype, summing to `accounts`.
 */
export function archetypeCounts(accounts: number, mix: ArchetypeMix): Record<Archetype, number> {
  const present = ARCHETYPES.filter((a) => (mix[a] ?? 0) > 0);
  const total = present.reduce((sum, a) => sum + (mix[a] ?? 0), 0);
  const counts = Object.fromEntries(ARCHETYPES.map((a) => [a, 0])) as Record<Archetype, number>;
  const guaranteed = accounts >= present.length ? 1 : 0;
  let left = accounts - guaranteed * present.length;
  const quotas = present.map((a) => {
    const quota = Math.max(0, (accounts * (mix[a] ?? 0)) / total - guaranteed);
    return { a, quota };
  });
  const quotaSum = quotas.reduce((s, q) => s + q.quota, 0);
  const scaled = quotas.map(({ a, quota }) => ({ a, exact: quotaSum === 0 ? 0 : (quota * left) / quotaSum }));
  for (const { a, exact } of scaled) {
    counts[a] = guaranteed + Math.floor(exact);
    left -= Math.floor(exact);
  }
  // ties go to the archetype listed first, so the result never depends on sort stability
  const byRemainder = scaled
    .map(({ a, exact }, i) => ({ a, rest: exact - Math.floor(exact), i }))
    .sort((x, y) => y.rest - x.rest || x.i - y.i);
  for (let k = 0; left > 0; k = (k + 1) % byRemainder.length, left -= 1) counts[(byRemainder[k] as { a: Archetype }).a] += 1;
  return counts;
}

/** The archetype of each account, in account order: {@link archetypeCounts}, shuffled by `prng`. */
export function assignArchetypes(accounts: number, mix: ArchetypeMix, prng: Prng): Archetype[] {
  const counts = archetypeCounts(accounts, mix);
  return prng.shuffle(ARCHETYPES.flatMap((a) => Array.from({ length: counts[a] }, () => a)));
}
