// tideway forecast benchmark: applies the protocol of the forecast-anchors reference exactly to
// every CSV (`timestamp,value`) in the given folders, for every tideway forecaster and for
// `autoForecaster()`, and prints the anchor table's columns plus a per-series breakdown.
//
//   npm run bench:forecast                      # bench/traces + examples/data (the 8 NAB traces)
//   npm run bench:forecast -- --traces <folder> # any folder of timestamp,value CSVs (repeatable)
//   npm run bench:forecast -- --models auto,mstl
//
// It imports the built `dist/index.js` (TIDEWAY_MODULE overrides the path, e.g. a .ts entry run
// with `npx tsx`). Single-threaded; the timings are wall-clock per fit + forecast.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const FIVE_MIN = 300_000;
const DAY = 86_400_000;
const H = 12;
const ORIGINS = 20;
const MAX_WINDOW = 2016;
const LEVELS = [80, 95];

// ---------------------------------------------------------------------------------------------
// Arguments

const argv = process.argv.slice(2);
const folders = [];
let modelFilter = null;
let quiet = false;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--traces') folders.push(argv[++i]);
  else if (a.startsWith('--traces=')) folders.push(a.slice(9));
  else if (a === '--models') modelFilter = argv[++i].split(',');
  else if (a.startsWith('--models=')) modelFilter = a.slice(9).split(',');
  else if (a === '--quiet') quiet = true;
  else {
    console.error(`bench:forecast: unknown argument ${a}`);
    process.exit(2);
  }
}
const root = resolve(import.meta.dirname, '..');
if (folders.length === 0) folders.push(join(root, 'bench/traces'), join(root, 'examples/data'));

const modulePath = process.env.TIDEWAY_MODULE
  ? resolve(process.env.TIDEWAY_MODULE)
  : join(root, 'dist/index.js');
const api = await import(pathToFileURL(modulePath).href);

// ---------------------------------------------------------------------------------------------
// Step 1: read and regularise

