/** What `npm start` uses when the environment says nothing; the CLI uses the same, so both agree with no setup. */
export const LOCAL_DEFAULTS = {
  port: 3000,
  emulatorPort: 4010,
  dataDir: '.lifecycle',
  /** Local-only values, printed at start: never used on AWS, where the secret lives in Secrets Manager. */
  hmacSecret: 'local-dev-secret',
  /** The sample downstream receiver's key: it verifies forwards with it, we sign them with it. */
  downstreamName: 'sample-downstream',
  downstreamKey: 'local-downstream-key',
  operatorToken: 'local-operator-token',
  sweepIntervalSeconds: 60,
  /**
   * Longer than the local lease (30 s) and action timeout (30 s), as on AWS (six times the dispatcher's timeout):
   * a delivery redelivered while its step still runs would only be handed back and count as a receive.
   * A restart does not wait for it: steps a stopped process left running are queued again at once.
   */
  visibilityTimeoutSeconds: 180,
  tableName: 'account-lifecycle',
} as const;

export const LOCAL_API_URL = `http://localhost:${LOCAL_DEFAULTS.port}`;
