import { describe, expect, it } from 'vitest';
import { validateRecord, type HealthAlert } from '@valuepulse/contracts';
import { accountUrl, describeChange, slackMessage, topFactors } from './payload.js';

const alert = (fields: Partial<HealthAlert>): HealthAlert => {
  const r = validateRecord('HealthAlert', {
    alert_id: 'al-1', account_id: 'acme & co', signal: 'health_tier', kind: 'TIER_CHANGED', severity: 'CRITICAL', from_state: 'yellow', to_state: 'red',
    value: 38.25, threshold: 40, model_version: 'v1.1', evaluated_at: 0, emitted_at: 0, days_to_renewal: 20,
    evidence: [
      { factor: 'support_pressure', value: 80, contribution: -0.2, detail: null },
      { factor: 'login_drop_pct', value: 55, contribution: 0.5, detail: 'logins halved' },
      { factor: 'seat_utilisation', value: 0.3, contribution: 0.1, detail: null },
      { factor: 'nps', value: 3, contribution: 0.05, detail: null },
    ],
    ...fields,
  });
  if (!r.ok) throw new Error(r.issues.join('; '));
  return r.value as HealthAlert;
};

describe('payloads', () => {
  it('links the account page under the public URL, id escaped; no URL, no link', () => {
    expect(accountUrl('https://vp.example/', 'acme & co')).toBe('https://vp.example/dashboard/account.html?id=acme%20%26%20co');
    expect(accountUrl('', 'acme')).toBeNull();
  });

  it('says what changed and the largest factors first', () => {
    expect(describeChange(alert({}))).toBe('health_tier: yellow → red (value 38.25, threshold 40)');
    expect(describeChange(alert({ from_state: null, value: null, threshold: null }))).toBe('health_tier: red');
    expect(topFactors(alert({}))).toEqual(['login_drop_pct = 55 — logins halved', 'support_pressure = 80', 'seat_utilisation = 0.3']);
  });

  it('a Slack message escapes text it did not make and has a button only with a link', () => {
    const withLink = JSON.stringify(slackMessage(alert({}), { owner: '<ana>', segment: 'SMB' }, 'https://vp.example'));
    expect(withLink).toContain('<https://vp.example/dashboard/account.html?id=acme%20%26%20co|acme &amp; co>');
    expect(withLink).toContain('&lt;ana&gt;');
    expect(withLink).toContain('20 days');
    expect(withLink).toContain('"type":"button"');
    const without = slackMessage(alert({ days_to_renewal: null }), { owner: null, segment: null }, '');
    expect(JSON.stringify(without)).not.toContain('"type":"button"');
    expect(JSON.stringify(without)).toContain('unassigned');
    expect(JSON.stringify(without)).toContain('unknown');
  });
});
