import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The app lives in web/ and builds to web/dist, which `accessgraph serve` serves at `/`. In dev, Vite serves
// the app and forwards `/graphql` to a server started with `accessgraph serve --port 4000`, as a request of
// that server's own origin (it refuses other Hosts and Origins).
export default defineConfig({
  root,
  base: './',
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 600 },
  server: {
    proxy: {
      '/graphql': {
        target: 'http://127.0.0.1:4000',
        changeOrigin: true,
        configure: (proxy) =>
          proxy.on('proxyReq', (req) => {
            req.removeHeader('origin');
            req.removeHeader('sec-fetch-site');
          }),
      },
    },
  },
});
