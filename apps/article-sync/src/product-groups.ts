import { Injectable } from '@nestjs/common';
import { PowerOfficeRejectedError } from '@lib/poweroffice';
import type { PowerOfficeClient, ProductGroup } from '@lib/poweroffice';
import type { DataSource, EntityManager } from 'typeorm';
import { ArticlesRepository } from './articles.repository';

export interface ProductGroupRequest {
  tenantId: string;
  code: string;
  /** The POS article group's name, for a group that has to be created. */
  name: string;
}

/** A group that exists (id), or, in a dry run, one that would have to be created. */
export type ResolvedProductGroup = { id: number } | { id: null; wouldCreate: true };

/**
 * The PowerOffice product groups articles are filed under (`mapping.productGroups`), resolved from
 * code to id once per tenant and remembered in article_sync.product_groups, so the articles of a
 * group cost no extra call after the first.
 *
 * A group is shared by many articles, which arrive on different partitions and instances at once;
 * resolving it under a PostgreSQL advisory lock (per tenant and code) makes sure only one of them
 * looks it up and creates it. The lock is held across the PowerOffice calls, which is acceptable
 * because it happens once per group and tenant.
 */
@Injectable()
export class ProductGroupDirectory {
  constructor(private readonly articles: ArticlesRepository) {}

  /** The group's id, created in PowerOffice if it does not exist there (lookup by code first). */
  async resolve(db: DataSource, powerOffice: PowerOfficeClient, req: ProductGroupRequest): Promise<number> {
    const known = await this.articles.productGroupId(db, req.tenantId, req.code);
    if (known !== null) return known;
    return db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `article_sync.product_group:${req.tenantId}:${req.code}`,
      ]);
      const resolvedMeanwhile = await this.articles.productGroupId(tx, req.tenantId, req.code);
      if (resolvedMeanwhile !== null) return resolvedMeanwhile;
      const group = (await findGroup(powerOffice, req.code)) ?? (await this.create(powerOffice, req));
      await this.remember(tx, req, group.id);
      return group.id;
    });
  }

  /** A dry run's answer: what exists, without creating anything. */
  async peek(db: DataSource, powerOffice: PowerOfficeClient, req: ProductGroupRequest): Promise<ResolvedProductGroup> {
    const known = await this.articles.productGroupId(db, req.tenantId, req.code);
    if (known !== null) return { id: known };
    const found = await findGroup(powerOffice, req.code);
    return found ? { id: found.id } : { id: null, wouldCreate: true };
  }

  private async create(powerOffice: PowerOfficeClient, req: ProductGroupRequest): Promise<ProductGroup> {
    try {
      return await powerOffice.productGroups.create({ code: req.code, name: req.name });
    } catch (err) {
      // Another process (without our lock: a person in PowerOffice Go, another integration) may
      // have created it since the lookup; PowerOffice then refuses the duplicate code.
      if (err instanceof PowerOfficeRejectedError) {
        const found = await findGroup(powerOffice, req.code);
        if (found) return found;
      }
      throw err;
    }
  }

  private remember(tx: EntityManager, req: ProductGroupRequest, id: number): Promise<void> {
    return this.articles.saveProductGroup(tx, req.tenantId, req.code, id);
  }
}

async function findGroup(powerOffice: PowerOfficeClient, code: string): Promise<ProductGroup | null> {
  const groups = await powerOffice.productGroups.listByCodes([code]);
  return groups.filter((g) => sameCode(g.code, code)).sort((a, b) => a.id - b.id)[0] ?? null;
}

/** PowerOffice matches codes without regard to case. */
export function sameCode(a: string | null | undefined, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}
