import { h, badge, fmtNum, fmtTime } from '../lib/dom.js';
import { get, post, can } from '../lib/api.js';
import { dataTable } from '../lib/table.js';
import { actions } from '../lib/form.js';

/** Cluster: nodes, their connections and state; drain / undrain (admin). */
export async function render(view) {
  const summary = h('p.muted');
  const table = dataTable({
    name: 'nodes', paging: 'offset', pageSize: 500, rowKey: (n) => n.id,
    columns: [
      { key: 'id', label: 'Node' },
      { key: 'address', label: 'Agent URL' },
      { key: 'connections', label: 'Connections', render: (n) => fmtNum(n.connections) },
      { key: 'state', label: 'State', render: (n) => badge(n.state) },
      { key: 'updatedAt', label: 'Updated', render: (n) => fmtTime(n.updatedAt) },
      { key: 'actions', label: '', render: (n) => (can('admin') ? actions([
        n.state !== 'draining' && { id: 'drain', label: 'Drain', danger: true,
          confirm: `Drain ${n.id}? Its ${n.connections} agents are moved to other nodes, 200 a second.`,
          run: async () => { await post(`/cluster/nodes/${encodeURIComponent(n.id)}/drain`); await table.refresh(); return 'draining'; } },
        n.state === 'draining' && { id: 'undrain', label: 'Undrain',
          run: async () => { await post(`/cluster/nodes/${encodeURIComponent(n.id)}/undrain`); await table.refresh(); return 'accepting'; } },
      ]) : '') },
    ],
    load: async () => {
      const c = await get('/cluster');
      summary.textContent = `${c.members} cluster member(s), ${fmtNum(c.connections)} agent connection(s)`;
      return { items: c.nodes, total: c.nodes.length };
    },
  });
  view.append(h('h1', 'Cluster'), summary, table.el);
  await table.refresh();
}
