/**
 * Every public answer on the embedded store (the CLI's default) equals the golden files under answers/
 * (README.md beside this file; GOLDEN_UPDATE=1 records them).
 */
import { openEmbeddedStore } from '../../server/graph/embedded/embedded-store.ts';
import { tempDataDir } from '../cli/run-cli.ts';
import { describeGoldenAnswers } from './golden.ts';

const dataDir = tempDataDir();

describeGoldenAnswers({
  flags: () => ['--data-dir', dataDir],
  open: async () => openEmbeddedStore(dataDir),
  diffArgs: (bundles) => bundles,
  close: (store) => store.close(),
  storeless: true,
});
