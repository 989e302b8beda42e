/**
 * The contract between the engine and its front ends (Electron window, browser dashboard, CLI).
 * Shared by main, preload, renderer and tests: no Electron, no Node-only imports.
 */
export * from './api.js';
export * from './emitter.js';
export * from './errors.js';
export * from './i18n/index.js';
export * from './operations.js';
export * from './requests.js';
export * from './settings.js';
export * from './templates.js';
export * from './topics.js';
export * from './transports.js';
export * from './views.js';
