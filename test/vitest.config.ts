import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    projects: [
      {
        test: {
          name: 'unit',
          root,
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          root,
          // The dashboard's end-to-end tests run here too: every file that uses the Docker engine
          // runs alone, since each engine registers every container it sees (as registrator does).
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          // One Docker engine is shared: test files run one after another.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'renderer',
          root,
          include: ['test/renderer/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
    ],
  },
});
