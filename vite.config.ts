import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dashboard (src/web) builds to dist/web, which the API serves at `/`. `vite` on its own is a dev
// server that proxies the API to a platform running on the default port (npm run dev or npm run demo).
const api = process.env.STORE_PLATFORM_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'src/web',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // the API's CSP allows no inline script; keep every chunk a file
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/openapi.json', '/docs', '/healthz', '/readyz'].map((p) => [p, { target: api }])),
  },
});
