import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Public } from '../access/operator.guard';

/** The web page: a static shell (no data in it) that asks for the operator token and calls the API. */
@ApiExcludeController()
@Controller()
export class WebController {
  private readonly page = readFileSync(path.join(__dirname, '../web/index.html'), 'utf8');

  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Security-Policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
  @Header('X-Frame-Options', 'DENY')
  index(): string {
    return this.page;
  }
}
