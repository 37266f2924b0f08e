// Rules: the rules in force, the whole file as YAML with the problems `rules check` reports shown
// beside their lines, a diff before applying, and the history from the journal with revert.
import {$, h, when} from './dom.js';
import {get, post, put, ApiError} from './api.js';
import {diffLines, hunks} from './diff.js';

let applied = null; // {text, sha256, file, rules}
let pending = null; // the text the diff panel would apply
let problemLines = new Set();

export function init() {
  const text = $('#rules-text');
  text.addEventListener('input', () => { clearProblems(); gutter(); $('#rules-diff').hidden = true; });
  text.addEventListener('scroll', () => { $('#rules-gutter').scrollTop = text.scrollTop; });
  $('#rules-check').addEventListener('click', check);
  $('#rules-review').addEventListener('click', review);
  $('#rules-discard').addEventListener('click', () => {
    text.value = applied ? applied.text : '';
    clearProblems(); gutter();
    $('#rules-diff').hidden = true;
    message('Edits discarded.');
  });
  $('#rules-apply').addEventListener('click', apply);
  $('#rules-diff-close').addEventListener('click', () => { $('#rules-diff').hidden = true; text.focus(); });
}

export async function show() {
  await load(true);
}

async function load(replaceText) {
  try {
    applied = await get('/api/rules');
  } catch (e) {
    message(`Cannot load the rules: ${e.message}`);
    return;
  }
  $('#rules-file').textContent = `${applied.rules.length} rule(s) from ${applied.file} (sha256 ${applied.sha256.slice(0, 12)})`;
  $('#rule-rows').replaceChildren(...applied.rules.map(ruleRow));
  const text = $('#rules-text');
  if (replaceText || !text.value) text.value = applied.text;
  gutter();
  await loadHistory();
}

function ruleRow(rule) {
  const condition = rule.limits.map((l) =>
    `${l.level ? `${l.level}: ` : ''}${rule.comparison.replace(/_/g, ' ')} ${l.value}${l.deadband ? ` (deadband ${l.deadband})` : ''}`).join('; ');
  const options = [
    rule.on_delay_ms ? `on delay ${rule.on_delay_ms / 1000} s` : null,
    rule.off_delay_ms ? `off delay ${rule.off_delay_ms / 1000} s` : null,
    rule.mode !== 'alarm' ? rule.mode.replace('_', ' ') : null,
    rule.latch ? 'latching' : null,
    rule.out_of_service ? 'out of service' : null,
  ].filter(Boolean).join(', ');
  return h('tr', {dataset: {rule: rule.id}},
    h('th', {scope: 'row'}, rule.id),
    h('td', {}, rule.name),
    h('td', {class: 'topic'}, rule.topics.join(', ')),
    h('td', {}, condition),
    h('td', {}, [...new Set(rule.limits.map((l) => l.severity))].join(', ')),
    h('td', {}, options || '—'),
    h('td', {class: 'actions'},
      h('button', {type: 'button', onclick: () => editRule(rule.id)}, 'Edit'),
      h('a', {class: 'button quiet', href: `#/trend?rule=${encodeURIComponent(rule.id)}`}, 'Trend')));
}

