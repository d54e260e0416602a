import type { EmulatorAdmin, LoggedRequest } from '../../apps/poweroffice-emulator/src/bootstrap';

/** One API call the emulator answered. */
export interface ApiCall {
  atMs: number;
  method: string;
  path: string;
  status: number;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A call that changes something in PowerOffice (a token request is not one). */
export function isWrite(call: ApiCall): boolean {
  return WRITE_METHODS.has(call.method) && !/\/OAuth\/Token$/i.test(call.path);
}

/**
 * Copies the emulator's request log as it grows. The emulator keeps only its last 10 000 calls, so
 * a long run is read every second; a gap in the sequence numbers is counted as `lost`.
 */
export class EmulatorRequestLog {
  readonly calls: ApiCall[] = [];
  lost = 0;
  private lastSeq = 0;
  private timer?: NodeJS.Timeout;
  private reading?: Promise<void>;

  constructor(private readonly admin: EmulatorAdmin) {}

  /** Skips what is in the log now, then reads new calls every `intervalMs`. */
  async start(intervalMs = 1000): Promise<void> {
    const now = await this.admin.requests();
    this.lastSeq = now.at(-1)?.seq ?? 0;
    this.timer = setInterval(() => void this.read(), intervalMs);
  }

  /** Reads what is new now. */
  read(): Promise<void> {
    this.reading ??= this.readOnce().finally(() => (this.reading = undefined));
    return this.reading;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.reading;
    await this.read();
  }

  between(fromMs: number, toMs: number): ApiCall[] {
    return this.calls.filter((c) => c.atMs >= fromMs && c.atMs <= toMs);
  }

  private async readOnce(): Promise<void> {
    let entries: LoggedRequest[];
    try {
      entries = await this.admin.requests({ since: this.lastSeq });
    } catch {
      return; // the emulator is being stopped; what was read stays
    }
    for (const e of entries) {
      if (e.seq <= this.lastSeq) continue;
      if (e.seq > this.lastSeq + 1) this.lost += e.seq - this.lastSeq - 1;
      this.lastSeq = e.seq;
      this.calls.push({ atMs: Date.parse(e.time), method: e.method, path: e.path, status: e.status });
    }
  }
}
