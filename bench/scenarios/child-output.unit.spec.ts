import { parseArticleLoadOutput } from './article-load';
import { parseInvoiceLatencyOutput } from './invoice-latency';
import { parseNightlyOutput } from './nightly';

// What the colleagues' benchmark scripts print, as captured from real runs.
const NIGHTLY = `set-up: 30 tenants onboarded in 0.6 s
{"time":"2026-11-28T02:16:48.487Z","level":"warn","app":"settlement","msg":"kafkajs: …"}
set-up: 30 Z-reports received and scheduled for 02:00 in 0.3 s

nightly settlement: 30 tenants, API budget 10 req/s, 4 postings in flight
  posted                  30 (failed 0, retrying 0); rows posted 30
  vouchers in PowerOffice 30; tenants with exactly one 29
  API requests            60 (2.00 per tenant: token + voucher), 429 answers 2
  busiest second          10 requests (any 1 s window of the night)
  time to post all        6.4 s
  floor (requests ÷ rate) 6.0 s
  time / floor            1.071  (the budget leaves 8 % headroom, so ≈ 1.087 is the best it can do)
  throughput              4.67 settlements/s
`;

const INVOICE = `[bench] saturated: 30 invoices at 5/s
Invoice latency: InvoicePosted produced → outcome consumed (voucher mode, customers: sync)
emulator latency 80 ms × 1 call(s) per invoice = floor 80 ms; API budget 10 req/s; invoices offered at 5/s

scenario     n      p50    p95    p99    max   mean  (ms)  p50−floor  outcomes
idle          30     98    111    112    112     99            18   {"InvoiceTransferred":30}
saturated     30    349    484    614    614    337           269   {"InvoiceTransferred":29,"InvoiceRejected":1}

idle: 6 s; API calls by lane: invoice 5.08/s (budget wait avg 1 ms, p95 2 ms; call avg 83 ms); 429s from PowerOffice: 0
saturated: 6 s; API calls by lane: article 4.92/s (budget wait avg 1191 ms); invoice 4.76/s (…); 429s from PowerOffice: 3
`;

const ARTICLES = `article-bulk-load: 100 articles, rate 10/s (emulator and client), 3 partitions
{
  "articles": 100,
  "elapsedSeconds": 10.8,
  "floorSeconds": 10,
  "elapsedOverFloor": 1.083,
  "requestsByKind": {
    "POST /Products": 100
  },
  "rateLimited429": 0,
  "products": 100
}
article-bulk-load: OK
`;

describe("reading the other benchmark scripts' printouts", () => {
  it('reads every figure of bench/nightly-settlement.ts', () => {
    expect(parseNightlyOutput(NIGHTLY)).toEqual({
      onboardSeconds: 0.6,
      intakeSeconds: 0.3,
      posted: 30,
      failed: 0,
      retrying: 0,
      vouchers: 30,
      tenantsWithOneVoucher: 29,
      requests: 60,
      rateLimited: 2,
      busiestSecond: 10,
      seconds: 6.4,
      floorSeconds: 6,
      overFloor: 1.071,
      perSecond: 4.67,
      headroomPercent: 8,
      bestOverFloor: 1.087,
    });
  });

  it('leaves a figure the nightly script did not print empty instead of guessing', () => {
    expect(parseNightlyOutput('bench failed: Kafka is not reachable').seconds).toBeNull();
  });

  it('reads the latency table and each scenario’s 429s from bench/invoice-latency.ts', () => {
    const { floor, rows } = parseInvoiceLatencyOutput(INVOICE);
    expect(floor).toBe(
      'emulator latency 80 ms × 1 call(s) per invoice = floor 80 ms; API budget 10 req/s; invoices offered at 5/s',
    );
    expect(rows).toEqual([
      {
        scenario: 'idle',
        n: 30,
        p50: 98,
        p95: 111,
        p99: 112,
        max: 112,
        mean: 99,
        outcomes: { InvoiceTransferred: 30 },
        throttled: 0,
      },
      {
        scenario: 'saturated',
        n: 30,
        p50: 349,
        p95: 484,
        p99: 614,
        max: 614,
        mean: 337,
        outcomes: { InvoiceTransferred: 29, InvoiceRejected: 1 },
        throttled: 3,
      },
    ]);
  });

  it('reads the JSON result of bench/article-bulk-load.ts among its log lines', () => {
    expect(parseArticleLoadOutput(ARTICLES)).toMatchObject({
      articles: 100,
      elapsedSeconds: 10.8,
      elapsedOverFloor: 1.083,
      rateLimited429: 0,
      products: 100,
    });
    expect(parseArticleLoadOutput('article-bulk-load failed: boom')).toBeUndefined();
  });
});
