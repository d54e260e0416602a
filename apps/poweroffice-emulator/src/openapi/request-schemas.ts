import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { PatchDtoSpec, PatchField, PatchFieldType, patchDtoSpec } from '../domain/json-patch';
import { parseBusinessDate, parseDateTimeOffset } from '../domain/time';
import { Problem } from '../domain/problem';
import { ApiDescription, SchemaObject } from './openapi-document';

type JsonSchema = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Request bodies checked against the real API's OpenAPI description, the way ASP.NET binds them:
 *
 * 1. Shape: property names are matched case-insensitively to the schema's (System.Text.Json with
 *    case-insensitive binding), unknown and read-only members are ignored, enum strings are matched
 *    case-insensitively, and an integer where an enum is expected fails with Go's own message
 *    ("Enums is not allowed to be represented as integers").
 * 2. Validate: the schema, converted from OpenAPI 3.0 (nullable, required-means-not-null, int32 and
 *    date formats) to JSON Schema, compiled by ajv lazily per schema and cached.
 */
export class RequestSchemas {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly lowerNames = new WeakMap<SchemaObject, Map<string, string>>();
  private readonly patchSpecs = new Map<string, PatchDtoSpec>();
  private readonly templates = new Map<string, Record<string, null>>();

  constructor(private readonly api: ApiDescription) {
    this.ajv = new Ajv({
      strict: false,
      allErrors: false,
      coerceTypes: false,
      verbose: true,
      logger: false,
      formats: {
        int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 },
        int64: { type: 'number', validate: (n: number) => Number.isSafeInteger(n) },
        double: { type: 'number', validate: (n: number) => Number.isFinite(n) },
        // Go ignores a time part on date fields; accept it as ASP.NET's date binding does.
        date: (s: string) => parseBusinessDate(s) !== null,
        'date-time': (s: string) => parseDateTimeOffset(s) !== null,
        uuid: (s: string) => UUID.test(s),
        uri: () => true,
        binary: () => true,
      },
    });
  }

  private schema(name: string): SchemaObject {
    const schema = this.api.document.components.schemas[name];
    if (!schema) throw new Error(`schema ${name} is not in ${this.api.file}`);
    return schema;
  }

  private deref(schema: SchemaObject): SchemaObject {
    let s = schema;
    while (s.$ref) s = this.schema(s.$ref.slice(s.$ref.lastIndexOf('/') + 1));
    return s;
  }

  /**
   * Reads a body against `<schemaName>` and returns it with canonical PascalCase names, or throws a
   * 400 Problem titled "<entity> validation error(s)" that names the field and the reason.
   */
  read(schemaName: string, body: unknown, entity: string): Record<string, unknown> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new Problem(
        400,
        `${entity} validation error(s)`,
        `The request body must be a JSON object (${schemaName}).`,
      );
    }
    const shaped = this.shape(body, this.schema(schemaName), '', entity) as Record<string, unknown>;
    const validate = this.validator(schemaName);
    if (!validate(shaped)) throw new Problem(400, `${entity} validation error(s)`, describe(validate.errors?.[0]));
    return shaped;
  }

  private shape(value: unknown, schemaIn: SchemaObject, at: string, entity: string): unknown {
    if (value === null || value === undefined) return value;
    const schema = this.deref(schemaIn);
    if (schema.enum && schema.type === 'string') {
      if (typeof value === 'number') {
        const name = at
          .slice(at.lastIndexOf('.') + 1)
          .replace(/\[\d+\]$/, '')
          .toLowerCase();
        throw new Problem(
          400,
          `${entity} validation error(s)`,
          `Enum '${name}' with value = ${value} is not valid. (Enums is not allowed to be represented as integers).`,
        );
      }
      if (typeof value === 'string') {
        const match = schema.enum.find((v) => typeof v === 'string' && v.toLowerCase() === value.toLowerCase());
        return match ?? value;
      }
      return value;
    }
    if (schema.type === 'array' && schema.items && Array.isArray(value)) {
      return value.map((v, i) => this.shape(v, schema.items!, `${at}[${i}]`, entity));
    }
    if (schema.properties && typeof value === 'object' && !Array.isArray(value)) {
      const names = this.namesOf(schema);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const name = names.get(k.toLowerCase());
        if (name === undefined) continue;
        const prop = schema.properties[name]!;
        if (prop.readOnly) continue;
        // A null for an enum or a sub-object means "not given" (a C# null reference/nullable enum).
        if (v === null && prop.$ref) continue;
        out[name] = this.shape(v, prop, at ? `${at}.${name}` : name, entity);
      }
      return out;
    }
    return value;
  }

  private namesOf(schema: SchemaObject): Map<string, string> {
    let names = this.lowerNames.get(schema);
    if (!names) {
      names = new Map(Object.keys(schema.properties ?? {}).map((n) => [n.toLowerCase(), n]));
      this.lowerNames.set(schema, names);
    }
    return names;
  }

  private validator(name: string): ValidateFunction {
    let validate = this.validators.get(name);
    if (!validate) {
      const definitions: Record<string, JsonSchema> = {};
      this.define(name, definitions);
      validate = this.ajv.compile({ $ref: `#/definitions/${name}`, definitions });
      this.validators.set(name, validate);
    }
    return validate;
  }

  private define(name: string, definitions: Record<string, JsonSchema>): void {
    if (definitions[name]) return;
    definitions[name] = {};
    definitions[name] = this.convert(this.schema(name), definitions, false);
  }

  /** OpenAPI 3.0 schema → JSON Schema (draft-07) for ajv. */
  private convert(s: SchemaObject, definitions: Record<string, JsonSchema>, notNull: boolean): JsonSchema {
    if (s.$ref) {
      const name = s.$ref.slice(s.$ref.lastIndexOf('/') + 1);
      this.define(name, definitions);
      return { $ref: `#/definitions/${name}` };
    }
    const out: JsonSchema = {};
    for (const k of [
      'format',
      'maxLength',
      'minLength',
      'minimum',
      'maximum',
      'maxItems',
      'minItems',
      'pattern',
    ] as const) {
      if (s[k] !== undefined) out[k] = s[k];
    }
    const nullable = s.nullable === true && !notNull;
    if (s.type) out.type = nullable ? [s.type, 'null'] : s.type;
    if (s.enum) out.enum = nullable ? [...s.enum, null] : s.enum;
    if (s.items) out.items = this.convert(s.items, definitions, false);
    if (s.properties) {
      const required = new Set(s.required ?? []);
      const props: Record<string, JsonSchema> = {};
      for (const [k, v] of Object.entries(s.properties)) {
        if (v.readOnly) continue;
        props[k] = this.convert(v, definitions, required.has(k));
      }
      out.properties = props;
      // [Required] on a C# property rejects null as well as absence.
      const req = (s.required ?? []).filter((k) => props[k] !== undefined);
      if (req.length > 0) out.required = req;
    }
    for (const k of ['allOf', 'oneOf', 'anyOf'] as const) {
      if (s[k]) out[k] = s[k]!.map((x) => this.convert(x, definitions, false));
    }
    return out;
  }

  /** A JSON Patch target: the `*PatchDto` field list, typed from the matching `*Dto` in the spec. */
  patchSpec(patchDtoName: string): PatchDtoSpec {
    let spec = this.patchSpecs.get(patchDtoName);
    if (spec) return spec;
    const entry = this.api.patchFields.schemas[patchDtoName];
    if (!entry) throw new Error(`${patchDtoName} is not in patch-dto-fields-v2.json`);
    const dto = this.api.document.components.schemas[patchDtoName.replace(/PatchDto$/, 'Dto')];
    const fields: PatchField[] = Object.entries(entry.properties).map(([name, p]) => {
      const nullable = p.type.includes('| null');
      const bare = p.type.replace(/\s*\|\s*null/, '').trim();
      return { name, nullable, type: this.patchType(bare, dto?.properties?.[name]) };
    });
    spec = patchDtoSpec(patchDtoName, fields);
    this.patchSpecs.set(patchDtoName, spec);
    return spec;
  }

  private patchType(tsType: string, dtoProperty: SchemaObject | undefined): PatchFieldType {
    if (tsType.endsWith('PatchDto')) return { kind: 'object', spec: this.patchSpec(tsType) };
    if (tsType === 'string') return dtoProperty?.format === 'date' ? { kind: 'date' } : { kind: 'string' };
    if (tsType === 'boolean') return { kind: 'boolean' };
    if (tsType.startsWith('Array<')) return { kind: 'integerArray' };
    if (tsType === 'number') {
      if (dtoProperty?.type === 'integer') {
        return dtoProperty.format === 'int32'
          ? { kind: 'integer', min: -2147483648, max: 2147483647 }
          : { kind: 'integer', min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
      }
      return { kind: 'number' };
    }
    const enumSchema = this.api.document.components.schemas[tsType];
    if (enumSchema?.enum) return { kind: 'enum', name: tsType, values: enumSchema.enum.map(String) };
    return { kind: 'string' };
  }

  /** Every property of a response DTO set to null: responses carry the full shape, as Go's do. */
  template(dtoName: string): Record<string, null> {
    let t = this.templates.get(dtoName);
    if (!t) {
      t = {};
      for (const name of Object.keys(this.schema(dtoName).properties ?? {})) t[name] = null;
      this.templates.set(dtoName, t);
    }
    return t;
  }

  /** The roles an operation's summary names, e.g. "(Auth roles: Customer,Customer_Full)". */
  rolesOf(pathTemplate: string, method: string): string[] | null {
    const summary = this.api.document.paths[pathTemplate]?.[method.toLowerCase()]?.summary;
    const m = summary ? /\(Auth roles: ([^)]*)\)/.exec(summary) : null;
    return m ? m[1]!.split(',').map((r) => r.trim()) : null;
  }
}

