export { createRedis, redisConnected, redisEndpointFromUrl, type ConnectionLogger, type RedisClient, type RedisClientOptions } from './create-redis.js';
/** The client type of this package (single node or cluster); the old name of {@link RedisClient}. */
export type { RedisClient as Redis } from './create-redis.js';
export type { ChainableCommander } from 'ioredis';
export { checkRedis } from './check-redis.js';
export { deleteKeys, scanKeys } from './scan-keys.js';
export {
  createAccountStore,
  type AccountStore,
  type AccountApplyResult,
  type ApplySource,
  type PartitionMove,
  type ApplyResult,
  type Evaluation,
} from './account-store.js';
export type { AccountStoreOptions } from './store-options.js';
export { DEFAULT_RETENTION_DAYS } from './store-options.js';
export type { StoreEvent } from './store-event.js';
export type { DueAccount, DueIndex } from './due-index.js';
export type { MemoryByKey, MemoryUsage } from './memory-usage.js';
export { accountKeys, dedupKey, dueKey, type AccountKeys } from './keys.js';
export { createAccountLocks, type AccountLocks } from './account-lock.js';
export type { LockedState } from './lock-and-read.js';
export { createWatermark, type Watermark, type WatermarkSource } from './watermark.js';
export { createMemoryAccount, type MemoryAccount } from './memory-account.js';
export { createMemoryReplay, replayInMemory, REPLAY_STEP_MS, type MemoryReplay, type ReplayOptions, type ReplayResult } from './memory-replay.js';
export { readAccountRouting, type AccountRouting } from './account-owner.js';