/** Timestamps as ISO-like text (no zone → UTC), epoch seconds or epoch ms. */
function parseTime(text) {
  const t = text.trim().replace(/^"|"$/g, '');
  if (/^-?\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    return n < 1e11 ? n * 1000 : n;
  }
  const iso = t.includes('T') ? t : t.replace(' ', 'T');
  const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`;
  return Date.parse(zoned);
}

function readCsv(file) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const rows = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) continue;
    const comma = line.indexOf(',');
    if (comma < 0) continue;
    const time = parseTime(line.slice(0, comma));
    const valueText = line
      .slice(comma + 1)
      .trim()
      .replace(/^"|"$/g, '');
    if (valueText === '') continue;
    const value = Number(valueText);
    if (!Number.isFinite(time) || !Number.isFinite(value)) continue;
    rows.push({ time, value });
  }
  rows.sort((a, b) => a.time - b.time);
  return rows;
}

function median(xs) {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Protocol step 1: the regular series (`values`, `step` ms, `start`). */
function regularise(rows) {
  const gaps = [];
  for (let i = 1; i < rows.length; i++) gaps.push(rows[i].time - rows[i - 1].time);
  const native = median(gaps);
  let step;
  let slotOf;
  let start;
  if (native < FIVE_MIN) {
    // Mean over 5-minute clock bins.
    step = FIVE_MIN;
    start = Math.floor(rows[0].time / FIVE_MIN) * FIVE_MIN;
    slotOf = (t) => Math.floor((t - start) / step);
  } else {
    // 5 min or coarser: keep the native step, snap to the grid anchored at the first timestamp.
    step = native;
    start = rows[0].time;
    slotOf = (t) => Math.round((t - start) / step);
  }
  const n = slotOf(rows[rows.length - 1].time) + 1;
  const sum = new Float64Array(n);
  const count = new Uint32Array(n);
  for (const r of rows) {
    const k = slotOf(r.time);
    sum[k] += r.value;
    count[k]++;
  }
  const values = new Float64Array(n);
  let prev = -1;
  for (let k = 0; k < n; k++) {
    if (count[k] === 0) continue;
    values[k] = sum[k] / count[k];
    if (prev >= 0 && k - prev > 1) {
      for (let j = prev + 1; j < k; j++) {
        values[j] = values[prev] + ((values[k] - values[prev]) * (j - prev)) / (k - prev);
      }
    }
    prev = k;
  }
  return { start, step, values, mDay: Math.max(1, Math.round(DAY / step)) };
}

// ---------------------------------------------------------------------------------------------
// Steps 2-5: origins, windows, metrics

function origins(n) {
  const a = Math.floor(0.7 * n);
  const b = n - H;
  const out = [];
  for (let k = 0; k < ORIGINS; k++) {
    const o = Math.round(a + ((b - a) * k) / (ORIGINS - 1));
    if (out.length === 0 || out[out.length - 1] !== o) out.push(o);
  }
  return out;
}

/** In-sample MAE of the seasonal naive with period `mDay` (m = 1 if too short or zero). */
function mase_scale(window, mDay) {
  const mae = (m) => {
    let s = 0;
    for (let t = m; t < window.length; t++) s += Math.abs(window[t] - window[t - m]);
    return s / (window.length - m);
  };
  if (window.length >= 2 * mDay) {
    const s = mae(mDay);
    if (s > 0) return s;
  }
  return mae(1);
}

/** Fallback for a failed fit: the last value, intervals from the naive random walk. */
function naiveFallback(window) {
  const last = window[window.length - 1];
  let ss = 0;
  for (let t = 1; t < window.length; t++) ss += (window[t] - window[t - 1]) ** 2;
  const sd = Math.sqrt(ss / Math.max(1, window.length - 1));
  const z = { 80: 1.2815515655446004, 95: 1.959963984540054 };
  const mean = new Float64Array(H).fill(last);
  const intervals = LEVELS.map((level) => {
    const lower = new Float64Array(H);
    const upper = new Float64Array(H);
    for (let h = 0; h < H; h++) {
      lower[h] = last - z[level] * sd * Math.sqrt(h + 1);
      upper[h] = last + z[level] * sd * Math.sqrt(h + 1);
    }
    return { level, lower, upper };
  });
  return { mean, intervals };
}

/** The reference seasonal naive the relative MASE is measured against (independent of tideway). */
function referenceSnaive(window, m) {
  const n = window.length;
  const mean = new Float64Array(H);
  for (let h = 0; h < H; h++) mean[h] = window[n - m + (h % m)];
  return mean;
}

function pointMetrics(mean, actual, scale) {
  let abs = 0;
  let smape = 0;
  for (let h = 0; h < H; h++) {
    const e = Math.abs(actual[h] - mean[h]);
    abs += e;
    const d = Math.abs(actual[h]) + Math.abs(mean[h]);
    smape += d === 0 ? 0 : (200 * e) / d;
  }
  return {
    mase12: abs / H / scale,
    mase1: Math.abs(actual[0] - mean[0]) / scale,
    smape: smape / H,
  };
}

function intervalMetrics(intervals, actual, scale) {
  const out = { cov80: Number.NaN, cov95: Number.NaN, msis: Number.NaN };
  for (const iv of intervals ?? []) {
    let inside = 0;
    let msis = 0;
    const alpha = 1 - iv.level / 100;
    for (let h = 0; h < H; h++) {
      const lo = iv.lower[h];
      const hi = iv.upper[h];
      const y = actual[h];
      if (y >= lo && y <= hi) inside++;
      msis += hi - lo + (y < lo ? (2 / alpha) * (lo - y) : 0) + (y > hi ? (2 / alpha) * (y - hi) : 0);
    }
    if (iv.level === 80) out.cov80 = inside / H;
    if (iv.level === 95) {
      out.cov95 = inside / H;
      out.msis = msis / H / scale;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The models: every tideway forecaster the build exports, then autoForecaster().

function has(name) {
  return typeof api[name] === 'function';
}

// Each model gets the protocol's season m (m_day when the window holds two days, else 1).
// MSTL also gets the week (7·m), which it drops when the window holds fewer than two weeks.
const MODEL_SPECS = [
  { name: 'naive', needs: 'NaiveForecaster', make: () => new api.NaiveForecaster() },
  {
    name: 'seasonal-naive',
    needs: 'SeasonalNaiveForecaster',
    make: (m) => new api.SeasonalNaiveForecaster({ period: m }),
  },
  {
    name: 'ets (auto)',
    needs: 'EtsForecaster',
    make: (m) => new api.EtsForecaster(m > 1 ? { auto: true, period: m } : { auto: true }),
  },
  {
    name: 'fourier',
    needs: 'FourierForecaster',
    make: (m) => new api.FourierForecaster(m > 1 ? { periods: [m] } : { periods: [] }),
  },
  {
    name: 'mstl',
    needs: 'MstlForecaster',
    make: (m) => new api.MstlForecaster({ periods: m > 1 ? [m, 7 * m] : [] }),
  },
  { name: 'auto', needs: 'autoForecaster', make: (m) => api.autoForecaster({ period: m }) },
];
const models = MODEL_SPECS.filter(
  (s) => has(s.needs) && (modelFilter === null || modelFilter.includes(s.name)),
);
if (models.length === 0) {
  console.error(`bench:forecast: no forecaster factories found in ${modulePath}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Run

function csvFiles(folder) {
  return readdirSync(folder)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort()
    .map((f) => join(folder, f))
    .filter((f) => statSync(f).isFile());
}

const files = folders.flatMap(csvFiles);
if (files.length === 0) {
  console.error(`bench:forecast: no CSV files in ${folders.join(', ')}`);
  process.exit(1);
}

const perSeries = []; // { series, n, step, fits, byModel: { name: {mase12, mase1, smape, cov80, cov95, msis, failed, ms[] } }, snaive }
const allMs = Object.fromEntries(models.map((m) => [m.name, []]));
const picks = {};
const started = performance.now();

for (const file of files) {
  const series = regularise(readCsv(file));
  const { values, mDay, step, start } = series;
  const name = basename(file, '.csv');
  const os_ = origins(values.length);
  const acc = Object.fromEntries(
    models.map((m) => [
      m.name,
      { mase12: 0, mase1: 0, smape: 0, cov80: 0, cov95: 0, msis: 0, nIv: 0, failed: 0 },
    ]),
  );
  let snaive12 = 0;
  for (const o of os_) {
    const w = Math.min(MAX_WINDOW, o);
    const window = values.subarray(o - w, o);
    const actual = values.subarray(o, o + H);
    const m = w >= 2 * mDay ? mDay : 1;
    const scale = mase_scale(window, mDay);
    snaive12 += pointMetrics(referenceSnaive(window, m), actual, scale).mase12;
    const input = { start: start + (o - w) * step, step, values: window };
    for (const spec of models) {
      let fc;
      let failed = false;
      const t0 = performance.now();
      try {
        const f = spec.make(m);
        f.fit(input);
        fc = f.forecast(H, { levels: LEVELS });
        if (spec.name === 'auto' && f.selection) {
          const key = `${name}`;
          picks[key] ??= {};
          const chosen = f.selection.chosen ?? f.selection.winner ?? '?';
          picks[key][chosen] = (picks[key][chosen] ?? 0) + 1;
        }
        if (!fc.mean.every(Number.isFinite)) throw new Error('non-finite forecast');
      } catch (e) {
        failed = true;
        if (process.env.BENCH_DEBUG) console.error(spec.name, name, o, e);
      }
      const ms = performance.now() - t0;
      if (failed) fc = naiveFallback(window);
      allMs[spec.name].push(ms);
      const a = acc[spec.name];
      const pm = pointMetrics(fc.mean, actual, scale);
      a.mase12 += pm.mase12;
      a.mase1 += pm.mase1;
      a.smape += pm.smape;
      const im = intervalMetrics(fc.intervals, actual, scale);
      if (Number.isFinite(im.cov80) && Number.isFinite(im.cov95)) {
        a.cov80 += im.cov80;
        a.cov95 += im.cov95;
        a.msis += im.msis;
        a.nIv++;
      }
      if (failed) a.failed++;
    }
  }
  const k = os_.length;
  const byModel = {};
  for (const spec of models) {
    const a = acc[spec.name];
    byModel[spec.name] = {
      mase12: a.mase12 / k,
      mase1: a.mase1 / k,
      smape: a.smape / k,
      cov80: a.nIv ? a.cov80 / a.nIv : Number.NaN,
      cov95: a.nIv ? a.cov95 / a.nIv : Number.NaN,
      msis: a.nIv ? a.msis / a.nIv : Number.NaN,
      failed: a.failed,
    };
  }
  perSeries.push({ name, n: values.length, step, mDay, fits: k, byModel, snaive12: snaive12 / k });
}

// ---------------------------------------------------------------------------------------------
// Report

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const geo = (xs) => Math.exp(mean(xs.map(Math.log)));
const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : '—');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const totalFits = perSeries.reduce((s, p) => s + p.fits, 0);

