#!/usr/bin/env node
// Held-out test data for the account-health scoring model, written on purpose
// WITHOUT libs/simulation (own PRNG, own behaviour model): realistic rhythms of
// use the project's simulator does not have (company shutdowns, month-end
// peaks, API-driven accounts, small noisy teams, vacations, public holidays,
// time zones) next to five at-risk behaviours with labels. Output: JSON Lines
// per input topic in the Avro contracts' field names, plus labels.jsonl.
// Deterministic for a given seed and options. See README.md next to this file.
//
//   node bench/heldout/heldout-generator.mjs --seed N --out DIR [--days 120]
//     [--accounts 60] [--ends-at YYYY-MM-DD] [--late-share 0] [--late-max-hours 36] [--dup-share 0]
//     [--survey-waves] [--ticket-rate 1] [--rhythms2] [--seasons-all]
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HEALTHY2, createRhythms2 } from './rhythms2.mjs';

const DAY = 86_400_000;
const HOUR = 3_600_000;

// ---------- options ----------
const USAGE = 'usage: heldout-generator.mjs --seed N --out DIR [--days 120] [--accounts 60] [--ends-at YYYY-MM-DD] [--late-share 0] [--late-max-hours 36] [--dup-share 0] [--survey-waves] [--ticket-rate 1] [--rhythms2] [--seasons-all]';
const fail = (message) => { process.stderr.write(`${message}\n${USAGE}\n`); process.exit(2); };
let opt;
try {
  opt = parseArgs({
    strict: true,
    options: {
      seed: { type: 'string' }, out: { type: 'string' }, days: { type: 'string', default: '120' },
      accounts: { type: 'string', default: '60' }, 'ends-at': { type: 'string' },
      'late-share': { type: 'string', default: '0' }, 'late-max-hours': { type: 'string', default: '36' },
      'dup-share': { type: 'string', default: '0' }, 'survey-waves': { type: 'boolean', default: false },
      'ticket-rate': { type: 'string', default: '1' },
      rhythms2: { type: 'boolean', default: false }, 'seasons-all': { type: 'boolean', default: false },
    },
  }).values;
} catch (err) {
  fail(err.message);
}
const SEED = /^\d+$/.test(opt.seed ?? '') ? Number(opt.seed) : NaN;
const DAYS = Number(opt.days);
const ACCOUNTS = Number(opt.accounts);
const LATE = Number(opt['late-share']);
const LATE_MAX_H = Number(opt['late-max-hours']);
const DUP = Number(opt['dup-share']);
const SURVEY_WAVES = opt['survey-waves'];
const TICKET_RATE = Number(opt['ticket-rate']);
const RHYTHMS2 = opt.rhythms2;
const SEASONS_ALL = opt['seasons-all'];
const today = new Date();
const END = opt['ends-at'] ? (/^\d{4}-\d{2}-\d{2}$/.test(opt['ends-at']) ? Date.parse(`${opt['ends-at']}T00:00:00Z`) : NaN) : Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
const bad = [
  [!opt.out, '--out DIR is required'], [!Number.isSafeInteger(SEED) || SEED < 0, '--seed must be a non-negative integer'],
  [!Number.isInteger(DAYS) || DAYS < 80, '--days must be an integer >= 80'], [!Number.isInteger(ACCOUNTS) || ACCOUNTS < 1, '--accounts must be a positive integer'],
  [!Number.isFinite(END), '--ends-at must be YYYY-MM-DD'], [!(LATE >= 0 && LATE <= 1) || !(DUP >= 0 && DUP <= 1), '--late-share and --dup-share must be in [0, 1]'],
  [!(LATE_MAX_H >= 0), '--late-max-hours must be >= 0'], [!(TICKET_RATE > 0 && TICKET_RATE <= 50), '--ticket-rate must be in (0, 50]'],
].filter(([b]) => b);
if (bad.length) fail(bad.map(([, m]) => m).join('\n'));
const START = END - DAYS * DAY;

// ---------- seeded randomness (mulberry32 streams keyed by string hash) ----------
function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
function hash32(text) {
  let h = 0x9747b28c;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995) ^ (h >>> 13);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}
/** An independent stream for one purpose: one account's draws never shift another's. */
function rng(...parts) {
  const r = mulberry32(hash32([SEED, ...parts].join('|')));
  const u = (a = 0, b = 1) => a + (b - a) * r();
  const int = (a, b) => Math.floor(u(a, b + 1));
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const weighted = (pairs) => { let x = u(0, pairs.reduce((s, [, w]) => s + w, 0)); for (const [v, w] of pairs) if ((x -= w) < 0) return v; return pairs.at(-1)[0]; };
  const chance = (p) => r() < p;
  const shuffle = (xs) => { const a = [...xs]; for (let i = a.length - 1; i > 0; i -= 1) { const j = int(0, i); [a[i], a[j]] = [a[j], a[i]]; } return a; };
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return { r, u, int, pick, weighted, chance, shuffle, normal };
}

