/**
 * Benchmark process defaults, imported before anything builds a logger: the runtime's warnings (a step
 * that failed and will be retried) would land in the Markdown on stdout; the benchmarks count retries instead.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
