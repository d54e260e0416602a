import { VatCode } from '../domain/chart';
import {
  Customer,
  Department,
  GlAccount,
  GoClient,
  LedgerEntry,
  NumberSeries,
  OutgoingInvoice,
  Product,
  ProductGroup,
  SalesOrder,
  Voucher,
} from '../domain/go-client';
import { toNok } from '../domain/money';
import { numericInvoiceNo } from '../domain/reports';
import { formatDateTimeOffset as at } from '../domain/time';
import { RequestSchemas } from '../openapi/request-schemas';

type Dto = Record<string, unknown>;

const nok = (ore: number | null): number | null => (ore === null ? null : toNok(ore));

/**
 * Domain records → PowerOffice response DTOs: PascalCase, decimal NOK, 7-digit timestamps, and every
 * property of the DTO present (null when unset), as Go serialises them.
 */
export class Wire {
  constructor(private readonly schemas: RequestSchemas) {}

  keys(dtoName: string): string[] {
    return Object.keys(this.schemas.template(dtoName));
  }

  /** Only the DTO's own properties, in its order, missing ones as null. */
  private shape(dtoName: string, values: Dto): Dto {
    const out: Dto = {};
    for (const k in this.schemas.template(dtoName)) out[k] = values[k] ?? null;
    return out;
  }

  customer(client: GoClient, c: Customer): Dto {
    const department = c.fields.DepartmentId === null ? undefined : client.departments.get(c.fields.DepartmentId);
    return this.shape('CustomerDto', {
      ...c.fields,
      Id: c.id,
      SubledgerAccountId: c.subledgerAccountId,
      DepartmentCode: department?.fields.Code ?? null,
      IsActive: !c.fields.IsArchived,
      CustomerCreatedDateTimeOffset: at(c.createdAt),
      ContactCreatedDateTimeOffset: at(c.contactCreatedAt),
      LastChangedDateTimeOffset: at(c.lastChangedAt),
      MailAddress: c.address
        ? this.shape('ContactAddressDto', {
            ...c.address.fields,
            Id: c.address.id,
            LastChangedDateTimeOffset: at(c.address.lastChangedAt),
          })
        : null,
    });
  }

  product(client: GoClient, p: Product): Dto {
    const group = p.fields.ProductGroupId === null ? undefined : client.productGroups.get(p.fields.ProductGroupId);
    const stock = typeof p.fields['StockOnHand'] === 'number' ? p.fields['StockOnHand'] : null;
    return this.shape('ProductDto', {
      ...p.fields,
      Id: p.id,
      UnitPrice: nok(p.unitPrice),
      UnitCost: nok(p.unitCost),
      StandardSalesAccount: accountNo(client, p.fields.StandardSalesAccountId),
      OptionalSalesAccount: accountNo(client, p.fields.OptionalSalesAccountId),
      ProductGroupCode: group?.fields.Code ?? null,
      StockAvailable: stock,
      CreatedDateTimeOffset: at(p.createdAt),
      LastChangedDateTimeOffset: at(p.lastChangedAt),
    });
  }

  productGroup(client: GoClient, g: ProductGroup): Dto {
    return this.shape('ProductGroupDto', {
      ...g.fields,
      Id: g.id,
      UnitPrice: nok(g.unitPrice),
      UnitCost: nok(g.unitCost),
      StandardSalesAccount: accountNo(client, g.fields.StandardSalesAccountId),
      OptionalSalesAccount: accountNo(client, g.fields.OptionalSalesAccountId),
      CreatedDateTimeOffset: at(g.createdAt),
      LastChangedDateTimeOffset: at(g.lastChangedAt),
    });
  }

  department(d: Department): Dto {
    return this.shape('DepartmentDto', {
      ...d.fields,
      Id: d.id,
      CreatedDateTimeOffset: at(d.createdAt),
      LastChangedDateTimeOffset: at(d.lastChangedAt),
    });
  }

  account(client: GoClient, a: GlAccount): Dto {
    const department = a.fields.DepartmentId === null ? undefined : client.departments.get(a.fields.DepartmentId);
    return this.shape('GeneralLedgerAccountDto', {
      ...a.fields,
      Id: a.id,
      VatCode: a.fields.VatCodeId === null ? null : (client.vatCodes.get(a.fields.VatCodeId)?.code ?? null),
      DepartmentCode: department?.fields.Code ?? null,
      LastChangedDateTimeOffset: at(a.lastChangedAt),
    });
  }

  vatCode(v: VatCode): Dto {
    return this.shape('VatCodeDto', {
      Id: v.id,
      Code: v.code,
      Name: v.name,
      Description: v.name,
      Rate: v.rate / 10_000,
      IsActive: v.isActive,
      IsCustom: false,
      ValidFrom: v.validFrom,
    });
  }

