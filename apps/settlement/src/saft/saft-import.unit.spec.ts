import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeEvent, encodeEnvelope } from '@lib/contracts';
import { parseSaftCashRegister, type SaftCashRegisterImport } from './saft-cash-register';
import { SAFT_IMPORT_SOURCE, saftZReportEventId, saftZReportEvents } from './saft-import';

const repoRoot = path.resolve(__dirname, '../../../..');
function sharedFile(relative: string): string {
  const candidates = [path.resolve(repoRoot, '..', 'shared'), path.resolve(repoRoot, 'shared')];
  const dir = candidates.find((c) => existsSync(path.join(c, relative)));
  if (!dir) throw new Error(`shared/${relative} not found; looked in ${candidates.join(', ')}`);
  return path.join(dir, relative);
}

const example = (): SaftCashRegisterImport =>
  parseSaftCashRegister(readFileSync(sharedFile('fixtures/saft/examples/cashregister_example_20210330.xml')));

describe('saftZReportEvents: the events a SAF-T import publishes', () => {
  it('one valid ZReportClosed per Z-report, keyed by register and Z, that the contract accepts', () => {
    const { events, skipped } = saftZReportEvents(example(), 'kaffe-1');
    expect(skipped).toEqual([]);
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e).toMatchObject({
      type: 'ZReportClosed',
      tenantId: 'kaffe-1',
      key: 'kaffe-1:11.222-33.44.567:1',
      source: SAFT_IMPORT_SOURCE,
      time: '2020-01-01T23:56:59+01:00',
      data: { registerId: '11.222-33.44.567', zNumber: 1, businessDate: '2020-01-01' },
    });
    const decoded = decodeEvent(encodeEnvelope(e!), ['ZReportClosed']);
    expect(decoded.ok).toBe(true);
  });

  it('the same file gives the same event ids; another tenant or other content gives other ids', () => {
    const first = saftZReportEvents(example(), 'kaffe-1').events[0]!;
    expect(saftZReportEvents(example(), 'kaffe-1').events[0]!.id).toBe(first.id);
    expect(saftZReportEvents(example(), 'kaffe-2').events[0]!.id).not.toBe(first.id);
    const corrected = {
      ...first.data,
      rounding: -30,
      payments: [{ ...first.data.payments[0]!, amount: 29510 }, first.data.payments[1]!],
    };
    expect(saftZReportEventId('kaffe-1', corrected)).not.toBe(first.id);
    // Only what the voucher is built from counts: a different closing time is the same report.
    expect(saftZReportEventId('kaffe-1', { ...first.data, closedAt: '2020-01-01T23:59:00+01:00' })).toBe(first.id);
  });

  it('a report the contract refuses is skipped with the reason, the others still go', () => {
    const parsed = example();
    const good = parsed.zReports[0]!;
    parsed.zReports.push({ ...good, zNumber: 2, sales: [{ ...good.sales[0]!, vatCode: '1' }] });
    parsed.controls.push({ ...parsed.controls[0]!, zNumber: 2 });
    const { events, skipped } = saftZReportEvents(parsed, 'kaffe-1');
    expect(events.map((e) => e.data.zNumber)).toEqual([1]);
    expect(skipped).toEqual([
      {
        registerId: '11.222-33.44.567',
        zNumber: 2,
        businessDate: '2020-01-01',
        reason: expect.stringMatching(/^sales\[0\]\.vatCode /),
      },
    ]);
  });

  it("keeps the file's warnings and adds a total-sales mismatch, which only the file can show", () => {
    const parsed = example();
    parsed.controls[0]!.totalCashSales += 100;
    const { events, warnings } = saftZReportEvents(parsed, 'kaffe-1');
    expect(events).toHaveLength(1);
    expect(warnings).toEqual(
      expect.arrayContaining([
        ...parsed.warnings,
        expect.stringMatching(
          /^Z 1 of register 11\.222-33\.44\.567: sales per VAT code 514,20 ≠ total cash sales 515,20/,
        ),
      ]),
    );
  });
});
