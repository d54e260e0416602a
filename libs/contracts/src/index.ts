/**
 * @lib/contracts — the public event contract of shared/docs/contracts.md as types, validation and
 * helpers. Pure TypeScript: no Nest, no I/O.
 */
export * from './errors';
export * from './rules';
export * from './events';
export * from './topics';
export * from './validation';
export * from './envelope';
export * from './outcomes';
export * from './fixtures';
