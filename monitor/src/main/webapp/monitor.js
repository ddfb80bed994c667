// Courier monitor: a plain page over the admin API (api/..., served by this module to the signed-in
// operator). No framework, no innerHTML with data: every value goes into the page as text (el(),
// text()). API errors are shown in the notice area, never swallowed. Times are shown as ISO-8601 UTC.
// Every request says it comes from this page (X-Courier-Request: the admin API refuses a
// state-changing request without it, see CrossSiteRule); the page's own periodic refreshes say so
// too (X-Courier-Refresh: they are not an operator's activity, see IdleTimeout).

const API = 'api';
const REFRESH_MS = 2000;
const MESSAGE_PAGE_SIZE = 50;
const AUDIT_PAGE_SIZE = 50;

// ---------------------------------------------------------------- small helpers

/** Creates an element; attrs may hold dataset entries (data-*), class, event handlers (on*). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function text(value) {
  return value === undefined || value === null || value === '' ? '—' : String(value);
}

/** An ISO-8601 UTC rendering of an API time (ISO string or epoch millis), or '—'. */
function utc(value) {
  if (value === undefined || value === null || value === '') return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

function cell(value, cls) {
  return el('td', { class: cls }, text(value));
}

function stateCell(state, testid) {
  return el('td', {}, el('span', { class: `state ${state}`, 'data-testid': testid }, text(state)));
}

function replaceRows(table, rows) {
  table.querySelector('tbody').replaceChildren(...rows);
}

/** Sets the form's fields named in params (others are left as they are). */
function fill(form, params) {
  for (const [name, value] of Object.entries(params)) {
    if (form.elements[name]) form.elements[name].value = value;
  }
}

function formValues(form) {
  const values = {};
  for (const [name, value] of new FormData(form).entries()) {
    if (String(value).trim() !== '') values[name] = String(value).trim();
  }
  return values;
}

// ---------------------------------------------------------------- the API

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The session is over (signed out, timed out, server restarted): the login page takes over. */
function signedOut(reason) {
  window.location.assign(`login.html?signed-out=${encodeURIComponent(reason)}`);
  return new ApiError(401, 'signed out');
}

/**
 * Calls the admin API; a non-2xx answer throws an ApiError with the server's {"error"} text.
 * `automatic`: a refresh the page makes by itself, not the operator.
 */
async function api(method, path, params = {}, { automatic = false } = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.append(name, value);
  }
  const url = `${API}${path}${query.toString() ? `?${query}` : ''}`;
  const headers = { Accept: 'application/json', 'X-Courier-Request': 'monitor' };
  if (automatic) headers['X-Courier-Refresh'] = 'auto';
  let response;
  try {
    response = await fetch(url, { method, headers, credentials: 'same-origin', redirect: 'manual' });
  } catch (e) {
    throw new ApiError(0, `${method} ${path}: Courier cannot be reached (${e.message})`);
  }
  // Without a session WildFly answers with the login page (or a redirect to it) instead of JSON.
  const type = response.headers.get('Content-Type') || '';
  if (response.status === 401 || response.type === 'opaqueredirect' || (response.ok && type.startsWith('text/html'))) {
    throw signedOut(response.status === 401 ? 'idle' : 'session');
  }
  const body = await response.text();
  let json = null;
  try {
    json = body ? JSON.parse(body) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    const reason = json && json.error ? json.error : body.slice(0, 300) || response.statusText;
    throw new ApiError(response.status, `${method} ${path} answered ${response.status}: ${reason}`);
  }
  return json;
}

// ---------------------------------------------------------------- notices

const notices = () => document.querySelector('[data-testid="notices"]');

function notify(kind, message) {
  const box = notices();
  // the same error repeated by the auto-refresh is shown once
  for (const existing of box.children) {
    if (existing.dataset.message === message) return;
  }
  const notice = el('div', { class: `notice ${kind}`, 'data-testid': kind === 'error' ? 'error' : 'info', 'data-message': message },
    el('span', {}, `${new Date().toISOString()}  ${message}`),
    el('button', { type: 'button', onclick: () => notice.remove() }, 'Dismiss'));
  box.prepend(notice);
  while (box.children.length > 5) box.lastChild.remove();
}

/** Runs an API action and reports its failure; returns undefined on failure. */
async function attempt(action) {
  try {
    return await action();
  } catch (e) {
    notify('error', e.message);
    return undefined;
  }
}

function refreshed() {
  document.querySelector('[data-testid="last-refresh"]').textContent = `updated ${new Date().toISOString()}`;
}

// ---------------------------------------------------------------- Overview (the landing page)

const OVERVIEW_REFRESH_MS = 5000;

const overview = {
  busy: false,
  section: () => document.getElementById('view-overview'),
  form: () => overview.section().querySelector('[data-testid="overview-form"]'),

  init() {
    const form = overview.form();
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      overview.refresh();
    });
    form.elements.window.addEventListener('change', () => {
      const custom = form.elements.window.value === 'custom';
      for (const label of form.querySelectorAll('[data-custom]')) label.hidden = !custom;
      if (!custom) overview.refresh();
    });
  },

  params() {
    const values = formValues(overview.form());
    if (values.window === 'custom') return { from: values.from, to: values.to };
    return { window: values.window };
  },

  async refresh(options = {}) {
    if (overview.busy) return;
    overview.busy = true;
    try {
      await attempt(async () => {
        const o = await api('GET', '/overview', overview.params(), options);
        overview.render(o);
        refreshed();
      });
    } finally {
      overview.busy = false;
    }
  },

  render(o) {
    const a = o.attention;
    const callout = (count, what, href, testid) => (count > 0
      ? el('a', { href, class: 'alarm', 'data-testid': testid, 'data-count': count }, `${count} ${what}`)
      : el('span', { 'data-testid': testid, 'data-count': 0, class: 'calm' }, `no ${what}`));
    overview.section().querySelector('[data-testid="overview-attention"]').replaceChildren(
      callout(a.failed, a.failed === 1 ? 'delivery in the failure store' : 'deliveries in the failure store', '#failures',
        'attention-failed'),
      callout(a.inDoubt, a.inDoubt === 1 ? 'delivery in doubt' : 'deliveries in doubt', '#in-doubt',
        'attention-in-doubt'),
      callout(a.blockedLanes, a.blockedLanes === 1 ? 'in-order queue blocked' : 'in-order queues blocked', '#queues?state=BLOCKED',
        'attention-blocked'),
      el('span', { class: 'hint' }, `window ${utc(o.from)} – ${utc(o.to)}`));
    overview.section().querySelector('[data-testid="overview-charts"]').replaceChildren(...trafficCharts(o.chart));
    const count = (n, alarm) => el('td', { class: `count${alarm && n > 0 ? ' alarm' : ''}` }, String(n));
    replaceRows(overview.section().querySelector('[data-testid="overview-receivers"]'), o.receivers.map((r) => el('tr', {
      'data-testid': 'overview-receiver', 'data-receiver': r.receiver, 'data-failed-now': r.failedNow,
      'data-waiting-now': r.waitingNow, class: r.failedNow > 0 || r.state === 'DOWN' ? 'blocked' : undefined,
    },
    cell(r.receiver), r.state ? stateCell(r.state, 'overview-health') : cell('not configured'),
    count(r.accepted), count(r.delivered), count(r.pending), count(r.held), count(r.failed, true), count(r.inDoubt, true),
    count(r.cancelled), el('td', { class: 'count', 'data-testid': 'overview-waiting' }, String(r.waitingNow)),
    el('td', { class: 'error', 'data-testid': 'overview-why' }, r.topError
      ? `${r.topError.example} (${r.topError.atLeast ? 'at least ' : ''}${r.topError.count} in the failure store)` : '—'),
    el('td', {}, r.failedNow > 0 ? el('a', {
      href: `#failures?receiver=${encodeURIComponent(r.receiver)}`, 'data-testid': 'overview-errors',
      'aria-label': `errors of ${r.receiver}`,
    }, `Errors (${r.failedNow})`) : null))));
    if (o.receivers.length === 0) {
      replaceRows(overview.section().querySelector('[data-testid="overview-receivers"]'),
        [el('tr', {}, el('td', { colspan: 12 }, 'No receiver.'))]);
    }
    replaceRows(overview.section().querySelector('[data-testid="overview-interfaces"]'), o.interfaces.map((i) => el('tr', {
      'data-testid': 'overview-interface', 'data-interface': i.interfaceName,
    }, cell(i.interfaceName), count(i.accepted), count(i.delivered), count(i.pending), count(i.held), count(i.failed, true),
    count(i.inDoubt, true), count(i.cancelled))));
    if (o.interfaces.length === 0) {
      replaceRows(overview.section().querySelector('[data-testid="overview-interfaces"]'),
        [el('tr', {}, el('td', { colspan: 8 }, 'Nothing accepted in the window.'))]);
    }
  },
};