/** One ajv error as a sentence that names the field (VoucherLines[0].CurrencyAmount) and the reason. */
function describe(error: ErrorObject | undefined): string {
  if (!error) return 'The request body is not valid.';
  const field = error.instancePath
    .split('/')
    .slice(1)
    .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg}`))
    .join('')
    .replace(/^\./, '');
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = field ? `${field}.${String(p.missingProperty)}` : String(p.missingProperty);
      return `The field '${missing}' is required.`;
    }
    case 'type':
      return `The field '${field}' must be ${article(String(p.type))} but was ${kindOf(error.data)}.`;
    case 'enum':
      return `The value '${String(error.data)}' is not valid for '${field}'. Allowed values: ${(
        error.schema as unknown[]
      )
        .filter((v) => v !== null)
        .join(', ')}.`;
    case 'format':
      return `The value '${String(error.data)}' of '${field}' is not a valid ${formatName(String(p.format))}.`;
    case 'maxLength':
      return `The field '${field}' must be at most ${String(p.limit)} characters long.`;
    case 'minLength':
      return `The field '${field}' must be at least ${String(p.limit)} characters long.`;
    default:
      return `The field '${field}' ${error.message ?? 'is not valid'}.`;
  }
}

function article(type: string): string {
  const t = type.replace(/,null$/, '');
  if (t === 'integer') return 'an integer';
  if (t === 'object' || t === 'array') return `an ${t}`;
  return `a ${t}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number')
    return Number.isInteger(value) ? `the number ${value}` : `the number ${value} (not an integer)`;
  if (typeof value === 'string') return `the string '${value}'`;
  return `a ${typeof value}`;
}

function formatName(format: string): string {
  switch (format) {
    case 'date':
      return 'date (YYYY-MM-DD)';
    case 'date-time':
      return 'date-time (ISO 8601 with offset)';
    case 'int32':
      return '32-bit integer';
    case 'int64':
      return '64-bit integer';
    default:
      return format;
  }
}
