// The console's shell: session, navigation between pages (#/alarms, #/events, #/trend,
// #/rules, #/status), the live stream, and the cue for a new critical alarm.
import {$, $$, announce} from './dom.js';
import {loadSession, post, ApiError} from './api.js';
import * as alarms from './alarms.js';
import * as events from './events.js';
import * as trend from './trend.js';
import * as rules from './rules.js';
import * as status from './status.js';

const pages = {alarms, events, trend, rules, status};
let current = null;

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [name, queryText] = hash.split('?');
  const page = pages[name] ? name : 'alarms';
  const params = new URLSearchParams(queryText || '');
  if (current && current !== page && pages[current].hide) pages[current].hide();
  for (const section of $$('.page')) section.hidden = section.id !== `page-${page}`;
  for (const link of $$('nav.pages a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${page[0].toUpperCase()}${page.slice(1)} · Floorgate console`;
  current = page;
  pages[page].show(params);
}

function connect() {
  const state = $('#live-state');
  const stream = new EventSource('/console/api/stream');
  stream.addEventListener('open', () => {
    state.textContent = 'Live';
    state.className = 'live live-on';
  });
  stream.addEventListener('alarms', (e) => alarms.update(JSON.parse(e.data)));
  stream.addEventListener('event', (e) => events.arrived(JSON.parse(e.data)));
  stream.addEventListener('logout', () => location.assign('/login'));
  stream.addEventListener('error', async () => {
    state.textContent = 'Reconnecting…';
    state.className = 'live live-off';
    if (stream.readyState === EventSource.CLOSED) {
      // Refused (the session ended, or too many tabs): find out which, then try again.
      try {
        await loadSession();
        setTimeout(connect, 3000);
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 401) setTimeout(connect, 3000);
      }
    }
  });
}

/** A new critical alarm: a banner that stays until dismissed, and the tab title flags it. */
export function criticalCue(alarm) {
  const banner = $('#critical-banner');
  $('#critical-text').textContent =
    `New critical alarm: ${alarm.parameter} on ${alarm.topic} — value ${alarm.value}`;
  banner.hidden = false;
  banner.dataset.rule = alarm.rule_id;
  document.body.classList.add('has-critical');
}

async function start() {
  let session;
  try {
    session = await loadSession();
  } catch (e) {
    return; // request() went to the login page
  }
  $('#user').textContent = session.user;
  $('#logout').addEventListener('click', async () => {
    try { await post('/logout'); } finally { location.assign('/login'); }
  });
  $('#critical-dismiss').addEventListener('click', () => {
    $('#critical-banner').hidden = true;
    document.body.classList.remove('has-critical');
  });
  $('#critical-show').addEventListener('click', () => {
    $('#critical-banner').hidden = true;
    document.body.classList.remove('has-critical');
    location.hash = '#/alarms';
    alarms.focusCritical();
  });
  alarms.init({onCritical: criticalCue, announce});
  events.init();
  trend.init();
  rules.init();
  status.init();
  window.addEventListener('hashchange', route);
  route();
  connect();
}

start();
