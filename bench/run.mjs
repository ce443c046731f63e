// tideway benchmarks: pure-pipeline throughput, runtime ticks for 10,000 groups, and heap per
// group holding a day of 1-minute samples. Runs against the built `dist/` (`npm run bench`);
// see bench/README.md for what each number means.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  AutoScalingManager,
  decide,
  initialDecisionState,
  proposeAll,
  validateGroupConfig,
} from '../dist/index.js';
import { simulate } from '../dist/sim.js';
import { InMemoryMetricsProvider, ManualClock, RecordingResourceController } from '../dist/testing.js';
import { benchMixedRules } from './mixed-rules.mjs';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const METRIC = 'busy_ratio';
const INTERVAL = 15_000;
const MINUTE = 60_000;

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const verdict = (pass) => (pass ? 'PASS' : 'MISS');
const results = [];

function gc() {
  // Several passes: the first may only queue finalizers and weak references.
  for (let i = 0; i < 4; i++) global.gc();
}

/** A deterministic load pattern: a slow sine plus a little LCG noise, around `mean`. */
function loadGenerator(mean, seed = 12_345) {
  let state = seed >>> 0;
  let k = 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const noise = (state / 4_294_967_296 - 0.5) * 0.2;
    return mean * (1 + 0.5 * Math.sin(k++ / 20) + noise);
  };
}

