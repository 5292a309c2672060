/**
 * Samples the target's containers while the load runs: CPU, memory, processes, open file
 * descriptors and sockets by TCP state, once per interval. A figure that cannot be read is left
 * out of the samples and named once in the container's notes; sampling never fails a run.
 */
import { locateCgroup, readCgroup, type CgroupLocation, type ReadText } from './cgroup.js';
import type { ProcessReader } from './process-figures.js';
import type { TcpCounts } from './tcp-states.js';

/**
 * Share of one core that reading TCP tables may take. Each read costs milliseconds on a host with
 * much memory because the kernel walks its whole socket hash table (about 3.5 ms per table on the
 * 24 GiB test machine). With many containers the tables are therefore read less often than the
 * other figures, and always at the start, at the end of the load and after it.
 */
export const TCP_CPU_SHARE = 0.01;

export interface MonitoredContainer {
  id: string;
  name: string;
  service: string;
  /** Host process id of the container's main process. */
  pid: number;
}

export interface ResourceSample {
  /** Milliseconds since the monitor started. */
  atMs: number;
  /** CPU used since the previous sample, in percent of one core. */
  cpuPercent?: number;
  memoryBytes?: number;
  processes?: number;
  fds?: number;
  tcp?: TcpCounts;
  oomKills?: number;
}

export interface ContainerSeries {
  name: string;
  service: string;
  samples: ResourceSample[];
  /** Figures that could not be read, and why, each once. */
  notes: string[];
}

export interface MonitorRecording {
  intervalMs: number;
  /** When the load ended, in milliseconds since the monitor started. */
  loadEndedAtMs?: number;
  containers: ContainerSeries[];
}

export interface MonitorOptions {
  intervalMs: number;
  reader: ProcessReader;
  /** Locations of /proc and the cgroup file system, which the tests point at fixtures. */
  proc?: string;
  cgroupRoot?: string;
  read?: ReadText;
  now?: () => number;
}

interface Watched {
  container: MonitoredContainer;
  cgroup: CgroupLocation | undefined;
  series: ContainerSeries;
  previousCpu?: { atMs: number; nanoseconds: number };
}

export class ResourceMonitor {
  private readonly watched: Watched[];
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> = Promise.resolve();
  private loadEndedAtMs: number | undefined;
  private stopped = false;
  private ticks = 0;
  /** Time spent reading TCP tables so far. */
  private tcpMs = 0;

  private constructor(
    watched: Watched[],
    private readonly options: MonitorOptions,
  ) {
    this.watched = watched;
    this.startedAt = this.now();
  }

  /** Locates each container's control group, takes the first sample and starts the interval. */
  static async start(
    containers: readonly MonitoredContainer[],
    options: MonitorOptions,
  ): Promise<ResourceMonitor> {
    const watched = await Promise.all(
      containers.map(async (container): Promise<Watched> => {
        const cgroup = await locateCgroup(container.pid, {
          ...(options.proc ? { proc: options.proc } : {}),
          ...(options.cgroupRoot ? { root: options.cgroupRoot } : {}),
          ...(options.read ? { read: options.read } : {}),
        });
        const series: ContainerSeries = {
          name: container.name,
          service: container.service,
          samples: [],
          notes: [],
        };
        if (!cgroup)
          series.notes.push(`CPU and memory: no control group found for process ${container.pid}`);
        return { container, cgroup, series };
      }),
    );
    const monitor = new ResourceMonitor(watched, options);
    await monitor.sampleAll(true);
    monitor.schedule();
    return monitor;
  }

  /**
   * Takes a sample with the TCP tables at the end of the load and records that it ended. Sampling
   * goes on until stop(), to see what the load left.
   */
  async loadEnded(): Promise<void> {
    await this.enqueue(true);
    this.loadEndedAtMs = this.now() - this.startedAt;
  }

  /**
   * Tells whether the load may have left sockets in CLOSE_WAIT: some container has had no sample
   * since the load ended, or its latest one counts such sockets.
   */
  closeWaitPending(): boolean {
    const ended = this.loadEndedAtMs ?? Number.POSITIVE_INFINITY;
    return this.watched.some(({ series }) => {
      const last = series.samples.at(-1);
      if (!last || last.atMs <= ended) return true;
      return (last.tcp?.CLOSE_WAIT ?? 0) > 0;
    });
  }

  /** Takes a last sample, stops, and returns everything sampled. */
  async stop(): Promise<MonitorRecording> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.enqueue(true);
    this.options.reader.close();
    return {
      intervalMs: this.options.intervalMs,
      ...(this.loadEndedAtMs === undefined ? {} : { loadEndedAtMs: this.loadEndedAtMs }),
      containers: this.watched.map((item) => item.series),
    };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.ticks += 1;
    // Fixed ticks from the start, so a slow sample does not shift every later one.
    const due = this.startedAt + this.ticks * this.options.intervalMs;
    this.timer = setTimeout(
      () => {
        if (this.stopped) return;
        void this.enqueue(false).finally(() => {
          this.schedule();
        });
      },
      Math.max(0, due - this.now()),
    );
    this.timer.unref();
  }

  /** Takes a sample after the one under way, so that samples never overlap. */
  private enqueue(forceTcp: boolean): Promise<void> {
    this.sampling = this.sampling.catch(() => undefined).then(() => this.sampleAll(forceTcp));
    return this.sampling;
  }

  private async sampleAll(forceTcp: boolean): Promise<void> {
    for (const item of this.watched) await this.sample(item, forceTcp);
  }

  private async sample(item: Watched, forceTcp: boolean): Promise<void> {
    const atMs = this.now() - this.startedAt;
    const sample: ResourceSample = { atMs };
    const { series } = item;

    let pids = [item.container.pid];
    if (item.cgroup) {
      const group = await readCgroup(item.cgroup, this.options.read);
      if (group.pids.length > 0) pids = group.pids;
      sample.processes = group.pids.length;
      if (group.memoryBytes !== undefined) sample.memoryBytes = group.memoryBytes;
      else note(series, 'memory: the control group has no readable memory figures');
      if (group.oomKills !== undefined) sample.oomKills = group.oomKills;
      if (group.cpuNanoseconds !== undefined) {
        const previous = item.previousCpu;
        if (previous && atMs > previous.atMs) {
          sample.cpuPercent =
            ((group.cpuNanoseconds - previous.nanoseconds) / ((atMs - previous.atMs) * 1e6)) * 100;
        }
        item.previousCpu = { atMs, nanoseconds: group.cpuNanoseconds };
      } else {
        note(series, 'CPU: the control group has no readable CPU time');
      }
    }

    // After a restart the first pid is gone; a process of the group shares its network namespace.
    const netPid = pids.includes(item.container.pid)
      ? item.container.pid
      : (pids[0] ?? item.container.pid);
    const tcp = forceTcp || this.loadEndedAtMs !== undefined || this.tcpMs <= TCP_CPU_SHARE * atMs;
    const began = performance.now();
    const figures = await this.options.reader.read(netPid, pids, { tcp });
    if (tcp) this.tcpMs += performance.now() - began;
    if (figures.fds !== undefined) sample.fds = figures.fds;
    else note(series, 'open files: /proc/<pid>/fd could not be read (it needs root or sudo)');
    if (figures.tcp !== undefined) sample.tcp = figures.tcp;
    else if (tcp)
      note(series, 'TCP sockets: /proc/<pid>/net/tcp could not be read (it needs root or sudo)');
    series.samples.push(sample);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function note(series: ContainerSeries, text: string): void {
  if (!series.notes.includes(text)) series.notes.push(text);
}
