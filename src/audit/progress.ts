/**
 * Progress of an audit on a terminal: one line, rewritten in place, on the stream given (stderr),
 * and nothing at all when that stream is not a terminal (CI logs, pipes, files).
 */
import type { AuditProgress } from './options';

/** What progress needs of a stream: `process.stderr` fits. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressReporter {
  readonly onProgress: (progress: AuditProgress) => void;
  /** Clears the line; call once the audit is done. */
  done(): void;
}

/** A reporter for `stream`, or undefined when the stream is not a terminal. */
export function terminalProgress(stream: ProgressStream): ProgressReporter | undefined {
  if (!stream.isTTY) return undefined;
  let shown = false;
  return {
    onProgress(p) {
      const where = p.account ? ` (${p.account}${p.region ? ` ${p.region}` : ''})` : '';
      stream.write(`\r\x1b[2Kaudit: ${p.accountsDone}/${p.accountsTotal} accounts, ${p.regionsDone}/${p.regionsTotal} regions, ${p.calls} API calls${where}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
