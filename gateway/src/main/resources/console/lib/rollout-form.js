// The rollout body editor shared by "New rollout" and "New schedule": steps of every task kind,
// targets (agents, tags, subnets, all, or a saved group) and the strategy. Field paths are the
// API's, so its per-field errors land next to the right input.
import { h, replace } from './dom.js';
import { field, val, list } from './form.js';

const KIND_FIELDS = {
  exec: (p) => [field(p + '.command', 'Command'), field(p + '.args', 'Arguments (space separated)'),
    field(p + '.shell', 'Run through the shell', 'checkbox'), field(p + '.timeoutSeconds', 'Timeout (s)', 'number', { min: 1 }),
    field(p + '.env', 'Environment (KEY=value per line)', 'textarea', { rows: 2 })],
  install: (p) => [field(p + '.url', 'Download URL', 'url'), field(p + '.sha256', 'SHA-256'), field(p + '.size', 'Size (bytes)', 'number'),
    field(p + '.command', 'Install command ({file} is the download)'), field(p + '.args', 'Arguments (space separated)'),
    field(p + '.timeoutSeconds', 'Timeout (s)', 'number', { min: 1 })],
  service: (p) => [field(p + '.name', 'Service name'), field(p + '.action', 'Action', 'select', { options: ['restart', 'start', 'stop', 'status'] })],
  power: (p) => [field(p + '.action', 'Action', 'select', { options: ['reboot', 'shutdown', 'logoff'] }),
    field(p + '.delaySeconds', 'Delay (s)', 'number', { min: 0 }), field(p + '.onlyIfNoUser', 'Only if nobody is logged on', 'checkbox'),
    field(p + '.message', 'Message to the user')],
  inventory: () => [h('p.muted', 'Re-sends the machine\'s facts.')],
};
const TYPES = { timeoutSeconds: 'int', size: 'int', delaySeconds: 'int', shell: 'bool', onlyIfNoUser: 'bool', args: 'list', env: 'env' };

/** A number from an input, or the text itself (so the API can say what is wrong with it). */
function num(text) {
  return text === '' ? undefined : (Number.isFinite(Number(text)) ? Number(text) : text);
}

function stepEditor(index) {
  const p = `steps[${index}]`;
  const kind = field(p + '.kind', 'Kind', 'select', { options: Object.keys(KIND_FIELDS) });
  const continueOn = field(p + '.continueOn', 'Next step runs after', 'select', { options: ['success', 'failure', 'always'] });
  const specBox = h('div.spec');
  let specFields = [];
  const draw = () => {
    const nodes = KIND_FIELDS[val(kind)](p + '.spec');
    specFields = nodes.filter((f) => f.input);
    replace(specBox, nodes);
  };
  kind.input.addEventListener('change', draw);
  draw();
  const el = h('fieldset.step', { 'data-step': index }, h('legend', `Step ${index + 1}`), h('div.row', kind, continueOn), specBox);
  return {
    el,
    body() {
      const spec = {};
      for (const f of specFields) {
        const key = f.dataset.field.split('.').pop();
        const v = val(f);
        const t = TYPES[key];
        if (t === 'bool') { if (v) spec[key] = true; continue; }
        if (v === '') continue;
        if (t === 'int') spec[key] = num(v);
        else if (t === 'list') spec[key] = list(v);
        else if (t === 'env') spec[key] = Object.fromEntries(v.split('\n').filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1)]));
        else spec[key] = v;
      }
      return { kind: val(kind), spec, continueOn: val(continueOn) };
    },
    describe() {
      const b = this.body();
      const s = b.spec;
      const what = { exec: () => `exec ${s.command || ''} ${(s.args || []).join(' ')}`, install: () => `install ${s.url || ''}`,
        service: () => `${s.action} service ${s.name || ''}`, power: () => `${s.action}${s.onlyIfNoUser ? ' (only if nobody is logged on)' : ''}`,
        inventory: () => 'inventory' }[b.kind];
      return what().trim();
    },
  };
}

/**
 * @param {{groups: string[]|null, withTimes: boolean, onTargetsChange: () => void}} o  groups null: no group choice
 * @returns {{el, body(), targets(), stepsText(): string[]}}
 */
