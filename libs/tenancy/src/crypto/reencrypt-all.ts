import { DataSource } from 'typeorm';
import { TenantRepository } from '../tenant.repository';
import { KeyCipher, keyIdOfCiphertext } from './key-cipher';

export interface ReencryptionReport {
  /** Stored client keys looked at. */
  total: number;
  /** Rewritten under the current key. */
  reencrypted: number;
  /** Already sealed with the current key. */
  alreadyCurrent: number;
  /** Replaced by someone else while this ran; not touched. */
  changedMeanwhile: number;
  /** Could not be opened (key missing from TENANT_KEY_ENCRYPTION_KEYS_OLD, or damaged); left as they were. */
  failed: { tenantId: string; reason: string }[];
}

/**
 * Key rotation, step 2: after TENANT_KEY_ENCRYPTION_KEY has been switched to the new key and the
 * previous one listed in TENANT_KEY_ENCRYPTION_KEYS_OLD, rewrite every stored client key under the
 * new key. Once `failed` is empty, the old key can be removed from the environment.
 *
 * Each row is rewritten in its own transaction with a compare-and-set, so it is safe while the
 * services run (a key replaced meanwhile is simply left to its new value) and safe to repeat.
 */
export async function reencryptAll(
  dataSource: DataSource,
  cipher: KeyCipher,
  actor = 'system:key-rotation',
): Promise<ReencryptionReport> {
  const repo = new TenantRepository(dataSource);
  const report: ReencryptionReport = { total: 0, reencrypted: 0, alreadyCurrent: 0, changedMeanwhile: 0, failed: [] };
  for (const { id, ciphertext } of await repo.listCiphertexts()) {
    report.total++;
    if (!cipher.needsReencryption(ciphertext)) {
      report.alreadyCurrent++;
      continue;
    }
    let next: string;
    try {
      next = cipher.encrypt(cipher.decrypt(ciphertext, id), id);
    } catch (err) {
      report.failed.push({ tenantId: id, reason: (err as Error).message });
      continue;
    }
    const fromKeyId = keyIdOfCiphertext(ciphertext);
    const replaced = await repo.transaction(async (em) => {
      const ok = await repo.replaceCiphertext(em, id, ciphertext, next);
      if (ok) {
        await repo.insertAudit(em, {
          tenantId: id,
          actor,
          action: 'clientKey.reencrypted',
          before: { keyId: fromKeyId },
          after: { keyId: cipher.currentKeyId },
        });
      }
      return ok;
    });
    if (replaced) report.reencrypted++;
    // Replaced meanwhile (e.g. a new client key stored by the console): left alone; a second run would see it.
    else report.changedMeanwhile++;
  }
  return report;
}
