import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { ArticleChanged } from '@lib/contracts';
import type { HandlerContext, HandlerResult } from '@lib/pipeline';
import { SyncArticle } from './sync-article';

/** Where ArticleChanged arrives (through the pipeline: decoded, tenant checked, inbox, retries). */
@Controller()
export class ArticleChangedController {
  constructor(private readonly syncArticle: SyncArticle) {}

  @EventPattern('ArticleChanged')
  articleChanged(@Payload() ctx: HandlerContext<ArticleChanged>): Promise<HandlerResult> {
    return this.syncArticle.execute(ctx);
  }
}
