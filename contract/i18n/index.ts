/** The app's languages and its one message catalogue, shared by the dashboard and the main process. */
export * from './catalogue.js';
export * from './locale.js';
