/**
 * The stdout of a container's `logs` read without `follow`: Docker multiplexes
 * it (no TTY), an 8-byte header before each frame. Bytes stay as written.
 */
export function stdoutFrames(logs: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at + 8 <= logs.length;) {
    const size = logs.readUInt32BE(at + 4);
    if (logs[at] === 1) parts.push(logs.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts);
}
