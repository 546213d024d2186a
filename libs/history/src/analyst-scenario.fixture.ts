import { TOPICS, validateRecord, type RecordName } from '@valuepulse/contracts';

/** One record of the scenario, as the codec would hand it to the sink (validated, defaults filled). */
export interface ScenarioRecord {
  topic: string;
  value: Record<string, unknown>;
}

const DAY = 86_400_000;

/**
 * A small, deterministic history for the analyst guide's queries: five
 * accounts over ~60 days before `today` (UTC midnight, epoch ms). Every
 * time sits at noon, and every window a query uses (7, 28, 30 days) has at
 * least two days of margin on both sides, so the answers hold whichever
 * minute of the day the test runs, even across midnight.
 *
 * - acct-green-co: healthy, GREEN, 15 of 20 seats active, one sso ticket with CSAT 5 and one without feature.
 * - acct-decay-inc: adoption depth 64 → 34 over the last 30 days; first alert (login_drop) 38 days ago, tier RED 8 days ago; 8 of 40 seats.
 * - acct-dark-ltd: no activity for 18 days at its latest snapshot (going dark), ORANGE, 3 of 10 seats.
 * - acct-yellow-gmbh: YELLOW, ticket flood on `exports` (6 tickets, 2 escalations, 1 reopening, CSAT 2 and 3), 12 of 30 seats.
 * - acct-new-sa: signed 20 days ago, GREEN, 5 of 5 seats; no snapshot 30 days ago.
 *
 * Renewal outcomes, all of them (and their alerts) more than 84 days back
 * but the outcome events, so that the queries on recent weeks keep their
 * answers:
 * - acct-gone-bv: 24,000 EUR, itemised; first alert health_tier (INFO) 170 days ago, first warning login_drop 160 days ago;
 *   ORANGE at its last snapshot 48 days ago; churned 45 days ago (low adoption); no usage in the last 28 days.
 * - acct-trim-plc: 90,000 EUR (plan 70,000 + analytics add-on 20,000); first warning users_lost 140 days ago;
 *   downgraded 50 days ago (the add-on ended: 20,000 lost); no snapshot.
 * - acct-calm-oy: 15,000 EUR; no alert ever; churned 60 days ago (acquired).
 */
