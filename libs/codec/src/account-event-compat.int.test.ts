import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { afterAll, describe, expect, it } from 'vitest';
import { registryConnection } from '@valuepulse/config';
import { AVRO_RECORDS, validateRecord, type AccountEvent } from '@valuepulse/contracts';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { createCodec, createRegistry, recordContract, registerSchemas, SchemaType, type TopicContract } from './index.js';

// AccountEvent as it was before issue 14 added outcomes and contract items
// (`git show 1f4b050:schemas/avro/account-event.avsc`): what producers and
// readers deployed before that change still use.
const PREVIOUS_AVSC = JSON.parse(readFileSync(new URL('../fixtures/account-event.1f4b050.avsc', import.meta.url), 'utf8')) as TopicContract['avsc'];

const endpoints = stackEndpoints();
const registry = createRegistry(registryConnection(endpoints));
const topic = `${uniqueName('vp_compat')}.account.events.v1`;
const current = recordContract(topic, 'AccountEvent');
// an old reader: the previous schema, no rules beyond Avro
const previous: TopicContract = { topic, subject: current.subject, avsc: PREVIOUS_AVSC, validate: (value) => ({ ok: true, value }) };

const T0 = Date.UTC(2026, 5, 1);
const oldRecord = {
  event_id: 'evt-old-1',
  account_id: 'acct-old',
  occurred_at: T0,
  event_type: 'CONTRACT_RENEWED',
  arr: 120_000,
  currency: 'EUR',
  contracted_seats: 80,
  renewal_date: Date.UTC(2027, 5, 1),
  segment: 'MID_MARKET',
  stakeholder_user_id: null,
  stakeholder_role: null,
  milestone_id: null,
  milestone_name: null,
  milestone_due_date: null,
  nps_score: null,
  owner: 'csm@example.com',
  properties: { source: 'crm' },
};

function churn(): AccountEvent {
  const result = validateRecord('AccountEvent', {
    event_id: 'evt-new-1',
    account_id: 'acct-new',
    occurred_at: T0,
    event_type: 'CONTRACT_CHURNED',
    arr_lost: 120_000,
    seats_lost: 80,
    outcome_reason: 'low adoption',
    contract_items: [
      { item_id: 'plan', name: 'Platform', kind: 'PLAN', arr: 100_000, seats: 80, ended: true },
      { item_id: 'analytics', name: 'Analytics add-on', kind: 'ADD_ON', arr: 20_000, ended: true },
    ],
  });
  if (!result.ok) throw new Error(result.issues.join('; '));
  return result.value;
}

async function deleteSubject(subject: string): Promise<void> {
  await fetch(`${endpoints.schemaRegistryUrl}/subjects/${subject}`, { method: 'DELETE' });
  await fetch(`${endpoints.schemaRegistryUrl}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
}

describe('AccountEvent with outcomes against the previous version (real registry)', () => {
  afterAll(() => deleteSubject(current.subject));

  it('the fixture is the previous version: the current schema only appended fields and symbols', () => {
    const before = PREVIOUS_AVSC as unknown as { fields: { name: string }[] };
    const after = AVRO_RECORDS.AccountEvent.avsc as unknown as { fields: { name: string }[] };
    const added = after.fields.map((f) => f.name).filter((n) => !before.fields.some((f) => f.name === n));
    expect(added).toEqual(['arr_lost', 'seats_lost', 'outcome_reason', 'contract_items']);
  });

  let previousId = 0;
  let currentId = 0;

  it('registers the current schema as a BACKWARD-compatible new version of the previous one', async () => {
    ({ id: previousId } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(PREVIOUS_AVSC) }, { subject: current.subject }));
    const [outcome] = await registerSchemas(registry, [current]);
    expect(outcome).toMatchObject({ subject: current.subject, status: 'registered' });
    currentId = outcome && 'id' in outcome ? outcome.id : -1;
    expect(currentId).not.toBe(previousId);
    expect(await registry.getLatestSchemaId(current.subject)).toBe(currentId);
    const config = await fetch(`${endpoints.schemaRegistryUrl}/config/${current.subject}`).then((r) => r.json() as Promise<{ compatibilityLevel?: string }>);
    expect(config.compatibilityLevel).toBe('BACKWARD');
  });

  it('refuses a version that drops a symbol old writers use (the check is live, not a formality)', async () => {
    const avsc = structuredClone(AVRO_RECORDS.AccountEvent.avsc) as unknown as { fields: { name: string; type: { symbols?: string[] } }[] };
    const eventType = avsc.fields.find((f) => f.name === 'event_type');
    if (!eventType?.type.symbols) throw new Error('event_type is not an enum');
    eventType.type.symbols = eventType.type.symbols.filter((s) => s !== 'CONTRACT_RENEWED');
    delete (eventType.type as { default?: string }).default;
    const [outcome] = await registerSchemas(registry, [{ ...current, avsc: avsc as unknown as TopicContract['avsc'] }]);
    expect(outcome?.status).toBe('incompatible');
  });

  it('a record written with the previous schema decodes with the current one, new fields at their defaults', async () => {
    const payload = await registry.encode(previousId, oldRecord);
    const decoded = await createCodec({ registry, contracts: [current] }).decode<AccountEvent>(topic, payload);
    expect(decoded.ok ? decoded.value : decoded.error.message).toEqual({
      ...oldRecord,
      arr_lost: null,
      seats_lost: null,
      outcome_reason: null,
      contract_items: null,
    });
  });

  it('a CONTRACT_CHURNED written with the current schema reads as UNKNOWN with the previous one', async () => {
    const record = churn();
    const payload = await createCodec({ registry, contracts: [current] }).encode(topic, record);
    expect(payload.readInt32BE(1)).toBe(currentId);

    const decoded = await createCodec({ registry, contracts: [previous] }).decode<Record<string, unknown>>(topic, payload);
    if (!decoded.ok) throw decoded.error;
    expect(decoded.value).toMatchObject({ event_id: 'evt-new-1', account_id: 'acct-new', occurred_at: T0, event_type: 'UNKNOWN' });
    expect(Object.keys(decoded.value)).toEqual((PREVIOUS_AVSC as unknown as { fields: { name: string }[] }).fields.map((f) => f.name));

    // the same through avsc's resolver alone, without the registry
    const oldType = avro.Type.forSchema(PREVIOUS_AVSC as avro.Schema, { omitRecordMethods: true });
    const newType = avro.Type.forSchema(AVRO_RECORDS.AccountEvent.avsc as unknown as avro.Schema, { omitRecordMethods: true });
    const downgraded = { ...record, event_id: 'evt-new-2', event_type: 'CONTRACT_DOWNGRADED', arr: 80_000 };
    const read = oldType.fromBuffer(newType.toBuffer(downgraded), oldType.createResolver(newType)) as Record<string, unknown>;
    expect(read).toMatchObject({ event_id: 'evt-new-2', event_type: 'UNKNOWN', arr: 80_000 });
  });
});
