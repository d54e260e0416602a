import { GoClient } from '../domain/go-client';
import { Query } from './query';

/** Which installation a call addressed: `/Demo/...` or the production paths. */
export type Environment = 'demo' | 'production';

/** What a bearer token stands for. Privileges are fixed when it is issued, as in Go. */
export interface TokenGrant {
  token: string;
  clientKey: string;
  client: GoClient;
  environment: Environment;
  expiresAtMs: number;
  privileges: ReadonlySet<string>;
  allowSendInvoice: boolean;
}

export interface ApiRequest {
  method: string;
  /** Path below `/v2`, as sent (case kept). */
  path: string;
  params: Record<string, string>;
  query: Query;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text ('' when none). */
  rawBody: string;
  contentType: string;
  grant: TokenGrant;
  client: GoClient;
  /** `http://host:port/v2` or `…/Demo/v2`, for Location headers. */
  apiBase: string;
  nowMs: number;
}

export interface ApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Set for ProblemDetails bodies (application/problem+json). */
  problem?: boolean;
}

export type Handler = (req: ApiRequest) => ApiReply | Promise<ApiReply>;

/** `any` = any valid token (ClientIntegrationInformation). */
export type RoleRequirement = readonly string[] | 'any';

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Below /v2, with `{name}` parameters, e.g. `/Customers/{id}`. */
  path: string;
  /** Omitted = the roles the OpenAPI summary of this operation names. */
  roles?: RoleRequirement;
  handler: Handler;
}
