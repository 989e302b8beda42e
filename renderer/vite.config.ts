import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Build with `vite build renderer`: the root is this folder, the output renderer/dist.
// `base: './'` keeps asset URLs relative, so the same build works from the engine's HTTP
// server, from a custom app:// protocol and from file://.
export default defineConfig({
  base: './',
  plugins: [vue()],
  // vue-i18n's build flags: the Composition API only (no legacy API), no devtools hooks in the
  // build, and the message compiler kept (it compiles JIT to functions over an AST, never eval,
  // so the catalogue shared with the main process needs no build step of its own).
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __INTLIFY_DROP_MESSAGE_COMPILER__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline <script>/<style> and no modulepreload polyfill: the CSP allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
