import type { CliIo } from '../../src/cli/main.js';
import { formatTimestamp } from '../../src/sim/trace-csv.js';

/** A fake terminal and file system: files by path, read and written in memory; output collected. */
export function fakeIo(
  files: Record<string, string> = {},
  options: { isTTY?: boolean; stderrWrite?: boolean; bundledTrace?: string } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  /** What `stderrWrite` received, chunk by chunk. */
  const raw: string[] = [];
  const written: Record<string, string> = {};
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: async (path) => {
      const text = written[path] ?? files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    writeFile: async (path, text) => {
      if (path.startsWith('/read-only/')) throw new Error(`EACCES: permission denied, open '${path}'`);
      written[path] = text;
    },
    ...(options.isTTY !== undefined ? { isTTY: options.isTTY } : {}),
    ...(options.stderrWrite === true ? { stderrWrite: (chunk: string) => raw.push(chunk) } : {}),
    bundledTrace: options.bundledTrace,
  };
  return { io, out, err, raw, written };
}

/**
 * A synthetic load trace at 1-minute steps from 2026-01-01 00:00 UTC: a slow wave with a burst
 * every 37 minutes, deterministic, in the `timestamp,value` format the CLI reads.
 */
export function syntheticCsv(minutes = 180, stepMs = 60_000): string {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const rows = ['timestamp,value'];
  for (let i = 0; i < minutes; i++) {
    const value = Math.round(500 + 400 * Math.sin(i / 20) + (i % 37 === 0 ? 600 : 0));
    rows.push(`${formatTimestamp(start + i * stepMs)},${value}`);
  }
  return `${rows.join('\n')}\n`;
}
