/**
 * The schema of perf-gate.yml, written once in zod: it validates the file, types the parsed value
 * and generates the JSON Schema that editors use (perf-gate.schema.json).
 */
import { z } from 'zod';

import {
  DURATION_PATTERN,
  PERCENT_PATTERN,
  RATE_PATTERN,
  SIZE_PATTERN,
  parseDurationMs,
  parsePercent,
  parseRate,
  parseSizeBytes,
} from './units.js';

const DURATION_HINT = 'expected a duration such as 30s, 1m30s or 250ms';
const RATE_HINT = 'expected a rate such as 50/s';

/** Builds the schema of a duration such as `30s`, parsed into milliseconds. */
function duration(description: string) {
  return z
    .string({ error: DURATION_HINT })
    .regex(new RegExp(DURATION_PATTERN, 'u'), { error: DURATION_HINT })
    .transform((text) => parseDurationMs(text) ?? Number.NaN)
    .meta({ description, examples: ['30s'] });
}

/** Builds the schema of a request rate such as `50/s`. */
function rate(description: string) {
  return z
    .string({ error: RATE_HINT })
    .regex(new RegExp(RATE_PATTERN, 'u'), { error: RATE_HINT })
    .transform((text, context) => {
      const parsed = parseRate(text);
      if (parsed) return parsed;
      context.addIssue({ code: 'custom', message: `${RATE_HINT}, above zero` });
      return z.NEVER;
    })
    .meta({ description, examples: ['50/s'] });
}

/**
 * Builds the schema of a tolerance such as `+10%` (an allowed increase) or `-10%` (an allowed
 * decrease), parsed into the fraction 0.1, or null for `off`. The sign may be left out but must
 * not point the wrong way.
 */
function tolerance(description: string, direction: 'increase' | 'decrease') {
  const hint =
    direction === 'increase'
      ? 'expected an allowed increase such as +10%, or off'
      : 'expected an allowed decrease such as -10%, or off';
  const wrongSign = direction === 'increase' ? '-' : '+';
  return z
    .union(
      [z.literal('off'), z.string().regex(new RegExp(PERCENT_PATTERN, 'u'), { error: hint })],
      {
        error: hint,
      },
    )
    .refine((text) => !text.startsWith(wrongSign), { error: hint })
    .transform((text) => (text === 'off' ? null : Math.abs(parsePercent(text) ?? Number.NaN)))
    .meta({ description });
}

const nonEmptyString = (hint: string) => z.string({ error: hint }).trim().min(1, { error: hint });

const environment = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]), {
    error: 'expected a mapping of names to values',
  })
  .transform((values) =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)])),
  );

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const METHOD_HINT = `expected one of ${HTTP_METHODS.join(', ')}`;
const ENDPOINT_HINT = 'expected "METHOD /path", such as "GET /api/movies"';

const latencyLimits = {
  p50: duration('Limit on the median latency.').optional(),
  p90: duration('Limit on the 90th percentile latency.').optional(),
  p95: duration('Limit on the 95th percentile latency.').optional(),
  p99: duration('Limit on the 99th percentile latency.').optional(),
  max: duration('Limit on the maximum latency.').optional(),
};

/** Absolute limits that every endpoint must meet, baseline or not. */
export const budgetsSchema = z
  .strictObject(
    {
      ...latencyLimits,
      'error-rate': z
        .string({ error: 'expected a percentage such as 0.1%' })
        .regex(new RegExp(PERCENT_PATTERN, 'u'), { error: 'expected a percentage such as 0.1%' })
        .transform((text) => parsePercent(text) ?? Number.NaN)
        .refine((ratio) => ratio >= 0 && ratio <= 1, {
          error: 'expected a percentage between 0% and 100%',
        })
        .meta({ description: 'Largest share of failed requests, such as 0.1%.' })
        .optional(),
      throughput: rate('Lowest acceptable throughput of each endpoint, such as 20/s.').optional(),
    },
    { error: 'expected a mapping of metric names to limits' },
  )
  .meta({ description: 'Absolute limits, checked on every run.' });

