import { h, badge, fmtAgo } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { dataTable } from '../lib/table.js';
import { field, val } from '../lib/form.js';

/** Agents: server-side filtered (online, tag, subnet, hostname, node) and paged. */
export async function render(view) {
  const f = {
    q: field('q', 'Hostname contains'),
    online: field('online', 'Online', 'select', { options: ['', 'true', 'false'] }),
    tag: field('tag', 'Tag'),
    subnet: field('subnet', 'Subnet', 'text', { placeholder: '10.20.0.0/16' }),
    node: field('node', 'Node'),
  };
  const err = h('div.form-error');
  const table = dataTable({
    name: 'agents', paging: 'cursor', pageSize: 25, rowKey: (a) => a.id,
    columns: [
      { key: 'hostname', label: 'Hostname', render: (a) => h('a', { href: '#/agents/' + a.id }, a.hostname || a.id) },
      { key: 'online', label: 'Status', render: (a) => badge(a.online ? 'online' : 'offline') },
      { key: 'nodeId', label: 'Node' },
      { key: 'tags', label: 'Tags', render: (a) => a.tags.join(', ') },
      { key: 'ips', label: 'Addresses', render: (a) => ((a.facts && a.facts.ips) || []).join(', ') },
      { key: 'version', label: 'Version' },
      { key: 'lastSeen', label: 'Last seen', render: (a) => fmtAgo(a.lastSeen) },
    ],
    load: ({ limit, after }) => get('/agents' + qs({ limit, after, q: val(f.q), online: val(f.online), tag: val(f.tag),
      subnet: val(f.subnet), node: val(f.node) })),
  });
  const form = h('form.filters', { onsubmit: (e) => {
    e.preventDefault();
    table.reset();
  } }, Object.values(f), h('div.actions', h('button', { type: 'submit' }, 'Filter')), err);
  view.append(h('h1', 'Agents'), form, table.el);
  await table.refresh();
}
