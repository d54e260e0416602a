import { bootstrapApp } from '@lib/platform';
import { ConsoleConfig } from './console.config';
import { ConsoleModule } from './console.module';
import { configureConsoleHttp } from './http/configure';

void bootstrapApp({ name: 'console', config: ConsoleConfig, module: (config) => ConsoleModule.register(config), configure: configureConsoleHttp });