/** How much worse than the baseline a metric may get before it counts as a regression. */
export const regressionSchema = z
  .strictObject(
    {
      p50: tolerance('Allowed increase of the median latency (+5%).', 'increase').optional(),
      p90: tolerance('Allowed increase of the p90 latency (+10%).', 'increase').optional(),
      p95: tolerance('Allowed increase of the p95 latency (+10%).', 'increase').optional(),
      p99: tolerance(
        'Allowed increase of the p99 latency (+20%, advisory).',
        'increase',
      ).optional(),
      max: tolerance('Allowed increase of the maximum latency.', 'increase').optional(),
      'error-rate': tolerance(
        'Allowed rise of the error rate in percentage points: +0.5% lets 0.1% become 0.6%.',
        'increase',
      ).optional(),
      throughput: tolerance('Allowed drop of the throughput, such as -10%.', 'decrease').optional(),
      'min-latency-change': duration(
        'Latency changes smaller than this never count as a regression, whatever their percentage.',
      ).optional(),
      'false-alarm-rate': z
        .string({ error: 'expected a percentage such as 5%' })
        .regex(new RegExp(PERCENT_PATTERN, 'u'), { error: 'expected a percentage such as 5%' })
        .transform((text) => parsePercent(text) ?? Number.NaN)
        .refine((ratio) => ratio > 0 && ratio <= 0.5, {
          error: 'expected a percentage above 0% and at most 50%',
        })
        .meta({
          description:
            'Chance of any false regression in one comparison that the noise-aware tests allow (5%).',
        })
        .optional(),
      advisory: z
        .array(
          z.enum(['p50', 'p90', 'p95', 'p99', 'max', 'error-rate', 'throughput'], {
            error: 'expected p50, p90, p95, p99, max, error-rate or throughput',
          }),
          {
            error: 'expected a list of metrics such as [p99]',
          },
        )
        .meta({ description: 'Metrics shown with their test but never failing the gate ([p99]).' })
        .optional(),
    },
    { error: 'expected a mapping of metric names to tolerances' },
  )
  .meta({ description: 'Tolerances relative to the baseline.' });

const endpointObject = z.strictObject(
  {
    name: nonEmptyString('expected a name for the endpoint')
      .meta({ description: 'Name shown in the report; defaults to "METHOD path".' })
      .optional(),
    method: z
      .string({ error: METHOD_HINT })
      .transform((text) => text.toUpperCase())
      .pipe(z.enum(HTTP_METHODS, { error: METHOD_HINT }))
      .optional(),
    path: z
      .string({ error: 'expected a path such as /api/movies' })
      .regex(/^\//u, { error: 'expected a path that starts with /' })
      .meta({ description: 'Path and query, appended to target.url.' }),
    headers: z
      .record(z.string(), z.string({ error: 'expected the header value as text; quote numbers' }), {
        error: 'expected a mapping of header names to values',
      })
      .optional(),
    body: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())], {
        error: 'expected a string, or a mapping sent as JSON',
      })
      .meta({ description: 'Request body; a mapping is sent as JSON.' })
      .optional(),
    budgets: budgetsSchema.optional(),
    regression: regressionSchema.optional(),
  },
  { error: `expected ${ENDPOINT_HINT.slice('expected '.length)} or a mapping with path` },
);

/** An endpoint the shipped scenarios request; also the place for per-endpoint limits. */
export const endpointSchema = z.union(
  [
    z
      .string()
      .regex(/^[A-Za-z]+\s+\/\S*$/u, { error: ENDPOINT_HINT })
      .transform((text) => {
        const [method = '', path = ''] = text.trim().split(/\s+/u);
        return { method: method.toUpperCase(), path };
      })
      .pipe(
        z.object({
          method: z.enum(HTTP_METHODS, {
            error: `expected "METHOD /path" with a method of ${HTTP_METHODS.join(', ')}`,
          }),
          path: z.string(),
        }),
      ),
    endpointObject,
  ],
  { error: ENDPOINT_HINT },
);

const k6Object = z.strictObject(
  {
    script: nonEmptyString('expected a shipped scenario name or a path to a k6 script').meta({
      description: 'A shipped scenario (baseline) or a path to a k6 script.',
    }),
    vus: z
      .int({ error: 'expected a whole number of virtual users' })
      .positive({ error: 'expected at least 1 virtual user' })
      .optional(),
    duration: duration('How long the scenario runs, warm-up included.').optional(),
    rate: rate('Arrival rate of a shipped scenario, such as 20/s.').optional(),
    env: environment.optional(),
  },
  { error: 'expected a scenario name, a script path, or a mapping with script' },
);

