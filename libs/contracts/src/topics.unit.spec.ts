import {
  EVENT_TOPIC_KEYS,
  EVENT_TYPE_NAMES,
  POS_EVENT_TYPES,
  POS_EVENT_TYPE_NAMES,
  TOPICS,
  dlqTopic,
  entityFieldsFromEntityId,
  entityIdOf,
  failureOutcomeTypeFor,
  invoicePostedExample,
  outcomeTopicKeyFor,
  powerOfficeCustomerChangedExample,
  topicKeyOf,
  topicName,
  zReportExample82,
} from './index';

describe('topics', () => {
  it('uses the base names of contracts.md', () => {
    expect(TOPICS).toEqual({
      customerChanged: 'pos.customer-changed.v1',
      articleChanged: 'pos.article-changed.v1',
      zReportClosed: 'pos.z-report-closed.v1',
      invoicePosted: 'pos.invoice-posted.v1',
      powerOfficeCustomerChanged: 'poweroffice.customer-changed.v1',
      customerSyncOutcomes: 'integration.customer-sync.outcomes.v1',
      articleSyncOutcomes: 'integration.article-sync.outcomes.v1',
      settlementOutcomes: 'integration.settlement.outcomes.v1',
      invoiceOutcomes: 'integration.invoice.outcomes.v1',
    });
  });

  it('prefixes names and puts dead letters beside their topic', () => {
    expect(topicName('zReportClosed')).toBe('pos.z-report-closed.v1');
    expect(topicName('zReportClosed', 'run42.')).toBe('run42.pos.z-report-closed.v1');
    expect(dlqTopic(topicName('invoicePosted', 'run42.'))).toBe('run42.pos.invoice-posted.v1.dlq');
  });

  it('routes every event type to a topic, outcomes to the outcome topic of their cause', () => {
    expect(Object.keys(EVENT_TOPIC_KEYS).sort()).toEqual([...EVENT_TYPE_NAMES].sort());
    for (const type of POS_EVENT_TYPE_NAMES) {
      const route = POS_EVENT_TYPES[type];
      expect(topicKeyOf(type)).toBe(route.topicKey);
      for (const outcome of [...route.successTypes, route.failureType])
        expect(topicKeyOf(outcome)).toBe(route.outcomeTopicKey);
    }
  });
});

describe('POS event table', () => {
  it('names the failure outcome of each POS event', () => {
    expect(failureOutcomeTypeFor('CustomerChanged')).toBe('CustomerSyncFailed');
    expect(failureOutcomeTypeFor('ArticleChanged')).toBe('ArticleSyncFailed');
    expect(failureOutcomeTypeFor('ZReportClosed')).toBe('SettlementFailed');
    expect(failureOutcomeTypeFor('InvoicePosted')).toBe('InvoiceRejected');
    expect(failureOutcomeTypeFor('CustomerSynced')).toBeUndefined();
    expect(failureOutcomeTypeFor('toString')).toBeUndefined();
  });

  it('names the outcome topic of each POS event', () => {
    expect(outcomeTopicKeyFor('CustomerChanged')).toBe('customerSyncOutcomes');
    expect(outcomeTopicKeyFor('ArticleChanged')).toBe('articleSyncOutcomes');
    expect(outcomeTopicKeyFor('ZReportClosed')).toBe('settlementOutcomes');
    expect(outcomeTopicKeyFor('InvoicePosted')).toBe('invoiceOutcomes');
    expect(outcomeTopicKeyFor('PowerOfficeCustomerChanged')).toBeUndefined();
  });

  it('lists the success outcomes of each POS event', () => {
    expect(POS_EVENT_TYPES.ZReportClosed.successTypes).toEqual(['SettlementScheduled', 'SettlementPosted']);
    expect(POS_EVENT_TYPES.InvoicePosted.successTypes).toEqual(['InvoiceTransferred']);
  });

  it('reads the key entity of each POS event', () => {
    expect(POS_EVENT_TYPES.ZReportClosed.entityId(zReportExample82)).toBe('reg1:42');
    expect(POS_EVENT_TYPES.InvoicePosted.entityId(invoicePostedExample)).toBe('inv-5001');
  });
});

describe('entityIdOf', () => {
  it('reads the key entity of every kind of event', () => {
    expect(entityIdOf('CustomerChanged', { customerId: 'c-1' })).toBe('c-1');
    expect(entityIdOf('CustomerSyncFailed', { customerId: 'c-1' })).toBe('c-1');
    expect(entityIdOf('ArticleSynced', { articleId: 'a-1' })).toBe('a-1');
    expect(entityIdOf('SettlementPosted', { registerId: 'reg1', zNumber: 42 })).toBe('reg1:42');
    expect(entityIdOf('InvoiceRejected', { invoiceId: 'inv-1' })).toBe('inv-1');
    expect(entityIdOf('PowerOfficeCustomerChanged', powerOfficeCustomerChangedExample)).toBe('7340012');
  });

  it('is undefined for unreadable data or an unknown type', () => {
    expect(entityIdOf('ZReportClosed', { registerId: 'reg1', zNumber: '42' })).toBeUndefined();
    expect(entityIdOf('CustomerChanged', { customerId: 5 })).toBeUndefined();
    expect(entityIdOf('CustomerChanged', null)).toBeUndefined();
    expect(entityIdOf('Nope', { customerId: 'c-1' })).toBeUndefined();
  });
});

describe('entityFieldsFromEntityId', () => {
  it('splits a Z-report entity on its last colon', () => {
    expect(entityFieldsFromEntityId('SettlementFailed', 'shop:7:42')).toEqual({ registerId: 'shop:7', zNumber: 42 });
  });

  it.each(['reg1', 'reg1:', ':42', 'reg1:0', 'reg1:4.2', 'reg1:99999999999999999'])(
    'cannot read the Z-report entity %j',
    (entity) => {
      expect(entityFieldsFromEntityId('ZReportClosed', entity)).toBeUndefined();
    },
  );

  it('names the id field of the other entities', () => {
    expect(entityFieldsFromEntityId('CustomerChanged', 'c:1')).toEqual({ customerId: 'c:1' });
    expect(entityFieldsFromEntityId('ArticleSyncFailed', 'a-1')).toEqual({ articleId: 'a-1' });
    expect(entityFieldsFromEntityId('InvoicePosted', 'inv-1')).toEqual({ invoiceId: 'inv-1' });
    expect(entityFieldsFromEntityId('PowerOfficeCustomerChanged', '7340012')).toBeUndefined();
  });
});
