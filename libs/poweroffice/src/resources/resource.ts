import { TransientError } from '@lib/contracts';
import { ApiRequest, TenantSession } from '../http/tenant-session';
import { DEFAULT_PAGE_SIZE, items, PageOptions } from '../http/paging';
import { diffToPatch, PatchOperation, patchToWire } from '../wire/json-patch';
import { fromWire, toWire, WireShape } from '../wire/codec';
import { Query } from './query';

/** How a resource's list endpoint is called. */
export interface ListSpec<F> {
  path: string;
  role: string;
  /** Plural noun for messages: `customers`. */
  noun: string;
  shape: WireShape;
  query: (filter: F) => Query;
}

function fieldsParam(fields: readonly string[] | undefined): string | undefined {
  return fields?.length ? fields.map((f) => f[0].toUpperCase() + f.slice(1)).join(',') : undefined;
}

/** The calls every resource makes: typed GET/POST/PATCH with wire conversion in one place. */
export abstract class Resource {
  constructor(protected readonly session: TenantSession) {}

  protected async getOne<T>(req: Omit<ApiRequest, 'method'>, shape: WireShape): Promise<T> {
    const res = await this.session.send({ ...req, method: 'GET' });
    return fromWire<T>(res.body, shape);
  }

  protected async post<T>(req: Omit<ApiRequest, 'method' | 'body'>, body: unknown, shape: WireShape): Promise<T> {
    const res = await this.session.send({
      ...req,
      method: 'POST',
      body: body === undefined ? undefined : toWire(body, shape),
    });
    return fromWire<T>(res.body, shape);
  }

  protected async patch<T>(
    req: Omit<ApiRequest, 'method' | 'body' | 'jsonPatch'>,
    ops: readonly PatchOperation[],
    shape: WireShape,
  ): Promise<T> {
    const res = await this.session.send({ ...req, method: 'PATCH', jsonPatch: true, body: patchToWire(ops, shape) });
    return fromWire<T>(res.body, shape);
  }

  protected async fetchList<T, F>(
    spec: ListSpec<F>,
    filter: F,
    page: { pageNumber?: number; pageSize?: number } & PageOptions,
  ): Promise<T[]> {
    const res = await this.session.send({
      method: 'GET',
      path: spec.path,
      query: {
        ...spec.query(filter),
        PageNumber: page.pageNumber,
        PageSize: page.pageSize,
        Fields: fieldsParam(page.fields),
        OrderBy: page.orderBy,
      },
      subject: spec.noun,
      role: spec.role,
      signal: page.signal,
    });
    // 204 No Content is PowerOffice's empty list.
    if (res.body === undefined) return [];
    if (!Array.isArray(res.body)) {
      throw new TransientError(
        `PowerOffice answered GET ${spec.path} (${spec.noun}) for tenant ${this.session.tenantId} with something other than a list; retry later.`,
      );
    }
    return fromWire<T[]>(res.body, spec.shape);
  }
}

/** A resource with a paged, filtered list: one page, an async iterator over all, or all at once. */
export abstract class ListableResource<T, F> extends Resource {
  protected abstract readonly list: ListSpec<F>;

  /** One page (1-based). */
  listPage(filter: F = {} as F, page: { pageNumber: number; pageSize?: number } & PageOptions): Promise<T[]> {
    return this.fetchList<T, F>(this.list, filter, { ...page, pageSize: page.pageSize ?? DEFAULT_PAGE_SIZE });
  }

  /** Every match, page by page as they are needed. */
  iterate(filter: F = {} as F, options: PageOptions = {}): AsyncGenerator<T> {
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    return items<T>(
      (pageNumber, size) => this.fetchList<T, F>(this.list, filter, { ...options, pageNumber, pageSize: size }),
      pageSize,
    );
  }

  /** Every match, collected. */
  async listAll(filter: F = {} as F, options: PageOptions = {}): Promise<T[]> {
    const all: T[] = [];
    for await (const item of this.iterate(filter, options)) all.push(item);
    return all;
  }
}

/** What an `update` did: the operations sent (none when nothing differed and no call was made). */
export interface UpdateResult<T> {
  entity: T;
  changed: boolean;
  operations: PatchOperation[];
}

/**
 * A PATCH-able resource: `update` diffs the desired fields against the current entity and sends
 * only what differs — or nothing at all, which saves a call from the shared budget.
 */
export abstract class PatchableResource<T extends object, C extends object, F> extends ListableResource<T, F> {
  protected abstract readonly patchable: {
    path: string;
    role: string;
    noun: string;
    fields: readonly (keyof C & string)[];
    shape: WireShape;
  };

  abstract get(id: number): Promise<T>;

  /** The replace operations that would turn `current` into `desired` (exported for dry runs). */
  diff(current: Partial<C> | T | undefined, desired: Partial<C>): PatchOperation[] {
    return diffToPatch<C>(current as Partial<C> | undefined, desired, { fields: this.patchable.fields });
  }

  /** Applies raw JSON Patch operations (TypeScript names and øre; converted here). */
  applyPatch(id: number, ops: readonly PatchOperation[]): Promise<T> {
    const p = this.patchable;
    return this.patch<T>(
      { path: `${p.path}/{id}`, params: { id }, subject: `${p.noun} ${id}`, role: p.role },
      ops,
      p.shape,
    );
  }

  /** Brings entity `id` to `desired`; pass `current` when you have it to save the GET. */
  async update(id: number, desired: Partial<C>, current?: T): Promise<UpdateResult<T>> {
    const before = current ?? (await this.get(id));
    const operations = this.diff(before, desired);
    if (operations.length === 0) return { entity: before, changed: false, operations };
    return { entity: await this.applyPatch(id, operations), changed: true, operations };
  }

  /** Sets IsArchived (PowerOffice keeps archived entities, e.g. for posted history). */
  archive(id: number): Promise<T> {
    return this.applyPatch(id, [{ op: 'replace', path: '/isArchived', value: true }]);
  }
}
