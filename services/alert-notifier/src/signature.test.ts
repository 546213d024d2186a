import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './signature.js';

describe('webhook signature', () => {
  const secret = 'whsec-0123456789abcdef';
  const body = '{"type":"health.alert"}';

  it('is v1= and the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    const expected = createHmac('sha256', secret).update(`1765000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1_765_000_000, body)).toBe(`v1=${expected}`);
  });

  it('verifies, and refuses another secret, another body, another timestamp or an old one', () => {
    const signature = signWebhook(secret, 1000, body);
    expect(verifyWebhook(secret, { timestamp: '1000', signature }, body, 1100)).toBe(true);
    expect(verifyWebhook('other-secret-0123456789', { timestamp: '1000', signature }, body, 1100)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: '1000', signature }, `${body} `, 1100)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: '1001', signature }, body, 1100)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: '1000', signature }, body, 1000 + 301)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: undefined, signature }, body, 1000)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: '1000', signature: 'v1=00' }, body, 1000)).toBe(false);
  });
});
