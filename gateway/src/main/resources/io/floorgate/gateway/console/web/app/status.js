// Status: health, clients, message and event rates, the journal, from /health and the metrics.
import {$, h, number, bytes} from './dom.js';
import {get} from './api.js';

let timer = null;
let samples = []; // [{t, messages, events}], the last minute

export function init() {}

export function show() {
  refresh();
  clearInterval(timer);
  timer = setInterval(refresh, 2000);
}

export function hide() {
  clearInterval(timer);
  timer = null;
}

const sum = (points) => (points || []).reduce((a, p) => a + (p.value || 0), 0);
const one = (metrics, name) => sum(metrics[name]);
const byLabel = (metrics, name, label) =>
  Object.fromEntries((metrics[name] || []).map((p) => [p.labels[label], p.value]));

function rate(key) {
  if (samples.length < 2) return null;
  const first = samples[0];
  const last = samples[samples.length - 1];
  const seconds = (last.t - first.t) / 1000;
  return seconds > 0 ? (last[key] - first[key]) / seconds : null;
}

async function refresh() {
  let st;
  try {
    st = await get('/console/api/status');
  } catch (e) {
    $('#status-ready').textContent = `Cannot read the status: ${e.message}`;
    return;
  }
  const m = st.metrics;
  const health = st.health;
  samples.push({t: st.time_ms, messages: one(m, 'floorgate_messages'), events: one(m, 'floorgate_events_published')});
  samples = samples.filter((x) => st.time_ms - x.t <= 60000);
  const ready = health.ready === true;
  const el = $('#status-ready');
  el.textContent = ready ? 'Ready: the gateway is doing its job.' : 'NOT READY: see the checks below.';
  el.className = `summary ${ready ? 'ok' : 'bad'}`;

  const classes = byLabel(m, 'floorgate_messages', 'class');
  const rejected = byLabel(m, 'floorgate_messages_rejected', 'reason');
  const rejectedTotal = Object.values(rejected).reduce((a, b) => a + b, 0);
  const perSecond = (key) => { const r = rate(key); return r === null ? 'measuring…' : `${number(r)} /s`; };
  const journal = health.journal || {};
  const bridge = Object.keys(m).filter((k) => k.startsWith('floorgate_bridge'));
  const cards = [
    card('Health', ready ? 'Ready' : 'Not ready', [
      ['MQTT listener', health.broker && health.broker.listening ? `on port ${health.broker.port}` : 'closed'],
      ['Journal', journal.enabled === false ? 'off' : journal.writable && journal.accepting ? 'writable' : 'NOT writable'],
      ['Rules', `${health.rules.loaded} loaded`],
    ], ready ? 'ok' : 'bad'),
    card('MQTT clients', String(health.broker ? health.broker.clients : one(m, 'floorgate_mqtt_clients_connected')), [
      ['Failed admin logins', number(one(m, 'floorgate_admin_failed_logins'))],
    ]),
    card('Messages', perSecond('messages'), [
      ...Object.entries(classes).filter(([, v]) => v > 0).map(([k, v]) => [k, number(v)]),
      ['rejected', number(rejectedTotal)],
      ['ingest queue', number(one(m, 'floorgate_ingest_queue_messages'))],
      ['dropped (queue full)', number(rejected.queue_full || 0)],
    ]),
    card('Events', perSecond('events'), [
      ['published since start', number(one(m, 'floorgate_events_published'))],
      ['alarms held', number(one(m, 'floorgate_alarms_held'))],
      ['not yet on alerts/…', m.floorgate_alerts_lag_records ? number(one(m, 'floorgate_alerts_lag_records')) : 'n/a'],
    ]),
    card('Journal', m.floorgate_journal_size_bytes ? bytes(one(m, 'floorgate_journal_size_bytes')) : 'off', [
      ['retention', `${st.retention_days} day(s)`],
      ['directory', journal.dir || '—'],
    ]),
    card('Bridge', bridge.length ? 'metrics' : 'none', bridge.length
      ? bridge.map((k) => [k.replace('floorgate_bridge_', ''), number(one(m, k))])
      : [['', 'no bridge in this gateway']]),
    card('Memory', bytes(sum((m.jvm_memory_used_bytes || []).filter((p) => p.labels.area === 'heap'))), [
      ['console sessions', String(st.console.sessions)],
      ['live connections', String(st.console.streams)],
      ['trend series', String(st.console.trend_series)],
    ]),
  ];
  $('#status-cards').replaceChildren(...cards);
}

function card(title, value, rows, kind) {
  return h('section', {class: `card${kind ? ` card-${kind}` : ''}`, 'aria-label': title},
    h('h2', {}, title),
    h('p', {class: 'big'}, value),
    h('dl', {}, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
}
