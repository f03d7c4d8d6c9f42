import { defineConfig } from 'vitest/config';

// Test lanes (docs: CONTRIBUTING.md "Test lanes"). `npm test` builds, type-checks and runs every lane.
// - unit: pure and quick, needs no build and spawns nothing (`npm run test:unit`, well under 30 s).
// - integration: sources and the HTTP client against fixture servers, the fault matrix, fuzzing, security; every
//   test folder that is not unit, e2e or browser lands here, so a new folder is never left out.
// - e2e: the CLI end to end, mostly `main(argv, deps)` in process (tests/helpers/run-cli.ts `runCli`), plus the few
//   tests that need the built CLI in a real process (`spawnCli`, listed in BUILT).
// - browser: the HTML report in headless Chromium.

/** Tests that run the built dist/ in a child process: signals, exit codes of bin/, a TTY, V8 flags, exit hooks. */
const BUILT = ['tests/unit/heap.test.ts', 'tests/unit/io.test.ts', 'tests/security/interrupt.test.ts', 'tests/security/hostile-text.test.ts', 'tests/security/output-targets.test.ts', 'tests/security/huge-records.test.ts'];
/** Unit-level files that take seconds: real waits against local servers (Retry-After, timeouts). */
const SLOW_UNIT = ['tests/unit/http/client.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20000,
    env: { TZ: 'UTC', NO_COLOR: '1' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], exclude: [...BUILT, ...SLOW_UNIT], isolate: false } },
      { extends: true, test: { name: 'integration', include: ['tests/!(unit|e2e|browser|helpers)/**/*.test.ts', ...SLOW_UNIT], exclude: BUILT } },
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts', ...BUILT] } },
      // Browser tests get their own project so Chromium is installed (when missing) only when they run.
      { extends: true, test: { name: 'browser', include: ['tests/browser/**/*.test.ts'], globalSetup: ['tests/browser/setup.ts'], testTimeout: 60000 } },
    ],
  },
});
