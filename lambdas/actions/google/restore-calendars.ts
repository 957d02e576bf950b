/**
 * Undoes google.unshareCalendars: shares each recorded team calendar with the employee again with the role the rule
 * gave, as google.shareCalendars does (a rule with the same or more access is already done).
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { nothingToRestore } from './restore-target';
import { googleAccount } from './google-account';
import { shareCalendars } from './share-calendars';

const ROLES = ['freeBusyReader', 'reader', 'writer'] as const;

export const restoreCalendars = defineAction({
  name: 'google.restoreCalendars',
  account: googleAccount(),
  params: z.strictObject({
    /** google.unshareCalendars' result. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ calendars: z.array(z.object({ calendarId: z.string().check(z.minLength(1)), role: z.enum(ROLES) })) })) })),
  }),
  async run(ctx, { result }, request, checked) {
    const calendars = result?.removed?.calendars ?? [];
    if (!calendars.length) return nothingToRestore('the run took the sharing off no calendar');
    return shareCalendars.run(ctx, { calendars }, request, checked);
  },
});
