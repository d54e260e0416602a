import path from 'node:path';
import { ROOT } from '../../tools/stack';
import { runScript } from '../suite/processes';
import { say, ScenarioResult } from '../suite/scenario';
import { childEnv, SuiteContext } from '../suite/stage';

export interface ArticleLoadSettings {
  articles: number;
}

/** The fields of the JSON object bench/article-bulk-load.ts prints. */
export interface ArticleLoadFigures {
  articles?: number;
  rateLimit?: number;
  elapsedSeconds?: number;
  floorSeconds?: number;
  elapsedOverFloor?: number;
  articlesPerSecond?: number;
  requests?: number;
  requestsPerArticle?: number;
  rateLimited429?: number;
  peakRequestsPerSecond?: number;
  distinctOutcomes?: number;
  failures?: number;
  products?: number;
}

/** The pretty-printed JSON object in the output (from a line "{" to a line "}"). */
export function parseArticleLoadOutput(text: string): ArticleLoadFigures | undefined {
  const m = /^\{$[\s\S]*?^\}$/m.exec(text);
  if (!m) return undefined;
  try {
    return JSON.parse(m[0]) as ArticleLoadFigures;
  } catch {
    return undefined;
  }
}

/**
 * bench/article-bulk-load.ts (a shop's initial article register through article-sync, emulator and
 * client both at 10 requests/s), run as a child process.
 */
export async function articleLoad(ctx: SuiteContext, settings: ArticleLoadSettings): Promise<ScenarioResult> {
  say(`article bulk load: ${settings.articles} articles…`);
  const run = await runScript(path.join(ROOT, 'dist/bench/article-bulk-load.js'), [], {
    env: childEnv(ctx, { BENCH_ARTICLES: String(settings.articles) }),
    label: 'article-bulk-load',
    timeoutMs: ((settings.articles / 10) * 3 + 300) * 1000,
    logFile: path.join(ctx.artifactsDir, 'article-bulk-load.log'),
  });
  const f = parseArticleLoadOutput(run.stdout);
  if (!f) throw new Error(`bench/article-bulk-load.ts printed no result (exit ${run.code}); see its lines above`);
  return {
    settings: { ...settings, rateLimit: f.rateLimit ?? 10 },
    headline: {
      label: `${settings.articles} new articles loaded (÷ floor)`,
      value: `${f.elapsedSeconds} s (${f.elapsedOverFloor})`,
    },
    figures: [
      { label: 'time to load all', value: f.elapsedSeconds ?? null, unit: 's' },
      { label: 'floor (articles ÷ rate)', value: f.floorSeconds ?? null, unit: 's', note: 'one POST per new article' },
      { label: 'time ÷ floor', value: f.elapsedOverFloor ?? null },
      { label: 'articles per second', value: f.articlesPerSecond ?? null },
      { label: 'API requests per article', value: f.requestsPerArticle ?? null },
      { label: 'busiest second', value: f.peakRequestsPerSecond ?? null, unit: 'requests' },
      { label: '429 answers', value: f.rateLimited429 ?? null },
    ],
    tables: [],
    checks: [
      { what: 'bench/article-bulk-load.ts ended successfully', ok: run.code === 0, detail: `exit ${run.code}` },
      {
        what: 'one product per article, every article answered without failure',
        ok: f.products === settings.articles && f.distinctOutcomes === settings.articles && f.failures === 0,
        detail: `${f.products} products, ${f.distinctOutcomes} answered, ${f.failures} failures`,
      },
      { what: 'no 429 from PowerOffice', ok: f.rateLimited429 === 0, detail: `${f.rateLimited429}` },
    ],
    data: { ...f, exitCode: run.code },
  };
}
