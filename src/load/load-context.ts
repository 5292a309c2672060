import type { EndpointNamer } from '../ingest/endpoint-names.js';
import type { Logger } from '../log.js';
import type { ToolInfo } from './tools.js';

/** What a load runner needs besides its suite entry. */
export interface LoadContext {
  tool: ToolInfo;
  /** Base URL of the stack under load; the base stack of a paired comparison has its own. */
  baseUrl: string;
  /** Folder for the tool's raw outputs and logs. */
  rawDir: string;
  /** File name stem for this entry's outputs, unique within the run. */
  fileStem: string;
  namer: EndpointNamer;
  logger: Logger;
  signal?: AbortSignal;
}
