import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Build with `vite build renderer`: the root is this folder, the output renderer/dist.
// `base: './'` keeps asset URLs relative, so the same build works from the engine's HTTP
// server, from a custom app:// protocol and from file://.
export default defineConfig({
  base: './',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline <script>/<style> and no modulepreload polyfill: the CSP allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
