/** The service worker's file name at the site's root (its scope is the whole site). */
export const SW_FILE = "sw.js";
