import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real servers; give them room without letting a hang go unnoticed.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