console.log('# tideway forecast benchmark');
console.log('');
console.log(
  `node ${process.version} (${os.platform()} ${os.arch()}), cpu ${os.cpus()[0]?.model ?? '?'}; ` +
    `${perSeries.length} series, ${totalFits} fits per method; H = ${H}; module ${basename(modulePath)}`,
);
console.log('');
console.log(
  '| method | MASE@12 mean | MASE@12 median | MASE@1 mean | rel. MASE@12 vs snaive (geo-mean) | sMAPE@12 % | cov 80 % | cov 95 % | MSIS 95 | median ms/fit | failed |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
const summary = {};
for (const spec of models) {
  const rows = perSeries.map((p) => p.byModel[spec.name]);
  const s = {
    mase12: mean(rows.map((r) => r.mase12)),
    mase12Median: median(rows.map((r) => r.mase12)),
    mase1: mean(rows.map((r) => r.mase1)),
    rel: geo(perSeries.map((p) => p.byModel[spec.name].mase12 / p.snaive12)),
    smape: mean(rows.map((r) => r.smape)),
    cov80: 100 * mean(rows.map((r) => r.cov80)),
    cov95: 100 * mean(rows.map((r) => r.cov95)),
    msis: mean(rows.map((r) => r.msis)),
    ms: median(allMs[spec.name]),
    failed: rows.reduce((t, r) => t + r.failed, 0),
  };
  summary[spec.name] = s;
  console.log(
    `| ${spec.name === 'auto' ? 'autoForecaster()' : spec.name} | ${f3(s.mase12)} | ${f3(s.mase12Median)} | ${f3(s.mase1)} | ${f3(s.rel)} | ${f1(s.smape)} | ${f1(s.cov80)} | ${f1(s.cov95)} | ${f3(s.msis)} | ${f3(s.ms)} | ${s.failed} |`,
  );
}

if (!quiet) {
  console.log('');
  console.log('## Per series: MASE@12 (mean over origins)');
  console.log('');
  console.log(
    `| series | points | step | m_day | fits | ${models.map((m) => m.name).join(' | ')} | snaive (ref) |`,
  );
  console.log(`|---|---|---|---|---|${models.map(() => '---|').join('')}---|`);
  for (const p of perSeries) {
    console.log(
      `| ${p.name} | ${p.n} | ${p.step / 60_000} min | ${p.mDay} | ${p.fits} | ${models
        .map((m) => f3(p.byModel[m.name].mase12))
        .join(' | ')} | ${f3(p.snaive12)} |`,
    );
  }
  console.log('');
  console.log('## Per series: coverage 80 % / 95 % (percent)');
  console.log('');
  console.log(`| series | ${models.map((m) => m.name).join(' | ')} |`);
  console.log(`|---|${models.map(() => '---|').join('')}`);
  for (const p of perSeries) {
    console.log(
      `| ${p.name} | ${models
        .map((m) => `${f1(100 * p.byModel[m.name].cov80)} / ${f1(100 * p.byModel[m.name].cov95)}`)
        .join(' | ')} |`,
    );
  }
  if (Object.keys(picks).length > 0) {
    console.log('');
    console.log('## autoForecaster(): chosen model per series (count of origins)');
    console.log('');
    for (const [series, counts] of Object.entries(picks)) {
      const text = Object.entries(counts)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([k, v]) => `${k} ×${v}`)
        .join(', ');
      console.log(`- ${series}: ${text}`);
    }
  }
  console.log('');
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
