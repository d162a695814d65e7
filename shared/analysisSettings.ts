/**
 * Analysis settings from configuration (app settings in Azure, environment
 * locally), each checked, with the name of the bad setting in the error.
 */
import { type AnalysisSettings, DEFAULT_SETTINGS } from './contracts';

export const ANALYSIS_SETTING_NAMES = [
  'LAG_WINDOW_SIZE',
  'LAG_WINDOW_OVERLAP',
  'LAG_INCLUDE_MITOCHONDRIAL',
  'LAG_INCLUDE_NON_PRIMARY',
  'LAG_RETRY_FIRST_INTERVAL_MS',
  'LAG_RETRY_MAX_ATTEMPTS',
  'LAG_INDEX_WAIT_SECONDS',
  'LAG_INDEX_POLL_SECONDS',
] as const;

function int(env: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`setting ${name}='${raw}' is invalid: expected a whole number >= ${min}`);
  }
  return n;
}

function bool(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`setting ${name}='${raw}' is invalid: expected true or false`);
}

export function analysisSettingsFromEnv(env: Record<string, string | undefined>): AnalysisSettings {
  const d = DEFAULT_SETTINGS;
  return {
    windowSize: int(env, 'LAG_WINDOW_SIZE', d.windowSize, 10_000),
    windowOverlap: int(env, 'LAG_WINDOW_OVERLAP', d.windowOverlap, 0),
    includeMitochondrial: bool(env, 'LAG_INCLUDE_MITOCHONDRIAL', d.includeMitochondrial),
    includeNonPrimary: bool(env, 'LAG_INCLUDE_NON_PRIMARY', d.includeNonPrimary),
    retry: {
      ...d.retry,
      firstIntervalMs: int(env, 'LAG_RETRY_FIRST_INTERVAL_MS', d.retry.firstIntervalMs, 1),
      maxAttempts: int(env, 'LAG_RETRY_MAX_ATTEMPTS', d.retry.maxAttempts, 1),
    },
    indexWaitMs: int(env, 'LAG_INDEX_WAIT_SECONDS', d.indexWaitMs / 1000, 0) * 1000,
    indexPollMs: int(env, 'LAG_INDEX_POLL_SECONDS', d.indexPollMs / 1000, 1) * 1000,
  };
}
