import { h, card, replace } from '../lib/dom.js';
import { post } from '../lib/api.js';
import { field, val, list, showErrors } from '../lib/form.js';

/** Wake-on-LAN by agent ids or MAC addresses; shows how the request was routed. */
export async function render(view) {
  const agents = field('agents', 'Agent ids (one per line)', 'textarea');
  const macs = field('macs', 'MAC addresses (one per line)', 'textarea', { placeholder: '00:11:22:33:44:55' });
  const subnet = field('subnet', 'Subnet of the MACs (for relaying)', 'text', { placeholder: '10.20.0.0/24' });
  const result = h('div', { id: 'wake-result' });
  const form = h('form.card', { id: 'wake', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const body = {};
    if (list(val(agents)).length) body.agents = list(val(agents));
    if (list(val(macs)).length) body.macs = list(val(macs));
    if (val(subnet)) body.subnet = val(subnet);
    try {
      const r = await post('/wake', body);
      replace(result, h('p', `Request ${r.requestId}: ${r.relayed} relayed by agents, ${r.direct} sent directly, `
        + `${(r.online || []).length} already online, ${r.unreachable.length} unreachable.`),
      r.unreachable.length ? h('pre.out', r.unreachable.map((u) => (typeof u === 'string' ? u : JSON.stringify(u))).join('\n')) : null);
    } catch (err) {
      showErrors(form, err);
    }
  } }, h('h1', 'Wake'), h('div.form-error'), h('div.row', agents, macs), subnet,
  h('div.actions', h('button', { type: 'submit', 'data-action': 'wake' }, 'Wake')), result);
  view.append(form);
}
