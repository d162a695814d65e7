/** The web workspace's server side: static files, BAM byte ranges, the chromosomes to draw. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serveWebAsset, WEB_ROOT, webFilePath } from '../../functions/common/webAssets';
import { parseRange } from '../../shared/byteRange';
import type { GenomeProfile } from '../../shared/contracts';
import { genomeChromosomes, MAX_HEADER_CONTIGS } from '../../shared/genome/ideogram';
import { RequestError } from '../../shared/errors';

describe('static files of the workspace', () => {
  test('/ is index.html; files under web/ are served with their type; igv.js from node_modules', async () => {
    expect(webFilePath('/')).toBe(path.join(WEB_ROOT, 'index.html'));
    expect(webFilePath('/app.js')).toBe(path.join(WEB_ROOT, 'app.js'));
    const igv = webFilePath('/vendor/igv.esm.min.js');
    expect(igv && fs.existsSync(igv)).toBe(true);
    const index = await serveWebAsset('/');
    expect(index.status).toBe(200);
    expect((index.headers as Record<string, string>)['Content-Type']).toMatch(/^text\/html/);
    expect(String(index.body)).toContain('app.js');
    const js = await serveWebAsset('/i18n.js');
    expect((js.headers as Record<string, string>)['Content-Type']).toMatch(/^text\/javascript/);
  });

  test('nothing outside web/, no dotfiles, no unknown types, no other method', async () => {
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/..%2fhost.json', '/.env', '/x/../../host.json', '/README', '/%zz']) {
      expect(webFilePath(p)).toBeNull();
      expect((await serveWebAsset(p)).status).toBe(404);
    }
    expect((await serveWebAsset('/missing.js')).status).toBe(404);
    expect((await serveWebAsset('/', 'POST')).status).toBe(405);
  });

  test('every string key the French dictionary has, the English one has too', async () => {
    // The dictionary is an ES module for the browser; read its keys as text (two top-level blocks, fr then en).
    const src = fs.readFileSync(path.join(WEB_ROOT, 'i18n.js'), 'utf8');
    const block = (lang: string, next: string) => src.slice(src.indexOf(`  ${lang}: {`), src.indexOf(next));
    const keys = (text: string) => new Set([...text.matchAll(/^ {4}(\w+):/gm)].map((m) => m[1]));
    const fr = keys(block('fr', '  en: {'));
    const en = keys(block('en', 'export const LANGUAGES'));
    expect(fr.size).toBeGreaterThan(100);
    expect([...fr].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !fr.has(k))).toEqual([]);
  });
});

describe('BAM byte ranges', () => {
  test('single ranges: closed, open-ended, suffix; clamped to the file', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=990-2000', 1000)).toEqual({ start: 990, end: 999 });
    expect(parseRange('bytes=1000-1001', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable');
  });

  test('anything else is a 400 naming Range', () => {
    for (const bad of ['bytes=5-1', 'bytes=0-1,5-9', 'items=0-1', 'bytes=-', '']) {
      expect(() => parseRange(bad, 1000)).toThrow(RequestError);
    }
  });
});

describe('the chromosomes to draw', () => {
  const profile = (contigs: { name: string; length: number }[]): GenomeProfile =>
    ({
      sampleId: 's',
      build: null,
      naming: 'chr',
      headerText: '',
      contigs,
      coverage: contigs.map((c) => ({ contig: c.name, chromosome: null, length: c.length, meanDepth: 30, mappedReads: 1 })),
      library: {} as GenomeProfile['library'],
      prescreen: null,
      warnings: [],
    }) as GenomeProfile;

  test('a human build: its 24 chromosomes with centromeres, named as in the BAM', () => {
    const g = genomeChromosomes('GRCh38', profile([{ name: 'chr1', length: 248_956_422 }, { name: 'chrX', length: 156_040_895 }]));
    expect(g.source).toBe('build');
    expect(g.chromosomes.map((c) => c.name)).toEqual([...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y']);
    expect(g.chromosomes[0]).toMatchObject({ name: '1', contig: 'chr1', length: 248_956_422, meanDepth: 30 });
    expect(g.chromosomes[0]!.centromere![0]).toBeGreaterThan(100_000_000);
    expect(g.chromosomes[1]).toMatchObject({ name: '2', contig: null, meanDepth: null });
  });

  test('an unknown build: the header contigs (the longest, without M), no centromeres', () => {
    const g = genomeChromosomes(null, profile([{ name: '20', length: 2_000_000 }, { name: 'MT', length: 16_569 }]));
    expect(g).toEqual({ source: 'header', chromosomes: [{ name: '20', contig: '20', length: 2_000_000, centromere: null, meanDepth: 30 }] });
    const many = Array.from({ length: 100 }, (_, i) => ({ name: `scaffold${i}`, length: 1000 + i }));
    expect(genomeChromosomes(null, profile(many)).chromosomes).toHaveLength(MAX_HEADER_CONTIGS);
    expect(genomeChromosomes(null, undefined)).toEqual({ source: 'none', chromosomes: [] });
  });
});
