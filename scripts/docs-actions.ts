/** Writes docs/actions.md from the action catalog: `npm run docs:actions`. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ACTIONS_DOC, renderActionsDoc } from './actions-doc';

const file = join(resolve(__dirname, '..'), ACTIONS_DOC);
writeFileSync(file, renderActionsDoc());
console.log(`wrote ${ACTIONS_DOC}`);
