/** The Powertools logger, built once, and the adapter that hands it to the engine. */
import { Logger } from '@aws-lambda-powertools/logger';
import type { EngineLog } from '../engine/ports';

export const logger = new Logger({ serviceName: 'account-lifecycle' });

export const engineLog: EngineLog = {
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
  error: (message, extra) => logger.error(message, extra ?? {}),
};