// ---------- calendar ----------
const dateOf = (d) => new Date(START + d * DAY);
const isWeekend = (d) => [0, 6].includes(dateOf(d).getUTCDay());
const REGIONS = { amer: [-8, -7, -6, -5, -4], emea: [0, 1, 2, 3], apac: [5, 7, 8, 9] };
/** 2–4 public holidays per region: weekdays, at least three weeks apart. */
const HOLIDAYS = Object.fromEntries(Object.keys(REGIONS).map((region) => {
  const g = rng('holidays', region);
  const want = g.int(2, 4);
  const days = [];
  for (let tries = 0; days.length < want && tries < 500; tries += 1) {
    const d = g.int(3, DAYS - 3);
    if (!isWeekend(d) && days.every((h) => Math.abs(h - d) >= 21)) days.push(d);
  }
  return [region, new Set(days)];
}));
/** Whether the account as a whole rests on day d (its weekend; `--rhythms2` has other working weeks). */
const restDay = (A, d) => (A.rest ? A.rest(d) : isWeekend(d));
/** Whether a person rests on day d (a rota of their own, or the account's weekend). */
const userRests = (A, u, d) => (u.rest ? u.rest(d) : restDay(A, d));
const isWorkday = (A, d) => !restDay(A, d) && !A.holidays.has(d);
/** Whether day d is one of the last n working days of its calendar month (looking past the window if needed). */
function isMonthEndPeak(A, d, n) {
  if (!isWorkday(A, d)) return false;
  const month = dateOf(d).getUTCMonth();
  let after = 0;
  for (let e = d + 1; dateOf(e).getUTCMonth() === month; e += 1) if (isWorkday(A, e)) after += 1;
  return after < n;
}

// ---------- catalogues ----------
const FEATURES = ['dashboards', 'reports', 'pipeline', 'forecasting', 'tasks', 'calendar', 'inbox', 'approvals', 'invoices', 'contracts', 'search', 'exports', 'imports', 'alerts', 'comments', 'kanban', 'timeline', 'budgets', 'goals', 'surveys', 'chat', 'documents', 'templates', 'automation', 'analytics', 'audit-log', 'permissions', 'mobile-sync', 'notes', 'webhooks'];
const TEAMS = ['sales', 'finance', 'operations', 'marketing', 'support', 'engineering', 'hr', 'legal', 'procurement', 'analytics', 'logistics'];
const INTEGRATIONS = ['salesforce', 'hubspot', 'slack', 'jira', 'netsuite', 'snowflake', 'zendesk', 'sap', 'workday', 'github'];
const MILESTONES = ['Go-live', 'First workflow automated', 'Team rollout complete', 'Executive business review', 'Reporting adoption', 'Integration live', 'Onboarding complete', 'Data migration done'];
const HEALTHY = RHYTHMS2 ? HEALTHY2 : ['steady', 'shutdown', 'month_end', 'api_driven', 'small_noisy'];
const AT_RISK = {
  decline_5pct: ['login_drop', 'usage_decline', 'users_lost', 'health_tier', 'seat_utilisation', 'adoption_depth', 'value_lock_in'],
  unit_leaves: ['login_drop', 'usage_decline', 'users_lost', 'health_tier', 'seat_utilisation', 'adoption_depth', 'team_contraction'],
  sudden_drop: ['login_drop', 'usage_decline', 'users_lost', 'health_tier', 'seat_utilisation'],
  goes_dark: ['going_dark', 'login_drop', 'usage_decline', 'health_tier'],
  ticket_storm: ['ticket_flood', 'support_pressure', 'health_tier', 'nps_detractor'],
};

const R2 = createRhythms2({ rng, START, DAYS, DAY, dateOf, isWeekend, HOLIDAYS, TEAMS });

