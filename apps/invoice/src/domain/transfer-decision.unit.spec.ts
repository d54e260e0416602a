import { decideTransfer, InvoiceIdentity, PriorTransfer, TransferDecision } from './transfer-decision';

const invoice: InvoiceIdentity = { invoiceId: 'inv-5001', invoiceNumber: '5001', contentHash: 'h1' };
const prior = (over: Partial<PriorTransfer>): PriorTransfer => ({
  invoiceId: 'inv-5001',
  state: 'transferred',
  contentHash: 'h1',
  poVoucherId: 'd5b0b5c2-0000-4000-8000-000000000001',
  poSalesOrderId: null,
  poInvoiceNo: null,
  customerNumber: 10001,
  errorCode: null,
  ...over,
});
const create = (
  lookUpFirst: boolean,
  salesOrderId: string | null = null,
  salesOrderRejectedFor: string | null = null,
): TransferDecision => ({
  kind: 'transfer',
  lookUpFirst,
  salesOrderId,
  salesOrderRejectedFor,
});

describe('decideTransfer', () => {
  it.each<[string, PriorTransfer | null, boolean, TransferDecision]>([
    ['a new invoice is created without a lookup', null, false, create(false)],
    ['a resync of an unknown invoice compares with PowerOffice first', null, true, create(true)],
    [
      'an attempt that may have reached PowerOffice looks first',
      prior({ state: 'attempting', poVoucherId: null }),
      false,
      create(true),
    ],
    [
      'a resend after a rejection looks first',
      prior({ state: 'rejected', poVoucherId: null, errorCode: 'CUSTOMER_NOT_FOUND' }),
      false,
      create(true),
    ],
    [
      'an interrupted sales order continues with the order already created',
      prior({ state: 'attempting', poVoucherId: null, poSalesOrderId: 'so-1' }),
      false,
      create(true, 'so-1'),
    ],
    [
      'a sales order rejected after it was created keeps its reason',
      prior({ state: 'rejected', poVoucherId: null, poSalesOrderId: 'so-1', errorCode: 'IDENTITY_MISMATCH' }),
      false,
      create(true, 'so-1', 'IDENTITY_MISMATCH'),
    ],
    [
      'a changed invoice that was never posted is sent as it is now',
      prior({ state: 'rejected', contentHash: 'h0', poVoucherId: null }),
      false,
      create(true),
    ],
  ])('%s', (_, p, comparing, expected) => {
    expect(decideTransfer(p, invoice, comparing)).toEqual(expected);
  });

  it('answers a resent invoice from what was recorded, calling nothing', () => {
    const p = prior({});
    expect(decideTransfer(p, invoice, false)).toEqual({ kind: 'answered', prior: p });
    expect(decideTransfer(p, invoice, true)).toEqual({ kind: 'answered', prior: p });
  });

  it.each<[string, PriorTransfer, RegExp]>([
    [
      'the number used by another POS invoice',
      prior({ invoiceId: 'inv-4711' }),
      /already belongs to POS invoice inv-4711/,
    ],
    [
      'a transferred invoice sent again with other content',
      prior({ contentHash: 'h0' }),
      /already transferred \(voucher d5b0b5c2-.*\) with different content.*credit it/,
    ],
  ])('refuses %s', (_, p, reason) => {
    const d = decideTransfer(p, invoice, false);
    expect(d.kind).toBe('conflict');
    expect(d.kind === 'conflict' && d.reason).toMatch(reason);
  });
});
