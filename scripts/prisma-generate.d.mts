export function derivePostgresSchema(): string;
export function prismaEnv(): NodeJS.ProcessEnv;
