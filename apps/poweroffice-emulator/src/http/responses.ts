import { Problem } from '../domain/problem';
import { ApiReply } from './types';

export function ok(body: unknown, status = 200, headers?: Record<string, string>): ApiReply {
  return { status, body, headers };
}

/** A bare array, or 204 with no body when nothing matched (Go's list convention). */
export function list(items: readonly unknown[]): ApiReply {
  return items.length === 0 ? { status: 204 } : { status: 200, body: items };
}

export function empty(status: number, headers?: Record<string, string>): ApiReply {
  return { status, headers };
}

/** RFC 7807 ProblemDetails, camelCase on the wire. */
export function problem(p: Problem): ApiReply {
  return { status: p.status, problem: true, body: { title: p.title, status: p.status, detail: p.detail } };
}
