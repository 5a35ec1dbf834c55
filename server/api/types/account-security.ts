/**
 * What a snapshot knows about the account's own credentials: the password policy and the root user's row of
 * the credential report. Fields added to `Snapshot`; null when the bundle did not carry the file.
 */
import type { PasswordPolicy, RootCredentials } from '../../../schema/snapshot.ts';
import { ageInDays } from '../../analysis/findings/finding.ts';
import { passwordPolicyGaps } from '../../analysis/findings/weak-password-policy.ts';
import { builder } from '../builder.ts';
import { AccessKeyRef, SnapshotRef } from './refs.ts';

const PasswordPolicyRef = builder.objectRef<PasswordPolicy>('PasswordPolicy').implement({
  description: '`aws iam get-account-password-policy`; fields AWS did not return are null.',
  fields: (t) => ({
    minimumPasswordLength: t.exposeInt('minimumPasswordLength', { nullable: true }),
    requireSymbols: t.exposeBoolean('requireSymbols', { nullable: true }),
    requireNumbers: t.exposeBoolean('requireNumbers', { nullable: true }),
    requireUppercaseCharacters: t.exposeBoolean('requireUppercaseCharacters', { nullable: true }),
    requireLowercaseCharacters: t.exposeBoolean('requireLowercaseCharacters', { nullable: true }),
    allowUsersToChangePassword: t.exposeBoolean('allowUsersToChangePassword', { nullable: true }),
    expirePasswords: t.exposeBoolean('expirePasswords', { nullable: true }),
    maxPasswordAge: t.exposeInt('maxPasswordAge', { nullable: true }),
    passwordReusePrevention: t.exposeInt('passwordReusePrevention', { nullable: true }),
    hardExpiry: t.exposeBoolean('hardExpiry', { nullable: true }),
    cisGaps: t.stringList({
      description: 'Where it is weaker than CIS AWS Foundations (length 14, reuse 24, character classes).',
      resolve: (p) => passwordPolicyGaps(p),
    }),
  }),
});

const RootCredentialsRef = builder
  .objectRef<RootCredentials & { collectedAt?: string }>('RootCredentials')
  .implement({
    description: "The credential report's `<root_account>` row.",
    fields: (t) => ({
      createDate: t.exposeString('createDate', { nullable: true }),
      passwordLastUsed: t.exposeString('passwordLastUsed', { nullable: true }),
      mfaActive: t.exposeBoolean('mfaActive'),
      accessKeys: t.field({
        type: [AccessKeyRef],
        resolve: (r) =>
          r.accessKeys.map((k) => {
            const age = ageInDays(k.lastRotated, r.collectedAt ? Date.parse(r.collectedAt) : undefined);
            return age !== undefined ? { ...k, ageDays: age } : k;
          }),
      }),
    }),
  });

builder.objectFields(SnapshotRef, (t) => ({
  passwordPolicy: t.field({
    type: PasswordPolicyRef,
    nullable: true,
    resolve: async (s, _args, ctx) => (await ctx.analysis(s.id)).snapshot.passwordPolicy ?? null,
  }),
  rootCredentials: t.field({
    type: RootCredentialsRef,
    nullable: true,
    description: 'Null without a credential report.',
    resolve: async (s, _args, ctx) => {
      const root = (await ctx.analysis(s.id)).snapshot.accounts.find((a) => a.id === s.accountId)?.root;
      return root ? { ...root, ...(s.collectedAt ? { collectedAt: s.collectedAt } : {}) } : null;
    },
  }),
}));