// ---------- output buffers ----------
const out = { usage: [], support: [], account: [] };
let idCounter = 0;
let seq = 0;
const nextId = () => `ho-${SEED}-${(idCounter += 1)}`;
/** Keeps a record if it falls inside the window and before a dark account's silence. */
function push(A, stream, rec) {
  if (rec.occurred_at < START || rec.occurred_at >= END || (A.darkAt !== null && rec.occurred_at >= A.darkAt)) return;
  out[stream].push({ at: rec.occurred_at, seq: (seq += 1), rec });
}
/** Epoch ms of local time `hour` (fractional) on scenario day d in the account's time zone. */
const localAt = (A, d, hour) => START + d * DAY + Math.round((hour - A.tz) * HOUR);
function usage(A, at, user, type, extra = {}) {
  push(A, 'usage', { event_id: nextId(), account_id: A.id, occurred_at: at, user_id: user.id, event_type: type, feature_id: null, workflow_id: null, integration_id: null, team: user.team, user_role: user.role, product_line: null, quantity: 1, properties: {}, ...extra });
}
function support(A, at, ticket, type, extra = {}) {
  push(A, 'support', { event_id: nextId(), account_id: A.id, occurred_at: at, ticket_id: ticket.id, event_type: type, priority: ticket.priority, feature_id: ticket.feature, category: ticket.category, csat_score: null, requester_id: ticket.user.id, requester_role: ticket.user.role, properties: {}, ...extra });
}
function account(A, at, type, extra = {}) {
  push(A, 'account', { event_id: nextId(), account_id: A.id, occurred_at: at, event_type: type, arr: null, currency: null, contracted_seats: null, renewal_date: null, segment: null, stakeholder_user_id: null, stakeholder_role: null, milestone_id: null, milestone_name: null, milestone_due_date: null, nps_score: null, properties: {}, ...extra });
}

