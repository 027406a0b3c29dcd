import { CommanderError } from 'commander';

/** Exit status for bad input of any kind (flags, paths, files), as the CLI promises. */
export const EXIT_BAD_INPUT = 2;
/** The shell's convention for a run ended by Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/**
 * An error caused by what the user passed (a missing folder, a file of the wrong kind). The
 * CLI prints its message as one line and exits with status 2.
 */
export class InputError extends Error {}

/**
 * Prints an error as one line on stderr (the stack only when `verbose`) and returns the exit
 * status. Commander has already printed its own line for flag errors, and `--help` is not an
 * error at all.
 */
export function reportError(error: unknown, verbose: boolean): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`deeptype: ${oneLine(message)}`);
  if (verbose && error instanceof Error && error.stack) console.error(error.stack);
  return EXIT_BAD_INPUT;
}

/** Library messages may span lines (shape tables, hints); the CLI's contract is one line. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
