/** Test environment: quiet structured logs and no metric output unless a test asks for them. */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_SERVICE_NAME ??= 'account-lifecycle';
process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'AccountLifecycle';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
