/**
 * A stand-in for GitHub on 127.0.0.1 that speaks the protocols the real @actions clients use:
 * the REST endpoints perf-gate calls (artifacts, workflow runs, issue comments with pagination,
 * pull requests), the artifact service's Twirp calls, and Azure-style block blob uploads assembled
 * in block-list order. It records every request so tests can assert on them, and can answer with
 * injected failures.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface FakeArtifact {
  id: number;
  name: string;
  runId: number;
  /** Branch of the run that uploaded it. */
  headBranch: string;
  /** Repository the run's head came from; a fork's differs from the repository's. */
  headRepositoryId: number;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
  /** The zip file as stored. */
  zip: Buffer;
}

export interface FakeRun {
  id: number;
  conclusion: string | null;
  headBranch: string;
  event: string;
}

export interface FakeComment {
  id: number;
  body: string;
}

/** A failure to answer with, for the next `times` requests that match. */
export interface Fault {
  method: string;
  path: RegExp;
  status: number;
  times: number;
}

export const OWNER = 'octo-org';
export const REPO = 'movies';
export const REPOSITORY_ID = 4242;

const TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService/';

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly artifacts: FakeArtifact[] = [];
  readonly runs = new Map<number, FakeRun>();
  readonly comments = new Map<number, FakeComment[]>();
  readonly pulls = new Map<number, { headSha: string; baseRef: string }>();
  readonly faults: Fault[] = [];
  /** Pull requests whose comments the token may not write (a fork's read-only token). */
  readonly readOnlyPulls = new Set<number>();
  /** The run that uploads through the artifact service, as the runtime token would name it. */
  currentRun = { id: 1, branch: 'main', repositoryId: REPOSITORY_ID };

  private server: Server | undefined;
  private nextId = 1000;
  private readonly uploads = new Map<
    string,
    { name: string; blocks: Map<string, Buffer>; content?: Buffer; expiresAt?: string }
  >();

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the fake GitHub server is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Environment that points the @actions clients at this server. */
  env(): Record<string, string> {
    return {
      GITHUB_API_URL: `${this.url}/api`,
      ACTIONS_RESULTS_URL: `${this.url}/`,
      ACTIONS_RUNTIME_TOKEN: runtimeToken(),
      // @actions/artifact refuses GitHub Enterprise Server; the host must look like github.com.
      GITHUB_SERVER_URL: 'https://github.com',
    };
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        try {
          this.handle(request, Buffer.concat(chunks), response);
        } catch (error) {
          json(response, 500, { message: String(error) });
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) resolve();
      else
        this.server.close(() => {
          resolve();
        });
    });
  }

  /** Adds an artifact as if a run had uploaded it; returns its id. */
  addArtifact(
    artifact: Omit<FakeArtifact, 'id' | 'createdAt' | 'expiresAt' | 'expired'> &
      Partial<FakeArtifact>,
  ): number {
    const id = this.nextId++;
    const now = Date.now();
    this.artifacts.push({
      id,
      createdAt: new Date(now + id).toISOString(),
      expiresAt: new Date(now + 90 * 86_400_000).toISOString(),
      expired: false,
      ...artifact,
    });
    return id;
  }

  /** Requests recorded since `index`, such as since a step started. */
  since(index: number): RecordedRequest[] {
    return this.requests.slice(index);
  }

  private handle(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.url);
    const method = request.method ?? 'GET';
    this.requests.push({
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body,
    });

    const fault = this.faults.find(
      (candidate) =>
        candidate.times > 0 && candidate.method === method && candidate.path.test(url.pathname),
    );
    if (fault) {
      fault.times -= 1;
      json(response, fault.status, { message: `injected ${fault.status}` });
      return;
    }

    if (url.pathname.startsWith(TWIRP)) {
      this.twirp(
        url.pathname.slice(TWIRP.length),
        JSON.parse(body.toString() || '{}') as Record<string, unknown>,
        response,
      );
      return;
    }
    if (url.pathname.startsWith('/blob/')) {
      this.blob(method, url, body, response);
      return;
    }
    const repoPrefix = `/api/repos/${OWNER}/${REPO}`;
    if (!url.pathname.startsWith(repoPrefix)) {
      json(response, 404, { message: 'Not Found' });
      return;
    }
    this.rest(method, url.pathname.slice(repoPrefix.length), url.searchParams, body, response);
  }

  private rest(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Buffer,
    response: ServerResponse,
  ): void {
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/actions/artifacts') {
      const name = query.get('name');
      const list = this.artifacts.filter((artifact) => name === null || artifact.name === name);
      page(
        response,
        list.map((artifact) => this.artifactJson(artifact)),
        query,
        'artifacts',
        this.url,
        `/api/repos/${OWNER}/${REPO}/actions/artifacts`,
      );
      return;
    }
    if (method === 'GET' && (match = /^\/actions\/runs\/(\d+)\/artifacts$/u.exec(path))) {
      const runId = Number(match[1]);
      const name = query.get('name');
      const list = this.artifacts.filter(
        (artifact) => artifact.runId === runId && (name === null || artifact.name === name),
      );
      json(response, 200, {
        total_count: list.length,
        artifacts: list.map((artifact) => this.artifactJson(artifact)),
      });
      return;
    }
    if (method === 'GET' && (match = /^\/actions\/artifacts\/(\d+)\/zip$/u.exec(path))) {
      const artifact = this.artifacts.find((candidate) => candidate.id === Number(match?.[1]));
      if (!artifact) json(response, 404, { message: 'Not Found' });
      else if (artifact.expired) json(response, 410, { message: 'Artifact has expired' });
      else {
        response.writeHead(302, {
          Location: `${this.url}/blob/account/artifacts/${artifact.id}.zip?sig=signed`,
        });
        response.end();
      }
      return;
    }
    if (method === 'GET' && (match = /^\/actions\/runs\/(\d+)$/u.exec(path))) {
      const run = this.runs.get(Number(match[1]));
      if (!run) json(response, 404, { message: 'Not Found' });
      else
        json(response, 200, {
          id: run.id,
          conclusion: run.conclusion,
          status: run.conclusion === null ? 'in_progress' : 'completed',
          head_branch: run.headBranch,
          event: run.event,
        });
      return;
    }
    if ((match = /^\/issues\/(\d+)\/comments$/u.exec(path))) {
      const issue = Number(match[1]);
      const list = this.comments.get(issue) ?? [];
      if (method === 'GET') {
        page(
          response,
          list.map((comment) => commentJson(comment, issue)),
          query,
          undefined,
          this.url,
          `/api/repos/${OWNER}/${REPO}/issues/${issue}/comments`,
        );
        return;
      }
      if (method === 'POST') {
        if (this.readOnlyPulls.has(issue)) {
          json(response, 403, { message: 'Resource not accessible by integration' });
          return;
        }
        const comment = {
          id: this.nextId++,
          body: (JSON.parse(body.toString()) as { body: string }).body,
        };
        list.push(comment);
        this.comments.set(issue, list);
        json(response, 201, commentJson(comment, issue));
        return;
      }
    }
    if (method === 'PATCH' && (match = /^\/issues\/comments\/(\d+)$/u.exec(path))) {
      const id = Number(match[1]);
      for (const [issue, list] of this.comments) {
        const comment = list.find((candidate) => candidate.id === id);
        if (!comment) continue;
        if (this.readOnlyPulls.has(issue)) {
          json(response, 403, { message: 'Resource not accessible by integration' });
          return;
        }
        comment.body = (JSON.parse(body.toString()) as { body: string }).body;
        json(response, 200, commentJson(comment, issue));
        return;
      }
      json(response, 404, { message: 'Not Found' });
      return;
    }
    if (method === 'GET' && (match = /^\/pulls\/(\d+)$/u.exec(path))) {
      const pull = this.pulls.get(Number(match[1]));
      if (!pull) json(response, 404, { message: 'Not Found' });
      else
        json(response, 200, {
          number: Number(match[1]),
          head: { sha: pull.headSha },
          base: { ref: pull.baseRef },
        });
      return;
    }
    json(response, 404, { message: `No route for ${method} ${path}` });
  }

  private twirp(
    methodName: string,
    request: Record<string, unknown>,
    response: ServerResponse,
  ): void {
    switch (methodName) {
      case 'CreateArtifact': {
        const uploadId = randomUUID();
        this.uploads.set(uploadId, {
          name: String(request.name),
          blocks: new Map(),
          ...(typeof request.expires_at === 'string' ? { expiresAt: request.expires_at } : {}),
        });
        json(response, 200, {
          ok: true,
          signed_upload_url: `${this.url}/blob/account/uploads/${uploadId}?sig=signed`,
        });
        return;
      }
      case 'FinalizeArtifact': {
        const entry = [...this.uploads.entries()].find(
          ([, upload]) => upload.name === request.name && upload.content,
        );
        if (!entry) {
          json(response, 404, { code: 'not_found', msg: `no upload for ${String(request.name)}` });
          return;
        }
        const [uploadId, upload] = entry;
        this.uploads.delete(uploadId);
        const id = this.addArtifact({
          name: upload.name,
          runId: this.currentRun.id,
          headBranch: this.currentRun.branch,
          headRepositoryId: this.currentRun.repositoryId,
          zip: upload.content ?? Buffer.alloc(0),
          ...(upload.expiresAt ? { expiresAt: upload.expiresAt } : {}),
        });
        json(response, 200, { ok: true, artifact_id: String(id) });
        return;
      }
      case 'ListArtifacts': {
        const list = this.artifacts.filter((artifact) => artifact.runId === this.currentRun.id);
        json(response, 200, {
          artifacts: list.map((artifact) => ({
            database_id: String(artifact.id),
            name: artifact.name,
            size: String(artifact.zip.length),
            created_at: artifact.createdAt,
          })),
        });
        return;
      }
      default:
        json(response, 404, { code: 'bad_route', msg: `no method ${methodName}` });
    }
  }

  private blob(method: string, url: URL, body: Buffer, response: ServerResponse): void {
    let match: RegExpExecArray | null;
    if (
      method === 'GET' &&
      (match = /^\/blob\/account\/artifacts\/(\d+)\.zip$/u.exec(url.pathname))
    ) {
      const artifact = this.artifacts.find((candidate) => candidate.id === Number(match?.[1]));
      if (!artifact) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, {
        'Content-Type': 'application/zip',
        'Content-Length': artifact.zip.length,
      });
      response.end(artifact.zip);
      return;
    }
    if (method === 'PUT' && (match = /^\/blob\/account\/uploads\/([\w-]+)$/u.exec(url.pathname))) {
      const upload = this.uploads.get(match[1] ?? '');
      if (!upload) {
        response.writeHead(404).end();
        return;
      }
      const comp = url.searchParams.get('comp');
      if (comp === 'block') {
        upload.blocks.set(url.searchParams.get('blockid') ?? '', body);
      } else if (comp === 'blocklist') {
        // Blocks may arrive in any order; the list says how they join.
        const ids = [
          ...body.toString().matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//gu),
        ].map((found) => found[1] ?? '');
        upload.content = Buffer.concat(ids.map((id) => upload.blocks.get(id) ?? Buffer.alloc(0)));
      } else {
        upload.content = body;
      }
      response.writeHead(201, {
        'x-ms-request-id': randomUUID(),
        'x-ms-version': '2024-11-04',
        etag: '"0x1"',
      });
      response.end();
      return;
    }
    response.writeHead(404).end();
  }

  private artifactJson(artifact: FakeArtifact) {
    return {
      id: artifact.id,
      node_id: `A_${artifact.id}`,
      name: artifact.name,
      size_in_bytes: artifact.zip.length,
      url: `${this.url}/api/repos/${OWNER}/${REPO}/actions/artifacts/${artifact.id}`,
      archive_download_url: `${this.url}/api/repos/${OWNER}/${REPO}/actions/artifacts/${artifact.id}/zip`,
      expired: artifact.expired,
      created_at: artifact.createdAt,
      updated_at: artifact.createdAt,
      expires_at: artifact.expiresAt,
      workflow_run: {
        id: artifact.runId,
        repository_id: REPOSITORY_ID,
        head_repository_id: artifact.headRepositoryId,
        head_branch: artifact.headBranch,
        head_sha: '0'.repeat(40),
      },
    };
  }
}

