// A small program using the declarations typescript() generates for the
// fixture (schema.ts); it must compile under tsc --strict.
import type {
  PersonCreateInput, PersonUpdateInput, PersonWith, PersonKey, PersonRole,
  Post, Team, RexChangeEvent, RexJson, Invoice, InvoiceKey, Class, EventLogKind,
} from "./schema";

const draft: PersonCreateInput = {
  name: "Ann Lee",
  external_id: "123e4567-e89b-12d3-a456-426614174000",
  role: "in review",
  settings: { theme: "dark", sizes: [1, 2] },
  team_id: null,
};

const patch: PersonUpdateInput = { email: null, role: "admin" };

function describe(p: PersonWith<"posts" | "team" | "profile">): string {
  const titles: string[] = p.posts.map((post: Post) => post.title);
  const team: Team | null = p.team;
  const key: PersonKey = { id: p.id };
  return `${p.name} (${key.id}) in ${team ? team.name : "no team"}: ${titles.join(", ")}`;
}

function onEvent(e: RexChangeEvent): string {
  switch (e.entity) {
    case "person":
      return e.op === "update" && e.changed ? e.changed.join(",") : String(e.new?.name);
    case "invoice": {
      const k: InvoiceKey | null = e.pk;
      return k ? `${k.year}/${k.number}` : e.op;
    }
    default:
      return e.at;
  }
}

const roles: PersonRole[] = ["admin", "member", "in review", "2fa-pending"];
const kinds: EventLogKind[] = ["true", "false", "null", "a.b"];
const json: RexJson = { a: [1, "x", null, { b: true }] };
const invoice: Pick<Invoice, "total" | "currency"> = { total: "12.50", currency: "EUR" };
const words: Class = { id: 1, default: null, function: 2, type: null, interface: true, new: "n" };

export { draft, patch, describe, onEvent, roles, kinds, json, invoice, words };
