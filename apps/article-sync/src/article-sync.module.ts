import { DynamicModule, Module } from '@nestjs/common';
import { FlowOptions, flowTopicNames, PipelineModule } from '@lib/pipeline';
import { PlatformModule } from '@lib/platform';
import { PowerOfficeConfig, PowerOfficeModule } from '@lib/poweroffice';
import { TenancyModule } from '@lib/tenancy';
import { ArticleChangedController } from './article-changed.controller';
import { ArticleSyncConfig } from './article-sync.config';
import { ArticlesRepository } from './articles.repository';
import { ProductGroupDirectory } from './product-groups';
import { SyncArticle } from './sync-article';

export const ARTICLE_SYNC_FLOW = 'article-sync';

/** The topics the flow reads and writes: ArticleChanged, its dead letters, and the outcomes. */
export function articleSyncTopics(topicPrefix: string): string[] {
  return flowTopicNames(['articleChanged'], topicPrefix);
}

/** For tests and benchmarks: settings that otherwise come from env or the defaults. */
export interface ArticleSyncOverrides {
  powerOffice?: PowerOfficeConfig;
  flow?: Partial<Omit<FlowOptions, 'flow' | 'topics' | 'lane'>>;
}

/**
 * ArticleChanged (pos.article-changed.v1) → PowerOffice products, in the `article` lane of the
 * shared API budget, outcomes on integration.article-sync.outcomes.v1.
 */
@Module({})
export class ArticleSyncModule {
  static register(config: ArticleSyncConfig, overrides: ArticleSyncOverrides = {}): DynamicModule {
    return {
      module: ArticleSyncModule,
      imports: [
        PlatformModule.forApp({ name: ARTICLE_SYNC_FLOW, configValues: config }),
        PowerOfficeModule.forRoot(overrides.powerOffice ? { config: overrides.powerOffice } : {}),
        TenancyModule.forRoot(),
        PipelineModule.forFlow({
          flow: ARTICLE_SYNC_FLOW,
          lane: 'article',
          topics: ['articleChanged'],
          partitionsConsumedConcurrently: config.ARTICLE_SYNC_CONCURRENCY,
          ...overrides.flow,
        }),
      ],
      controllers: [ArticleChangedController],
      providers: [ArticlesRepository, ProductGroupDirectory, SyncArticle],
    };
  }
}
