/** The shapes every API answer takes. */
import type { APIGatewayProxyResult } from 'aws-lambda';

export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    body: JSON.stringify(body),
  };
}

export const error = (statusCode: number, message: string, extra: Record<string, unknown> = {}) =>
  json(statusCode, { error: message, ...extra });
