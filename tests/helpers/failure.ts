/** Awaiting a request that must fail, for tests of the HTTP client's errors. */
import { expect } from 'vitest';
import { SourceError } from '../../src/core/errors.js';

/** The SourceError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function failure(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError);
    return err as SourceError;
  }
  throw new Error('expected the request to fail');
}