  series(s: NumberSeries): Dto {
    return this.shape('SubLedgerNumberSeriesDto', {
      Id: s.id,
      Name: s.name,
      SubLedgerNumberSeriesType: s.type,
      FromInclusive: s.from,
      ToInclusive: s.to,
      GeneralLedgerAccountNo: s.accountNo,
      GeneralLedgerAccountId: s.accountId,
      IsDefault: s.isDefault,
      IsClientTrust: false,
    });
  }

  /** CashVoucherDto / ManualVoucherDto: the request echoed with the ids Go assigned. */
  journalVoucher(v: Voucher, dtoName: 'CashVoucherDto' | 'ManualVoucherDto'): Dto {
    const lineDto = dtoName === 'CashVoucherDto' ? 'CashVoucherLineDto' : 'ManualVoucherLineDto';
    return this.shape(dtoName, {
      ...v.echo,
      Id: v.id,
      VoucherNo: v.voucherNo,
      VoucherDate: v.voucherDate,
      CurrencyCode: v.currencyCode,
      Description: v.description,
      ExternalImportReference: v.externalImportReference,
      ImportedVoucherNo: v.importedVoucherNo,
      IsReversed: v.isReversed,
      CreatedDateTimeOffset: at(v.createdAt),
      VoucherLines: v.lines.map((l) =>
        this.shape(lineDto, {
          ...l.echo,
          Id: l.id,
          AccountId: l.accountId,
          PostingDate: l.postingDate,
          VatId: l.vatId,
          CurrencyAmount: toNok(l.currencyAmount),
          CurrencyCode: l.currencyCode,
          CreatedDateTimeOffset: at(v.createdAt),
        }),
      ),
    });
  }

  outgoingInvoiceVoucher(v: Voucher): Dto {
    const inv = v.invoice!;
    return this.shape('OutgoingInvoiceVoucherDto', {
      ...v.echo,
      Id: v.id,
      VoucherNo: v.voucherNo,
      VoucherDate: v.voucherDate,
      InvoiceNo: inv.invoiceNo,
      DueDate: inv.dueDate,
      CurrencyCode: v.currencyCode,
      CurrencyAmount: toNok(v.lines.reduce((s, l) => s + l.currencyAmount, 0)),
      ExternalImportReference: v.externalImportReference,
      ImportedVoucherNo: v.importedVoucherNo,
      IsReversed: v.isReversed,
      CreatedDateTimeOffset: at(v.createdAt),
      OutgoingInvoiceLines: v.lines.map((l) =>
        this.shape('OutgoingInvoiceVoucherLineDto', {
          ...l.echo,
          AccountId: l.accountId,
          VatId: l.vatId,
          CurrencyAmount: toNok(l.currencyAmount),
        }),
      ),
    });
  }

  salesOrder(client: GoClient, o: SalesOrder): Dto {
    const customer = client.customers.get(o.customerId);
    const code = (id: number | null): string | null =>
      id === null ? null : (client.departments.get(id)?.fields.Code ?? null);
    return this.shape('SalesOrderCompleteDto', {
      ...o.echo,
      Id: o.id,
      SalesOrderNo: o.salesOrderNo,
      CustomerId: o.customerId,
      CustomerNo: customer?.fields.Number ?? null,
      SalesOrderStatus: o.status,
      SalesOrderDate: o.salesOrderDate,
      CurrencyCode: o.currencyCode,
      ExternalImportReference: o.externalImportReference,
      DepartmentId: o.departmentId,
      DepartmentCode: code(o.departmentId),
      NetAmount: toNok(o.netAmount),
      TotalAmount: toNok(o.totalAmount),
      LineCount: o.lines.length,
      IsCreatedByCurrentIntegration: true,
      CreatedDateTimeOffset: at(o.createdAt),
      LastChangedDateTimeOffset: at(o.lastChangedAt),
      SalesOrderLines: o.lines.map((l) =>
        this.shape('SalesOrderLineDto', {
          ...l.echo,
          Id: l.id,
          SalesOrderId: o.id,
          LineType: l.lineType,
          ProductId: l.productId,
          ProductCode: l.productId === null ? null : (client.products.get(l.productId)?.fields.Code ?? null),
          Description: l.description,
          Quantity: l.quantity,
          ProductUnitPrice: nok(l.unitPrice),
          Allowance: l.allowance,
          NetAmount: toNok(l.net),
          VatAmount: toNok(l.vat),
          TotalAmount: toNok(l.net + l.vat),
          VatId: l.vatId,
          VatCode: l.vatCode,
          VatRate: l.vatRate,
          DepartmentId: l.departmentId,
          DepartmentCode: code(l.departmentId),
        }),
      ),
    });
  }

