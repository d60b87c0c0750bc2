import { afterEach, describe, expect, test, vi } from "vitest";

// The published kernel module (src/notebook/jupyter/kernel-module.ts) as Deno's Jupyter
// kernel sees it: Deno.jupyter.display receives mime bundles; without it, console.log.
type Display = (bundle: Record<string, string>, options: Record<string, unknown>) => Promise<void>;

async function load(display: Display | null) {
  vi.resetModules();
  if (display) vi.stubGlobal("Deno", { jupyter: { display } });
  return import("../../src/notebook/jupyter/kernel-module.ts");
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("the published kernel module", () => {
  test("display sends a mime bundle to Deno.jupyter and returns nothing", async () => {
    const shown: [Record<string, string>, Record<string, unknown>][] = [];
    const { display, Plot } = await load(async (b, o) => void shown.push([b, o]));
    expect(display([{ go: "1.23", HeapAlloc: "293.3 MiB" }])).toBeUndefined();
    const { plot, dot } = Plot as Record<"plot" | "dot", (...args: unknown[]) => unknown>;
    display(plot({ marks: [dot([{ x: 1, y: 2 }], { x: "x", y: "y" })] }));
    expect(shown.map(([b]) => Object.keys(b).sort())).toEqual([
      ["text/html", "text/plain"],
      ["image/svg+xml", "text/plain"],
    ]);
    expect(shown[0]?.[0]["text/plain"]).toBe("go    HeapAlloc\n----  ---------\n1.23  293.3 MiB");
    expect(shown[1]?.[1]).toEqual({ raw: true });
  });

  test("a heap chart is one display, redrawn by display_id once the cell yields", async () => {
    const shown: [Record<string, string>, Record<string, unknown>][] = [];
    const { goRuntime, liveHeap } = await load(async (b, o) => void shown.push([b, o]));
    const rt = goRuntime({ go: "1.23" });
    const m = rt.makeMap("int", "[128]byte");
    liveHeap(rt, { every: 1000 });
    m.insertRange(0, 10_000);
    expect(shown.map(([, o]) => o["update"])).toEqual([false]);
    await new Promise((r) => setTimeout(r, 0));
    expect(shown.map(([, o]) => o)).toEqual([
      { raw: true, display_id: "go-map-heap-1", update: false },
      { raw: true, display_id: "go-map-heap-1", update: true },
    ]);
    expect(shown[1]?.[0]["text/plain"]).toMatch(
      /^HeapAlloc: \d+\.\d MiB after 10,000 operations \(peak .*\)\.$/,
    );
    expect(shown[1]?.[0]["image/svg+xml"]).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  test("without Deno.jupyter, display prints the text form; maps refuse what the model cannot hold, as on the site", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const { display, goRuntime, mib } = await load(null);
    display(mib(3 * 2 ** 20));
    expect(log).toHaveBeenCalledWith("3.0 MiB");
    const m = goRuntime({ go: "1.24" }).makeMap("int", "int");
    expect(() => m.insertRange(0, 1e12)).toThrow(/Refused before allocating/);
  });
});
