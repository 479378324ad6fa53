import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      // Vite's dev server (`npx vite`) talks to a running server on the default port.
      '^/(Users|Items|Sync|System|Sessions|Shows|Videos|Audio|Library|Genres|MusicGenres|Studios|Persons|Artists|Devices|Collections|Playlists|emby)':
        'http://127.0.0.1:8096',
    },
  },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    environment: 'node',
    // The JSON report feeds .ci/run's one-line summary.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
