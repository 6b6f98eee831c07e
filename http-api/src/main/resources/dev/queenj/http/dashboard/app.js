// Queen-J dashboard: plain JavaScript over the JSON API (/api/v1), hash routing, no dependencies.
'use strict';
(function () {
  const API = '/api/v1';
  const REFRESH_MS = 5000; // lag and sizes are reused by the server for 5 s: polling faster shows nothing new
  const PAGE = 50;
  const view = document.getElementById('view');
  const notice = document.getElementById('notice');
  let token = localStorage.getItem('queenToken') || '';
  let seq = 0; // bumped on every navigation: an answer for a view already left is dropped
  let timer = null;

  // ---- helpers -------------------------------------------------------------------------------------------------

  function esc(value) {
    return String(value == null ? '' : value).replace(/[&<>"']/g,
      c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }
  const enc = encodeURIComponent;
  const num = n => (n == null ? '' : Number(n).toLocaleString('en-US'));
  const time = t => (t ? esc(String(t).replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z'))
    : '<span class="muted">–</span>');
  const secs = s => (s == null ? '' : s < 120 ? s + ' s'
    : s < 7200 ? Math.round(s / 60) + ' min' : Math.round(s / 3600) + ' h');
  const pretty = data => esc(typeof data === 'string' ? data : JSON.stringify(data, null, 2));

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path, method, body) {
    const headers = {};
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(API + path, { method: method || 'GET', headers,
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!response.ok) {
      throw new ApiError(response.status, (json && json.error) || response.status + ' ' + response.statusText);
    }
    return json;
  }

  function say(message, isError) {
    notice.hidden = !message;
    notice.className = isError ? 'error' : '';
    notice.textContent = message || '';
  }

  function failed(error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      say(error.message + ': paste a JWT above with the role this needs (read-only to look; read-write to requeue, '
        + 'discard and seek; admin to delete a group and for maintenance)', true);
    } else {
      say(String(error.message || error), true);
    }
  }

  function show(name, html) {
    view.innerHTML = html;
    view.dataset.view = name;
  }

  function query(params) {
    const q = new URLSearchParams();
    Object.keys(params).forEach(k => { if (params[k] !== '' && params[k] != null) q.set(k, params[k]); });
    const s = q.toString();
    return s ? '?' + s : '';
  }

  function table(headers, rows, empty) {
    if (!rows.length) return '<p class="muted">' + esc(empty || 'Nothing here.') + '</p>';
    return '<table><thead><tr>' + headers.map(h => (h.startsWith('#') ? '<th class="num">' + esc(h.slice(1))
      : '<th>' + esc(h)) + '</th>').join('') + '</tr></thead><tbody>' + rows.join('') + '</tbody></table>';
  }

  const td = (v, cls) => '<td' + (cls ? ' class="' + cls + '"' : '') + '>' + v + '</td>';
  const tdn = (v, cls) => td(num(v), 'num' + (cls ? ' ' + cls : ''));

  // ---- charts (inline SVG) -------------------------------------------------------------------------------------

  const SERIES = [['pushed', '#2563eb'], ['popped', '#10b981'], ['acked', '#6b7280'], ['failed', '#f59e0b'],
    ['deadLettered', '#b91c1c']];

  /** Lines of the per-bucket throughput, one per counter, on a shared scale. */
  function throughputChart(throughput) {
    const series = throughput.series || [];
    const W = 800, H = 220, L = 44, R = 10, T = 10, B = 24;
    let max = 1;
    series.forEach(b => SERIES.forEach(([k]) => { max = Math.max(max, b[k] || 0); }));
    const x = i => L + (series.length < 2 ? 0 : i * (W - L - R) / (series.length - 1));
    const y = v => T + (H - T - B) * (1 - v / max);
    let svg = '<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="throughput per '
      + esc(throughput.interval) + '">';
    [0, 0.5, 1].forEach(f => {
      const v = Math.round(max * f);
      svg += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + y(v) + '" y2="' + y(v) + '" stroke="#e3e6eb"/>'
        + '<text x="' + (L - 4) + '" y="' + (y(v) + 4) + '" font-size="11" text-anchor="end" fill="#6b7280">'
        + num(v) + '</text>';
    });
    // a label every sixth of the window: "HH:MM" for minutes, "MM-DD HH:00" for hours (UTC, as the API answers)
    const label = t => (throughput.interval === 'hour' ? String(t).slice(5, 13) + ':00' : String(t).slice(11, 16));
    const step = Math.max(1, Math.round(series.length / 6));
    series.forEach((b, i) => {
      if (i % step === 0 || i === series.length - 1) {
        svg += '<text x="' + x(i).toFixed(1) + '" y="' + (H - 6) + '" font-size="11" text-anchor="middle" '
          + 'fill="#6b7280">' + esc(label(b.time)) + '</text>';
      }
    });
    SERIES.forEach(([k, color]) => {
      const points = series.map((b, i) => x(i).toFixed(1) + ',' + y(b[k] || 0).toFixed(1)).join(' ');
      svg += '<polyline fill="none" stroke="' + color + '" stroke-width="2" points="' + points + '"><title>' + k
        + '</title></polyline>';
    });
    svg += '</svg>';
    const totals = throughput.totals || {};
    const legend = SERIES.map(([k, color]) => '<span><i style="background:' + color + '"></i>' + k + ' '
      + num(totals[k] || 0) + '</span>').join('');
    return '<div class="chart">' + svg + '<div class="legend">' + legend + ' <span class="muted">per '
      + esc(throughput.interval) + ', ' + esc(throughput.from) + ' – ' + esc(throughput.to) + '</span></div></div>';
  }

  /**
   * Lag per consumer group, with a bar for the age of the oldest unconsumed message. Kafka groups are tagged; their
   * lag in messages is known (log end less committed offset), a native group's is counted on the group's page.
   */
  function lagTable(lags, actions) {
    const max = Math.max(1, ...lags.map(l => l.maxTimeLagSeconds || 0));
    return table(['Consumer group', 'Queue', '#Partitions', '#Lagging', '#Lag (messages)', '#Leases', '#Consumed',
      'Last consumed', 'Oldest unconsumed'].concat(actions ? ['Actions'] : []), lags.map(l => '<tr data-group="'
      + esc(l.consumerGroup) + '" data-queue="' + esc(l.queue) + '" data-protocol="' + esc(l.protocol || 'queen')
      + '">' + td(groupLink(l.consumerGroup, l.protocol)) + td(queueLink(l.queue))
      + tdn(l.partitions) + tdn(l.partitionsWithLag) + (l.offsetLag == null ? td('–', 'num') : tdn(l.offsetLag))
      + tdn(l.leasesActive) + tdn(l.totalConsumed)
      + td(time(l.lastConsumedAt)) + td('<span class="bar" style="width:' + Math.round(80 * (l.maxTimeLagSeconds || 0)
      / max) + 'px"></span> ' + secs(l.maxTimeLagSeconds))
      + (actions ? td(groupActions(l.consumerGroup, l.queue, l.protocol)) : '') + '</tr>'),
      'No consumer group has a cursor or committed offset yet.');
  }

  const queueLink = q => '<a href="#/queues/' + enc(q) + '">' + esc(q) + '</a>';
  const kafkaTag = protocol => (protocol === 'kafka' ? ' <span class="tag">kafka</span>' : '');
  const groupLink = (g, protocol) => (!g ? '' : g === '__QUEUE_MODE__' ? '<span class="muted">queue mode</span>'
    : '<a href="#/groups/' + enc(g) + '">' + esc(g) + '</a>' + kafkaTag(protocol));

  /**
   * A native group's cursor actions; a Kafka group only has its committed offsets deleted, and only when Empty (no
   * instance coordinates it, so it has no live members: Kafka deletes only an empty group). Kafka groups are not sought
   * here: their members' own positions would win; Kafka's tools reset an empty group's offsets.
   */
  function groupActions(group, queue, protocol, state) {
    if (group === '__QUEUE_MODE__') return '';
    if (protocol === 'kafka') {
      if (state === undefined) return '<a class="muted" href="#/groups">on the groups list</a>';
      return state === 'Empty' ? '<button class="danger" data-act="delete-kafka-group" data-group="' + esc(group)
        + '">Delete offsets</button>' : '<span class="muted">none while it may have live members</span>';
    }
    const data = ' data-group="' + esc(group) + '" data-queue="' + esc(queue) + '"';
    return '<button data-act="seek-end"' + data + '>Seek to end</button> '
      + '<button data-act="seek-time"' + data + '>Seek to time…</button> '
      + '<button class="danger" data-act="delete-group"' + data + '>Delete</button>';
  }

  // ---- views ---------------------------------------------------------------------------------------------------

  /**
   * Every queue's row: its last hour from `/status/queues`, its depth (pending and processing messages) from
   * `/resources/queues`, which counts them at most once per 5 s per server however many pages poll it.
   */
  function queuesTable(queues, counted) {
    const depth = new Map(((counted && counted.queues) || []).map(q => [q.name, q.messages || {}]));
    return table(['Queue', 'Namespace', 'Task', '#Partitions', '#Pending', '#Processing', '#Pushed (1 h)',
      '#Popped (1 h)', '#Acked (1 h)', '#Dead letters', '#Lagging groups', 'Oldest unconsumed'], queues.map(q => {
      const t = (q.throughput && q.throughput.lastHour) || {};
      const lag = q.lag || {};
      const d = depth.get(q.name) || {};
      return '<tr data-queue="' + esc(q.name) + '">' + td(queueLink(q.name)) + td(esc(q.namespace)) + td(esc(q.task))
        + tdn(q.partitions) + tdn(d.pending, 'pending') + tdn(d.processing, 'processing')
        + tdn(t.pushed, 'pushed') + tdn(t.popped) + tdn(t.acked)
        + td('<a href="#/dlq' + query({ queue: q.name }) + '">' + num(q.deadLetters) + '</a>', 'num')
        + tdn(lag.laggingGroups) + td(secs(lag.maxTimeLagSeconds), 'num') + '</tr>';
    }), 'No queues yet: a push creates one.');
  }

  async function overview(my) {
    const [status, analytics, queues, counted] = await Promise.all([api('/status'), api('/status/analytics'),
      api('/status/queues'), api('/resources/queues')]);
    if (my !== seq) return;
    const hour = status.throughput.lastHour, lag = status.lag;
    const card = (id, n, label) => '<div class="card"><div class="n" id="' + id + '">' + n + '</div><div class="l">'
      + esc(label) + '</div></div>';
    show('overview', '<h1>Overview</h1><div class="cards">'
      + card('ov-queues', num(status.queues), 'queues') + card('ov-partitions', num(status.partitions), 'partitions')
      + card('ov-messages', num(status.messagesEstimate), 'messages (estimate)')
      + card('ov-pushed', num(hour.pushed), 'pushed, last hour')
      + card('ov-popped', num(hour.popped), 'popped, last hour')
      + card('ov-acked', num(hour.acked), 'acked, last hour')
      + card('ov-dead', num(status.deadLetters), 'dead letters')
      + card('ov-groups', num(lag.consumerGroups) + ' / ' + num(lag.laggingGroups), 'consumer groups / lagging')
      + card('ov-lag', secs(lag.maxTimeLagSeconds), 'oldest unconsumed') + '</div>'
      + '<h2>Throughput per minute, last hour</h2>' + throughputChart(analytics.throughput)
      + '<h2>Lag per consumer group</h2>' + lagTable(analytics.lag, false)
      + '<h2>Queues</h2>' + queuesTable(queues.queues, counted)
      + '<p class="muted">Refreshed every ' + REFRESH_MS / 1000 + ' s; lag and sizes are up to 5 s old. '
      + esc(status.timestamp) + '</p>');
    timer = setTimeout(() => { if (my === seq) overview(my).catch(failed); }, REFRESH_MS);
  }

  async function queues(my) {
    const [answer, counted] = await Promise.all([api('/status/queues'), api('/resources/queues')]);
    if (my !== seq) return;
    show('queues', '<h1>Queues</h1><p class="muted">Kafka topics are queues: they are listed here too.</p>'
      + queuesTable(answer.queues, counted));
  }

  async function queue(my, name) {
    const [detail, status] = await Promise.all([api('/resources/queues/' + enc(name)),
      api('/status/queues/' + enc(name))]);
    if (my !== seq) return;
    if (detail.error || status.error) {
      show('queue', '<h1>' + esc(name) + '</h1><p>' + esc(detail.error || status.error) + '</p>');
      return;
    }
    const totals = detail.totals || {};
    const partitions = (detail.partitions || []).map(p => {
      const s = p.stats || {};
      return '<tr data-partition="' + esc(p.name) + '">' + td('<a href="#/queues/' + enc(name) + '/messages'
        + query({ partition: p.name }) + '">' + esc(p.name) + '</a>') + tdn(s.total) + tdn(s.pending)
        + tdn(s.processing) + tdn(s.completed) + tdn(s.deadLetter) + td(time(p.oldestMessage))
        + td(time(p.newestMessage)) + '</tr>';
    });
    show('queue', '<h1>Queue ' + esc(name) + '</h1>'
      + '<p><a href="#/queues/' + enc(name) + '/messages">Messages</a> · <a href="#/dlq' + query({ queue: name })
      + '">Dead letters (' + num(status.deadLetters) + ')</a> · namespace ' + esc(detail.namespace || '–')
      + ', task ' + esc(detail.task || '–') + ', created ' + time(detail.createdAt) + '</p>'
      + '<div class="cards">' + ['total', 'pending', 'processing', 'completed', 'failed', 'deadLetter'].map(k =>
        '<div class="card"><div class="n">' + num(totals[k]) + '</div><div class="l">' + k + '</div></div>').join('')
      + '</div><h2>Throughput</h2>' + throughputChart(status.throughput)
      + '<h2>Consumer groups</h2>' + lagTable(status.lag, true)
      + '<h2>Partitions (' + num(partitions.length) + ')</h2>'
      + table(['Partition', '#Total', '#Pending', '#Processing', '#Completed', '#Dead letter', 'Oldest', 'Newest'],
        partitions, 'No partitions.'));
  }

  async function messages(my, name, params) {
    const offset = Number(params.get('offset') || 0);
    const filter = { partition: params.get('partition') || '', status: params.get('status') || '',
      consumerGroup: params.get('consumerGroup') || '' };
    const answer = await api('/status/queues/' + enc(name) + '/messages'
      + query(Object.assign({ limit: PAGE, offset }, filter)));
    if (my !== seq) return;
    const rows = answer.messages.map(m => '<tr data-tx="' + esc(m.transactionId) + '">' + td(time(m.createdAt))
      + td(esc(m.partition)) + td(esc(m.transactionId)) + td(esc(m.status), 'status') + td(esc(m.traceId || ''))
      + td('<button data-act="payload" data-pid="' + esc(m.partitionId) + '" data-tx="' + esc(m.transactionId)
        + '">Payload</button> <a href="#/traces/' + enc(m.partitionId) + '/' + enc(m.transactionId) + '">Traces</a>')
      + '</tr>');
    const page = o => '#/queues/' + enc(name) + '/messages' + query(Object.assign({}, filter, { offset: o }));
    show('messages', '<h1>Messages of <a href="#/queues/' + enc(name) + '">' + esc(name) + '</a></h1>'
      + '<form class="filters" id="msg-filter">Partition <input name="partition" value="' + esc(filter.partition)
      + '"> Status <select name="status">' + ['', 'pending', 'processing', 'completed', 'dead_letter'].map(s =>
        '<option' + (s === filter.status ? ' selected' : '') + '>' + s + '</option>').join('')
      + '</select> relative to group <input name="consumerGroup" placeholder="queue mode; * for all" value="'
      + esc(filter.consumerGroup) + '"> <button>Filter</button></form>'
      + table(['Created', 'Partition', 'Transaction id', 'Status', 'Trace id', 'Actions'], rows, 'No messages match.')
      + '<p>' + (offset > 0 ? '<a href="' + page(Math.max(0, offset - PAGE)) + '">← newer</a> ' : '')
      + (answer.pagination.hasMore ? '<a href="' + page(offset + PAGE) + '">older →</a>' : '') + '</p>');
    document.getElementById('msg-filter').onsubmit = e => {
      e.preventDefault();
      const f = new FormData(e.target);
      location.hash = '#/queues/' + enc(name) + '/messages' + query({ partition: f.get('partition'),
        status: f.get('status'), consumerGroup: f.get('consumerGroup') });
    };
  }

  async function groups(my) {
    const list = await api('/consumer-groups');
    if (my !== seq) return;
    show('groups', '<h1>Consumer groups</h1><p class="muted">Native groups and Kafka consumer groups alike, one row '
      + 'per group and queue. Lag counts messages past the group\'s cursor; for a Kafka group, records from its '
      + 'committed offset to the log end of each partition it committed on; its state and members are Kafka\'s when '
      + 'this instance coordinates it, Empty when none does, Unknown when another one does.</p>'
      + table(['Group', 'Queue', '#Members', 'State', 'Subscription', '#Lagging partitions', '#Lag (messages)',
        'Oldest unconsumed', 'Actions'], list.map(g => '<tr data-group="' + esc(g.name) + '" data-protocol="'
        + esc(g.protocol || 'queen') + '">'
        + td(groupLink(g.name, g.protocol)) + td(queueLink(g.queueName)) + tdn(g.members) + td(esc(g.state))
        + td(esc(g.subscriptionMode || '')) + tdn(g.partitionsWithLag) + tdn(g.totalLag) + td(secs(g.maxTimeLag))
        + td(groupActions(g.name, g.queueName, g.protocol, g.state)) + '</tr>'), 'No consumer groups yet.'));
  }

  async function group(my, name) {
    const detail = await api('/consumer-groups/' + enc(name));
    if (my !== seq) return;
    // a Kafka group's partitions are Kafka partitions (last consumed: its last commit; consumed: the committed
    // offset); its actions are on the groups list, which knows whether it is Empty
    const native = ps => ps.some(p => p.protocol !== 'kafka');
    const sections = Object.keys(detail).map(q => '<h2>' + queueLink(q) + ' '
      + (native(detail[q].partitions) ? groupActions(name, q) : '') + '</h2>'
      + table(['Partition', 'Worker', 'Last consumed', '#Consumed', '#Lag (messages)', 'Lag', 'Lease', 'Actions'],
        detail[q].partitions.map(p => '<tr data-protocol="' + esc(p.protocol || 'queen') + '">'
          + td(esc(p.partition) + kafkaTag(p.protocol)) + td(esc(p.workerId || ''))
          + td(time(p.lastConsumedAt))
          + tdn(p.totalConsumed) + tdn(p.offsetLag) + td(secs(p.timeLagSeconds)) + td(p.leaseActive ? 'active' : '')
          + td(p.protocol === 'kafka' ? '' : '<button data-act="seek-partition" data-group="' + esc(name)
            + '" data-queue="' + esc(q) + '" data-partition="' + esc(p.partition) + '">Seek to end</button>')
          + '</tr>')));
    show('group', '<h1>Consumer group ' + esc(name) + '</h1>' + (sections.join('') || '<p>No such group.</p>'));
  }

  async function dlq(my, params) {
    const offset = Number(params.get('offset') || 0);
    const filter = { queue: params.get('queue') || '', consumerGroup: params.get('consumerGroup') || '' };
    const answer = await api('/dlq' + query(Object.assign({ limit: PAGE, offset }, filter)));
    if (my !== seq) return;
    const rows = answer.messages.map((d, i) => '<tr data-tx="' + esc(d.transactionId) + '">' + td(time(d.failedAt))
      + td(queueLink(d.queue)) + td(esc(d.partition)) + td(groupLink(d.consumerGroup)) + td(esc(d.transactionId))
      + td(esc(d.errorMessage || '')) + tdn(d.retryCount) + td('<pre>' + pretty(d.data) + '</pre>')
      + td('<button class="requeue" data-act="requeue" data-i="' + i + '">Requeue</button> <button class="discard" '
        + 'data-act="discard" data-i="' + i + '">Discard</button> <a href="#/traces/' + enc(d.partitionId) + '/'
        + enc(d.transactionId) + '">Traces</a>') + '</tr>');
    const page = o => '#/dlq' + query(Object.assign({}, filter, { offset: o }));
    show('dlq', '<h1>Dead letters</h1><form class="filters" id="dlq-filter">Queue <input name="queue" value="'
      + esc(filter.queue) + '"> Consumer group <input name="consumerGroup" value="' + esc(filter.consumerGroup)
      + '"> <button>Filter</button> <span class="muted">' + num(answer.pagination.total) + ' in all</span></form>'
      + table(['Failed', 'Queue', 'Partition', 'Group', 'Transaction id', 'Error', '#Retries', 'Payload', 'Actions'],
        rows, 'No dead letters.')
      + '<p>' + (offset > 0 ? '<a href="' + page(Math.max(0, offset - PAGE)) + '">← newer</a> ' : '')
      + (offset + PAGE < answer.pagination.total ? '<a href="' + page(offset + PAGE) + '">older →</a>' : '')
      + '</p>');
    view.dlq = answer.messages;
    document.getElementById('dlq-filter').onsubmit = e => {
      e.preventDefault();
      const f = new FormData(e.target);
      location.hash = '#/dlq' + query({ queue: f.get('queue'), consumerGroup: f.get('consumerGroup') });
    };
  }

  async function traceNames(my) {
    const answer = await api('/traces/names');
    if (my !== seq) return;
    show('traces', '<h1>Traces</h1><form class="filters" id="trace-find">Message: partition id <input name="pid" '
      + 'size="36"> transaction id <input name="tx"> <button>Show its traces</button></form>'
      + '<h2>Trace names</h2>' + table(['Name', '#Traces', '#Messages', 'Last seen'], answer.trace_names.map(n =>
        '<tr>' + td('<a href="#/traces/name/' + enc(n.trace_name) + '">' + esc(n.trace_name) + '</a>')
        + tdn(n.trace_count) + tdn(n.message_count) + td(time(n.last_seen)) + '</tr>'), 'No named traces yet.'));
    document.getElementById('trace-find').onsubmit = e => {
      e.preventDefault();
      const f = new FormData(e.target);
      location.hash = '#/traces/' + enc(f.get('pid').trim()) + '/' + enc(f.get('tx').trim());
    };
  }

  const traceRow = (t, extra) => '<tr class="trace">' + td(time(t.created_at)) + td(esc(t.event_type))
    + (extra || '') + td(groupLink(t.consumer_group || '')) + td(esc((t.trace_names || []).join(', ')))
    + td('<pre class="trace-data">' + pretty(t.data) + '</pre>') + '</tr>';

  async function traceName(my, name) {
    const answer = await api('/traces/by-name/' + enc(name) + '?limit=200');
    if (my !== seq) return;
    show('trace-name', '<h1>Traces named ' + esc(name) + '</h1><p class="muted">' + num(answer.total)
      + ' in all, oldest first</p>' + table(['Time', 'Event', 'Message', 'Group', 'Names', 'Data'],
      answer.traces.map(t => traceRow(t, td('<a href="#/traces/' + enc(t.partition_id) + '/' + enc(t.transaction_id)
        + '">' + esc(t.queue_name) + ' / ' + esc(t.partition_name) + ' / ' + esc(t.transaction_id) + '</a>')))));
  }

  async function traceMessage(my, pid, tx) {
    const [message, answer] = await Promise.all([api('/messages/' + enc(pid) + '/' + enc(tx)),
      api('/traces/' + enc(pid) + '/' + enc(tx))]);
    if (my !== seq) return;
    const head = message.error ? '<p class="muted">' + esc(message.error) + ' (traces outlive their message)</p>'
      : '<p>Queue ' + queueLink(message.queue) + ', partition ' + esc(message.partition) + ', status '
        + esc(message.status) + ', created ' + time(message.createdAt) + '</p><pre>' + pretty(message.data) + '</pre>';
    show('trace', '<h1>Trail of message ' + esc(tx) + '</h1>' + head + '<h2>Traces (' + num(answer.count) + ')</h2>'
      + table(['Time', 'Event', 'Group', 'Names', 'Data'], answer.traces.map(t => traceRow(t)),
        'No traces for this message.'));
  }

  async function maintenance(my) {
    const [push, pop] = await Promise.all([api('/system/maintenance'), api('/system/maintenance/pop')]);
    if (my !== seq) return;
    const state = on => (on ? '<span class="on">on</span>' : 'off');
    show('maintenance', '<h1>Maintenance</h1><p class="muted">Both switches are stored in Postgres and apply to every '
      + 'instance on the database.</p><table><tbody>'
      + '<tr><th>Push maintenance</th>' + td(state(push.maintenanceMode), 'push-state') + td(esc(push.message))
      + td('<button data-act="maintenance" data-path="/system/maintenance" data-on="' + !push.maintenanceMode + '">'
        + (push.maintenanceMode ? 'Turn off' : 'Turn on') + '</button>') + '</tr>'
      + '<tr><th>Pop maintenance</th>' + td(state(pop.popMaintenanceMode), 'pop-state') + td(esc(pop.message))
      + td('<button data-act="maintenance" data-path="/system/maintenance/pop" data-on="' + !pop.popMaintenanceMode
        + '">' + (pop.popMaintenanceMode ? 'Turn off' : 'Turn on') + '</button>') + '</tr>'
      + '<tr><th>Outage buffer</th>' + td(num(push.bufferedMessages) + ' messages') + td(num(push.bufferBytes)
        + ' of ' + num(push.bufferMaxBytes) + ' bytes') + td('') + '</tr></tbody></table>');
  }

  // ---- actions -------------------------------------------------------------------------------------------------

  const deadLetterPath = dead => '/dlq/' + enc(dead.partitionId) + '/' + enc(dead.transactionId);

  async function act(button) {
    const d = button.dataset;
    const path = '/consumer-groups/' + enc(d.group || '') + '/queues/' + enc(d.queue || '');
    let done = ''; // said once the view shows the change
    switch (d.act) {
      case 'payload': {
        const row = button.closest('tr');
        if (row.nextElementSibling && row.nextElementSibling.classList.contains('payload')) {
          row.nextElementSibling.remove();
          return;
        }
        const m = await api('/messages/' + enc(d.pid) + '/' + enc(d.tx));
        row.insertAdjacentHTML('afterend', '<tr class="payload"><td colspan="6"><pre>'
          + pretty(m.error ? m.error : m.data) + '</pre></td></tr>');
        return;
      }
      case 'seek-end':
        if (!confirm('Move ' + d.group + "'s cursor on " + d.queue + ' to the end (skip everything unconsumed)?')) {
          return;
        }
        done = 'Seek: ' + (await api(path + '/seek', 'POST', { toEnd: true })).partitionsUpdated + ' partitions moved';
        break;
      case 'seek-time': {
        const at = prompt('Move ' + d.group + "'s cursor on " + d.queue + ' to the first message at or after '
          + '(ISO-8601, e.g. 2026-01-01T00:00:00Z):', new Date(Date.now() - 3600e3).toISOString());
        if (!at) return;
        done = 'Seek: ' + (await api(path + '/seek', 'POST', { timestamp: at })).partitionsUpdated
          + ' partitions moved';
        break;
      }
      case 'seek-partition':
        if (!confirm('Move ' + d.group + "'s cursor on " + d.queue + '/' + d.partition + ' to the end?')) return;
        await api(path + '/partitions/' + enc(d.partition) + '/seek', 'POST', {});
        done = 'Seek: partition ' + d.partition + ' moved to the end';
        break;
      case 'delete-group':
        if (!confirm('Delete consumer group ' + d.group + ' on ' + d.queue + ' (its cursors)?')) return;
        await api(path, 'DELETE');
        done = 'Deleted consumer group ' + d.group + ' on ' + d.queue;
        break;
      case 'delete-kafka-group': {
        if (!confirm('Delete Kafka consumer group ' + d.group + "'s committed offsets on every topic? Its consumers "
          + 'will start again from their auto.offset.reset position.')) return;
        const answer = await api('/consumer-groups/' + enc(d.group) + '?protocol=kafka', 'DELETE');
        done = 'Deleted Kafka consumer group ' + d.group + ' (' + answer.deletedOffsets + ' committed offsets)';
        break;
      }
      case 'requeue': {
        // moved back, not copied: the server appends the message again as a new one at the end of its partition and
        // removes the dead letter, in one transaction, so a second click finds nothing ("Dead letter not found")
        const dead = view.dlq[Number(d.i)];
        button.disabled = true; // until the list is read again without it
        const result = await api(deadLetterPath(dead) + '/requeue', 'POST', { consumerGroup: dead.consumerGroup });
        done = 'Requeued into ' + dead.queue + '/' + dead.partition + ' as ' + result.requeued.transactionId;
        break;
      }
      case 'discard': {
        const dead = view.dlq[Number(d.i)];
        if (!confirm('Discard ' + dead.consumerGroup + "'s dead letter " + dead.transactionId + ' of ' + dead.queue
          + ' (its message is not requeued)?')) return;
        await api(deadLetterPath(dead) + query({ consumerGroup: dead.consumerGroup }), 'DELETE');
        done = 'Discarded ' + dead.transactionId;
        break;
      }
      case 'maintenance':
        await api(d.path, 'POST', { enabled: d.on === 'true' });
        break;
      default:
        return;
    }
    await route();
    if (done) say(done);
  }

  // ---- routing -------------------------------------------------------------------------------------------------

  function route() {
    const my = ++seq;
    clearTimeout(timer);
    const hash = location.hash.replace(/^#\/?/, '');
    const [pathPart, queryPart] = hash.split('?');
    const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
    const params = new URLSearchParams(queryPart || '');
    document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('active',
      a.getAttribute('href').slice(2).split('/')[0] === (parts[0] || '')));
    let work;
    if (!parts.length) work = overview(my);
    else if (parts[0] === 'queues' && parts.length === 1) work = queues(my);
    else if (parts[0] === 'queues' && parts.length === 2) work = queue(my, parts[1]);
    else if (parts[0] === 'queues' && parts[2] === 'messages') work = messages(my, parts[1], params);
    else if (parts[0] === 'groups' && parts.length === 1) work = groups(my);
    else if (parts[0] === 'groups') work = group(my, parts[1]);
    else if (parts[0] === 'dlq') work = dlq(my, params);
    else if (parts[0] === 'traces' && parts.length === 1) work = traceNames(my);
    else if (parts[0] === 'traces' && parts[1] === 'name') work = traceName(my, parts[2]);
    else if (parts[0] === 'traces') work = traceMessage(my, parts[1], parts[2]);
    else if (parts[0] === 'maintenance') work = maintenance(my);
    else work = Promise.resolve(show('unknown', '<p>No such view. <a href="#/">Overview</a></p>'));
    return work.then(() => { if (my === seq && notice.classList.contains('error')) say(''); }, failed);
  }

  view.addEventListener('click', e => {
    const button = e.target.closest('button[data-act]');
    if (button) {
      e.preventDefault();
      act(button).catch(failed);
    }
  });
  document.getElementById('token').value = token;
  document.getElementById('token-form').onsubmit = e => {
    e.preventDefault();
    token = document.getElementById('token').value.trim();
    if (token) localStorage.setItem('queenToken', token); else localStorage.removeItem('queenToken');
    say(token ? 'Token set: API calls carry it' : 'Token cleared');
    route();
  };
  window.addEventListener('hashchange', route);
  route();
})();
