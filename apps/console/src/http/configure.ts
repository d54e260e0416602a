import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { consoleValidationPipe } from './validation';

/**
 * HTTP wiring of the console app: DTO validation with clear 400s, and the OpenAPI document at
 * /api/docs (UI) and /api/docs-json. The document describes the API, holds no tenant data, and is
 * served without a token so an operator can read it before having one; every call it describes
 * needs the token.
 */
export function configureConsoleHttp(app: INestApplication): void {
  app.useGlobalPipes(consoleValidationPipe());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Open One ↔ PowerOffice Go — console')
      .setDescription(
        'Onboard shops, map their accounts, see every day and invoice per shop, and fix what failed. ' +
          'Every endpoint but /health, /metrics and the web page needs "Authorization: Bearer <operator token>".',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An operator token from CONSOLE_OPERATOR_TOKEN' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
