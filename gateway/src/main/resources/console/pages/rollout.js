import { h, card, badge, fmtTime, fmtNum, replace, coalesce } from '../lib/dom.js';
import { get, post, qs, can, rolloutEvents } from '../lib/api.js';
import { dataTable } from '../lib/table.js';
import { stateBar } from '../lib/chart.js';
import { field, val, actions } from '../lib/form.js';
import { confirmDialog } from '../lib/dialog.js';
import { outputView } from './agent.js';
import { liveOutput } from '../lib/live-output.js';

export const TARGET_STATES = ['succeeded', 'failed', 'timedOut', 'rejected', 'declined', 'cancelled', 'expired', 'skipped',
  'running', 'acked', 'dispatched', 'waking', 'pending'];
const FINAL = ['succeeded', 'failed', 'timedOut', 'declined', 'cancelled', 'rejected', 'expired', 'skipped'];
const FAILURES = ['failed', 'timedOut', 'rejected'];
const RERUN_STATES = ['failed', 'timedOut', 'expired', 'skipped', 'offline'];

/**
 * The live rollout page. Progress arrives by Server-Sent Events (coalesced by the server to at
 * most 4 a second); the counts render at once, the waves and the visible page of the host table
 * are re-read at most once a second. Nothing is read per host, and the table holds one page.
 */
