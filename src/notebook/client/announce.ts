/** A page-wide polite live region, and copying text to the clipboard. */

let region: HTMLElement | null = null;

export function announce(message: string): void {
  if (!region) {
    region = document.createElement("div");
    region.className = "sr-only nb-announcer";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    document.body.append(region);
  }
  // Clearing first makes a repeated message be read again.
  region.textContent = "";
  const r = region;
  setTimeout(() => (r.textContent = message), 50);
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
