/**
 * Compiles Bicep files with the CLI that scripts/install-bicep.sh puts in
 * .tools/bicep/ (or $BICEP_CLI). Without it the infra tests fail, never skip:
 * CI must not pass on an unchecked template.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Template } from './arm';

export const ROOT = path.resolve(__dirname, '..', '..');
export const MAIN_BICEP = path.join(ROOT, 'infra', 'main.bicep');

export function bicepCli(): string {
  const cli = process.env.BICEP_CLI ?? path.join(ROOT, '.tools', 'bicep', 'bicep');
  if (!existsSync(cli)) {
    throw new Error(`Bicep CLI not found at ${cli}: install it with \`bash scripts/install-bicep.sh\` (the infra policy tests compile infra/main.bicep with it).`);
  }
  return cli;
}

const cache = new Map<string, Template>();

/** Compiles a .bicep file to ARM JSON (in a temporary folder) and parses it. */
export function compileBicep(file: string): Template {
  const cached = cache.get(file);
  if (cached) return structuredClone(cached);
  const cli = bicepCli();
  const dir = mkdtempSync(path.join(tmpdir(), 'lag-bicep-'));
  try {
    const out = path.join(dir, 'template.json');
    try {
      execFileSync(cli, ['build', file, '--outfile', out], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    } catch (e) {
      const err = e as { stderr?: Buffer; stdout?: Buffer; message: string };
      throw new Error(`bicep build ${path.relative(ROOT, file)} failed:\n${err.stderr?.toString() ?? ''}${err.stdout?.toString() ?? ''}${err.message}`);
    }
    const template = JSON.parse(readFileSync(out, 'utf8')) as Template;
    cache.set(file, template);
    return structuredClone(template);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