export function analystScenario(today: number): ScenarioRecord[] {
  const at = (daysAgo: number, hour = 12) => today - daysAgo * DAY + hour * 3_600_000;
  const records: ScenarioRecord[] = [];
  const add = (name: RecordName, topic: string, input: Record<string, unknown>) => {
    const result = validateRecord(name, input);
    if (!result.ok) throw new Error(`scenario ${name} invalid: ${result.issues.join('; ')}`);
    records.push({ topic, value: result.value as unknown as Record<string, unknown> });
  };
  let seq = 0;
  const id = (prefix: string) => `${prefix}-${String(++seq).padStart(4, '0')}`;

  // contracts
  const contract = (account: string, daysAgo: number, seats: number, segment: string, type = 'CONTRACT_SIGNED') =>
    add('AccountEvent', TOPICS.accountEvents, {
      event_id: id('acc'),
      account_id: account,
      occurred_at: at(daysAgo),
      event_type: type,
      contracted_seats: seats,
      ...(type === 'SEATS_CHANGED' ? {} : { arr: seats * 1000, currency: 'EUR', segment, renewal_date: today + 200 * DAY }),
    });
  contract('acct-green-co', 200, 20, 'MID_MARKET');
  contract('acct-decay-inc', 300, 50, 'ENTERPRISE');
  contract('acct-decay-inc', 100, 40, 'ENTERPRISE', 'SEATS_CHANGED');
  contract('acct-dark-ltd', 150, 10, 'SMB');
  contract('acct-yellow-gmbh', 400, 30, 'MID_MARKET');
  contract('acct-new-sa', 20, 5, 'SMB');
  // renewal outcomes
  const plan = (arr: number, seats: number, ended = false) => ({ item_id: 'plan', name: 'Business plan', kind: 'PLAN', arr, seats, ended });
  const addOn = (arr: number, ended = false) => ({ item_id: 'analytics', name: 'Analytics add-on', kind: 'ADD_ON', arr, ended });
  const accountEvent = (account: string, daysAgo: number, type: string, fields: Record<string, unknown>) =>
    add('AccountEvent', TOPICS.accountEvents, { event_id: id('acc'), account_id: account, occurred_at: at(daysAgo), event_type: type, ...fields });
  accountEvent('acct-gone-bv', 410, 'CONTRACT_SIGNED', {
    arr: 24_000, currency: 'EUR', contracted_seats: 12, segment: 'SMB', renewal_date: today - 45 * DAY, contract_items: [plan(20_000, 12), addOn(4_000)],
  });
  accountEvent('acct-gone-bv', 45, 'CONTRACT_CHURNED', { arr_lost: 24_000, seats_lost: 12, outcome_reason: 'low adoption', contract_items: [plan(20_000, 12, true), addOn(4_000, true)] });
  accountEvent('acct-trim-plc', 415, 'CONTRACT_SIGNED', {
    arr: 90_000, currency: 'EUR', contracted_seats: 60, segment: 'ENTERPRISE', renewal_date: today - 50 * DAY, contract_items: [plan(70_000, 60), addOn(20_000)],
  });
  accountEvent('acct-trim-plc', 50, 'CONTRACT_DOWNGRADED', {
    arr: 70_000, currency: 'EUR', contracted_seats: 60, segment: 'ENTERPRISE', renewal_date: today + 315 * DAY, arr_lost: 20_000, seats_lost: 0,
    outcome_reason: 'analytics unused', contract_items: [plan(70_000, 60), addOn(20_000, true)],
  });
  accountEvent('acct-calm-oy', 425, 'CONTRACT_SIGNED', { arr: 15_000, currency: 'EUR', contracted_seats: 10, segment: 'MID_MARKET', renewal_date: today - 60 * DAY });
  accountEvent('acct-calm-oy', 60, 'CONTRACT_CHURNED', { arr_lost: 15_000, seats_lost: 10, outcome_reason: 'acquired' });

  add('AccountEvent', TOPICS.accountEvents, {
    event_id: id('acc'),
    account_id: 'acct-green-co',
    occurred_at: at(10),
    event_type: 'NPS_RESPONSE',
    nps_score: 9,
    stakeholder_user_id: 'green-u1',
    properties: { survey: "Q4 'pulse'" },
  });

  // usage: who was active when
  const usage = (account: string, users: number, daysAgo: number, type: string, feature?: (i: number) => string, from = 1) => {
    for (let i = from; i < from + users; i += 1) {
      add('UsageEvent', TOPICS.usageEvents, {
        event_id: id('use'),
        account_id: account,
        occurred_at: at(daysAgo),
        user_id: `${account.slice(5)}-u${i}`,
        event_type: type,
        ...(feature ? { feature_id: feature(i) } : {}),
        team: i % 2 === 0 ? 'finance' : 'ops',
      });
    }
  };
  usage('acct-green-co', 15, 2, 'LOGIN');
  usage('acct-green-co', 15, 3, 'FEATURE_USED', (i) => (i % 2 === 0 ? 'dashboards' : 'reports'));
  usage('acct-green-co', 3, 40, 'LOGIN', undefined, 16);
  usage('acct-decay-inc', 30, 50, 'FEATURE_USED', (i) => `feature-${i % 6}`);
  usage('acct-decay-inc', 8, 4, 'LOGIN');
  usage('acct-dark-ltd', 6, 35, 'LOGIN');
  usage('acct-dark-ltd', 3, 20, 'LOGIN');
  usage('acct-yellow-gmbh', 12, 4, 'FEATURE_USED', () => 'exports');
  usage('acct-new-sa', 5, 1, 'LOGIN');
  usage('acct-new-sa', 5, 1, 'FEATURE_USED', () => 'onboarding');

  // support: a ticket's events all carry its feature
  const ticket = (account: string, ticketId: string, feature: string | null, daysAgo: number, type: string, extra: Record<string, unknown> = {}) =>
    add('SupportEvent', TOPICS.supportEvents, {
      event_id: id('sup'),
      account_id: account,
      occurred_at: at(daysAgo),
      ticket_id: ticketId,
      event_type: type,
      priority: 'NORMAL',
      ...(feature === null ? { category: 'billing' } : { feature_id: feature }),
      ...extra,
    });
  ticket('acct-yellow-gmbh', 'Y-0', 'exports', 45, 'TICKET_OPENED');
  for (let t = 1; t <= 6; t += 1) ticket('acct-yellow-gmbh', `Y-${t}`, 'exports', 13 - t, 'TICKET_OPENED', { priority: 'HIGH' });
  ticket('acct-yellow-gmbh', 'Y-1', 'exports', 9, 'TICKET_ESCALATED');
  ticket('acct-yellow-gmbh', 'Y-2', 'exports', 9, 'TICKET_ESCALATED');
  ticket('acct-yellow-gmbh', 'Y-3', 'exports', 5, 'TICKET_REOPENED');
  ticket('acct-yellow-gmbh', 'Y-1', 'exports', 4, 'CSAT_SUBMITTED', { csat_score: 2 });
  ticket('acct-yellow-gmbh', 'Y-2', 'exports', 4, 'CSAT_SUBMITTED', { csat_score: 3 });
  ticket('acct-yellow-gmbh', 'Y-7', 'sso', 6, 'TICKET_OPENED');
  ticket('acct-green-co', 'G-1', 'sso', 15, 'TICKET_OPENED');
  ticket('acct-green-co', 'G-1', 'sso', 14, 'CSAT_SUBMITTED', { csat_score: 5 });
  ticket('acct-green-co', 'G-2', null, 3, 'TICKET_OPENED');
  ticket('acct-decay-inc', 'K-1', 'reports', 20, 'TICKET_OPENED');
  ticket('acct-decay-inc', 'K-2', 'reports', 20, 'TICKET_OPENED');
  ticket('acct-decay-inc', 'K-1', 'reports', 19, 'TICKET_ESCALATED');

  // snapshots at these days ago; a missing value means no snapshot that day
  const days = [58, 48, 38, 33, 27, 18, 8, 2];
  const series: Record<string, { depth: (number | null)[]; tier: string[]; dark: number[]; seats: number }> = {
    'acct-green-co': { depth: [70, 70, 71, 71, 72, 72, 73, 74], tier: ['GREEN', 'GREEN', 'GREEN', 'GREEN', 'GREEN', 'GREEN', 'GREEN', 'GREEN'], dark: [1, 2, 1, 1, 0, 1, 1, 0], seats: 0.75 },
    'acct-decay-inc': { depth: [68, 66, 65, 64, 55, 48, 40, 34], tier: ['GREEN', 'GREEN', 'GREEN', 'YELLOW', 'YELLOW', 'ORANGE', 'RED', 'RED'], dark: [1, 1, 2, 3, 4, 3, 4, 2], seats: 0.2 },
    'acct-dark-ltd': { depth: [50, 50, 49, 48, 46, 45, 40, 38], tier: ['YELLOW', 'YELLOW', 'YELLOW', 'YELLOW', 'YELLOW', 'YELLOW', 'YELLOW', 'ORANGE'], dark: [3, 5, 3, 0, 7, 0, 12, 18], seats: 0.3 },
    'acct-yellow-gmbh': { depth: [55, 56, 55, 56, 55, 54, 55, 56], tier: ['YELLOW', 'YELLOW', 'YELLOW', 'YELLOW', 'YELLOW', 'YELLOW', 'YELLOW', 'YELLOW'], dark: [0, 1, 0, 0, 1, 0, 2, 0], seats: 0.4 },
    'acct-new-sa': { depth: [null, null, null, null, null, 30, 41, 52], tier: ['', '', '', '', '', 'GREEN', 'GREEN', 'GREEN'], dark: [0, 0, 0, 0, 0, 0, 0, 1], seats: 1 },
  };
  for (const [account, s] of Object.entries(series)) {
    days.forEach((daysAgo, i) => {
      const depth = s.depth[i];
      if (depth === null || depth === undefined) return;
      add('HealthSnapshot', TOPICS.healthSnapshots, {
        account_id: account,
        as_of: at(daysAgo, 6) + 123,
        model_version: 'v1.0.0',
        segment: 'MID_MARKET',
        adoption_depth: depth,
        seat_utilisation: s.seats,
        days_since_activity: s.dark[i],
        health_score: depth + 10,
        tier: s.tier[i],
      });
    });
  }

  // alerts
  const alert = (account: string, daysAgo: number, signal: string, kind: string, severity: string, from: string | null, to: string, evidence: [string, number, string][]) =>
    add('HealthAlert', TOPICS.healthAlerts, {
      alert_id: id('alert'),
      account_id: account,
      signal,
      kind,
      severity,
      from_state: from,
      to_state: to,
      value: evidence[0]?.[1] ?? null,
      evidence: evidence.map(([factor, value, detail]) => ({ factor, value, contribution: null, detail })),
      model_version: 'v1.0.0',
      evaluated_at: at(daysAgo, 6),
      emitted_at: at(daysAgo, 6) + 1_000,
    });
  alert('acct-decay-inc', 38, 'login_drop', 'THRESHOLD_CROSSED', 'WARNING', 'ok', 'breached', [['logins_7d', 10, 'logins in the last 7 days'], ['logins_weekly_baseline', 40, 'weekly average of the 28 days before']]);
  alert('acct-decay-inc', 33, 'health_tier', 'TIER_CHANGED', 'INFO', 'GREEN', 'YELLOW', [['health_score', 72, 'green ≥ 75']]);
  alert('acct-decay-inc', 27, 'seat_utilisation', 'THRESHOLD_CROSSED', 'WARNING', 'ok', 'breached', [['seat_utilisation', 0.2, '8 of 40 seats']]);
  alert('acct-decay-inc', 18, 'health_tier', 'TIER_CHANGED', 'WARNING', 'YELLOW', 'ORANGE', [['health_score', 55, 'yellow ≥ 60']]);
  alert('acct-decay-inc', 8, 'health_tier', 'TIER_CHANGED', 'CRITICAL', 'ORANGE', 'RED', [['health_score', 38, 'orange ≥ 40']]);
  alert('acct-dark-ltd', 6, 'going_dark', 'THRESHOLD_CROSSED', 'CRITICAL', 'ok', 'breached', [['days_since_activity', 14, 'no activity for 14 days']]);
  alert('acct-dark-ltd', 2, 'health_tier', 'TIER_CHANGED', 'WARNING', 'YELLOW', 'ORANGE', [['health_score', 48, 'yellow ≥ 60']]);
  alert('acct-yellow-gmbh', 10, 'ticket_flood', 'THRESHOLD_CROSSED', 'WARNING', 'ok', 'breached', [['tickets_on_feature_7d', 6, 'exports']]);
  alert('acct-yellow-gmbh', 3, 'ticket_flood', 'RECOVERED', 'INFO', 'breached', 'ok', [['tickets_on_feature_7d', 2, 'exports']]);
  alert('acct-gone-bv', 170, 'health_tier', 'TIER_CHANGED', 'INFO', 'GREEN', 'YELLOW', [['health_score', 73, 'green ≥ 75']]);
  alert('acct-gone-bv', 160, 'login_drop', 'THRESHOLD_CROSSED', 'WARNING', 'ok', 'breached', [['logins_7d', 4, 'logins in the last 7 days']]);
  alert('acct-gone-bv', 100, 'going_dark', 'THRESHOLD_CROSSED', 'CRITICAL', 'ok', 'breached', [['days_since_activity', 14, 'no activity for 14 days']]);
  alert('acct-gone-bv', 95, 'health_tier', 'TIER_CHANGED', 'WARNING', 'YELLOW', 'ORANGE', [['health_score', 52, 'yellow ≥ 60']]);
  alert('acct-trim-plc', 140, 'users_lost', 'THRESHOLD_CROSSED', 'WARNING', 'ok', 'breached', [['users_lost', 9, 'of 40 regulars']]);
  alert('acct-trim-plc', 120, 'seat_utilisation', 'THRESHOLD_CROSSED', 'WARNING', 'ok', 'breached', [['seat_utilisation', 0.45, '27 of 60 seats']]);
  alert('acct-trim-plc', 90, 'users_lost', 'RECOVERED', 'INFO', 'breached', 'ok', [['users_lost', 2, 'of 40 regulars']]);
  add('HealthSnapshot', TOPICS.healthSnapshots, {
    account_id: 'acct-gone-bv',
    as_of: at(48, 6) + 123,
    model_version: 'v1.0.0',
    segment: 'SMB',
    adoption_depth: 30,
    seat_utilisation: 0.25,
    days_since_activity: 5,
    health_score: 45,
    tier: 'ORANGE',
  });
  return records;
}

