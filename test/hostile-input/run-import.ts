/**
 * Child process of the hostile-input corpus: imports one bundle path through the real `importBundle` and prints
 * `{ snapshot, diagnostics }` as one JSON line. Limits may be given as JSON in argv[3].
 */
import { importBundle } from '../../importers/index.ts';

const [, , input, limits] = process.argv;
const result = await importBundle([input!], limits ? { limits: JSON.parse(limits) } : {});
process.stdout.write(
  `${JSON.stringify({
    snapshot: result.snapshot !== undefined,
    diagnostics: result.diagnostics.map(({ severity, code, file, jsonPath, line, hint }) => ({
      severity,
      code,
      file,
      jsonPath,
      line,
      hint,
    })),
  })}\n`,
);
