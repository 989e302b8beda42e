/** The Electron main entry (package.json "main" points at its build output). */
import { app, dialog } from 'electron';
import { packageRoot } from '../engine/package-root.js';
import { errorMessage } from '../engine/errors.js';
import { startApp } from './app-main.js';
import { createBackend } from './backend.js';
import { registerAppScheme } from './dashboard-protocol.js';

// Custom schemes must be registered before the app is ready.
registerAppScheme();

// Ctrl-C in the terminal that ran `npm start` quits through the same path as the tray's Quit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

startApp({ appRoot: packageRoot(), createBackend }).catch((error: unknown) => {
  dialog.showErrorBox('Discovery Tray could not start', errorMessage(error));
  app.exit(1);
});