const vegetaObject = z.strictObject(
  {
    profile: nonEmptyString('expected a shipped profile name such as baseline').optional(),
    targets: nonEmptyString('expected a path to a vegeta targets file')
      .meta({ description: 'A vegeta targets file; defaults to the endpoints list.' })
      .optional(),
    format: z.enum(['http', 'json'], { error: 'expected http or json' }).optional(),
    rate: rate('Requests per second, such as 50/s.').optional(),
    duration: duration('How long the attack runs, warm-up excluded.').optional(),
    timeout: duration('Timeout of one request.').optional(),
    workers: z.int({ error: 'expected a whole number' }).positive().optional(),
    'max-workers': z.int({ error: 'expected a whole number' }).positive().optional(),
    connections: z.int({ error: 'expected a whole number' }).positive().optional(),
    headers: z
      .record(z.string(), z.string({ error: 'expected the header value as text; quote numbers' }), {
        error: 'expected a mapping of header names to values',
      })
      .optional(),
  },
  { error: 'expected a profile name, a targets file, or a mapping' },
);

/** One entry of the suite: exactly one of `k6` or `vegeta`. */
export const suiteEntrySchema = z
  .strictObject(
    {
      name: nonEmptyString('expected a scenario name').optional(),
      warmup: duration('Time at the start of the entry that is run but not measured.').optional(),
      k6: z
        .union([nonEmptyString('expected a scenario name or a script path'), k6Object], {
          error: 'expected a shipped scenario name, a script path, or a mapping with script',
        })
        .optional(),
      vegeta: z
        .union([nonEmptyString('expected a profile name or a targets file'), vegetaObject], {
          error: 'expected a shipped profile name, a targets file, or a mapping',
        })
        .optional(),
    },
    { error: 'expected a mapping with k6 or vegeta' },
  )
  .superRefine((entry, context) => {
    const tools = (['k6', 'vegeta'] as const).filter((tool) => entry[tool] !== undefined);
    if (tools.length !== 1) {
      context.addIssue({
        code: 'custom',
        message:
          tools.length === 0
            ? 'expected exactly one of k6 or vegeta'
            : 'expected exactly one of k6 or vegeta, not both; make them two entries',
      });
    }
  });

/** What to start and where it answers. */
const targetSchema = z.strictObject(
  {
    compose: z
      .union(
        [
          nonEmptyString('expected a compose file path'),
          z.array(nonEmptyString('expected a compose file path')).min(1),
        ],
        {
          error: 'expected a compose file path or a list of them',
        },
      )
      .meta({ description: 'Compose file(s), relative to this file.' }),
    url: z
      .url({
        protocol: /^https?$/u,
        error: 'expected an http or https URL such as http://localhost:8080',
      })
      .meta({ description: 'Base URL of the service under test.' }),
    ready: z
      .string({ error: 'expected a path such as /health or a URL' })
      .meta({
        description: 'Path or URL polled until it responds with 2xx; defaults to url.',
      })
      .optional(),
    'ready-timeout': duration('How long to wait for the stack to become ready.').optional(),
    build: z
      .boolean({ error: 'expected true or false' })
      .meta({
        description: 'Build images before starting (compose up --build). Default true.',
      })
      .optional(),
    services: z
      .array(nonEmptyString('expected a service name'), {
        error: 'expected a list of service names',
      })
      .meta({ description: 'Start only these services (and their dependencies).' })
      .optional(),
    env: environment.meta({ description: 'Variables for compose interpolation.' }).optional(),
  },
  { error: 'expected a mapping with compose and url' },
);

const SIZE_HINT =
  'expected a size above zero such as 200MB or 256MiB (units B, kB, MB, GB, KiB, MiB, GiB, or k, m, g as in docker run)';
const CPU_HINT =
  'expected a share of one core above zero such as 40%, or 150% for one and a half cores';

