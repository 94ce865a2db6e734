import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{data,collectors,analyzer,review-ui,scripts}/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['data/testing/global-setup.ts'],
  },
})
