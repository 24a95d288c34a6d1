import { h, card, badge, fmtTime, replace } from '../lib/dom.js';
import { api, get, post, can } from '../lib/api.js';
import { field, val, list, showErrors, actions } from '../lib/form.js';

/** One agent: facts (as text), tags (editable by admins), recent tasks with their output, wake, revoke. */
export async function render(view, id) {
  const a = await get('/agents/' + id);
  const facts = h('pre.facts', JSON.stringify(a.facts, null, 2));
  const out = h('div');
  const tasks = h('table', h('thead', h('tr', h('th', 'Rollout'), h('th', 'State'), h('th', 'Step'), h('th', 'Reason'), h('th', 'Finished'), h('th', ''))),
    h('tbody', a.recentTasks.length ? a.recentTasks.map((t) => h('tr',
      h('td', h('a', { href: '#/rollouts/' + t.rolloutId }, t.rollout)), h('td', badge(t.state)), h('td', t.step + 1),
      h('td', t.reason || '–'), h('td', fmtTime(t.finishedAt)),
      h('td', h('button.small.secondary', { type: 'button', 'data-action': 'show-output', onclick: () => showOutput(out, t.rolloutId, id) }, 'Output'))))
      : h('tr', h('td.muted', { colspan: 6 }, 'No task yet.'))));
  view.append(
    h('h1', a.hostname || a.id, ' ', badge(a.online ? 'online' : 'offline')),
    h('p.muted', `id ${a.id} · node ${a.nodeId || '–'} · version ${a.version || '–'} · enrolled ${fmtTime(a.enrolledAt)} · last seen ${fmtTime(a.lastSeen)}`),
    can('operator') ? actions([
      { id: 'wake', label: 'Wake', run: async () => {
        const r = await post('/wake', { agents: [id] });
        return `wake request ${r.requestId}: ${r.relayed} relayed, ${r.direct} direct, ${r.unreachable.length} unreachable`;
      } },
      can('admin') && { id: 'revoke', label: 'Revoke', danger: true,
        confirm: [`Revoke ${a.hostname || a.id}?`, 'Its credential stops working for good and its connection is closed on every node.'],
        run: async () => {
          await api('DELETE', '/agents/' + id);
          location.hash = '#/agents';
        } },
    ]) : null,
    card('Tags', tagEditor(a)),
    card('Recent tasks', tasks, out),
    card('Facts', facts),
  );
}

function tagEditor(a) {
  const shown = h('p', { 'data-tags': '' }, a.tags.length ? a.tags.join(', ') : 'no tags');
  if (!can('admin')) return shown;
  const tags = field('tags', 'Trusted tags (comma separated)', 'text', { value: (a.tags || []).join(', '),
    hint: 'Tag targeting matches these; the tags the agent reports about itself stay apart.' });
  const form = h('form', { id: 'tags-form', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const r = await api('PATCH', '/agents/' + a.id, { tags: list(val(tags)) });
      replace(shown, r.tags.join(', ') || 'no tags');
    } catch (err) {
      showErrors(form, err);
    }
  } }, h('div.form-error'), tags, h('div.actions', h('button', { type: 'submit' }, 'Save tags')));
  return h('div', shown, form);
}

async function showOutput(out, rolloutId, agentId) {
  const host = await get(`/rollouts/${rolloutId}/hosts/${agentId}`);
  replace(out, outputView(host));
}

/** A host's results, output as text (never markup). */
export function outputView(host) {
  return h('div.output', { 'data-agent': host.agentId },
    h('h3', `Output of ${host.hostname || host.agentId}`),
    host.results.length ? host.results.map((r) => h('div.step',
      h('div.muted', `step ${r.step + 1} · ${r.status} · exit code ${r.exitCode ?? '–'} · ${fmtTime(r.finishedAt)}`),
      h('pre.out', r.output || '(no output)')))
      : h('p.muted', `No result yet (state ${host.state}${host.reason ? ': ' + host.reason : ''}).`));
}
