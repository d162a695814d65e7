/**
 * The LAG package root — the folder holding host.json and package.json —
 * found by walking up from a module, so that files shipped beside the code
 * (model/, web/, shared/annotation/data/, test data) are found the same way
 * whether the code runs from source (ts-jest), from dist/, or deployed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The nearest folder at or above `from` with host.json and package.json, or null. */
export function findPackageRoot(from: string): string | null {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'host.json')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

/** The package root above this module; throws when there is none (an incomplete install). */
export function packageRoot(): string {
  const root = findPackageRoot(__dirname);
  if (root === null) throw new Error(`no LAG package (host.json + package.json) above ${__dirname}`);
  return root;
}
