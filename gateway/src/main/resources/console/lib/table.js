// One table component for every list: server-side paging (offset or cursor), optional sorting,
// row click. It renders exactly the rows of the current page, never more.
import { h, replace, fmtNum } from './dom.js';

/**
 * @param {object} o
 *   columns: [{key, label, sort?: true, render?: row => Node|string}]
 *   load: async ({limit, offset, after, sort, order}) => ({items, total?, next?})
 *   paging: 'offset' | 'cursor'; pageSize; sort/order: initial; onRow: row => void; rowKey: row => string
 */
export function dataTable(o) {
  const state = { offset: 0, after: null, history: [], sort: o.sort, order: o.order || 'asc', seq: 0, page: null };
  const pageSize = o.pageSize || 50;
  const tbody = h('tbody');
  const info = h('span.muted');
  const prev = h('button.small', { type: 'button', onclick: () => go(-1) }, '‹ Prev');
  const next = h('button.small', { type: 'button', onclick: () => go(1) }, 'Next ›');
  const headRow = h('tr');
  const el = h('div.table-wrap', { 'data-table': o.name || '' },
    h('table', h('thead', headRow), tbody), h('div.pager', prev, info, next));

  function renderHead() {
    replace(headRow, o.columns.map((c) => {
      if (!c.sort) return h('th', c.label);
      const active = state.sort === c.key;
      const arrow = active ? (state.order === 'asc' ? ' ▲' : ' ▼') : '';
      return h('th', h('button.th-sort', {
        type: 'button', 'data-sort': c.key, 'aria-sort': active ? (state.order === 'asc' ? 'ascending' : 'descending') : null,
        onclick: () => {
          state.order = active && state.order === 'asc' ? 'desc' : 'asc';
          state.sort = c.key;
          state.offset = 0; state.after = null; state.history = [];
          renderHead();
          refresh();
        },
      }, c.label + arrow));
    }));
  }

  async function refresh() {
    const seq = ++state.seq;
    let page;
    try {
      page = await o.load({ limit: pageSize, offset: state.offset, after: state.after, sort: state.sort, order: state.order });
    } catch (e) {
      if (seq === state.seq) replace(tbody, h('tr', h('td.error', { colspan: o.columns.length }, e.message)));
      return;
    }
    if (seq !== state.seq) return; // a newer request won
    state.page = page;
    const rows = page.items.map((row) => {
      const tr = h('tr', { 'data-key': o.rowKey ? o.rowKey(row) : null, class: o.onRow ? 'clickable' : null },
        o.columns.map((c) => h('td', { 'data-col': c.key }, c.render ? c.render(row) : (row[c.key] ?? '–'))));
      if (o.onRow) tr.addEventListener('click', () => o.onRow(row, tr));
      return tr;
    });
    replace(tbody, rows.length ? rows : h('tr', h('td.muted', { colspan: o.columns.length }, o.empty || 'Nothing here.')));
    if (o.paging === 'offset') {
      const total = page.total ?? 0;
      replace(info, total === 0 ? '0 rows' : `${fmtNum(state.offset + 1)}–${fmtNum(state.offset + page.items.length)} of ${fmtNum(total)}`);
      prev.disabled = state.offset === 0;
      next.disabled = state.offset + page.items.length >= total;
    } else {
      replace(info, `page ${state.history.length + 1}`);
      prev.disabled = state.history.length === 0;
      next.disabled = !page.next;
    }
  }

  function go(dir) {
    if (o.paging === 'offset') {
      state.offset = Math.max(0, state.offset + dir * pageSize);
    } else if (dir > 0 && state.page && state.page.next) {
      state.history.push(state.after);
      state.after = state.page.next;
    } else if (dir < 0) {
      state.after = state.history.pop() ?? null;
    }
    refresh();
  }

  /** Back to the first page (a filter changed). */
  function reset() {
    state.offset = 0; state.after = null; state.history = [];
    return refresh();
  }

  renderHead();
  return { el, refresh, reset, rows: () => (state.page ? state.page.items : []) };
}
