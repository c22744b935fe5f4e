export { createFilesService, DEFAULT_MAX_BYTES, type FilesService, type FilesDeps, type FilesOptions, type OwnerType, type UploadInput, type OpenedFile } from './files.service.js';
export { filesRoutes, contentDisposition } from './files.routes.js';
export { filesMigrations } from './migrations/index.js';
export {
  createStorage,
  createLocalStorage,
  createS3Storage,
  parseS3Url,
  ObjectNotFoundError,
  type FileStorage,
  type StoredObject,
  type S3Location,
  type StorageOptions,
} from './storage.js';
export type { VirusScanner, ScanResult } from './scan.js';
export { checkName, extensionOf, sniff, THUMBNAIL_PX, MAX_NAME_LENGTH } from './content.js';
