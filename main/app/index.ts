/** The Electron main entry (package.json "main" points at its build output). */
import { app, dialog } from 'electron';
import { packageRoot } from '../engine/package-root.js';
import { errorMessage } from '../engine/errors.js';
import { systemLocale } from '../../contract/index.js';
import { startApp, systemLanguages } from './app-main.js';
import { createBackend } from './backend.js';
import { registerAppScheme } from './dashboard-protocol.js';
import { translatorFor } from './translator.js';

// Custom schemes must be registered before the app is ready.
registerAppScheme();

// Ctrl-C in the terminal that ran `npm start` quits through the same path as the tray's Quit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

startApp({ appRoot: packageRoot(), createBackend }).catch((error: unknown) => {
  // The settings may be what failed: the system's language it is.
  const t = translatorFor(systemLocale(systemLanguages()));
  dialog.showErrorBox(t('dialogs.couldNotStart'), errorMessage(error));
  app.exit(1);
});
