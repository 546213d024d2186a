import type { HealthAlert } from '@valuepulse/contracts';
import type { AccountFacts } from './route.js';

/** The JSON body of a webhook delivery (docs/notifier.md). */
export interface WebhookBody {
  type: 'health.alert';
  alert: HealthAlert;
  account: { id: string; segment: string | null; owner: string | null; url: string | null };
}

/** The dashboard's account page, or null without a public base URL. */
export function accountUrl(baseUrl: string, accountId: string): string | null {
  return baseUrl === '' ? null : `${baseUrl.replace(/\/+$/, '')}/dashboard/account.html?id=${encodeURIComponent(accountId)}`;
}

/** The webhook body: the alert as on the topic, and what is known of its account. */
export function webhookBody(alert: HealthAlert, facts: AccountFacts, baseUrl: string): WebhookBody {
  return { type: 'health.alert', alert, account: { id: alert.account_id, segment: facts.segment, owner: facts.owner, url: accountUrl(baseUrl, alert.account_id) } };
}

const SEVERITY_ICON: Record<string, string> = { CRITICAL: ':red_circle:', WARNING: ':large_orange_circle:', INFO: ':large_blue_circle:', UNKNOWN: ':white_circle:' };
/** Top factors shown in a chat message; the webhook body carries them all. */
const TOP_FACTORS = 3;

/** Slack mrkdwn needs &, < and > escaped in text it did not make. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0+$/, '').replace(/\.$/, ''));

/** "login_drop: ok → breached" — what changed, in words. */
export function describeChange(alert: HealthAlert): string {
  const to = alert.from_state === null ? alert.to_state : `${alert.from_state} → ${alert.to_state}`;
  const value = alert.value === null ? '' : ` (value ${num(alert.value)}${alert.threshold === null ? '' : `, threshold ${num(alert.threshold)}`})`;
  return `${alert.signal}: ${to}${value}`;
}

/** The factors with the largest contribution (else in the scorer's order), as text lines. */
export function topFactors(alert: HealthAlert, n = TOP_FACTORS): string[] {
  const ranked = [...alert.evidence].sort((a, b) => Math.abs(b.contribution ?? 0) - Math.abs(a.contribution ?? 0));
  return ranked.slice(0, n).map((e) => `${e.factor}${e.value === null ? '' : ` = ${num(e.value)}`}${e.detail ? ` — ${e.detail}` : ''}`);
}

/**
 * A Slack incoming-webhook message (also understood by Mattermost and
 * Rocket.Chat): a `text` fallback and Block Kit blocks with the account,
 * the change, severity, days to renewal, the top evidence and a link to the
 * account page.
 */
export function slackMessage(alert: HealthAlert, facts: AccountFacts, baseUrl: string): Record<string, unknown> {
  const url = accountUrl(baseUrl, alert.account_id);
  const account = url ? `<${url}|${esc(alert.account_id)}>` : esc(alert.account_id);
  const renewal = alert.days_to_renewal === null ? 'unknown' : `${alert.days_to_renewal} days`;
  const text = `${alert.severity} ${alert.account_id}: ${describeChange(alert)}`;
  const fields = [
    `*Account*\n${account}`,
    `*Severity*\n${alert.severity}`,
    `*Renewal in*\n${renewal}`,
    `*Owner*\n${esc(facts.owner ?? 'unassigned')}`,
  ].map((t) => ({ type: 'mrkdwn', text: t }));
  const factors = topFactors(alert);
  const blocks: Record<string, unknown>[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `${SEVERITY_ICON[alert.severity] ?? ''} *${esc(describeChange(alert))}*` } },
    { type: 'section', fields },
  ];
  if (factors.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Why*\n${factors.map((f) => `• ${esc(f)}`).join('\n')}` } });
  if (url) blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open account' }, url }] });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `alert ${esc(alert.alert_id)} · model ${esc(alert.model_version)}` }] });
  return { text, blocks };
}
