/**
 * The Powertools logger, built once, and the adapter that hands it to the engine. Log lines carry ids and codes
 * (run, step, employee id, action, error name, status); what a provider or an error says in words, which may name
 * a person or an address, belongs in the audit trail and the operator alert, never in a log line. The logger's own
 * formatter holds that line for every caller: free-text fields are withheld, addresses masked, errors reduced to
 * their name, code and status.
 */
import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import type { EngineLog } from '../engine/ports';
import { errorFields, maskEmails, WITHHELD } from './log-fields';

/** Fields that hold words from a provider or an error: never logged as text. */
const FREE_TEXT_FIELDS = new Set(['error', 'errorMessage', 'message', 'providerAnswer', 'note', 'body', 'detail']);

/** The Powertools layout, with every field passed through `scrub` on its way out. */
export class PrivacyLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const base: LogAttributes = {
      level: attributes.logLevel,
      message: maskEmails(String(attributes.message ?? '')),
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_arn: attributes.lambdaContext?.invokedFunctionArn,
      function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
      tenant_id: attributes.lambdaContext?.tenantId,
    };
    return new LogItem({ attributes: base }).addAttributes(this.scrub(additional, '', 0) as LogAttributes);
  }

  /** An error as a log line may show it: name, code, status and where it was thrown; no message, no stack text. */
  formatError(error: Error): LogAttributes {
    const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
    return {
      ...errorFields(error),
      location: this.getCodeLocation(error.stack),
      stack: frames.map((line) => maskEmails(line.trim())),
      ...(error.cause !== undefined ? { cause: error.cause instanceof Error ? this.formatError(error.cause) : WITHHELD } : {}),
    };
  }

  private scrub(value: unknown, key: string, depth: number): unknown {
    if (value instanceof Error) return this.formatError(value);
    if (typeof value === 'string') return FREE_TEXT_FIELDS.has(key) ? WITHHELD : maskEmails(value);
    if (value === null || typeof value !== 'object') return value;
    // A provider's error object may hold its words in any field: it is not opened at all.
    if (FREE_TEXT_FIELDS.has(key) || depth > 8) return WITHHELD;
    if (Array.isArray(value)) return value.map((item) => this.scrub(item, key, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.scrub(v, k, depth + 1)]));
  }
}

export const logger = new Logger({ serviceName: 'account-lifecycle', logFormatter: new PrivacyLogFormatter() });

export const engineLog: EngineLog = {
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
  error: (message, extra) => logger.error(message, extra ?? {}),
};
