// expect: TS2322
import type { PersonRole } from "./schema";
export const r: PersonRole = "owner";
