import { TOPICS, type AccountEvent, type HealthAlert, type UsageEvent } from '@valuepulse/contracts';
import type { Producer } from '@valuepulse/kafka';
import type { Sandbox } from '../common/sandbox.js';

const DAY_MS = 86_400_000;
// older than the scorer's 28-day onboarding grace, so the account is judged in full
const PROBE_HISTORY_DAYS = 60;

/**
 * Probe accounts: each has a contract, one champion and a recent login, all
 * produced before anything is measured. A probe is the STAKEHOLDER_LEFT of
 * that only champion, stamped with its produce time: the scorer's next
 * evaluation of the account turns champion_left to `breached` (dwell 0 days,
 * no onboarding grace, a cool-down per account and signal that a fresh
 * account has not started) and emits exactly one champion_left alert for it,
 * so each alert is attributed to one probe by its key.
 */
export function probeAccountIds(phase: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `probe-${phase}-${String(i + 1).padStart(4, '0')}`);
}

const champion = (accountId: string) => `${accountId}-champion`;

const accountEvent = (fields: Pick<AccountEvent, 'event_id' | 'account_id' | 'occurred_at' | 'event_type'> & Partial<AccountEvent>): AccountEvent => ({
  arr: null, currency: null, contracted_seats: null, renewal_date: null, segment: null, stakeholder_user_id: null, stakeholder_role: null,
  milestone_id: null, milestone_name: null, milestone_due_date: null, nps_score: null, owner: null, arr_lost: null, seats_lost: null, outcome_reason: null, contract_items: null, properties: {},
  ...fields,
});

/** The setup of every probe account: contract (one seat: fully used), champion, a login an hour ago. */
export function probeSetupEvents(accountIds: readonly string[], now: number): { account: AccountEvent[]; usage: UsageEvent[] } {
  const signedAt = Math.floor(now / DAY_MS) * DAY_MS - PROBE_HISTORY_DAYS * DAY_MS + 9 * 3_600_000;
  const account: AccountEvent[] = [];
  const usage: UsageEvent[] = [];
  for (const id of accountIds) {
    account.push(accountEvent({
      event_id: `${id}:signed`, account_id: id, occurred_at: signedAt, event_type: 'CONTRACT_SIGNED',
      arr: 12_000, currency: 'EUR', contracted_seats: 1, renewal_date: Math.floor(now / DAY_MS) * DAY_MS + 300 * DAY_MS, segment: 'MID_MARKET',
    }));
    account.push(accountEvent({ event_id: `${id}:champion`, account_id: id, occurred_at: signedAt + 60_000, event_type: 'STAKEHOLDER_ASSIGNED', stakeholder_user_id: champion(id), stakeholder_role: 'CHAMPION' }));
    usage.push({
      event_id: `${id}:login`, account_id: id, occurred_at: now - 3_600_000, user_id: champion(id), event_type: 'LOGIN',
      feature_id: null, workflow_id: null, integration_id: null, team: null, user_role: 'CHAMPION', product_line: null, quantity: 1, properties: {},
    });
  }
  return { account, usage };
}

/** One probe sent: its account and when it was produced (also its Kafka timestamp), epoch ms. */
export interface Probe {
  accountId: string;
  producedAt: number;
  ackedAt: number;
  /** Input records not yet committed by the scorer when the probe went out (its last reading). */
  backlog: number;
}

/** Sends probes, one at a time, from a producer of their own (never queued behind the scenario's sends). */
export function createProbeSender(sandbox: Sandbox) {
  const producer: Producer = sandbox.kafka.producer({ idempotent: true });
  const topic = sandbox.topic(TOPICS.accountEvents);
  const sent: Probe[] = [];
  return {
    sent,
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    async send(accountId: string, backlog: number): Promise<Probe> {
      const producedAt = Date.now();
      const value = await sandbox.codec.encode(topic, accountEvent({
        event_id: `${accountId}:left`, account_id: accountId, occurred_at: producedAt, event_type: 'STAKEHOLDER_LEFT',
        stakeholder_user_id: champion(accountId), stakeholder_role: 'CHAMPION',
      }));
      await producer.send({ topic, acks: -1, messages: [{ key: accountId, value, timestamp: String(producedAt) }] });
      const probe = { accountId, producedAt, ackedAt: Date.now(), backlog };
      sent.push(probe);
      return probe;
    },
  };
}

/** The champion_left alert of a probe account as it arrived on the alerts topic. */
export interface ProbeAlert {
  /** The alert record's Kafka timestamp (set by the scorer's producer), epoch ms. */
  timestamp: number;
  /** When this watcher's consumer handed it over, epoch ms. */
  consumedAt: number;
}

/**
 * Reads the alerts topic from the beginning with a group of its own and keeps,
 * per probe account, the first champion_left alert into `breached`.
 */
export async function watchProbeAlerts(sandbox: Sandbox, probeAccounts: ReadonlySet<string>) {
  const topic = sandbox.topic(TOPICS.healthAlerts);
  const alerts = new Map<string, ProbeAlert>();
  let others = 0;
  const consumer = sandbox.kafka.consumer({ groupId: sandbox.group('vp_bench_alerts'), maxWaitTimeInMs: 100 });
  const stopped = sandbox.whileRunning(() => consumer.disconnect());
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const consumedAt = Date.now();
        const key = m.key?.toString('utf8') ?? '';
        if (!probeAccounts.has(key) || alerts.has(key)) {
          others += 1;
          continue;
        }
        const decoded = await sandbox.codec.decode<HealthAlert>(topic, m.value);
        if (decoded.ok && decoded.value.signal === 'champion_left' && decoded.value.to_state === 'breached') alerts.set(key, { timestamp: Number(m.timestamp), consumedAt });
        else others += 1;
      }
    },
  });
  return {
    alerts,
    /** Alerts that are not a probe's champion_left (the scenario's, the probe accounts' setup). */
    others: () => others,
    async stop() {
      await consumer.disconnect();
      stopped();
    },
  };
}
