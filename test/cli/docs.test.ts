import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SIMULATE_HELP, SIMULATE_USAGE_LINE } from '../../src/cli/simulate.js';
import { VALIDATE_USAGE_LINE } from '../../src/cli/validate.js';
import { BASELINES } from '../../src/sim/baselines.js';

const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
const simulateTests = readFileSync(new URL('./simulate.test.ts', import.meta.url), 'utf8');

/** The code blocks of the section under `heading`, up to the next `## `. */
function blocks(heading: string): string[] {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/cli.md has no "## ${heading}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^```\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
}

describe('docs/cli.md', () => {
  it('documents every flag simulate --help names, and every baseline', () => {
    const flags = new Set(SIMULATE_HELP.match(/--[a-z][a-z-]*/g));
    expect(flags.size).toBeGreaterThanOrEqual(11);
    for (const flag of flags) expect(doc).toContain(`\`${flag}\``);
    for (const name of BASELINES) expect(doc).toContain(`\`${name}\``);
  });

  it('shows the usage lines as the commands print them', () => {
    expect(doc).toContain(SIMULATE_USAGE_LINE);
    expect(doc).toContain(`\n${VALIDATE_USAGE_LINE.replace('Usage: ', '')}\n`);
  });

  it('quotes error messages that the tests assert, word for word', () => {
    const [messages] = blocks('Exit codes and messages');
    const lines = (messages as string).trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const line of lines) expect(simulateTests).toContain(line);
  });
});
