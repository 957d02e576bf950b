/** The Matrix bot from the sync function's environment: the stage's matrix setting and the bot's token. */
import { parseMatrixSettings, type MatrixSettings } from '../../config/matrix';
import { SdkMatrixApi } from '../providers/matrix/matrix-client';
import { ENV, requireEnv } from '../shared/env-names';
import { apiTokenFromEnv } from '../providers/api-token-from-env';
import { createDocumentClient } from '../store/dynamo-store';
import { DynamoMatrixBotStore } from '../store/dynamo/matrix-repository';

const botStore = () => new DynamoMatrixBotStore({ doc: createDocumentClient(), name: requireEnv(ENV.tableName) });


/** What the sync function runs on: the settings, the homeserver client with the token read once, and the records. */
export async function matrixBotFromEnv(): Promise<{ settings: MatrixSettings; api: SdkMatrixApi; store: DynamoMatrixBotStore } | undefined> {
  const settings = parseMatrixSettings(process.env[ENV.matrixSettings]);
  if (!settings) return undefined;
  const token = await apiTokenFromEnv(process.env, { arn: ENV.matrixAccessTokenArn, local: ENV.matrixAccessToken }, { provider: 'Matrix', token: "bot's access token", doc: 'docs/matrix.md' })();
  return { settings, api: new SdkMatrixApi({ baseUrl: settings.homeserverUrl, userId: settings.userId, accessToken: token }), store: botStore() };
}
