import { RunningEmulator, startEmulator } from '../src/bootstrap';
import { connect } from './support/go-api';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimit: 0 });
});
afterAll(() => emu.close());

describe('/_emulator admin surface', () => {
  it('POST /_emulator/clients → 201 {clientKey, clientId, name}', async () => {
    const res = await fetch(`${emu.baseUrl}/_emulator/clients`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Bakeriet AS', organizationNumber: '912345678', lockDate: '2025-12-31' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      clientKey: expect.stringMatching(/^[0-9a-f-]{36}$/),
      clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Bakeriet AS',
    });
  });

  it('takes a fixed client key for reproducible setups and refuses it twice', async () => {
    const clientKey = '0d15ea5e-0000-4000-8000-000000000001';
    expect((await emu.admin.createClient({ clientKey })).clientKey).toBe(clientKey);
    await expect(emu.admin.createClient({ clientKey })).rejects.toThrow('409');
  });

  it('the empty preset has VAT codes but no chart of accounts', async () => {
    const api = await connect(emu, { preset: 'empty' });
    expect((await api.get('/GeneralLedgerAccounts')).status).toBe(204);
    expect((await api.get('/VatCodes')).status).toBe(200);
    expect((await api.post('/Customers', { Name: 'A' })).body.detail).toContain('no customer number series');
  });

  it('PATCH a client: the lock date applies at once; a bad date is refused', async () => {
    const api = await connect(emu);
    const info = await emu.admin.patchClient(api.clientKey, { lockDate: '2026-12-31', name: 'Nytt navn AS' });
    expect(info).toMatchObject({ lockDate: '2026-12-31', name: 'Nytt navn AS' });
    expect((await api.get('/LockDateSettings')).body.LockDate).toBe('2026-12-31');
    await expect(emu.admin.patchClient(api.clientKey, { lockDate: '31.12.2026' })).rejects.toThrow(
      'lockDate must be YYYY-MM-DD',
    );
  });

  it('the request log shows calls with a hash of the client key, never the key', async () => {
    const api = await connect(emu);
    await api.get('/Customers?customerNos=10000');
    const mine = await emu.admin.requests({ clientKey: api.clientKey });
    expect(mine.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/OAuth/Token', 200],
      ['GET', '/v2/Customers', 204],
    ]);
    expect(mine[1]).toMatchObject({
      query: 'customerNos=10000',
      clientKeyHash: expect.stringMatching(/^[0-9a-f]{16}$/),
      durationMs: expect.any(Number),
    });
    expect(JSON.stringify(await emu.admin.requests())).not.toContain(api.clientKey);
    expect(await emu.admin.requests({ since: mine[1]!.seq, clientKey: api.clientKey })).toEqual([]);
  });

  it('stats count answers by status', async () => {
    const api = await connect(emu);
    await api.get('/Customers/1');
    const stats = await emu.admin.stats();
    expect(stats.total).toBeGreaterThan(0);
    expect(stats.byStatus['404']).toBeGreaterThanOrEqual(1);
    expect(stats.rateLimited).toBe(0);
    expect(stats.peakRequestsPerSecond).toBeGreaterThanOrEqual(1);
  });

  it("dumps a client's state for assertions", async () => {
    const api = await connect(emu);
    await api.post('/Customers', { Name: 'Kunde AS' });
    const cash = (await api.get('/GeneralLedgerAccounts?accountNos=1900')).body[0].Id;
    const other = (await api.get('/GeneralLedgerAccounts?accountNos=3900')).body[0].Id;
    const vat = (await api.get('/VatCodes')).body;
    const id = (code: string): number => vat.find((v: { Code: string }) => v.Code === code).Id;
    await api.post('/Vouchers/CashJournals', {
      VoucherDate: '2026-03-09',
      CurrencyCode: 'NOK',
      VoucherLines: [
        { AccountId: cash, VatId: id('0'), CurrencyAmount: 10, PostingDate: '2026-03-09' },
        { AccountId: other, VatId: id('7'), CurrencyAmount: -10, PostingDate: '2026-03-09' },
      ],
    });
    const state = await emu.admin.state(api.clientKey);
    expect(state.customers).toEqual([expect.objectContaining({ Name: 'Kunde AS', Number: 10000 })]);
    expect(state.vouchers).toEqual([expect.objectContaining({ VoucherNo: 1, VoucherType: 'CashJournal' })]);
    expect(state.accountTransactions).toHaveLength(2);
  });

  it('reset forgets every client and token', async () => {
    const scratch = await startEmulator({ port: 0, rateLimit: 0 });
    try {
      const api = await connect(scratch);
      await scratch.admin.reset();
      expect((await api.get('/Customers')).status).toBe(401);
      expect((await api.requestToken()).body.error).toBe('invalid_client');
      expect((await scratch.admin.stats()).total).toBe(2);
    } finally {
      await scratch.close();
    }
  });

  it('unknown admin paths are 404', async () => {
    expect((await fetch(`${emu.baseUrl}/_emulator/nope`)).status).toBe(404);
  });
});