// ---------- account plan ----------
function planAccount(index) {
  const g = rng('plan', index);
  const healthy = index % 2 === 0;
  const kind = healthy ? HEALTHY[(index >> 1) % HEALTHY.length] : Object.keys(AT_RISK)[(index >> 1) % 5];
  const id = `ho${SEED}-${String(index + 1).padStart(3, '0')}`;
  const region = g.weighted([['amer', 4], ['emea', 4], ['apac', 2]]);
  const A = { id, index, kind, healthy, tz: g.pick(REGIONS[region]), holidays: HOLIDAYS[region], darkAt: null, onset: null };
  A.onset = healthy ? null : g.int(45, DAYS - 35);
  const [lo, hi] = kind === 'small_noisy' ? [6, 9] : kind === 'api_driven' ? [3, 6]
    : g.weighted([[[8, 12], 35], [[13, 40], 33], [[41, 90], 20], [[91, 150], 12]]);
  const n = g.int(lo, hi);
  A.segment = kind === 'api_driven' ? g.pick(['SMB', 'MID_MARKET']) : n <= 25 ? 'SMB' : n <= 80 ? 'MID_MARKET' : 'ENTERPRISE';
  A.seats = Math.round(n * g.u(1.1, 1.3));
  const perSeat = { SMB: [300, 800], MID_MARKET: [500, 1100], ENTERPRISE: [800, 1600] }[A.segment];
  A.arr = Math.round((A.seats * g.u(...perSeat) + (kind === 'api_driven' ? g.u(20_000, 60_000) : 0)) / 100) * 100;
  // features, with uneven popularity
  A.features = g.shuffle(FEATURES).slice(0, g.int(8, 25)).map((f) => `f-${f}`);
  const featureWeights = A.features.map((f, i) => [f, 1 / (i + 1) ** 0.8]);
  // teams, uneven sizes
  const teamNames = g.shuffle(TEAMS).slice(0, Math.min(g.int(3, 8), Math.max(3, Math.ceil(n / 3))));
  const teamWeights = teamNames.map((t) => [t, g.u(0.5, 3)]);
  const roles = ['EXECUTIVE_SPONSOR', 'CHAMPION', 'TECHNICAL_OWNER', ...(n >= 5 && g.chance(0.5) ? ['ECONOMIC_BUYER'] : [])];
  const noisy = kind === 'small_noisy';
  // small noisy teams: busy and quiet weeks for everyone, each person's own swings and silent spells
  const weeks = Math.ceil(DAYS / 7);
  const teamWeeks = noisy ? Array.from({ length: weeks }, () => Math.exp(0.45 * g.normal())) : [];
  const noisyWeeks = () => {
    const m = teamWeeks.map((t) => t * Math.exp(0.7 * g.normal()));
    if (g.chance(0.5)) { const s = g.int(0, weeks - 1); m.fill(0.05, s, s + g.int(1, 3)); }
    return m;
  };
  A.users = Array.from({ length: n }, (_, i) => {
    const role = roles[i] ?? (g.chance(0.04) ? 'TECHNICAL_OWNER' : 'DAILY_USER');
    const p = kind === 'api_driven' ? g.u(0.08, 0.3)
      : role === 'EXECUTIVE_SPONSOR' ? g.u(0.15, 0.3) : role === 'ECONOMIC_BUYER' ? g.u(0.05, 0.15)
        : role === 'CHAMPION' ? g.u(0.8, 0.95) : role === 'TECHNICAL_OWNER' ? g.u(0.5, 0.85) : noisy ? g.u(0.15, 0.9) : g.u(0.3, 0.95);
    const vacation = g.chance(Math.min(0.9, 0.6 * DAYS / 120)) ? g.int(0, DAYS - 7) : null;
    const user = {
      id: `user-${String(i + 1).padStart(3, '0')}`, role, team: teamNames[i] ?? g.weighted(teamWeights), p,
      stakeholder: i < roles.length, exec: role === 'EXECUTIVE_SPONSOR' || role === 'ECONOMIC_BUYER',
      weekend: noisy ? g.u(0.05, 0.2) : g.u(0.01, 0.06), startHour: g.u(7.5, 10.5),
      favourites: Array.from({ length: g.int(2, 6) }, () => g.weighted(featureWeights)),
      vacFrom: vacation ?? -1, vacTo: vacation === null ? -1 : vacation + g.int(7, 14), quitDay: null,
      weekMult: noisy ? noisyWeeks() : null,
    };
    return user;
  });
  A.service = { id: 'svc-integration', role: 'TECHNICAL_OWNER', team: 'engineering' };
  const owner = A.users[2] ?? A.users[0];
  // integrations and the workflows hanging off them
  A.integrations = g.shuffle(INTEGRATIONS).slice(0, kind === 'api_driven' ? g.int(2, 4) : g.int(1, 3)).map((name) => ({ id: `int-${name}`, day: g.int(0, 10), owner }));
  A.workflows = Array.from({ length: g.int(2, 5) }, (_, i) => {
    const integration = g.pick(A.integrations);
    return {
      id: `wf-${i + 1}-${integration.id.slice(4)}`, integration, owner: kind === 'api_driven' ? A.service : g.pick(A.users.slice(1, Math.min(n, 6))),
      hour: g.pick([2, 6, 9, 13]) + g.u(0, 1), perDay: g.int(1, 3), weekends: g.chance(0.3), startDay: integration.day + 1, stopDay: null,
    };
  });
  A.apiRate = kind === 'api_driven' ? g.u(30, 250) : 0;
  // healthy rhythms
  if (kind === 'shutdown') {
    let s = g.int(40, Math.min(90, DAYS - 20));
    while (isWeekend(s)) s += 1;
    A.shutdown = [s, s + g.int(8, 12)];
    A.shutdownStopsWorkflows = g.chance(0.5);
  }
  if (kind === 'month_end') { A.peakDays = g.int(3, 4); A.peakMult = g.u(2.5, 3); }
  // at-risk changes from the onset
  const o = A.onset;
  const plain = A.users.filter((u) => !u.stakeholder);
  if (kind === 'decline_5pct') {
    for (const u of plain) if (g.chance(0.85)) u.quitDay = o + 7 * Math.ceil(Math.log(1 - g.r()) / Math.log(0.97)) + g.int(0, 6);
    for (const w of A.workflows) if (g.chance(0.7)) w.stopDay = o + g.int(7, DAYS - o);
  } else if (kind === 'unit_leaves') {
    // one or two whole teams, ~20–30 % of the users (the named stakeholders stay)
    const size = (ts) => plain.filter((u) => ts.includes(u.team)).length / n;
    const options = teamNames.flatMap((t, i) => [[t], ...teamNames.slice(i + 1).map((t2) => [t, t2])]).filter((ts) => size(ts) > 0);
    const leaving = options.sort((a, b) => Math.abs(size(a) - 0.25) - Math.abs(size(b) - 0.25) || a.length - b.length)[0];
    const leavers = plain.filter((u) => leaving.includes(u.team));
    // a team too big for a business unit: one department of it leaves
    for (const u of leavers.slice(0, size(leaving) > 0.32 ? Math.max(1, Math.round(0.25 * n)) : leavers.length)) u.quitDay = o;
  } else if (kind === 'sudden_drop') {
    const share = g.u(0.5, 0.8);
    for (const u of g.shuffle(plain).slice(0, Math.round(share * n))) u.quitDay = o;
  } else if (kind === 'goes_dark') {
    A.darkAt = localAt(A, o, 0);
  }
  for (const w of A.workflows) if (w.owner.quitDay !== null && w.owner.quitDay !== undefined && kind !== 'decline_5pct') w.stopDay = w.owner.quitDay;
  // new rhythms: after everything above, from streams of their own
  if (RHYTHMS2) R2.plan(A);
  if (SEASONS_ALL) R2.planSeasons(A);
  return A;
}

