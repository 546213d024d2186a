import { TOPICS, type AccountEvent, type SupportEvent, type UsageEvent } from '@valuepulse/contracts';
import type { StoreEvent } from '@valuepulse/state';

/** The store event for a decoded record of one of the three input topics (names without prefix). */
export function toStoreEvent(baseTopic: string, value: unknown): StoreEvent {
  switch (baseTopic) {
    case TOPICS.usageEvents:
      return { kind: 'usage', event: value as UsageEvent };
    case TOPICS.supportEvents:
      return { kind: 'support', event: value as SupportEvent };
    case TOPICS.accountEvents:
      return { kind: 'account', event: value as AccountEvent };
    default:
      throw new Error(`health-scorer does not consume ${baseTopic}`);
  }
}
