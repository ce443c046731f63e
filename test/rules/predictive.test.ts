import { ConfigError, validateGroupConfig } from 'tideway';
import { describe, expect, it } from 'vitest';
import type { Observation, RuleForecast } from '../../src/core/types.js';
import {
  capacityFor,
  loadAhead,
  type PredictiveRuleInput,
  predictiveRuleSchema,
  proposePredictive,
  quantileLevel,
} from '../../src/rules/predictive.js';

const AWS = 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-predictive-scaling.html';
const NOW = 36_000_000; // 10:00 on day 0
const STEP = 300_000;

type Over = Partial<Omit<PredictiveRuleInput, 'kind'>>;
const rule = (over: Over = {}) =>
  predictiveRuleSchema.parse({ kind: 'predictive', metric: 'rps', capacityPerUnit: 100, ...over });

/** A forecast whose first step starts at `start`, with the given upper values (mean = upper). */
const forecastOf = (upper: number[], over: Partial<RuleForecast> = {}): RuleForecast => ({
  unavailable: null,
  start: NOW,
  step: STEP,
  mean: upper,
  upper,
  model: 'auto:ets',
  accuracy: { scored: 10, mase: 0.5, smape: 10, coverage80: 0.8, coverage95: 0.95 },
  degraded: false,
  buffer: STEP,
  ...over,
});

const observe = (capacity: number, forecast: RuleForecast | undefined, memory?: unknown): Observation => ({
  now: NOW,
  capacity,
  readyCapacity: capacity,
  metrics: {},
  ...(forecast === undefined ? {} : { forecasts: { 0: forecast } }),
  ...(memory === undefined ? {} : { memory: [memory as never] }),
});

