import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The app lives in web/ and builds to web/dist, which `accessgraph serve` serves at `/`. In dev, Vite serves
// the app and forwards `/graphql` to a server started with `accessgraph serve --port 4000`.
export default defineConfig({
  root,
  base: './',
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
