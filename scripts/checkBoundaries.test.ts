/** The boundary rules themselves: each rule catches what it is for, including side-effect imports. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { checkFile, importsOf } from './check-boundaries.mjs';

const check = checkFile as (rel: string, text: string) => string[];

describe('check-boundaries', () => {
  it('finds static, re-export, side-effect, type-only and dynamic imports', () => {
    const text = [
      "import a from 'a';",
      "import type { B } from './b.js';",
      "export * from './c.js';",
      "import 'd';",
      "import './e.css';",
      "const f = await import('f');",
      "export { g } from 'g';",
    ].join('\n');
    expect((importsOf as (t: string) => string[])(text)).toEqual(['a', './b.js', './c.js', 'd', './e.css', 'f', 'g']);
  });

  it.each([
    ['shared/util/x.ts', "import 'node:fs';", 'no Node built-ins'],
    ['shared/util/x.ts', "import { h } from '../../host/hub/hub.js';", 'nothing outside shared/'],
    ['relay/server/x.ts', "import { h } from '../../host/hub/hub.js';", 'relay/ is standalone'],
    ['host/hub/x.ts', "import { app } from 'electron';", 'Electron-free core'],
    ['host/hub/x.ts', "import '../../renderer/common/x.js';", 'Electron-free core'],
    ['renderer/common/x.ts', "import { readFile } from 'node:fs/promises';", 'DOM only'],
    ['renderer/common/x.ts', "import { Hub } from '../../host/hub/hub.js';", 'DOM only'],
    ['electron/preload/index.ts', "import { x } from '../../host/app/createHost.js';", 'hands over a port'],
    ['shared/util/x.ts', "import ws from 'ws';", "not on the folder's list"],
    ['relay/server/x.ts', "import keyring from '@napi-rs/keyring';", "not on the folder's list"],
  ])('%s: %s is refused (%s)', (file, text, why) => {
    const problems = check(file, text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(why);
  });

  it.each([
    ['shared/util/x.ts', "import { z } from 'zod';\nimport { x } from '../crypto/identity.js';"],
    ['relay/main.ts', "import { Command } from 'commander';\nimport { x } from '../shared/util/logger.js';"],
    ['host/remote-access/x.ts', "import { startRelay } from '../../relay/server/relayServer.js';\nimport 'node:fs';"],
    ['electron/main/index.ts', "import { app } from 'electron';\nimport { createHost } from '../../host/app/createHost.js';"],
    ['shared/util/x.test.ts', "import { readFileSync } from 'node:fs';"],
  ])('%s: allowed', (file, text) => {
    expect(check(file, text)).toEqual([]);
  });
});
