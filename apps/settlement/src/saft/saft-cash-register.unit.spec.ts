import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as iconv from 'iconv-lite';
import { zReportExample81 } from '@lib/contracts';
import { NS4102_PRESET } from '@lib/tenancy';
import { buildCashJournalVoucher } from '../domain/cash-journal-voucher';
import { checkZReport } from '../domain/z-report-check';
import type { ZReportClosed } from '../domain/z-report';
import { parseSaftCashRegister, SaftCashRegisterParseError, type SaftCashRegisterImport } from './saft-cash-register';

/**
 * shared/ sits beside the clone in CI (…/main and …/shared) and may sit inside it locally; the
 * fixtures are read from wherever they are, and a missing folder fails loudly rather than skipping.
 */
const repoRoot = path.resolve(__dirname, '../../../..');
function sharedFile(relative: string): string {
  const candidates = [path.resolve(repoRoot, '..', 'shared'), path.resolve(repoRoot, 'shared')];
  const dir = candidates.find((c) => existsSync(path.join(c, relative)));
  if (!dir) throw new Error(`shared/${relative} not found; looked in ${candidates.join(', ')}`);
  return path.join(dir, relative);
}

const exampleBytes = readFileSync(sharedFile('fixtures/saft/examples/cashregister_example_20210330.xml'));
const exampleText = exampleBytes.toString('utf8');
const VAT0_WARNING =
  'POS VAT code 0 maps to SAF-T standard code 0, which is not a sales code; zero-rated sales should use 5 (or 52 export, 6 outside the VAT act)';

const parseText = (xml: string): SaftCashRegisterImport => parseSaftCashRegister(Buffer.from(xml, 'utf8'));
/** Replaces one exact piece of the example; fails the test if the piece is not there. */
function edit(xml: string, from: string | RegExp, to: string): string {
  const next = xml.replace(from, to);
  if (next === xml) throw new Error(`fixture edit did not apply: ${String(from)}`);
  return next;
}
const ZREP_BLOCK = /<event>\s*<eventID>2016<\/eventID>[\s\S]*?<\/event>/;

const officialZ1: ZReportClosed = {
  registerId: '11.222-33.44.567',
  zNumber: 1,
  businessDate: '2020-01-01',
  closedAt: '2020-01-01T23:56:59+01:00',
  currency: 'NOK',
  sales: [
    { vatCode: '31', vatRate: 15, grossAmount: 10280, netAmount: 8938, vatAmount: 1342, count: 0 },
    { vatCode: '3', vatRate: 25, grossAmount: 41140, netAmount: 32912, vatAmount: 8228, count: 0 },
  ],
  payments: [
    { method: 'cash', saftCode: '12001', amount: 29500, count: 1 },
    { method: 'card', saftCode: '12002', amount: 21880, count: 1 },
  ],
  rounding: -40,
  returns: { count: 1, amount: 1640 },
  discounts: { count: 0, amount: 0 },
  voids: { count: 0, amount: 0 },
  creditSales: { count: 0, amount: 0 },
  grandTotals: { sales: 53060, returns: 1640, net: 51420 },
};

