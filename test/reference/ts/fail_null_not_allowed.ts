// expect: TS2322
import type { PostUpdateInput } from "./schema";
// title is not nullable
export const u: PostUpdateInput = { title: null };
