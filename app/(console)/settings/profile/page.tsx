import type { Metadata } from "next";
import { roleLabel, SIGN_IN_LABELS } from "@/components/members/format";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/guards";
import { getMember } from "@/lib/members/get-member";
import { ChangePasswordForm, RenameSelfForm } from "./_components/profile-forms";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage() {
  const user = await requireUser();
  const me = await getMember(user.teamId, user.id);
  return (
    <div className="space-y-6">
      <Card title="Profile" description="Your Storegate account.">
        <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-slate-500">Name</dt>
          <dd>{me.name}</dd>
          <dt className="text-slate-500">Email</dt>
          <dd className="break-all">{me.email}</dd>
          {me.userName && (
            <>
              <dt className="text-slate-500">UPN</dt>
              <dd className="break-all">{me.userName}</dd>
            </>
          )}
          <dt className="text-slate-500">Role</dt>
          <dd>{roleLabel(me.role)}</dd>
          <dt className="text-slate-500">How you sign in</dt>
          <dd>{me.signInMethods.map((m) => SIGN_IN_LABELS[m]).join(", ") || "—"}</dd>
        </dl>
      </Card>
      <Card
        title="Your name"
        description={
          me.provisioned
            ? "Your name comes from Microsoft Entra ID. Ask your administrator to change it there."
            : "The name your team sees."
        }
      >
        {!me.provisioned && <RenameSelfForm name={me.name} />}
      </Card>
      {me.signInMethods.includes("password") && (
        <Card
          title="Password"
          description="Changing your password signs you out on every other device; this one stays signed in."
        >
          <ChangePasswordForm />
        </Card>
      )}
    </div>
  );
}
