// HS256 tokens for a server started with --jwt-secret JWT_SECRET.
import { createHmac } from "node:crypto";

export const SECRET = process.env.JWT_SECRET;

/** A token for `sub` expiring in `seconds` (a fraction is rounded up to the next whole second of `exp`). */
export function token(sub, seconds = 600) {
  if (!SECRET) throw new Error("set JWT_SECRET to the server's --jwt-secret");
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const exp = Math.ceil(Date.now() / 1000 + seconds);
  const body = part({ alg: "HS256", typ: "JWT" }) + "." + part({ sub, exp });
  return body + "." + createHmac("sha256", SECRET).update(body).digest("base64url");
}

/** Resolves once `check()` holds; fails after `ms`. */
export async function until(what, check, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
