import { describe, expect, it } from 'vitest';
import { alertId } from './alert-id.js';

describe('alertId', () => {
  it('is 32 lowercase hex characters', () => {
    expect(alertId('acct-1', 'login_drop', 'ok>breached', 20_414)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is deterministic: same inputs, same id, across calls', () => {
    const ids = Array.from({ length: 5 }, () => alertId('acct-1', 'login_drop', 'ok>breached', 20_414));
    expect(new Set(ids).size).toBe(1);
    // pinned, so a change to the hashing (which would break de-duplication across versions) fails loudly
    // sha256('["acct-1","login_drop","ok>breached",20414]'), first 32 hex digits, as `sha256sum` prints it
    expect(ids[0]).toBe('f1d95f1812dc63b0822fa10dd14e069c');
  });

  it.each([
    ['another account', ['acct-2', 'login_drop', 'ok>breached', 20_414]],
    ['another signal', ['acct-1', 'going_dark', 'ok>breached', 20_414]],
    ['another transition', ['acct-1', 'login_drop', 'breached>ok', 20_414]],
    ['another day', ['acct-1', 'login_drop', 'ok>breached', 20_415]],
  ] as const)('changes with %s', (_name, [account, signal, transition, bucket]) => {
    expect(alertId(account, signal, transition, bucket)).not.toBe(alertId('acct-1', 'login_drop', 'ok>breached', 20_414));
  });

  it('cannot be made to collide by shifting text between the parts', () => {
    expect(alertId('a', 'bc', 'x', 1)).not.toBe(alertId('ab', 'c', 'x', 1));
  });
});
