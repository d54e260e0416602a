import { parseOptions, PROFILES, UsageError } from './options';

describe('bench options', () => {
  it('runs every benchmark in the full profile by default, quick figures first', () => {
    const o = parseOptions([]);
    expect(o.profile).toBe('full');
    expect(o.benches).toEqual(['throughput', 'resync', 'budget', 'nightly', 'invoice', 'articles', 'memory']);
    expect(o.settings).toEqual(PROFILES.full);
  });

  it.each([
    { argv: ['nightly'], benches: ['nightly'] },
    { argv: ['invoice', 'throughput'], benches: ['throughput', 'invoice'] },
    { argv: ['memory'], benches: ['throughput', 'resync', 'memory'] },
    { argv: ['resync', 'resync'], benches: ['resync'] },
  ])('$argv runs $benches', ({ argv, benches }) => {
    expect(parseOptions(argv).benches).toEqual(benches);
  });

  it('takes the quick profile and lets flags override it', () => {
    const o = parseOptions(['nightly', '--quick', '--tenants', '200', '--events=700']);
    expect(o.profile).toBe('quick');
    expect(o.settings.nightly.tenants).toBe(200);
    expect(o.settings.throughput.events).toBe(700);
    expect(o.settings.resync).toEqual(PROFILES.quick.resync);
  });

  it('does not change the shared profiles', () => {
    parseOptions(['--tenants', '3']);
    expect(PROFILES.full.nightly.tenants).toBe(1000);
  });

  it.each([
    { argv: ['speed'], message: /unknown benchmark "speed"/ },
    { argv: ['--fast'], message: /unknown option --fast/ },
    { argv: ['--tenants'], message: /--tenants needs a positive whole number, got nothing/ },
    { argv: ['--tenants', '0'], message: /got "0"/ },
    { argv: ['--events', '1.5'], message: /got "1.5"/ },
    { argv: ['--resync-tenants', '1'], message: /at least 2/ },
  ])('refuses $argv', ({ argv, message }) => {
    expect(() => parseOptions(argv)).toThrow(UsageError);
    expect(() => parseOptions(argv)).toThrow(message);
  });

  it('lets the runtime-alone run be skipped with 0', () => {
    expect(parseOptions(['--runtime-events', '0']).settings.throughput.runtimeEvents).toBe(0);
  });
});