// ---------- renewal outcome (a stream of its own: nothing else moves) ----------
// churn / downgrade chances at renewal once the decline has weighed on it; healthy accounts and
// declines that start after the renewal or < 14 days before it get the base rates
const BASE_ODDS = { churn: 0.05, downgrade: 0.08 };
const RISK_ODDS = {
  decline_5pct: { churn: 0.4, downgrade: 0.35 }, unit_leaves: { churn: 0.15, downgrade: 0.55 },
  sudden_drop: { churn: 0.45, downgrade: 0.3 }, goes_dark: { churn: 0.8, downgrade: 0.1 }, ticket_storm: { churn: 0.25, downgrade: 0.3 },
};
const REASONS = { decline_5pct: 'low adoption', unit_leaves: 'business unit left', sudden_drop: 'low adoption', goes_dark: 'no longer used', ticket_storm: 'product quality' };
/** Half the accounts renew inside the window (day 90 or later); draws the outcome and stops a churned account from the renewal day on. */
function planOutcome(A) {
  const g = rng('outcome', A.index);
  A.items = [{ item_id: 'plan', name: `${A.segment.toLowerCase()} plan`, kind: 'PLAN', arr: A.arr, seats: A.seats, renewal_date: null, ended: false }];
  if (g.chance(0.5)) {
    const addOn = Math.round(A.arr * g.u(0.1, 0.25) / 100) * 100;
    A.items[0].arr = A.arr - addOn;
    A.items.push({ item_id: 'analytics-pack', name: 'Analytics pack', kind: 'ADD_ON', arr: addOn, seats: null, renewal_date: null, ended: false });
  }
  A.renewalDay = null;
  A.outcome = null;
  if (DAYS <= 91 || !g.chance(0.5)) return;
  let day = g.int(90, DAYS - 1);
  while (day < DAYS - 1 && !isWorkday(A, day)) day += 1;
  A.renewalDay = day;
  const lead = A.onset === null ? -1 : day - A.onset;
  const w = Math.min(1, Math.max(0, (lead - 14) / 76));
  const risk = RISK_ODDS[A.kind] ?? BASE_ODDS;
  const churn = BASE_ODDS.churn + (risk.churn - BASE_ODDS.churn) * w;
  const downgrade = BASE_ODDS.downgrade + (risk.downgrade - BASE_ODDS.downgrade) * w;
  const x = g.r();
  A.outcome = { kind: x < churn ? 'CHURNED' : x < churn + downgrade ? 'DOWNGRADED' : 'RENEWED', at: localAt(A, day, g.u(9.5, 16.5)), cut: g.u(0.2, 0.4), reason: REASONS[A.kind] ?? g.pick(['budget', 'acquired', 'competitor']) };
  if (A.outcome.kind === 'CHURNED') A.darkAt = Math.min(A.darkAt ?? Infinity, START + day * DAY);
}
/** The outcome event (kept even though a churned account is silent from that day on); returns its label. */
function emitOutcome(A, currency) {
  const o = A.outcome;
  if (o === null) return null;
  const base = { event_id: `ho-${SEED}-o${A.index}`, account_id: A.id, occurred_at: o.at, arr: null, currency: null, contracted_seats: null, renewal_date: null, segment: null, stakeholder_user_id: null, stakeholder_role: null, milestone_id: null, milestone_name: null, milestone_due_date: null, nps_score: null, properties: {} };
  const next = START + (A.renewalDay + 365) * DAY;
  let lost = 0;
  let rec;
  if (o.kind === 'CHURNED') {
    lost = A.arr;
    rec = { ...base, event_type: 'CONTRACT_CHURNED', arr_lost: A.arr, seats_lost: A.seats, outcome_reason: o.reason, contract_items: A.items.map((l) => ({ ...l, ended: true })) };
  } else if (o.kind === 'DOWNGRADED') {
    let items;
    let seats = A.seats;
    if (A.items.length > 1) {
      lost = A.items[1].arr;
      items = [A.items[0], { ...A.items[1], ended: true }];
    } else {
      seats = Math.max(1, Math.round(A.seats * (1 - o.cut)));
      const planArr = Math.round(A.arr * seats / A.seats / 100) * 100;
      lost = A.arr - planArr;
      items = [{ ...A.items[0], arr: planArr, seats }];
    }
    rec = { ...base, event_type: 'CONTRACT_DOWNGRADED', arr: A.arr - lost, currency, contracted_seats: seats, renewal_date: next, segment: A.segment, arr_lost: lost, seats_lost: A.seats - seats, outcome_reason: o.reason, contract_items: items };
  } else {
    rec = { ...base, event_type: 'CONTRACT_RENEWED', arr: A.arr, currency, contracted_seats: A.seats, renewal_date: next, segment: A.segment, contract_items: A.items };
  }
  out.account.push({ at: rec.occurred_at, seq: (seq += 1), rec });
  return { kind: o.kind, at: new Date(o.at).toISOString(), arr_before: A.arr, arr_lost: lost };
}

