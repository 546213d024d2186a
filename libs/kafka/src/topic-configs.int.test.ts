import { kafkaConnection } from '@valuepulse/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { createKafka, createTopics, deleteTopics, describeTopicConfigs, updateTopicConfigs, type Admin } from './index.js';

describe('topic configs against the real broker', () => {
  const topic = uniqueName('vp_test_configs');
  let admin: Admin;

  beforeAll(async () => {
    admin = createKafka({ ...kafkaConnection(stackEndpoints()), clientId: 'valuepulse-int-test' }).admin();
    await admin.connect();
    await createTopics(admin, [
      { topic, numPartitions: 1, configEntries: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '3600000' } },
    ]);
  });

  afterAll(async () => {
    await deleteTopics(admin, [topic]);
    await admin.disconnect();
  });

  it('describes overrides and inherited values alike, telling them apart', async () => {
    const configs = (await describeTopicConfigs(admin, [topic])).get(topic);
    expect(configs?.get('cleanup.policy')).toEqual({ name: 'cleanup.policy', value: 'compact', override: true });
    expect(configs?.get('retention.ms')).toMatchObject({ override: false, value: expect.stringMatching(/^-?\d+$/) });
  });

  it('updates one config and keeps the topic’s other overrides', async () => {
    await updateTopicConfigs(admin, topic, { 'retention.ms': '86400000' });
    const configs = (await describeTopicConfigs(admin, [topic])).get(topic);
    const overrides = Object.fromEntries([...(configs?.values() ?? [])].filter((e) => e.override).map((e) => [e.name, e.value]));
    expect(overrides).toEqual({ 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '3600000', 'retention.ms': '86400000' });
  });

  it('returns nothing for no topics, and throws for a topic that does not exist', async () => {
    expect((await describeTopicConfigs(admin, [])).size).toBe(0);
    await expect(describeTopicConfigs(admin, [uniqueName('vp_test_missing')])).rejects.toThrow();
  });
});
