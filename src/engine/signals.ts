/**
 * Stops a run cleanly on SIGINT or SIGTERM: the signal aborts the work in progress (the load tool
 * is stopped), and the work's own cleanup, such as tearing the stack down, still runs. GitHub's
 * runner sends SIGINT on cancellation and SIGTERM a few seconds later.
 */
import { CancelledError } from '../errors.js';
import type { Logger } from '../log.js';

/** Runs `work` with a signal that aborts on SIGINT or SIGTERM; throws CancelledError if one came. */
export async function withSignals<T>(
  logger: Logger,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      logger.warning(`${signal} received again; still tearing the target down`);
      return;
    }
    logger.warning(`${signal} received: stopping the load and tearing the target down`);
    controller.abort(new CancelledError(signal));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } catch (error) {
    throw controller.signal.aborted ? (controller.signal.reason as unknown) : error;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