// ---------- behaviour ----------
/** Account-wide activity multiplier on day d (holidays, shutdown, month-end rhythm). */
function dayFactor(A, d) {
  let f = A.holidays.has(d) ? 0.3 : 1;
  if (A.shutdown && d >= A.shutdown[0] && d < A.shutdown[1]) f *= 0.03;
  if (A.kind === 'month_end') f *= isMonthEndPeak(A, d, A.peakDays) ? A.peakMult : 0.35;
  if (A.r2) f *= R2.accountFactor(A, d);
  return f;
}
function activeProbability(A, u, d) {
  if (u.quitDay !== null && d >= u.quitDay) return 0;
  if (d >= u.vacFrom && d < u.vacTo) return 0;
  let p = (userRests(A, u, d) ? u.p * u.weekend : u.p) * dayFactor(A, d);
  if (A.r2) p *= R2.userFactor(A, u, d);
  if (u.weekMult) p *= u.weekMult[Math.floor(d / 7)];
  if (A.kind === 'decline_5pct' && d >= A.onset) p *= 0.95 ** ((d - A.onset) / 7);
  return Math.min(p, 0.98);
}
function session(A, g, u, d) {
  let t = u.startHour + 0.6 * g.normal();
  t = Math.max(u.earliest ?? 6, Math.min(u.latest ?? 20, t));
  usage(A, localAt(A, d, t), u, 'LOGIN', { properties: { client: g.weighted([['web', 7], ['desktop', 2], ['mobile', 1]]) } });
  const uses = u.exec ? g.int(0, 1) : u.role === 'CHAMPION' ? g.int(2, 6) : g.int(1, 4);
  for (let k = 0; k < uses; k += 1) {
    t += g.u(0.05, 1.5);
    const feature = g.chance(0.85) ? g.pick(u.favourites) : g.pick(A.features);
    usage(A, localAt(A, d, Math.min(t, u.lastUse ?? 23.5)), u, 'FEATURE_USED', { feature_id: feature });
  }
  if (g.chance(u.exec ? 0.7 : 0.2)) usage(A, localAt(A, d, Math.min(t + g.u(0.05, 1), u.lastUse ?? 23.5)), u, 'REPORT_VIEWED', { properties: { report: g.pick(['weekly-summary', 'pipeline', 'team-activity', 'roi']) } });
  if (!u.exec && g.chance(0.2)) {
    const t2 = Math.min(t + g.u(2, 5), u.secondLogin ?? 22);
    usage(A, localAt(A, d, t2), u, 'LOGIN', { properties: { client: 'web' } });
    for (let k = g.int(1, 2); k > 0; k -= 1) usage(A, localAt(A, d, Math.min(t2 + g.u(0.05, 1), u.lastUse ?? 23.5)), u, 'FEATURE_USED', { feature_id: g.pick(u.favourites) });
  }
}
function simulateUsage(A) {
  const g = rng('usage', A.index);
  for (const i of A.integrations) usage(A, localAt(A, i.day, g.u(9, 17)), i.owner, 'INTEGRATION_CONNECTED', { integration_id: i.id });
  for (let d = 0; d < DAYS; d += 1) {
    for (const u of A.users) if (g.chance(activeProbability(A, u, d))) session(A, g, u, d);
    const inShutdown = A.shutdown && d >= A.shutdown[0] && d < A.shutdown[1];
    for (const w of A.workflows) {
      if (d < w.startDay || (w.stopDay !== null && d >= w.stopDay) || (restDay(A, d) && !w.weekends) || (inShutdown && A.shutdownStopsWorkflows)) continue;
      for (let k = 0; k < w.perDay; k += 1) {
        const at = localAt(A, d, (w.hour + 4 * k + g.u(-0.15, 0.15) + 24) % 24);
        usage(A, at, w.owner, 'WORKFLOW_RUN', { workflow_id: w.id, integration_id: w.integration.id, properties: { status: g.chance(0.03) ? 'failed' : 'succeeded' } });
      }
    }
    if (A.apiRate > 0) {
      const rate = A.apiShift ? A.apiRate + R2.extraApiCalls(A, d) : A.apiRate;
      const calls = Math.round(rate * g.u(0.7, 1.3) * (restDay(A, d) ? 0.15 : A.holidays.has(d) ? 0.6 : 1));
      for (let k = 0; k < calls; k += 1) {
        const hour = g.chance(0.85) ? g.u(6, 20) : g.u(0, 24);
        usage(A, localAt(A, d, hour), A.service, 'API_CALL', { integration_id: g.pick(A.integrations).id, quantity: g.int(1, 50), properties: { endpoint: g.pick(['/v2/records', '/v2/sync', '/v2/search', '/v2/export']) } });
      }
    }
  }
}
function simulateRelationship(A) {
  const g = rng('relationship', A.index);
  const after = END + g.int(150, 400) * DAY;
  const renewal = A.renewalDay === null ? after : START + A.renewalDay * DAY;
  A.currency = g.pick(['EUR', 'USD']);
  account(A, START, 'CONTRACT_SIGNED', { arr: A.arr, currency: A.currency, contracted_seats: A.seats, renewal_date: renewal, segment: A.segment, contract_items: A.items });
  A.users.filter((u) => u.stakeholder).forEach((u, i) => account(A, START + (i + 1) * 1000, 'STAKEHOLDER_ASSIGNED', { stakeholder_user_id: u.id, stakeholder_role: u.role }));
  // milestones: set early, achieved on time while healthy
  const count = g.int(2, 4);
  g.shuffle(MILESTONES).slice(0, count).forEach((name, i) => {
    const m = { milestone_id: `${A.id}-m${i + 1}`, milestone_name: name };
    const setDay = g.int(0, 7);
    const dueDay = setDay + g.int(21, 110);
    account(A, localAt(A, setDay, g.u(9, 17)), 'MILESTONE_SET', { ...m, milestone_due_date: START + dueDay * DAY });
    const doneDay = Math.max(setDay + 3, dueDay - g.int(0, 10));
    const late = A.onset !== null && A.kind !== 'ticket_storm' && doneDay >= A.onset;
    if (!late) account(A, localAt(A, doneDay, g.u(9, 17)), 'MILESTONE_ACHIEVED', m);
    else if (A.kind === 'decline_5pct') account(A, localAt(A, dueDay + g.int(1, 5), g.u(9, 17)), 'MILESTONE_MISSED', m);
    else if (A.kind !== 'goes_dark' && g.chance(0.5)) account(A, localAt(A, dueDay + g.int(3, 20), g.u(9, 17)), 'MILESTONE_ACHIEVED', m);
  });
  // NPS: promoters and passives, once or twice (before the onset when at risk)
  const answerers = A.users.filter((u) => u.stakeholder);
  for (let k = g.int(1, 2); k > 0; k -= 1) {
    const u = g.pick(answerers);
    account(A, localAt(A, g.int(14, (A.onset ?? DAYS) - 1), g.u(9, 18)), 'NPS_RESPONSE', { stakeholder_user_id: u.id, nps_score: g.weighted([[7, 15], [8, 25], [9, 30], [10, 30]]) });
  }
}
/**
 * --survey-waves: an NPS survey to everyone every ~30 working days (day 20 on), each person
 * answering with chance 0.35. Healthy accounts answer like B2B customers do: stakeholders 7–10,
 * everyone else a mix with about one detractor in five. After an at-risk onset everyone's
 * detractor share rises (stakeholders to 0.3, users to 0.5). An own PRNG stream: every other
 * event is what the same seed gives without the option.
 */
