/** Paging and field selection (PowerOffice's ResourceParameters, bound from the query string). */
export interface PageOptions {
  /** Items per page; PowerOffice's default is 5000 and its maximum 20000. */
  pageSize?: number;
  /** Only these properties (PascalCase wire names or camelCase — sent PascalCase). */
  fields?: readonly string[];
  /** e.g. `LastChangedDateTimeOffset desc`. */
  orderBy?: string;
  signal?: AbortSignal;
}

export const DEFAULT_PAGE_SIZE = 5000;
export const MAX_PAGE_SIZE = 20000;

export type PageFetcher<T> = (pageNumber: number, pageSize: number) => Promise<T[]>;

/**
 * Pages through a list from page 1. PowerOffice returns a bare array and no paging metadata, and
 * 204 when nothing (more) matches, so the last page is the first one shorter than the page size.
 * A page longer than asked for means the page size was ignored and that page was everything.
 */
export async function* pages<T>(fetchPage: PageFetcher<T>, pageSize: number): AsyncGenerator<T[]> {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  for (let pageNumber = 1; ; pageNumber++) {
    const items = await fetchPage(pageNumber, pageSize);
    if (items.length > 0) yield items;
    if (items.length !== pageSize) return;
  }
}

export async function* items<T>(fetchPage: PageFetcher<T>, pageSize: number): AsyncGenerator<T> {
  for await (const page of pages(fetchPage, pageSize)) yield* page;
}
