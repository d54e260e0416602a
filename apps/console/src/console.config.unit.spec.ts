import { ConfigError, loadEnv } from '@lib/platform';
import { ConsoleConfig } from './console.config';

describe('ConsoleConfig', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ['production without CONSOLE_OPERATOR_TOKEN', { NODE_ENV: 'production' }, /CONSOLE_OPERATOR_TOKEN is required in production/],
    ['production with a blank token', { NODE_ENV: 'production', CONSOLE_OPERATOR_TOKEN: ' ' }, /required in production/],
    ['production with a short token', { NODE_ENV: 'production', CONSOLE_OPERATOR_TOKEN: 'kari:short' }, /shorter than 16 characters/],
    ['a token list with a nameless empty entry', { CONSOLE_OPERATOR_TOKEN: 'kari:' }, /the token is empty/],
  ])('refuses to start: %s', (_name, env, message) => {
    expect(() => loadEnv(ConsoleConfig, env)).toThrow(ConfigError);
    expect(() => loadEnv(ConsoleConfig, env)).toThrow(message);
  });

  it('never quotes the token in its message', () => {
    try {
      loadEnv(ConsoleConfig, { NODE_ENV: 'production', CONSOLE_OPERATOR_TOKEN: 'kari:tooshort123' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as Error).message).not.toContain('tooshort123');
    }
  });

  it.each<[string, Record<string, string>]>([
    ['development without a token (the dev token stands in, with a warning at start)', {}],
    ['production with named tokens', { NODE_ENV: 'production', CONSOLE_OPERATOR_TOKEN: 'kari:0123456789abcdef01,ola:fedcba9876543210fe' }],
  ])('starts: %s', (_name, env) => {
    const config = loadEnv(ConsoleConfig, env);
    expect(config.PORT).toBe(3000);
    expect(config.CONSOLE_OPERATOR_TOKEN).toBe(env.CONSOLE_OPERATOR_TOKEN ?? '');
  });
});
