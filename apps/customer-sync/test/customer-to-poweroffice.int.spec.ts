import { customerImportReference } from '../src/domain/customer-reference';
import { CustomerSyncWorld } from './customer-sync-app';
import { describeRequests, waitFor, writes } from './flow-harness';

/**
 * CustomerChanged → PowerOffice against the real broker, PostgreSQL and the emulator: what lands in
 * PowerOffice, the outcome on the outcome topic, the mapping row, and how many PowerOffice requests
 * each case cost (from the emulator's request log).
 */
describe('customer-sync: Open One → PowerOffice', () => {
  let w: CustomerSyncWorld;
  const cost: Record<string, string[]> = {};

  beforeAll(async () => {
    w = await CustomerSyncWorld.start('cs-pos');
  });
  afterAll(async () => {
    // The measured requests per case, for the report.
    process.stdout.write(`\nPowerOffice requests per event:\n${JSON.stringify(cost, null, 2)}\n`);
    await w?.close();
  });

  const company = {
    isPerson: false,
    name: 'Fjordkafeen AS',
    organizationNumber: '911111111',
    email: 'post@fjordkafeen.example',
    invoiceEmail: 'faktura@fjordkafeen.example',
    phone: '+47 22 00 00 00',
    address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
  };

  it('creates a company: one POST (after one organisation-number lookup), number assigned by PowerOffice', async () => {
    const event = w.customerChanged({ customerId: 'c-create', ...company });
    const { outcome, requests } = await w.send(event);
    cost['create (company with organisation number)'] = describeRequests(requests);

    expect(outcome).toMatchObject({ type: 'CustomerSynced', data: { customerId: 'c-create', action: 'created' } });
    const po = outcome.data.powerOffice as { customerId: number; customerNumber: number };
    expect(po.customerNumber).toBeGreaterThanOrEqual(10000);
    expect(po.customerNumber).toBeLessThanOrEqual(19999);

    const inPowerOffice = (await w.poCustomers()).filter(
      (c) => c.ExternalImportReference === customerImportReference(w.tenantId, 'c-create'),
    );
    expect(inPowerOffice).toHaveLength(1);
    expect(inPowerOffice[0]).toMatchObject({
      Id: po.customerId,
      Number: po.customerNumber,
      Name: 'Fjordkafeen AS',
      OrganizationNumber: '911111111',
      EmailAddress: 'post@fjordkafeen.example',
      InvoiceEmailAddress: 'faktura@fjordkafeen.example',
      PhoneNumber: '+47 22 00 00 00',
      IsArchived: false,
      MailAddress: { AddressLine1: 'Storgata 1', ZipCode: '0155', City: 'Oslo', CountryCode: 'NO' },
    });
    expect(writes(requests).map((r) => r.method)).toEqual(['POST']);
    expect(requests).toHaveLength(2);

    expect(await w.mapping('c-create')).toMatchObject({
      state: 'synced',
      po_customer_id: String(po.customerId),
      po_customer_number: String(po.customerNumber),
      po_subledger_account_id: String(inPowerOffice[0].SubledgerAccountId),
      last_version: 1,
      create_started_at: null,
      po_last_changed: inPowerOffice[0].LastChangedDateTimeOffset,
    });
  });

  // The next cases continue the life of c-create (jest runs them in order).
  it('updates only what changed: one PATCH', async () => {
    const before = (await w.poCustomers()).find(
      (c) => c.ExternalImportReference === customerImportReference(w.tenantId, 'c-create'),
    )!;
    const event = w.customerChanged({
      customerId: 'c-create',
      ...company,
      phone: '+47 22 99 99 99',
      address: { ...company.address, city: 'Bergen' },
    });
    const { outcome, requests } = await w.send(event);
    cost['update (phone and city changed)'] = describeRequests(requests);

    expect(outcome.data).toMatchObject({
      customerId: 'c-create',
      action: 'updated',
      powerOffice: { customerId: before.Id, customerNumber: before.Number },
    });
    expect(requests.map((r) => r.method)).toEqual(['PATCH']);
    const after = (await w.poCustomers()).find((c) => c.Id === before.Id)!;
    expect(after).toMatchObject({
      PhoneNumber: '+47 22 99 99 99',
      MailAddress: { City: 'Bergen', AddressLine1: 'Storgata 1' },
      Name: 'Fjordkafeen AS',
    });
    expect(await w.mapping('c-create')).toMatchObject({
      last_version: 2,
      state: 'synced',
      po_last_changed: after.LastChangedDateTimeOffset,
    });
  });

  it('an unchanged customer costs no PowerOffice request', async () => {
    const event = w.customerChanged({
      customerId: 'c-create',
      ...company,
      phone: '+47 22 99 99 99',
      address: { ...company.address, city: 'Bergen' },
    });
    const { outcome, requests } = await w.send(event);
    cost['unchanged'] = describeRequests(requests);

    expect(outcome.data).toMatchObject({ customerId: 'c-create', action: 'unchanged' });
    expect(requests).toEqual([]);
    expect(await w.mapping('c-create')).toMatchObject({ last_version: 3 });
  });

  it('an older version changes nothing (outcome unchanged, no request)', async () => {
    const before = (await w.poCustomers()).find(
      (c) => c.ExternalImportReference === customerImportReference(w.tenantId, 'c-create'),
    )!;
    const event = w.customerChanged({ customerId: 'c-create', ...company, version: 2, phone: '+47 00 00 00 00' });
    const { outcome, requests } = await w.send(event);
    cost['older version'] = describeRequests(requests);

    expect(outcome.data).toMatchObject({
      customerId: 'c-create',
      action: 'unchanged',
      powerOffice: { customerId: before.Id },
    });
    expect(requests).toEqual([]);
    expect((await w.poCustomers()).find((c) => c.Id === before.Id)).toMatchObject({ PhoneNumber: '+47 22 99 99 99' });
    expect(await w.mapping('c-create')).toMatchObject({ last_version: 3 });
  });

  it('active: false archives the customer in PowerOffice: one PATCH, outcome archived', async () => {
    const event = w.customerChanged({
      customerId: 'c-create',
      ...company,
      phone: '+47 22 99 99 99',
      address: { ...company.address, city: 'Bergen' },
      active: false,
    });
    const { outcome, requests } = await w.send(event);
    cost['archive'] = describeRequests(requests);

    expect(outcome.data).toMatchObject({ customerId: 'c-create', action: 'archived' });
    expect(requests.map((r) => r.method)).toEqual(['PATCH']);
    const archived = (await w.poCustomers()).find(
      (c) => c.ExternalImportReference === customerImportReference(w.tenantId, 'c-create'),
    )!;
    expect(archived).toMatchObject({ IsArchived: true, PhoneNumber: '+47 22 99 99 99' });
    expect(await w.mapping('c-create')).toMatchObject({ state: 'archived', last_version: 4 });
  });

  it('a person without organisation number or customer number: exactly one POST', async () => {
    const event = w.customerChanged({
      customerId: 'c-person',
      isPerson: true,
      name: undefined,
      firstName: 'Kari',
      lastName: 'Nordmann',
      email: 'kari@example.no',
    });
    const { outcome, requests } = await w.send(event);
    cost['create (person, nothing to link by)'] = describeRequests(requests);

    expect(outcome.data).toMatchObject({ customerId: 'c-person', action: 'created' });
    expect(requests.map((r) => r.method)).toEqual(['POST']);
    const person = (await w.poCustomers()).find(
      (c) => c.Id === (outcome.data.powerOffice as { customerId: number }).customerId,
    );
    expect(person).toMatchObject({
      IsPerson: true,
      FirstName: 'Kari',
      LastName: 'Nordmann',
      Name: 'Kari Nordmann',
      EmailAddress: 'kari@example.no',
    });
  });

  it('a customer number inside a series is used as given', async () => {
    const event = w.customerChanged({ customerId: 'c-numbered', name: 'Numbered AS', customerNumber: 15555 });
    const { outcome, requests } = await w.send(event);
    cost['create (with a customer number: lookup by number, then POST)'] = describeRequests(requests);

    expect(outcome.data).toMatchObject({
      customerId: 'c-numbered',
      action: 'created',
      powerOffice: { customerNumber: 15555 },
    });
    expect(writes(requests).map((r) => r.method)).toEqual(['POST']);
    expect((await w.poCustomers()).filter((c) => c.Number === 15555)).toHaveLength(1);
  });

  it('a customer number outside every series fails with NUMBER_OUT_OF_SERIES naming the valid ranges, without a request', async () => {
    const event = w.customerChanged({ customerId: 'c-out-of-series', name: 'Outside AS', customerNumber: 5 });
    const { outcome, requests } = await w.send(event);

    expect(outcome).toMatchObject({
      type: 'CustomerSyncFailed',
      data: { customerId: 'c-out-of-series', error: { code: 'NUMBER_OUT_OF_SERIES', retryable: false } },
    });
    const error = outcome.data.error as { message: string; details: unknown };
    expect(error.message).toContain('Customer number 5');
    expect(error.message).toContain('10000–19999 (Kunder)');
    expect(error.details).toEqual({ customerNumber: 5, series: [{ from: 10000, to: 19999, name: 'Kunder' }] });
    expect(requests).toEqual([]);
    expect(await w.mapping('c-out-of-series')).toMatchObject({
      state: 'failed',
      last_error_code: 'NUMBER_OUT_OF_SERIES',
      po_customer_id: null,
    });
    const [status] = await w.db.query(
      `SELECT * FROM customer_sync.status_view WHERE tenant_id = $1 AND customer_id = $2`,
      [w.tenantId, 'c-out-of-series'],
    );
    expect(status).toMatchObject({ state: 'failed', error_code: 'NUMBER_OUT_OF_SERIES', po_customer_id: null });
    expect(status.error_message).toContain('10000–19999');
  });

  it('a customer number another POS customer already has is refused by PowerOffice; the failure carries its words', async () => {
    // 15555 belongs to c-numbered (mapped above), so it is not linked: the create is tried and refused.
    const event = w.customerChanged({ customerId: 'c-number-taken', name: 'Taken AS', customerNumber: 15555 });
    const { outcome, requests } = await w.send(event);

    expect(outcome).toMatchObject({
      type: 'CustomerSyncFailed',
      data: {
        customerId: 'c-number-taken',
        error: { code: 'POWEROFFICE_REJECTED', retryable: false, powerOffice: { status: 400 } },
      },
    });
    const error = outcome.data.error as { message: string; powerOffice: { title: string; detail: string } };
    expect(error.powerOffice.detail).toMatch(/Customer number 15555 is already in use/);
    expect(error.message).toContain(error.powerOffice.detail);
    expect(requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'POST 400']);
    expect(await w.mapping('c-number-taken')).toMatchObject({
      state: 'failed',
      last_error_code: 'POWEROFFICE_REJECTED',
    });
    expect((await w.poCustomers()).filter((c) => c.Number === 15555)).toHaveLength(1);
  });

  it('links a customer that already exists in PowerOffice with the same organisation number instead of duplicating it', async () => {
    const existing = await w.world.accountant.customers.create({
      name: 'Bakeriet AS',
      organizationNumber: '922222222',
      emailAddress: 'old@bakeriet.example',
    });
    const event = w.customerChanged({
      customerId: 'c-link-org',
      name: 'Bakeriet AS',
      organizationNumber: '922222222',
      email: 'post@bakeriet.example',
    });
    const { outcome, requests } = await w.send(event);
    cost['link by organisation number (e-mail differs)'] = describeRequests(requests);

    expect(outcome.data).toMatchObject({
      customerId: 'c-link-org',
      action: 'updated',
      powerOffice: { customerId: existing.id, customerNumber: existing.number },
    });
    expect(writes(requests).map((r) => r.method)).toEqual(['PATCH']);
    const sameOrg = (await w.poCustomers()).filter((c) => c.OrganizationNumber === '922222222');
    expect(sameOrg).toHaveLength(1);
    expect(sameOrg[0]).toMatchObject({ Id: existing.id, EmailAddress: 'post@bakeriet.example' });
    expect(await w.mapping('c-link-org')).toMatchObject({ state: 'synced', po_customer_id: String(existing.id) });
  });

  it('links a customer that already exists in PowerOffice with the same customer number', async () => {
    const existing = await w.world.accountant.customers.create({ name: 'Nummer AS', number: 17777 });
    const event = w.customerChanged({ customerId: 'c-link-number', name: 'Nummer AS', customerNumber: 17777 });
    const { outcome, requests } = await w.send(event);
    cost['link by customer number (nothing differs)'] = describeRequests(requests);

    expect(outcome.data).toMatchObject({
      customerId: 'c-link-number',
      action: 'unchanged',
      powerOffice: { customerId: existing.id, customerNumber: 17777 },
    });
    expect(writes(requests)).toEqual([]);
    expect((await w.poCustomers()).filter((c) => c.Number === 17777)).toHaveLength(1);
    expect(await w.mapping('c-link-number')).toMatchObject({ state: 'synced', po_customer_id: String(existing.id) });
  });

  it('a PowerOffice customer mapped to another POS customer is not linked again (two shops of one company stay two customers)', async () => {
    const event = w.customerChanged({
      customerId: 'c-link-org-2',
      name: 'Bakeriet AS avd. 2',
      organizationNumber: '922222222',
    });
    const { outcome } = await w.send(event);
    expect(outcome.data).toMatchObject({ customerId: 'c-link-org-2', action: 'created' });
    expect((await w.poCustomers()).filter((c) => c.OrganizationNumber === '922222222')).toHaveLength(2);
  });

  it('the same event delivered twice makes one customer and one outcome', async () => {
    const event = w.customerChanged({ customerId: 'c-twice', name: 'Twice AS' });
    const later = w.customerChanged({ customerId: 'c-twice', name: 'Twice AS', phone: '+47 11 11 11 11' });
    await w.produce(event, event, later);
    // The later event follows on the same partition: once it is answered, both deliveries of the first are.
    await w.outcomes.waitForCause(later.id);

    expect(w.outcomes.causedBy(event.id)).toHaveLength(1);
    expect(w.outcomes.causedBy(event.id)[0].data).toMatchObject({ action: 'created' });
    expect(w.outcomes.causedBy(later.id)[0].data).toMatchObject({ action: 'updated' });
    const ours = (await w.poCustomers()).filter(
      (c) => c.ExternalImportReference === customerImportReference(w.tenantId, 'c-twice'),
    );
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ PhoneNumber: '+47 11 11 11 11' });
  });

  it('after a crash between the POST and the commit, the next delivery finds the customer by its reference instead of creating it again', async () => {
    // The state such a crash leaves: the customer exists in PowerOffice with our reference, the row says a create was started.
    const reference = customerImportReference(w.tenantId, 'c-crashed');
    const created = await w.world.accountant.customers.create({ name: 'Crash AS', externalImportReference: reference });
    await w.db.query(
      `INSERT INTO customer_sync.customers (tenant_id, customer_id, state, create_started_at) VALUES ($1, 'c-crashed', 'pending', now())`,
      [w.tenantId],
    );
    const event = w.customerChanged({ customerId: 'c-crashed', name: 'Crash AS', email: 'post@crash.example' });
    const { outcome, requests } = await w.send(event);
    cost['redelivery after a crash between POST and commit'] = describeRequests(requests);

    expect(outcome.data).toMatchObject({
      customerId: 'c-crashed',
      action: 'created',
      powerOffice: { customerId: created.id },
    });
    expect(writes(requests).map((r) => r.method)).toEqual(['PATCH']);
    const ours = (await w.poCustomers()).filter((c) => c.ExternalImportReference === reference);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ EmailAddress: 'post@crash.example' });
    expect(await w.mapping('c-crashed')).toMatchObject({ state: 'synced', create_started_at: null });
  });

  it('while a new customer is being created the invoice flow sees it as pending', async () => {
    // Slow PowerOffice down so the row can be seen before the answer.
    await w.world.emulator.admin.setFaults({ latencyMs: 1500, clientKey: w.world.clientKey });
    try {
      const event = w.customerChanged({ customerId: 'c-pending', name: 'Pending AS' });
      await w.produce(event);
      const seen = await waitFor(() => w.mapping('c-pending'), 'the pending row');
      expect(seen).toMatchObject({ state: 'pending', po_customer_id: null });
      await w.outcomes.waitForCause(event.id);
      expect(await w.mapping('c-pending')).toMatchObject({ state: 'synced' });
    } finally {
      await w.world.emulator.admin.clearFaults();
    }
  });
});
