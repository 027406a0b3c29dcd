/**
 * Behaviour profiles (see the spec's README): K22 = standalone Keras 2.2.4 as driven by R keras
 * 2.2 (the lecture's era: `conv2d_1`, no `Model:` header); TF2 = tf.keras 2.x (`conv2d`, a header).
 */
export type Profile = 'K22' | 'TF2';

let profile: Profile = 'K22';

export function setProfile(p: Profile): void {
  if (p !== 'K22' && p !== 'TF2') throw new Error(`setProfile: expected 'K22' or 'TF2', got '${String(p)}'`);
  profile = p;
}

export function getProfile(): Profile {
  return profile;
}
