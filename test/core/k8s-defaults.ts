import type { Behavior } from '../../src/core/behavior.js';

/**
 * The Kubernetes autoscaling/v2 behavior defaults, written out by hand from defaults.go (plus the
 * controller's 300 s downscale flag) — independent of src's DEFAULT_BEHAVIOR so tests can check it.
 * Up: no window, max(4 units, 100 %) per 15 s; down: 300 s window, 100 % per 15 s.
 */
export const K8S_DEFAULTS: Behavior = {
  scaleUp: {
    stabilizationWindow: 0,
    selectPolicy: 'max',
    policies: [
      { type: 'units', value: 4, period: 15_000 },
      { type: 'percent', value: 100, period: 15_000 },
    ],
  },
  scaleDown: {
    stabilizationWindow: 300_000,
    selectPolicy: 'max',
    policies: [{ type: 'percent', value: 100, period: 15_000 }],
  },
};