/** Share of one core the process got since `from` (a `process.cpuUsage()`), over `wallMs`. */
function cpuShare(from, wallMs) {
  const used = process.cpuUsage(from);
  return `cpu/wall ${Math.round((used.user + used.system) / 10 / wallMs)}%`;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function report(name, value, unit, target, pass, details) {
  console.log(`\n${name}`);
  if (target === null) {
    // A number to note, not a target to meet.
    console.log(`  result: ${value} ${unit}   (no target)`);
  } else {
    results.push({ name, pass });
    console.log(`  result: ${value} ${unit}   target: ${target}   ${verdict(pass)}`);
  }
  for (const line of details) console.log(`  ${line}`);
}

// 1. Pure pipeline ---------------------------------------------------------------------------

function benchPipeline() {
  const TARGET = 1_000_000;
  const config = validateGroupConfig({
    id: 'pipeline',
    minCapacity: 1,
    maxCapacity: 200,
    rules: [{ kind: 'target-tracking', metric: METRIC, target: 0.6 }],
  });
  const rules = config.rules;
  // A closed loop: demand (in busy units) swings between about 20 and 60, and the metric is the
  // busy ratio demand / capacity, so every decision feeds back into the next observation.
  const nextDemand = loadGenerator(40);
  let state = initialDecisionState();
  let now = T0;
  let capacity = 4;
  let sequence = 0;
  let checksum = 0;
  const reasons = new Map();
  const sample = (timestamp) => ({ timestamp, value: nextDemand() / capacity });
  // The rule's default window is 60 s; at one sample per 15 s tick it sees the last four.
  let s0 = sample(now - 45_000);
  let s1 = sample(now - 30_000);
  let s2 = sample(now - 15_000);
  let s3 = sample(now);

  const run = (n) => {
    for (let i = 0; i < n; i++) {
      now += INTERVAL;
      s0 = s1;
      s1 = s2;
      s2 = s3;
      s3 = sample(now);
      const observation = {
        now,
        capacity,
        readyCapacity: capacity,
        metrics: { busy_ratio: { status: 'ok', samples: [s0, s1, s2, s3] } },
      };
      const proposals = proposeAll(rules, observation);
      const out = decide({
        groupId: 'pipeline',
        sequence: ++sequence,
        config,
        state,
        observation,
        proposals,
      });
      state = out.state;
      // As if the controller applied the decision at once, so the next tick starts from it.
      capacity = out.decision.desired;
      checksum += capacity;
      if (i % 64 === 0) reasons.set(out.decision.reason, (reasons.get(out.decision.reason) ?? 0) + 1);
    }
  };

  const BATCH = 20_000;
  const timeFor = (ms) => {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < ms) {
      run(BATCH);
      n += BATCH;
      elapsed = performance.now() - start;
    }
    return { n, elapsed };
  };

  timeFor(500); // warm-up: let the JIT settle on the hot paths
  const ROUNDS = 7;
  const rates = [];
  let total = 0;
  let measured = 0;
  const cpuStart = process.cpuUsage();
  for (let r = 0; r < ROUNDS; r++) {
    const { n, elapsed } = timeFor(200);
    rates.push((n / elapsed) * 1000);
    total += n;
    measured += elapsed;
  }
  const rate = median(rates);
  const seen = [...reasons]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${reason} ${fmt(n)}`)
    .join(', ');
  report(
    '1. Pure-pipeline decisions per second (proposeAll + decide, 1 target-tracking rule, default behavior)',
    fmt(rate),
    'decisions/s (median round)',
    `≥ ${fmt(TARGET)}/s`,
    rate >= TARGET,
    [
      `${ROUNDS} rounds, ${fmt(total)} decisions in ${(measured / 1000).toFixed(2)} s after a 0.5 s warm-up;` +
        ` rounds ${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))}/s; ${cpuShare(cpuStart, measured)}`,
      `closed loop: busy_ratio = demand / capacity; final capacity ${capacity}, checksum ${checksum}`,
      `reasons (every 64th decision): ${seen}`,
    ],
  );
}

// 2. Runtime ticks ---------------------------------------------------------------------------

async function benchRuntime() {
  const TARGET = 100_000;
  const GROUPS = 10_000;
  const WARM_INTERVALS = 2;
  const INTERVALS = 20;
  // Long enough for the evaluate() phase and the loop phase after it.
  const end = T0 + (WARM_INTERVALS + 2 * INTERVALS + 2) * INTERVAL;

  // One shared series, one sample per 15 s, from a minute before the start to past the end.
  const nextValue = loadGenerator(0.6, 99);
  const timestamps = [];
  const values = [];
  for (let t = T0 - MINUTE; t <= end; t += INTERVAL) {
    timestamps.push(t);
    values.push(nextValue());
  }
  const clock = new ManualClock(T0);
  const metrics = new InMemoryMetricsProvider({ series: { [METRIC]: { timestamps, values } } });
  const controller = new RecordingResourceController({ clock, initial: 4, record: false });
  const manager = new AutoScalingManager({ metrics, controller, clock, scheduler: clock });

  const registerStart = performance.now();
  for (let i = 0; i < GROUPS; i++) {
    manager.registerScalingGroup({
      id: `group-${i}`,
      minCapacity: 1,
      maxCapacity: 100,
      evaluationInterval: '15s',
      // Different targets so the groups do not all scale in lockstep.
      rules: [{ kind: 'target-tracking', metric: METRIC, target: 0.45 + (i % 7) * 0.05 }],
    });
  }
  const registerMs = performance.now() - registerStart;

  const counts = { decision: 0, scaled: 0, 'scale-failed': 0, 'metrics-unavailable': 0, 'tick-skipped': 0 };
  let errors = 0;
  const reasons = new Map();
  manager.on('decision', (decision) => {
    counts.decision++;
    reasons.set(decision.reason, (reasons.get(decision.reason) ?? 0) + 1);
  });
  for (const kind of Object.keys(counts)) if (kind !== 'decision') manager.on(kind, () => counts[kind]++);
  manager.on('error', () => errors++);

  // Driven two ways. The headline number is the runtime's own cost: every group's tick through
  // manager.evaluate() — the same tick the loop runs (ports, pipeline, apply, events, history) —
  // one interval after another. The second drives the same ticks from the manager's own loop on
  // ManualClock, whose advanceAsync lets each timer's promise work settle before the next; that
  // hop is the test clock's cost, not the runtime's, and is shown for comparison.
  const ids = Array.from({ length: GROUPS }, (_, i) => `group-${i}`);
  const interval = async () => {
    for (const id of ids) await manager.evaluate(id);
    clock.advance(INTERVAL);
  };
  const warmStart = performance.now();
  for (let i = 0; i < WARM_INTERVALS; i++) await interval();
  const warmMs = performance.now() - warmStart;
  const warmTicks = counts.decision;

  const startDecisions = counts.decision;
  const startScaled = counts.scaled;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < INTERVALS; i++) await interval();
  const elapsed = performance.now() - start;
  const ticks = counts.decision - startDecisions;
  const rate = (ticks / elapsed) * 1000;

  // The same number of ticks from the manager's loop (start() + ManualClock.advanceAsync).
  const loopStartDecisions = counts.decision;
  manager.start();
  const loopStart = performance.now();
  await clock.advanceAsync(INTERVALS * INTERVAL - 1);
  const loopElapsed = performance.now() - loopStart;
  const loopTicks = counts.decision - loopStartDecisions;
  await manager.stop();
  const loopRate = (loopTicks / loopElapsed) * 1000;

  report(
    '2. Full ticks per second, 10,000 groups through AutoScalingManager (in-memory ports)',
    fmt(rate),
    'ticks/s',
    `≥ ${fmt(TARGET)}/s`,
    rate >= TARGET && ticks >= 200_000,
    [
      `${fmt(ticks)} ticks (${INTERVALS} intervals × ${fmt(GROUPS)} groups via evaluate()) in ${(elapsed / 1000).toFixed(2)} s;` +
        ` ${fmt(counts.scaled - startScaled)} of them scaled; ${cpuShare(cpuStart, elapsed)}`,
      `through the manager's own loop on ManualClock: ${fmt(loopRate)} ticks/s (${fmt(loopTicks)} ticks in ${(loopElapsed / 1000).toFixed(2)} s)`,
      `untimed: registering ${fmt(GROUPS)} groups ${(registerMs / 1000).toFixed(2)} s;` +
        ` warm-up ${fmt(warmTicks)} ticks in ${(warmMs / 1000).toFixed(2)} s`,
      `reasons (whole run): ${[...reasons]
        .sort((a, b) => b[1] - a[1])
        .map(([reason, n]) => `${reason} ${fmt(n)}`)
        .join(', ')}`,
      `health: scale-failed ${counts['scale-failed']}, metrics-unavailable ${counts['metrics-unavailable']},` +
        ` tick-skipped ${counts['tick-skipped']}, error ${errors} (all should be 0)`,
    ],
  );
}

