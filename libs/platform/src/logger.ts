import { LoggerService } from '@nestjs/common';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Field names whose values are never written, whatever the caller passes. */
const SECRET_FIELD = /(client.?key|secret|password|passwd|token|authorization|encryption.?key|api.?key|subscription.?key|application.?key)/i;

/** Replaces secret-looking fields (at any depth) with "[redacted]". */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_FIELD.test(k) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

/**
 * Structured JSON logs, one object per line on stdout: time, level, app, message and context
 * fields (tenant, event id, topic/partition/offset …). Secret-looking fields are redacted.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly app: string,
    private readonly level: LogLevel = (process.env.LOG_LEVEL as LogLevel) ?? 'info',
    private readonly fields: Record<string, unknown> = {},
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {}

  child(fields: Record<string, unknown>): JsonLogger {
    return new JsonLogger(this.app, this.level, { ...this.fields, ...fields }, this.write);
  }

  emit(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    if (ORDER[level] < ORDER[this.level] && !(level === 'debug' && this.level === 'debug')) return;
    const entry = {
      time: new Date().toISOString(),
      level,
      app: this.app,
      msg: message,
      ...(redact({ ...this.fields, ...fields }) as Record<string, unknown>),
    };
    this.write(JSON.stringify(entry));
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.emit('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.emit('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown> | string): void {
    this.emit('warn', message, typeof fields === 'string' ? { context: fields } : fields);
  }
  error(message: string, fields?: Record<string, unknown> | string, context?: string): void {
    if (typeof fields === 'string') this.emit('error', message, { stack: fields, context });
    else this.emit('error', message, fields);
  }

  // Nest's LoggerService surface
  log(message: unknown, context?: string): void {
    this.emit('info', String(message), context ? { context } : {});
  }
  verbose(message: unknown, context?: string): void {
    this.emit('debug', String(message), context ? { context } : {});
  }
}
