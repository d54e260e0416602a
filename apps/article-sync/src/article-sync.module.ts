import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@lib/platform';
import { ArticleSyncConfig } from './article-sync.config';

@Module({})
export class ArticleSyncModule {
  static register(config: ArticleSyncConfig): DynamicModule {
    return {
      module: ArticleSyncModule,
      imports: [PlatformModule.forApp({ name: 'article-sync', configValues: config })],
    };
  }
}