function simulateSurveyWaves(A) {
  const g = rng('survey-waves', A.index);
  for (let wave = g.int(20, 35); wave < DAYS; wave += g.int(25, 40)) {
    for (const u of A.users) {
      if (!g.chance(0.35)) continue;
      const d = wave + g.int(0, 4);
      const soured = A.onset !== null && d >= A.onset;
      const detractorShare = soured ? (u.stakeholder ? 0.3 : 0.5) : u.stakeholder ? 0 : 0.2;
      const score = g.chance(detractorShare) ? g.weighted([[1, 1], [3, 2], [4, 3], [5, 5], [6, 6]]) : g.weighted([[7, 4], [8, 6], [9, 6], [10, 5]]);
      account(A, localAt(A, d, g.u(9, 18)), 'NPS_RESPONSE', { stakeholder_user_id: u.id, nps_score: score, properties: { survey: `wave-${wave}` } });
    }
  }
}
function ticket(A, g, d, hour, t) {
  const opened = localAt(A, d, hour);
  support(A, opened, t, 'TICKET_OPENED');
  if (t.escalate) support(A, opened + Math.round(g.u(1, 12) * HOUR), t, 'TICKET_ESCALATED');
  if (!g.chance(t.resolveShare)) return;
  const resolved = opened + Math.round(g.u(t.resolveHours[0], t.resolveHours[1]) * HOUR);
  support(A, resolved, t, 'TICKET_RESOLVED');
  if (g.chance(t.csatShare)) support(A, resolved + Math.round(g.u(1, 48) * HOUR), t, 'CSAT_SUBMITTED', { csat_score: t.csat() });
}
function simulateSupport(A) {
  const g = rng('support', A.index);
  const perDay = ((1 + A.users.length / 25) / 120) * TICKET_RATE;
  let n = 0;
  for (let d = 0; d < DAYS; d += 1) {
    const inShutdown = A.shutdown && d >= A.shutdown[0] && d < A.shutdown[1];
    if (!isWorkday(A, d) || inShutdown) continue;
    // Poisson tickets per working day (at most one a day while the rate is under one a day, as before)
    const mean = perDay * 7 / 5;
    let today = 0;
    if (mean < 1) today = g.chance(mean) ? 1 : 0;
    else for (let left = Math.exp(-mean), p = left, u = g.r(); u > p && today < 50; today += 1) { left *= mean / (today + 1); p += left; }
    for (let k = 0; k < today; k += 1) {
      const t = {
        id: `${A.id}-T${(n += 1)}`, priority: g.weighted([['LOW', 4], ['NORMAL', 6]]), feature: g.chance(0.8) ? g.pick(A.features) : null,
        category: g.pick(['how-to', 'bug', 'billing', 'access', 'integration']), user: g.pick(A.users), escalate: false,
        resolveShare: 0.95, resolveHours: [2, 120], csatShare: 0.35, csat: () => g.weighted([[3, 2], [4, 4], [5, 4]]),
      };
      ticket(A, g, d, g.u(8.5, 17.5), t);
    }
  }
  if (A.kind === 'ticket_storm') {
    const feature = A.features[g.int(0, Math.min(3, A.features.length - 1))];
    for (let k = g.int(6, 12); k > 0; k -= 1) {
      const t = {
        id: `${A.id}-T${(n += 1)}`, priority: g.weighted([['HIGH', 6], ['URGENT', 4]]), feature, category: 'bug', user: g.pick(A.users),
        escalate: g.chance(0.5), resolveShare: 0.7, resolveHours: [48, 168], csatShare: 0.6, csat: () => g.int(1, 2),
      };
      ticket(A, g, A.onset + g.int(0, 2), g.u(8, 19), t);
    }
    const u = g.pick(A.users.filter((x) => x.role === 'EXECUTIVE_SPONSOR' || x.role === 'CHAMPION'));
    account(A, localAt(A, A.onset + g.int(2, 8), g.u(9, 18)), 'NPS_RESPONSE', { stakeholder_user_id: u.id, nps_score: g.int(0, 5), properties: { comment: 'stability' } });
  }
}