describe('parseSaftCashRegister — the official Skatteetaten example file', () => {
  let parsed: SaftCashRegisterImport;
  beforeAll(() => {
    parsed = parseSaftCashRegister(exampleBytes);
  });

  it('reads the company', () => {
    expect(parsed.company).toEqual({ ident: '999999999', name: 'Selskapet ASA' });
  });

  it('yields exactly the one Z-report of the day (pos-domain §8.1)', () => {
    expect(parsed.zReports).toEqual([officialZ1]);
    // …which is the contract's §8.1 fixture, except the counts per VAT rate SAF-T does not report.
    expect(parsed.zReports[0]).toEqual({
      ...zReportExample81,
      sales: zReportExample81.sales.map((s) => ({ ...s, count: 0 })),
    });
    expect(parsed.controls).toEqual([
      { registerId: '11.222-33.44.567', zNumber: 1, eventId: '2016', totalCashSales: 51420 },
    ]);
    const [z] = parsed.zReports;
    expect(z!.sales.reduce((s, l) => s + l.grossAmount, 0)).toBe(51420);
  });

  it('keeps the file’s 0 % → standard code 0 mapping but warns about it (and nothing else)', () => {
    expect(parsed.warnings).toEqual([VAT0_WARNING]);
  });

  it('passes the Z-report checks with the file’s own total as control', () => {
    expect(
      checkZReport(parsed.zReports[0]!, undefined, { totalCashSales: parsed.controls[0]!.totalCashSales }),
    ).toEqual([]);
  });

  it('posts as the §8.1 voucher with the NS 4102 preset', () => {
    const result = buildCashJournalVoucher(parsed.zReports[0]!, NS4102_PRESET, { tenantId: 't' });
    if (!result.ok) throw new Error(result.message);
    expect(result.voucher.lines.map((l) => [l.accountNo, l.vatCode, l.amount])).toEqual([
      [1900, '0', 29500],
      [1910, '0', 21880],
      [7740, '0', 40],
      [3030, '31', -10280],
      [3000, '3', -41140],
    ]);
  });
});

describe('parseSaftCashRegister — encodings', () => {
  const NAME = 'Blåbær &amp; Søtt Ærlig AS';
  const NAME_TEXT = 'Blåbær & Søtt Ærlig AS';
  const withName = (xml: string, name: string) =>
    xml.split('<companyName>Selskapet ASA</companyName>').join(`<companyName>${name}</companyName>`);
  const declare = (xml: string, encoding: string) => edit(xml, 'encoding="UTF-8"', `encoding="${encoding}"`);
  let base: SaftCashRegisterImport;
  beforeAll(() => {
    base = parseSaftCashRegister(exampleBytes);
  });

  it('ISO-8859-1 with Norwegian letters in the company name', () => {
    const bytes = iconv.encode(declare(withName(exampleText, NAME), 'ISO-8859-1'), 'latin1');
    // The test only means something if the bytes are not UTF-8: "å" is the single byte 0xE5.
    expect(bytes.includes(0xe5)).toBe(true);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();

    const parsed = parseSaftCashRegister(bytes);
    expect(parsed.company.name).toBe(NAME_TEXT);
    expect(parsed.zReports).toEqual(base.zReports);
    expect(parsed.warnings).toEqual([VAT0_WARNING]);
  });

  it('windows-1252 (an en dash is 0x96)', () => {
    const parsed = parseSaftCashRegister(
      iconv.encode(declare(withName(exampleText, 'Kaffe – Bønner AS'), 'windows-1252'), 'windows-1252'),
    );
    expect(parsed.company.name).toBe('Kaffe – Bønner AS');
  });

  it('"ISO-8859-1" that really is windows-1252 is read as such, with a warning', () => {
    const parsed = parseSaftCashRegister(
      iconv.encode(declare(withName(exampleText, 'Kaffe – Bønner AS'), 'ISO-8859-1'), 'windows-1252'),
    );
    expect(parsed.company.name).toBe('Kaffe – Bønner AS');
    expect(parsed.warnings).toContain(
      'the file declares ISO-8859-1 but contains windows-1252 characters; read as windows-1252',
    );
  });

  it('"UTF-8" that is not UTF-8 falls back to windows-1252, with a warning', () => {
    const parsed = parseSaftCashRegister(iconv.encode(withName(exampleText, NAME), 'latin1'));
    expect(parsed.company.name).toBe(NAME_TEXT);
    expect(parsed.warnings).toContain('the file declares UTF-8 but is not valid UTF-8; read as windows-1252');
  });

  it('UTF-8 with a byte-order mark', () => {
    const parsed = parseSaftCashRegister(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(withName(exampleText, NAME), 'utf8')]),
    );
    expect(parsed.company.name).toBe(NAME_TEXT);
    expect(parsed.zReports).toEqual(base.zReports);
  });

  it('UTF-16 LE with a byte-order mark', () => {
    const parsed = parseSaftCashRegister(
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        iconv.encode(declare(withName(exampleText, NAME), 'UTF-16'), 'utf-16le'),
      ]),
    );
    expect(parsed.company.name).toBe(NAME_TEXT);
    expect(parsed.zReports).toEqual(base.zReports);
  });

  it('no XML declaration means UTF-8', () => {
    const parsed = parseText(withName(edit(exampleText, /^<\?xml[^>]*\?>\s*/, ''), NAME));
    expect(parsed.company.name).toBe(NAME_TEXT);
  });
});

