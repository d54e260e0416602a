import { Ore } from '../money';
import { WireShape } from '../wire/codec';
import { ProductType, UnitOfMeasureCode } from './enums';
import { chunkForUrl, commaList, instant } from './query';
import { ListSpec, PatchableResource } from './resource';

/** Fields a product has both when created and when changed (ProductPatchDto). */
export interface ProductChanges {
  /** The product code (≤ 100): the POS article number. */
  code?: string | null;
  name?: string | null;
  description?: string | null;
  gtin?: string | null;
  productType?: ProductType | null;
  productGroupId?: number | null;
  unitOfMeasureCode?: UnitOfMeasureCode | null;
  /** Sales price excl. VAT, øre. */
  unitPrice?: Ore | null;
  unitCost?: Ore | null;
  /** Sales accounts by id; VAT comes from the account, a product has no VAT code. */
  standardSalesAccountId?: number | null;
  optionalSalesAccountId?: number | null;
  isStockItem?: boolean | null;
  stockOnHand?: number | null;
  isArchived?: boolean | null;
}

/** ProductDto. */
export interface Product extends ProductChanges {
  id: number;
  productGroupCode?: string | null;
  /** Read-only account numbers of the sales accounts. */
  standardSalesAccount?: number | null;
  optionalSalesAccount?: number | null;
  stockAvailable?: number | null;
  createdDateTimeOffset?: string;
  lastChangedDateTimeOffset?: string;
  stockOnHandLastChangedDatetimeOffset?: string | null;
}

/** ProductPostDto: `name` is required; sales accounts may be given by number (id wins). */
export interface NewProduct extends ProductChanges {
  name: string;
  productGroupCode?: string | null;
  standardSalesAccount?: number | null;
  optionalSalesAccount?: number | null;
}

export interface ProductFilter {
  /** Product codes. */
  codes?: readonly string[] | string;
  names?: readonly string[] | string;
  productGroupCodes?: readonly string[] | string;
  type?: ProductType;
  isArchived?: boolean;
  createdAfter?: Date | string;
  lastChangedAfter?: Date | string;
}

const PRODUCT_PATCH_FIELDS = [
  'code',
  'description',
  'gtin',
  'isArchived',
  'isStockItem',
  'name',
  'optionalSalesAccountId',
  'productGroupId',
  'productType',
  'standardSalesAccountId',
  'stockOnHand',
  'unitCost',
  'unitOfMeasureCode',
  'unitPrice',
] as const satisfies readonly (keyof ProductChanges)[];

const PRODUCT_SHAPE: WireShape = { money: ['unitPrice', 'unitCost'] };

/** `/Products` (roles Product / Product_Full). Note: POST answers 200, not 201. */
export class Products extends PatchableResource<Product, ProductChanges, ProductFilter> {
  protected readonly list: ListSpec<ProductFilter> = {
    path: '/Products',
    role: 'Product',
    noun: 'products',
    shape: PRODUCT_SHAPE,
    query: (f) => ({
      codes: commaList(f.codes),
      names: commaList(f.names),
      productGroupCodes: commaList(f.productGroupCodes),
      type: f.type,
      isArchived: f.isArchived,
      createdDateTimeOffsetGreaterThan: instant(f.createdAfter),
      lastChangedDateTimeOffsetGreaterThan: instant(f.lastChangedAfter),
    }),
  };
  protected readonly patchable = {
    path: '/Products',
    role: 'Product_Full',
    noun: 'product',
    fields: PRODUCT_PATCH_FIELDS,
    shape: PRODUCT_SHAPE,
  };

  get(id: number): Promise<Product> {
    return this.getOne<Product>(
      { path: '/Products/{id}', params: { id }, subject: `product ${id}`, role: 'Product' },
      PRODUCT_SHAPE,
    );
  }

  /** The products with these codes, in as many calls as keep each URL short enough. */
  async listByCodes(codes: readonly string[]): Promise<Product[]> {
    const found: Product[] = [];
    for (const chunk of chunkForUrl(codes)) found.push(...(await this.listAll({ codes: chunk })));
    return found;
  }

  create(product: NewProduct): Promise<Product> {
    const subject = product.code ? `new product ${product.code}` : 'new product';
    return this.post<Product>({ path: '/Products', subject, role: 'Product_Full' }, product, PRODUCT_SHAPE);
  }
}

/** Fields of a product group when created or changed (ProductGroupPatchDto). */
export interface ProductGroupChanges {
  code?: string | null;
  name?: string | null;
  description?: string | null;
  productType?: ProductType | null;
  unitOfMeasureCode?: UnitOfMeasureCode | null;
  unitPrice?: Ore | null;
  unitCost?: Ore | null;
  /** Products without their own sales accounts inherit the group's. */
  standardSalesAccountId?: number | null;
  optionalSalesAccountId?: number | null;
  isArchived?: boolean | null;
}

/** ProductGroupDto. */
export interface ProductGroup extends ProductGroupChanges {
  id: number;
  standardSalesAccount?: number | null;
  optionalSalesAccount?: number | null;
  createdDateTimeOffset?: string;
  lastChangedDateTimeOffset?: string;
}

/** ProductGroupPostDto. */
export interface NewProductGroup extends ProductGroupChanges {
  standardSalesAccount?: number | null;
  optionalSalesAccount?: number | null;
}

export type ProductGroupFilter = Omit<ProductFilter, 'productGroupCodes'>;

const PRODUCT_GROUP_PATCH_FIELDS = [
  'code',
  'description',
  'isArchived',
  'name',
  'optionalSalesAccountId',
  'productType',
  'standardSalesAccountId',
  'unitCost',
  'unitOfMeasureCode',
  'unitPrice',
] as const satisfies readonly (keyof ProductGroupChanges)[];

/** `/ProductGroups` (roles Product / Product_Full). POST answers 201. */
export class ProductGroups extends PatchableResource<ProductGroup, ProductGroupChanges, ProductGroupFilter> {
  protected readonly list: ListSpec<ProductGroupFilter> = {
    path: '/ProductGroups',
    role: 'Product',
    noun: 'product groups',
    shape: PRODUCT_SHAPE,
    query: (f) => ({
      codes: commaList(f.codes),
      names: commaList(f.names),
      type: f.type,
      isArchived: f.isArchived,
      createdDateTimeOffsetGreaterThan: instant(f.createdAfter),
      lastChangedDateTimeOffsetGreaterThan: instant(f.lastChangedAfter),
    }),
  };
  protected readonly patchable = {
    path: '/ProductGroups',
    role: 'Product_Full',
    noun: 'product group',
    fields: PRODUCT_GROUP_PATCH_FIELDS,
    shape: PRODUCT_SHAPE,
  };

  get(id: number): Promise<ProductGroup> {
    return this.getOne<ProductGroup>(
      { path: '/ProductGroups/{id}', params: { id }, subject: `product group ${id}`, role: 'Product' },
      PRODUCT_SHAPE,
    );
  }

  async listByCodes(codes: readonly string[]): Promise<ProductGroup[]> {
    const found: ProductGroup[] = [];
    for (const chunk of chunkForUrl(codes)) found.push(...(await this.listAll({ codes: chunk })));
    return found;
  }

  create(group: NewProductGroup): Promise<ProductGroup> {
    const subject = group.code ? `new product group ${group.code}` : 'new product group';
    return this.post<ProductGroup>({ path: '/ProductGroups', subject, role: 'Product_Full' }, group, PRODUCT_SHAPE);
  }
}
