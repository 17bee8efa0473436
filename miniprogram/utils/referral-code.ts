const REFERRAL_CODE_PATTERN = /^[A-Za-z0-9]{4,32}$/;

/** The invite code from a page's `ref` option when it looks like one (the join API refuses others); else ''. */
export function referralCodeFrom(ref: string | undefined): string {
  return ref && REFERRAL_CODE_PATTERN.test(ref) ? ref : '';
}
