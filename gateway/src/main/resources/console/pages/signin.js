import { h } from '../lib/dom.js';
import { signIn } from '../lib/api.js';
import { field, val, showErrors } from '../lib/form.js';

/** Sign-in: an API token is exchanged for a session cookie; the token is not kept in the page. */
export function render(view, done) {
  const token = field('token', 'API token', 'password', { placeholder: 'fct_…',
    hint: 'The admin token is printed by ./run.sh and saved in fleetcast-data/admin-token.' });
  const form = h('form.card.narrow', { id: 'signin', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await signIn(val(token));
      token.input.value = '';
      done();
    } catch (err) {
      showErrors(form, err.fieldErrors.length ? err : { fieldErrors: [{ field: 'token', message: err.message }] });
    }
  } }, h('h2', 'Sign in'), h('div.form-error'), token, h('div.actions', h('button', { type: 'submit' }, 'Sign in')));
  view.appendChild(form);
  token.input.focus();
}
