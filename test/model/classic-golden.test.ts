// Model vs real Go for the classic map releases (1.19–1.23); see golden-lib.ts (swiss-golden.test.ts for 1.24+).
import { goldenSuite, preGCSuite } from "./golden-lib.ts";

goldenSuite((minor) => minor <= 23);
preGCSuite((minor) => minor <= 23);
