import { actionOf, ArticleRecord, decideSync, isStale, mustLookUpBeforeCreate, SyncDecision } from './sync-decision';

const record = (changes: Partial<ArticleRecord> = {}): ArticleRecord => ({
  tenantId: 't1',
  articleId: 'a-1',
  articleNumber: '1001',
  poProductId: 501,
  code: '1001',
  lastVersion: 5,
  contentHash: 'H5',
  syncedProduct: null,
  state: 'synced',
  errorCode: null,
  errorMessage: null,
  ...changes,
});

describe('decideSync: given what was recorded, when version v with hash h arrives, then …', () => {
  it.each<[string, ArticleRecord | null, number, string, SyncDecision]>([
    ['never seen', null, 1, 'H1', { kind: 'create' }],
    [
      'seen, failed before any product existed',
      record({ poProductId: null, code: null, state: 'failed', errorCode: 'MAPPING_MISSING', contentHash: null }),
      5,
      'H5',
      { kind: 'create' },
    ],
    ['same version, same content (a resend)', record(), 5, 'H5', { kind: 'unchanged', productId: 501 }],
    [
      'newer version, same content (e.g. a field PowerOffice does not hold)',
      record(),
      6,
      'H5',
      { kind: 'unchanged', productId: 501 },
    ],
    ['newer version, new content', record(), 6, 'H6', { kind: 'update', productId: 501 }],
    ['same version, new content (the mapping changed, resent)', record(), 5, 'H5b', { kind: 'update', productId: 501 }],
    ['older version', record(), 4, 'H4', { kind: 'stale', lastVersion: 5 }],
    ['older version with the same content', record(), 4, 'H5', { kind: 'stale', lastVersion: 5 }],
    [
      'older than a failed newer version',
      record({ state: 'failed', errorCode: 'POWEROFFICE_REJECTED' }),
      3,
      'H3',
      { kind: 'stale', lastVersion: 5 },
    ],
    [
      'a failed version whose content PowerOffice already has',
      record({ state: 'failed', errorCode: 'RETRIES_EXHAUSTED' }),
      5,
      'H5',
      { kind: 'unchanged', productId: 501 },
    ],
    ['archived, reactivated', record({ state: 'archived' }), 6, 'H6', { kind: 'update', productId: 501 }],
  ])('%s', (_case, given, version, hash, expected) => {
    expect(decideSync(given, version, hash)).toEqual(expected);
  });

  it('isStale only for versions below the last processed one', () => {
    expect(isStale(null, 1)).toBe(false);
    expect(isStale(record(), 4)).toBe(true);
    expect(isStale(record(), 5)).toBe(false);
    expect(isStale(record(), 6)).toBe(false);
  });
});

describe('actionOf', () => {
  it.each([
    ['create', false, 'created'],
    ['update', false, 'updated'],
    ['create', true, 'archived'],
    ['update', true, 'archived'],
  ] as const)('%s, archived=%s → %s', (kind, archived, action) => {
    expect(actionOf(kind, archived)).toBe(action);
  });
});

describe('mustLookUpBeforeCreate: look up by code only when an earlier attempt may have created it', () => {
  it.each<[Parameters<typeof mustLookUpBeforeCreate>[0], boolean, string]>([
    [
      { markerExists: false, attempt: 1, redrive: 0, mode: 'live' },
      false,
      'first attempt of a new article: create directly',
    ],
    [
      { markerExists: true, attempt: 1, redrive: 0, mode: 'live' },
      true,
      'a marker: an earlier delivery got as far as POST',
    ],
    [{ markerExists: false, attempt: 2, redrive: 0, mode: 'live' }, true, 'a retry'],
    [{ markerExists: false, attempt: 1, redrive: 1, mode: 'live' }, true, 'a redrive'],
    [{ markerExists: false, attempt: 1, redrive: 0, mode: 'replay' }, true, 'a replay compares with PowerOffice'],
    [{ markerExists: false, attempt: 1, redrive: 0, mode: 'dry-run' }, true, 'a dry run reports what PowerOffice has'],
  ])('%j → %s (%s)', (input, expected) => {
    expect(mustLookUpBeforeCreate(input)).toBe(expected);
  });
});
