import { defineConfig } from "vitest/config";

// One config, four projects (see test/README.md for where each kind of test goes).
// Multi-process suites run in forks, one file at a time: they spawn real Node processes and
// measure real timing, so they must not compete with each other for the machine's two cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts"],
          environment: "node",
        },
      },
      // The trigger and time suites again under three host zones: results must not depend on
      // the host's TZ (SPEC §7). Lord Howe has a 30-minute DST shift.
      ...(
        [
          ["unit-tz-utc", "UTC"],
          ["unit-tz-ny", "America/New_York"],
          ["unit-tz-lhi", "Australia/Lord_Howe"],
        ] as const
      ).map(([name, zone]) => ({
        test: {
          name,
          include: [
            "packages/core/src/triggers/**/*.test.ts",
            "packages/core/src/time/**/*.test.ts",
          ],
          environment: "node" as const,
          pool: "forks" as const,
          env: { TZ: zone, EXPECTED_HOST_TZ: zone },
        },
      })),
      {
        test: {
          name: "contract",
          include: ["test/contract/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          pool: "forks",
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "acceptance",
          include: ["test/acceptance/**/*.test.ts"],
          environment: "node",
          pool: "forks",
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
