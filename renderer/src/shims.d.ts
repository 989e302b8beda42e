// Ambient module shapes for the bundler's imports (this file has no import/export on purpose).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare module '*.css';