function commentJson(comment: FakeComment, issue: number) {
  return {
    id: comment.id,
    body: comment.body,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${issue}#issuecomment-${comment.id}`,
    user: { login: 'github-actions[bot]' },
  };
}

/** Answers one page of a list, with GitHub's Link header for the next and last pages. */
function page(
  response: ServerResponse,
  items: unknown[],
  query: URLSearchParams,
  key: string | undefined,
  base: string,
  path: string,
): void {
  const perPage = Math.min(100, Number(query.get('per_page') ?? 30));
  const current = Number(query.get('page') ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((current - 1) * perPage, current * perPage);
  const link = (number: number) => {
    const params = new URLSearchParams(query);
    params.set('page', String(number));
    params.set('per_page', String(perPage));
    return `<${base}${path}?${params.toString()}>`;
  };
  const links =
    current < last ? [`${link(current + 1)}; rel="next"`, `${link(last)}; rel="last"`] : [];
  response.writeHead(200, {
    'Content-Type': 'application/json',
    ...(links.length > 0 ? { Link: links.join(', ') } : {}),
  });
  response.end(JSON.stringify(key ? { total_count: items.length, [key]: slice } : slice));
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** An unsigned JWT with the Actions.Results scope; @actions/artifact decodes it without a check. */
function runtimeToken(): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ scp: 'Actions.GenericRead Actions.Results:run-backend-1:job-backend-1', exp: 4102444800 })}.c2ln`;
}
