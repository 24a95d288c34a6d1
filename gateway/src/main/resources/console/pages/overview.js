import { h, card, badge, fmtNum, fmtTime } from '../lib/dom.js';
import { get } from '../lib/api.js';
import { barChart } from '../lib/chart.js';

const ROLLOUT_STATES = ['scheduled', 'running', 'paused', 'halted', 'completed', 'cancelled', 'expired'];

/** Fleet overview: agents per node, connects/disconnects over the last hour, rollouts by state, trouble. */
export async function render(view) {
  const o = await get('/overview');
  const byMinute = new Map(o.churn.map((c) => [c.minute.slice(0, 16), c]));
  const buckets = [];
  const now = Date.now();
  for (let i = 59; i >= 0; i--) {
    const t = new Date(Math.floor(now / 60000) * 60000 - i * 60000).toISOString().slice(0, 16);
    const c = byMinute.get(t);
    buckets.push({ label: t.slice(11), a: c ? c.connects : 0, b: c ? c.disconnects : 0 });
  }
  view.append(
    h('h1', 'Fleet overview'),
    h('div.grid',
      card('Agents',
        h('p.big', h('span', { 'data-metric': 'online' }, fmtNum(o.agents.online)), ' online · ',
          h('span', { 'data-metric': 'offline' }, fmtNum(o.agents.offline)), ' offline'),
        h('table.compact', h('thead', h('tr', h('th', 'Node'), h('th', 'Connected agents'))),
          h('tbody', o.agents.perNode.length ? o.agents.perNode.map((n) => h('tr', h('td', n.nodeId || '–'), h('td', fmtNum(n.agents))))
            : h('tr', h('td.muted', { colspan: 2 }, 'No agent connected.'))))),
      card('Rollouts by state',
        h('table.compact', h('tbody', ROLLOUT_STATES.map((s) => h('tr', h('td', badge(s)),
          h('td', { 'data-state': s }, fmtNum(o.rolloutsByState[s] || 0))))))),
    ),
    card('Connects and disconnects', barChart(buckets, { aLabel: 'connects', bLabel: 'disconnects' })),
    card('Recent halts and failures', o.recentTrouble.length
      ? h('table', h('thead', h('tr', h('th', 'Rollout'), h('th', 'State'), h('th', 'Failures'), h('th', 'Reason'), h('th', 'Created'))),
        h('tbody', o.recentTrouble.map((r) => h('tr', h('td', h('a', { href: '#/rollouts/' + r.id }, r.name)), h('td', badge(r.state)),
          h('td', fmtNum(r.failures)), h('td', r.reason || '–'), h('td', fmtTime(r.createdAt))))))
      : h('p.muted', 'No halted rollout and no failed target recently.')),
  );
}
