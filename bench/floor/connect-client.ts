/**
 * The floor of an Amazon Connect action's load time: the Connect client alone, with nothing of ours, bundled as a
 * Connect action is (the SDK tree-shaken into the bundle). What an action takes beyond this is ours to cut.
 */
import { ConnectClient } from '@aws-sdk/client-connect';

export const handler = async (): Promise<string> => typeof ConnectClient;
