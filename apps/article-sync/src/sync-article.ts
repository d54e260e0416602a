import { Injectable } from '@nestjs/common';
import { ArticleChanged, ERROR_CODES, ErrorCode, IntegrationError, PermanentError, SyncAction } from '@lib/contracts';
import type { HandlerContext, HandlerResult } from '@lib/pipeline';
import { PowerOfficeRejectedError } from '@lib/poweroffice';
import type { PowerOfficeClient, Product } from '@lib/poweroffice';
import { TenantService } from '@lib/tenancy';
import { ArticlesRepository } from './articles.repository';
import { productGroupCodeFor, salesAccountFor } from './domain/account-choice';
import { osloDate } from './domain/oslo-date';
import {
  contentHash,
  draftProduct,
  ProductDraft,
  ProductFields,
  productFields,
  ProductTerms,
} from './domain/product-draft';
import { actionOf, ArticleRecord, decideSync, isStale, mustLookUpBeforeCreate } from './domain/sync-decision';
import { ProductGroupDirectory, sameCode } from './product-groups';

type Ctx = HandlerContext<ArticleChanged>;

/** The product an event ended with, and how. */
interface Written {
  action: SyncAction;
  product: { id: number; code: string };
  fields: ProductFields;
  /** False when PowerOffice already had it (a found product needing no patch). */
  changed: boolean;
  change?: unknown;
}

/**
 * ArticleChanged → the PowerOffice product with the article number as its code: created, updated,
 * archived, or left alone when PowerOffice already has it as it would be written.
 *
 * Calls per event (the API budget is the scarce resource): a new article 1 (POST), a changed one 1
 * (PATCH), an unchanged or older one 0; +2 once per tenant and product group (lookup, create); +1
 * lookup only after an attempt that may have created the product without recording it.
 */
@Injectable()
export class SyncArticle {
  /** Today's date decides the VAT rate; replaceable in tests. */
  now: () => Date = () => new Date();

  constructor(
    private readonly tenants: TenantService,
    private readonly articles: ArticlesRepository,
    private readonly productGroups: ProductGroupDirectory,
  ) {}

  async execute(ctx: Ctx): Promise<HandlerResult> {
    const article = ctx.envelope.data;
    const record = await this.articles.find(ctx.db, ctx.tenant.id, article.articleId);
    if (record && isStale(record, article.version)) return this.stale(article, record);
    try {
      return await this.sync(ctx, article, record);
    } catch (err) {
      if (ctx.mode !== 'dry-run') await this.recordFailure(ctx, article, err);
      throw err;
    }
  }

  private async sync(ctx: Ctx, article: ArticleChanged, record: ArticleRecord | null): Promise<HandlerResult> {
    const terms = await this.termsFor(ctx.tenant.id, article);
    const draft = draftProduct(article, terms);
    const hash = contentHash(draft);
    const decision = decideSync(record, article.version, hash);

    let written: Written;
    switch (decision.kind) {
      case 'stale': // checked before the terms were read; kept for exhaustiveness
        return this.stale(article, record!);
      case 'unchanged':
        ctx.log.debug('article unchanged; no call', { articleId: article.articleId, productId: decision.productId });
        written = {
          action: 'unchanged',
          product: { id: decision.productId, code: record!.code ?? draft.code },
          fields: record!.syncedProduct ?? productFields(draft, null),
          changed: false,
        };
        break;
      case 'update':
        written = await this.update(ctx, article, draft, record!, decision.productId);
        break;
      case 'create':
        written = await this.create(ctx, article, draft);
        break;
    }

    const result: HandlerResult = {
      outcomes: [
        {
          type: 'ArticleSynced',
          data: {
            articleId: article.articleId,
            action: written.action,
            powerOffice: { productId: written.product.id, code: written.product.code },
          },
        },
      ],
      changed: written.changed,
      change: written.change,
    };
    if (ctx.mode === 'dry-run') return result;
    const { tenant } = ctx;
    result.persist = (tx) =>
      this.articles.recordSynced(tx, {
        tenantId: tenant.id,
        articleId: article.articleId,
        articleNumber: article.articleNumber,
        version: article.version,
        poProductId: written.product.id,
        code: written.product.code,
        // The hash of what PowerOffice now has: the next event with the same content costs nothing.
        contentHash: hash,
        syncedProduct: written.fields,
        state: draft.isArchived ? 'archived' : 'synced',
      });
    if (written.action !== 'unchanged') {
      ctx.log.info(`article ${written.action}`, {
        articleId: article.articleId,
        productId: written.product.id,
        code: written.product.code,
      });
    }
    return result;
  }

