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
  visibilityTimeoutSeconds: 30,
  tableName: 'account-lifecycle',
} as const;

export const LOCAL_API_URL = `http://localhost:${LOCAL_DEFAULTS.port}`;
