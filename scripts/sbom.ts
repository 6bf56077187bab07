/**
 * `npm run sbom`: writes the software bill of materials, `sbom.cdx.json` (CycloneDX JSON, from
 * `npm sbom --sbom-format cyclonedx`), and checks it before keeping it: valid against the CycloneDX
 * JSON schema of its specVersion (the schemas shipped by @cyclonedx/cyclonedx-library), and listing
 * every dependency of package.json at the version installed (package-lock.json). Exits 1 naming the
 * problem, and keeps no file, when a check fails.
 *
 * The whole tree goes in, development dependencies included: `npm sbom --omit dev` also drops
 * production packages that a development dependency shares (npm/cli#7909, open), and the
 * CLI runs from this tree with tsx, so what builds and tests it is part of what ships.
 */
import { execFile } from 'node:child_process';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Ajv from 'ajv';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'sbom.cdx.json');

interface Component {
  name: string;
  group?: string;
  'bom-ref'?: string;
  version: string;
}
interface Bom {
  bomFormat: string;
  specVersion: string;
  metadata: { component: { name: string; version: string } };
  components: Component[];
}

async function json<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** The CycloneDX schema of `specVersion` with the schemas it refers to, from @cyclonedx/cyclonedx-library. */
async function validator(specVersion: string) {
  const schemas = join(dirname(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
  const ajv = new Ajv({ strict: false, allErrors: true });
  // The formats the schema names; date-time is checked, the IRI and IDN e-mail forms are let through.
  ajv.addFormat('date-time', (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)));
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', true);
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  // The bom schema refers to its companions by their file names ("spdx.SNAPSHOT.schema.json"), not their $id.
  for (const file of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json', 'cryptography-defs.SNAPSHOT.schema.json']) {
    const schema = await json<Record<string, unknown>>(join(schemas, file)).catch(() => undefined);
    if (schema) ajv.addSchema({ ...schema, $id: `http://cyclonedx.org/schema/${file}` });
  }
  return ajv.compile(await json<object>(join(schemas, `bom-${specVersion}.SNAPSHOT.schema.json`)));
}

/** Problems with the BOM: schema errors, then each dependency of package.json missing at its installed version. */
async function problems(bom: Bom): Promise<string[]> {
  if (bom.bomFormat !== 'CycloneDX') return [`bomFormat is "${bom.bomFormat}", not CycloneDX`];
  const validate = await validator(bom.specVersion);
  const found: string[] = [];
  if (!validate(bom)) for (const error of validate.errors ?? []) found.push(`schema: ${error.instancePath || '/'} ${error.message}`);
  const pkg = await json<{ dependencies: Record<string, string>; devDependencies: Record<string, string> }>(join(ROOT, 'package.json'));
  const lock = await json<{ packages: Record<string, { version?: string; link?: boolean; resolved?: string }> }>(join(ROOT, 'package-lock.json'));
  // A workspace package (the emulator) is a link in node_modules: its version is that of the folder it resolves to.
  const installed = (name: string): string | undefined => {
    const entry = lock.packages[`node_modules/${name}`];
    return entry?.link && entry.resolved ? lock.packages[entry.resolved]?.version : entry?.version;
  };
  const listed = new Set(bom.components.map((c) => `${c.group ? `${c.group}/` : ''}${c.name}@${c.version}`));
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
    const version = installed(name);
    if (!version) found.push(`${name}: not in package-lock.json (run npm install)`);
    else if (!listed.has(`${name}@${version}`)) found.push(`${name}@${version}: not a component of the SBOM`);
  }
  return found;
}

async function main(): Promise<number> {
  const { stdout } = await promisify(execFile)('npm', ['sbom', '--sbom-format', 'cyclonedx', '--sbom-type', 'application'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  const bom = JSON.parse(stdout) as Bom;
  // npm names the root after its folder (a checkout may be called anything): the package's own name instead.
  const pkg = await json<{ name: string }>(join(ROOT, 'package.json'));
  bom.metadata.component.name = pkg.name;
  // npm leaves the scope out of a workspace package's component (its bom-ref and purl keep it): put it in `group`, as for every other scoped package.
  for (const c of bom.components) {
    const scope = /^(@[^/]+)\/([^@]+)@/.exec(c['bom-ref'] ?? '');
    if (!c.group && scope && scope[2] === c.name) c.group = scope[1];
  }
  const found = await problems(bom);
  if (found.length > 0) {
    process.stderr.write(`sbom: not written, ${found.length} problem(s):\n${found.map((p) => `  ${p}`).join('\n')}\n`);
    return 1;
  }
  // Whole or not at all: a reader never sees half a file.
  await writeFile(`${OUT}.tmp`, `${JSON.stringify(bom, null, 2)}\n`);
  await rename(`${OUT}.tmp`, OUT);
  process.stdout.write(`sbom: ${OUT} (CycloneDX ${bom.specVersion}, ${bom.components.length} components), valid against its schema\n`);
  return 0;
}

process.exitCode = await main();
