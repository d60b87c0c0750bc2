import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { collectErrors, hasChromium, launch, siteUrl } from "./browser.ts";

// The slugs are a promise to every reviewer who pasted one into a pull request.
const SLUGS = ["/", "/situation/", "/cause/", "/is-it-a-problem/", "/solutions/", "/model/", "/playground/"];

describe.skipIf(!hasChromium())("every page of the built site", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test.each(SLUGS)("%s loads with a title and no console errors", async (slug) => {
    const page = await browser.newPage();
    const errors = collectErrors(page);
    const response = await page.goto(siteUrl(slug), { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    await expect(page.locator("h1").first().textContent()).resolves.toBeTruthy();
    await page.waitForTimeout(300);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("an unknown path answers 404 with the site's not-found page", async () => {
    const page = await browser.newPage();
    const response = await page.goto(siteUrl("/no-such-chapter/"));
    expect(response?.status()).toBe(404);
    await expect(page.locator("h1").first().textContent()).resolves.toMatch(/not found/i);
    await page.close();
  });
});
