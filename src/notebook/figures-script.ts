/**
 * The chart script: Observable Plot and its DOM (figures.ts), bundled on their own as
 * one classic script, because most cells draw nothing and the kernel starts faster
 * without them. The page fetches it when the kernel first asks (worker.ts), the
 * kernel runs it from a blob: URL, and it leaves its factory under FIGURES_GLOBAL for
 * the kernel to take (and delete) at once, before any cell runs.
 */
import { createFigures } from "./figures.ts";
import { FIGURES_GLOBAL } from "./protocol.ts";

(globalThis as Record<string, unknown>)[FIGURES_GLOBAL] = createFigures;