  /** Mapping, sales account and VAT rate of today: every MAPPING_MISSING names the key to map. */
  private async termsFor(tenantId: string, article: ArticleChanged): Promise<ProductTerms> {
    const mappingRecord = await this.tenants.getMapping(tenantId);
    if (!mappingRecord) {
      throw new PermanentError(
        'MAPPING_MISSING',
        `Tenant ${tenantId} has no account mapping, so article ${article.articleNumber} (${article.articleId}) has no sales account. ` +
          'Set the mapping (e.g. the NS 4102 preset) in the console, then resend the article.',
        { details: [{ key: '(mapping)', account: null, problem: 'no account mapping is set' }] },
      );
    }
    const mapping = mappingRecord.mapping;
    const groupId = article.articleGroup?.id;
    const choice = salesAccountFor(mapping, article.vatCode, groupId);
    if (!choice) {
      const key = `sales.${article.vatCode}`;
      throw new PermanentError(
        'MAPPING_MISSING',
        `Article ${article.articleNumber} (${article.articleId}) of tenant ${tenantId} has VAT code ${article.vatCode}, ` +
          `but the account mapping has no sales account for it. Map ${key}` +
          `${groupId ? ` (or salesByArticleGroup.${groupId}.${article.vatCode} for its article group)` : ''} ` +
          'to a sales account with that VAT code in the console, then resend the article.',
        { details: [{ key, account: null, problem: `no sales account mapped for VAT code ${article.vatCode}` }] },
      );
    }
    let salesAccountId: number;
    try {
      salesAccountId = (await this.tenants.resolveAccount(tenantId, choice.account)).id;
    } catch (err) {
      if (err instanceof PermanentError && err.code === 'MAPPING_MISSING') {
        throw new PermanentError(
          'MAPPING_MISSING',
          `${err.message} (It is mapped at ${choice.key}, for article ${article.articleNumber}.)`,
          {
            details: [
              { key: choice.key, account: choice.account, problem: 'account not in the PowerOffice chart of accounts' },
            ],
          },
        );
      }
      throw err;
    }
    const vat = await this.tenants.resolveVat(tenantId, article.vatCode, osloDate(this.now()));
    return { vatRate: vat.rate, salesAccountId, productGroupCode: productGroupCodeFor(mapping, groupId) };
  }

  private async productGroupId(
    ctx: Ctx,
    article: ArticleChanged,
    draft: ProductDraft,
  ): Promise<{ id: number | null; wouldCreate?: boolean }> {
    if (draft.productGroupCode === null) return { id: null };
    const req = {
      tenantId: ctx.tenant.id,
      code: draft.productGroupCode,
      name: article.articleGroup?.name ?? draft.productGroupCode,
    };
    if (ctx.mode === 'dry-run') return this.productGroups.peek(ctx.db, ctx.powerOffice, req);
    return { id: await this.productGroups.resolve(ctx.db, ctx.powerOffice, req) };
  }

  private async update(
    ctx: Ctx,
    article: ArticleChanged,
    draft: ProductDraft,
    record: ArticleRecord,
    productId: number,
  ): Promise<Written> {
    const po = ctx.powerOffice;
    const group = await this.productGroupId(ctx, article, draft);
    const desired = productFields(draft, group.id);
    const action = actionOf('update', draft.isArchived);
    try {
      // Live: what we last wrote is what PowerOffice has (the POS is the master of these fields), so
      // the patch is computed from it and costs one call. Replays and dry runs compare with
      // PowerOffice itself, which is what they are for.
      const current =
        ctx.mode === 'live' && record.syncedProduct ? record.syncedProduct : await po.products.get(productId);
      const operations = po.products.diff(current, desired);
      const code = (current as { code?: string | null }).code ?? draft.code;
      if (ctx.mode === 'dry-run') {
        return {
          action,
          product: { id: productId, code },
          fields: desired,
          changed: operations.length > 0,
          change: { action, productId, operations, ...wouldCreateGroup(group, draft) },
        };
      }
      if (operations.length === 0) return { action, product: { id: productId, code }, fields: desired, changed: false };
      const patched = await po.products.applyPatch(productId, operations);
      return {
        action,
        product: { id: patched.id, code: patched.code ?? draft.code },
        fields: desired,
        changed: true,
        change: { operations },
      };
    } catch (err) {
      if (err instanceof PowerOfficeRejectedError && err.isNotFound) {
        // Someone deleted the product in PowerOffice Go: the article is made again.
        ctx.log.warn('the recorded product no longer exists in PowerOffice; creating it again', {
          articleId: article.articleId,
          productId,
        });
        return this.create(ctx, article, draft);
      }
      throw err;
    }
  }

