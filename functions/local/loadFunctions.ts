/**
 * Loads every function module so each registers itself (with the host when
 * there is one, and always in our registry). test/integration checks this
 * list against the files in functions/.
 *
 * Outside the Functions host, @azure/functions prints one warning per
 * registration ("test mode", "Skipping call to register function"): those
 * two expected lines are dropped while loading; any other warning passes.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded in order, under a warning filter */
export const FUNCTION_MODULES = [
  'analyzeGenome',
  'locateIndex',
  'profileGenome',
  'callChromosome',
  'mergeCalls',
  'publishResults',
  'recordSampleStatus',
  'genomeEvents',
  'listSamples',
  'getSample',
  'listSampleSvs',
  'getSampleVcf',
  'getSampleBam',
  'getSampleGenome',
  'rerunSample',
  'reviewSv',
  'getSampleReport',
  'queryAudit',
  'openapi',
  'health',
  'web',
] as const;

const EXPECTED_OUTSIDE_HOST = /^WARNING: (Failed to detect the Azure Functions runtime|Skipping call to register function)/;

export function loadFunctions(): void {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && EXPECTED_OUTSIDE_HOST.test(args[0])) return;
    warn(...args);
  };
  try {
    for (const name of FUNCTION_MODULES) require(`../${name}`);
  } finally {
    console.warn = warn;
  }
}
