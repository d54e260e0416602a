/** Injection tokens of the platform module. */
export const KAFKA = Symbol('KAFKA');
export const APP_CONFIG = Symbol('APP_CONFIG');
export const APP_NAME = Symbol('APP_NAME');
export const LOGGER = Symbol('LOGGER');