describe('parseSaftCashRegister — files it refuses', () => {
  it.each<[string, () => Buffer, RegExp]>([
    [
      'a SAF-T Financial file',
      () => readFileSync(sharedFile('fixtures/saft/examples/financial_example_20180228.xml')),
      /Financial/,
    ],
    ['text that is not XML', () => Buffer.from('Z-rapport 1: 514,20'), /not well-formed|auditfile/],
    ['broken XML', () => Buffer.from(exampleText.slice(0, 5000)), /not well-formed/],
    [
      'a DOCTYPE (entity expansion)',
      () => Buffer.from(edit(exampleText, '<auditfile ', '<!DOCTYPE auditfile [<!ENTITY a "aaaa">]>\n<auditfile ')),
      /DOCTYPE/,
    ],
    [
      'another currency',
      () => Buffer.from(edit(exampleText, '<curCode>NOK</curCode>', '<curCode>SEK</curCode>')),
      /SEK/,
    ],
    [
      'an unknown encoding',
      () => Buffer.from(edit(exampleText, 'encoding="UTF-8"', 'encoding="x-klingon"')),
      /x-klingon/,
    ],
    ['no company', () => Buffer.from(edit(exampleText, /<company>[\s\S]*<\/company>/, '')), /company/],
  ])('%s', (_, bytes, message) => {
    expect(() => parseSaftCashRegister(bytes())).toThrow(SaftCashRegisterParseError);
    expect(() => parseSaftCashRegister(bytes())).toThrow(message);
  });
});

