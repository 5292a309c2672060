/**
 * The scenarios perf-gate ships in scenarios/, described by scenarios/catalog.yml.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';
import { z } from 'zod';

import { PerfGateError } from '../errors.js';
import { parseDurationMs, parseRate } from './units.js';

export interface ShippedK6Scenario {
  name: string;
  /** Absolute path of the script. */
  script: string;
  description: string;
  /** Virtual users; the peak for a scenario with stages. */
  vus: number;
  /** Arrival rate, for an open-model scenario. */
  ratePerSecond?: number;
  /** Measured time, for a scenario that runs for a duration; the warm-up runs before it. */
  durationMs?: number;
  /** Total length of the stages, for a scenario that ramps; `scale` shortens it in the script. */
  stagesMs?: number;
}

/** One step of a vegeta profile that changes its rate. */
export interface VegetaPhase {
  ratePerSecond: number;
  rateText: string;
  durationMs: number;
}

export interface ShippedVegetaProfile {
  name: string;
  description: string;
  ratePerSecond: number;
  rateText: string;
  durationMs: number;
  timeoutMs: number;
  /** Rates in turn, for a profile that alternates; their lengths add up to `durationMs`. */
  phases?: VegetaPhase[];
}

export interface Catalog {
  k6: Map<string, ShippedK6Scenario>;
  vegeta: Map<string, ShippedVegetaProfile>;
}

const durationText = z.string().transform((text, context) => {
  const ms = parseDurationMs(text);
  if (ms === undefined) context.addIssue({ code: 'custom', message: `invalid duration ${text}` });
  return ms ?? 0;
});
const rateText = z.string().transform((text, context) => {
  const rate = parseRate(text);
  if (!rate) context.addIssue({ code: 'custom', message: `invalid rate ${text}` });
  return rate ?? { perSecond: 0, vegeta: '' };
});

const catalogSchema = z.strictObject({
  k6: z.record(
    z.string(),
    z.strictObject({
      script: z.string(),
      description: z.string(),
      vus: z.int().positive(),
      rate: rateText.optional(),
      duration: durationText.optional(),
      stages: durationText.optional(),
    }),
  ),
  vegeta: z.record(
    z.string(),
    z.strictObject({
      description: z.string(),
      rate: rateText,
      duration: durationText,
      timeout: durationText,
      phases: z.array(z.strictObject({ rate: rateText, duration: durationText })).optional(),
    }),
  ),
});

/**
 * Finds the scenarios/ folder: next to the repository root in a checkout, two levels above the
 * bundle in dist/, and next to package.json when installed from npm.
 */
export function findScenariosDir(): string {
  const override = process.env.PERF_GATE_SCENARIOS_DIR;
  if (override) return override;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 5; level += 1) {
    const candidate = join(directory, 'scenarios');
    if (existsSync(join(candidate, 'catalog.yml'))) return candidate;
    directory = dirname(directory);
  }
  throw new PerfGateError('The shipped scenarios folder (scenarios/catalog.yml) was not found.', {
    remedy: 'Reinstall perf-gate, or set PERF_GATE_SCENARIOS_DIR to the scenarios folder.',
  });
}

let cached: Catalog | undefined;

/** Reads scenarios/catalog.yml once. */
export function loadCatalog(): Catalog {
  if (cached) return cached;
  const directory = findScenariosDir();
  const file = join(directory, 'catalog.yml');
  const parsed = catalogSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new PerfGateError(`The shipped catalog ${file} is invalid: ${parsed.error.message}`);
  }
  const k6 = new Map<string, ShippedK6Scenario>();
  for (const [name, entry] of Object.entries(parsed.data.k6)) {
    const scenario: ShippedK6Scenario = {
      name,
      script: join(directory, entry.script),
      description: entry.description.trim(),
      vus: entry.vus,
    };
    if (entry.rate) scenario.ratePerSecond = entry.rate.perSecond;
    if (entry.duration !== undefined) scenario.durationMs = entry.duration;
    if (entry.stages !== undefined) scenario.stagesMs = entry.stages;
    k6.set(name, scenario);
  }
  const vegeta = new Map<string, ShippedVegetaProfile>();
  for (const [name, entry] of Object.entries(parsed.data.vegeta)) {
    const profile: ShippedVegetaProfile = {
      name,
      description: entry.description.trim(),
      ratePerSecond: entry.rate.perSecond,
      rateText: entry.rate.vegeta,
      durationMs: entry.duration,
      timeoutMs: entry.timeout,
    };
    if (entry.phases) {
      profile.phases = entry.phases.map((phase) => ({
        ratePerSecond: phase.rate.perSecond,
        rateText: phase.rate.vegeta,
        durationMs: phase.duration,
      }));
    }
    vegeta.set(name, profile);
  }
  cached = { k6, vegeta };
  return cached;
}
