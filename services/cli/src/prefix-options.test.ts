import { describe, expect, it } from 'vitest';
import { keyPrefix, topicPrefix } from './prefix-options.js';

describe('topicPrefix', () => {
  it.each([
    [{ 'topic-prefix': 'a.' }, {}, 'a.'],
    [{ prefix: 'b.' }, {}, 'b.'],
    [{ 'topic-prefix': 'a.', prefix: 'a.' }, {}, 'a.'],
    [{ 'topic-prefix': 'a.' }, { TOPIC_PREFIX: 'e.' }, 'a.'],
    [{ prefix: 'b.' }, { TOPIC_PREFIX: 'e.' }, 'b.'],
    [{}, { TOPIC_PREFIX: 'e.' }, 'e.'],
    [{}, {}, ''],
    [{ 'topic-prefix': '' }, { TOPIC_PREFIX: 'e.' }, ''],
  ])('%j with env %j → %j', (values, env, expected) => {
    expect(topicPrefix(values, env)).toBe(expected);
  });

  it('refuses --topic-prefix and its alias --prefix when they disagree, as a usage error', () => {
    expect(() => topicPrefix({ 'topic-prefix': 'a.', prefix: 'b.' }, {})).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('disagree') }));
  });
});

describe('keyPrefix', () => {
  it('takes --key-prefix, else REDIS_KEY_PREFIX, else the services’ default vp:', () => {
    expect(keyPrefix({ 'key-prefix': 'k:' }, { REDIS_KEY_PREFIX: 'e:' })).toBe('k:');
    expect(keyPrefix({}, { REDIS_KEY_PREFIX: 'e:' })).toBe('e:');
    expect(keyPrefix({}, {})).toBe('vp:');
  });
});
