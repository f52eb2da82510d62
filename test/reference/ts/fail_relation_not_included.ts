// expect: TS2339
import type { PersonWith } from "./schema";
declare const p: PersonWith<"team">;
export const n = p.posts.length;
