import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The first ```ts block after the "## Quick start" heading (and before the next heading). */
function quickStart(markdown: string): string {
  const section = /^## Quick start\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown)?.[1];
  if (section === undefined) throw new Error('README.md has no "## Quick start" section');
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (block === undefined) throw new Error('the Quick start section has no ```ts block');
  return block;
}

// Inside test/ so the 'tideway' aliases and the tsconfig apply, as they do for examples; one
// name per process so parallel runs in the same tree never share it; removed afterwards.
const snippetPath = fileURLToPath(new URL(`./.readme-quickstart.${process.pid}.tmp.ts`, import.meta.url));

afterAll(() => {
  rmSync(snippetPath, { force: true });
});

describe('README.md', () => {
  it('gives the two set-up commands', () => {
    expect(readme).toContain('```sh\nnpm install && npm run demo\n```');
    expect(readme).toContain('```sh\nnpm install && npm test\n```');
    expect(readme).toMatch(/NYC taxi trace[\s\S]{0,200}Numenta Anomaly Benchmark/);
  });

  it('links the guides', () => {
    for (const doc of ['docs/getting-started.md', 'docs/concepts.md', 'docs/configuration.md']) {
      expect(readme).toContain(`](${doc})`);
    }
  });

  it('runs the Quick start verbatim and it prints the scale-out it promises', async () => {
    const code = quickStart(readme);
    expect(code).toContain("from 'tideway'");
    writeFileSync(snippetPath, code);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ pathToFileURL(snippetPath).href);
      expect(log.mock.calls).toEqual([
        ['ScaleOut', 'Scale out from 1 to 5: queued_jobs 23 is above target 5 per unit (5 for 1 unit).'],
        ['NoChange', 'Keep 5: queued_jobs 23 is within tolerance of target 5 per unit (25 for 5 units).'],
        ['NoChange', 'Keep 5: queued_jobs 23 is within tolerance of target 5 per unit (25 for 5 units).'],
        [{ desired: 5, ready: 5, provisioning: 0 }],
      ]);
    } finally {
      log.mockRestore();
      rmSync(snippetPath, { force: true });
    }
  });
});
