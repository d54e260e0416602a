import { bearerToken, DEV_OPERATOR_TOKEN, OperatorTokenError, OperatorTokens, operatorTokensFor } from './operator-tokens';

describe('OperatorTokens.parse and authenticate', () => {
  const tokens = OperatorTokens.parse('kari:kari-secret-0123456789, ola:ola-secret-abcdefghij,bare-token-without-name');

  it.each([
    ['kari-secret-0123456789', 'kari'],
    ['ola-secret-abcdefghij', 'ola'],
    ['bare-token-without-name', 'operator-3'],
    ['kari-secret-012345678', null],
    ['kari-secret-0123456789x', null],
    ['KARI-SECRET-0123456789', null],
    ['kari:kari-secret-0123456789', null],
    ['', null],
  ])('%s → %s', (presented, name) => {
    expect(tokens.authenticate(presented)?.name ?? null).toBe(name);
  });

  it('names the operators in order', () => {
    expect(tokens.names).toEqual(['kari', 'ola', 'operator-3']);
  });

  it.each([
    ['', /holds no token/],
    ['kari:', /entry 1 \("kari"\): the token is empty/],
    ['kari:a-long-enough-token-1,kari:a-long-enough-token-2', /"kari" is used twice/],
    ['bad name:a-long-enough-token', /the name must be/],
  ])('refuses %j', (setting, message) => {
    expect(() => OperatorTokens.parse(setting)).toThrow(message);
  });

  it('refuses short tokens in production only, without quoting them', () => {
    expect(() => OperatorTokens.parse('kari:short', { production: true })).toThrow(/shorter than 16/);
    try {
      OperatorTokens.parse('kari:short', { production: true });
    } catch (err) {
      expect((err as Error).message).not.toContain('short,');
      expect((err as Error).message).not.toMatch(/:short/);
    }
    expect(OperatorTokens.parse('kari:short').authenticate('short')).toEqual({ name: 'kari' });
  });
});

describe('bearerToken', () => {
  it.each<[string | string[] | undefined, string | null]>([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
    [['Bearer abc', 'Bearer def'], 'abc'],
    ['Basic abc', null],
    ['Bearer', null],
    ['Bearer a b', null],
    [undefined, null],
  ])('%j → %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe('operatorTokensFor', () => {
  it('refuses to run in production without tokens', () => {
    expect(() => operatorTokensFor(undefined, 'production', () => undefined)).toThrow(OperatorTokenError);
    expect(() => operatorTokensFor('  ', 'production', () => undefined)).toThrow(/required in production/);
  });

  it('falls back to the dev token elsewhere, with a warning', () => {
    const warnings: string[] = [];
    const tokens = operatorTokensFor('', 'development', (m) => warnings.push(m));
    expect(tokens.authenticate(DEV_OPERATOR_TOKEN.split(':')[1])).toEqual({ name: 'dev' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/CONSOLE_OPERATOR_TOKEN is not set/);
  });

  it('uses the configured tokens when set, without a warning', () => {
    const warnings: string[] = [];
    const tokens = operatorTokensFor('kari:kari-secret-0123456789', 'production', (m) => warnings.push(m));
    expect(tokens.authenticate('kari-secret-0123456789')).toEqual({ name: 'kari' });
    expect(tokens.authenticate(DEV_OPERATOR_TOKEN.split(':')[1])).toBeNull();
    expect(warnings).toEqual([]);
  });
});
