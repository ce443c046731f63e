import { basename, extname } from 'node:path';
import { parseCommandArgs, UsageError } from './args.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './io.js';
import { readPolicyFile, resolveFleet } from './policy-file.js';

const PREFIX = 'tideway validate: ';

/** The one-line synopsis printed with every usage error. */
export const VALIDATE_USAGE_LINE = 'Usage: tideway validate <policy.json>';

const HINT = "Run 'tideway validate --help' for details.";

/** `tideway validate --help`. */
export const VALIDATE_HELP = `Usage: tideway validate <policy.json>

Checks a policy file without running anything: a JSON scaling group config (id optional; default:
the file's base name), or {"group": {...}, "fleet": {...}} as 'tideway simulate --config' reads it.

Valid: prints 'ok: <id>' and the config as tideway resolves it (defaults filled in, durations in
milliseconds), and exits 0. Invalid: prints every problem, one per line, as
'<file>: <path>: expected X, got Y', and exits 1.

Options:
  -h, --help  Show this help.

Exit codes: 0 valid; 1 invalid, unreadable, or not JSON; 2 usage error.`;

function usage(io: CliIo, message: string): number {
  io.stderr(`${PREFIX}${message}\n${VALIDATE_USAGE_LINE}\n${HINT}`);
  return EXIT_USAGE;
}

/**
 * `tideway validate <file>`: check a policy file and print it resolved, or list every problem.
 *
 * @returns the exit code
 * @example
 * await validateCommand(['policy.json'], io); // prints 'ok: web' and the resolved config
 */
export async function validateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message);
    throw error;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(VALIDATE_HELP);
    return EXIT_OK;
  }
  const [path, ...extra] = positionals;
  if (path === undefined) return usage(io, 'missing the policy file to validate');
  if (extra.length > 0) {
    return usage(io, `expected one policy file, got ${positionals.length}: ${positionals.join(' ')}`);
  }

  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    io.stderr(`${PREFIX}cannot read ${JSON.stringify(path)}: ${(error as Error).message}`);
    return EXIT_FAILED;
  }
  const result = readPolicyFile(text, basename(path, extname(path)));
  if (!result.ok) {
    io.stderr(result.problems.map((problem) => `${path}: ${problem}`).join('\n'));
    return EXIT_FAILED;
  }
  const { label, wrapped, resolvedGroup, fleet } = result.policy;
  const resolved = wrapped ? { group: resolvedGroup, fleet: resolveFleet(fleet) } : resolvedGroup;
  io.stdout(`ok: ${label}\n${JSON.stringify(resolved, null, 2)}`);
  return EXIT_OK;
}

function parse(argv: readonly string[]) {
  return parseCommandArgs(argv, { help: { type: 'boolean', short: 'h' } }, true);
}
