/**
 * Runs `contact-audit ARGS…` in this process (main), with the given environment in place of the
 * process's for the run: the SDK reads endpoint, credentials and the config files from
 * process.env, as it would in a shell. For tests where the process boundary is not what is tested.
 */
import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

export interface MainRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Variables of the AWS SDK that a test's environment leaves unset unless it names them. */
const AWS_VARIABLES = ['AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'NO_COLOR'];

/** Prefixes of the variables the product reads (AWS_ENDPOINT_URL_S3 …): none leaks in from the machine's environment. */
const PRODUCT_PREFIXES = /^(AWS_|CONTACT_AUDIT_|ALIBABA_CLOUD_)/;

export async function runMain(args: string[], env: Record<string, string>, tty: { stdout?: boolean; stderr?: boolean } = {}): Promise<MainRun> {
  for (const name of AWS_VARIABLES) vi.stubEnv(name, undefined);
  for (const name of Object.keys(process.env)) {
    if (PRODUCT_PREFIXES.test(name) && name !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED') vi.stubEnv(name, undefined);
  }
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const out = { stdout: '', stderr: '' };
  try {
    const code = await main(args, {
      stdout: (text) => {
        out.stdout += text;
      },
      stderr: (text) => {
        out.stderr += text;
      },
      env: { ...process.env },
      stdoutIsTTY: tty.stdout ?? false,
      stderrIsTTY: tty.stderr ?? false,
    });
    return { code, ...out };
  } finally {
    vi.unstubAllEnvs();
  }
}
