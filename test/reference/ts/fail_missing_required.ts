// expect: TS2741
import type { PersonCreateInput } from "./schema";
// external_id is required ("required": true): leaving it out must not compile
export const p: PersonCreateInput = { name: "Ann" };
