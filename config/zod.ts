/** The validation library every module uses: zod's tree-shakable "mini" API, with its English messages. */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
