// expect: TS2322
import type { PostChangeEvent } from "./schema";
declare const e: PostChangeEvent;
export const s: "person" = e.entity;
