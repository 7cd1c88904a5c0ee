import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // examples/ import the package by name, as users do; in the suite that name means the
  // sources, so tests need no build and never see a stale dist/.
  resolve: { alias: { myelin: fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    // The packed-tarball test has its own config and runs once (npm run test:package).
    exclude: ['test/package/**', '**/node_modules/**'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
