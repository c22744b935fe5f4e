import type { Readable } from 'node:stream';

/** A scanner's verdict on one file. */
export type ScanResult = { status: 'clean' } | { status: 'infected'; reason: string };

/**
 * The virus-scan hook. Called with the stored object's bytes after the upload completed and before
 * the file is recorded; `infected` removes the object and refuses the upload (`files.infected`).
 * A scanner must consume or destroy a stream it is given. None is installed by default (an
 * installation plugs in ClamAV or a cloud scanner through `createCourtyard({ files: { scanner } })`).
 */
export interface VirusScanner {
  scan(content: Readable | Buffer): Promise<ScanResult>;
}
