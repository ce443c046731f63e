// Decisions per second of a group with ten rules of eight kinds, through the pure pipeline
// (proposeAll + decide), in a closed loop like section 1. Imported by run.mjs; no target (issue 4
// asks for the number).
import { performance } from 'node:perf_hooks';
import { decide, initialDecisionState, proposeAll, validateGroupConfig } from '../dist/index.js';

const STEP = 15_000;

/** Ten rules mixing kinds: Kubernetes, AWS, Azure, KEDA, GitHub runner and a weighted score. */
export const MIXED_RULES = [
  { kind: 'target-tracking', metric: 'cpu', target: 60 },
  { kind: 'target-tracking', name: 'rps-per-unit', metric: 'rps', targetPerUnit: 100 },
  {
    kind: 'step',
    metric: 'cpu',
    threshold: 70,
    comparison: '>=',
    adjustmentType: 'PercentChangeInCapacity',
    steps: [
      { lower: 0, upper: 15, adjustment: 10 },
      { lower: 15, adjustment: 30 },
    ],
  },
  {
    kind: 'simple',
    metric: 'latency',
    threshold: 0.5,
    comparison: '>',
    adjustmentType: 'ChangeInCapacity',
    adjustment: 2,
    cooldown: '1m',
  },
  { kind: 'aws-target-tracking', metric: 'cpu', target: 55 },
  {
    kind: 'threshold',
    metric: 'cpu',
    operator: 'GreaterThan',
    threshold: 75,
    direction: 'out',
    change: 1,
    timeGrain: '15s',
    timeWindow: '1m',
  },
  {
    kind: 'threshold',
    metric: 'cpu',
    operator: 'LessThan',
    threshold: 25,
    direction: 'in',
    change: 1,
    timeGrain: '15s',
    timeWindow: '1m',
  },
  {
    kind: 'weighted-score',
    metrics: [
      { name: 'cpu', weight: 2 },
      { name: 'response_time', metric: 'latency', weight: 1 },
      { name: 'requests', metric: 'rps', weight: 1 },
    ],
  },
  { kind: 'queue', metric: 'queue', targetPerUnit: 20 },
  { kind: 'percentage-runners-busy', metric: 'busy' },
];

/**
 * @param {(name: string, value: string, unit: string, target: string | null, pass: boolean, details: string[]) => void} report
 * @param {() => () => number} makeLoad a seeded load generator factory (mean 40)
 * @param {(values: number[]) => number} median
 */
export function benchMixedRules(report, makeLoad, median) {
  const config = validateGroupConfig({ id: 'mixed', minCapacity: 1, maxCapacity: 400, rules: MIXED_RULES });
  const kinds = new Set(config.rules.map((r) => r.kind));
  const nextDemand = makeLoad();
  let state = initialDecisionState();
  let now = Date.parse('2026-01-01T00:00:00Z');
  let capacity = 10;
  let sequence = 0;
  let checksum = 0;
  const history = { cpu: [], rps: [], latency: [], queue: [], busy: [] };
  const push = (name, value) => {
    const list = history[name];
    list.push({ timestamp: now, value });
    if (list.length > 4) list.shift();
  };
  const observe = () => {
    const demand = nextDemand();
    push('cpu', Math.min(100, (100 * demand) / capacity));
    push('rps', demand * 90);
    push('latency', 0.1 + Math.max(0, demand / capacity - 0.8));
    push('queue', Math.max(0, demand - capacity) * 15);
    push('busy', Math.min(capacity, demand));
    const metrics = {};
    for (const [name, samples] of Object.entries(history))
      metrics[name] = { status: 'ok', samples: samples.slice() };
    return { now, capacity, readyCapacity: capacity, metrics };
  };
  const run = (n) => {
    for (let i = 0; i < n; i++) {
      now += STEP;
      const observation = observe();
      const proposals = proposeAll(config.rules, observation);
      const out = decide({ groupId: 'mixed', sequence: ++sequence, config, state, observation, proposals });
      state = out.state;
      capacity = out.decision.desired;
      checksum += capacity;
    }
  };
  const rounds = [];
  run(20_000); // warm-up
  for (let r = 0; r < 7; r++) {
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < 200) {
      run(2_000);
      n += 2_000;
    }
    rounds.push((n / (performance.now() - start)) * 1000);
  }
  const rate = median(rounds);
  const fmt = (x) => Math.round(x).toLocaleString('en-US');
  report(
    '5. Decisions per second, one group with 10 rules of 8 kinds (proposeAll + decide)',
    fmt(rate),
    'decisions/s (median round)',
    null,
    true,
    [
      `kinds: ${[...kinds].join(', ')}; arbitration max, default behavior`,
      `rounds ${fmt(Math.min(...rounds))}–${fmt(Math.max(...rounds))}/s; final capacity ${capacity}, checksum ${checksum}`,
    ],
  );
}
