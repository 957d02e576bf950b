/**
 * AWS list prices the cost benchmark prices a lifecycle at: US East (N. Virginia), on-demand, no free tier (a
 * company's marginal cost), each with the page that publishes it and the day it was last compared.
 */

export const PRICE_REGION = 'us-east-1 (US East, N. Virginia)';
export const PRICES_CHECKED = '2026-12-04';

export interface Price {
  /** US dollars per `per` units. */
  usd: number;
  per: number;
  unit: string;
  source: string;
}

export const PRICES = {
  lambdaRequest: { usd: 0.2, per: 1e6, unit: 'Lambda requests', source: 'https://aws.amazon.com/lambda/pricing/' },
  // Arm, first 7.5 billion GB-s a month.
  lambdaArmGbSecond: { usd: 0.0000133334, per: 1, unit: 'GB-s on arm64', source: 'https://aws.amazon.com/lambda/pricing/' },
  // On-demand, Standard table class, after the November 2024 reduction.
  dynamoWriteUnit: { usd: 0.625, per: 1e6, unit: 'write request units', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  dynamoReadUnit: { usd: 0.125, per: 1e6, unit: 'read request units', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  // Standard queue; each 64 KB chunk of a request is a request.
  sqsRequest: { usd: 0.4, per: 1e6, unit: 'SQS requests', source: 'https://aws.amazon.com/sqs/pricing/' },
  snsPublish: { usd: 0.5, per: 1e6, unit: 'SNS publishes', source: 'https://aws.amazon.com/sns/pricing/' },
  snsEmail: { usd: 2, per: 1e5, unit: 'SNS e-mail deliveries', source: 'https://aws.amazon.com/sns/pricing/' },
  // Creating and deleting schedules is not charged; a schedule firing its target is.
  schedulerInvocation: { usd: 1, per: 1e6, unit: 'Scheduler invocations', source: 'https://aws.amazon.com/eventbridge/pricing/' },
  // REST API, first 333 million a month.
  apiGatewayRequest: { usd: 3.5, per: 1e6, unit: 'REST API requests', source: 'https://aws.amazon.com/api-gateway/pricing/' },
  stepFunctionsTransition: { usd: 0.025, per: 1e3, unit: 'Standard state transitions', source: 'https://aws.amazon.com/step-functions/pricing/' },
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof PRICES;

/** Dollars for `quantity` units at a list price. */
export const priceOf = (name: PriceName, quantity: number): number => (quantity * PRICES[name].usd) / PRICES[name].per;
