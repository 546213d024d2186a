import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './create-redis.js';

type Arg = string | number;

/** A Lua script registered on a client: run it alone or queue it in a pipeline. */
export interface LuaCommand {
  run(keys: readonly string[], args: readonly Arg[]): Promise<unknown>;
  queue(pipeline: ChainableCommander, keys: readonly string[], args: readonly Arg[]): void;
}

/**
 * Registers `lua` on `redis` as command `name` (ioredis `defineCommand`:
 * EVALSHA, falling back to EVAL once per connection when the server lacks the
 * script, pipelines included). Registering the same name again on the same
 * client is a no-op, so several stores may share one client.
 */
export function defineLuaCommand(redis: RedisClient, name: string, numberOfKeys: number, lua: string): LuaCommand {
  if (!(name in redis)) redis.defineCommand(name, { lua, numberOfKeys });
  // defineCommand adds methods ioredis' types cannot know about
  const call = (target: object, keys: readonly string[], args: readonly Arg[]): unknown =>
    (target as Record<string, (...a: Arg[]) => unknown>)[name]?.(...keys, ...args);
  return {
    run: (keys, args) => call(redis, keys, args) as Promise<unknown>,
    queue: (pipeline, keys, args) => {
      call(pipeline, keys, args);
    },
  };
}
