import pkg from "@/package.json";

/** Keyward's version, from package.json. */
export const VERSION: string = pkg.version;
