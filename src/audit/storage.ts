import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/** Where reports live: an S3 bucket (ObjectStore) or a local folder (FileStore), same keys (SPEC §9). */
export interface ReportStorage {
  get(key: string): Promise<string | undefined>;
  put(key: string, body: string, contentType: string): Promise<void>;
  /** How a person finds a key: `s3://bucket/key` or a file path. */
  locate(key: string): string;
}

/** A local folder laid out like the S3 bucket. Each file is written whole (temporary file, then rename). */
export class FileStore implements ReportStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  locate(key: string): string {
    const path = resolve(join(this.root, key));
    if (path !== this.root && !path.startsWith(this.root + sep)) throw new Error(`key escapes the report folder: ${key}`);
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
}
