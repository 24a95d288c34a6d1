// The console's shell: session check, navigation by role, hash routes to pages. Each page module
// exports render(view, params) and may return a cleanup function (closing its event stream).
import { h, replace } from './lib/dom.js';
import { can, currentSession, resume, setSignedOutHandler, signOut } from './lib/api.js';
import * as signin from './pages/signin.js';
import * as overview from './pages/overview.js';
import * as agents from './pages/agents.js';
import * as agent from './pages/agent.js';
import * as rollouts from './pages/rollouts.js';
import * as rollout from './pages/rollout.js';
import * as newRollout from './pages/new-rollout.js';
import * as schedules from './pages/schedules.js';
import * as wake from './pages/wake.js';
import * as cluster from './pages/cluster.js';
import * as audit from './pages/audit.js';

const ROUTES = [
  { re: /^\/$/, page: overview, nav: 'Overview' },
  { re: /^\/agents$/, page: agents, nav: 'Agents' },
  { re: /^\/agents\/([0-9a-f-]{36})$/, page: agent },
  { re: /^\/rollouts$/, page: rollouts, nav: 'Rollouts' },
  { re: /^\/rollouts\/new$/, page: newRollout, role: 'operator' },
  { re: /^\/rollouts\/([0-9a-f-]{36})$/, page: rollout },
  { re: /^\/schedules$/, page: schedules, nav: 'Schedules' },
  { re: /^\/wake$/, page: wake, nav: 'Wake', role: 'operator' },
  { re: /^\/cluster$/, page: cluster, nav: 'Cluster' },
  { re: /^\/audit$/, page: audit, nav: 'Audit', role: 'admin' },
];
const LINKS = { Overview: '#/', Agents: '#/agents', Rollouts: '#/rollouts', Schedules: '#/schedules', Wake: '#/wake',
  Cluster: '#/cluster', Audit: '#/audit' };

const view = document.getElementById('view');
let cleanup = null;

function path() {
  const p = location.hash.replace(/^#/, '') || '/';
  return p.split('?')[0];
}

function renderChrome() {
  const s = currentSession();
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!s.role) {
    replace(nav);
    replace(who);
    return;
  }
  const here = path();
  replace(nav, ROUTES.filter((r) => r.nav && (!r.role || can(r.role))).map((r) => {
    const href = LINKS[r.nav];
    const active = here === href.slice(1) || (href !== '#/' && here.startsWith(href.slice(1)));
    return h('a', { href, class: active ? 'active' : null }, r.nav);
  }));
  replace(who, h('span', { 'data-role': s.role }, `${s.name} · ${s.role}`), ' ',
    h('button.small.secondary', { type: 'button', 'data-action': 'sign-out', onclick: async () => {
      try {
        await signOut();
      } finally {
        route();
      }
    } }, 'Sign out'));
}

async function route() {
  if (cleanup) {
    try { cleanup(); } catch (e) { /* a page's cleanup must not stop navigation */ }
    cleanup = null;
  }
  renderChrome();
  // each navigation renders into a fresh element: a page still loading when the operator moves on
  // finishes into a detached element (and is cleaned up) instead of appending to the next page
  const page = h('div', { id: 'page' });
  replace(view, page);
  if (!currentSession().role) {
    signin.render(page, () => route());
    return;
  }
  const p = path();
  const r = ROUTES.find((x) => x.re.test(p));
  if (!r) {
    page.appendChild(h('p.error', 'No such page.'));
    return;
  }
  if (r.role && !can(r.role)) {
    page.appendChild(h('p.error', `This page needs the ${r.role} role.`));
    return;
  }
  const params = p.match(r.re).slice(1);
  try {
    const c = await r.page.render(page, ...params);
    if (typeof c === 'function') {
      if (page.isConnected) cleanup = c;
      else c();
    }
  } catch (e) {
    page.appendChild(h('p.error', e.message));
  }
}

setSignedOutHandler(() => route());
window.addEventListener('hashchange', route);
resume().then(route);
