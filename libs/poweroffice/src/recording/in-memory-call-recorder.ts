import { ApiCallRecord, CallRecorder } from './call-recorder';

/** Keeps calls in an array (tests, tools). */
export class InMemoryCallRecorder implements CallRecorder {
  readonly calls: ApiCallRecord[] = [];

  record(call: ApiCallRecord): void {
    this.calls.push(call);
  }

  clear(): void {
    this.calls.length = 0;
  }
}
