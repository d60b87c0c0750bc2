/**
 * What an input change runs, and when (loaded with cell-inputs.ts, on first use). One
 * InputRuns per page, driven by notebook-ui.ts through a small host interface.
 *
 *   change ──▶ cancel the current plan at once ──▶ wait INPUT_DEBOUNCE_MS after the last
 *   change ──▶ plan (inputs/dependencies.ts) ──▶ run its cells one by one, each only
 *   while the plan is still the current one
 *
 * Cancelling: a queued run of the plan is dropped; a run in progress ends with its kernel
 * (the model's loops never yield, so nothing could ask them to stop), and the next plan
 * is made against the fresh kernel, so it runs the cells above it needs again.
 */
import { rerunPlan } from "../inputs/dependencies.ts";
import { cellDomId } from "../cell-id.ts";
import {
  applyValues,
  controlChanged,
  linkNotice,
  reconcile,
  resetValues,
  shareBase,
  syncPageUrl,
} from "./cell-inputs.ts";
import { shareUrl, withoutShare } from "./share-url.ts";
import type { CellView } from "./cell-view.ts";

/** How long the page waits after the last change of an input before it runs. */
export const INPUT_DEBOUNCE_MS = 250;

export interface InputHost {
  readonly order: readonly CellView[];
  schedule(view: CellView): Promise<boolean>;
  /** The cell's last run in the current kernel succeeded. */
  ranHere(id: string): boolean;
  /** The cell whose run is in progress, or null. */
  running(): string | null;
  /** Ends every run with the kernel and starts a fresh one (the state is lost). */
  replaceKernel(): void;
  cancelQueued(id: string): void;
  status(text: string): void;
}

export class InputRuns {
  readonly #host: InputHost;
  /** Cells whose inputs changed since the last plan. */
  readonly #changed = new Set<CellView>();
  #debounce: ReturnType<typeof setTimeout> | undefined;
  /** The current plan's number: an older plan stops at its next step. */
  #plan = 0;
  /** The cell of the current plan's run, queued or in progress. */
  #planRun: string | null = null;

  constructor(host: InputHost) {
    this.#host = host;
  }

  /** The reader changed an input of `view`. */
  changed(view: CellView, wrap: Element): void {
    controlChanged(wrap);
    syncPageUrl(view.id, view.element);
    // The value the run in progress was given is stale now: end that run at once.
    this.#cancel();
    this.#changed.add(view);
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.#run(), INPUT_DEBOUNCE_MS);
  }

  /** After a run: the controls become what it declared (checked); refusals go in the notice. */
  reconcile(view: CellView, specs: readonly unknown[]): void {
    const refused = reconcile(view.element, specs);
    if (refused.length > 0)
      view.notice(`Some inputs of this cell were refused: ${refused.join("; ")}.`, "warn", "run");
  }

  /** Reset: every input back to its default, and out of the URL. */
  reset(view: CellView): void {
    resetValues(view.element);
    syncPageUrl(view.id, view.element);
  }

  /**
   * The cell's Share link: its inputs' values in the query, and its code (compressed as
   * `payload`) in the fragment when it differs from the site's; unedited code needs none,
   * and such a link may run on open.
   */
  shareLink(view: CellView, payload: string): string {
    const base = shareBase(new URL(location.href), view.id, view.element);
    const code = view.code;
    if (code !== view.original) return shareUrl(base, view.id, payload, code).toString();
    const url = withoutShare(base);
    url.hash = cellDomId(view.id);
    return url.toString();
  }

  /** Input values from the page's URL: set them; run the cells whose code is the site's. */
  async openLink(params: ReadonlyMap<string, ReadonlyMap<string, string>>): Promise<void> {
    for (const view of this.#host.order) {
      const values = params.get(view.id);
      if (!values) continue;
      const problems = applyValues(view.element, values);
      const edited = view.shared || view.element.hasAttribute("data-edited");
      if (problems.length > 0)
        view.notice(
          `${linkNotice(problems)}${edited ? " The cell holds edited code, so it has not been run: press Run to run it." : ""}`,
          "warn",
        );
      if (!edited) this.#changed.add(view);
      else if (problems.length === 0 && !view.shared)
        view.notice(
          "This link sets this cell's inputs. The cell holds your edited code, so it was not run: press Run to run it with them.",
        );
    }
    await this.#run();
  }

  #cancel(): void {
    this.#plan++;
    const id = this.#planRun;
    this.#planRun = null;
    if (id === null) return;
    if (this.#host.running() === id) {
      this.#host.replaceKernel();
      this.#host.status(
        "A newer input value cancelled the run: the kernel was restarted, and the cells it needs run again.",
      );
    } else this.#host.cancelQueued(id);
  }

  /** Runs the changed cells, the cells they need above, and their dependants below. */
  async #run(): Promise<void> {
    const changed = [...this.#changed];
    this.#changed.clear();
    if (changed.length === 0) return;
    const plan = ++this.#plan;
    const { order } = this.#host;
    const steps = rerunPlan(
      order,
      changed.map((v) => v.index),
      (i) => this.#host.ranHere(order[i]?.id ?? ""),
    );
    const views = steps.flatMap((i) => order[i] ?? []);
    for (const later of views)
      if (!changed.includes(later)) later.stale("will run again: an input above changed");
    this.#host.status(
      `Running ${views.length === 1 ? "1 cell" : `${views.length} cells`} with the new input values…`,
    );
    for (const view of views) {
      if (plan !== this.#plan) return;
      this.#planRun = view.id;
      const ok = await this.#host.schedule(view);
      if (plan !== this.#plan) return;
      this.#planRun = null;
      if (!ok) {
        this.#host.status(`The new input values stopped at “${view.label}”.`);
        return;
      }
    }
    this.#host.status(`Ran ${views.map((v) => `“${v.label}”`).join(", ")} with the new input values.`);
  }
}