/** Puts the caret on the rule's entry in the file and selects its id. */
function editRule(id) {
  const text = $('#rules-text');
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(^|\\n)(\\s*-?\\s*id:\\s*["']?)(${escaped})["']?\\s*(\\n|$)`).exec(text.value) ||
    new RegExp(`(^|\\n)(\\s*["']?)(${escaped})["']?:`).exec(text.value);
  text.focus();
  if (match) {
    const start = match.index + match[1].length + match[2].length;
    text.setSelectionRange(start, start + id.length);
    const line = text.value.slice(0, start).split('\n').length;
    text.scrollTop = Math.max(0, (line - 3) * lineHeight());
  }
}

function lineHeight() {
  return parseFloat(getComputedStyle($('#rules-text')).lineHeight) || 20;
}

function gutter() {
  const lines = $('#rules-text').value.split('\n').length;
  const numbers = [];
  for (let n = 1; n <= lines; n++) {
    numbers.push(h('div', {class: problemLines.has(n) ? 'bad' : null}, String(n)));
  }
  $('#rules-gutter').replaceChildren(...numbers);
  $('#rules-gutter').scrollTop = $('#rules-text').scrollTop;
}

function message(text, kind) {
  const el = $('#rules-message');
  el.textContent = text;
  el.className = `message${kind ? ` message-${kind}` : ''}`;
}

function clearProblems() {
  problemLines = new Set();
  $('#rules-problems').hidden = true;
  $('#rules-problem-list').replaceChildren();
  $('#rules-text').removeAttribute('aria-invalid');
}

function showProblems(problems) {
  problemLines = new Set(problems.map((p) => p.line).filter(Boolean));
  $('#rules-problem-list').replaceChildren(...problems.map((p) => h('li', {},
    h('button', {type: 'button', class: 'link', onclick: () => goTo(p.line, p.column)},
      p.line ? `Line ${p.line}, column ${p.column}` : 'File'),
    ': ', p.context ? `${p.context}: ` : '', p.message)));
  $('#rules-problems').hidden = problems.length === 0;
  if (problems.length) $('#rules-text').setAttribute('aria-invalid', 'true');
  gutter();
}

function goTo(line, column) {
  const text = $('#rules-text');
  const lines = text.value.split('\n');
  let offset = 0;
  for (let k = 0; k < line - 1 && k < lines.length; k++) offset += lines[k].length + 1;
  offset += Math.max(0, (column || 1) - 1);
  text.focus();
  text.setSelectionRange(offset, offset);
  text.scrollTop = Math.max(0, (line - 3) * lineHeight());
}

async function validate(text) {
  const result = await post('/console/api/rules/check', {text});
  clearProblems();
  showProblems(result.problems);
  return result;
}

async function check() {
  try {
    const result = await validate($('#rules-text').value);
    message(result.ok ? `No problems: ${result.rules} rule(s).` : `${result.problems.length} problem(s); nothing was changed.`,
      result.ok ? 'ok' : 'error');
  } catch (e) {
    message(`Cannot check: ${e.message}`, 'error');
  }
}

async function review() {
  const text = $('#rules-text').value;
  try {
    const result = await validate(text);
    if (!result.ok) {
      message(`${result.problems.length} problem(s); fix them before applying. Nothing was changed.`, 'error');
      $('#rules-diff').hidden = true;
      return;
    }
  } catch (e) {
    message(`Cannot check: ${e.message}`, 'error');
    return;
  }
  showDiff(applied.text, text, 'Changes against the rules in force');
}

function showDiff(from, to, title) {
  pending = to;
  const lines = diffLines(from, to);
  const changed = lines.filter((l) => l.op !== ' ').length;
  $('#rules-diff-title').textContent = changed ? `${title}: ${changed} line(s)` : `${title}: none`;
  $('#rules-diff-lines').replaceChildren(...hunks(lines).map((line) => line === null
    ? h('span', {class: 'diff-skip'}, '…\n')
    : h('span', {class: line.op === '+' ? 'diff-add' : line.op === '-' ? 'diff-del' : 'diff-same'},
      `${line.op} ${line.text}\n`)));
  $('#rules-apply').disabled = changed === 0;
  $('#rules-diff').hidden = false;
  $('#rules-diff-lines').focus();
}

async function apply() {
  if (pending === null) return;
  $('#rules-apply').disabled = true;
  try {
    const result = await put('/api/rules', {text: pending});
    const parts = ['added', 'removed', 'changed']
      .filter((k) => result[k] && result[k].length).map((k) => `${k} ${result[k].join(', ')}`);
    message(result.status === 'unchanged' ? 'Nothing to apply: these are the rules in force.'
      : `Applied${parts.length ? `: ${parts.join('; ')}` : ''}${result.alarms_cleared ? `; ${result.alarms_cleared} alarm(s) cleared` : ''}.`, 'ok');
    $('#rules-diff').hidden = true;
    pending = null;
    await load(true);
  } catch (e) {
    if (e instanceof ApiError && e.body && Array.isArray(e.body.problems)) {
      showProblems(e.body.problems.map((text) => {
        const m = /:(\d+):(\d+): (.*)$/.exec(text);
        return m ? {line: Number(m[1]), column: Number(m[2]), context: '', message: m[3]} : {message: text};
      }));
    }
    message(`Not applied: ${e.message}`, 'error');
    $('#rules-apply').disabled = false;
  }
}

async function loadHistory() {
  let history;
  try {
    history = await get('/console/api/rules/history');
  } catch (e) {
    $('#history-note').textContent = `Cannot read the history: ${e.message}`;
    return;
  }
  $('#history-note').textContent = history.available
    ? `${history.versions.length} version(s) in the journal (older ones leave with the journal's retention).`
    : 'No history: the journal is off (EVENT_NOTIFICATION.persistence_enabled: false).';
  $('#history-rows').replaceChildren(...history.versions.map((v) => {
    const what = ['added', 'removed', 'changed'].filter((k) => v[k].length).map((k) => `${k} ${v[k].join(', ')}`);
    return h('tr', {dataset: {sha: v.sha256, current: String(v.current)}},
      h('td', {}, h('time', {datetime: v.at, title: v.at}, when(v.at))),
      h('td', {class: 'who'}, v.who),
      h('td', {class: 'what'}, what.length ? what.join('; ') : (v.current && history.versions.length === 1 ? 'first version' : 'no rule changed')),
      h('td', {}, h('code', {}, v.sha256.slice(0, 12)), v.current ? h('span', {class: 'in-force'}, ' in force') : null),
      h('td', {class: 'actions'}, v.current ? null
        : h('button', {type: 'button', 'data-action': 'revert', onclick: () => revert(v)}, 'Revert to this…')));
  }));
}

async function revert(version) {
  try {
    const full = await get(`/console/api/rules/history/${encodeURIComponent(version.sha256)}`);
    $('#rules-text').value = full.text;
    clearProblems(); gutter();
    message(`Loaded the version of ${when(version.at)} by ${version.who}. Review the changes, then apply to revert.`);
    showDiff(applied.text, full.text, `Revert to ${version.sha256.slice(0, 12)}`);
  } catch (e) {
    message(`Cannot load that version: ${e.message}`, 'error');
  }
}
