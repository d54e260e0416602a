import { fromWire, shapeAt, toWire } from './codec';

describe('wire codec: camelCase + øre ↔ PascalCase + NOK', () => {
  const shape = { money: ['currencyAmount'], nested: { voucherLines: { money: ['currencyAmount'] } } };

  it('renames keys and converts money, nested arrays included', () => {
    const wire = toWire(
      {
        voucherDate: '2025-03-10',
        currencyCode: 'NOK',
        externalImportReference: undefined,
        voucherLines: [{ accountId: 7, vatId: 1, currencyAmount: -1250050 }],
      },
      shape,
    );
    expect(wire).toEqual({
      VoucherDate: '2025-03-10',
      CurrencyCode: 'NOK',
      VoucherLines: [{ AccountId: 7, VatId: 1, CurrencyAmount: -12500.5 }],
    });
    expect(fromWire(wire, shape)).toEqual({
      voucherDate: '2025-03-10',
      currencyCode: 'NOK',
      voucherLines: [{ accountId: 7, vatId: 1, currencyAmount: -1250050 }],
    });
  });

  it('only converts fields named as money, and leaves null alone', () => {
    expect(
      fromWire({ UnitPrice: 19.99, StockOnHand: 2.5, UnitCost: null }, { money: ['unitPrice', 'unitCost'] }),
    ).toEqual({
      unitPrice: 1999,
      stockOnHand: 2.5,
      unitCost: null,
    });
  });

  it('keeps acronym-tailed names reversible', () => {
    expect(fromWire({ InvoiceEmailAddressCC: 'a@b.no' })).toEqual({ invoiceEmailAddressCC: 'a@b.no' });
    expect(toWire({ invoiceEmailAddressCC: 'a@b.no' })).toEqual({ InvoiceEmailAddressCC: 'a@b.no' });
  });

  it('finds the shape at a JSON pointer', () => {
    expect(shapeAt('/voucherLines/0/currencyAmount', shape).isMoney).toBe(true);
    expect(shapeAt('/currencyAmount', shape).isMoney).toBe(true);
    expect(shapeAt('/voucherLines/0/vatId', shape).isMoney).toBe(false);
  });
});