/** Watching the containers while the load runs, or false to leave them alone. */
const monitorSchema = z
  .union(
    [
      // true is the default; false turns monitoring off.
      z.boolean(),
      z.strictObject(
        {
          interval: duration('Time between two samples of every container (1s).').optional(),
          'after-load': duration(
            'How long sampling may go on after the load stops while sockets remain in CLOSE_WAIT (5s).',
          ).optional(),
          budgets: z
            .strictObject(
              {
                memory: z
                  .string({ error: SIZE_HINT })
                  .regex(new RegExp(SIZE_PATTERN, 'u'), { error: SIZE_HINT })
                  .transform((text) => parseSizeBytes(text) ?? Number.NaN)
                  .refine((bytes) => bytes > 0, { error: SIZE_HINT })
                  .meta({ description: 'Highest memory of each container, such as 200MB.' })
                  .optional(),
                cpu: z
                  .string({ error: CPU_HINT })
                  .regex(new RegExp(PERCENT_PATTERN, 'u'), { error: CPU_HINT })
                  .refine((text) => !text.startsWith('-'), { error: CPU_HINT })
                  .transform((text) => (parsePercent(text) ?? Number.NaN) * 100)
                  .refine((percent) => percent > 0, { error: CPU_HINT })
                  .meta({
                    description:
                      'Highest mean CPU of each container in a run, as a share of one core, such as 40%.',
                  })
                  .optional(),
              },
              { error: 'expected a mapping with memory and cpu' },
            )
            .meta({ description: 'Limits on each container, checked on every run.' })
            .optional(),
          'log-errors': z
            .string({ error: 'expected a regular expression such as "level=error"' })
            .refine(
              (text) => {
                try {
                  new RegExp(text, 'iu');
                  return true;
                } catch {
                  return false;
                }
              },
              { error: 'expected a valid regular expression such as "level=error"' },
            )
            .meta({
              description:
                'Log lines that count as errors, as a regular expression matched in any case (the words error, fatal, panic, exception, traceback, critical).',
            })
            .optional(),
        },
        {
          error: 'expected true, false or a mapping with interval, after-load, budgets, log-errors',
        },
      ),
    ],
    { error: 'expected true, false or a mapping with interval, after-load, budgets, log-errors' },
  )
  .meta({
    description:
      'Watch the containers under load: CPU, memory, open files, sockets by TCP state, restarts and errors in the logs.',
  });

/** The whole perf-gate.yml file. */
export const configFileSchema = z
  .strictObject(
    {
      version: z.literal(1, { error: 'expected 1, the only configuration version' }).optional(),
      target: targetSchema,
      endpoints: z
        .array(endpointSchema, { error: 'expected a list of endpoints' })
        .min(1, { error: 'expected at least one endpoint' })
        .optional(),
      suite: z
        .array(suiteEntrySchema, { error: 'expected a list of k6 and vegeta entries' })
        .min(1, { error: 'expected at least one entry' })
        .optional(),
      warmup: duration('Default warm-up of every suite entry (10s).').optional(),
      repetitions: z
        .int({ error: 'expected a whole number of runs such as 3' })
        .min(1, { error: 'expected at least 1 run' })
        .max(50, { error: 'expected at most 50 runs' })
        .meta({ description: 'Runs of the suite per measurement, each with its warm-up (3).' })
        .optional(),
      paired: z
        .strictObject(
          {
            pairs: z
              .int({ error: 'expected a whole number of pairs such as 7' })
              .min(3, { error: 'expected at least 3 pairs' })
              .max(50)
              .optional(),
            'max-pairs': z
              .int({ error: 'expected a whole number of pairs such as 12' })
              .min(3)
              .max(100)
              .optional(),
            base: targetSchema.meta({
              description:
                "The base revision's stack: a second checkout's compose file, on another port.",
            }),
          },
          { error: 'expected a mapping with base' },
        )
        .meta({ description: 'Measure the base and this revision alternately on this machine.' })
        .optional(),
      scale: z
        .number({ error: 'expected a number such as 0.5' })
        .positive({ error: 'expected a number above 0' })
        .max(100, { error: 'expected a number no larger than 100' })
        .meta({
          description: 'Multiplies the durations of the shipped scenarios, for short CI runs.',
        })
        .optional(),
      budgets: budgetsSchema.optional(),
      regression: regressionSchema.optional(),
      monitor: monitorSchema.optional(),
      baseline: z
        .strictObject(
          {
            missing: z
              .enum(['pass', 'fail'], { error: 'expected pass or fail' })
              .meta({
                description: 'Verdict when no baseline exists: pass (with a notice) or fail.',
              })
              .optional(),
            history: z
              .int({ error: 'expected a whole number of runs such as 20' })
              .min(1, { error: 'expected at least 1 run' })
              .max(100, { error: 'expected at most 100 runs' })
              .meta({ description: 'Baseline runs kept to learn the noise between runs (20).' })
              .optional(),
          },
          { error: 'expected a mapping' },
        )
        .optional(),
    },
    { error: 'expected a mapping at the top level' },
  )
  .meta({
    title: 'perf-gate configuration',
    description: 'perf-gate.yml: what to start, what load to apply, and what counts as slower.',
  });

export type ConfigFile = z.output<typeof configFileSchema>;
export type ConfigFileInput = z.input<typeof configFileSchema>;
export type EndpointInput = z.output<typeof endpointSchema>;
export type SuiteEntryInput = z.output<typeof suiteEntrySchema>;
export type BudgetsInput = z.output<typeof budgetsSchema>;
export type RegressionInput = z.output<typeof regressionSchema>;
