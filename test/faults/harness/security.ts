import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { CheckResult } from './invariants';
import type { ObservedRecord } from './observer';

/**
 * Secrets the integration holds (client keys, the operator token, the key-encryption key) must never
 * show up outside their one place: not in any process's log, not in an outcome or dead letter, not in
 * a console response, not in the database except as ciphertext.
 */
export interface Secret {
  name: string;
  value: string;
}

/** The forms a secret could leak in: as is, upper case (GUIDs), hex and base64 of its bytes. */
function forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [
    ...new Set([secret.toLowerCase(), bytes.toString('hex'), bytes.toString('base64').replace(/=+$/, '')]),
  ].filter((f) => f.length >= 16);
}

export function findSecrets(haystack: string, secrets: readonly Secret[]): string[] {
  const lower = haystack.toLowerCase();
  const found: string[] = [];
  for (const s of secrets) {
    if (forms(s.value).some((f) => (/[A-Z]/.test(f) ? haystack.includes(f) : lower.includes(f.toLowerCase()))))
      found.push(s.name);
  }
  return found;
}

export function scanLogs(logDir: string, secrets: readonly Secret[]): CheckResult & { bytes: number; files: number } {
  const violations: string[] = [];
  let bytes = 0;
  const files = readdirSync(logDir).filter((f) => f.endsWith('.log'));
  for (const file of files) {
    const content = readFileSync(path.join(logDir, file), 'utf8');
    bytes += content.length;
    for (const name of findSecrets(content, secrets)) violations.push(`${file}: contains ${name}`);
  }
  return {
    id: 'no-secret-in-logs',
    title: "No secret in any process's log",
    passed: violations.length === 0 && files.length > 0,
    checked: files.length,
    violations: files.length === 0 ? ['no log files found'] : violations,
    bytes,
    files: files.length,
  };
}

export function scanRecords(records: readonly ObservedRecord[], secrets: readonly Secret[]): CheckResult {
  const violations: string[] = [];
  for (const r of records) {
    const text = [r.key ?? '', JSON.stringify(r.headers), r.value?.toString('utf8') ?? ''].join('\n');
    for (const name of findSecrets(text, secrets))
      violations.push(`${r.topic}/${r.partition}@${r.offset}: contains ${name}`);
  }
  return {
    id: 'no-secret-in-records',
    title: 'No secret in any outcome, PowerOffice→POS event or dead letter',
    passed: violations.length === 0 && records.length > 0,
    checked: records.length,
    violations,
  };
}

/**
 * The stored client key is AES-GCM ciphertext: no column of tenancy.tenants holds it in any form, each
 * tenant's ciphertext differs, and no other table of the integration's schemas holds a key either.
 */
export async function checkStoredKeys(
  db: DataSource,
  keys: ReadonlyMap<string, string>,
  otherSecrets: readonly Secret[],
): Promise<CheckResult> {
  const violations: string[] = [];
  const rows: Record<string, unknown>[] = await db.query('SELECT * FROM tenancy.tenants');
  const secrets: Secret[] = [
    ...[...keys].map(([tenantId, value]) => ({ name: `client key of ${tenantId}`, value })),
    ...otherSecrets,
  ];
  const ciphertexts = new Set<string>();
  for (const row of rows) {
    const id = String(row.id);
    if (!keys.has(id)) continue;
    const ciphertext = String(row.client_key_ciphertext ?? '');
    if (ciphertext.length < 32) violations.push(`tenancy.tenants ${id}: no ciphertext stored`);
    if (ciphertexts.has(ciphertext)) violations.push(`tenancy.tenants ${id}: the same ciphertext as another tenant`);
    ciphertexts.add(ciphertext);
    for (const name of findSecrets(JSON.stringify(row), secrets))
      violations.push(`tenancy.tenants ${id}: a column holds the ${name}`);
  }
  const tables: { schema: string; name: string }[] = await db.query(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema IN ('tenancy','pipeline','poweroffice','customer_sync','article_sync','settlement','invoice','console')
      ORDER BY 1, 2`,
  );
  const patterns = secrets.flatMap((s) =>
    forms(s.value).map((f) => ({ name: s.name, pattern: `%${f.replace(/[\\%_]/g, '\\$&')}%` })),
  );
  for (const t of tables) {
    // One scan per table: which of the patterns occur anywhere in its rows (bytea shows as hex).
    const hits: { p: string }[] = await db.query(
      `SELECT p FROM unnest($1::text[]) AS p WHERE EXISTS (SELECT 1 FROM "${t.schema}"."${t.name}" x WHERE x::text ILIKE p)`,
      [patterns.map((p) => p.pattern)],
    );
    const names = new Set(hits.map((h) => patterns.find((p) => p.pattern === h.p)!.name));
    for (const name of names) violations.push(`${t.schema}.${t.name}: holds the ${name} in clear`);
  }
  return {
    id: 'stored-key-is-ciphertext',
    title: 'Client keys are stored as ciphertext only (tenancy.tenants; no table holds one in clear)',
    passed: violations.length === 0 && ciphertexts.size === keys.size,
    checked: rows.length + tables.length,
    violations:
      ciphertexts.size === keys.size
        ? violations
        : [...violations, `${ciphertexts.size} ciphertexts for ${keys.size} tenants`],
  };
}

export interface ConsoleProbe {
  method: string;
  path: string;
  body?: unknown;
}

/**
 * The console refuses every data route without a valid operator token (none, a wrong one, the right
 * one with a character added or dropped, the wrong scheme) and its answers never contain a secret.
 */
export async function checkConsoleAccess(
  baseUrl: string,
  token: string,
  probes: readonly ConsoleProbe[],
  secrets: readonly Secret[],
): Promise<CheckResult & { refused: number; answered: number }> {
  const violations: string[] = [];
  let refused = 0;
  let answered = 0;
  const badAuth: (string | undefined)[] = [
    undefined,
    'Bearer wrong-token-0123456789abcdef',
    `Bearer ${token}x`,
    `Bearer ${token.slice(0, -1)}`,
    `Basic ${Buffer.from(`ops:${token}`).toString('base64')}`,
    token,
  ];
  const call = async (p: ConsoleProbe, authorization?: string) => {
    const res = await fetch(`${baseUrl}${p.path}`, {
      method: p.method,
      headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
      body: p.body === undefined ? undefined : JSON.stringify(p.body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, text: await res.text() };
  };
  for (const p of probes) {
    for (const auth of badAuth) {
      const r = await call(p, auth);
      if (r.status !== 401)
        violations.push(
          `${p.method} ${p.path} with ${auth === undefined ? 'no token' : 'a bad token'}: HTTP ${r.status}, expected 401`,
        );
      else refused++;
      for (const name of findSecrets(r.text, secrets))
        violations.push(`${p.method} ${p.path} (refused): the answer contains ${name}`);
    }
    if (p.method === 'GET') {
      const r = await call(p, `Bearer ${token}`);
      if (r.status !== 200) violations.push(`${p.method} ${p.path} with the operator token: HTTP ${r.status}`);
      else answered++;
      for (const name of findSecrets(r.text, secrets))
        violations.push(`${p.method} ${p.path}: the answer contains ${name}`);
    }
  }
  return {
    id: 'console-access',
    title: 'The console refuses requests without a valid operator token; its answers hold no secret',
    passed: violations.length === 0,
    checked: refused + answered,
    violations,
    refused,
    answered,
  };
}
