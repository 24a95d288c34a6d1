// Live output of a running task: an event stream of output chunks, appended as text. The view
// keeps the last 64 KiB and closes its stream when it leaves the page or the task ends.
import { h } from './dom.js';

const KEEP = 65536;

/** @param onEnd called once the task has ended (to show the stored result) */
export function liveOutput(rolloutId, agentId, onEnd = () => {}) {
  const pre = h('pre.out.live', { 'data-live': agentId }, '');
  const status = h('div.muted', 'connecting…');
  const el = h('div.live-output', h('h3', 'Live output'), status, pre);
  const es = new EventSource(`/api/v1/rollouts/${encodeURIComponent(rolloutId)}/hosts/${encodeURIComponent(agentId)}/live`);
  let last = -1;
  const close = () => {
    es.close();
    clearInterval(watchdog);
  };
  const watchdog = setInterval(() => {
    if (!el.isConnected) close();
  }, 2000);
  es.addEventListener('watching', () => { status.textContent = 'streaming while the task runs'; });
  es.addEventListener('output', (e) => {
    const c = JSON.parse(e.data);
    if (last >= 0 && c.seq > last + 1) pre.appendChild(document.createTextNode(`\n[… ${c.seq - last - 1} chunk(s) dropped …]\n`));
    last = c.seq;
    pre.appendChild(document.createTextNode(c.data));
    if (pre.textContent.length > KEEP) pre.textContent = pre.textContent.slice(-KEEP);
    pre.scrollTop = pre.scrollHeight;
  });
  es.addEventListener('end', (e) => {
    status.textContent = `task ${JSON.parse(e.data).state}`;
    close();
    onEnd();
  });
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) close();
  };
  return el;
}
