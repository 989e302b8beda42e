/** A test engine for one bench step, removed with everything it started whatever happens. */
import { removeTestStack, startTestEngine, type TestEngine } from '../test/support/engine-fixture.js';

export async function withEngine<T>(
  overrides: Parameters<typeof startTestEngine>[0],
  run: (test: TestEngine) => Promise<T>,
): Promise<T> {
  const test = await startTestEngine(overrides);
  try {
    return await run(test);
  } finally {
    await removeTestStack(test);
  }
}