// 3. Heap per group --------------------------------------------------------------------------

async function benchHeap() {
  const TARGET = 32 * 1024;
  const GROUPS = 2_000;
  const SAMPLES = 1_440;
  const HISTORY_LIMIT = 10_000; // the default
  const BATCH = 250;

  // The provider holds exactly one day of 1-minute samples ending at T0: (T0 − 24 h, T0].
  const nextValue = loadGenerator(0.6, 7);
  const timestamps = [];
  const values = [];
  for (let k = SAMPLES - 1; k >= 0; k--) {
    timestamps.push(T0 - k * MINUTE);
    values.push(nextValue());
  }
  const clock = new ManualClock(T0);
  const metrics = new InMemoryMetricsProvider({ series: { [METRIC]: { timestamps, values } } });
  const controller = new RecordingResourceController({ clock, initial: 4, record: false });
  const manager = new AutoScalingManager({
    metrics,
    controller,
    clock,
    scheduler: clock,
    historyLimit: HISTORY_LIMIT,
  });
  const ids = Array.from({ length: GROUPS }, (_, i) => `group-${i}`);

  const before = measureHeap();

  for (let i = 0; i < GROUPS; i++) {
    manager.registerScalingGroup({
      id: ids[i],
      minCapacity: 1,
      maxCapacity: 100,
      rules: [{ kind: 'target-tracking', metric: METRIC, target: 0.45 + (i % 7) * 0.05, window: '24h' }],
    });
  }
  const registered = measureHeap();

  // One tick per group: the read returns all 1,440 samples in the 24 h window and the group
  // stores them in its MetricHistory (retention: the default 24 h).
  for (let i = 0; i < GROUPS; i += BATCH) {
    await Promise.all(ids.slice(i, i + BATCH).map((id) => manager.evaluate(id)));
  }
  // ManualClock keeps cancelled call-timeout timers in its heap until they reach the top; the
  // system scheduler frees them on clearTimeout, so drop them before measuring.
  clock.nextTimerAt();
  const after = measureHeap();

  let checked = 0;
  let wrong = 0;
  for (let i = 0; i < GROUPS; i += 97) {
    checked++;
    if (manager.getMetricHistory(ids[i], METRIC).length !== SAMPLES) wrong++;
  }
  const events = manager.getScalingEvents();
  const byKind = {};
  for (const e of events) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
  const per = (from, to, key) => (to[key] - from[key]) / GROUPS;
  const perGroup = per(before, after, 'total');
  const kinds = Object.entries(byKind)
    .map(([k, n]) => `${k} ${fmt(n)}`)
    .join(', ');

  report(
    '3. Heap bytes per group holding 24 h of 1-minute samples for one metric',
    fmt(perGroup),
    `bytes/group (${(perGroup / 1024).toFixed(1)} KiB)`,
    `≤ ${fmt(TARGET)} bytes (32 KiB)`,
    perGroup <= TARGET && wrong === 0,
    [
      `${fmt(GROUPS)} groups; bytes = heapUsed + arrayBuffers after gc(), because MetricHistory keeps its` +
        ' samples in Float64Array chunks whose storage V8 allocates outside the JS heap',
      `  of which JS heap ${fmt(per(before, after, 'heap'))} B/group, typed-array storage ` +
        `${fmt(per(before, after, 'buffers'))} B/group (raw samples: ${fmt(SAMPLES * 16)} B)`,
      `  registering (validated config, group object, decision state, map entries) ` +
        `${fmt(per(before, registered, 'total'))} B/group; first tick (metric history, last decision, ` +
        `decision state, events) ${fmt(per(registered, after, 'total'))} B/group`,
      `history check: ${checked} sampled groups, ${wrong} without exactly ${fmt(SAMPLES)} samples`,
      `event history: historyLimit ${fmt(HISTORY_LIMIT)} (the default) holds ${fmt(events.length)} events, ` +
        `${(events.length / GROUPS).toFixed(1)}/group (${kinds}), all counted`,
    ],
  );
}

