/**
 * Imported first by a test that reads the logs: the logger is built at import time and tests run it silent, so
 * the level is raised before anything builds it. `restoreLogLevel` puts the process back for the next test file.
 */
const before = process.env.POWERTOOLS_LOG_LEVEL;
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';

export function restoreLogLevel(): void {
  if (before === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = before;
}