  private async create(ctx: Ctx, article: ArticleChanged, draft: ProductDraft): Promise<Written> {
    const po = ctx.powerOffice;
    const tenantId = ctx.tenant.id;
    const marker = await this.articles.creationMarker(ctx.db, tenantId, article.articleId);
    const lookUp = mustLookUpBeforeCreate({
      markerExists: marker !== null,
      attempt: ctx.attempt,
      redrive: ctx.redrive,
      mode: ctx.mode,
    });
    const group = await this.productGroupId(ctx, article, draft);
    const desired = productFields(draft, group.id);

    if (lookUp) {
      // The code this attempt is about to create, and the one an earlier attempt was (the article
      // number may have changed in between).
      const found = await findProduct(po, [draft.code, ...(marker && marker !== draft.code ? [marker] : [])]);
      if (found) return this.adopt(ctx, found, desired, draft, group, marker !== null ? 'created' : 'updated');
    }

    const action = actionOf('create', draft.isArchived);
    if (ctx.mode === 'dry-run') {
      // Never published (the runtime publishes nothing in a dry run); there is no product id yet.
      return {
        action,
        product: { id: 0, code: draft.code },
        fields: desired,
        changed: true,
        change: { action, fields: desired, ...wouldCreateGroup(group, draft) },
      };
    }

    await this.articles.markCreation(ctx.db, tenantId, article.articleId, draft.code);
    let created: Product;
    try {
      created = await po.products.create(newProduct(desired));
    } catch (err) {
      // Most likely the code is taken: a product someone made in PowerOffice Go before the shop
      // was connected. Take it over rather than fail the article. Costs a lookup only on refusal.
      if (err instanceof PowerOfficeRejectedError && !lookUp) {
        const found = await findProduct(po, [draft.code]);
        if (found) {
          ctx.log.info('a product with the article number already existed in PowerOffice; taking it over', {
            articleId: article.articleId,
            productId: found.id,
          });
          return this.adopt(ctx, found, desired, draft, group, 'updated');
        }
      }
      throw err;
    }
    return { action, product: { id: created.id, code: created.code ?? draft.code }, fields: desired, changed: true };
  }

  /** A product found by code becomes this article's: patched to what it should be, if it differs. */
  private async adopt(
    ctx: Ctx,
    found: Product,
    desired: ProductFields,
    draft: ProductDraft,
    group: { id: number | null; wouldCreate?: boolean },
    foundAction: 'created' | 'updated',
  ): Promise<Written> {
    const po = ctx.powerOffice;
    const operations = po.products.diff(found, desired);
    const action = draft.isArchived ? 'archived' : foundAction;
    const product = { id: found.id, code: found.code ?? draft.code };
    if (ctx.mode === 'dry-run') {
      return {
        action,
        product,
        fields: desired,
        changed: operations.length > 0,
        change: { action, productId: found.id, found: true, operations, ...wouldCreateGroup(group, draft) },
      };
    }
    if (operations.length > 0) await po.products.applyPatch(found.id, operations);
    return { action, product, fields: desired, changed: operations.length > 0, change: { found: true, operations } };
  }

  /** An older version than one already processed: nothing is sent; the answer is what exists. */
  private stale(article: ArticleChanged, record: ArticleRecord): HandlerResult {
    if (record.poProductId !== null) {
      return {
        outcomes: [
          {
            type: 'ArticleSynced',
            data: {
              articleId: article.articleId,
              action: 'unchanged',
              powerOffice: { productId: record.poProductId, code: record.code ?? article.articleNumber },
            },
          },
        ],
        changed: false,
        change: { stale: true, version: article.version, lastVersion: record.lastVersion },
      };
    }
    // No product exists because the newer version failed too: say so, with that failure's code.
    const code: ErrorCode = (ERROR_CODES as readonly string[]).includes(record.errorCode ?? '')
      ? (record.errorCode as ErrorCode)
      : 'POWEROFFICE_REJECTED';
    throw new PermanentError(
      code,
      `Version ${article.version} of article ${article.articleNumber} (${article.articleId}) is older than version ${record.lastVersion}, ` +
        `which was already processed and failed (${record.errorCode}: ${record.errorMessage}). Nothing was sent to PowerOffice; ` +
        `fix that and resend version ${record.lastVersion} or a newer change.`,
      { details: { staleVersion: article.version, lastVersion: record.lastVersion } },
    );
  }

  private async recordFailure(ctx: Ctx, article: ArticleChanged, err: unknown): Promise<void> {
    const code = err instanceof IntegrationError ? err.code : 'RETRIES_EXHAUSTED';
    const message = err instanceof Error ? err.message : String(err);
    try {
      await this.articles.recordFailure(ctx.db, {
        tenantId: ctx.tenant.id,
        articleId: article.articleId,
        articleNumber: article.articleNumber,
        version: article.version,
        errorCode: code,
        errorMessage: message,
      });
    } catch (dbError) {
      // The event's own failure is what matters; the pipeline sees it either way.
      ctx.log.warn('could not record the failure in article_sync.articles', { reason: (dbError as Error).message });
    }
  }
}

async function findProduct(po: PowerOfficeClient, codes: string[]): Promise<Product | null> {
  const products = await po.products.listByCodes(codes);
  for (const code of codes) {
    const match = products.filter((p) => sameCode(p.code, code)).sort((a, b) => a.id - b.id)[0];
    if (match) return match;
  }
  return null;
}

function newProduct(fields: ProductFields) {
  return {
    code: fields.code,
    name: fields.name,
    description: fields.description ?? undefined,
    productType: fields.productType,
    unitOfMeasureCode: fields.unitOfMeasureCode ?? undefined,
    unitPrice: fields.unitPrice,
    standardSalesAccountId: fields.standardSalesAccountId,
    productGroupId: fields.productGroupId ?? undefined,
    isArchived: fields.isArchived,
  };
}

function wouldCreateGroup(group: { wouldCreate?: boolean }, draft: ProductDraft): Record<string, unknown> {
  return group.wouldCreate ? { wouldCreateProductGroup: draft.productGroupCode } : {};
}
