/** The User-Agent earshot sends: `earshot/<version> (+<project URL>)`, as Reddit and GitHub ask of API clients. */
import { PROJECT_URL, readPackageVersion, toolVersion } from '../core/version.js';

export { readPackageVersion };

/** earshot's version, read once. */
export const VERSION: string = toolVersion();

/** The User-Agent for a version (default: this package's). */
export function userAgent(version: string = VERSION): string {
  return `earshot/${version} (+${PROJECT_URL})`;
}

/** The default User-Agent header value. */
export const USER_AGENT: string = userAgent();
