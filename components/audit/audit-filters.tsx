import Form from "next/form";
import Link from "next/link";
import { Button, buttonClass } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";

export interface AuditFilterValues {
  tenant?: string;
  actor?: string;
  action?: string;
  /** `datetime-local` values, in UTC. */
  from?: string;
  to?: string;
  limit?: string;
}

function options(all: string, values: string[], current: string | undefined, label: (value: string) => string = (v) => v) {
  // A value from a shared URL that is not (or no longer) in the list still shows as selected.
  const list = current && !values.includes(current) ? [...values, current] : values;
  return [{ value: "", label: all }, ...list.map((v) => ({ value: v, label: label(v) }))];
}

/** The audit log's filters: a GET form, so a filtered view is a shareable URL. */
export function AuditFilters({
  tenants,
  actors,
  actions,
  values,
}: {
  tenants: { slug: string; name: string }[];
  actors: string[];
  actions: string[];
  values: AuditFilterValues;
}) {
  const names = new Map(tenants.map((t) => [t.slug, t.name]));
  const tenantOptions = options("All tenants", [...names.keys()], values.tenant, (slug) => (names.has(slug) ? `${names.get(slug)} (${slug})` : slug));
  return (
    <Form action="/audit" aria-label="Filter audit events" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-6">
        <div className="lg:col-span-2">
          <SelectField id="tenant" label="Tenant" options={tenantOptions} defaultValue={values.tenant ?? ""} />
        </div>
        <div className="lg:col-span-2">
          <SelectField id="actor" label="Actor" options={options("All actors", actors, values.actor)} defaultValue={values.actor ?? ""} />
        </div>
        <div className="sm:col-span-2">
          <SelectField id="action" label="Action" options={options("All actions", actions, values.action)} defaultValue={values.action ?? ""} />
        </div>
        <div className="lg:col-span-3">
          <TextField id="from" label="From (UTC)" type="datetime-local" step={1} defaultValue={values.from ?? ""} />
        </div>
        <div className="lg:col-span-3">
          <TextField id="to" label="To (UTC)" type="datetime-local" step={1} defaultValue={values.to ?? ""} />
        </div>
      </div>
      {values.limit ? <input type="hidden" name="limit" value={values.limit} /> : null}
      <div className="mt-4 flex flex-wrap items-center gap-2">
        <Button type="submit">Apply filters</Button>
        <Link href="/audit" className={buttonClass("ghost")}>
          Clear filters
        </Link>
      </div>
    </Form>
  );
}
