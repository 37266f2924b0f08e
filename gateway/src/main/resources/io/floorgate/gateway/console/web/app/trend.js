// The trend: a rule's recent values on one topic (the gateway keeps a bounded window), drawn as
// an SVG line with the rule's thresholds (solid) and where each clears (dashed, the deadband).
import {$, h, s, number} from './dom.js';
import {get, query} from './api.js';

const COLORS = {critical: '#b00020', error: '#b34700', warning: '#8a6100', info: '#1d4ed8'};
let timer = null;
let selected = null; // {rule, topic}

export function init() {
  $('#trend-series').addEventListener('input', () => {
    const [rule, topic] = JSON.parse($('#trend-series').value);
    selected = {rule, topic};
    history.replaceState(null, '', `#/trend${query({rule, topic})}`);
    refresh();
  });
}

export async function show(params) {
  if (params.get('rule')) selected = {rule: params.get('rule'), topic: params.get('topic') || ''};
  await loadSeries();
  refresh();
  clearInterval(timer);
  timer = setInterval(refresh, 1000);
}

export function hide() {
  clearInterval(timer);
  timer = null;
}

async function loadSeries() {
  let list = [];
  try {
    list = (await get('/console/api/trend/series')).series;
  } catch (e) {
    $('#trend-info').textContent = `Cannot list the series: ${e.message}`;
  }
  const options = [];
  for (const series of list) {
    for (const rule of series.rules) options.push({rule, topic: series.topic});
  }
  if (selected && !options.some((o) => o.rule === selected.rule && o.topic === selected.topic)) {
    options.unshift(selected);
  }
  if (!selected && options.length) selected = options[0];
  const select = $('#trend-series');
  select.replaceChildren(...options.map((o) => h('option', {
    value: JSON.stringify([o.rule, o.topic]),
    selected: selected && o.rule === selected.rule && o.topic === selected.topic,
  }, `${o.rule} — ${o.topic || '(any topic)'}`)));
  if (!options.length) {
    $('#trend-info').textContent = 'No values yet: a trend appears once a rule has evaluated telemetry.';
    $('#trend-chart').replaceChildren();
  }
}

async function refresh() {
  if (!selected) return;
  let data;
  try {
    data = await get(`/console/api/trend${query({rule: selected.rule, topic: selected.topic})}`);
  } catch (e) {
    $('#trend-info').textContent = `Cannot load the trend: ${e.message}`;
    return;
  }
  draw(data);
}

function draw(data) {
  const values = data.points.map((p) => p[1]);
  const last = data.points[data.points.length - 1];
  const minutes = Math.round(data.window_ms / 60000);
  $('#trend-info').textContent = data.points.length
    ? `${data.name} on ${data.topic}: latest ${number(last[1])} at ${new Date(last[0]).toLocaleTimeString()}; ` +
      `min ${number(Math.min(...values))}, max ${number(Math.max(...values))} over ${data.points.length} value(s) in the last ${minutes} min`
    : `${data.name}${data.topic ? ` on ${data.topic}` : ''}: no values in the last ${minutes} min`;

  const width = Math.max(320, $('#trend-chart').clientWidth || 800);
  const height = 360;
  const m = {left: 64, right: 150, top: 16, bottom: 36};
  const x0 = data.now_ms - data.window_ms;
  const marks = data.limits.flatMap((l) => [l.value, ...l.clears_at]);
  let lo = Math.min(...values, ...marks);
  let hi = Math.max(...values, ...marks);
  if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
  if (hi === lo) { hi += 1; lo -= 1; }
  const pad = (hi - lo) * 0.1;
  lo -= pad; hi += pad;
  const X = (t) => m.left + ((t - x0) / data.window_ms) * (width - m.left - m.right);
  const Y = (v) => m.top + (1 - (v - lo) / (hi - lo)) * (height - m.top - m.bottom);

  const desc = data.limits.map((l) =>
    `${l.level ? `${l.level} ` : ''}threshold ${number(l.value)} (${l.severity})` +
    (l.clears_at.length ? `, clears at ${l.clears_at.map(number).join(' and ')}` : '')).join('; ');
  const svg = s('svg', {viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-labelledby': 'trend-svg-title trend-svg-desc', class: 'trend-svg'},
  s('title', {id: 'trend-svg-title'}, `Trend of ${data.name} on ${data.topic}`),
  s('desc', {id: 'trend-svg-desc'}, `${$('#trend-info').textContent}. ${desc}.`));

  // Grid and axes.
  for (let k = 0; k <= 5; k++) {
    const v = lo + ((hi - lo) * k) / 5;
    svg.append(s('line', {x1: m.left, x2: width - m.right, y1: Y(v), y2: Y(v), class: 'grid-line'}),
      s('text', {x: m.left - 8, y: Y(v) + 4, 'text-anchor': 'end', class: 'axis'}, number(Number(v.toPrecision(4)))));
  }
  const step = data.window_ms / 5;
  for (let k = 0; k <= 5; k++) {
    const t = x0 + step * k;
    svg.append(s('text', {x: X(t), y: height - 12, 'text-anchor': 'middle', class: 'axis'},
      new Date(t).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'})));
  }

  // Thresholds and deadbands.
  const legend = [];
  for (const l of data.limits) {
    const color = COLORS[l.severity] || '#333';
    const name = `${l.level ? `${l.level} ` : ''}${number(l.value)}`;
    for (const c of l.clears_at) {
      svg.append(s('rect', {x: m.left, width: width - m.left - m.right,
        y: Math.min(Y(l.value), Y(c)), height: Math.abs(Y(l.value) - Y(c)), fill: color, 'fill-opacity': 0.08}));
      svg.append(s('line', {x1: m.left, x2: width - m.right, y1: Y(c), y2: Y(c), stroke: color,
        'stroke-width': 1.5, 'stroke-dasharray': '6 4', class: 'deadband'}));
      svg.append(s('text', {x: width - m.right + 6, y: Y(c) + 4, fill: color, class: 'mark'}, `clears ${number(c)}`));
    }
    svg.append(s('line', {x1: m.left, x2: width - m.right, y1: Y(l.value), y2: Y(l.value), stroke: color,
      'stroke-width': 2, class: 'threshold'}));
    svg.append(s('text', {x: width - m.right + 6, y: Y(l.value) + 4, fill: color, class: 'mark'}, `limit ${name}`));
    legend.push(h('li', {}, h('span', {class: 'swatch solid', 'data-color': l.severity}),
      `${l.level || 'Limit'} ${number(l.value)} (${l.severity})`));
    if (l.clears_at.length) {
      legend.push(h('li', {}, h('span', {class: 'swatch dashed', 'data-color': l.severity}),
        `clears at ${l.clears_at.map(number).join(' / ')} (deadband ${number(l.deadband)})`));
    }
  }

  // The values.
  if (data.points.length) {
    const d = data.points.map((p, k) => `${k ? 'L' : 'M'}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(' ');
    svg.append(s('path', {d, class: 'values', fill: 'none'}));
    svg.append(s('circle', {cx: X(last[0]), cy: Y(last[1]), r: 4, class: 'last'}));
  }
  legend.unshift(h('li', {}, h('span', {class: 'swatch values'}), 'value'));
  $('#trend-chart').replaceChildren(svg);
  $('#trend-legend').replaceChildren(...legend);
}
