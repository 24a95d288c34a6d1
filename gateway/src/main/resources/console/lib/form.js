// Form fields with a slot for the API's per-field error. A problem+json's errors[] {field, message}
// land next to the field whose path is the longest prefix of the error's field
// (e.g. "steps[0].spec.command" -> the command input of step 1); the rest above the form.
import { h, replace } from './dom.js';
import { confirmDialog } from './dialog.js';

/** A labelled field. kind: text | number | select | checkbox | textarea | datetime-local. */
export function field(path, label, kind = 'text', opts = {}) {
  let input;
  const id = 'f-' + path.replace(/[^A-Za-z0-9]/g, '-');
  if (kind === 'select') {
    input = h('select', { id, name: path }, (opts.options || []).map((v) => h('option', { value: v }, v === '' ? (opts.anyLabel || 'any') : v)));
    if (opts.value !== undefined) input.value = opts.value;
  } else if (kind === 'textarea') {
    input = h('textarea', { id, name: path, rows: opts.rows || 3, placeholder: opts.placeholder });
    if (opts.value !== undefined) input.value = opts.value;
  } else {
    input = h('input', { id, name: path, type: kind, placeholder: opts.placeholder, value: opts.value,
      checked: opts.checked, min: opts.min, max: opts.max, step: opts.step });
  }
  const err = h('div.field-error', { 'data-error-for': path, role: 'alert' });
  const wrap = h('div.field' + (kind === 'checkbox' ? '.check' : ''), { 'data-field': path },
    kind === 'checkbox' ? h('label', { for: id }, input, ' ', label) : [h('label', { for: id }, label), input],
    opts.hint ? h('div.hint', opts.hint) : null, err);
  wrap.input = input;
  return wrap;
}

export function val(f) {
  const i = f.input;
  if (i.type === 'checkbox') return i.checked;
  return i.value.trim();
}

/** Comma/space separated list -> array of non-empty strings. */
export function list(text) {
  return String(text || '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((e) => replace(e));
  form.querySelectorAll('.field.invalid').forEach((e) => e.classList.remove('invalid'));
  const top = form.querySelector('.form-error');
  if (top) replace(top);
}

/** Shows an ApiError on the form; returns how many errors found their field. */
export function showErrors(form, err) {
  clearErrors(form);
  const fields = [...form.querySelectorAll('[data-field]')].map((f) => f.dataset.field);
  const top = form.querySelector('.form-error');
  const unplaced = [];
  let placed = 0;
  for (const e of err.fieldErrors || []) {
    const target = fields.filter((f) => e.field === f || e.field.startsWith(f + '.') || e.field.startsWith(f + '['))
      .sort((a, b) => b.length - a.length)[0];
    if (target) {
      const slot = form.querySelector(`[data-error-for="${CSS.escape(target)}"]`);
      slot.appendChild(h('div', e.field === target ? e.message : `${e.field.slice(target.length).replace(/^\./, '')}: ${e.message}`));
      slot.parentElement.classList.add('invalid');
      placed++;
    } else {
      unplaced.push(`${e.field}: ${e.message}`);
    }
  }
  if (top) {
    const lines = unplaced.length ? unplaced : (placed ? [] : [err.message]);
    replace(top, lines.map((l) => h('div', l)));
  }
  return placed;
}

/** A row of action buttons, each running an async action with a busy state and an error line. */
export function actions(items) {
  const msg = h('span.action-msg', { role: 'status' });
  const buttons = items.filter(Boolean).map((a) => h('button' + (a.danger ? '.danger' : ''), {
    type: 'button', 'data-action': a.id, onclick: async (ev) => {
      const b = ev.currentTarget;
      if (a.confirm && !(await confirmDialog(a.label, a.confirm))) return;
      b.disabled = true;
      replace(msg);
      try {
        const r = await a.run();
        if (typeof r === 'string') replace(msg, r);
      } catch (e) {
        replace(msg, h('span.error', e.message));
      } finally {
        b.disabled = false;
      }
    },
  }, a.label));
  return h('div.actions', buttons, msg);
}
