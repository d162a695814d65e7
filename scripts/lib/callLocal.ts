/**
 * LAG's caller on a local BAM, in-process and without Azure: the same pure
 * code the activities run (profile: coverage from the index and the library
 * from sampled reads; per contig: scan + caller; then the merge). Used by the
 * training export and by tests that need whole-BAM calls quickly.
 */
import { LocalFile } from 'generic-filehandle2';
import { openAlignment } from '../../shared/bam/open';
import { coverageFromIndex, sampleLibrary } from '../../shared/bam/profile';
import { scanRegion } from '../../shared/bam/scan';
import { createSvCaller } from '../../shared/caller/caller';
import type { LibraryStats, SvCall, WorkUnit } from '../../shared/contracts';
import { mergeUnitCalls } from '../../shared/merge';

export interface LocalCallResult {
  calls: SvCall[];
  library: LibraryStats;
  contigs: { name: string; length: number }[];
  reads: number;
  /** Each contig's caller statistics (evidence counts; the depth-only two-copy level, densest band and fit share). */
  units: { contig: string; stats: Record<string, number> }[];
}

export async function callBamLocally(bamPath: string, baiPath = `${bamPath}.bai`): Promise<LocalCallResult> {
  const name = bamPath.split('/').pop() ?? bamPath;
  const aln = await openAlignment(new LocalFile(bamPath), new LocalFile(baiPath), { bam: name, bai: `${name}.bai` });
  const contigs = aln.header.contigs;
  const firstPass = await coverageFromIndex(aln.bam, contigs, 150);
  const library = await sampleLibrary(aln.bam, name, firstPass);
  const coverage = await coverageFromIndex(aln.bam, contigs, library.readLength || 150);
  const all: SvCall[] = [];
  let reads = 0;
  const units: LocalCallResult['units'] = [];
  for (const c of coverage) {
    if (c.mappedReads === 0) continue;
    const unit: WorkUnit = { id: `${c.contig}:0-${c.length}`, contig: c.contig, chromosome: c.chromosome ?? c.contig, start: 0, end: c.length, coreStart: 0, coreEnd: c.length };
    const caller = createSvCaller({ unit, library, expectedDepth: c.meanDepth, contigNames: contigs.map((x) => x.name) });
    reads += await scanRegion(aln.bam, name, c.contig, 0, c.length, (r) => caller.observe(r));
    const result = caller.finish();
    all.push(...result.calls);
    units.push({ contig: c.contig, stats: result.stats });
  }
  return { calls: mergeUnitCalls(all).calls, library, contigs, reads, units };
}
