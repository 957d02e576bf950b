/**
 * The floor of a Google action's load time: the Directory client every Google action uses, alone, with
 * nothing of ours, bundled as an action is. What an action takes beyond this is ours to cut.
 */
import { admin_directory_v1 } from '@googleapis/admin/build/directory_v1';

export const handler = async (): Promise<string> => typeof admin_directory_v1.Admin;
