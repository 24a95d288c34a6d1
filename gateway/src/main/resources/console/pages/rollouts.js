import { h, badge, fmtTime, fmtNum } from '../lib/dom.js';
import { get, qs, can } from '../lib/api.js';
import { dataTable } from '../lib/table.js';
import { field, val } from '../lib/form.js';

const STATES = ['', 'scheduled', 'running', 'paused', 'halted', 'completed', 'cancelled', 'expired'];

/** Rollouts, newest first, with state and progress (finished targets of all). */
export async function render(view) {
  const state = field('state', 'State', 'select', { options: STATES });
  const table = dataTable({
    name: 'rollouts', paging: 'cursor', pageSize: 25, rowKey: (r) => r.id,
    columns: [
      { key: 'name', label: 'Name', render: (r) => h('a', { href: '#/rollouts/' + r.id }, r.name) },
      { key: 'state', label: 'State', render: (r) => badge(r.state) },
      { key: 'targets', label: 'Targets', render: (r) => fmtNum(r.targets) },
      { key: 'progress', label: 'Progress', render: (r) => progress(r) },
      { key: 'createdBy', label: 'Created by' },
      { key: 'createdAt', label: 'Created', render: (r) => fmtTime(r.createdAt) },
    ],
    load: ({ limit, after }) => get('/rollouts' + qs({ limit, after, state: val(state) })),
  });
  state.input.addEventListener('change', () => table.reset());
  view.append(h('div.title-row', h('h1', 'Rollouts'),
    can('operator') ? h('a.button', { href: '#/rollouts/new', 'data-action': 'new-rollout' }, 'New rollout') : null),
  h('form.filters', state), table.el);
  await table.refresh();
}

const FINAL = ['succeeded', 'failed', 'timedOut', 'declined', 'cancelled', 'rejected', 'expired', 'skipped'];

/** A mini progress bar, filled by one read of the rollout's counts (one request per shown row). */
function progress(r) {
  const cell = h('span.mini', '…');
  get('/rollouts/' + r.id).then((d) => {
    const done = FINAL.reduce((n, k) => n + (d.counts[k] || 0), 0);
    const failed = (d.counts.failed || 0) + (d.counts.timedOut || 0) + (d.counts.rejected || 0);
    const pct = d.targets ? Math.floor((100 * done) / d.targets) : 100;
    const bar = h('span.minibar', h('span.minifill'));
    bar.firstChild.style.width = pct + '%';
    cell.replaceChildren(bar, ` ${pct} %`, failed ? h('span.error', ` · ${fmtNum(failed)} failed`) : '');
  }).catch(() => cell.replaceChildren('–'));
  return cell;
}
