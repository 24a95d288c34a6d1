import { h, card, replace, fmtNum } from '../lib/dom.js';
import { api, get, post } from '../lib/api.js';
import { field, val, showErrors, clearErrors } from '../lib/form.js';
import { rolloutForm } from '../lib/rollout-form.js';
import { confirmDialog } from '../lib/dialog.js';

/**
 * New rollout: the shared rollout editor, a live count of the machines the targets name (the
 * preview endpoint, debounced), a confirmation that says how many machines will run what, and
 * the API's per-field errors next to their fields.
 */
export async function render(view) {
  const groups = (await get('/groups')).items.map((g) => g.name);
  const count = h('div.preview', { id: 'target-preview', 'aria-live': 'polite' }, '…');
  let timer = null;
  const form = h('form.card', { id: 'new-rollout', novalidate: true, onsubmit: (e) => {
    e.preventDefault();
    submit();
  } });
  const editor = rolloutForm({ groups, withTimes: true, onTargetsChange: () => {
    clearTimeout(timer);
    timer = setTimeout(preview, 300);
  } });
  const saveAs = field('saveGroup', 'Save these targets as group');

  async function preview() {
    try {
      const p = await post('/rollouts/preview', { targets: editor.targets() });
      replace(count, h('strong', { 'data-count': p.targets }, fmtNum(p.targets)), ` machine(s) match, ${fmtNum(p.online)} online now`);
      return p;
    } catch (e) {
      replace(count, h('span.error', e.message));
      throw e;
    }
  }

  async function saveGroup() {
    const name = val(saveAs);
    const sel = editor.targets();
    if (!name || sel.group) return;
    try {
      await api('PUT', '/groups/' + encodeURIComponent(name), { selector: sel });
      replace(count, count.textContent, h('span.muted', ` · saved as group "${name}"`));
    } catch (e) {
      showErrors(form, { fieldErrors: [{ field: 'saveGroup', message: e.message }] });
      throw e;
    }
  }

  async function submit() {
    clearErrors(form);
    let p;
    try {
      p = await preview();
    } catch (e) {
      showErrors(form, e);
      return;
    }
    const body = editor.body();
    const ok = await confirmDialog('Start this rollout?', [
      `${fmtNum(p.targets)} machine(s) (${fmtNum(p.online)} online now) will run:`, ...editor.stepsText(),
      `Waves ${(body.strategy.waves || [100]).join(', ')} %` + (body.strategy.maxFailurePercent !== undefined
        ? `, halting above ${body.strategy.maxFailurePercent} % failures.` : '.')], 'Start rollout');
    if (!ok) return;
    try {
      await saveGroup();
      const c = await post('/rollouts', body);
      location.hash = '#/rollouts/' + c.id;
    } catch (e) {
      showErrors(form, e);
    }
  }

  form.append(h('h1', 'New rollout'), h('div.form-error'), editor.el, count, saveAs,
    h('div.actions', h('button', { type: 'submit', 'data-action': 'create-rollout' }, 'Review and start')));
  view.append(form);
  preview().catch(() => {});
}
