/**
 * `tideway/testing`: fakes and a simulated clock for testing scaling policies and the code that
 * embeds tideway. They answer from data; nothing here sleeps or touches the network.
 */
export type { InMemoryMetricsOptions, SeriesInput } from './in-memory-metrics.js';
export { InMemoryMetricsProvider } from './in-memory-metrics.js';
export { ManualClock } from './manual-clock.js';
export type { RecordedCall, RecordingControllerOptions } from './recording-controller.js';
export { RecordingResourceController } from './recording-controller.js';
export { seededRandom } from './seeded-random.js';
