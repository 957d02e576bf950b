import { connectEmulatorRoutes } from '../../../../local/emulators/connect/connect-routes';
import { ConnectEmulator } from '../../../../local/emulators/connect/connect-emulator';
import { SAMPLE_CONNECT, seedConnectSample } from '../../../../local/emulators/connect/connect-sample';
import { startEmulatorServer } from '../../../../local/emulators/server';

describe('the Connect emulator state route', () => {
  it('GET /_emulator/connect/state answers the whole instance state, as Google and Notion do', async () => {
    const emulator = seedConnectSample(new ConnectEmulator());
    const server = await startEmulatorServer(connectEmulatorRoutes(emulator), 0);
    try {
      const res = await fetch(`${server.url}/_emulator/connect/state`);
      expect(res.status).toBe(200);
      const state = (await res.json()) as unknown;
      expect(state).toEqual(JSON.parse(JSON.stringify(emulator.toJSON())));
      expect(JSON.stringify(state)).toContain(SAMPLE_CONNECT.instanceId);
    } finally {
      await server.stop();
    }
  });
});
