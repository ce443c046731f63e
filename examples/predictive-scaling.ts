/**
 * Predictive scaling on a real trace: four weeks of New York taxi demand (examples/data), replayed
 * through the simulator twice — once with a reactive target-tracking rule alone, once with a
 * predictive rule added that forecasts the load and launches units ahead of need. Units take 20
 * minutes to become ready, so the reactive policy is always one provisioning delay late.
 *
 * Run it: npx tsx -e "import('./examples/predictive-scaling.ts').then((m) => m.main())"
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTraceCsv, type SimulationResult, simulate } from 'tideway/sim';

/** What the example needs from outside; everything has a default. */
export interface PredictiveExampleDeps {
  /** Where lines go. @default console.log */
  readonly log?: (line: string) => void;
  /** Days replayed (the last days of the trace). @default 28 */
  readonly days?: number;
}

/** What the example produced, for the test that runs it. */
export interface PredictiveExampleResult {
  /** The reactive-only run. */
  readonly reactive: SimulationResult;
  /** The run with the predictive rule added. */
  readonly predictive: SimulationResult;
}

const DAY = 86_400_000;

export async function main(deps: PredictiveExampleDeps = {}): Promise<PredictiveExampleResult> {
  const log = deps.log ?? console.log;
  const file = fileURLToPath(new URL('./data/nab_nyc_taxi.csv', import.meta.url));
  const full = parseTraceCsv(readFileSync(file, 'utf8'));
  const days = deps.days ?? 28;
  const from = (full.timestamps.at(-1) as number) - days * DAY;
  const keep = full.timestamps.map((t, i) => [t, i] as const).filter(([t]) => t > from);
  const trace = {
    timestamps: keep.map(([t]) => t),
    values: keep.map(([, i]) => full.values[i] as number),
  };

  // Passengers per 30 minutes; one unit serves 1000 of them, and launches take 20 minutes.
  const fleet = { capacityPerUnit: 1000, provisioningDelay: '20m' };
  const reactiveRule = {
    kind: 'target-tracking' as const,
    metric: 'load',
    targetPerUnit: 1000,
    window: '1m',
  };
  const base = { minCapacity: 1, maxCapacity: 60, evaluationInterval: '5m' };

  const predictive = await simulate({
    trace,
    fleet,
    name: 'predictive + reactive',
    policy: {
      ...base,
      // The forecast needs two days to learn the daily rhythm; both runs are scored after them.
      rules: [
        {
          kind: 'predictive',
          metric: 'load',
          capacityPerUnit: 1000,
          mode: 'forecast-and-scale',
          step: '30m',
          minHistory: '2d',
          history: '14d',
          schedulingBuffer: '20m',
          quantile: 80,
        },
        reactiveRule,
      ],
    },
    warmup: '2d',
    sampleInterval: '5m',
  });
  const reactive = await simulate({
    trace,
    fleet,
    policy: { ...base, rules: [reactiveRule] },
    name: 'reactive',
    warmup: '2d',
    sampleInterval: '5m',
  });

  for (const run of [reactive, predictive]) {
    const s = run.scores;
    log(
      `${run.name.padEnd(22)} ${s.billedUnitHours.toFixed(0).padStart(6)} unit-h  ` +
        `${s.sloViolationMinutes.toFixed(0).padStart(5)} min under-provisioned  ` +
        `${(100 * s.unservedShare).toFixed(2)} % load unserved`,
    );
  }
  return { reactive, predictive };
}
