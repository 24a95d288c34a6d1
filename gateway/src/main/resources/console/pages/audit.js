import { h, card, fmtTime, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { dataTable } from '../lib/table.js';
import { actions } from '../lib/form.js';

/** Audit: the hash-chained log, paged; chain verification. */
export async function render(view) {
  const verdict = h('span', { id: 'audit-verdict' });
  const table = dataTable({
    name: 'audit', paging: 'cursor', pageSize: 50, rowKey: (a) => String(a.seq),
    columns: [
      { key: 'seq', label: '#' },
      { key: 'at', label: 'At', render: (a) => fmtTime(a.at) },
      { key: 'actor', label: 'Actor' },
      { key: 'role', label: 'Role' },
      { key: 'action', label: 'Action' },
      { key: 'target', label: 'Target' },
      { key: 'remote', label: 'From' },
      { key: 'detail', label: 'Detail', render: (a) => h('code.detail', JSON.stringify(a.detail)) },
    ],
    load: ({ limit, after }) => get('/audit' + qs({ limit, after })),
  });
  view.append(h('h1', 'Audit log'), actions([{ id: 'verify', label: 'Verify chain', run: async () => {
    const v = await get('/audit/verify');
    replace(verdict, v.intact ? h('span.ok', `intact: ${v.checked} rows checked`)
      : h('span.error', `broken at #${v.brokenAt}: ${v.reason}`));
  } }]), verdict, table.el);
  await table.refresh();
}
