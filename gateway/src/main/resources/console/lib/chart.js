// A tiny SVG bar chart (no library): two series per bucket, drawn with DOM calls only.
import { h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * buckets: [{label, a, b}] oldest first; a and b are drawn side by side (e.g. connects, disconnects).
 */
export function barChart(buckets, { aLabel, bLabel, width = 640, height = 140 } = {}) {
  const max = Math.max(1, ...buckets.map((x) => Math.max(x.a, x.b)));
  const pad = 24;
  const w = (width - pad) / Math.max(1, buckets.length);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height + 18}`, class: 'chart', role: 'img',
    'aria-label': `${aLabel} and ${bLabel} per minute, last hour` });
  svg.appendChild(s('text', { x: 0, y: 10, class: 'axis' }, String(max)));
  svg.appendChild(s('line', { x1: pad, y1: height, x2: width, y2: height, class: 'base' }));
  buckets.forEach((x, i) => {
    const ha = (x.a / max) * (height - 14);
    const hb = (x.b / max) * (height - 14);
    const x0 = pad + i * w;
    const ra = s('rect', { x: x0 + 0.5, y: height - ha, width: Math.max(1, w / 2 - 1), height: ha, class: 'bar-a' });
    ra.appendChild(s('title', {}, `${x.label}: ${x.a} ${aLabel}`));
    const rb = s('rect', { x: x0 + w / 2, y: height - hb, width: Math.max(1, w / 2 - 1), height: hb, class: 'bar-b' });
    rb.appendChild(s('title', {}, `${x.label}: ${x.b} ${bLabel}`));
    svg.append(ra, rb);
    if (i % 15 === 0) svg.appendChild(s('text', { x: x0, y: height + 14, class: 'axis' }, x.label));
  });
  return h('figure.chart-wrap', svg,
    h('figcaption', h('span.key-a', '■'), ` ${aLabel}  `, h('span.key-b', '■'), ` ${bLabel} (per minute, last hour)`));
}

/** A stacked horizontal bar of counts per state, with a legend. */
export function stateBar(counts, order) {
  const total = order.reduce((n, k) => n + (counts[k] || 0), 0);
  const bar = h('div.statebar', { role: 'img', 'aria-label': 'targets by state' });
  const legend = h('div.legend');
  for (const k of order) {
    const n = counts[k] || 0;
    if (!n) continue;
    const seg = h('div.seg.s-' + k, { title: `${k}: ${n}` });
    seg.style.width = `${(100 * n) / Math.max(1, total)}%`;
    bar.appendChild(seg);
    legend.appendChild(h('span.legend-item', { 'data-state': k }, h('span.dot.s-' + k), ` ${k} ${n.toLocaleString('en-US')}`));
  }
  return h('div', bar, legend);
}
