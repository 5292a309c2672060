/**
 * Turns a container's samples into the figures the report shows and the findings it names: a
 * connection leak, memory that grows under load, restarts and OOM kills.
 */
import type { ContainerResources, Finding } from '../result/types.js';
import type { ContainerSeries, MonitorRecording, ResourceSample } from './monitor.js';

/** CLOSE_WAIT sockets added during the load that count as a leak even while the load runs. */
export const LEAK_RISE = 10;
/**
 * Memory growth that counts, both the share and the amount: from the highest memory of the first
 * half of the measured load to the memory at its end. A service's memory follows its concurrency
 * up and stays there, so growth is judged only beyond the level the first half already reached:
 * a ramp to a plateau, a spike or bursts reach it early, while a leak keeps adding.
 */
export const MEMORY_GROWTH_SHARE = 0.25;
export const MEMORY_GROWTH_BYTES = 16 * 2 ** 20;

/** Summarises every container of a recording; `warmupMs` is left out of the memory trend. */
export function summarise(
  recording: MonitorRecording,
  warmupMs: number,
  restarts: ReadonlyMap<string, number> = new Map(),
): ContainerResources[] {
  return recording.containers.map((series) =>
    summariseContainer(series, recording.loadEndedAtMs, warmupMs, restarts.get(series.name) ?? 0),
  );
}

function summariseContainer(
  series: ContainerSeries,
  loadEndedAtMs: number | undefined,
  warmupMs: number,
  restarts: number,
): ContainerResources {
  const during = series.samples.filter(
    (sample) => loadEndedAtMs === undefined || sample.atMs <= loadEndedAtMs,
  );
  const after = series.samples.filter(
    (sample) => loadEndedAtMs !== undefined && sample.atMs > loadEndedAtMs,
  );
  const cpu = values(during, (sample) => sample.cpuPercent);
  const memory = values(during, (sample) => sample.memoryBytes);
  const measured = during.filter((sample) => sample.atMs >= warmupMs);
  const closeWait = (sample: ResourceSample | undefined) =>
    sample?.tcp ? (sample.tcp.CLOSE_WAIT ?? 0) : undefined;
  const oomKills = values(series.samples, (sample) => sample.oomKills);

  const resources: ContainerResources = {
    name: series.name,
    service: series.service,
    samples: series.samples.length,
    oomKills: oomKills.length > 1 ? Math.max(...oomKills) - Math.min(...oomKills) : 0,
    restarts,
    notes: series.notes,
    timeline: series.samples.map((sample) => [
      Math.round(sample.atMs / 100) / 10,
      sample.cpuPercent === undefined ? null : round(sample.cpuPercent, 1),
      sample.memoryBytes === undefined ? null : round(sample.memoryBytes / 2 ** 20, 1),
      closeWait(sample) ?? null,
    ]),
  };
  if (cpu.length > 0) {
    resources.cpuMeanPercent = mean(cpu);
    resources.cpuMaxPercent = Math.max(...cpu);
  }
  if (memory.length > 0) {
    resources.memoryMeanBytes = mean(memory);
    resources.memoryMaxBytes = Math.max(...memory);
  }
  const measuredMemory = values(measured, (sample) => sample.memoryBytes);
  if (measuredMemory.length >= 4) {
    resources.memoryStartBytes = Math.max(
      ...measuredMemory.slice(0, Math.ceil(measuredMemory.length / 2)),
    );
    resources.memoryEndBytes = measuredMemory.at(-1);
  }
  setMax(
    resources,
    'fdsMax',
    values(series.samples, (sample) => sample.fds),
  );
  setMax(
    resources,
    'establishedMax',
    values(series.samples, (sample) => sample.tcp?.ESTABLISHED),
  );
  setMax(
    resources,
    'timeWaitMax',
    values(series.samples, (sample) => sample.tcp?.TIME_WAIT),
  );
  setMax(resources, 'closeWaitMax', values(series.samples, closeWait));
  // Not every sample reads the TCP tables; the first and last of the load that did count.
  const withTcp = (samples: readonly ResourceSample[]) =>
    samples.filter((sample) => sample.tcp !== undefined);
  const atStart = closeWait(withTcp(measured)[0] ?? withTcp(during)[0]);
  if (atStart !== undefined) resources.closeWaitAtStart = atStart;
  const atLoadEnd = closeWait(withTcp(during).at(-1));
  if (atLoadEnd !== undefined) resources.closeWaitAtLoadEnd = atLoadEnd;
  const afterLoad = closeWait(after.at(-1));
  if (afterLoad !== undefined) resources.closeWaitAfterLoad = afterLoad;
  return resources;
}

/** Lists the findings about one container's run of one scenario. */
export function findingsOf(resources: ContainerResources, scenario: string): Finding[] {
  const findings: Finding[] = [];
  const where = `${resources.service} (${resources.name}) in ${scenario}`;
  const rise =
    resources.closeWaitAtLoadEnd !== undefined && resources.closeWaitAtStart !== undefined
      ? resources.closeWaitAtLoadEnd - resources.closeWaitAtStart
      : 0;
  const after = resources.closeWaitAfterLoad;
  if ((after !== undefined && after > 0) || rise >= LEAK_RISE) {
    const stayed =
      after === undefined
        ? ''
        : after > 0
          ? `, and ${after} were still there after the load stopped`
          : ', though they closed after the load stopped';
    findings.push({
      kind: 'connection-leak',
      container: resources.name,
      message: `Connection leak in ${where}: sockets in CLOSE_WAIT rose to ${resources.closeWaitMax ?? 0}${stayed}. The service does not close connections that clients closed.`,
    });
  }
  const { memoryStartBytes: start, memoryEndBytes: end } = resources;
  if (
    start !== undefined &&
    end !== undefined &&
    end - start >= MEMORY_GROWTH_BYTES &&
    end - start >= start * MEMORY_GROWTH_SHARE
  ) {
    findings.push({
      kind: 'memory-growth',
      container: resources.name,
      message: `Memory growth in ${where}: from ${mebibytes(start)} in the first half of the measured load to ${mebibytes(end)} at its end (+${Math.round(((end - start) / start) * 100)} %), as a leak grows.`,
    });
  }
  if (resources.restarts > 0) {
    findings.push({
      kind: 'restart',
      container: resources.name,
      message: `${where} restarted ${resources.restarts} ${resources.restarts === 1 ? 'time' : 'times'} during the run.`,
    });
  }
  if (resources.oomKills > 0) {
    findings.push({
      kind: 'oom-kill',
      container: resources.name,
      message: `The kernel killed ${resources.oomKills} ${resources.oomKills === 1 ? 'process' : 'processes'} of ${where} for lack of memory (OOM).`,
    });
  }
  return findings;
}

export function mebibytes(bytes: number): string {
  const value = bytes / 2 ** 20;
  return `${value >= 100 ? Math.round(value) : round(value, 1)} MiB`;
}

function values(
  samples: readonly ResourceSample[],
  pick: (sample: ResourceSample) => number | undefined,
): number[] {
  return samples.map(pick).filter((value): value is number => value !== undefined);
}

function setMax(
  resources: ContainerResources,
  key: 'fdsMax' | 'establishedMax' | 'timeWaitMax' | 'closeWaitMax',
  list: number[],
): void {
  if (list.length > 0) resources[key] = Math.max(...list);
}

function mean(list: readonly number[]): number {
  return list.reduce((sum, value) => sum + value, 0) / list.length;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
