// Model vs real Go for the Swiss-table releases (1.24+); see golden-lib.ts.
import { goldenSuite, preGCRangeSuite } from "./golden-lib.ts";

goldenSuite((minor) => minor >= 24);
preGCRangeSuite((minor) => minor >= 24);