/** Live bytes after a full collection: JS heap, typed-array storage, and their sum. */
function measureHeap() {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heap: heapUsed, buffers: arrayBuffers, total: heapUsed + arrayBuffers };
}

// 4. Simulator replay ------------------------------------------------------------------------

async function benchReplay() {
  const TARGET_MS = 1000;
  const STEPS = 43_200; // 30 days at 1-minute steps
  // A daily wave with noise, about 20 units at the peak at 100 per unit.
  const nextNoise = loadGenerator(1, 7);
  const timestamps = new Array(STEPS);
  const values = new Array(STEPS);
  for (let i = 0; i < STEPS; i++) {
    timestamps[i] = T0 + i * MINUTE;
    values[i] = Math.max(0, 1000 + 800 * Math.sin((2 * Math.PI * i) / 1440)) * nextNoise();
  }
  const options = {
    trace: { timestamps, values },
    policy: {
      minCapacity: 1,
      maxCapacity: 60,
      evaluationInterval: '1m',
      rules: [{ kind: 'target-tracking', metric: 'utilization', target: 0.8 }],
    },
    fleet: { capacityPerUnit: 100, provisioningDelay: '2m' },
  };
  await simulate(options); // warm-up run
  const times = [];
  let result;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    result = await simulate(options);
    times.push(performance.now() - start);
  }
  const ms = median(times);
  report(
    '4. Simulator: replay 30 days at 1-minute steps (43,200 ticks) with target tracking',
    fmt(ms),
    'ms (median of 5)',
    `< ${fmt(TARGET_MS)} ms on one core`,
    ms < TARGET_MS,
    [
      `rounds ${times.map((t) => fmt(t)).join(', ')} ms; ${result.decisions.length} capacity changes, ${fmt(result.scores.sloViolationMinutes)} SLO minutes`,
      `= ${fmt((STEPS / ms) * 1000)} ticks/s (one group, samples and scoring included)`,
    ],
  );
}

// --------------------------------------------------------------------------------------------

async function main() {
  if (typeof global.gc !== 'function') {
    console.error('bench/run.mjs needs --expose-gc: run `npm run bench`.');
    process.exitCode = 1;
    return;
  }
  const cpus = os.cpus();
  console.log('tideway bench');
  console.log(`  node ${process.version} (${process.platform} ${process.arch})`);
  console.log(`  cpu  ${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`);
  const started = performance.now();
  benchPipeline();
  await benchRuntime();
  gc();
  await benchHeap();
  gc();
  await benchReplay();
  gc();
  benchMixedRules(report, () => loadGenerator(40), median);
  const missed = results.filter((r) => !r.pass).length;
  console.log(
    `\n${missed === 0 ? 'All targets met' : `${missed} of ${results.length} targets missed`}` +
      ` (bench took ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

await main();
