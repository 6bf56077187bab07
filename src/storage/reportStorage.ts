import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ReportStorageError } from '../errors.ts';

/** Where reports live: an S3 bucket (ObjectStore) or a local folder (FileStore), same keys (SPEC §9). */
export interface ReportStorage {
  get(key: string): Promise<string | undefined>;
  put(key: string, body: string, contentType: string): Promise<void>;
  /** How a person finds a key: `s3://bucket/key` or a file path. */
  locate(key: string): string;
  /**
   * Replaces every file of a folder (`latest`) as one unit, when the store can: a reader sees the
   * old set or the new one, never a mix, and a failure leaves the old set (or none) in place.
   */
  replaceFolder?(folder: string, files: ReadonlyArray<{ name: string; body: string }>): Promise<void>;
  /** Deletes a key, where the store may: a first run that fails half way takes its `latest/` files back. */
  remove?(key: string): Promise<void>;
  /** Every key under a folder prefix (ending in `/`), where the store can list: `sweep --incremental` reads `changes/` by it. */
  list?(prefix: string): Promise<string[]>;
}

/** A local folder laid out like the S3 bucket. Each file is written whole (temporary file, then rename). */
export class FileStore implements ReportStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  locate(key: string): string {
    const path = resolve(join(this.root, key));
    if (path !== this.root && !path.startsWith(this.root + sep)) throw new ReportStorageError(`key escapes the report folder: ${key}`);
    return path;
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.locate(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async put(key: string, body: string): Promise<void> {
    const path = this.locate(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, body, 'utf8');
    await rename(temporary, path);
  }

  /** The keys of the files in one folder (`prefix` ends in `/`), not below it; none when it does not exist. */
  async list(prefix: string): Promise<string[]> {
    const folder = this.locate(prefix);
    try {
      const entries = await readdir(folder, { withFileTypes: true });
      return entries.filter((e) => e.isFile() && !e.name.endsWith('.tmp')).map((e) => `${prefix}${e.name}`).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** Writes one file of a new folder version; a test may replace it to fail half way. */
  protected async writeVersionFile(path: string, body: string): Promise<void> {
    await writeFile(path, body, 'utf8');
  }

  /**
   * `latest/` locally: the new files go to a fresh version folder, then the `latest` symlink is
   * pointed at it with one rename(2), which is atomic; the previous version is then removed. A run
   * that fails or is killed before the rename leaves `latest` as it was (an orphaned version folder
   * at worst). A real `latest/` folder left by an older version is moved aside first (two renames:
   * for that one switch a reader may briefly find no `latest`, never a mix).
   */
  async replaceFolder(folder: string, files: ReadonlyArray<{ name: string; body: string }>): Promise<void> {
    const target = this.locate(folder);
    const parent = dirname(target);
    const versions = versionsFolder(target);
    const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const version = join(versions, id);
    await mkdir(version, { recursive: true });
    try {
      for (const file of files) {
        if (file.name.includes('/') || file.name.includes(sep) || file.name.startsWith('.')) throw new ReportStorageError(`not a plain file name: ${file.name}`);
        await this.writeVersionFile(join(version, file.name), file.body);
      }
    } catch (error) {
      await rm(version, { recursive: true, force: true });
      throw error;
    }
    const link = join(parent, `.${basename(target)}.${id}.link`);
    await symlink(relative(parent, version), link);
    let previous: string | undefined;
    try {
      const current = await lstat(target).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (current?.isSymbolicLink()) {
        previous = resolve(parent, await readlink(target));
      } else if (current) {
        previous = join(versions, `${id}-legacy`);
        await rename(target, previous);
      }
      await rename(link, target);
    } catch (error) {
      await rm(link, { force: true });
      await rm(version, { recursive: true, force: true });
      throw error;
    }
    // Only a folder inside the versions folder is ever removed, never what a stray link points at.
    if (previous && dirname(previous) === versions) await rm(previous, { recursive: true, force: true });
  }
}

/** Where {@link FileStore.replaceFolder} keeps the versions a folder symlink points at: `<parent>/.<name>-versions/`. */
function versionsFolder(folderPath: string): string {
  return join(dirname(folderPath), `.${basename(folderPath)}-versions`);
}
