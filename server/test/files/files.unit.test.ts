import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/http/errors.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { checkName, contentDisposition, createLocalStorage, extensionOf } from '../../src/modules/files/index.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    return err instanceof AppError ? err.code : 'other';
  }
};

describe('file names', () => {
  it('keeps ordinary names, Chinese included, NFC-normalised and trimmed', () => {
    expect(checkName('  业主身份证 正面.JPG ')).toBe('业主身份证 正面.JPG');
    expect(checkName('Cafe\u0301.pdf')).toBe('Café.pdf');
    expect(checkName('.bashrc')).toBe('.bashrc');
    expect(checkName('x'.repeat(200))).toHaveLength(200);
  });

  it.each(['../../etc/passwd', '..', '.', 'a/b', 'a\\b', 'C:\\x.txt', 'nul\u0000', 'del\u007f', 'c1\u0085', 'rlo\u202Egnp.exe', 'lri\u2066x', '', '   ', 'x'.repeat(201), '名'.repeat(201)])('refuses %j with files.bad_name', (name) => {
    expect(codeOf(() => checkName(name))).toBe('files.bad_name');
  });

  it('takes the extension after the last dot, lower case, and none for dot-files', () => {
    expect(extensionOf('a.b.PNG')).toBe('png');
    expect(extensionOf('.bashrc')).toBeUndefined();
    expect(extensionOf('README')).toBeUndefined();
    expect(extensionOf('trailing.')).toBeUndefined();
  });
});

describe('content-disposition', () => {
  it('offers an ASCII fallback and the exact UTF-8 name per RFC 5987', () => {
    expect(contentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(contentDisposition('账单 "3月";.csv')).toBe(`attachment; filename="__ _3___.csv"; filename*=UTF-8''%E8%B4%A6%E5%8D%95%20%223%E6%9C%88%22%3B.csv`);
    expect(contentDisposition("it's (1).txt")).toBe(`attachment; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`);
  });
});

describe('COURTYARD_FILES_URL', () => {
  it('is optional, and accepted for S3 and local directories', () => {
    expect(loadConfig({}).filesUrl).toBeUndefined();
    expect(loadConfig({ COURTYARD_FILES_URL: 's3://AK:SK@minio:9000/files?region=cn-north-1&forcePathStyle=true' }).filesUrl).toContain('minio');
    expect(loadConfig({ COURTYARD_FILES_URL: 'file:///srv/courtyard/files' }).filesUrl).toBe('file:///srv/courtyard/files');
  });

  it.each([
    ['ftp://host/bucket', /must start with s3:\/\/ or file:\/\//],
    ['not a url', /must be s3:\/\//],
    ['s3://host:9000', /needs a bucket/],
    ['s3://AK@host/bucket', /both the access key and the secret/],
    ['s3://host/bucket?forcePathStyle=yes', /forcePathStyle must be true or false/],
    ['s3://host/bucket?endpoint=x', /unknown parameter "endpoint"/],
    ['file:///', /absolute directory/],
  ])('stops start-up on %j with one line saying what to fix', (value, message) => {
    expect(() => loadConfig({ COURTYARD_FILES_URL: value })).toThrow(ConfigError);
    expect(() => loadConfig({ COURTYARD_FILES_URL: value })).toThrow(message);
  });
});

describe('local storage', () => {
  it('leaves nothing behind, not even in .tmp, when the content fails at once (a refused upload)', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'courtyard-storage-'));
    try {
      const storage = createLocalStorage(root);
      const failing = () =>
        new Readable({
          read() {
            this.destroy(new Error('refused'));
          },
        });
      for (let i = 0; i < 20; i++) await expect(storage.put(`a/b${i}`, failing())).rejects.toThrow('refused');
      // A late open by the write stream would land after the clean-up; give it the chance to.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fs.readdirSync(path.join(root, '.tmp'))).toEqual([]);
      expect(fs.readdirSync(root)).toEqual(['.tmp']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