/**
 * The overview's two charts of the window (plain SVG): deliveries accepted and delivered per
 * bucket, and the backlog sampled (a gap where Courier was down); each with its figures in a
 * table under "Figures" for keyboard and screen-reader users.
 */
function trafficCharts(chart) {
  const points = chart.points;
  const bucket = chart.bucketMinutes === 1 ? 'minute' : `${chart.bucketMinutes} minutes`;
  const sum = (key) => points.reduce((total, p) => total + p[key], 0);
  const backlogs = points.filter((p) => p.backlog !== null).map((p) => p.backlog);
  const width = 720;
  const height = 150;
  const left = 48;
  const bottom = 20;
  const plot = (series, max) => {
    // one polyline per run of known values: a gap stays a gap
    const runs = [];
    let run = [];
    series.forEach((v, i) => {
      if (v === null) {
        if (run.length) runs.push(run);
        run = [];
        return;
      }
      const x = left + (points.length === 1 ? 0 : (i / (points.length - 1)) * (width - left - 8));
      const y = 8 + (1 - v / max) * (height - bottom - 8);
      run.push(`${x.toFixed(1)},${y.toFixed(1)}`);
    });
    if (run.length) runs.push(run);
    return runs.map((r) => (r.length === 1 ? `${r[0]} ${r[0]}` : r.join(' ')));
  };
  const frame = (label, testid, max, lines, data) => {
    const chartSvg = svg('svg', {
      viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': label, 'data-testid': testid, ...data,
    }, svg('title', {}, label),
    svg('line', { x1: left, y1: height - bottom, x2: width - 8, y2: height - bottom, class: 'axis' }),
    svg('line', { x1: left, y1: 8, x2: left, y2: height - bottom, class: 'axis' }),
    svg('text', { x: left - 4, y: 14, class: 'tick', 'text-anchor': 'end' }, String(max)),
    svg('text', { x: left - 4, y: height - bottom, class: 'tick', 'text-anchor': 'end' }, '0'),
    svg('text', { x: left, y: height - 4, class: 'tick' }, utc(points[0].at)),
    svg('text', { x: width - 8, y: height - 4, class: 'tick', 'text-anchor': 'end' }, utc(points[points.length - 1].at)));
    for (const [cls, runs] of lines) {
      for (const line of runs) chartSvg.append(svg('polyline', { points: line, class: `series ${cls}` }));
    }
    return chartSvg;
  };
  const traffic = (key) => points.map((p) => p[key]);
  const trafficMax = Math.max(1, ...traffic('accepted'), ...traffic('delivered'));
  const backlogMax = Math.max(1, ...backlogs);
  const figures = el('details', { 'data-testid': 'chart-figures' }, el('summary', {}, 'Figures'),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, `From (UTC), per ${bucket}`), el('th', {}, 'Accepted'),
      el('th', {}, 'Delivered'), el('th', {}, 'Backlog'))),
    el('tbody', {}, ...points.filter((p) => p.accepted || p.delivered || p.backlog).map((p) => el('tr', {},
      cell(utc(p.at)), cell(String(p.accepted)), cell(String(p.delivered)), cell(p.backlog === null ? 'not sampled'
        : String(p.backlog)))))));
  return [
    el('figure', { class: 'chart' }, frame(`Deliveries per ${bucket}: ${sum('accepted')} accepted, ${sum('delivered')}`
      + ' delivered in the window', 'chart-traffic', trafficMax,
    [['accepted', plot(traffic('accepted'), trafficMax)], ['delivered', plot(traffic('delivered'), trafficMax)]],
    { 'data-accepted': sum('accepted'), 'data-delivered': sum('delivered') }),
    el('figcaption', {}, el('span', { class: 'key accepted' }, 'accepted'), ' and ', el('span', { class: 'key delivered' },
      'delivered'), ` deliveries per ${bucket}`)),
    el('figure', { class: 'chart' }, frame(backlogs.length ? `Backlog: at most ${Math.max(...backlogs)} deliveries waiting`
      : 'Backlog: not sampled in the window', 'chart-backlog', backlogMax,
    [['backlog', plot(points.map((p) => p.backlog), backlogMax)]],
    { 'data-backlog-max': backlogs.length ? Math.max(...backlogs) : '' }),
    el('figcaption', {}, el('span', { class: 'key backlog' }, 'backlog'),
      ': pending, held, failed and in doubt, sampled each minute (largest per bucket; a gap: Courier was down)')),
    figures,
  ];
}

// ---------------------------------------------------------------- Queues

