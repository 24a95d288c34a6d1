// An in-page confirmation (a <dialog>), so a destructive action states what it will do and waits
// for an explicit yes.
import { h } from './dom.js';

/** Resolves true when the operator confirms. `message` is text or an array of text lines. */
export function confirmDialog(title, message, okLabel = 'Confirm') {
  return new Promise((resolve) => {
    const lines = Array.isArray(message) ? message : [message];
    const done = (v) => {
      dlg.close();
      dlg.remove();
      resolve(v);
    };
    const dlg = h('dialog.confirm', { 'aria-label': title },
      h('h3', title), lines.map((l) => h('p', l)),
      h('div.actions', h('button', { type: 'button', 'data-action': 'confirm-ok', onclick: () => done(true) }, okLabel),
        h('button.secondary', { type: 'button', 'data-action': 'confirm-cancel', onclick: () => done(false) }, 'Cancel')));
    dlg.addEventListener('cancel', () => done(false));
    document.body.appendChild(dlg);
    dlg.showModal();
  });
}
