import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples and the README import the package by name, as users do; tests run them on the source.
    alias: [
      { find: /^tideway\/testing$/, replacement: src('testing/index.ts') },
      { find: /^tideway\/sim$/, replacement: src('sim/index.ts') },
      { find: /^tideway$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest.json' },
    coverage: { provider: 'v8', include: ['src/**/*.ts'], exclude: ['src/**/*.d.ts'] },
  },
});
