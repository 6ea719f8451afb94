import { configDefaults, defineConfig } from 'vitest/config'

// Sets STUDIO_PRINT_FONTS=none for its process: the font lookups it changes are cached per process.
const NO_FONTS = 'test/unit/templates/no-fonts.test.ts'

export default defineConfig({
  test: {
    setupFiles: ['test/support/fail-on-warnings.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores on the CI machine: more workers only contend.
    maxWorkers: 2,
    // Under CI a failed test is run once more before it fails the run. Known flaky under a loaded
    // 2-core machine, each to be made deterministic: the socat unplug through the ScannerHub (the
    // lost-state event sometimes late), the MariaDB two-station race (a deadlock victim; advances are
    // now retried). A test that passes only on its retry is still named
    // in the output (vitest marks it), so it stays visible.
    retry: process.env.CI === 'true' ? 1 : 0,
    reporters: ['default'],
    projects: [
      // Unit tests are pure (no processes, sockets, servers, files written, renders at scale): their
      // files share a worker's modules instead of each loading the templates, fonts and barcode
      // libraries again, which took most of the unit suite's time.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], exclude: [...configDefaults.exclude, NO_FONTS], isolate: false } },
      { extends: true, test: { name: 'unit-own-process', include: [NO_FONTS] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
})
