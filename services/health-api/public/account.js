import uPlot from '/vendor/uPlot.esm.js';
import { api, el, fmt, money, showError, tierBadge } from './api.js';

const TIER_COLOURS = { GREEN: '#2e9d5b', YELLOW: '#d9b422', ORANGE: '#e07b26', RED: '#d23c3c' };
const id = new URLSearchParams(location.search).get('id') ?? '';
/** Every chart drawn, by name: the browser test reads the data points uPlot drew from here. */
window.__charts = {};

const toSeconds = (day) => Date.parse(`${day}T00:00:00Z`) / 1000;

/** Draws a dashed vertical line, coloured by severity, at each alert's day. */
function alertMarkers(alerts) {
  const colour = { CRITICAL: '#d23c3c', WARNING: '#e07b26', INFO: '#2e9d5b' };
  return {
    hooks: {
      draw: [
        (u) => {
          const { ctx, bbox } = u;
          ctx.save();
          ctx.setLineDash([4, 4]);
          ctx.lineWidth = 1.5;
          for (const a of alerts) {
            const x = Math.round(u.valToPos(Date.parse(a.evaluated_at) / 1000, 'x', true));
            if (x < bbox.left || x > bbox.left + bbox.width) continue;
            ctx.strokeStyle = colour[a.severity] ?? '#667085';
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
          }
          ctx.restore();
        },
      ],
    },
  };
}

/** Tier bands behind the score (red < 40 ≤ orange < 60 ≤ yellow < 75 ≤ green). */
const tierBands = {
  hooks: {
    drawClear: [
      (u) => {
        const { ctx, bbox } = u;
        const bands = [[0, 40, '#fdecec'], [40, 60, '#fdf0e6'], [60, 75, '#fdf8e1'], [75, 100, '#e8f5ed']];
        for (const [lo, hi, c] of bands) {
          const top = u.valToPos(hi, 'y', true);
          const bottom = u.valToPos(lo, 'y', true);
          ctx.fillStyle = c;
          ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
        }
      },
    ],
  },
};

function chart(name, target, xs, series, options = {}) {
  const node = document.getElementById(target);
  const u = new uPlot(
    {
      width: Math.max(320, node.clientWidth - 8),
      height: 220,
      scales: { x: { time: true }, ...(options.scales ?? {}) },
      series: [{}, ...series.map((s) => ({ spanGaps: true, width: 2, points: { show: true, size: 5 }, ...s.options, label: s.label }))],
      axes: [{}, { size: 50 }],
      plugins: options.plugins ?? [],
    },
    [xs, ...series.map((s) => s.values)],
    node,
  );
  window.__charts[name] = u;
  return u;
}

function facts(a) {
  document.getElementById('title').replaceChildren(el('b', {}, a.account_id), ' ', tierBadge(a.tier));
  const kv = [
    ['health score', fmt(a.health_score)],
    ['tier', a.tier],
    ['value lock-in', fmt(a.value_lock_in)],
    ['ARR', money(a.arr)],
    ['renewal', a.renewal_date ? `${a.renewal_date} (${a.days_to_renewal} d)` : '—'],
    ['segment', a.segment ?? '—'],
  ];
  document.getElementById('facts').replaceChildren(...kv.map(([k, v]) => el('div', {}, k, el('b', {}, v))));
  document.getElementById('top-reason').textContent = `Top reason: ${a.top_reason}${a.breached.length ? ` · breached: ${a.breached.join(', ')}` : ''}`;
  document.querySelector('#stakeholders tbody').replaceChildren(
    ...['EXECUTIVE_SPONSOR', 'ECONOMIC_BUYER', 'TECHNICAL_OWNER', 'CHAMPION', 'DAILY_USER'].map((role) =>
      el('tr', {}, el('td', {}, role.toLowerCase().replaceAll('_', ' ')), el('td', {}, a.stakeholders.last_seen[role]?.slice(0, 10) ?? 'never'), el('td', { class: 'num' }, a.stakeholders.silent_days[role] ?? '—')),
    ),
  );
  document.querySelector('#milestones tbody').replaceChildren(
    ...(a.milestones.length ? a.milestones.map((m) => el('tr', {}, el('td', {}, m.name ?? m.milestone_id), el('td', {}, m.due), el('td', {}, m.achieved), el('td', {}, m.missed))) : [el('tr', {}, el('td', { colSpan: 4, class: 'muted' }, 'no milestones'))]),
  );
  document.querySelector('#components tbody').replaceChildren(
    ...a.score_components.map((c) => el('tr', {}, el('td', {}, c.key.replaceAll('_', ' ')), el('td', { class: 'num' }, c.value === null ? 'unknown (re-weighted away)' : fmt(c.value)), el('td', { class: 'num' }, fmt(c.weight, 2)), el('td', { class: 'num' }, fmt(c.contribution)))),
  );
}

function alerts(list) {
  const box = document.getElementById('alerts');
  if (list.length === 0) return box.replaceChildren(el('p', { class: 'muted' }, 'no alerts in this period'));
  box.replaceChildren(
    ...[...list].reverse().map((a) => el('div', { class: `alert ${a.severity}`, 'data-alert': a.alert_id }, el('b', {}, a.evaluated_at.slice(0, 10)), ' ', a.summary, el('ul', {}, ...a.evidence_text.map((t) => el('li', {}, t))))),
  );
}

async function main() {
  if (!id) throw new Error('no account: open /dashboard/account.html?id=<account id>');
  const [a, h] = await Promise.all([api(`/v1/accounts/${encodeURIComponent(id)}`), api(`/v1/accounts/${encodeURIComponent(id)}/history`)]);
  facts(a);
  const xs = h.days.map(toSeconds);
  const s = h.series;
  chart('score', 'chart-score', xs, [{ label: 'health score', values: s.health_score, options: { stroke: '#1d2330' } }], {
    scales: { y: { range: [0, 100] } },
    plugins: [tierBands, alertMarkers(h.alerts)],
  });
  chart('usage', 'chart-usage', xs, [
    { label: 'logins', values: s.logins, options: { stroke: '#3b82f6' } },
    { label: 'active users', values: s.active_users, options: { stroke: '#8b5cf6' } },
  ]);
  chart('seats', 'chart-seats', xs, [{ label: 'seat utilisation', values: s.seat_utilisation, options: { stroke: TIER_COLOURS.GREEN } }]);
  chart('support', 'chart-support', xs, [
    { label: 'support pressure (0–100)', values: s.support_pressure, options: { stroke: TIER_COLOURS.ORANGE } },
    { label: 'tickets opened', values: s.tickets_opened, options: { stroke: '#667085' } },
  ]);
  alerts(h.alerts);
  document.body.setAttribute('data-loaded', 'true');
}

main().catch(showError);
