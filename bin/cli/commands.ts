/** The CLI commands, in the order `lifecycle --help` lists them: each turns its arguments into one API call (or a dry run) and renders the answer. */
import type { Command } from 'commander';
import { registerAttestationCommands } from './attestation-commands';
import { commandKit } from './command-kit';
import { registerDoctorCommand } from './doctor-commands';
import { registerImportCommand } from './import-command';
import { registerLoginCommands } from './login-commands';
import type { CliIo } from './io';
import { registerQuarantineCommands, registerSweepCommand } from './quarantine-commands';
import { registerInactivityCommand } from './inactivity-command';
import { registerConsolidationCommands } from './consolidation-commands';
import { registerApprovalCommands, registerConfirmAccountCommand, registerRunChangeCommands, registerStepCommands } from './run-commands';
import { registerCancelEventCommand, registerSendCommand } from './send-commands';
import { registerAlertsCommand, registerRunCommand, registerRunsCommand, registerStatusCommand } from './view-commands';

export function registerCommands(program: Command, io: CliIo): void {
  // The global --stage is read when a command runs, after commander has parsed it.
  const kit = commandKit(io, () => program.opts<{ stage?: string }>().stage);
  registerSendCommand(program, kit);
  registerCancelEventCommand(program, kit);
  registerImportCommand(program, io, { client: () => kit.client('events'), wantsJson: kit.wantsJson });
  registerStatusCommand(program, kit);
  registerRunsCommand(program, kit);
  registerAlertsCommand(program, kit);
  registerRunCommand(program, kit);
  registerApprovalCommands(program, kit);
  registerConfirmAccountCommand(program, kit);
  registerRunChangeCommands(program, kit);
  registerStepCommands(program, kit);
  registerAttestationCommands(program, kit);
  registerQuarantineCommands(program, kit);
  registerSweepCommand(program, kit);
  registerInactivityCommand(program, kit);
  registerConsolidationCommands(program, kit);
  registerLoginCommands(program, kit);
  registerDoctorCommand(program, kit);
}
