/** Test helper: the message of the UsageError a call throws (fails the test when it throws nothing or another error). */
import { expect } from 'vitest';
import { UsageError } from '../../src/core/errors.js';

/** Runs `fn`, asserts it throws a UsageError, and returns that error's message. */
export function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}