const queues = {
  selected: null, // {sender, queueId}
  busy: false,

  section: () => document.getElementById('view-queues'),
  form: () => queues.section().querySelector('[data-testid="queue-filter-form"]'),
  table: () => queues.section().querySelector('[data-testid="queue-table"]'),
  detail: () => queues.section().querySelector('[data-testid="queue-detail"]'),

  init() {
    queues.form().addEventListener('submit', (event) => {
      event.preventDefault();
      queues.refresh();
    });
    queues.form().querySelector('select').addEventListener('change', () => queues.refresh());
  },

  /** Opened from the overview: "#queues?state=BLOCKED". */
  withParams(params) {
    fill(queues.form(), params);
  },

  async refresh(options = {}) {
    if (queues.busy) return;
    queues.busy = true;
    try {
      await attempt(async () => {
        const list = await api('GET', '/queues', formValues(queues.form()), options);
        queues.renderList(list);
        if (queues.selected) {
          await queues.loadDetail(options);
        }
        refreshed();
      });
    } finally {
      queues.busy = false;
    }
  },

  renderList(list) {
    replaceRows(queues.table(), list.queues.map((queue) => {
      const blocked = queue.lanes.some((lane) => lane.state === 'BLOCKED');
      const selected = queues.selected && queues.selected.sender === queue.sender
        && queues.selected.queueId === queue.queueId;
      return el('tr', {
        class: ['clickable', blocked ? 'blocked' : '', selected ? 'selected' : ''].join(' ').trim(),
        'data-testid': 'queue-row', 'data-sender': queue.sender, 'data-queue-id': queue.queueId,
        'data-blocked': blocked ? 'true' : 'false',
        onclick: () => queues.open(queue.sender, queue.queueId),
      },
      cell(queue.sender), cell(queue.queueId, 'id'), cell(queue.policy), cell(queue.lastSequence),
      el('td', {}, queue.lanes.map((lane) => el('div', {},
        `${lane.receiver}: `, el('span', { class: `state ${lane.state}` }, lane.state),
        lane.held ? ` (${lane.held} held)` : ''))));
    }));
    if (list.queues.length === 0) {
      replaceRows(queues.table(), [el('tr', {}, el('td', { colspan: 5, 'data-testid': 'queue-empty' }, 'No queue matches.'))]);
    }
    queues.section().querySelector('[data-testid="queue-more"]').hidden = !list.more;
  },

  async open(sender, queueId) {
    queues.selected = { sender, queueId };
    for (const row of queues.table().querySelectorAll('tr[data-testid="queue-row"]')) {
      row.classList.toggle('selected', row.dataset.sender === sender && row.dataset.queueId === queueId);
    }
    await attempt(() => queues.loadDetail());
  },

  async loadDetail(options = {}) {
    const { sender, queueId } = queues.selected;
    const view = await api('GET', '/queue', { sender, queueId }, options);
    const held = await Promise.all(view.lanes.map((lane) => (lane.held > 0
      ? api('GET', '/queue/held', { sender, queueId, receiver: lane.receiver, limit: 100 }, options).then((r) => r.held)
      : Promise.resolve([]))));
    if (!queues.selected || queues.selected.sender !== sender || queues.selected.queueId !== queueId) return;
    queues.renderDetail(view, held);
  },

  renderDetail(view, held) {
    const detail = queues.detail();
    const policy = el('select', { 'data-testid': 'policy-select' },
      ['BLOCK', 'SKIP'].map((p) => el('option', { value: p, selected: p === view.policy }, p)));
    detail.replaceChildren(
      el('h2', {}, 'Queue ', el('span', { class: 'mono', 'data-testid': 'detail-queue-id' }, view.queueId),
        ' of ', el('span', { 'data-testid': 'detail-sender' }, view.sender)),
      el('dl', { class: 'facts' },
        el('dt', {}, 'Policy'), el('dd', { 'data-testid': 'detail-policy' }, view.policy),
        el('dt', {}, 'Last sequence'), el('dd', {}, String(view.lastSequence))),
      el('div', { class: 'actions admin-action' }, el('label', {}, 'Policy on failure ', policy),
        el('button', { type: 'button', 'data-testid': 'policy-apply', onclick: () => queues.changePolicy(view, policy.value) },
          'Apply policy')),
      ...view.lanes.map((lane, i) => queues.lane(view, lane, held[i])),
      el('div', { class: 'actions' }, el('button', { type: 'button', onclick: () => queues.close() }, 'Close')));
    detail.hidden = false;
  },

  lane(view, lane, held) {
    const head = lane.head;
    return el('div', { class: 'lane', 'data-testid': 'lane', 'data-receiver': lane.receiver, 'data-state': lane.state },
      el('h3', {}, `To ${lane.receiver}: `, el('span', { class: `state ${lane.state}`, 'data-testid': 'lane-state' }, lane.state)),
      el('dl', { class: 'facts' },
        el('dt', {}, 'Head'), el('dd', { class: 'mono', 'data-testid': 'lane-head' }, head ? head.messageId : '—'),
        el('dt', {}, 'Head #'), el('dd', {}, head ? String(head.sequence) : '—'),
        el('dt', {}, 'Head state'), el('dd', { 'data-testid': 'lane-head-state' }, head ? head.state : '—'),
        el('dt', {}, 'Attempts'), el('dd', { 'data-testid': 'lane-attempts' }, head ? String(head.attempts) : '—'),
        el('dt', {}, 'Last error'), el('dd', { class: 'error', 'data-testid': 'lane-last-error' }, head ? text(head.lastError) : '—'),
        el('dt', {}, 'Held'), el('dd', { 'data-testid': 'lane-held-count' }, String(lane.held))),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'primary admin-action', 'data-testid': 'resend-head', disabled: !head,
          onclick: () => queues.act('resend-head', view, lane.receiver) }, 'Resend head'),
        el('button', { type: 'button', class: 'danger admin-action', 'data-testid': 'cancel-head', disabled: !head,
          onclick: () => {
            if (window.confirm(`Cancel ${head.messageId} to ${lane.receiver}? It will never be delivered.`)) {
              queues.act('cancel-head', view, lane.receiver);
            }
          } }, 'Cancel head')),
      held.length === 0 ? el('p', { class: 'hint', 'data-testid': 'held-none' }, 'Nothing held.')
        : el('div', {}, el('div', { class: 'hint' },
          lane.held > held.length ? `Held (first ${held.length} of ${lane.held}):` : 'Held:'),
        el('ol', { class: 'held', 'data-testid': 'held-list' }, held.map((m) => el('li', {
          'data-testid': 'held-message', 'data-message-id': m.messageId, 'data-sequence': m.sequence,
        }, `#${m.sequence} ${m.messageId}${m.part ? ` [${m.part}]` : ''}`)))));
  },

  async act(action, view, receiver) {
    const result = await attempt(() => api('POST', `/queue/${action}`,
      { sender: view.sender, queueId: view.queueId, receiver }));
    if (result) {
      notify('info', `${action} done on ${view.sender}/${view.queueId} to ${receiver}`);
      await queues.refresh();
    }
  },

  async changePolicy(view, policy) {
    const result = await attempt(() => api('PUT', '/queue/policy', { sender: view.sender, queueId: view.queueId, policy }));
    if (result) {
      notify('info', `policy of ${view.sender}/${view.queueId} is now ${result.policy}`);
      await queues.refresh();
    }
  },

  close() {
    queues.selected = null;
    queues.detail().hidden = true;
    queues.detail().replaceChildren();
    queues.refresh();
  },
};

// ---------------------------------------------------------------- Failure store