describe('parseSaftCashRegister — reading rules', () => {
  it('reads namespace-prefixed files the same', () => {
    const prefixed = edit(exampleText.replace(/<(\/?)([A-Za-z])/g, '<$1n1:$2'), 'xmlns="urn:', 'xmlns:n1="urn:');
    const parsed = parseText(prefixed);
    expect(parsed.zReports).toEqual([officialZ1]);
  });

  it('warns but reads a file without the namespace', () => {
    const parsed = parseText(edit(exampleText, ' xmlns="urn:StandardAuditFile-Taxation-CashRegister:NO"', ''));
    expect(parsed.zReports).toEqual([officialZ1]);
    expect(parsed.warnings).toContain(
      'the root element does not declare urn:StandardAuditFile-Taxation-CashRegister:NO; read as a cash register file anyway',
    );
  });

  it('ignores X reports', () => {
    let xml = edit(exampleText, /(<basicID>ZREP<\/basicID>\s*<predefinedBasicID>)13009/, '$113008');
    xml = edit(xml, '<reportType>Z report</reportType>', '<reportType>X report</reportType>');
    const parsed = parseText(xml);
    expect(parsed.zReports).toEqual([]);
    expect(parsed.warnings).toContain('the file contains no Z-report');
  });

  it.each<[string, (xml: string) => string, string]>([
    [
      'a 13009 event whose body says X report',
      (xml) => edit(xml, '<reportType>Z report</reportType>', '<reportType>X report</reportType>'),
      'event 2016 on register 11.222-33.44.567 is a Z-report event (13009) without a Z report body; skipped',
    ],
    [
      'a Z report body under an event type that is not 13009',
      (xml) => edit(xml, /(<basicID>ZREP<\/basicID>\s*<predefinedBasicID>)13009/, '$113999'),
      'event 2016 on register 11.222-33.44.567 carries a Z report but its type ZREP is not mapped to 13009; skipped',
    ],
    [
      'a report id that is not a Z number',
      (xml) => edit(xml, '<reportID>1</reportID>', '<reportID>Z-0001</reportID>'),
      'event 2016 on register 11.222-33.44.567: Z report skipped, reportID Z-0001 is not a Z number',
    ],
    [
      'an amount finer than an øre',
      (xml) => edit(xml, '<paymentAmnt>295.00</paymentAmnt>', '<paymentAmnt>295.005</paymentAmnt>'),
      'event 2016 on register 11.222-33.44.567: Z report skipped, amount "295.005" has fractions of an øre',
    ],
  ])('skips %s with a warning', (_, change, warning) => {
    const parsed = parseText(change(exampleText));
    expect(parsed.zReports).toEqual([]);
    expect(parsed.warnings).toContain(warning);
  });

  it('maps payment types through basics to methods, keeps the SAF-T code, and derives rounding without `invoice`', () => {
    const basics = [
      ['KREDITT', '12003'],
      ['VIPPS', '12011'],
      ['GIFT', '12005'],
      ['KUNDE', '12006'],
      ['PANT', '12008'],
      ['TILGODE', '12010'],
      ['BANK', '12004'],
    ]
      .map(
        ([id, code]) =>
          `<basic><basicType>12</basicType><basicID>${id}</basicID><predefinedBasicID>${code}</predefinedBasicID><basicDesc>${id}</basicDesc></basic>`,
      )
      .join('');
    const payment = (type: string, amount: string) =>
      `<reportPayment><paymentType>${type}</paymentType><paymentNum>1</paymentNum><paymentAmnt>${amount}</paymentAmnt></reportPayment>`;
    let xml = edit(exampleText, '</basics>', `${basics}</basics>`);
    xml = edit(
      xml,
      /<reportPayments>[\s\S]*?<\/reportPayments>/,
      `<reportPayments>${[
        payment('CASH', '100.00'),
        payment('KREDITT', '50.00'),
        payment('VIPPS', '100.00'),
        payment('GIFT', '50.00'),
        payment('PANT', '10.00'),
        payment('TILGODE', '10.00'),
        payment('BANK', '44.20'),
        payment('MYSTERY', '199.60'),
        payment('KUNDE', '125.00'),
      ].join('')}</reportPayments><reportTip><tipNum>2</tipNum><tipAmnt>20.00</tipAmnt></reportTip>`,
    );
    xml = edit(
      xml,
      /<reportPayIns>[\s\S]*?<\/reportPayIns>/,
      '<reportPayIns><reportPayIn><payInType>Gavekort</payInType><payInNum>1</payInNum><payInAmnt>30.00</payInAmnt></reportPayIn></reportPayIns>',
    );

    const parsed = parseText(xml);
    const z = parsed.zReports[0]!;
    expect(z.payments).toEqual([
      { method: 'cash', saftCode: '12001', amount: 10000, count: 1 },
      { method: 'card', saftCode: '12003', amount: 5000, count: 1 },
      { method: 'vipps', saftCode: '12011', amount: 10000, count: 1 },
      { method: 'giftCard', saftCode: '12005', amount: 5000, count: 1 },
      { method: 'pantSlip', saftCode: '12008', amount: 1000, count: 1 },
      { method: 'creditNote', saftCode: '12010', amount: 1000, count: 1 },
      { method: 'other', saftCode: '12004', amount: 4420, count: 1 },
      { method: 'other', amount: 19960, count: 1 },
      { method: 'invoice', saftCode: '12006', amount: 12500, count: 1 },
    ]);
    expect(z.tips).toEqual({ count: 2, amount: 2000 });
    expect(z.giftCardsSold).toEqual({ count: 1, amount: 3000 });
    // 563,80 paid (without the 125,00 on account) − (514,20 sales + 30,00 gift cards + 20,00 tips)
    expect(z.rounding).toBe(-40);
    expect(parsed.warnings).toContain(
      'Z 1 of register 11.222-33.44.567: payment type MYSTERY has no predefined SAF-T code in basics; posted as "other"',
    );
    expect(checkZReport(z, undefined, { totalCashSales: parsed.controls[0]!.totalCashSales })).toEqual([]);
    expect(buildCashJournalVoucher(z, NS4102_PRESET, { tenantId: 't' }).ok).toBe(true);
  });

  it('flags a pay-in that is not a gift card: counted as a receipt, so the payment identity fails visibly', () => {
    const xml = edit(
      exampleText,
      /<reportPayIns>[\s\S]*?<\/reportPayIns>/,
      '<reportPayIns><reportPayIn><payInType>Innskudd</payInType><payInNum>1</payInNum><payInAmnt>100.00</payInAmnt></reportPayIn></reportPayIns>',
    );
    const parsed = parseText(xml);
    const z = parsed.zReports[0]!;
    expect(z.rounding).toBe(-10040);
    expect(z.giftCardsSold).toBeUndefined();
    expect(parsed.warnings).toEqual(
      expect.arrayContaining([
        'Z 1 of register 11.222-33.44.567: pay-in "Innskudd" 100,00 is not a gift-card sale and has no place in the settlement',
        'Z 1 of register 11.222-33.44.567: derived rounding −100,40 is more than rounding 4 receipt(s) to whole kroner can produce; payments and sales probably disagree',
      ]),
    );
  });

  it('warns when total cash sales disagree with the VAT lines, and derives rounding from the reported total', () => {
    const parsed = parseText(
      edit(
        exampleText,
        '<totalCashSaleAmnt>514.20</totalCashSaleAmnt>',
        '<totalCashSaleAmnt>514.00</totalCashSaleAmnt>',
      ),
    );
    const z = parsed.zReports[0]!;
    expect(z.rounding).toBe(-20);
    expect(parsed.warnings).toContain(
      'Z 1 of register 11.222-33.44.567: total cash sales 514,00 ≠ sales per VAT rate 514,20',
    );
    expect(
      checkZReport(z, undefined, { totalCashSales: parsed.controls[0]!.totalCashSales }).map((p) => p.kind),
    ).toEqual(['SALES_TOTAL', 'PAYMENT_IDENTITY']);
  });

  it('uses the VAT-code mapping in force on the report date', () => {
    const later =
      '<vatCodeDetail><vatCode>2</vatCode><dateOfEntry>2020-06-01</dateOfEntry><standardVatCode>33</standardVatCode></vatCodeDetail>';
    const parsedLater = parseText(edit(exampleText, '</vatCodeDetails>', `${later}</vatCodeDetails>`));
    expect(parsedLater.zReports[0]!.sales.map((s) => s.vatCode)).toEqual(['31', '3']);

    const earlier =
      '<vatCodeDetail><vatCode>2</vatCode><dateOfEntry>2019-12-20</dateOfEntry><standardVatCode>33</standardVatCode></vatCodeDetail>';
    const parsedEarlier = parseText(edit(exampleText, '</vatCodeDetails>', `${earlier}</vatCodeDetails>`));
    expect(parsedEarlier.zReports[0]!.sales.map((s) => s.vatCode)).toEqual(['33', '3']);
  });

  it('reads several Z-reports in file order and flags a Z number that occurs twice', () => {
    const z1 = ZREP_BLOCK.exec(exampleText)![0];
    const z2 = z1
      .replace('<eventID>2016</eventID>', '<eventID>3016</eventID>')
      .replace('<reportID>1</reportID>', '<reportID>2</reportID>')
      .replace(/2020-01-01/g, '2020-01-02');
    const parsed = parseText(edit(exampleText, ZREP_BLOCK, `${z1}${z2}${z1}`));
    expect(parsed.zReports.map((z) => [z.zNumber, z.businessDate])).toEqual([
      [1, '2020-01-01'],
      [2, '2020-01-02'],
      [1, '2020-01-01'],
    ]);
    expect(parsed.warnings).toContain('Z 1 of register 11.222-33.44.567 occurs more than once in the file');
  });

  it('reads a report time with an explicit offset as that instant', () => {
    const parsed = parseText(
      edit(exampleText, '<reportTime>23:56:59</reportTime>', '<reportTime>22:56:59Z</reportTime>'),
    );
    expect(parsed.zReports[0]!.closedAt).toBe('2020-01-01T23:56:59+01:00');
  });
});
