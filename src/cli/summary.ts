import { formatDuration } from '../core/duration.js';
import { delayLabel } from '../sim/compare.js';
import { formatTimestamp } from '../sim/trace-csv.js';
import type { SimulationResult } from '../sim/types.js';

const DAY = 86_400_000;

/**
 * Thousands separated by commas, fixed decimals, the same on every machine whatever its locale.
 *
 * @example
 * formatNumber(12345.678, 1); // '12,345.7'
 */
export function formatNumber(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole = '0', fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return `${sign}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** A span in days when it is a day or more, else as a duration (`3h`). */
function span(ms: number): string {
  return ms >= DAY ? `${formatNumber(ms / DAY, 1)} days` : formatDuration(ms);
}

function range(start: number, end: number): string {
  return `${formatTimestamp(start).slice(0, 16)} → ${formatTimestamp(end).slice(0, 16)} UTC`;
}

function times(ratio: number | null, zeroBase: string): string {
  return ratio === null ? `n/a (${zeroBase})` : `${formatNumber(ratio, 2)}×`;
}

/**
 * The compact score summary of one run, as `tideway simulate` prints it: what was replayed and
 * how, then every score with its unit. Deterministic: the same result gives the same text.
 *
 * @param traceName how the trace is named (its file name)
 * @example
 * io.stdout(formatSummary(await simulate(options), 'load.csv'));
 */
export function formatSummary(result: SimulationResult, traceName: string): string {
  const s = result.scores;
  const { trace, fleet, scored } = result;
  const warmup = scored.start - trace.start;
  const head = [
    `tideway simulate: ${result.policy} on ${traceName}`,
    `  trace   ${formatNumber(trace.points)} points, ${range(trace.start, trace.end)} (${span(trace.end - trace.start)}), step ${formatDuration(trace.step)}`,
    `  fleet   ${formatNumber(fleet.capacityPerUnit, fleet.capacityPerUnit % 1 === 0 ? 0 : 2)} per unit, ` +
      `provisioning delay ${delayLabel(fleet.provisioningDelay)}, drain delay ${delayLabel(fleet.drainDelay)}, ` +
      `${formatNumber(fleet.initialCapacity)} unit${fleet.initialCapacity === 1 ? '' : 's'} at start, seed ${result.seed}`,
    `  scored  ${range(scored.start, scored.end)} (${span(scored.end - scored.start)}` +
      `${warmup > 0 ? `, after a ${formatDuration(warmup)} warm-up` : ''})`,
  ];
  const latency = s.scaleOutToReady;
  const rows: [string, string][] = [
    ['θU  under-provisioning', `${formatNumber(s.thetaU, 2)} % (demand not supplied, time-averaged)`],
    ['θO  over-provisioning', `${formatNumber(s.thetaO, 2)} % (surplus over demand, time-averaged)`],
    ['τU  time under-provisioned', `${formatNumber(s.tauU, 2)} %`],
    ['τO  time over-provisioned', `${formatNumber(s.tauO, 2)} %`],
    ['κ   instability', `${formatNumber(s.kappa, 2)} %`],
    ['jitter', `${formatNumber(s.jitter, 3)} adaptations/h`],
    ['SLO violated', `${formatNumber(s.sloViolationMinutes, 1)} min`],
    ['unserved load', `${formatNumber(100 * s.unservedShare, 3)} %`],
    [
      'billed unit-hours',
      `${formatNumber(s.billedUnitHours, 1)} (paid from launch: ${formatNumber(s.unitHours, 1)})`,
    ],
    [
      'cost',
      `${formatNumber(s.cost, 2)} (at ${formatNumber(fleet.billing.pricePerUnitHour, 2)} per unit-hour)`,
    ],
    ['vs oracle', times(s.costVsOracle, 'the oracle needs no units')],
    ['vs static peak', times(s.costVsStaticPeak, 'the peak needs no units')],
    ['scale-outs / scale-ins', `${formatNumber(s.scaleOuts)} / ${formatNumber(s.scaleIns)}`],
    [
      'scale-out to ready',
      latency.count === 0
        ? 'n/a (no scale-out completed)'
        : `p50 ${formatDuration(latency.p50)}, p95 ${formatDuration(latency.p95)} (over ${formatNumber(latency.count)})`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [...head, '', ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)].join('\n');
}
