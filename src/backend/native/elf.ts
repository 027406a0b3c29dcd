import { readFileSync } from 'node:fs';

/** ELF's e_machine for each architecture Node runs on. */
const MACHINES: Record<string, number> = { x64: 62, arm64: 183, ia32: 3, arm: 40, ppc64: 21, s390x: 22, riscv64: 243, loong64: 258 };

/**
 * What is wrong with an ELF shared object for this process, or null when it looks whole: the
 * wrong architecture, or shorter than its own headers say. dlopen maps a truncated file without
 * complaint and the process dies of SIGBUS when it first touches the missing pages, so such a
 * file must never reach it. Files that are not ELF (Mach-O, PE) are left to the OS's loader.
 */
export function elfProblem(path: string): string | null {
  const bytes = readFileSync(path);
  if (bytes.length < 4 || bytes.readUInt32BE(0) !== 0x7f454c46) return process.platform === 'linux' ? 'not an ELF shared object' : null;
  if (bytes.length < 64) return `truncated: ${bytes.length} bytes`;
  if (bytes[4] !== 2 || bytes[5] !== 1) return 'not a 64-bit little-endian ELF file';
  const machine = bytes.readUInt16LE(0x12);
  const expected = MACHINES[process.arch];
  if (expected !== undefined && machine !== expected) {
    const name = Object.keys(MACHINES).find((arch) => MACHINES[arch] === machine) ?? `ELF machine ${machine}`;
    return `built for ${name}, this is ${process.arch}`;
  }
  const size = BigInt(bytes.length);
  const phoff = bytes.readBigUInt64LE(0x20);
  const shoff = bytes.readBigUInt64LE(0x28);
  const [phentsize, phnum, shentsize, shnum] = [0x36, 0x38, 0x3a, 0x3c].map((at) => BigInt(bytes.readUInt16LE(at))) as [bigint, bigint, bigint, bigint];
  const truncated = `truncated: ${bytes.length} bytes, shorter than its headers say`;
  if (phoff + phnum * phentsize > size || shoff + shnum * shentsize > size) return truncated;
  for (let i = 0n; i < phnum; i++) {
    const at = Number(phoff + i * phentsize);
    if (bytes.readBigUInt64LE(at + 8) + bytes.readBigUInt64LE(at + 0x20) > size) return truncated;
  }
  return null;
}
