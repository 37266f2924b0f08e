// A line diff (longest common subsequence) of two texts, for reviewing a rule change.
// Rule files are small (hundreds of lines); beyond MAX lines it falls back to "all replaced".

const MAX = 4000;

/** [{op: ' ' | '-' | '+', text}] turning a into b. */
export function diffLines(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  if (x.length * y.length > MAX * MAX) {
    return [...x.map((text) => ({op: '-', text})), ...y.map((text) => ({op: '+', text}))];
  }
  const n = x.length;
  const m = y.length;
  // lcs[i][j]: common lines of x[i..] and y[j..]
  const lcs = Array.from({length: n + 1}, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) { out.push({op: ' ', text: x[i]}); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({op: '-', text: x[i++]});
    else out.push({op: '+', text: y[j++]});
  }
  while (i < n) out.push({op: '-', text: x[i++]});
  while (j < m) out.push({op: '+', text: y[j++]});
  return out;
}

/** Only the changed lines and `context` lines around them; null entries mark skipped runs. */
export function hunks(lines, context = 3) {
  const keep = new Array(lines.length).fill(false);
  lines.forEach((line, k) => {
    if (line.op !== ' ') for (let d = -context; d <= context; d++) if (lines[k + d]) keep[k + d] = true;
  });
  const out = [];
  let skipped = false;
  lines.forEach((line, k) => {
    if (keep[k]) { out.push(line); skipped = false; } else if (!skipped) { out.push(null); skipped = true; }
  });
  return out;
}