export function rolloutForm(o) {
  const name = field('name', 'Name');
  const steps = [];
  const stepsBox = h('div.steps');
  const redraw = () => replace(stepsBox, steps.map((s) => s.el));
  const addStep = () => {
    steps.push(stepEditor(steps.length));
    redraw();
  };
  const removeStep = () => {
    if (steps.length > 1) steps.pop();
    redraw();
  };
  addStep();

  // schedules store their rollout body as written, so they take selectors, not group names
  const modes = ['tags', 'subnets', 'agents', 'all', ...(o.groups ? ['group'] : [])];
  const mode = field('targets.mode', 'Targets', 'select', { options: modes });
  const t = {
    tags: field('targets.tags', 'Tags (all must match)'),
    subnets: field('targets.subnets', 'Subnets (any)', 'text', { placeholder: '10.20.0.0/16' }),
    agents: field('targets.agents', 'Agent ids (one per line)', 'textarea'),
    group: field('targets.group', 'Saved group', 'select', { options: o.groups || [] }),
  };
  const targetsBox = h('div.targets');
  const drawTargets = () => {
    const m = val(mode);
    replace(targetsBox, m === 'tags' ? [t.tags, t.subnets] : m === 'subnets' ? [t.subnets, t.tags] : m === 'agents' ? [t.agents]
      : m === 'group' ? [t.group] : [h('p.muted', 'Every enrolled agent.')]);
    o.onTargetsChange();
  };
  mode.input.addEventListener('change', drawTargets);
  Object.values(t).forEach((f) => f.input.addEventListener('input', o.onTargetsChange));
  t.group.input.addEventListener('change', o.onTargetsChange);

  const s = {
    waves: field('strategy.waves', 'Waves (cumulative %)', 'text', { value: '100', placeholder: '1, 10, 100' }),
    maxInFlight: field('strategy.maxInFlight', 'Max in flight', 'number', { min: 1 }),
    maxFailurePercent: field('strategy.maxFailurePercent', 'Halt above failure %', 'number', { min: 0, max: 100, step: 'any' }),
    startAfter: o.withTimes ? field('strategy.startAfter', 'Start after (UTC)', 'datetime-local') : null,
    expiresAt: o.withTimes ? field('strategy.expiresAt', 'Expires at (UTC)', 'datetime-local') : null,
    wakeOffline: field('strategy.wakeOffline', 'Wake offline machines first', 'checkbox'),
    requireConsent: field('strategy.requireConsent', 'Ask the logged-on user for consent', 'checkbox'),
  };

  function targets() {
    const m = val(mode);
    if (m === 'all') return { all: true };
    if (m === 'group') return { group: val(t.group) };
    if (m === 'agents') return { agents: list(val(t.agents)) };
    const out = {};
    if (list(val(t.tags)).length) out.tags = list(val(t.tags));
    if (list(val(t.subnets)).length) out.subnets = list(val(t.subnets));
    return out;
  }

  function strategy() {
    const out = {};
    const w = list(val(s.waves));
    if (w.length) out.waves = w.map(num);
    if (val(s.maxInFlight) !== '') out.maxInFlight = num(val(s.maxInFlight));
    if (val(s.maxFailurePercent) !== '') out.maxFailurePercent = num(val(s.maxFailurePercent));
    // datetime-local has no zone: the form says UTC and sends UTC
    if (s.startAfter && val(s.startAfter)) out.startAfter = val(s.startAfter) + ':00Z';
    if (s.expiresAt && val(s.expiresAt)) out.expiresAt = val(s.expiresAt) + ':00Z';
    if (val(s.wakeOffline)) out.wakeOffline = true;
    if (val(s.requireConsent)) out.requireConsent = true;
    return out;
  }

  const el = h('div.rollout-form',
    h('div.row', name),
    h('h3', 'Steps'), stepsBox,
    h('div.actions', h('button.small.secondary', { type: 'button', 'data-action': 'add-step', onclick: addStep }, 'Add step'),
      h('button.small.secondary', { type: 'button', 'data-action': 'remove-step', onclick: removeStep }, 'Remove last step')),
    h('h3', 'Targets'), h('div.field-group', { 'data-field': 'targets' }, mode, targetsBox, h('div.field-error', { 'data-error-for': 'targets' })),
    h('h3', 'Strategy'), h('div.row.wrap', Object.values(s).filter(Boolean)));
  drawTargets();
  return {
    el,
    targets,
    body: () => ({ name: val(name), steps: steps.map((x) => x.body()), targets: targets(), strategy: strategy() }),
    stepsText: () => steps.map((x, i) => `step ${i + 1}: ${x.describe()}`),
  };
}
