/**
 * Activity `profileGenome`: validates the upload, reads its header, detects
 * the reference build, measures the library and plans the work units.
 */
import type { InvocationContext } from '@azure/functions';
import { openAlignment } from '../shared/bam/open';
import { coverageFromIndex, indexBins, sampleLibrary } from '../shared/bam/profile';
import { karyotype } from '../shared/cnv/karyotype';
import {
  ACTIVITIES,
  type GenomeProfile,
  type ProfileGenomeInput,
  type ProfileGenomeOutput,
} from '../shared/contracts';
import { InputError } from '../shared/errors';
import { detectBuild, namingStyle, planWorkUnits, selectContigs } from '../shared/genome/contigs';
import { layout } from '../shared/layout';
import { profileWarnings } from '../shared/warnings';
import { openGenome } from './adapters/genomes';
import { writeResultJson } from './adapters/results';
import { registerActivity } from './common/registry';

export async function profileGenome(input: ProfileGenomeInput, context: InvocationContext): Promise<ProfileGenomeOutput> {
  const { sampleId, runId, genome, settings } = input;
  const handles = openGenome(genome);
  const aln = await openAlignment(handles.bam, handles.bai, { bam: genome.bam.name, bai: genome.bai.name });
  const contigs = aln.header.contigs;
  const firstPass = await coverageFromIndex(aln.bam, contigs, 0);
  const library = await sampleLibrary(aln.bam, genome.bam.name, firstPass);
  const coverage = await coverageFromIndex(aln.bam, contigs, library.readLength);
  const build = detectBuild(contigs);
  const selection = selectContigs(contigs, settings);
  if (selection.selected.length === 0) {
    throw new InputError('BAM_NO_CHROMOSOMES', `${genome.bam.name} has no contig to analyse (only ${selection.skipped.join(', ')})`);
  }
  const units = planWorkUnits(selection.selected, settings);
  // Karyotype needs human chromosomes: only when the build is known.
  const prescreen = build === null ? null : karyotype(await indexBins(aln.bam, contigs), build);
  const warnings = [...aln.warnings, ...profileWarnings({ bamName: genome.bam.name, build, library, coverage, selection })];

  const profile: GenomeProfile = {
    sampleId,
    build,
    naming: namingStyle(contigs),
    headerText: aln.header.text,
    contigs,
    coverage,
    library,
    prescreen,
    warnings,
  };
  const profileBlob = layout.profile(sampleId, runId);
  await writeResultJson(profileBlob, profile);
  context.log(
    `${sampleId}: build ${build ?? 'unknown'}, ${selection.selected.length} contigs in ${units.length} units, ` +
      `read length ${library.readLength}, insert ${library.insertSizeMedian}±${library.insertSizeSd.toFixed(0)}` +
      (prescreen ? `, index screen: ${prescreen.sexChromosomes ?? '?'}, ${prescreen.aneuploidies.length} aneuploidies` : ''),
  );
  return {
    profileBlob,
    build,
    prescreen,
    library,
    units,
    chromosomes: [...new Set(units.map((u) => u.chromosome))],
    warnings,
  };
}

registerActivity(ACTIVITIES.profileGenome, profileGenome);
