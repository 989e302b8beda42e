/** Files to a tar archive, for Docker's putArchive (writing into a container without exec). */
import tar from 'tar-stream';

export interface ArchiveFile {
  /** Path inside the archive, relative to where it is extracted. */
  path: string;
  content: string | Buffer;
  mode?: number;
}

export function tarArchive(files: readonly ArchiveFile[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const file of files)
    pack.entry({ name: file.path, mode: file.mode ?? 0o644, mtime: new Date() }, file.content);
  pack.finalize();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pack.on('data', (chunk: Buffer) => chunks.push(chunk));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
}
