import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each database test file opens its own PGlite (~2 s) or server database: keep files parallel, tests serial.
    fileParallelism: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