// ---------- generate ----------
const labels = [];
for (let i = 0; i < ACCOUNTS; i += 1) {
  const A = planAccount(i);
  planOutcome(A);
  simulateRelationship(A);
  simulateUsage(A);
  simulateSupport(A);
  if (SURVEY_WAVES) simulateSurveyWaves(A);
  const outcome = emitOutcome(A, A.currency);
  labels.push({
    account_id: A.id, archetype: A.kind, at_risk: !A.healthy, onset_day: A.onset,
    onset_at: A.onset === null ? null : START + A.onset * DAY, expected_signals: A.healthy ? [] : AT_RISK[A.kind], outcome,
  });
}

// ---------- delivery order: sorted by event time, then late and duplicate usage events ----------
const byTime = (a, b) => a.at - b.at || a.seq - b.seq;
for (const s of Object.values(out)) s.sort(byTime);
const lateRng = rng('late');
const dupRng = rng('duplicate');
let late = 0;
let dups = 0;
const usageOut = [];
for (const e of out.usage) {
  // always two draws per stream and event: the late choice never shifts the duplicate choice
  const [isLate, delay] = [lateRng.chance(LATE), lateRng.u(0, LATE_MAX_H) * HOUR];
  const [isDup, gap] = [dupRng.chance(DUP), dupRng.u(1 / 60, 24) * HOUR];
  const key = isLate ? e.at + Math.round(delay) : e.at;
  late += isLate ? 1 : 0;
  usageOut.push({ at: key, seq: e.seq, rec: e.rec });
  if (isDup) { dups += 1; usageOut.push({ at: key + Math.round(gap), seq: e.seq + 0.5, rec: e.rec }); }
}
usageOut.sort(byTime);

mkdirSync(opt.out, { recursive: true });
function writeLines(file, rows) {
  const fd = openSync(join(opt.out, file), 'w');
  for (let i = 0; i < rows.length; i += 5000) writeSync(fd, rows.slice(i, i + 5000).map((r) => `${JSON.stringify(r)}\n`).join(''));
  closeSync(fd);
  return rows.length;
}
const summary = [
  `usage.events.v1.jsonl: ${writeLines('usage.events.v1.jsonl', usageOut.map((e) => e.rec))} records (${late} delivered late, ${dups} duplicates)`,
  `support.events.v1.jsonl: ${writeLines('support.events.v1.jsonl', out.support.map((e) => e.rec))} records`,
  `account.events.v1.jsonl: ${writeLines('account.events.v1.jsonl', out.account.map((e) => e.rec))} records`,
  `labels.jsonl: ${writeLines('labels.jsonl', labels)} accounts (${labels.filter((l) => l.at_risk).length} at risk; renewals inside: ${['RENEWED', 'DOWNGRADED', 'CHURNED'].map((k) => `${labels.filter((l) => l.outcome?.kind === k).length} ${k.toLowerCase()}`).join(', ')}), ${new Date(START).toISOString().slice(0, 10)} .. ${new Date(END).toISOString().slice(0, 10)}`,
];
process.stderr.write(`${summary.join('\n')}\n`);
