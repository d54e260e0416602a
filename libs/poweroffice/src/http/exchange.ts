import { TransientError } from '@lib/contracts';
import { ApiBudget } from '../budget/api-budget';
import { Clock } from '../clock';
import { CallContext } from '../errors/power-office-errors';
import { errorForNoResponse } from '../errors/classify';
import { parseProblem } from '../errors/problem-details';
import { Lane } from '../lanes';
import { CallRecorder } from '../recording/call-recorder';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface Exchange {
  tenantId: string;
  lane: Lane;
  method: HttpMethod;
  url: string;
  pathTemplate: string;
  /** Path for the record: no query string, which is where anything sensitive could travel. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  attempt: number;
  ctx: CallContext;
  signal?: AbortSignal;
}

export interface ExchangeResult {
  status: number;
  headers: Headers;
  /** Parsed JSON, the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
}

export interface ExchangeDeps {
  budget: ApiBudget;
  recorder: CallRecorder;
  clock: Clock;
  fetch: typeof fetch;
  timeoutMs: number;
}

/**
 * One HTTP request to PowerOffice: wait for the shared budget, send with a timeout, read the body,
 * record the call. Knows nothing of tokens or retries; a request that gets no answer becomes a
 * transient error here, an answer of any status is returned.
 */
export async function exchange(deps: ExchangeDeps, ex: Exchange): Promise<ExchangeResult> {
  const grant = await acquireBudget(deps, ex);
  const started = deps.clock.now();
  const signal = ex.signal
    ? AbortSignal.any([ex.signal, AbortSignal.timeout(deps.timeoutMs)])
    : AbortSignal.timeout(deps.timeoutMs);
  const base = {
    at: new Date(started),
    tenantId: ex.tenantId,
    lane: ex.lane,
    method: ex.method,
    pathTemplate: ex.pathTemplate,
    path: ex.path,
    budgetWaitMs: grant.waitedMs,
    attempt: ex.attempt,
  };
  try {
    const res = await deps.fetch(ex.url, { method: ex.method, headers: ex.headers, body: ex.body, signal });
    const text = await res.text();
    const body = parseBody(text);
    const record = { ...base, status: res.status, durationMs: deps.clock.now() - started };
    if (res.status >= 400) {
      const problem = parseProblem(body);
      deps.recorder.record({ ...record, errorTitle: problem.title, errorDetail: problem.detail });
    } else {
      deps.recorder.record(record);
    }
    return { status: res.status, headers: res.headers, body };
  } catch (err) {
    // The caller gave up (its own signal): not PowerOffice's failure, pass the reason on untouched.
    if (ex.signal?.aborted) throw ex.signal.reason;
    const kind = isTimeout(err) ? 'timeout' : 'network';
    const failure = errorForNoResponse(ex.ctx, kind, deps.timeoutMs, err);
    deps.recorder.record({
      ...base,
      status: null,
      durationMs: deps.clock.now() - started,
      errorTitle: kind === 'timeout' ? 'Timeout' : 'Network error',
      errorDetail: failure.message,
    });
    throw failure;
  }
}

async function acquireBudget(deps: ExchangeDeps, ex: Exchange) {
  try {
    return await deps.budget.acquire(ex.lane, ex.signal);
  } catch (err) {
    if (ex.signal?.aborted) throw ex.signal.reason;
    throw new TransientError(
      `The shared PowerOffice API budget could not be reached for ${ex.ctx.operation} (tenant ${ex.tenantId}): ` +
        `${(err as Error).message}. Check the database; retry later.`,
      { cause: err },
    );
  }
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'TimeoutError';
}
