/** `npx tsx local/emulators/cognito/main.ts`: the sample user pool's hosted domain on its own, to try `lifecycle login` against. */
import { ENV } from '../../../lambdas/shared/env-names';
import { LOCAL_DEFAULTS } from '../../../config/local-defaults';
import { SAMPLE_COGNITO, startCognitoEmulator } from './cognito-sample';

const port = Number(process.env[ENV.cognitoPort] ?? LOCAL_DEFAULTS.cognitoPort);

void startCognitoEmulator(port).then((cognito) => {
  process.stdout.write(
    [
      `Cognito emulator (user pool ${SAMPLE_COGNITO.userPoolId}) at ${cognito.url}; the browser is signed in as ${cognito.emulator.signedIn}.`,
      `  npx lifecycle login --stage local-cognito --auth-domain ${cognito.url} --client-id ${SAMPLE_COGNITO.cliClientId} --api-url http://localhost:3000`,
      '',
    ].join('\n'),
  );
});