describe('predictiveRuleSchema', () => {
  it('defaults to AWS: forecast only, scale out only, max honoured', () => {
    expect(rule()).toMatchObject({
      mode: 'forecast-only',
      scaleIn: false,
      maxCapacityBreach: 'honor',
      maxCapacityBuffer: 0,
      targetUtilization: 100,
      quantile: 50,
      model: 'auto',
      step: 300_000,
      minHistory: 86_400_000,
      refitEvery: 21_600_000,
    });
    expect(rule().schedulingBuffer).toBeUndefined();
  });

  it.each([
    // API_PredictiveScalingConfiguration: SchedulingBufferTime must be below 3600 s.
    {
      name: 'a buffer of an hour',
      over: { schedulingBuffer: '1h' },
      path: 'rules[0].schedulingBuffer',
      text: 'a duration under 1h',
    },
    {
      name: 'minHistory above history',
      over: { minHistory: '8d' },
      path: 'rules[0].minHistory',
      text: 'a duration ≤ history',
    },
    { name: 'a quantile below 50', over: { quantile: 40 }, path: 'rules[0].quantile', text: 'got 40' },
    {
      name: 'a zero capacity per unit',
      over: { capacityPerUnit: 0 },
      path: 'rules[0].capacityPerUnit',
      text: 'got 0',
    },
    {
      name: 'recoverMase above maxMase',
      over: { accuracy: { maxMase: 1, recoverMase: 2 } },
      path: 'rules[0].accuracy.recoverMase',
      text: 'a number ≤ maxMase (1)',
    },
    {
      name: 'an unknown model',
      over: { model: 'prophet' as never },
      path: 'rules[0].model',
      text: '"prophet"',
    },
  ])('rejects $name with its path', ({ over, path, text }) => {
    let error: unknown;
    try {
      validateGroupConfig({
        id: 'g',
        minCapacity: 0,
        maxCapacity: 10,
        rules: [{ kind: 'predictive', metric: 'rps', capacityPerUnit: 100, ...over }],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.find((i) => i.path === path)?.message).toContain(text);
  });
});

describe('capacity arithmetic', () => {
  it.each([
    { name: 'exact multiple does not round up', load: 500, util: 100, want: 5 },
    { name: 'any excess rounds up', load: 501, util: 100, want: 6 },
    // 450 / (100 × 0.9) = 5
    { name: 'target utilization shrinks each unit', load: 450, util: 90, want: 5 },
    { name: 'no load needs no units', load: 0, util: 100, want: 0 },
    { name: 'a negative forecast needs no units', load: -20, util: 100, want: 0 },
  ])('$name', ({ load, util, want }) => {
    expect(capacityFor(rule({ targetUtilization: util }), load)).toBe(want);
  });

  it.each([
    { q: 50, level: null },
    { q: 90, level: 80 },
    { q: 97.5, level: 95 },
  ])('quantile $q is the upper bound of the $level % interval', ({ q, level }) => {
    expect(quantileLevel(q)).toBe(level);
  });

  it('looks ahead over the steps overlapping [now, now + buffer]', () => {
    // Steps start at 10:00, 10:05, 10:10, 10:15; a 5-minute buffer from 10:00 covers the first two.
    const f = forecastOf([100, 300, 900, 50]);
    expect(loadAhead(f, NOW, STEP)).toBe(300);
    expect(loadAhead(f, NOW, 0)).toBe(100);
    // From 10:07 with 5 minutes: steps 10:05 (still running) and 10:10.
    expect(loadAhead(f, NOW + 420_000, STEP)).toBe(900);
    expect(loadAhead(f, NOW + 100 * STEP, STEP)).toBeNull();
  });
});

describe('proposePredictive', () => {
  it('abstains without a forecast, saying why', () => {
    const p = proposePredictive(
      rule({ mode: 'forecast-and-scale' }),
      0,
      observe(2, forecastOf([], { unavailable: '12 more steps of history needed' })),
    );
    expect(p).toMatchObject({ outcome: 'abstain' });
    expect(p.message).toContain('12 more steps of history needed');
  });

  it('forecast-only records what it would do and never proposes', () => {
    const p = proposePredictive(rule(), 0, observe(2, forecastOf([700, 800])));
    expect(p.outcome).toBe('abstain');
    expect(p.capacity).toBeUndefined();
    expect(p.details).toMatchObject({ predicted: 8, load: 800 });
    expect(p.message).toContain('would set 8');
  });

  // aws-predictive-scheduling-buffer: a 10:00 forecast increase with a 300 s buffer launches at 09:55.
  it(`aws-predictive-scheduling-buffer: at 09:55 the 10:00 step is already covered (${AWS})`, () => {
    const r = rule({ mode: 'forecast-and-scale' });
    const f = forecastOf([200, 200, 1000, 1000], { start: NOW - 2 * STEP }); // 09:50, 09:55, 10:00, 10:05
    const at0950: Observation = { ...observe(2, f), now: NOW - 2 * STEP };
    const at0955: Observation = { ...observe(2, f), now: NOW - STEP };
    expect(proposePredictive(r, 0, at0950).capacity).toBe(2);
    expect(proposePredictive(r, 0, at0955).capacity).toBe(10);
  });

  // aws-predictive-hourly-behaviour: below the forecast → raise to it; above → do not scale in.
  it(`aws-predictive-hourly-behaviour: raises to the forecast and never lowers capacity alone (${AWS})`, () => {
    const r = rule({ mode: 'forecast-and-scale' });
    const up = proposePredictive(r, 0, observe(3, forecastOf([800])));
    expect(up).toMatchObject({ outcome: 'propose', capacity: 8, floor: true, reason: 'AboveTarget' });
    const down = proposePredictive(r, 0, observe(12, forecastOf([800])));
    expect(down).toMatchObject({ outcome: 'propose', capacity: 8, floor: true });
  });

  it('with scaleIn, lowers capacity only while its accuracy clears the gate', () => {
    const r = rule({ mode: 'forecast-and-scale', scaleIn: true });
    const accurate = proposePredictive(r, 0, observe(12, forecastOf([800])));
    expect(accurate).toMatchObject({ outcome: 'propose', capacity: 8, reason: 'BelowTarget' });
    expect(accurate.floor).toBeUndefined();
    const rough = forecastOf([800], {
      accuracy: { scored: 10, mase: 0.95, smape: 30, coverage80: 0.6, coverage95: 0.8 },
    });
    expect(proposePredictive(r, 0, observe(12, rough)).floor).toBe(true);
    const young = forecastOf([800], {
      accuracy: { scored: 3, mase: 0.2, smape: 5, coverage80: 0.8, coverage95: 0.95 },
    });
    expect(proposePredictive(r, 0, observe(12, young)).floor).toBe(true);
  });

  it('a degraded forecast abstains so the reactive rules decide', () => {
    const r = rule({ mode: 'forecast-and-scale' });
    const p = proposePredictive(r, 0, observe(2, forecastOf([5000], { degraded: true })));
    expect(p.outcome).toBe('abstain');
    expect(p.message).toContain('degraded');
  });

  // aws-predictive-max-buffer: forecast 50, max 40, buffer 10 % → effective max 55.
  it(`aws-predictive-max-buffer: IncreaseMaxCapacity with a 10 % buffer raises max to 55 (${AWS})`, () => {
    const r = rule({ mode: 'forecast-and-scale', maxCapacityBreach: 'increase', maxCapacityBuffer: 10 });
    const p = proposePredictive(r, 0, observe(30, forecastOf([5000])));
    expect(p).toMatchObject({ capacity: 50, maxCapacity: 55, memory: { raisedMax: 55 } });
  });

  // aws-predictive-max-buffer-zero: buffer 0 may go above max up to exactly the forecast.
  it(`aws-predictive-max-buffer-zero: a 0 % buffer raises max to exactly the forecast (${AWS})`, () => {
    const r = rule({ mode: 'forecast-and-scale', maxCapacityBreach: 'increase' });
    expect(proposePredictive(r, 0, observe(30, forecastOf([5000])))).toMatchObject({
      capacity: 50,
      maxCapacity: 50,
    });
  });

  it('a raised max stays raised after the forecast falls', () => {
    const r = rule({ mode: 'forecast-and-scale', maxCapacityBreach: 'increase', maxCapacityBuffer: 10 });
    const p = proposePredictive(r, 0, observe(50, forecastOf([1000]), { raisedMax: 55 }));
    expect(p).toMatchObject({ capacity: 10, maxCapacity: 55 });
  });

  it('honouring max sets no raised max', () => {
    const p = proposePredictive(rule({ mode: 'forecast-and-scale' }), 0, observe(30, forecastOf([5000])));
    expect(p.maxCapacity).toBeUndefined();
  });
});
