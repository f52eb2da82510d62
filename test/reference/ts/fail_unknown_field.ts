// expect: TS2353
import type { TeamCreateInput } from "./schema";
export const t: TeamCreateInput = { name: "x", members: [] };