export async function render(view, id) {
  let r = await get('/rollouts/' + id);
  const head = h('div');
  const bar = h('div');
  const rate = h('div.rate');
  const waves = h('div.waves');
  const output = h('div', { id: 'host-output' });
  const stateFilter = field('hostState', 'Show', 'select', { options: ['', ...TARGET_STATES], anyLabel: 'all states' });
  const table = dataTable({
    name: 'hosts', paging: 'offset', pageSize: 50, sort: 'hostname', rowKey: (t) => t.agentId,
    columns: [
      { key: 'hostname', label: 'Hostname', sort: true, render: (t) => t.hostname || t.agentId },
      { key: 'state', label: 'State', sort: true, render: (t) => badge(t.state) },
      { key: 'step', label: 'Step', sort: true, render: (t) => `${t.step + 1}/${r.steps}` },
      { key: 'exitCode', label: 'Exit code', sort: true, render: (t) => t.exitCode ?? '–' },
      { key: 'reason', label: 'Reason', sort: true, render: (t) => t.reason || '–' },
      { key: 'duration', label: 'Duration', sort: true, render: (t) => (t.durationSeconds == null ? '–' : `${t.durationSeconds.toFixed(1)} s`) },
      { key: 'wave', label: 'Wave', sort: true, render: (t) => t.wave ?? '–' },
    ],
    load: ({ limit, offset, sort, order }) => get(`/rollouts/${id}/hosts` + qs({ limit, offset, sort, order, state: val(stateFilter) })),
    onRow: async (t, tr) => {
      view.querySelectorAll('tr.selected').forEach((x) => x.classList.remove('selected'));
      tr.classList.add('selected');
      replace(output, h('p.muted', 'Loading output…'));
      const host = await get(`/rollouts/${id}/hosts/${t.agentId}`);
      const running = ['dispatched', 'acked', 'running'].includes(host.state);
      const stored = h('div', outputView(host));
      const showStored = async () => replace(stored, outputView(await get(`/rollouts/${id}/hosts/${t.agentId}`)));
      replace(output, running ? h('div.actions', h('button.secondary', { type: 'button', 'data-action': 'live-output',
        onclick: (e) => e.currentTarget.parentElement.replaceWith(liveOutput(id, t.agentId, showStored)) },
      'Watch live output')) : null, stored);
    },
  });
  const exportLink = h('a.button.secondary', { 'data-action': 'export', download: '' }, 'Export CSV');
  const syncExport = () => exportLink.setAttribute('href', `/api/v1/rollouts/${id}/export` + qs({ state: val(stateFilter) }));
  stateFilter.input.addEventListener('change', () => {
    syncExport();
    table.reset();
  });
  syncExport();

  let updates = 0;
  const refreshDetail = coalesce(async () => {
    const t0 = performance.now();
    await Promise.all([renderWaves(), table.refresh()]);
    updates++;
    view.dataset.updates = String(updates);
    view.dataset.updateMs = String(Math.round(performance.now() - t0));
  }, 1000);

  async function renderWaves() {
    const w = await get(`/rollouts/${id}/waves`);
    const finished = FINAL.reduce((n, k) => n + (r.counts[k] || 0), 0);
    const failures = FAILURES.reduce((n, k) => n + (r.counts[k] || 0), 0);
    const pct = finished ? (100 * failures) / finished : 0;
    const limit = w.maxFailurePercent;
    replace(rate, h('span', { 'data-failure-rate': pct.toFixed(1) }, `Failure rate ${pct.toFixed(1)} % of ${fmtNum(finished)} finished`),
      limit == null ? h('span.muted', ' · no failure threshold') : h('span' + (pct > limit ? '.error' : '.muted'), ` · threshold ${limit} %`),
      w.maxInFlight ? h('span.muted', ` · at most ${fmtNum(w.maxInFlight)} in flight`) : null);
    replace(waves, w.waves.map((x) => {
      const total = Object.values(x.counts).reduce((a, b) => a + b, 0);
      const done = FINAL.reduce((n, k) => n + (x.counts[k] || 0), 0);
      const fill = h('span.minifill');
      fill.style.width = `${total ? (100 * done) / total : 0}%`;
      return h('div.wave', { 'data-wave': x.wave ?? 'unreleased' },
        h('span.wave-name', x.wave == null ? 'not released yet' : `wave ${x.wave}` + (r.waves ? ` (${r.waves[x.wave - 1]} %)` : '')),
        h('span.minibar.wide', fill), ` ${fmtNum(done)} / ${fmtNum(total)} done`);
    }));
  }

  function renderHead() {
    replace(head,
      h('div.title-row', h('h1', r.name), badge(r.state)),
      r.reason ? h('p.reason', { 'data-reason': '' }, r.reason) : null,
      h('p.muted', `${fmtNum(r.targets)} targets · ${r.steps} step(s) · waves ${(r.waves || []).join(', ')} % · wave ${r.currentWave}`
        + ` · created ${fmtTime(r.createdAt)} by ${r.createdBy} · expires ${fmtTime(r.expiresAt)}`),
      can('operator') ? actions([
        r.state === 'running' && { id: 'pause', label: 'Pause', run: () => control('pause') },
        r.state === 'paused' && { id: 'resume', label: 'Resume', run: () => control('resume') },
        ['running', 'paused', 'scheduled', 'halted'].includes(r.state) && { id: 'cancel', label: 'Cancel', danger: true,
          confirm: [`Cancel "${r.name}"?`, 'Every open target ends as cancelled; agents running it are told to stop.'],
          run: () => control('cancel') },
      ]) : null);
    replace(bar, stateBar(r.counts, TARGET_STATES));
  }

  async function control(op) {
    r = await post(`/rollouts/${id}/${op}`);
    renderHead();
    refreshDetail();
  }

  renderHead();
  view.append(head, card('Targets by state', bar, rate), card('Waves', waves),
    card('Hosts', h('div.filters', stateFilter, exportLink), table.el, output),
    can('operator') ? card('Re-run', rerunForm(id, () => r)) : null);
  await Promise.all([renderWaves(), table.refresh()]);

  const close = rolloutEvents(id, (name, data) => {
    r = data;
    renderHead();
    refreshDetail();
  });
  return close;
}

/** Re-run: a new rollout of the same steps for the targets in the chosen states. */
function rerunForm(id, rollout) {
  const boxes = RERUN_STATES.map((s) => field('rerun-' + s, s, 'checkbox', { checked: s === 'failed' }));
  const msg = h('div.action-msg');
  return h('div', { id: 'rerun' }, h('div.checks', boxes), actions([{ id: 'rerun', label: 'Re-run', run: async () => {
    const states = RERUN_STATES.filter((s, i) => boxes[i].input.checked);
    const c = rollout().counts;
    const n = states.filter((s) => s !== 'offline').reduce((a, s) => a + (c[s] || 0), 0);
    const ok = await confirmDialog('Re-run', [`Run the ${rollout().steps} step(s) of "${rollout().name}" again on the targets that are ${states.join(', ')}`
      + (states.includes('offline') ? ' (offline: never reached).' : '.'),
    states.includes('offline') ? `At least ${fmtNum(n)} machine(s).` : `${fmtNum(n)} machine(s) will run it.`], 'Re-run');
    if (!ok) return null;
    const created = await post(`/rollouts/${id}/rerun`, { states });
    location.hash = '#/rollouts/' + created.id;
    return `created ${created.id} with ${created.targets} targets`;
  } }]), msg);
}
