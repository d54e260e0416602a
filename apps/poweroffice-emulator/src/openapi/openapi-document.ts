import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** The parts of an OpenAPI 3.0 schema object the emulator reads. */
export interface SchemaObject {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  readOnly?: boolean;
  enum?: unknown[];
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  additionalProperties?: boolean | SchemaObject;
  [other: string]: unknown;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { summary?: string }>>;
  components: { schemas: Record<string, SchemaObject> };
}

/** `*PatchDto` field lists (patch-dto-fields-v2.json): the PATCH targets missing from the merged spec. */
export interface PatchFieldsFile {
  schemas: Record<string, { properties: Record<string, { type: string; optional?: boolean }> }>;
}

export interface ApiDescription {
  file: string;
  document: OpenApiDocument;
  patchFields: PatchFieldsFile;
}

// The YAML is 1.5 MB (~0.5 s to parse); parse it once per process, however many emulators start.
const cache = new Map<string, { mtimeMs: number; description: ApiDescription }>();

/** Loads the OpenAPI description and the PatchDto field list that sits beside it. */
export function loadApiDescription(file: string, patchFieldsFile?: string): ApiDescription {
  const absolute = path.resolve(file);
  const patchFile = path.resolve(patchFieldsFile ?? path.join(path.dirname(absolute), 'patch-dto-fields-v2.json'));
  const cacheKey = `${absolute}|${patchFile}`;
  const mtimeMs = statSync(absolute).mtimeMs;
  const hit = cache.get(cacheKey);
  if (hit && hit.mtimeMs === mtimeMs) return hit.description;
  const document = parse(readFileSync(absolute, 'utf8'), { maxAliasCount: -1 }) as OpenApiDocument;
  if (!document?.components?.schemas) throw new Error(`${absolute} is not an OpenAPI document with components.schemas`);
  const patchFields = JSON.parse(readFileSync(patchFile, 'utf8')) as PatchFieldsFile;
  const description = { file: absolute, document, patchFields };
  cache.set(cacheKey, { mtimeMs, description });
  return description;
}

/** Walks up from `start` to the directory holding package.json (the repository root). */
export function findRepoRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    try {
      statSync(path.join(dir, 'package.json'));
      return dir;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) throw new Error(`no package.json above ${start}`);
      dir = parent;
    }
  }
}

/**
 * Where the OpenAPI file is: an explicit path, else env POWEROFFICE_OPENAPI_FILE, else
 * `../shared/poweroffice/openapi-v2-merged.yaml` relative to the repository root.
 */
export function resolveOpenApiFile(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return path.resolve(explicit);
  if (env.POWEROFFICE_OPENAPI_FILE) return path.resolve(env.POWEROFFICE_OPENAPI_FILE);
  return path.resolve(findRepoRoot(__dirname), '..', 'shared', 'poweroffice', 'openapi-v2-merged.yaml');
}
