/**
 * Which cells run when an input changes. Each cell declares names (compile.ts
 * `declared`) and reads names (compile.ts `usedNames`: its parameters, as far as the
 * chapter goes); the build bakes both (data-declares, data-uses).
 *
 *   after    the changed cell, then every later cell that reads a name it declares, and
 *            every later cell that reads a name one of those declares (transitively);
 *   before   for each of those, the nearest cell above that declares a name it reads, when
 *            that cell has not run in the current kernel (a fresh kernel after a Stop, or a
 *            page whose outputs are still the build's), and so on upwards.
 *
 *     setup   declares rt m           ┐ before: has not run in this kernel
 *     sizes   input n; declares n     ┘ changed
 *     fill    reads m n; declares s     after: reads n
 *     chart   reads s                   after: reads s (from fill)
 *     other   reads rt                  not run: reads nothing the changed cells declare
 *
 * The plan is a list of cell indices in page order.
 */

export interface CellNames {
  declares: readonly string[];
  uses: readonly string[];
}

/** The cells to run, in order, when the inputs of `changed` (indices) change. */
export function rerunPlan(
  cells: readonly CellNames[],
  changed: readonly number[],
  ran: (index: number) => boolean,
): number[] {
  const plan = new Set<number>();
  const first = Math.min(...changed);
  const defined = new Set<string>();
  for (let i = first; i < cells.length; i++) {
    const cell = cells[i];
    if (!cell) continue;
    if (changed.includes(i) || cell.uses.some((n) => defined.has(n))) {
      plan.add(i);
      for (const n of cell.declares) defined.add(n);
    }
  }
  // Providers above, from the bottom up, so a provider's own providers are found too.
  for (let i = cells.length - 1; i >= 0; i--) {
    if (!plan.has(i)) continue;
    for (const name of cells[i]?.uses ?? []) {
      for (let p = i - 1; p >= 0; p--) {
        if (!cells[p]?.declares.includes(name)) continue;
        if (!plan.has(p) && !ran(p)) plan.add(p);
        break;
      }
    }
  }
  return [...plan].sort((a, b) => a - b);
}
