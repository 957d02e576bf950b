/** The default playbooks with the actions that look again later (a transfer, the joiner summary) looking every second. */
import { playbooks } from '../../config/playbooks';
import type { Playbooks } from '../../config/schema';

const POLLING = ['google.transferData', 'google.handOverMeetings', 'google.sendJoinerSummary'];

export const fastPolling: Playbooks = Object.fromEntries(
  Object.entries(playbooks).map(([type, playbook]) => [
    type,
    { ...playbook, steps: playbook.steps.map((s) => (POLLING.includes(s.action) ? { ...s, params: { ...s.params, pollSeconds: 1 } } : s)) },
  ]),
) as Playbooks;
