import { ROLES } from "@/lib/auth/roles";

const LABEL = { viewer: "Viewer (read only)", operator: "Operator (keys, IdPs, clients)", admin: "Admin (everything)" } as const;

export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: LABEL[role] }));
