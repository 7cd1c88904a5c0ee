import { defineConfig } from 'vitest/config';

// The packed-tarball test builds, packs and installs the package: minutes, not seconds,
// so it runs once in CI (npm run test:package) rather than once per ISA with the suite.
export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
