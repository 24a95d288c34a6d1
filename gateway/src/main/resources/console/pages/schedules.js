import { h, card, fmtTime, replace } from '../lib/dom.js';
import { api, get, post, can } from '../lib/api.js';
import { dataTable } from '../lib/table.js';
import { field, val, showErrors, actions } from '../lib/form.js';
import { rolloutForm } from '../lib/rollout-form.js';

/** Schedules: list with next firing, create (the shared rollout editor + cron), delete. */
export async function render(view) {
  const table = dataTable({
    name: 'schedules', paging: 'offset', pageSize: 500, rowKey: (s) => s.id,
    columns: [
      { key: 'name', label: 'Name' },
      { key: 'cron', label: 'Cron', render: (s) => `${s.cron} (${s.timeZone})` },
      { key: 'nextFireAt', label: 'Next firing', render: (s) => fmtTime(s.nextFireAt) },
      { key: 'lastFiredAt', label: 'Last fired', render: (s) => (s.lastRolloutId
        ? h('a', { href: '#/rollouts/' + s.lastRolloutId }, fmtTime(s.lastFiredAt)) : fmtTime(s.lastFiredAt)) },
      { key: 'createdBy', label: 'Created by' },
      { key: 'actions', label: '', render: (s) => (can('operator') ? actions([{ id: 'delete-schedule', label: 'Delete', danger: true,
        confirm: `Delete the schedule "${s.name}"? Rollouts it already created stay.`,
        run: async () => {
          await api('DELETE', '/schedules/' + s.id);
          await table.refresh();
        } }]) : '') },
    ],
    load: async () => {
      const r = await get('/schedules');
      return { items: r.items, total: r.items.length };
    },
  });
  view.append(h('h1', 'Schedules'), table.el);
  if (can('operator')) view.append(await createForm(() => table.refresh()));
  await table.refresh();
}

async function createForm(onCreated) {
  const cron = field('cron', 'Cron', 'text', { placeholder: '0 2 * * *', hint: 'Five fields (Unix) or six/seven (Quartz, with seconds).' });
  const tz = field('timeZone', 'Time zone', 'text', { value: 'UTC' });
  const exp = field('expiresAfterMinutes', 'Each firing expires after (min)', 'number', { value: '240', min: 1 });
  const name = field('name', 'Schedule name');
  const editor = rolloutForm({ groups: null, withTimes: false, onTargetsChange: () => {} });
  const done = h('div.action-msg');
  const form = h('form.card', { id: 'new-schedule', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    try {
      const s = await post('/schedules', { name: val(name), cron: val(cron), timeZone: val(tz),
        expiresAfterMinutes: val(exp) === '' ? undefined : Number(val(exp)), rollout: editor.body() });
      replace(done, `created; next firing ${fmtTime(s.nextFireAt)}`);
      onCreated();
    } catch (err) {
      showErrors(form, prefixRollout(err));
    }
  } }, h('h2', 'New schedule'), h('div.form-error'), h('div.row', name, cron, tz, exp), h('h3', 'Rollout'), editor.el,
  h('div.actions', h('button', { type: 'submit', 'data-action': 'create-schedule' }, 'Create schedule')), done);
  return form;
}

/** The schedule API names the rollout's fields rollout.*; the editor's fields are the rollout's own paths. */
function prefixRollout(err) {
  return Object.assign(Object.create(Object.getPrototypeOf(err)), err, {
    message: err.message,
    fieldErrors: (err.fieldErrors || []).map((e) => ({ field: e.field.replace(/^rollout\./, ''), message: e.message })),
  });
}
