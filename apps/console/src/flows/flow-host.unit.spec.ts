import { Module } from '@nestjs/common';
import { ConsoleError } from '../domain/console-errors';
import { FlowHost } from './flow-host';
import type { FlowModules } from './flow-modules';

@Module({})
class AppWithoutPipeline {}

/** A flow app whose module has no pipeline yet (an app still being built) cannot be acted through. */
describe('FlowHost', () => {
  const modules = (): FlowModules => {
    const factory = async () => () => ({ module: AppWithoutPipeline });
    return { 'customer-sync': factory, 'article-sync': factory, settlement: factory, invoice: factory };
  };

  it.each([[true], [false]])('says the flow is unavailable, naming it (keepOpen %s), and can be asked again', async (keepOpen) => {
    const host = new FlowHost({ env: {}, keepOpen }, modules());
    const attempt = host.use('settlement', async () => 'ran');
    await expect(attempt).rejects.toBeInstanceOf(ConsoleError);
    await expect(host.use('settlement', async () => 'ran')).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(/The settlement app does not run the pipeline/),
    });
    await host.close();
  });

  it('loads a flow module only when it is used', async () => {
    const loaded: string[] = [];
    const factory = (name: string) => async () => {
      loaded.push(name);
      return () => ({ module: AppWithoutPipeline });
    };
    const host = new FlowHost({ env: {}, keepOpen: true }, {
      'customer-sync': factory('customer-sync'),
      'article-sync': factory('article-sync'),
      settlement: factory('settlement'),
      invoice: factory('invoice'),
    });
    await host.use('invoice', async () => 'ran').catch(() => undefined);
    expect(loaded).toEqual(['invoice']);
    await host.close();
  });
});
