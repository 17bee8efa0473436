import { login } from './services/session';

App({
  onLaunch(): void {
    // Signing in early saves the first page a round trip; a failure here is harmless because every request
    // signs in on demand.
    login().catch(() => undefined);
  },
});
