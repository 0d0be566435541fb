"use client";

/**
 * What a console page shows when loading it failed on the server (the
 * database unavailable, most often): a clear message and a retry, instead of
 * Next's bare "Application error". Production hides the error's message; its
 * digest matches the server's log line.
 */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main role="alert" className="mx-auto flex min-h-[60vh] max-w-lg flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-sm font-semibold text-brand-700">Temporarily unavailable</p>
      <h1 className="text-2xl font-semibold">This page could not be loaded</h1>
      <p className="text-slate-600">
        Keyward could not complete the request, most likely because its database is not answering. The public JWKS and
        discovery documents are still served; changes can be made again once the database is back.
      </p>
      {error.digest ? <p className="text-xs text-slate-500">Reference: {error.digest}</p> : null}
      <button type="button" onClick={reset} className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800">
        Try again
      </button>
    </main>
  );
}
