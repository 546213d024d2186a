import { describe, expect, it } from 'vitest';
import { envUrl } from './env-url.js';

describe('envUrl', () => {
  const http = envUrl();
  const redis = envUrl({ protocols: ['redis:', 'rediss:'] });

  it.each([
    'http://127.0.0.1:8123',
    'https://ch.example.com',
    'http://127.0.0.1:8081/apis/ccompat/v7',
    'HTTP://Example.com/',
  ])('accepts %j for http/https', (raw) => {
    expect(http.parse(raw)).toBe(raw);
  });

  it('returns the value trimmed but not normalised (no trailing slash added)', () => {
    expect(http.parse(' http://127.0.0.1:8123 ')).toBe('http://127.0.0.1:8123');
  });

  it.each(['127.0.0.1:8123', 'ftp://host', 'redis://host:6379', 'http:host', 'http://', 'not a url'])(
    'rejects %j for http/https',
    (raw) => {
      const result = http.safeParse(raw);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('expected a URL starting with http:// or https://');
    },
  );

  it('uses the protocols given', () => {
    expect(redis.parse('redis://127.0.0.1:6380')).toBe('redis://127.0.0.1:6380');
    expect(redis.parse('rediss://:pw@cache:6380/2')).toBe('rediss://:pw@cache:6380/2');
    const result = redis.safeParse('http://127.0.0.1:6380');
    expect(result.error?.issues[0]?.message).toBe('expected a URL starting with redis:// or rediss://');
  });

  it('words three or more protocols as a list', () => {
    const result = envUrl({ protocols: ['http:', 'https:', 'ws:'] }).safeParse('x');
    expect(result.error?.issues[0]?.message).toBe('expected a URL starting with http://, https:// or ws://');
  });
});
