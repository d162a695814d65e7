#!/usr/bin/env node
/**
 * `npm start` and `npm run analyze` compile first, but only when a source is
 * newer than the last build (dist/.tsbuildinfo): a no-op tsc still costs
 * ~3 s of type-checking, this check ~50 ms. Sources: functions/, shared/,
 * the tsconfig files and package-lock.json.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const stamp = path.join(root, 'dist', '.tsbuildinfo');

function newestIn(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestIn(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function stale() {
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  const inputs = [
    newestIn(path.join(root, 'functions')),
    newestIn(path.join(root, 'shared')),
    ...['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs),
  ];
  return Math.max(...inputs) > built;
}

if (stale()) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  // tsc leaves .tsbuildinfo untouched when nothing changed: touch it so the next check is quick.
  const now = new Date();
  fs.utimesSync(stamp, now, now);
}
