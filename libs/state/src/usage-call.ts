import { DAY_MS, ROLE_DAYS_ROLES } from '@valuepulse/scoring';
import { eventFingerprint } from './fingerprint.js';
import { known, none, type StoreEvent } from './store-event.js';
import { USER_DAYS_WINDOW } from './user-days.js';

interface Day {
  /** events, logins, workflow runs, API calls */
  counts: [number, number, number, number];
  fingerprints: string[];
}

const ROLE_DAYS = new Set<string>(ROLE_DAYS_ROLES);

function keepLatest(map: Map<string, number>, key: string, at: number): void {
  const cur = map.get(key);
  if (cur === undefined || at > cur) map.set(key, at);
}

function flat(map: Map<string, number>): (string | number)[] {
  const out: (string | number)[] = [];
  for (const [key, at] of map) out.push(key, at);
  return out;
}

/**
 * One account's events (in the order they are applied) summed up as
 * APPLY_USAGE_LUA's packed argument (see there for the layout and why the
 * sums store what the events one by one store), or null — APPLY_LUA's to
 * apply — when there are none, one is not a usage event, or two share a
 * fingerprint (a copy inside the call: APPLY_LUA decides which one counts). Which events are inside a window at their turn follows the
 * newest day of the events before them, as the script's loop does; the
 * script adds what only the stored newest day can tell, per day.
 */
export function packUsageCall(events: readonly StoreEvent[], retentionDays: number): string | null {
  if (events.length === 0) return null;
  const fingerprints = new Set<string>();
  const days = new Map<number, Day>();
  const users = new Map<string, Map<number, string>>();
  const features = new Map<string, number>();
  const workflows = new Map<string, number>();
  const teams = new Map<string, number>();
  const units = new Map<string, Map<number, number>>();
  const roles = new Map<string, number>();
  const roleDays = new Map<string, Set<number>>();
  const integrations = new Map<string, { at: number; state: string }>();
  let newest = -Infinity;
  let first = Infinity;
  let last = -Infinity;
  let outside = 0;
  for (const input of events) {
    if (input.kind !== 'usage') return null;
    const e = input.event;
    const fingerprint = eventFingerprint('usage', e.event_id);
    if (fingerprints.has(fingerprint)) return null;
    fingerprints.add(fingerprint);
    const at = e.occurred_at;
    const day = Math.floor(at / DAY_MS);
    if (day > newest) newest = day;
    if (at < first) first = at;
    if (at > last) last = at;
    const team = none(e.team);
    if (e.feature_id !== null && e.feature_id !== '') keepLatest(features, e.feature_id, at);
    if (e.workflow_id !== null && e.workflow_id !== '') keepLatest(workflows, e.workflow_id, at);
    if (team !== '') keepLatest(teams, team, at);
    const role = known(e.user_role);
    if (role !== '') {
      keepLatest(roles, role, at);
      if (ROLE_DAYS.has(role)) {
        let set = roleDays.get(role);
        if (set === undefined) roleDays.set(role, (set = new Set()));
        set.add(day);
      }
    }
    const integration = none(e.integration_id);
    if (integration !== '' && (e.event_type === 'INTEGRATION_CONNECTED' || e.event_type === 'INTEGRATION_DISCONNECTED')) {
      const state = e.event_type === 'INTEGRATION_CONNECTED' ? '1' : '0';
      const cur = integrations.get(integration);
      if (cur === undefined || at > cur.at || (at === cur.at && state < cur.state)) integrations.set(integration, { at, state });
    }
    if (day < newest - retentionDays + 1) {
      outside += 1;
      continue;
    }
    let d = days.get(day);
    if (d === undefined) days.set(day, (d = { counts: [0, 0, 0, 0], fingerprints: [] }));
    d.counts[0] += 1;
    if (e.event_type === 'LOGIN') d.counts[1] += 1;
    else if (e.event_type === 'WORKFLOW_RUN') d.counts[2] += 1;
    else if (e.event_type === 'API_CALL') d.counts[3] += 1;
    d.fingerprints.push(fingerprint);
    if (day >= newest - USER_DAYS_WINDOW + 1) {
      let byDay = users.get(e.user_id);
      if (byDay === undefined) users.set(e.user_id, (byDay = new Map()));
      const cur = byDay.get(day);
      if (cur === undefined || (team !== '' && (cur === '' || team < cur))) byDay.set(day, team);
    }
    if (team !== '') countUnit(units, `team:${team}`, day);
    if (e.product_line !== null && e.product_line !== '') countUnit(units, `product_line:${e.product_line}`, day);
  }
  return JSON.stringify([
    newest,
    events.length,
    outside,
    [...days].map(([day, d]) => [day, d.counts, d.fingerprints]),
    [...users].map(([user, byDay]) => [user, ...[...byDay].flat()]),
    flat(features),
    flat(workflows),
    flat(teams),
    [...units].map(([field, byDay]) => [field, ...[...byDay].flat()]),
    first,
    last,
    flat(roles),
    [...roleDays].map(([role, set]) => [role, ...set]),
    [...integrations].map(([id, g]) => [id, g.at, g.state]),
  ]);
}

function countUnit(units: Map<string, Map<number, number>>, field: string, day: number): void {
  let byDay = units.get(field);
  if (byDay === undefined) units.set(field, (byDay = new Map()));
  byDay.set(day, (byDay.get(day) ?? 0) + 1);
}
