/**
 * The SHA-256 of a file, as lower-case hex, computed in the browser with Web Crypto: evidence is
 * identified by its hash and stays in the force's archive; the console never uploads it.
 */
export async function sha256Hex(content: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', content as BufferSource);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
