import { asSentence } from "@/components/ui/form-alert";

// The crypto layer starts some messages with the field's name for the REST API
// ("jwk: kty …"); beside the full path that name is noise.
function withoutFieldName(path: string, message: string): string {
  const last = path.split(".").at(-1) ?? path;
  return message.startsWith(`${last}: `) ? message.slice(last.length + 2) : message;
}

/**
 * Why an import was refused: every problem with the path it is about
 * (`signingKeys.1.jwk`, `signing.activeKid`), announced when it appears.
 */
export function ConfigProblems({ id, message, problems }: { id: string; message: string; problems: Record<string, string> }) {
  const entries = Object.entries(problems);
  return (
    <div id={id} role="alert" data-testid="config-problems" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
      {entries.length === 0 ? (
        <p>{asSentence(message)}</p>
      ) : (
        <>
          <p className="font-medium">
            The import was refused and nothing was changed: {entries.length === 1 ? "1 problem" : `${entries.length} problems`}.
          </p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {entries.map(([path, text]) => (
              <li key={path} data-testid="config-problem" data-path={path}>
                <code className="font-mono text-xs font-semibold">{path}</code>: {withoutFieldName(path, text)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