const failures = {
  section: () => document.getElementById('view-failures'),
  form: () => failures.section().querySelector('form'),
  table: () => failures.section().querySelector('[data-testid="failure-table"]'),

  init() {
    failures.form().addEventListener('submit', (event) => {
      event.preventDefault();
      failures.refresh();
    });
    const receiver = failures.form().elements.receiver;
    const resendAll = failures.section().querySelector('[data-testid="failure-resend-all"]');
    receiver.addEventListener('input', () => { resendAll.disabled = receiver.value.trim() === ''; });
    resendAll.addEventListener('click', async () => {
      const name = receiver.value.trim();
      if (!window.confirm(`Send every failed delivery to ${name} again now?`)) return;
      const result = await attempt(() => api('POST', '/failures/resend-all', { receiver: name }));
      if (result) {
        notify('info', `${result.resent} deliveries to ${name} sent again`);
        failures.refresh();
      }
    });
  },

  /** Opened from the overview with a receiver: the filter takes it. */
  withParams(params) {
    fill(failures.form(), params);
    failures.form().elements.receiver.dispatchEvent(new Event('input'));
  },

  async refresh() {
    await failures.groups();
    await attempt(async () => {
      const result = await api('GET', '/failures', formValues(failures.form()));
      replaceRows(failures.table(), result.entries.map((entry) => el('tr', { 'data-testid': 'failure-row' },
        cell(entry.sender), cell(entry.messageId, 'id'), cell(entry.receiver), stateCell(entry.state),
        cell(entry.attempts), cell(entry.resends), cell(utc(entry.lastAttemptAt), 'time'),
        cell(utc(entry.nextAttemptAt), 'time'),
        cell(entry.queueId ? `${entry.queueId} #${entry.sequence}` : ''), cell(entry.lastError, 'error'),
        el('td', {}, el('button', { type: 'button', class: 'admin-action', 'data-testid': 'failure-resend',
          onclick: () => failures.resend(entry) }, 'Resend')))));
      if (result.entries.length === 0) {
        replaceRows(failures.table(), [el('tr', {}, el('td', { colspan: 11 }, 'The failure store is empty.'))]);
      }
      refreshed();
    });
  },

  async groups() {
    await attempt(async () => {
      const result = await api('GET', '/failures/groups', formValues(failures.form()));
      const table = failures.section().querySelector('[data-testid="failure-groups"]');
      replaceRows(table, result.groups.map((g) => el('tr', {
        'data-testid': 'failure-group', 'data-receiver': g.receiver, 'data-group': g.key, 'data-count': g.count,
      },
      cell(g.receiver), el('td', { class: 'error', title: `for example: ${g.example}` }, g.error),
      el('td', { class: 'count', 'data-testid': 'failure-group-count' }, String(g.count)),
      cell(utc(g.firstSeen), 'time'), cell(utc(g.lastSeen), 'time'),
      el('td', {}, el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'primary admin-action', 'data-testid': 'group-resend',
          onclick: () => failures.bulk('resend', g) }, `Resend all ${g.count}`),
        el('button', { type: 'button', class: 'danger admin-action', 'data-testid': 'group-cancel',
          onclick: () => failures.bulk('cancel', g) }, `Cancel all ${g.count}`))))));
      if (result.groups.length === 0) {
        replaceRows(table, [el('tr', {}, el('td', { colspan: 6, 'data-testid': 'failure-groups-empty' },
          'Nothing in the failure store.'))]);
      }
    });
  },

  /** A bulk action on a group ({@link bulkPanel}): resend or cancel all of it. */
  async bulk(action, group) {
    const params = { receiver: group.receiver, group: group.key };
    const preview = await attempt(() => api('GET', '/failures/bulk', params));
    if (!preview) return;
    const resend = action === 'resend';
    bulkPanel({
      panel: failures.section().querySelector('[data-testid="bulk-panel"]'),
      preview,
      step: (after) => api('POST', `/failures/bulk/${action}`, { ...params, after }),
      verb: resend ? 'Resend' : 'Cancel',
      danger: !resend,
      question: ` deliveries to ${group.receiver}?`,
      details: [el('p', {}, 'Error: ', el('span', { class: 'error' }, group.error)),
        el('p', { class: 'hint' }, `${resend ? 'Each is sent again now, with a fresh count of attempts.'
          : 'None of them will ever be delivered; an in-order queue\u2019s next message follows.'}`
          + ' Deliveries that leave the failure store meanwhile are left alone.')],
      summary: (done, skipped) => `${resend ? 'Resent' : 'Cancelled'} ${done} deliveries to ${group.receiver}`
        + `${skipped ? ` (${skipped} were no longer in the failure store)` : ''}`,
      finished: () => failures.refresh(),
    });
  },

  async resend(entry) {
    const result = await attempt(() => api('POST', '/delivery/resend',
      { sender: entry.sender, messageId: entry.messageId, receiver: entry.receiver }));
    if (result) {
      notify('info', `${entry.messageId} to ${entry.receiver} is ${result.state}`);
      failures.refresh();
    }
  },
};

/**
 * A bulk action in a panel of the page: a preview of how many and which (as the server counts
 * them now), a confirmation, then chunk after chunk ({@code step(after)}: each one request and one
 * transaction on the server) until none is left, with its progress and a Stop; stopping half-way
 * is safe, running it again finishes it.
 */
function bulkPanel({ panel, preview, step, verb, danger, question, details, summary, finished }) {
  const close = () => {
    panel.hidden = true;
    panel.replaceChildren();
  };
  const progress = el('progress', { max: preview.count, value: 0, 'data-testid': 'bulk-progress' });
  const status = el('p', { 'data-testid': 'bulk-status', 'aria-live': 'polite' });
  let stopped = false;
  const back = el('button', { type: 'button', 'data-testid': 'bulk-back', onclick: close }, 'Back');
  const confirm = el('button', {
    type: 'button', class: danger ? 'danger' : 'primary', 'data-testid': 'bulk-confirm', disabled: preview.count === 0,
    onclick: async () => {
      confirm.disabled = true;
      back.textContent = 'Stop';
      back.onclick = () => { stopped = true; };
      let done = 0;
      let skipped = 0;
      let after;
      do {
        const chunk = await attempt(() => step(after));
        if (!chunk) return;
        done += chunk.done;
        skipped += chunk.skipped;
        after = chunk.next;
        progress.value = Math.min(done, progress.max);
        status.textContent = `${done} of ${preview.count} done${after ? '…' : ''}`;
      } while (after && !stopped);
      notify('info', `${summary(done, skipped)}${stopped && after ? '; stopped before the end' : ''}`);
      close();
      finished();
    },
  }, `${verb} ${preview.count}`);
  panel.replaceChildren(
    el('h2', { id: panel.getAttribute('aria-labelledby') }, `${verb} `,
      el('span', { 'data-testid': 'bulk-count' }, String(preview.count)), question),
    ...details,
    preview.examples.length ? el('div', {}, el('div', { class: 'hint' },
      preview.count > preview.examples.length ? `The first ${preview.examples.length}:` : 'They are:'),
    el('ol', { 'data-testid': 'bulk-examples' }, preview.examples.map((e) => el('li', {}, `${e.sender}/${e.messageId}`))))
      : null,
    el('div', { class: 'actions' }, confirm, back), progress, status);
  panel.hidden = false;
  confirm.focus();
}

// ---------------------------------------------------------------- In doubt

