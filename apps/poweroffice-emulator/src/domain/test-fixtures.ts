// Small named stubs for the domain unit tests (not used by the emulator itself).
import { GoClient, IdSequence } from './go-client';
import { patchDtoSpec, PatchDtoSpec } from './json-patch';
import { AUTH_ROLES } from './privileges';
import { Clock } from './time';
import { LineInput } from './vouchers';

export const NOW = Date.UTC(2026, 2, 10, 9, 0, 0);

export function ns4102Client(options: { lockDate?: string | null; clock?: Clock } = {}): GoClient {
  return new GoClient(
    { ids: new IdSequence(), clock: options.clock ?? new Clock(() => NOW) },
    {
      name: 'Kaffebaren AS',
      organizationNumber: '999888777',
      preset: 'ns4102',
      privileges: AUTH_ROLES,
      allowSendInvoice: true,
      lockDate: options.lockDate ?? null,
    },
  );
}

export function accountId(client: GoClient, accountNo: number): number {
  const account = client.accountsByNo.get(accountNo);
  if (!account) throw new Error(`no account ${accountNo}`);
  return account.id;
}

export function vatId(client: GoClient, code: string): number {
  const vat = client.vatCodesByCode.get(code);
  if (!vat) throw new Error(`no VAT code ${code}`);
  return vat.id;
}

/** A cash-journal line: gross øre on an account number with a VAT code. */
export function line(
  client: GoClient,
  accountNo: number,
  gross: number,
  vatCode = '0',
  extra: Partial<LineInput> = {},
): LineInput {
  return {
    accountId: accountId(client, accountNo),
    postingDate: '2026-03-09',
    vatId: vatId(client, vatCode),
    currencyAmount: gross,
    currencyCode: null,
    currencyExchangeRate: null,
    departmentId: null,
    projectId: null,
    productId: null,
    quantity: null,
    description: null,
    echo: {},
    ...extra,
  };
}

const address = patchDtoSpec('ContactAddressPatchDto', [
  { name: 'City', nullable: true, type: { kind: 'string' } },
  { name: 'ZipCode', nullable: true, type: { kind: 'string' } },
  { name: 'AddressLine1', nullable: true, type: { kind: 'string' } },
]);

/** A cut-down CustomerPatchDto (the real one is built from patch-dto-fields-v2.json). */
export const CUSTOMER_PATCH: PatchDtoSpec = patchDtoSpec('CustomerPatchDto', [
  { name: 'Name', nullable: true, type: { kind: 'string' } },
  { name: 'Number', nullable: true, type: { kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER } },
  { name: 'IsArchived', nullable: true, type: { kind: 'boolean' } },
  { name: 'ExternalImportReference', nullable: true, type: { kind: 'string' } },
  { name: 'EmailAddress', nullable: true, type: { kind: 'string' } },
  { name: 'ContactGroupIds', nullable: true, type: { kind: 'integerArray' } },
  {
    name: 'InvoiceDeliveryType',
    nullable: false,
    type: { kind: 'enum', name: 'InvoiceDeliveryType', values: ['PdfByEmail', 'Print', 'EHF'] },
  },
  { name: 'MailAddress', nullable: true, type: { kind: 'object', spec: address } },
]);
