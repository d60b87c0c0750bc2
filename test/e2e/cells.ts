/**
 * Driving a chapter's cells as a reader does, for the browser tests: find a cell, press
 * its buttons, replace its code in the editor, run it and wait for its outputs. One copy
 * for every e2e file (the DOM contract is docs/notebook.md's).
 */
import type { Locator, Page } from "playwright-core";

/** A cell by its id: `section[data-cell="<id>"]` (its element id is `cell-<id>`). */
export const cellSelector = (id: string): string => `section[data-cell="${id}"]`;
export const cell = (page: Page, id: string): Locator => page.locator(cellSelector(id));
export const output = (page: Page, id: string): Locator => cell(page, id).locator("[data-output]");
export const button = (scope: Locator | Page, name: string): Locator =>
  scope.getByRole("button", { name, exact: true });

/** Waits until the notebook script has mounted (editors and kernel). */
export async function awake(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset["notebook"] === "ready");
}

/** Replaces a cell's code the way a user would: select all in the editor, type. */
export async function setCode(page: Page, id: string, code: string): Promise<void> {
  const content = cell(page, id).locator(".cm-content");
  if ((await content.count()) === 0) {
    await cell(page, id).locator("[data-code] pre").click();
    await awake(page);
  }
  await content.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(code);
}

/** Runs a cell with its Run button and waits until that run's outputs are on the page. */
export async function run(page: Page, id: string, options: { timeout?: number } = {}): Promise<void> {
  const c = cell(page, id);
  const before = Number((await c.getAttribute("data-done")) ?? 0);
  await button(c, "Run").click();
  await page.waitForFunction(
    ([s, n]) => Number(document.querySelector(s as string)?.getAttribute("data-done") ?? 0) > (n as number),
    [cellSelector(id), before] as const,
    options,
  );
}