/**
 * One more account whose averages and ratios land exactly on a rounding tie
 * (binary-exact halves), so a query whose rounding differs between
 * ClickHouse releases (18.16 rounds half up, current releases half to even)
 * gives different answers: acct-ties-ag, 5 of 8 seats active (0.625), eight
 * CSAT answers on `billing-export` summing to 13 (1.625), its first alert
 * 1.25 days before tier RED. Times and windows as in {@link analystScenario}.
 */
export function roundingTiesScenario(today: number): ScenarioRecord[] {
  const at = (daysAgo: number, hour = 12) => today - daysAgo * DAY + hour * 3_600_000;
  const account = 'acct-ties-ag';
  const records: ScenarioRecord[] = [];
  let seq = 0;
  const add = (name: RecordName, topic: string, input: Record<string, unknown>) => {
    const result = validateRecord(name, { account_id: account, ...input });
    if (!result.ok) throw new Error(`scenario ${name} invalid: ${result.issues.join('; ')}`);
    records.push({ topic, value: result.value as unknown as Record<string, unknown> });
  };
  const id = (prefix: string) => `tie-${prefix}-${String(++seq).padStart(4, '0')}`;

  add('AccountEvent', TOPICS.accountEvents, {
    event_id: id('acc'),
    occurred_at: at(90),
    event_type: 'CONTRACT_SIGNED',
    contracted_seats: 8,
    arr: 8000,
    currency: 'EUR',
    segment: 'SMB',
    renewal_date: today + 200 * DAY,
  });
  for (let i = 1; i <= 5; i += 1) {
    add('UsageEvent', TOPICS.usageEvents, { event_id: id('use'), occurred_at: at(3), user_id: `ties-u${i}`, event_type: 'LOGIN' });
  }
  [1, 1, 1, 2, 2, 2, 2, 2].forEach((score, t) => {
    const base = { ticket_id: `T-${t}`, priority: 'NORMAL', feature_id: 'billing-export' };
    add('SupportEvent', TOPICS.supportEvents, { ...base, event_id: id('sup'), occurred_at: at(12), event_type: 'TICKET_OPENED' });
    add('SupportEvent', TOPICS.supportEvents, { ...base, event_id: id('sup'), occurred_at: at(10), event_type: 'CSAT_SUBMITTED', csat_score: score });
  });
  const alert = (evaluatedAt: number, signal: string, kind: string, from: string, to: string) =>
    add('HealthAlert', TOPICS.healthAlerts, {
      alert_id: id('alert'),
      signal,
      kind,
      severity: 'CRITICAL',
      from_state: from,
      to_state: to,
      value: 1,
      evidence: [{ factor: 'health_score', value: 1, contribution: null, detail: null }],
      model_version: 'v1.0.0',
      evaluated_at: evaluatedAt,
      emitted_at: evaluatedAt + 1_000,
    });
  alert(at(30, 6), 'login_drop', 'THRESHOLD_CROSSED', 'ok', 'breached');
  alert(at(30, 6) + 30 * 3_600_000, 'health_tier', 'TIER_CHANGED', 'ORANGE', 'RED');
  return records;
}