  /** InvoiceSentStateDto; while Go is still processing the send, only the flag is set. */
  sentState(o: SalesOrder, nowMs: number): Dto | null {
    const d = o.dispatch;
    if (!d) return null;
    if (nowMs < d.readyAtMs) return this.shape('InvoiceSentStateDto', { Id: o.id, IsInvoiceBeingProcessed: true });
    return this.shape('InvoiceSentStateDto', {
      Id: o.id,
      InvoiceNo: d.invoiceNo,
      DueDate: d.dueDate,
      InvoiceDeliveryType: d.deliveryType === 'PdfPrintForDownload' ? 'Print' : 'PdfByEmail',
      IsInvoiceBeingProcessed: false,
      SentDateTimeOffset: d.sentAt === null ? null : at(d.sentAt),
      LastErrorMessage: d.lastErrorMessage,
    });
  }

  transaction(client: GoClient, e: LedgerEntry): Dto {
    const department = e.departmentId === null ? undefined : client.departments.get(e.departmentId);
    const product = e.productId === null ? undefined : client.products.get(e.productId);
    const customer = e.customerId === null ? undefined : client.customers.get(e.customerId);
    return this.shape('AccountTransactionDto', {
      Id: e.id,
      AccountId: e.accountId,
      AccountNo: e.accountNo,
      Amount: toNok(e.amount),
      CurrencyAmount: toNok(e.currencyAmount),
      CurrencyCode: e.currencyCode,
      VatAmount: toNok(e.vatAmount),
      VatCode: e.vatCode,
      VatId: e.vatId,
      VatRate: e.vatRate,
      VatReturnSpecification: 'None',
      AgricultureDepartment: 'None',
      VoucherId: e.voucherId,
      VoucherNo: e.voucherNo,
      VoucherType: e.voucherType,
      VoucherDate: e.voucherDate,
      VoucherDescription: e.voucherDescription,
      PostingDate: e.postingDate,
      DepartmentId: e.departmentId,
      DepartmentCode: department?.fields.Code ?? null,
      ProjectId: e.projectId,
      ProductId: e.productId,
      ProductCode: product?.fields.Code ?? null,
      ContactId: e.customerId,
      CustomerAccountNo: customer?.fields.Number ?? null,
      Quantity: e.quantity,
      Description: e.description,
      ExternalImportReference: e.externalImportReference,
      ImportedVoucherNo: e.importedVoucherNo,
      IsReversed: e.isReversed,
      ReversedVoucherId: e.reversedVoucherId,
      ReversedVoucherNo: e.reversedVoucherNo,
      CreatedDateTimeOffset: at(e.createdAt),
      LastChangedDateTimeOffset: at(e.lastChangedAt),
    });
  }

  outgoingInvoice(client: GoClient, inv: OutgoingInvoice): Dto {
    const customer = client.customers.get(inv.customerId);
    const department = inv.departmentId === null ? undefined : client.departments.get(inv.departmentId);
    return this.shape('OutgoingInvoiceDto', {
      Id: inv.id,
      InvoiceNo: numericInvoiceNo(inv),
      VoucherNo: inv.voucherNo,
      VoucherType: inv.voucherType,
      VoucherDate: inv.voucherDate,
      DueDate: inv.dueDate,
      CustomerId: inv.customerId,
      CustomerNo: customer?.fields.Number ?? null,
      Cid: inv.cid,
      CurrencyCode: inv.currencyCode,
      NetAmount: toNok(inv.netAmount),
      TotalAmount: toNok(inv.totalAmount),
      NetPostedAmount: toNok(inv.isReversed ? 0 : inv.netAmount),
      TotalPostedAmount: toNok(inv.isReversed ? 0 : inv.totalAmount),
      Balance: toNok(inv.balance),
      BalanceLastChangedDateTimeOffset: at(inv.lastChangedAt),
      IsReversed: inv.isReversed,
      IsCreatedByCurrentIntegration: true,
      SentDateTimeOffset: inv.sentAt === null ? null : at(inv.sentAt),
      ExternalImportReference: inv.externalImportReference,
      DepartmentId: inv.departmentId,
      DepartmentCode: department?.fields.Code ?? null,
      CustomerReference: inv.customerReference,
      PurchaseOrderReference: inv.purchaseOrderReference,
      CustomMatchingReference: inv.customMatchingReference,
      OrderNo: inv.orderNo,
      OrderDate: inv.orderDate,
      InvoiceDeliveryType: inv.invoiceDeliveryType,
      CreatedDateTimeOffset: at(inv.createdAt),
      LastChangedDateTimeOffset: at(inv.lastChangedAt),
    });
  }
}

function accountNo(client: GoClient, id: number | null): number | null {
  return id === null ? null : (client.accounts.get(id)?.fields.AccountNo ?? null);
}
