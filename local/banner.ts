/** The first lines `npm start` prints: where everything is and how to send a first signed event. */
export interface BannerInfo {
  apiUrl: string;
  emulatorUrl: string;
  storeEndpoint: string;
  dataDir: string;
  forwardUrls: string[];
  sweepIntervalSeconds: number;
  retryBaseSeconds: number;
  /** Shown only when it is the built-in local default; a secret from the environment is never printed. */
  hmacSecret?: string;
  operatorToken?: string;
  /** The Notion emulator's role catalog data source. */
  notionRolesDataSourceId?: string;
}

export function banner(b: BannerInfo): string {
  const secretShown = b.hmacSecret ?? '(from LIFECYCLE_HMAC_SECRET, not shown)';
  const tokenShown = b.operatorToken ?? '(from LIFECYCLE_OPERATOR_TOKEN, not shown)';
  const secretForCurl = b.hmacSecret ?? '"$LIFECYCLE_HMAC_SECRET"';
  const tokenForCurl = b.operatorToken ?? '$LIFECYCLE_OPERATOR_TOKEN';
  const body = `{"eventId":"demo-1","type":"terminate","effectiveDate":"2026-11-30","urgent":true,"employee":{"id":"E100","firstName":"Ada","lastName":"Lovelace","email":"ada.lovelace@example.com","managerEmail":"grace.hopper@example.com","timezone":"Europe/Berlin"}}`;
  return [
    'account-lifecycle is running locally',
    `  HTTP API         ${b.apiUrl}   (GET ${b.apiUrl}/health)`,
    `  store            ${b.storeEndpoint}   embedded DynamoDB API, data in ${b.dataDir}`,
    `  emulators        ${b.emulatorUrl}   sample downstream receiver at ${b.emulatorUrl}/downstream/events`,
    ...(b.notionRolesDataSourceId ? [`  role catalog     Notion data source ${b.notionRolesDataSourceId} on the emulators; GET ${b.apiUrl}/v1/roles`] : []),
    `  forwarding to    ${b.forwardUrls.join(', ') || '(none)'}`,
    `  sweep            every ${b.sweepIntervalSeconds} s; retries back off from ${b.retryBaseSeconds} s; 4 receives, then the dead-letter queue`,
    `  HMAC secret      ${secretShown}`,
    `  operator token   ${tokenShown}`,
    '',
    'Send a signed event with the CLI:',
    `  npx lifecycle send --sample terminate --urgent`,
    'or with curl:',
    `  body='${body}'; ts=$(date +%s); sig=$(printf '%s' "$ts.$body" | openssl dgst -sha256 -hmac ${secretForCurl} | sed 's/^.* //'); curl -sS ${b.apiUrl}/v1/events -H 'Content-Type: application/json' -H "X-Lifecycle-Timestamp: $ts" -H "X-Lifecycle-Signature: v1=$sig" -d "$body"`,
    'Then look:',
    `  npx lifecycle status E100      or   curl -sS -H 'Authorization: Bearer ${tokenForCurl}' ${b.apiUrl}/v1/employees/E100`,
    '',
    'Ctrl-C stops; starting again finds every record.',
  ].join('\n');
}
