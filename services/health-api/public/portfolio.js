import { api, el, fmt, money, showError, tierBadge } from './api.js';

const PAGE = 50;
let offset = 0;
const link = (id) => el('a', { href: `/dashboard/account.html?id=${encodeURIComponent(id)}` }, id);

function riskRow(a) {
  return el('tr', { 'data-account': a.account_id, 'data-tier': a.tier }, el('td', {}, link(a.account_id)), el('td', {}, tierBadge(a.tier)), el('td', { class: 'num' }, fmt(a.health_score)), el('td', { class: 'num' }, money(a.arr)), el('td', { class: 'num' }, a.days_to_renewal === null ? '—' : `${a.days_to_renewal} d`), el('td', { class: 'reason' }, a.top_reason));
}

async function portfolio() {
  const p = await api('/v1/portfolio');
  document.getElementById('as-of').textContent = `${p.accounts} accounts · as of ${p.as_of ?? '—'}`;
  document.getElementById('tiers').replaceChildren(
    ...p.tiers.map((t) => el('div', { class: `card card-${t.tier}`, 'data-tier': t.tier }, el('div', {}, t.tier), el('div', { class: 'n' }, String(t.accounts)), el('div', {}, `ARR ${money(t.arr)}`))),
  );
  document.querySelector('#at-risk tbody').replaceChildren(...p.at_risk.items.map(riskRow));
  const r90 = p.renewals.find((r) => r.within_days === 90);
  document.getElementById('renewal-totals').textContent = p.renewals.map((r) => `${r.within_days} d: ${r.accounts} (${r.not_green} not green, ${money(r.arr)})`).join(' · ');
  document.querySelector('#renewals tbody').replaceChildren(
    ...p.renewing_90d.items.map((a) => el('tr', { 'data-account': a.account_id }, el('td', {}, link(a.account_id)), el('td', {}, tierBadge(a.tier)), el('td', { class: 'num' }, a.days_to_renewal), el('td', { class: 'num' }, money(a.arr)), el('td', { class: 'reason' }, a.top_reason))),
  );
  if (r90 && r90.accounts > p.renewing_90d.items.length) document.querySelector('#renewals tbody').append(el('tr', {}, el('td', { colSpan: 5, class: 'muted' }, `… and ${r90.accounts - p.renewing_90d.items.length} more`)));
}

async function accounts() {
  const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  const v = (id) => document.getElementById(id).value;
  if (v('f-tier')) params.set('tier', v('f-tier'));
  if (v('f-segment')) params.set('segment', v('f-segment'));
  if (v('f-renewal')) params.set('renewal_within_days', v('f-renewal'));
  params.set('sort', v('f-sort'));
  const page = await api(`/v1/accounts?${params}`);
  document.getElementById('page').textContent = ` ${page.total === 0 ? 0 : offset + 1}–${Math.min(offset + PAGE, page.total)} of ${page.total} `;
  document.querySelector('#accounts tbody').replaceChildren(
    ...page.items.map((a) =>
      el('tr', { 'data-account': a.account_id }, el('td', {}, link(a.account_id)), el('td', {}, a.segment), el('td', {}, tierBadge(a.tier)), el('td', { class: 'num' }, fmt(a.health_score)), el('td', { class: 'num' }, fmt(a.value_lock_in)), el('td', { class: 'num' }, money(a.arr)), el('td', { class: 'num' }, a.days_to_renewal === null ? '—' : `${a.days_to_renewal} d`), el('td', {}, a.breached.join(', ') || '—'), el('td', { class: 'reason' }, a.top_reason)),
    ),
  );
  document.getElementById('prev').disabled = offset === 0;
  document.getElementById('next').disabled = offset + PAGE >= page.total;
}

for (const id of ['f-tier', 'f-segment', 'f-renewal', 'f-sort']) document.getElementById(id).addEventListener('change', () => { offset = 0; accounts().catch(showError); });
document.getElementById('prev').addEventListener('click', () => { offset = Math.max(0, offset - PAGE); accounts().catch(showError); });
document.getElementById('next').addEventListener('click', () => { offset += PAGE; accounts().catch(showError); });

Promise.all([portfolio(), accounts()])
  .then(() => document.body.setAttribute('data-loaded', 'true'))
  .catch(showError);