const inDoubt = {
  section: () => document.getElementById('view-in-doubt'),
  form: () => inDoubt.section().querySelector('[data-testid="in-doubt-form"]'),
  table: () => inDoubt.section().querySelector('[data-testid="in-doubt-table"]'),
  button: (testid) => inDoubt.section().querySelector(`[data-testid="${testid}"]`),

  init() {
    inDoubt.form().addEventListener('submit', (event) => {
      event.preventDefault();
      inDoubt.refresh();
    });
    inDoubt.button('in-doubt-select-all').addEventListener('click', () => {
      const boxes = [...inDoubt.table().querySelectorAll('input[type="checkbox"]')];
      const all = boxes.some((box) => !box.checked);
      for (const box of boxes) box.checked = all;
      inDoubt.selectionChanged();
    });
    inDoubt.button('in-doubt-delivered').addEventListener('click', () => inDoubt.settle('delivered'));
    inDoubt.button('in-doubt-resend').addEventListener('click', () => inDoubt.settle('resend'));
    inDoubt.form().elements.receiver.addEventListener('input', () => inDoubt.selectionChanged());
    inDoubt.button('in-doubt-all-delivered').addEventListener('click', () => inDoubt.settleAll('delivered'));
    inDoubt.button('in-doubt-all-resend').addEventListener('click', () => inDoubt.settleAll('resend'));
  },

  /**
   * Settles all of the receiver's in-doubt deliveries (thousands as well as a few), in chunks of
   * the server's bulk action, after a preview and a confirmation.
   */
  async settleAll(how) {
    const receiver = formValues(inDoubt.form()).receiver;
    if (!receiver) return;
    const preview = await attempt(() => api('GET', '/in-doubt/bulk', { receiver }));
    if (!preview) return;
    const delivered = how === 'delivered';
    bulkPanel({
      panel: inDoubt.section().querySelector('[data-testid="settle-panel"]'),
      preview,
      step: (after) => api('POST', `/in-doubt/bulk/${how}`, { receiver, after }),
      verb: delivered ? 'Declare delivered:' : 'Resend',
      danger: false,
      question: ` deliveries to ${receiver} held in doubt${delivered ? '' : '?'}`,
      details: [el('p', { class: 'hint' }, delivered
        ? 'Only when the receiver has them all: none will be sent again.'
        : 'Only when the receiver has none of them: each is sent again now.')],
      summary: (done, skipped) => `${delivered ? 'Declared' : 'Resent'} ${done} deliveries to ${receiver}`
        + `${delivered ? ' delivered' : ''}${skipped ? ` (${skipped} were no longer in doubt)` : ''}`,
      finished: () => inDoubt.refresh(),
    });
  },

  withParams(params) {
    fill(inDoubt.form(), params);
  },

  selected() {
    return [...inDoubt.table().querySelectorAll('input[type="checkbox"]:checked')].map((box) => ({
      sender: box.dataset.sender, messageId: box.dataset.messageId, receiver: box.dataset.receiver,
    }));
  },

  selectionChanged() {
    const none = inDoubt.selected().length === 0;
    inDoubt.button('in-doubt-delivered').disabled = none;
    inDoubt.button('in-doubt-resend').disabled = none;
    const noReceiver = !formValues(inDoubt.form()).receiver;
    inDoubt.button('in-doubt-all-delivered').disabled = noReceiver;
    inDoubt.button('in-doubt-all-resend').disabled = noReceiver;
  },

  async refresh() {
    await attempt(async () => {
      const report = await api('GET', '/in-doubt', formValues(inDoubt.form()));
      inDoubt.section().querySelector('[data-testid="in-doubt-summary"]').textContent = report.held === 0
        ? 'Nothing is in doubt.'
        : `${report.held} ${report.held === 1 ? 'delivery is' : 'deliveries are'} held in doubt`
          + `${report.entries.length < report.held ? ` (the oldest ${report.entries.length} listed)` : ''};`
          + ` ${report.possibleDuplicates} possible duplicates were sent (policy retry).`;
      const now = Date.now();
      replaceRows(inDoubt.table(), report.entries.map((e) => el('tr', {
        'data-testid': 'in-doubt-row', 'data-message-id': e.messageId, 'data-receiver': e.receiver,
      },
      el('td', {}, el('input', {
        type: 'checkbox', 'aria-label': `select ${e.sender}/${e.messageId} to ${e.receiver}`,
        'data-testid': 'in-doubt-select', 'data-sender': e.sender, 'data-message-id': e.messageId,
        'data-receiver': e.receiver, onchange: () => inDoubt.selectionChanged(),
      })),
      cell(e.sender), cell(e.messageId, 'id'), cell(e.receiver), cell(utc(e.lastAttemptAt), 'time'),
      cell(e.lastAttemptAt ? heldFor(now - Date.parse(e.lastAttemptAt)) : null), cell(e.attempts),
      cell(e.lastError, 'error'))));
      if (report.entries.length === 0) {
        replaceRows(inDoubt.table(), [el('tr', {}, el('td', { colspan: 8, 'data-testid': 'in-doubt-empty' },
          'Nothing is in doubt.'))]);
      }
      inDoubt.selectionChanged();
      refreshed();
    });
  },

  /** Settles the selected deliveries one by one (each its own audited action), after a confirmation in the page. */
  settle(how) {
    const chosen = inDoubt.selected();
    const panel = inDoubt.section().querySelector('[data-testid="settle-panel"]');
    const close = () => {
      panel.hidden = true;
      panel.replaceChildren();
    };
    const status = el('p', { 'data-testid': 'settle-status', 'aria-live': 'polite' });
    const confirm = el('button', {
      type: 'button', class: 'primary', 'data-testid': 'settle-confirm',
      onclick: async () => {
        confirm.disabled = true;
        let done = 0;
        for (const d of chosen) {
          const result = await attempt(() => api('POST', `/delivery/${how}`, d));
          if (!result) break;
          done++;
          status.textContent = `${done} of ${chosen.length} done`;
        }
        notify('info', how === 'delivered' ? `Declared ${done} deliveries delivered` : `Resent ${done} deliveries`);
        close();
        inDoubt.refresh();
      },
    }, how === 'delivered' ? `Declare ${chosen.length} delivered` : `Resend ${chosen.length}`);
    panel.replaceChildren(
      el('h2', { id: 'settle-title' }, how === 'delivered'
        ? `Declare ${chosen.length} deliveries delivered?` : `Resend ${chosen.length} deliveries?`),
      el('p', { class: 'hint' }, how === 'delivered'
        ? 'Only when the receiver has them: they will not be sent again.'
        : 'Only when the receiver does not have them: each is sent again now.'),
      el('ol', { 'data-testid': 'settle-list' }, chosen.map((d) => el('li', {}, `${d.sender}/${d.messageId} to ${d.receiver}`))),
      el('div', { class: 'actions' }, confirm, el('button', { type: 'button', onclick: close }, 'Back')), status);
    panel.hidden = false;
    confirm.focus();
  },
};

