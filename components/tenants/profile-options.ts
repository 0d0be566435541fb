import { PROFILES, PROFILE_IDS } from "@/lib/tenants/profiles";

export const PROFILE_OPTIONS = PROFILE_IDS.map((id) => ({ value: id, label: PROFILES[id].label }));
