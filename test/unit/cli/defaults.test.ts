import { CLI_DEFAULTS } from '../../../bin/cli/api-client';
import { LOCAL_DEFAULTS } from '../../../config/local-defaults';

describe('CLI defaults', () => {
  it('match what npm start listens on and accepts, so the CLI works with no configuration', () => {
    expect(CLI_DEFAULTS).toEqual({
      apiUrl: `http://localhost:${LOCAL_DEFAULTS.port}`,
      hmacSecret: LOCAL_DEFAULTS.hmacSecret,
      operatorToken: LOCAL_DEFAULTS.operatorToken,
    });
  });
});
