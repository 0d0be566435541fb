import Form from "next/form";
import Link from "next/link";
import { Button, buttonClass } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { AUTH_METHOD_FILTER_OPTIONS, REGISTERED_VIA_LABEL, STATUS_OPTIONS } from "@/components/clients/client-labels";

export interface ClientFilterValues {
  q?: string;
  status?: string;
  authMethod?: string;
  registeredVia?: string;
  limit?: string;
}

function options(all: string, values: readonly { value: string; label: string }[], current: string | undefined) {
  // A value from a shared URL that is not in the list still shows as selected (the page names the problem).
  const list = current && !values.some((v) => v.value === current) ? [...values, { value: current, label: current }] : values;
  return [{ value: "", label: all }, ...list];
}

/** Search and filters of the client list: a GET form, so a narrowed list is a shareable URL. */
export function ClientFilters({ action, values }: { action: string; values: ClientFilterValues }) {
  const sources = (Object.keys(REGISTERED_VIA_LABEL) as (keyof typeof REGISTERED_VIA_LABEL)[]).map((v) => ({ value: v, label: REGISTERED_VIA_LABEL[v] }));
  return (
    <Form action={action} aria-label="Search clients" className="mb-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-6">
        <div className="sm:col-span-2 lg:col-span-3">
          <TextField
            id="q"
            label="Search"
            type="search"
            autoComplete="off"
            maxLength={200}
            defaultValue={values.q ?? ""}
            hint="Part of a client_id, name, software_id or organisation."
          />
        </div>
        <div className="lg:col-span-1">
          <SelectField id="status" label="Status" options={options("Any status", STATUS_OPTIONS, values.status)} defaultValue={values.status ?? ""} />
        </div>
        <div className="lg:col-span-1">
          <SelectField
            id="authMethod"
            label="Authentication"
            options={options("Any method", AUTH_METHOD_FILTER_OPTIONS, values.authMethod)}
            defaultValue={values.authMethod ?? ""}
          />
        </div>
        <div className="lg:col-span-1">
          <SelectField
            id="registeredVia"
            label="Registered via"
            options={options("Console or DCR", sources, values.registeredVia)}
            defaultValue={values.registeredVia ?? ""}
          />
        </div>
      </div>
      {values.limit ? <input type="hidden" name="limit" value={values.limit} /> : null}
      <div className="mt-4 flex flex-wrap items-center gap-2">
        <Button type="submit">Search</Button>
        <Link href={action} className={buttonClass("ghost")}>
          Clear filters
        </Link>
      </div>
    </Form>
  );
}
