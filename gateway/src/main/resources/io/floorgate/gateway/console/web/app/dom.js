// Building the page from data without ever parsing data as HTML: every string goes in as text
// (textContent or a text node), every attribute through setAttribute. No innerHTML anywhere.

const SVG_NS = 'http://www.w3.org/2000/svg';

function fill(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An HTML element: h('td', {class: 'num'}, 'text', otherNode). */
export function h(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** A time as the operator reads it: local time, with the date when it is not today. */
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const today = new Date();
  const time = d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit'});
  return d.toDateString() === today.toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
}

/** "3 min ago" style, for "since". */
export function ago(iso) {
  const ms = Date.now() - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return '';
  const sec = Math.max(0, Math.round(ms / 1000));
  if (sec < 60) return `${sec} s ago`;
  if (sec < 3600) return `${Math.round(sec / 60)} min ago`;
  if (sec < 86400) return `${Math.round(sec / 3600)} h ago`;
  return `${Math.round(sec / 86400)} d ago`;
}

export function number(value) {
  if (typeof value !== 'number') return value === null || value === undefined ? '' : String(value);
  return Math.abs(value) >= 1e6 || (value !== 0 && Math.abs(value) < 1e-3)
    ? value.toExponential(3) : String(Math.round(value * 1000) / 1000);
}

export function bytes(n) {
  if (typeof n !== 'number') return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

const STATES = {
  active_unacknowledged: 'Active, unacknowledged',
  active_acknowledged: 'Active, acknowledged',
  returned_unacknowledged: 'Returned, unacknowledged',
  shelved: 'Shelved',
  suppressed: 'Suppressed',
  out_of_service: 'Out of service',
  normal: 'Normal',
};

/** The ISA-18.2 state as words, with its code for those who know it. */
export function stateBadge(state) {
  return h('span', {class: `state state-${state}`, title: state}, STATES[state] || state);
}

export function severityBadge(severity) {
  return h('span', {class: `sev sev-${severity}`}, severity);
}

/** Says something to screen readers (the polite live region). */
export function announce(text) {
  const region = $('#announcer');
  region.textContent = '';
  // A fresh node each time so the same text is read again.
  setTimeout(() => { region.textContent = text; }, 50);
}
