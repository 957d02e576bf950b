/** Process defaults for the local runtime; imported first so loggers built at import time see them. */
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_SERVICE_NAME ??= 'account-lifecycle';
// Lambda runs Node 22; this machine's Node 20 is supported for local use, so the SDK need not say so.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