/** "3 min", "2 h 5 min", "4 d 3 h": how long something has been held. */
function heldFor(ms) {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

// ---------------------------------------------------------------- Receivers

const receivers = {
  section: () => document.getElementById('view-receivers'),
  table: () => receivers.section().querySelector('[data-testid="receiver-table"]'),

  init() {
    receivers.section().querySelector('form').addEventListener('submit', (event) => {
      event.preventDefault();
      receivers.refresh();
    });
  },

  async refresh() {
    await attempt(async () => {
      const result = await api('GET', '/receivers');
      replaceRows(receivers.table(), result.receivers.map((r) => receivers.row(r)));
      if (result.receivers.length === 0) {
        replaceRows(receivers.table(), [el('tr', {}, el('td', { colspan: 9 }, 'No receiver is configured.'))]);
      }
      refreshed();
    });
  },

  /** DOWN and MAINTENANCE hold the receiver's deliveries: such a row stands out and offers to bring it back. */
  row(r) {
    const holds = r.state === 'DOWN' || r.state === 'MAINTENANCE';
    return el('tr', {
      class: holds ? 'blocked' : undefined,
      'data-testid': 'receiver-row', 'data-receiver': r.receiver, 'data-state': r.state,
    },
    cell(r.receiver), receivers.channel(r), stateCell(r.state, 'receiver-state'), receivers.since(r.since), cell(r.failures),
    el('td', { 'data-testid': 'receiver-waiting' }, text(r.waiting)), cell(r.lastError, 'error'), cell(r.changedBy),
    el('td', {}, el('div', { class: 'actions' },
      r.state === 'MAINTENANCE' ? null : el('button', {
        type: 'button', class: 'admin-action', 'data-testid': 'receiver-maintenance',
        onclick: () => receivers.takeOut(r.receiver),
      }, 'Take out for maintenance'),
      holds ? el('button', {
        type: 'button', class: 'primary admin-action', 'data-testid': 'receiver-resume',
        onclick: () => receivers.act('resume', r.receiver),
      }, 'Bring back') : null)));
  },

  /** When it entered its state; the epoch stands for "never seen failing". Local time on hover. */
  /** How Courier reaches it: the protocol, the address as its title (no user, query or fragment). */
  channel(r) {
    return el('td', { 'data-testid': 'receiver-channel', title: r.address || '' }, text(r.protocol));
  },

  since(value) {
    if (!value || Date.parse(value) === 0) return cell(null, 'time');
    return el('td', { class: 'time', title: `${new Date(value).toLocaleString()} (local time)` }, utc(value));
  },

  async takeOut(name) {
    if (window.confirm(`Take ${name} out for maintenance? Nothing is sent to it, and every sender's deliveries`
      + ' to it wait, until it is brought back.')) {
      await receivers.act('maintenance', name);
    }
  },

  async act(action, name) {
    const result = await attempt(() => api('POST', `/receivers/${action}`, { receiver: name }));
    if (result) {
      notify('info', `${name} is now ${result.state}, changed by ${result.changedBy}`);
      await receivers.refresh();
    }
  },
};

// ---------------------------------------------------------------- Messages

const messages = {
  page: 0,
  section: () => document.getElementById('view-messages'),
  form: () => messages.section().querySelector('form'),
  table: () => messages.section().querySelector('[data-testid="message-table"]'),
  detail: () => messages.section().querySelector('[data-testid="message-detail"]'),

  init() {
    messages.form().addEventListener('submit', (event) => {
      event.preventDefault();
      messages.search(0);
    });
  },

  refresh() {
    // searching is on demand: nothing to refresh by itself
  },

  /** Opened from the overview: "#messages?status=IN_DOUBT" searches at once; with sender and messageId, opens it too. */
  withParams(params) {
    fill(messages.form(), params);
    messages.search(0);
    if (params.sender && params.messageId) messages.open(params.sender, params.messageId);
  },

  async search(page) {
    await attempt(async () => {
      const result = await api('GET', '/messages', { ...formValues(messages.form()), page, size: MESSAGE_PAGE_SIZE });
      messages.page = result.page;
      replaceRows(messages.table(), result.messages.map((m) => el('tr', {
        class: 'clickable', 'data-testid': 'message-row', 'data-message-id': m.messageId,
        onclick: () => messages.open(m.sender, m.messageId),
      },
      cell(utc(m.acceptedAt), 'time'), cell(m.sender), cell(m.messageId, 'id'), cell(m.interface),
      cell(m.qualityOfService), cell(m.queueId ? `${m.queueId} #${m.sequence}` : ''),
      el('td', {}, (m.deliveries || []).map((d) => el('div', {},
        `${d.receiver}${d.part ? ` [${d.part}]` : ''}: `, el('span', { class: `state ${d.state}` }, d.state)))))));
      if (result.messages.length === 0) {
        replaceRows(messages.table(), [el('tr', {}, el('td', { colspan: 7 }, 'No message matches.'))]);
      }
      pager(messages.section().querySelector('[data-testid="message-pager"]'), result, (p) => messages.search(p));
      refreshed();
    });
  },

  async open(sender, messageId) {
    await attempt(async () => {
      const m = await api('GET', '/messages/detail', { sender, messageId });
      const detail = messages.detail();
      detail.replaceChildren(
        el('h2', {}, 'Message ', el('span', { class: 'mono' }, m.messageId), ' of ', m.sender),
        el('dl', { class: 'facts' },
          el('dt', {}, 'Interface'), el('dd', {}, text(m.interface)),
          el('dt', {}, 'Quality of service'), el('dd', {}, text(m.qualityOfService)),
          el('dt', {}, 'Queue'), el('dd', {}, m.queueId ? `${m.queueId} #${m.sequence}` : '—'),
          el('dt', {}, 'Accepted (UTC)'), el('dd', { class: 'mono' }, utc(m.acceptedAt)),
          el('dt', {}, 'Accepted by node'), el('dd', { class: 'mono', 'data-testid': 'accepted-by' }, text(m.acceptedBy)),
          el('dt', {}, 'Payload hash'), el('dd', { class: 'mono' }, text(m.payloadHash)),
          el('dt', {}, 'Payload size'), el('dd', {}, `${text(m.payloadBytes)} bytes`)),
        el('h3', {}, 'Timeline'),
        timeline(m),
        el('h3', {}, 'Deliveries'),
        ...(m.deliveries || []).map((d) => messages.delivery(d, m.sender)),
        el('h3', {}, 'Mapped ids'),
        (m.mappedIds && m.mappedIds.length)
          ? el('ul', { 'data-testid': 'message-mapped-ids' }, m.mappedIds.map((id) => el('li', { class: 'mono' },
            id.context.startsWith('aggregate:')
              ? ['member of aggregate ', messageLink(id.context.slice('aggregate:'.length), id.targetId, 'message-aggregate')]
              : `${text(id.context)}: ${text(id.targetId)}`)))
          : el('p', { class: 'hint' }, 'None.'),
        ...((m.members && m.members.length) ? [el('h3', {}, `Members (${m.members.length})`),
          el('ol', { 'data-testid': 'message-members' }, m.members.map((source) => {
            const slash = source.indexOf('/');
            return el('li', { class: 'mono' }, messageLink(source.slice(0, slash), source.slice(slash + 1), 'message-member'));
          }))] : []),
        el('h3', {}, 'Payload'),
        messages.payload(m),
        el('div', { class: 'actions' }, el('button', { type: 'button', onclick: () => { detail.hidden = true; } }, 'Close')));
      detail.hidden = false;
      detail.scrollIntoView({ block: 'nearest' });
    });
  },

  /**
   * The payload carries business data: viewing it is the role `payload` (and every view is audited),
   * so it is fetched only when such an operator asks for it.
   */
  payload(m) {
    const me = account.me;
    if (!me || !me.roles.includes('payload')) {
      return el('p', { class: 'hint', 'data-testid': 'payload-not-permitted' },
        'Viewing payloads needs the role payload.');
    }
    const box = el('div', { 'data-testid': 'payload' });
    const show = el('button', {
      type: 'button',
      'data-testid': 'show-payload',
      onclick: () => attempt(async () => {
        const p = await api('GET', '/messages/payload', { sender: m.sender, messageId: m.messageId });
        const download = el('a', {
          href: URL.createObjectURL(new Blob([p.payload], { type: 'application/xml' })),
          download: `${m.sender}-${m.messageId}.xml`.replace(/[^A-Za-z0-9._-]/g, '_'), 'data-testid': 'payload-download',
        }, 'Download');
        box.replaceChildren(el('div', { class: 'actions' }, download),
          el('pre', { class: 'payload', 'data-testid': 'payload-text' }, prettyXml(text(p.payload))));
      }),
    }, 'Show payload');
    box.append(show, el('span', { class: 'hint' }, ' (the view is audited)'));
    return box;
  },

  delivery(d, sender) {
    const history = d.attemptHistory || [];
    const columns = history.length ? Object.keys(history[0]) : [];
    return el('div', { class: 'lane', 'data-testid': 'message-delivery', 'data-receiver': d.receiver },
      el('dl', { class: 'facts' },
        el('dt', {}, 'Receiver'), el('dd', {}, `${d.receiver}${d.part ? ` [${d.part}]` : ''}`),
        el('dt', {}, 'State'), el('dd', {}, el('span', { class: `state ${d.state}` }, d.state)),
        el('dt', {}, 'Attempts / resends'), el('dd', {}, `${text(d.attempts)} / ${text(d.resends)}`),
        el('dt', {}, 'Last attempt (UTC)'), el('dd', { class: 'mono' }, utc(d.lastAttemptAt)),
        el('dt', {}, 'Last error'), el('dd', { class: 'error' }, text(d.lastError)),
        el('dt', {}, 'Delivered (UTC)'), el('dd', { class: 'mono' }, utc(d.deliveredAt)),
        el('dt', {}, 'Delivered by node'), el('dd', { class: 'mono', 'data-testid': 'delivered-by' }, text(d.deliveredBy)),
        el('dt', {}, 'Next resend (UTC)'), el('dd', { class: 'mono' }, utc(d.nextResendAt)),
        el('dt', {}, 'Lane #'), el('dd', {}, d.laneId ? `${d.sequence}` : '—'),
        ...(d.heldBehind ? [el('dt', {}, 'Held behind'), el('dd', { class: 'mono', 'data-testid': 'held-behind' },
          messageLink(sender, d.heldBehind, 'held-behind-link'), ' (the head of its lane)')] : []),
        el('dt', {}, 'Target message id'), el('dd', { class: 'mono' }, text(d.targetMessageId))),
      history.length === 0 ? el('p', { class: 'hint' }, 'No attempt yet.')
        : el('table', { 'data-testid': 'attempt-history' },
          el('thead', {}, el('tr', {}, columns.map((c) => el('th', {}, c)))),
          el('tbody', {}, history.map((a) => el('tr', {}, columns.map((c) =>
            cell(/At$/.test(c) ? utc(a[c]) : a[c], /At$/.test(c) ? 'time' : undefined)))))));
  },
};

/** A link that opens a message's detail in the monitor. */
function messageLink(sender, messageId, testid) {
  const query = new URLSearchParams({ sender, messageId });
  return el('a', { href: `#messages?${query}`, 'data-testid': testid }, `${sender}/${messageId}`);
}

/** An SVG element with these attributes and children (plain SVG: nothing fetched from outside the server). */
function svg(tag, attrs, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

/**
 * The message's life drawn on one time axis, a row per delivery: accepted (the start), each
 * recorded attempt as a bar coloured by its outcome (attempts are recorded for receivers that are
 * not idempotent), the last attempt, and the end: delivered, cancelled, or where it stands now.
 * Plain SVG: nothing fetched from outside the server.
 */
function timeline(m) {
  const deliveries = m.deliveries || [];
  const start = Date.parse(m.acceptedAt);
  const times = [start];
  for (const d of deliveries) {
    for (const t of [d.lastAttemptAt, d.deliveredAt, ...(d.attemptHistory || []).flatMap((a) => [a.startedAt, a.endedAt])]) {
      if (t) times.push(Date.parse(t));
    }
    if (!['DELIVERED', 'CANCELLED'].includes(d.state)) times.push(Date.now());
  }
  const end = Math.max(...times, start + 1000);
  const left = 190;
  const width = 560;
  const rowHeight = 28;
  const x = (t) => left + ((Date.parse(t) - start) / (end - start)) * width;
  const height = 30 + rowHeight * Math.max(1, deliveries.length);
  const title = (text) => svg('title', {}, text);
  const chart = svg('svg', {
    viewBox: `0 0 ${left + width + 20} ${height}`, width: '100%', role: 'img', 'data-testid': 'timeline',
    'aria-label': `timeline of ${m.sender}/${m.messageId}: accepted ${utc(m.acceptedAt)}`
      + deliveries.map((d) => `; to ${d.receiver}: ${d.state}`).join(''),
  });
  chart.append(svg('line', { x1: left, y1: 18, x2: left + width, y2: 18, class: 'axis' }),
    svg('text', { x: left, y: 12, class: 'tick' }, `accepted ${utc(m.acceptedAt)}`),
    svg('text', { x: left + width, y: 12, class: 'tick', 'text-anchor': 'end' }, `+${((end - start) / 1000).toFixed(1)} s`));
  deliveries.forEach((d, i) => {
    const y = 30 + i * rowHeight + rowHeight / 2;
    const row = svg('g', { 'data-receiver': d.receiver, 'data-state': d.state });
    row.append(svg('text', { x: 4, y: y + 4, class: 'label' }, `${d.receiver}${d.part ? ` [${d.part}]` : ''}`),
      svg('line', { x1: left, y1: y, x2: left + width, y2: y, class: 'lane' }),
      svg('circle', { cx: left, cy: y, r: 4, class: 'mark accepted', 'data-mark': 'accepted' }, title(`accepted ${utc(m.acceptedAt)}`)));
    for (const a of d.attemptHistory || []) {
      const from = x(a.startedAt);
      const to = a.endedAt ? x(a.endedAt) : left + width;
      row.append(svg('rect', {
        x: from, y: y - 6, width: Math.max(3, to - from), height: 12, class: `attempt ${a.outcome || 'IN_DOUBT'}`,
        'data-mark': 'attempt', 'data-outcome': a.outcome || 'IN_DOUBT',
      }, title(`attempt ${utc(a.startedAt)} – ${utc(a.endedAt)}: ${a.outcome || 'in doubt'}${a.detail ? ` (${a.detail})` : ''}`)));
    }
    if (d.lastAttemptAt && !(d.attemptHistory || []).length) {
      row.append(svg('rect', { x: x(d.lastAttemptAt) - 2, y: y - 6, width: 4, height: 12, class: 'attempt last',
        'data-mark': 'last-attempt' }, title(`last of ${d.attempts} attempts ${utc(d.lastAttemptAt)}`
        + `${d.lastError ? `: ${d.lastError}` : ''}`)));
    }
    if (d.deliveredAt) {
      row.append(svg('circle', { cx: x(d.deliveredAt), cy: y, r: 6, class: `mark ${d.state}`, 'data-mark': 'delivered' },
        title(`${d.state === 'DELIVERED' ? 'delivered' : d.state} ${utc(d.deliveredAt)}${d.deliveredBy ? ` by ${d.deliveredBy}` : ''}`)));
    } else {
      row.append(svg('text', { x: left + width + 4, y: y + 4, class: `end ${d.state}`, 'data-mark': 'state' }, d.state));
    }
    chart.append(row);
  });
  return el('div', { class: 'timeline' }, chart);
}

/** XML indented for reading (the text unchanged when it is not well-formed XML). */
function prettyXml(xml) {
  const parsed = new DOMParser().parseFromString(xml, 'application/xml');
  if (parsed.querySelector('parsererror')) return xml;
  const lines = [];
  const walk = (node, depth) => {
    const pad = '  '.repeat(depth);
    if (node.nodeType === Node.TEXT_NODE) {
      if (node.nodeValue.trim()) lines.push(pad + node.nodeValue.trim());
      return;
    }
    if (node.nodeType === Node.COMMENT_NODE) {
      lines.push(`${pad}<!--${node.nodeValue}-->`);
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const open = new XMLSerializer().serializeToString(node.cloneNode(false)).replace(/\/>$/, '>').replace(/<\/[^>]+>$/, '');
    const children = [...node.childNodes].filter((c) => c.nodeType !== Node.TEXT_NODE || c.nodeValue.trim());
    if (children.length === 0) {
      lines.push(pad + open.replace(/>$/, '/>'));
    } else if (children.length === 1 && children[0].nodeType === Node.TEXT_NODE) {
      lines.push(`${pad}${open}${children[0].nodeValue.trim()}</${node.nodeName}>`);
    } else {
      lines.push(pad + open);
      children.forEach((c) => walk(c, depth + 1));
      lines.push(`${pad}</${node.nodeName}>`);
    }
  };
  walk(parsed.documentElement, 0);
  return lines.join('\n');
}

/** Renders Previous / Next for a paged answer {page, size, total}. */
function pager(container, result, go) {
  const last = Math.max(0, Math.ceil(result.total / result.size) - 1);
  container.replaceChildren(
    el('button', { type: 'button', disabled: result.page <= 0, onclick: () => go(result.page - 1) }, 'Previous'),
    el('span', {}, `page ${result.page + 1} of ${last + 1} (${result.total} in all)`),
    el('button', { type: 'button', disabled: result.page >= last, onclick: () => go(result.page + 1) }, 'Next'));
}

// ---------------------------------------------------------------- ID mappings

const idMappings = {
  section: () => document.getElementById('view-id-mappings'),
  table: () => idMappings.section().querySelector('[data-testid="id-mapping-table"]'),

  init() {
    for (const form of idMappings.section().querySelectorAll('form')) {
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        idMappings.lookUp(formValues(form));
      });
    }
  },

  refresh() {
  },

  async lookUp(params) {
    await attempt(async () => {
      const result = await api('GET', '/id-mappings', params);
      replaceRows(idMappings.table(), result.mappings.map((m) => el('tr', { 'data-testid': 'id-mapping-row' },
        cell(m.sourceId, 'id'), cell(m.context), cell(m.targetId, 'id'), cell(m.format), cell(m.mapping),
        cell(utc(m.createdAt), 'time'), cell(utc(m.expiresAt), 'time'))));
      if (result.mappings.length === 0) {
        replaceRows(idMappings.table(), [el('tr', {}, el('td', { colspan: 7 }, 'No mapping (never mapped, or expired).'))]);
      }
    });
  },
};

// ---------------------------------------------------------------- Reconciliation

const reconciliation = {
  section: () => document.getElementById('view-reconciliation'),

  init() {
    const form = reconciliation.section().querySelector('form');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      reconciliation.run(formValues(form));
    });
  },

  refresh() {
  },

  async run(params) {
    await attempt(async () => {
      const r = await api('GET', '/reconciliation', params);
      reconciliation.section().querySelector('[data-testid="reconciliation-result"]').replaceChildren(
        el('p', { 'data-testid': 'reconciliation-verdict' },
          `${r.sender}, ${utc(r.from)} to ${utc(r.to)}: ${r.accepted} accepted — `, reconciliation.verdict(r.addsUp)),
        reconciliation.receivers(r.receivers),
        reconciliation.unbalanced(r.unbalanced));
    });
  },

  verdict(ok) {
    return el('span', { class: ok ? 'ok' : 'bad' }, ok ? 'adds up' : 'does not add up');
  },

  receivers(receivers) {
    const head = ['Receiver', 'Expected', 'Delivered', 'Pending', 'Failed', 'Cancelled', 'In doubt', ''];
    const rows = receivers.map((x) => el('tr', { class: x.addsUp ? '' : 'blocked' },
      cell(x.receiver), cell(x.expected), cell(x.delivered), cell(x.pending), cell(x.failed), cell(x.cancelled),
      cell(x.inDoubt), el('td', {}, reconciliation.verdict(x.addsUp))));
    return el('table', {}, el('thead', {}, el('tr', {}, head.map((h) => el('th', {}, h)))), el('tbody', {}, rows));
  },

  unbalanced(unbalanced) {
    if (unbalanced.length === 0) return el('p', { class: 'hint' }, 'Nothing unbalanced.');
    const rows = unbalanced.map((u) => el('tr', {}, cell(u.messageId, 'id'), cell(u.receiver), cell(u.reason)));
    return el('div', {}, el('h3', {}, 'Unbalanced'), el('table', { 'data-testid': 'reconciliation-unbalanced' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Message id'), el('th', {}, 'Receiver'), el('th', {}, 'Reason'))),
      el('tbody', {}, rows)));
  },
};

