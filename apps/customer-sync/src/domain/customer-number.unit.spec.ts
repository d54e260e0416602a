import { describeSeries, isInSeries, numberOutOfSeriesMessage } from './customer-number';

const ns4102 = [{ from: 10000, to: 19999, name: 'Kunder' }];
const two = [
  { from: 50000, to: 59999, name: 'Storkunder' },
  { from: 10000, to: 19999, name: 'Kunder' },
];

describe('customer numbers and series', () => {
  it.each([
    [10000, ns4102, true],
    [19999, ns4102, true],
    [9999, ns4102, false],
    [20000, ns4102, false],
    [55555, two, true],
    [30000, two, false],
    [10000, [], false],
  ])('%i in %j → %s', (n, series, inside) => {
    expect(isInSeries(n, series)).toBe(inside);
  });

  it.each([
    [ns4102, '10000–19999 (Kunder)'],
    [two, '10000–19999 (Kunder), 50000–59999 (Storkunder)'],
    [[{ from: 1, to: 9 }], '1–9'],
    [[], 'none'],
  ])('describes %j as %s', (series, text) => {
    expect(describeSeries(series)).toBe(text);
  });

  it('the message says which number, which customer, the valid ranges and what to do', () => {
    const message = numberOutOfSeriesMessage(5, 'c-1', 'shop-1', two);
    expect(message).toContain('Customer number 5 of POS customer c-1 (tenant shop-1)');
    expect(message).toContain('valid ranges: 10000–19999 (Kunder), 50000–59999 (Storkunder)');
    expect(message).toMatch(/leave customerNumber out/);
  });
});
