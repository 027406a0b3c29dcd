import { crc32, inflateRawSync } from 'node:zlib';

// The few parts of the zip format a Keras 3 `.keras` archive uses: one disk, no ZIP64, members
// stored (what Keras 3 writes) or deflated (what other zip tools write), checked by CRC-32.

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;

/** The members of a zip archive by name. Any defect is an error naming `file`. */
export function readZip(bytes: Buffer, file: string): Map<string, Buffer> {
  const fail = (why: string): never => {
    throw new Error(`${file}: not a readable zip archive (${why}); expected a Keras 3 .keras file`);
  };
  // The end record is the last 22 bytes, unless a comment of up to 64 KiB follows it.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (bytes.readUInt32LE(at) === END) {
      end = at;
      break;
    }
  }
  if (end < 0) fail('no end-of-archive record');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const members = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) fail(`directory entry ${i + 1} is damaged`);
    const method = bytes.readUInt16LE(at + 10);
    const crc = bytes.readUInt32LE(at + 16);
    const packed = bytes.readUInt32LE(at + 20);
    const size = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const skip = nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + skip;
    if (packed === 0xffffffff || size === 0xffffffff) fail(`'${name}' is a ZIP64 member`);
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== LOCAL) fail(`the header of '${name}' is damaged`);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    if (start + packed > bytes.length) fail(`'${name}' is cut short`);
    const raw = bytes.subarray(start, start + packed);
    let data: Buffer;
    if (method === STORED) data = raw;
    else if (method === DEFLATED) {
      try {
        data = inflateRawSync(raw);
      } catch (e) {
        return fail(`'${name}' does not inflate: ${(e as Error).message}`);
      }
    } else return fail(`'${name}' uses compression method ${method}; only stored and deflated members are read`);
    if (data.length !== size || crc32(data) !== crc) fail(`'${name}' fails its CRC-32 check`);
    members.set(name, data);
  }
  return members;
}

/** A zip archive of `members`, stored uncompressed as Keras 3 writes its `.keras` files. */
export function writeZip(members: ReadonlyArray<[string, Uint8Array]>, date = new Date()): Buffer {
  // MS-DOS time and date, local time, two-second resolution.
  const time = (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1);
  const day = ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of members) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    // The fields local and central headers share, from the compression method on.
    const header = (signature: number, size: number, versions: number[], fieldsAt: number): Buffer => {
      const h = Buffer.alloc(size);
      h.writeUInt32LE(signature, 0);
      versions.forEach((v, i) => h.writeUInt16LE(v, 4 + 2 * i));
      h.writeUInt16LE(STORED, fieldsAt);
      h.writeUInt16LE(time, fieldsAt + 2);
      h.writeUInt16LE(day, fieldsAt + 4);
      h.writeUInt32LE(crc, fieldsAt + 6);
      h.writeUInt32LE(data.length, fieldsAt + 10);
      h.writeUInt32LE(data.length, fieldsAt + 14);
      h.writeUInt16LE(nameBytes.length, fieldsAt + 18);
      return h;
    };
    const local = header(LOCAL, 30, [20], 8);
    // Version made by and version needed, then the shared fields.
    const central = header(CENTRAL, 46, [20, 20], 10);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const endRecord = Buffer.alloc(22);
  endRecord.writeUInt32LE(END, 0);
  endRecord.writeUInt16LE(members.length, 8);
  endRecord.writeUInt16LE(members.length, 10);
  endRecord.writeUInt32LE(directory.length, 12);
  endRecord.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, endRecord]);
}