// ---------------------------------------------------------------- Audit

const audit = {
  section: () => document.getElementById('view-audit'),
  form: () => audit.section().querySelector('form'),

  init() {
    audit.form().addEventListener('submit', (event) => {
      event.preventDefault();
      audit.show(0);
    });
  },

  refresh() {
  },

  async show(page) {
    await attempt(async () => {
      const result = await api('GET', '/audit', { ...formValues(audit.form()), page, size: AUDIT_PAGE_SIZE });
      replaceRows(audit.section().querySelector('[data-testid="audit-table"]'), result.entries.map((e) => el('tr', {},
        cell(utc(e.at), 'time'), cell(e.actor), cell(e.action),
        cell(typeof e.parameters === 'object' && e.parameters !== null ? JSON.stringify(e.parameters) : e.parameters, 'id'),
        cell(e.status))));
      pager(audit.section().querySelector('[data-testid="audit-pager"]'), result, (p) => audit.show(p));
    });
  },
};

// ---------------------------------------------------------------- views and refresh

const VIEWS = {
  overview, queues, failures, 'in-doubt': inDoubt, receivers, messages, 'id-mappings': idMappings, reconciliation, audit,
};

let current = null;
let timer = null;

/** Shows a view named by the location's hash, "#failures?receiver=erp": its parameters fill the view's form. */
function show(hash) {
  const [name, query] = hash.split('?');
  const view = VIEWS[name] ? name : 'overview';
  if (query && VIEWS[view].withParams) VIEWS[view].withParams(Object.fromEntries(new URLSearchParams(query)));
  current = view;
  for (const key of Object.keys(VIEWS)) {
    document.getElementById(`view-${key}`).hidden = key !== view;
  }
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.dataset.view === view);
  }
  clearInterval(timer);
  VIEWS[view].refresh();
  if (view === 'queues') {
    // an operator watches a queue drain: the list and the open queue follow by themselves
    timer = setInterval(() => {
      if (current === 'queues' && !document.hidden) queues.refresh({ automatic: true });
    }, REFRESH_MS);
  } else if (view === 'overview') {
    timer = setInterval(() => {
      if (current === 'overview' && !document.hidden) overview.refresh({ automatic: true });
    }, OVERVIEW_REFRESH_MS);
  }
}

