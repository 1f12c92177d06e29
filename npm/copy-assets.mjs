// Copies the parts of the Helsinki Design System (hds-core, pinned in package-lock.json)
// that Silta uses into Django's static files: the design tokens and base styles, and
// the components Silta's templates use, as one stylesheet. The source-map comments are
// dropped (the maps are not shipped, and Django's manifest storage would look for them).
// Fonts are not copied: HDS loads Helsinki Grotesk from the City of Helsinki's CDN, and
// Silta uses no CDN, so HDS's own fallback fonts (Arial, Helvetica) are used.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const lib = join(here, "node_modules", "hds-core", "lib");
const out = join(here, "..", "src", "silta", "web", "static", "silta", "hds");
const version = JSON.parse(readFileSync(join(here, "node_modules", "hds-core", "package.json"))).version;

const parts = [
  "base.min.css",
  "components/button/button.min.css",
  "components/notification/notification.min.css",
  "components/error-summary/error-summary.min.css",
  "components/table/table.min.css",
  "components/tag/tag.min.css",
  "components/status-label/status-label.min.css",
  "components/pagination/pagination.min.css",
  "components/text-input/text-input.min.css",
  "components/checkbox/checkbox.min.css",
  "components/fieldset/fieldset.min.css",
  "components/link/link.min.css",
];

const strip = (css) => css.replace(/\/\*#\s*sourceMappingURL=[^*]*\*\//g, "").trim();
const body = parts
  .map((p) => `/* hds-core ${version}: lib/${p} */\n${strip(readFileSync(join(lib, p), "utf8"))}`)
  .join("\n");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "hds.css"),
  `/*! Helsinki Design System, hds-core ${version}, MIT licence (LICENSE beside this file). Built by npm/copy-assets.mjs; do not edit. */\n${body}\n`,
);
writeFileSync(join(out, "LICENSE"), readFileSync(join(here, "node_modules", "hds-core", "LICENSE")));
console.log(`hds-core ${version} -> ${out}/hds.css`);
