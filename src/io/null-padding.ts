/**
 * Keras (through h5py) stores `layer_names` and `weight_names` as fixed-length ASCII strings
 * padded with NULs (H5T_STR_NULLPAD). h5wasm can write fixed-length ASCII strings only as
 * NULL-terminated (H5T_STR_NULLTERM) and has no call to change the padding, so after h5wasm has
 * written a file we flip the padding field of those attributes' datatypes in place.
 *
 * This is safe because the writer uses the earliest file format: version-1 object headers
 * carry no checksums, and an attribute message (format spec §IV.A.2.m, version 1) is laid out
 * as: version 1, reserved 0, name size (u16, with the NUL), datatype size (u16), dataspace
 * size (u16), the name padded to 8 bytes, then the datatype. A string datatype (§IV.A.2.d)
 * starts with 0x13 (version 1, class 3), then a bit field whose low nibble is the padding
 * (0 NULLTERM, 1 NULLPAD) and whose high nibble is the character set, then the size (u32).
 */

const STRING_DATATYPE_V1 = 0x13;
const NULLTERM = 0;
const NULLPAD = 1;

/** One fixed-length string attribute the writer created: its name and its string size. */
export interface FixedStringAttribute {
  name: string;
  size: number;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/**
 * Marks every listed attribute as NULL-padded. Each (name, size) must be found exactly as many
 * times as it appears in `attributes`; anything else means the file is not laid out as
 * expected, and is an error rather than a silently different file.
 */
export function markNullPadded(bytes: Uint8Array, attributes: readonly FixedStringAttribute[], where: string): void {
  const wanted = new Map<string, number>();
  for (const a of attributes) wanted.set(`${a.name}\0${a.size}`, (wanted.get(`${a.name}\0${a.size}`) ?? 0) + 1);
  const found = new Map<string, number>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const names = new Map([...new Set(attributes.map((a) => a.name))].map((n) => [n, Buffer.from(`${n}\0`, 'ascii')]));
  for (const [name, encoded] of names) {
    for (let at = buffer.indexOf(encoded); at >= 0; at = buffer.indexOf(encoded, at + 1)) {
      const message = at - 8;
      if (message < 0 || bytes[message] !== 1 || bytes[message + 1] !== 0 || view.getUint16(message + 2, true) !== encoded.length) continue;
      const datatype = at + align8(encoded.length);
      if (datatype + 8 > bytes.length || bytes[datatype] !== STRING_DATATYPE_V1) continue;
      const size = view.getUint32(datatype + 4, true);
      const key = `${name}\0${size}`;
      if (!wanted.has(key) || (bytes[datatype + 1]! & 0x0f) !== NULLTERM) continue;
      bytes[datatype + 1] = (bytes[datatype + 1]! & 0xf0) | NULLPAD;
      found.set(key, (found.get(key) ?? 0) + 1);
    }
  }
  for (const [key, count] of wanted) {
    if (found.get(key) !== count) {
      const [name, size] = key.split('\0');
      throw new Error(`${where}: expected ${count} fixed-length attribute(s) '${name}' of ${size} bytes in the written file, ` +
        `found ${found.get(key) ?? 0}; the HDF5 layout h5wasm wrote is not the one this writer knows`);
    }
  }
}
