import type { Metadata } from "next";
import Link from "next/link";
import { findInvite } from "@/lib/auth/users";
import { AcceptInviteForm } from "@/components/auth/accept-invite-form";

export const metadata: Metadata = { title: "Set your password" };
export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await findInvite(token);
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-lg font-semibold text-brand-800">Keyward</p>
        {invite ? (
          <>
            <h1 className="mb-6 mt-1 break-words text-xl font-semibold text-slate-900">Set a password for {invite.email}</h1>
            <AcceptInviteForm token={token} email={invite.email} />
          </>
        ) : (
          <div data-testid="invite-invalid">
            <h1 className="mt-1 text-xl font-semibold text-slate-900">This link is invalid or has expired</h1>
            <p className="mt-3 text-sm text-slate-700">
              Links to set a password work once and for 7 days. Ask an admin of this console for a new one.
            </p>
            <p className="mt-6 text-sm">
              <Link href="/login" className="text-brand-700 underline">
                Go to sign in
              </Link>
            </p>
          </div>
        )}
      </div>
    </main>
  );
}
