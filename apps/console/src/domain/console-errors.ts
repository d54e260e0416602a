/**
 * What an operator action can run into besides the integration's own errors (IntegrationError from
 * tenancy, pipeline, PowerOffice): the thing is not there, it is in a state the action does not fit,
 * PowerOffice or the tenant's setup refuses it, or a part of the integration the action needs is not
 * available in this build.
 */
export type ConsoleErrorKind = 'notFound' | 'conflict' | 'refused' | 'unavailable' | 'invalid';

export class ConsoleError extends Error {
  constructor(
    readonly kind: ConsoleErrorKind,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ConsoleError';
  }
}

export const notFound = (message: string, details?: unknown) => new ConsoleError('notFound', message, details);
export const conflict = (message: string, details?: unknown) => new ConsoleError('conflict', message, details);
export const refused = (message: string, details?: unknown) => new ConsoleError('refused', message, details);
export const unavailable = (message: string, details?: unknown) => new ConsoleError('unavailable', message, details);
export const invalid = (message: string, details?: unknown) => new ConsoleError('invalid', message, details);
