/**
 * The Electron main entry (package.json `main`: dist/electron/main/index.js; docs/desktop.md).
 * Everything happens in desktopApp.ts; this file only hands it the real `electron` module —
 * which is also where tsc checks that the real module fits the subsets the app declares.
 */
import * as electron from 'electron';
import { createHost } from '../../host/app/createHost.js';
import { runDesktopApp } from './desktopApp.js';

runDesktopApp(electron, {
  createHost,
  mirror: electron.app.isPackaged ? undefined : (line) => process.stderr.write(`${line}\n`),
});