// ---------------------------------------------------------------- who is signed in

const account = {
  me: null,

  async init() {
    const me = await attempt(() => api('GET', '/me'));
    if (!me) return;
    account.me = me;
    // what the operator may not do is not offered (the API refuses it anyway)
    document.body.dataset.roles = me.roles.join(' ');
    const box = document.querySelector('[data-testid="account"]');
    const bound = (values) => (values.includes('*') ? 'all' : values.join(', ') || 'none');
    box.replaceChildren(
      el('span', { 'data-testid': 'account-user', title: `roles: ${me.roles.join(', ')}` }, me.user),
      el('span', { class: 'hint', 'data-testid': 'account-scope' },
        ` senders: ${bound(me.senders)}; interfaces: ${bound(me.interfaces)}`),
      el('button', { type: 'button', 'data-testid': 'sign-out', onclick: () => account.signOut() }, 'Sign out'));
  },

  async signOut() {
    try {
      await fetch('signout', { method: 'POST', headers: { 'X-Courier-Request': 'monitor' }, credentials: 'same-origin' });
    } finally {
      window.location.assign('login.html?signed-out=by-you');
    }
  },
};

// ---------------------------------------------------------------- the routing configuration in force

const configuration = {
  async init() {
    const inForce = await attempt(() => api('GET', '/configuration', {}, { automatic: true }));
    if (!inForce) return;
    const box = document.querySelector('[data-testid="configuration"]');
    // a node of the cluster with another version (it has not taken a reload yet, or cannot)
    const others = inForce.nodes.filter((node) => node.version && node.version !== inForce.version);
    box.replaceChildren(
      el('span', {
        'data-testid': 'configuration-version',
        title: `routing configuration in force on ${inForce.node} since ${utc(inForce.since)} (${inForce.by}):`
          + ` ${inForce.receivers} receivers, ${inForce.routes} routes`,
      }, `configuration ${inForce.version}`),
      ...others.map((node) => el('span', { class: 'warning', 'data-testid': 'configuration-differs' },
        ` ${node.node} has ${node.version}`)));
  },
};

account.init();
configuration.init();
for (const view of Object.values(VIEWS)) view.init();
window.addEventListener('hashchange', () => show(window.location.hash.slice(1)));
show(window.location.hash.slice(1));
