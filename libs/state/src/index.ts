export { createRedis, type RedisClientOptions } from './create-redis.js';
export type { Redis, ChainableCommander } from 'ioredis';
